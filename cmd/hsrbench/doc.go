// Command hsrbench measures the hsr and attention engines side by side with
// their baselines, in one process, so that every figure it prints is a ratio
// of two timings taken under the same conditions (this 2-core machine is
// shared and noisy: absolute times drift 1.5–4× from run to run).
//
// Sections (select with -cases, a comma list):
//
//	stream   the machine's streaming read bandwidth (a multi-accumulator sum of a
//	         float64 slice far larger than the caches) against hsr.Scan over the
//	         same bytes: the scan's distance from the physical floor.
//	grid     tree and auto index vs the scan over d × reported fraction k/n ×
//	         data kind; every reported set is checked against an oracle.
//	decode   ReLU^α decoding at the paper's threshold: HSR path vs the fastest
//	         dense path (per-key dot loops, gonum Dgemv on K and on Kᵀ; one
//	         thread and GOMAXPROCS threads); outputs checked equal. Then
//	         decode-1t: the same with GOMAXPROCS=1, every contender on one
//	         thread (the engine splits a decode over GOMAXPROCS goroutines).
//	prefill  causal ReLU^α prefilling (m = n): HSR vs dense gonum (Dgemm blocks,
//	         blocks above the diagonal skipped); outputs checked equal.
//	scaling  reported count and work (dot products, nodes) vs n at the paper's
//	         threshold, with fitted log-log slopes beside the theory's 4/5.
//
// Method: each contender runs once untimed, then -reps rounds; within a round
// the contenders run one after another in an order rotated every round
// (and reversed every other block of rounds, so that each runs right after
// each other one equally often), and each run is a batch of queries timed
// as a whole. With -full a grid or
// scaling cell runs 12 rounds (the Auto target reads the worst of 90 cells),
// and one whose round is short more, as many as fill 0.5 s (at most 4×):
// the cheap cells are the noisiest for their size. Reported: the median per
// query (or per call) and the min–max spread over the rounds. Ratio is
// baseline/ours: > 1 means ours is faster; in the grid and scaling cells
// it is the median over rounds of the two sides' ratio within a round
// (JSON paired_ratio; ratio_of_medians beside it), which a change of the
// machine's load over seconds moves far less than the ratio of the two
// medians: for Auto and the scan doing the same work at d = 64, 0.98–1.04
// against 0.97–1.09 over five cells of one run (docs/performance.md). The single-threaded sections
// (stream, grid, scaling) time a run by the CPU time of the thread that
// runs it (Linux; -wall for the wall clock): on a shared machine the wall
// time mostly measures when the scheduler gave the core to someone else,
// the thread's CPU time still counts every cycle spent waiting on memory.
// decode and prefill run goroutines in parallel and use the wall clock,
// but for decode-1t: at GOMAXPROCS=1 one thread runs Go code at a time,
// and a run is timed by the process's CPU time.
//
// Correctness is checked in every timed run, not once: each query's reported
// set is summarised by its count and two order-independent checksums and
// compared with an oracle computed outside timing from dot products. A
// mismatch is printed loudly and the exit status is 1. Bad flags exit 2.
//
// Output: an aligned table per section on stdout, or with -json one JSON
// object per line with at least case, d, n, frac, data, baseline_ms, ms,
// ratio and ok. Progress goes to stderr. -full runs the whole grid at
// n = 2^20; the default (quick) mode uses smaller n and fewer cells and is
// what `make bench` runs.
package main
