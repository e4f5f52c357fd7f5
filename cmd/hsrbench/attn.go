package main

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/internal/hugepage"
)

// reluProblem is one ReLU^α attention problem: m queries against n keys and
// values, weights a_ij = max(s_ij − b, 0)^α with s_ij = <q_i, k_j>/sqrt(d),
// row-normalised output (docs/contract.md), causal mask optional (query i sees j ≤ i).
type reluProblem struct {
	m, n, d, dv int
	q, k, v     []float64 // m×d, n×d, n×dv, row-major
	b           float64
	alpha       int
	causal      bool
}

// attnImpl is one way to compute a reluProblem. prepare runs outside timing
// (building an index, say) and returns the timed computation, which writes
// the m×dv output and the per-row count of keys with non-zero weight.
type attnImpl struct {
	name    string
	prepare func(p *reluProblem) func(out []float64, counts []int)
}

var blasImpl gonum.Implementation

func powInt(x float64, a int) float64 {
	r := x
	for i := 1; i < a; i++ {
		r *= x
	}
	return r
}

// accumulate adds row j's weighted value, for s > b, into o; it is the sparse
// half of every dense path here: a ReLU row is mostly zeros, so skipping
// them is what the fastest dense code does too.
func weightRow(p *reluProblem, s []float64, j0 int, o []float64) (sum float64, cnt int) {
	for j, sj := range s {
		if sj > p.b {
			w := powInt(sj-p.b, p.alpha)
			sum += w
			cnt++
			vj := p.v[(j0+j)*p.dv : (j0+j+1)*p.dv]
			for t, x := range vj {
				o[t] += w * x
			}
		}
	}
	return
}

func normalise(o []float64, sum float64) {
	if sum == 0 {
		clear(o)
		return
	}
	inv := 1 / sum
	for t := range o {
		o[t] *= inv
	}
}

// denseGemv: per query, all n scores by Dgemv over K (one pass of K, as a
// single-token decode must), then the sparse weighted sum.
func denseGemv(p *reluProblem) func(out []float64, counts []int) {
	s := make([]float64, p.n)
	scale := 1 / math.Sqrt(float64(p.d))
	return func(out []float64, counts []int) {
		for i := 0; i < p.m; i++ {
			nk := p.n
			if p.causal {
				nk = i + 1
			}
			blasImpl.Dgemv(blas.NoTrans, nk, p.d, scale, p.k, p.d, p.q[i*p.d:(i+1)*p.d], 1, 0, s, 1)
			o := out[i*p.dv : (i+1)*p.dv]
			clear(o)
			sum, cnt := weightRow(p, s[:nk], 0, o)
			normalise(o, sum)
			counts[i] = cnt
		}
	}
}

// denseDot: the same with a four-accumulator dot loop (hsr.Dot), which on
// this class of machine streams K faster than gonum's Dgemv.
func denseDot(p *reluProblem) func(out []float64, counts []int) {
	s := make([]float64, p.n)
	scale := 1 / math.Sqrt(float64(p.d))
	return func(out []float64, counts []int) {
		for i := 0; i < p.m; i++ {
			nk := p.n
			if p.causal {
				nk = i + 1
			}
			q := p.q[i*p.d : (i+1)*p.d]
			for j := 0; j < nk; j++ {
				s[j] = scale * hsr.Dot(q, p.k[j*p.d:(j+1)*p.d])
			}
			o := out[i*p.dv : (i+1)*p.dv]
			clear(o)
			sum, cnt := weightRow(p, s[:nk], 0, o)
			normalise(o, sum)
			counts[i] = cnt
		}
	}
}

// denseDotPar: one decode split over GOMAXPROCS goroutines by key range
// (each computes its scores and a partial weighted sum; the partial sums are
// added at the end): a single-token decode can use both cores to stream K,
// so the fastest dense decode does.
func denseDotPar(p *reluProblem) func(out []float64, counts []int) {
	scale := 1 / math.Sqrt(float64(p.d))
	return parDecode(p, func(q []float64, lo, hi int, s []float64) {
		for j := lo; j < hi; j++ {
			s[j] = scale * hsr.Dot(q, p.k[j*p.d:(j+1)*p.d])
		}
	})
}

