package attention

import (
	"github.com/hsrviz/hsrviz/hsr"
	"math"

	"gonum.org/v1/gonum/blas"
)

// DenseRow is the dense reference for one row on the engine's K and V:
// every visible score by one Dgemv over the keys, then the weights times V
// by a second Dgemv. Cost O(n·(d+dv)), reading all of K and V; it is the
// decoding baseline the HSR Row is measured against, and lets a caller
// compare a few rows at a time. Rows are as in Dense (softmax: nothing
// dropped, Keys nil).
//
// The first call builds transposed copies Kᵀ (d×n) and Vᵀ (dv×n), doubling
// the engine's memory: gonum's Dgemv streams those wide layouts ~3× faster
// than the row-major n×64 ones (measured 24 ms vs 75–83 ms per product at
// n = 2^20, d = 64), and the baseline must be the fastest dense path.
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
	impl.Dgemv(blas.Trans, s.d, lim, 1, e.kT, s.n, q, 1, 0, a, 1)
	scale := p.scale(s.d)
	scaled := !p.Unscaled
	r := Row{Visible: lim, Stats: rowScanStats(lim)}
	var sum float64
	if p.Kind == ReLU {
		r.Threshold, r.ErrorBound = p.B, math.NaN()
		for j, v := range a {
			x := reluWeight(v, scale, p.B, p.Alpha, scaled)
			a[j] = x
			if x != 0 {
				sum += x
				r.Keys = append(r.Keys, j)
				r.Weights = append(r.Weights, x)
			}
		}
		r.Count = len(r.Keys)
	} else {
		r.Threshold, r.Count = math.Inf(-1), lim
		mx := math.Inf(-1)
		for j, v := range a {
			a[j] = score(v, scale, scaled)
			mx = math.Max(mx, a[j])
		}
		for j := range a {
			a[j] = math.Exp(a[j] - mx)
			sum += a[j]
		}
	}
	if math.IsInf(sum, 0) {
		return Row{}, errOverflow
	}
	o := out[:s.dv]
	impl.Dgemv(blas.NoTrans, s.dv, lim, 1, e.vT, s.n, a, 1, 0, o, 1)
	r.Empty = p.Kind == ReLU && r.Count == 0
	r.Stats.Reported = r.Count
	switch {
	case r.Empty:
		clear(o)
	case p.Kind == Softmax || p.Norm == NormRow:
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

func rowScanStats(n int) (st hsr.Stats) {
	st.NodesVisited, st.LeavesScanned, st.DotProducts = 1, 1, n
	return st
}

// transpose builds the engine's Kᵀ and Vᵀ (once).
func (e *Engine) transpose() {
	s := &e.s
	e.kT = make([]float64, s.d*s.n)
	e.vT = make([]float64, s.dv*s.n)
	for j := 0; j < s.n; j++ {
		for t, v := range s.key(j) {
			e.kT[t*s.n+j] = v
		}
		for t, v := range s.val(j) {
			e.vT[t*s.n+j] = v
		}
	}
}
