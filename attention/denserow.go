package attention

import (
	"math"
	"sync"

	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/internal/hugepage"
	"gonum.org/v1/gonum/blas"
)

// DenseRow is the dense reference for one row on the engine's K and V:
// every visible score by gonum's Dgemv, then the weights times V. Cost
// O(n·(d+dv)), reading all of K; it is the decoding baseline the HSR Row
// is measured against, and lets a caller compare a few rows at a time.
// Rows are as in Dense (softmax: nothing dropped, Keys nil).
//
// It is made as fast as gonum allows, because a slow baseline fakes a
// speed-up: the first call builds transposed copies Kᵀ (d×n) and Vᵀ
// (dv×n), doubling the engine's memory (Dgemv streams that layout ~3×
// faster than the row-major n×64 one); scores go by Dgemv(Trans) over
// blocks of 16384 keys, whose scores stay in L2; the key range is split
// over GOMAXPROCS goroutines, as Row splits its filter; a ReLU^α row sums
// only the values of its non-zero weights (ascending within each range,
// the ranges' sums added in order), a softmax row takes Dgemv over Vᵀ.
func (e *Engine) DenseRow(q []float64, i int, p Params, out []float64) (Row, error) {
	if err := e.checkRow(q, i, p, out); err != nil {
		return Row{}, err
	}
	w := e.pool.Get().(*work)
	defer e.pool.Put(w)
	s := &e.s
	lim := e.visible(i, p)
	if cap(w.sel) < lim {
		w.sel = make([]float64, lim)
	}
	a := w.sel[:lim]
	e.once.Do(e.transpose)
	impl := blas64Impl()
	scale := p.scale(s.d)
	scaled := !p.Unscaled
	dv := s.dv
	nw := min(maxWorkers(), max(1, lim/denseRowBlock))
	for len(w.seg) < nw {
		w.seg = append(w.seg, segResult{})
	}
	parts := w.seg[:nw]
	relu := p.Kind == ReLU
	// Pass 1 (parallel over key ranges): scores; ReLU: weights, kept keys
	// and the range's Σ a v; softmax: the range's max score.
	parallelRanges(lim, nw, func(g, lo, hi int) {
		r := &parts[g]
		for b := lo; b < hi; b += denseRowBlock {
			e2 := min(hi, b+denseRowBlock)
			impl.Dgemv(blas.Trans, s.d, e2-b, 1, e.kT[b:], s.n, q, 1, 0, a[b:e2], 1)
		}
		if cap(r.part) < dv {
			r.part = make([]float64, dv)
		}
		r.part = r.part[:dv]
		clear(r.part)
		r.ids, r.dots, r.sum = r.ids[:0], r.dots[:0], 0
		if !relu {
			mx := math.Inf(-1)
			for j := lo; j < hi; j++ {
				a[j] = score(a[j], scale, scaled)
				mx = math.Max(mx, a[j])
			}
			r.sum = mx
			return
		}
		for j := lo; j < hi; j++ {
			x := reluWeight(a[j], scale, p.B, p.Alpha, scaled)
			if x != 0 {
				r.sum += x
				r.ids = append(r.ids, j)
				r.dots = append(r.dots, x)
				axpy(x, s.vals[j*dv:(j+1)*dv], r.part)
			}
		}
	})
	o := out[:dv]
	clear(o)
	r := Row{Visible: lim, Stats: rowScanStats(lim)}
	var sum float64
	if relu {
		r.Threshold, r.ErrorBound = p.B, math.NaN()
		for _, g := range parts {
			sum += g.sum
			for t, v := range g.part {
				o[t] += v
			}
			r.Keys = append(r.Keys, g.ids...)
			r.Weights = append(r.Weights, g.dots...)
		}
		r.Count = len(r.Keys)
	} else {
		r.Threshold, r.Count = math.Inf(-1), lim
		mx := math.Inf(-1)
		for _, g := range parts {
			mx = math.Max(mx, g.sum)
		}
		// Pass 2: weights exp(s − max), their sums and Vᵀ·weights per range.
		parallelRanges(lim, nw, func(g, lo, hi int) {
			r := &parts[g]
			var z float64
			for j := lo; j < hi; j++ {
				a[j] = math.Exp(a[j] - mx)
				z += a[j]
			}
			r.sum = z
			impl.Dgemv(blas.NoTrans, dv, hi-lo, 1, e.vT[lo:], s.n, a[lo:hi], 1, 0, r.part, 1)
		})
		for _, g := range parts {
			sum += g.sum
			for t, v := range g.part {
				o[t] += v
			}
		}
	}
	if math.IsInf(sum, 0) {
		return Row{}, errOverflow
	}
	r.Empty = relu && r.Count == 0
	r.Stats.Reported = r.Count
	switch {
	case r.Empty:
		clear(o)
	case !relu || p.Norm == NormRow:
		for t := range o {
			o[t] /= sum
		}
	case p.Norm == NormLength:
		for t := range o {
			o[t] /= float64(lim)
		}
	}
	if !finite(o) {
		return Row{}, errOverflow
	}
	return r, nil
}

// denseRowBlock is DenseRow's key block: Dgemv(Trans) adds Kᵀ's d rows
// into the block's scores (128 KiB, in L2). Measured at n = 2^20, d = 64,
// one thread: 24–25 ms with blocks of 8192 to 32768 keys, 27–28 ms with
// 1024–4096, 27 ms for the AVX2 dot-per-key loop, ~75 ms for Dgemv over
// the row-major keys.
const denseRowBlock = 16384

// parallelRanges calls f(g, lo, hi) for w contiguous ranges g = 0..w−1
// splitting [0, n), each on its own goroutine (the first on the caller's).
func parallelRanges(n, w int, f func(g, lo, hi int)) {
	var wg sync.WaitGroup
	for g := 1; g < w; g++ {
		wg.Add(1)
		go func() { defer wg.Done(); f(g, g*n/w, (g+1)*n/w) }()
	}
	f(0, 0, n/w)
	wg.Wait()
}

func rowScanStats(n int) (st hsr.Stats) {
	st.NodesVisited, st.LeavesScanned, st.DotProducts = 1, 1, n
	return st
}

// transpose builds the engine's Kᵀ and Vᵀ (once).
func (e *Engine) transpose() {
	s := &e.s
	e.kT = make([]float64, s.d*s.n)
	e.vT = make([]float64, s.dv*s.n)
	// The HSR path's K and V have huge pages (NewEngineWith): so does the
	// dense path's stream, for a like-with-like comparison (2% there).
	hugepage.Hint(e.kT)
	hugepage.Hint(e.vT)
	for j := 0; j < s.n; j++ {
		for t, v := range s.key(j) {
			e.kT[t*s.n+j] = v
		}
		for t, v := range s.val(j) {
			e.vT[t*s.n+j] = v
		}
	}
}
