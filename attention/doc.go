// Package attention computes ReLU^α and softmax attention, densely (the
// reference) and accelerated by half-space reporting (package hsr), for
// generation decoding (a KV cache that grows token by token) and prompt
// prefilling (m = n queries, causal mask). It implements the contract of
// docs/contract.md; the end of this comment lists every choice the
// contract leaves open.
//
// Notation: Q is m×d, K is n×d, V is n×dv (gonum *mat.Dense, row-major),
// s_ij = <q_i, k_j>/sqrt(d) (Params.Unscaled drops the 1/sqrt(d)).
// ReLU^α: a_ij = max(s_ij − b, 0)^α, output Σ_j a_ij v_j normalised by
// Params.Norm. Softmax: the dense reference uses every visible key; the
// HSR path keeps S_i = {j : s_ij ≥ τ_i} (τ given, or τ_i = the r-th largest
// score with Params.TopR) and reports a certified bound per row.
//
// # Entry points and their cost
//
//   - Dense(Q, K, V, p): every score through gonum's Dgemm in 128×512 tiles,
//     weights×V through Dgemm: O(m·n·(d+dv)); with the causal mask the tiles
//     above the diagonal are skipped (half the work). The reference and the
//     baseline. Weights(Q, K, p) gives the m×n weight matrix for heatmaps.
//   - NewEngine(K, V, kind) builds the index once (O(n·d) for the scan,
//     O(n log n) for the tree) and, for the scan and the automatic index,
//     the sketch (O(n·d), ~1.5·n·d bytes; see "Decoding" below);
//     Engine.Row(q, i, p, out) is one row: one half-space query <q, k> > c
//     with c = sqrt(d)·b (ReLU^α) or sqrt(d)·τ (softmax), answered by the
//     sketch or the index, then O(|S_i|·(d+dv)) to re-score the reported
//     keys exactly and sum their values. Changing b, τ, α or the norm
//     rebuilds nothing; rows can be computed a few at a time (the
//     visualizer spreads work over frames). For a caller that must not
//     block for long (one thread in a browser) the long calls come in
//     steps, each result bit for bit the one call's: EngineBuilder
//     (NewEngineWith's scan engine, its passes 2^16 entries per step),
//     Engine.TreeBuilder with WithTree (hsr.TreeBuilder's slices), and
//     Engine.RowStepper (a row answered by the index: the query, then
//     2^14 candidates re-scored and summed per step; a sketch's or top-r
//     row stays one step). Engine.DenseRow is the dense
//     row on the same data (gonum Dgemv over Kᵀ in blocks, key ranges over
//     GOMAXPROCS goroutines, O(n·(d+dv))): the decoding baseline.
//   - HSR(Q, K, V, p) = NewEngine + one Row per query (rows in parallel
//     when the index allows concurrent queries, as the scan and tree do).
//   - Softmax top-r: on the tree (and hsr.Auto) the index's best-first
//     TopR finds the r-th largest dot product, then one query just below
//     it; on the scan, or for a causal row that sees only a prefix, one pass
//     over the visible keys, O(n·d), and a quickselect, O(n) expected. The
//     kept set is then selected exactly from the re-scored candidates.
//   - Cache (decoding): Append is O(d+dv) plus the index's Insert (the
//     tree's logarithmic method, no full rebuild) and the sketch's O(d)
//     append; Attend is one Row.
//   - Prefill(Q, K, V, p), m = n: the half-space queries of 256 rows at a
//     time are answered by a batched filter: float32 scores of 256×512
//     tiles (causal tiles skipped), every score above c minus a certified
//     float32 error bound re-scored exactly, only those keys summed. Cost
//     ~n²·d/2 float32 multiply-adds plus O(Σ|S_i|·(d+dv)); see Prefill for
//     the margin and the per-row alternatives.
//
// # Decoding: the sketch
//
// At head dimension no tree prunes isotropic keys (at d = 64 the tree opens
// every node), and a float64 scan reads as many bytes as the dense path, so
// a half-space query could at best tie with dense decoding. The sketch
// (sketch.go; the "vector approximation file" of high-dimensional search)
// is two certified low-precision copies of the keys: stage 1 streams 4-bit
// codes of every key with its scale and a residual byte (d/2 + 5 bytes
// per key instead of 8d), stage 2 reads one int8 row (d bytes) of the keys
// stage 1 passes (~7% at d = 64 and the paper's threshold), and the
// survivors (~1.2× the reported keys) are re-scored with the same float64
// dot product as every other path, their K and V rows prefetched a
// pipeline step ahead. On Linux, K and V (in place: the engine does not
// copy them) and the sketch's arrays are advised to transparent huge pages
// (internal/hugepage): the ~100,000 scattered rows of a decode at n = 2^20
// then rarely miss the TLB (7% per decode). Each stage compares an exact integer dot product of
// the quantised query and key, scaled in float32, with a threshold lowered
// by the Cauchy–Schwarz bound of both quantisations plus the float32
// rounding, so every key with <q, k> > c passes both (TestSketchNeverMisses
// and TestSketchStagesNeverMiss check it at thresholds one ulp from real
// dot products). A row is split into segments of 32768 keys filtered by
// GOMAXPROCS goroutines (Engine.Row, Cache.Attend; Batch and HSR run rows
// in parallel instead). Memory: ~1.5·n·d bytes (101 MiB at n = 2^20,
// d = 64, beside 512 MiB of K).
//
// Which path answers: IndexScan uses the sketch (a linear scan of the
// compressed copy) where it pays, d ≥ 8 (below, the float64 scan and the
// tree win: the sketch saves few bytes, and each candidate's re-check is a
// cache miss the sequential scan does not pay). IndexAuto starts each
// engine on the tree (hsr.Auto) and moves to the sketch once a tree query's
// work (hsr's units: hsr.Stats.Work, a node weighted as hsr.Auto weighs it) exceeds the
// sketch's estimate; then it probes the tree again after 64, 128, … 4096
// queries. IndexTree always uses the tree. The sketch is built only where
// the AVX2 kernels run (amd64); elsewhere (wasm) the index answers.
//
// At n = 2^20, d = 64, Gaussian σ = 1, the paper's threshold (~1.1% of the
// keys reported), HSR decoding ran 6.0–8.1× faster than the fastest dense
// path in six consecutive runs on the night of 2026-12-03, at two
// threads and at one (5.0–6.8× before huge pages for K and V and the
// kernels' fixes of that night); the dated
// measurements, the commands that reproduce them and where the time goes
// are in docs/performance.md. Every output is checked against the dense
// loop (max relative difference 1.2e-14, same key counts).
//
// # Exactness of the ReLU^α path
//
// The index (or the sketch) is queried with c lowered by a tiny safety
// margin (1e-10·‖q‖·max‖k‖ plus a few ulps of c); every reported key is
// re-scored with a float64 dot product and s = dot/sqrt(d), and keeps
// weight max(s − b, 0)^α. So no key with a positive weight is missed whatever the
// index's own rounding, and a key that rounds onto the boundary just gets
// weight 0 and is left out of Row.Keys: Row.Keys is exactly
// {j : computed a_ij > 0}. The dense path's scores come from Dgemm, whose
// rounding differs in the last bits, so the two key sets can differ only
// for a key whose score is within a few ulps of b, where the weight is
// ~1e-16·|s|; the tests compare both with an independent loop, exactly on
// integer data (exact ties on the boundary) and outside a 1e-12 band on
// random data. Every path sums the same terms in the same order (finish:
// ascending keys within segments of 32768 keys, the segment sums added in
// order, which the sketch's goroutines and Prefill's tiles reproduce), so
// Prefill, HSR, Engine.Row and Cache.Attend give bit-equal rows for equal
// inputs whichever index or sketch found the keys.
//
// # Kernels
//
// On amd64 with AVX2 and FMA, small assembly kernels do the inner loops: a
// 4×16 float32 score block (Prefill's filter), the sketch's two filters
// (stage 1: 16 keys per step, a 16-bit mask out, with AVX-512 VNNI where
// the CPU has it, which also writes the candidates' numbers; stage 2: one
// int8 row per candidate), a float64 dot product (re-scoring), axpy (value
// sums) and row prefetches. Between a write of a Y or Z register and the
// next VZEROUPPER they use only VEX/EVEX instructions: one legacy SSE
// instruction there cost each call hundreds of nanoseconds on a Xeon under
// a hypervisor (TestNoLegacySSEAfterVEX). Elsewhere
// (wasm, other CPUs) portable Go runs instead (hsr.Dot, gonum Sgemm,
// qfilter4Go, qcheckGo) with the same contracts; the tests run all.
// A float64 4×8 twin of the score kernel can replace Dgemm inside Dense
// (off by default; the benchmarks use it to report the speed-up against a
// dense path with equally hand-tuned code).
//
// # Determinism across builds
//
// The browser runs the wasm build (portable Go), the desktop app and
// hsrattn the amd64 build, with the kernels above where the CPU has AVX2
// and FMA. The same parameters and seed give, in every build:
//
//   - bit for bit: everything package hsr computes (its kernels multiply
//     then add, never fused: Dot, the reported ids, TopR), the data of
//     attention/gen, and the key sets, counts, visible counts and empty
//     rows of every row whose scores are not within rounding of b or τ_i;
//   - within the last bits: attention's exact dot products (dot is an FMA
//     kernel on amd64, hsr.Dot elsewhere) and so the scores, the weights,
//     the outputs (axpy fuses too), the top-r thresholds τ_i and the
//     certified bounds. They differ by a few ulps of the largest term
//     summed: measured up to 2.5e-14 relative to the row's largest value
//     (wasm under Node against AVX2/FMA, 192 scenarios); the check allows
//     1e-12. A key whose score is within that rounding of b or τ_i can be
//     kept by one build and not the other, with a weight of ~1e-16·|s|.
//
// Prefill's float32 filter (FMA kernel or Sgemm) only picks candidates
// under a certified margin, so its rows equal the per-row rows of the same
// build. Checked by scripts/determinism.sh (the wasm build under Node
// against the native one, digests of seeded runs away from ties) and, in
// one native process, TestDeterminismPortable (kernels on and off).
//
// # Choices where the contract is silent
//
//   - An all-zero ReLU^α row outputs 0 under every norm (Row.Empty); with
//     NormLength the divisor is the number of keys the row can see (i+1
//     under the causal mask).
//   - Softmax ignores Norm. An empty kept set (τ above every score) outputs
//     0 with Row.Empty and ErrorBound 2‖V‖_∞.
//   - The reported certified bound is 2‖V‖_∞·T/(Z_S+T), T = (n_i − |S_i|)·
//     exp(τ_i), Z_S = Σ_{S_i} exp(s_ij), computed as exp(τ_i − max) etc.
//     It is ≤ the contract's looser 2‖V‖_∞·T/Z_S and equally certified (the tail share
//     Z_tail/(Z_S+Z_tail) grows with Z_tail ≤ T), never above 2‖V‖_∞. n_i
//     counts the keys row i can see; ‖V‖_∞ is the largest |v_jt| of all V.
//   - Top-r with ties keeps every key scoring ≥ τ_i, so |S_i| ≥ r; with
//     distinct scores exactly r; all visible keys when r ≥ n_i.
//     TopRFromGamma rounds n^γ to the nearest integer.
//   - Dense softmax rows have Keys = nil (all visible keys), Threshold −Inf,
//     ErrorBound 0; Dense ignores Tau and TopR. ReLU rows have ErrorBound
//     NaN (they are exact).
//   - Params.CountsOnly drops the per-row key lists of batch results (they
//     would take hundreds of MB at m = n = 2^14); counts stay.
//   - Causal on HSR/Dense with any m: row i sees keys 0..min(i, n−1).
//     Engine.Row takes the position i explicitly and ignores p.Index (the
//     index is chosen by NewEngine); Cache.Attend ignores p.Causal.
//   - Weights that overflow float64 (huge α·scores) are an error, never
//     Inf or NaN; non-finite inputs, shape mismatches, K without rows and
//     an empty cache are errors naming what is wrong; bad Params name the
//     field (Validate).
//   - Row.Stats: the index's counts for the query plus one dot product per
//     re-scored candidate. In Prefill's filter a "node" is a score tile, and
//     DotProducts counts the float32 scores of the tiles plus the exact
//     re-scorings; Reported counts the candidates re-scored. The sketch
//     counts the same way, a node being a chunk of 512 keys.
//   - An Engine keeps references to K's and V's storage when they are
//     contiguous (no copy); the caller must not modify them meanwhile.
//   - IndexAuto is hsr.Auto (tree with a per-query switch to scanning) or
//     the sketch, chosen per query as above; Prefill's automatic choice is
//     the batched filter at every d (see Prefill for the measurement behind
//     that).
package attention
