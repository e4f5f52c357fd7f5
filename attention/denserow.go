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
	impl := blas64Impl()
	impl.Dgemv(blas.NoTrans, lim, s.d, 1, s.keys, s.d, q, 1, 0, a, 1)
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
	impl.Dgemv(blas.Trans, lim, s.dv, 1, s.vals, s.dv, a, 1, 0, o, 1)
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