// gemvBlock is the key block of denseGemvTPar: the block's scores (128 KiB)
// stay in L2 while Dgemv adds the d rows of Kᵀ into them (at n = 2^20,
// d = 64 blocks of 8192–32768 keys ran fastest, ~10% ahead of 1024–4096).
const gemvBlock = 16384

// denseGemvTPar: gonum's fastest single-query layout, Kᵀ (d×n, built in
// prepare: a cache may store keys that way), Dgemv(Trans) over blocks of
// gemvBlock keys so that the scores stay in cache, the key range split over
// GOMAXPROCS goroutines as in denseDotPar, then the sparse weighted sum.
// (Dgemv over the row-major n×d keys, denseGemv, runs ~3× slower.)
func denseGemvTPar(p *reluProblem) func(out []float64, counts []int) {
	kT := make([]float64, p.d*p.n)
	// The engines advise huge pages for K and V (package hugepage); the
	// baseline's stream gets them too, as its memory is its own (2% there).
	hugepage.Hint(kT)
	for j := 0; j < p.n; j++ {
		for t := 0; t < p.d; t++ {
			kT[t*p.n+j] = p.k[j*p.d+t]
		}
	}
	scale := 1 / math.Sqrt(float64(p.d))
	return parDecode(p, func(q []float64, lo, hi int, s []float64) {
		for b := lo; b < hi; b += gemvBlock {
			e := min(hi, b+gemvBlock)
			blasImpl.Dgemv(blas.Trans, p.d, e-b, scale, kT[b:], p.n, q, 1, 0, s[b:e], 1)
		}
	})
}

// parDecode is the shared frame of the parallel dense decodes: for each
// query, score(q, lo, hi, s) fills the scores s[lo:hi] of one key range per
// goroutine (GOMAXPROCS of them), each goroutine weights its range into a
// partial sum, and the partial sums are added in goroutine order.
func parDecode(p *reluProblem, score func(q []float64, lo, hi int, s []float64)) func(out []float64, counts []int) {
	w := max(1, runtime.GOMAXPROCS(0))
	s := make([]float64, p.n)
	part := make([][]float64, w)
	psum := make([]float64, w)
	pcnt := make([]int, w)
	for i := range part {
		part[i] = make([]float64, p.dv)
	}
	return func(out []float64, counts []int) {
		for i := 0; i < p.m; i++ {
			nk := p.n
			if p.causal {
				nk = i + 1
			}
			q := p.q[i*p.d : (i+1)*p.d]
			var wg sync.WaitGroup
			for g := 0; g < w; g++ {
				lo, hi := g*nk/w, (g+1)*nk/w
				wg.Add(1)
				go func() {
					defer wg.Done()
					score(q, lo, hi, s)
					clear(part[g])
					psum[g], pcnt[g] = weightRow(p, s[lo:hi], lo, part[g])
				}()
			}
			wg.Wait()
			o := out[i*p.dv : (i+1)*p.dv]
			clear(o)
			sum, cnt := 0.0, 0
			for g := 0; g < w; g++ {
				sum += psum[g]
				cnt += pcnt[g]
				for t, x := range part[g] {
					o[t] += x
				}
			}
			normalise(o, sum)
			counts[i] = cnt
		}
	}
}

// prefillBlock is the query block of the Dgemm path: 64 rows × up to n
// scores is 8 MiB at n = 2^14, so the scores are still in L3 when the
// weighting pass reads them (measured a little faster than 256 rows, and on
// par with attention.Dense's 128×512 tiles).
const prefillBlock = 64

// denseGemm: scores of a block of queries by one Dgemm against the keys the
// block can see (causal: keys < the block's end, so blocks above the diagonal
// are never computed), then the sparse weighted sum of the block's rows split
// over GOMAXPROCS goroutines. gonum's Dgemm itself uses every core.
func denseGemm(p *reluProblem) func(out []float64, counts []int) {
	bs := min(prefillBlock, p.m)
	s := make([]float64, bs*p.n)
	scale := 1 / math.Sqrt(float64(p.d))
	w := max(1, runtime.GOMAXPROCS(0))
	return func(out []float64, counts []int) {
		for i0 := 0; i0 < p.m; i0 += bs {
			i1 := min(i0+bs, p.m)
			nk := p.n
			if p.causal {
				nk = min(i1, p.n)
			}
			blasImpl.Dgemm(blas.NoTrans, blas.Trans, i1-i0, nk, p.d, scale, p.q[i0*p.d:i1*p.d], p.d, p.k[:nk*p.d], p.d, 0, s, nk)
			var wg sync.WaitGroup
			for g := 0; g < w; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					// interleaved rows balance the causal triangle.
					for i := i0 + g; i < i1; i += w {
						lim := nk
						if p.causal {
							lim = min(i+1, nk)
						}
						o := out[i*p.dv : (i+1)*p.dv]
						clear(o)
						sum, cnt := weightRow(p, s[(i-i0)*nk:(i-i0)*nk+lim], 0, o)
						normalise(o, sum)
						counts[i] = cnt
					}
				}()
			}
			wg.Wait()
		}
	}
}

// maxRelDiff compares outputs row by row: max over entries of
// |got − want| / ‖want row‖∞ (an all-zero reference row counts absolute
// differences), so that entries near zero in a row of ordinary size do not
// inflate the figure.
func maxRelDiff(got, want []float64, dv int) float64 {
	worst := 0.0
	for r := 0; r+dv <= len(want); r += dv {
		norm := 0.0
		for _, x := range want[r : r+dv] {
			norm = max(norm, math.Abs(x))
		}
		if norm == 0 {
			norm = 1
		}
		for t := r; t < r+dv; t++ {
			d := math.Abs(got[t]-want[t]) / norm
			if d > worst || math.IsNaN(d) {
				worst = d
				if math.IsNaN(d) {
					return math.Inf(1)
				}
			}
		}
	}
	return worst
}

const attnTol = 1e-12

// runAttn times the implementations side by side on one problem and checks
// every run's output and counts against a reference computed outside timing
// by ref. The baseline of each row is the fastest of the dense contenders.
//
// units is what one call counts as in the per-unit times: m for decoding
// (ms per decode), 1 for prefilling (ms per prefill). clock times the runs.
func runAttn(c config, out *reporter, section string, units int, p *reluProblem, ref attnImpl, dense, ours []attnImpl, clock timer) {
	wantOut := make([]float64, p.m*p.dv)
	wantCnt := make([]int, p.m)
	ref.prepare(p)(wantOut, wantCnt)
	all := append(append([]attnImpl(nil), dense...), ours...)
	type res struct {
		out     []float64
		cnt     []int
		rel     float64
		bad     int
		buildMs float64
	}
	rs := make([]res, len(all))
	fns := make([]func() int, len(all))
	for i, im := range all {
		runtime.GC()
		t0 := time.Now()
		f := im.prepare(p)
		rs[i] = res{out: make([]float64, p.m*p.dv), cnt: make([]int, p.m), buildMs: float64(time.Since(t0).Nanoseconds()) / 1e6}
		fns[i] = func() int {
			f(rs[i].out, rs[i].cnt)
			rel := maxRelDiff(rs[i].out, wantOut, p.dv)
			rs[i].rel = max(rs[i].rel, rel)
			cntBad := -1
			for r := range wantCnt {
				if rs[i].cnt[r] != wantCnt[r] {
					cntBad = r
					break
				}
			}
			if rel > attnTol || cntBad >= 0 {
				if rs[i].bad == 0 {
					msg := fmt.Sprintf("%s n=%d d=%d: %s output max relative difference %.3g (tolerance %g)", section, p.n, p.d, im.name, rel, attnTol)
					if cntBad >= 0 {
						msg += fmt.Sprintf("; row %d uses %d keys, reference %d", cntBad, rs[i].cnt[cntBad], wantCnt[cntBad])
					}
					out.mismatch(msg)
				}
				rs[i].bad++
			}
			return units
		}
	}
	tm := alternateChecked(c.reps, c.minRun, 0, fns, nil, clock)
	best := 0
	for i := range dense {
		if tm[i].Med < tm[best].Med {
			best = i
		}
	}
	var rep float64
	for _, x := range wantCnt {
		rep += float64(x)
	}
	for i, im := range all {
		if i == best {
			continue
		}
		info := fmt.Sprintf("max rel diff %.2g", rs[i].rel)
		if i >= len(dense) {
			info += fmt.Sprintf(", prepare %.0fms", rs[i].buildMs)
		}
		out.add(row{Case: section, D: p.d, N: p.n, Data: "gaussian", Contender: im.name, Baseline: all[best].name,
			BaselineMs: tm[best].Med, BaseMin: tm[best].Min, BaseMax: tm[best].Max,
			Ms: tm[i].Med, Min: tm[i].Min, Max: tm[i].Max, OK: rs[i].bad == 0 && rs[best].bad == 0,
			Reps: c.reps, Units: units, Reported: rep / float64(p.m), MaxRelDiff: rs[i].rel,
			BuildMs: rs[i].buildMs, Frac: rep / float64(p.m) / float64(p.n), Info: info})
	}
	if len(ours) == 0 {
		out.comment(section + ": the attention package has no HSR path yet: only the dense paths were compared")
	}
}

func runDecode(c config, out *reporter, log io.Writer) {
	n, d := c.decodeN, c.attnD
	p := &reluProblem{m: c.decodeM, n: n, d: d, dv: d, b: paperThreshold(n, 1), alpha: c.alpha}
	p.q, p.k, p.v = genQKV(p.m, n, d, c.seed+2)
	out.header("decode", fmt.Sprintf("ReLU^%d decoding, %d single-query decodes per batch, n=%d, d=%d, b=sqrt(0.4 ln n)=%.4f, GOMAXPROCS=%d; ms per decode",
		p.alpha, p.m, n, d, p.b, runtime.GOMAXPROCS(0)))
	dense := []attnImpl{{"dense-dot", denseDot}, {"dense-dot-par", denseDotPar}, {"dense-gemv", denseGemv}, {"dense-gemvT-par", denseGemvTPar}}
	runAttn(c, out, "decode", p.m, p, attnImpl{"ref", denseDot}, dense, decodeContenders(), wallTimer)
	// The same at one thread each: the engine splits a decode over
	// GOMAXPROCS goroutines, as the -par dense paths do, so both settings
	// are compared like with like. With one thread running Go code at a
	// time, a run is timed by the process's CPU time (unless -wall): its
	// time on that thread, without the time the core was given to other
	// processes (see soloTimer).
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	clock1, name1 := timer(processTimer), processClockName
	if c.wall {
		clock1, name1 = wallTimer, "wall time"
	}
	out.header("decode-1t", "the same with GOMAXPROCS=1 (every contender on one thread), timed by "+name1+"; ms per decode")
	dense1 := []attnImpl{{"dense-dot", denseDot}, {"dense-gemv", denseGemv}, {"dense-gemvT-par", denseGemvTPar}}
	runAttn(c, out, "decode-1t", p.m, p, attnImpl{"ref", denseDot}, dense1, decodeContenders(), clock1)
}

func runPrefill(c config, out *reporter, log io.Writer) {
	n, d := c.prefillN, c.attnD
	p := &reluProblem{m: n, n: n, d: d, dv: d, b: paperThreshold(n, 1), alpha: c.alpha, causal: true}
	p.q, p.k, p.v = genQKV(n, n, d, c.seed+3)
	out.header("prefill", fmt.Sprintf("causal ReLU^%d prefilling, m=n=%d, d=%d, b=sqrt(0.4 ln n)=%.4f, GOMAXPROCS=%d; ms per prefill",
		p.alpha, n, d, p.b, runtime.GOMAXPROCS(0)))
	// Two Dgemm paths; the baseline is whichever is faster. (Per-query dot
	// loops, the reference here, are 1.5–2× slower than Dgemm: not timed.)
	dense := []attnImpl{{"dense-gemm", denseGemm}, {"dense-attn", attnDense}}
	runAttn(c, out, "prefill", 1, p, attnImpl{"ref", denseDotPar}, dense, prefillContenders(), wallTimer)
}
