package attention

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/hsrviz/hsrviz/hsr"
)

// Row is the result of one attention row.
type Row struct {
	// Keys are the keys used by the row, ascending: for ReLU^α the keys with
	// a non-zero weight, for softmax the kept set S_i. Nil when the batch ran
	// with Params.CountsOnly, and for a dense softmax row (it uses every
	// visible key 0..Count−1).
	Keys []int
	// Weights are aligned with Keys and unnormalised: a_ij for ReLU^α,
	// exp(s_ij − max_{S_i} s) for softmax.
	Weights []float64
	// Count is the number of keys used (len(Keys) when Keys is filled).
	Count int
	// Visible is the number of keys the row may see: n, or i+1 when causal.
	Visible int
	// Threshold is the threshold used, in score units: b for ReLU^α, τ_i for
	// softmax (the TopR-th largest score with top-r), −Inf for dense softmax.
	Threshold float64
	// Empty marks a row with no weight (ReLU^α all zero, or softmax S_i
	// empty): its output is 0.
	Empty bool
	// ErrorBound is the certified ‖o_i − ô_i‖_∞ of a thresholded softmax
	// row, 2‖V‖_∞·T/(Z_S+T) with T = (Visible − |S_i|)·exp(τ_i) (see doc.go);
	// 0 for a dense softmax row; NaN for ReLU^α (exact).
	ErrorBound float64
	// Stats is the work of the row: the index query (or the batched
	// filter), plus one dot product per candidate re-scored exactly.
	Stats hsr.Stats
}

// store holds keys and values row-major and the index over the keys. It is
// shared by Engine (built over fixed K, V) and Cache (growing).
type store struct {
	d, dv int
	n     int
	keys  []float64 // n×d, stride d
	vals  []float64 // n×dv, stride dv
	vInf  float64   // max |v_jt|: ‖V‖_∞ of the certified softmax bound
	kNorm float64   // max ‖k_j‖: scales the safety margin of each query
	kCol  []float64 // max_j |k_jt| per column t: the cheap overflow check of a query's scores
	ix    hsr.Index
	sk    *sketch  // int8 copy of the keys for the filter (nil: the index answers)
	auto  *chooser // automatic index: tree or sketch per query (nil: fixed)
}

// newStore returns an empty store over the given index, with the sketch
// where the index is a scan or the automatic one.
func newStore(d, dv int, kind IndexKind, ix hsr.Index) store {
	s := store{d: d, dv: dv, ix: ix, kCol: make([]float64, d)}
	if useSketch && kind != IndexTree && d >= sketchMinDim {
		s.sk = newSketch(d)
		if kind == IndexAuto {
			s.auto = new(chooser)
		}
	}
	return s
}

func (s *store) key(j int) []float64 { return s.keys[j*s.d : (j+1)*s.d] }
func (s *store) val(j int) []float64 { return s.vals[j*s.dv : (j+1)*s.dv] }

// work is the per-goroutine scratch of a row computation.
type work struct {
	ids   []int
	dots  []float64
	sel   []float64
	block blockWork
	q     qsketch     // the query quantised for the sketch
	seg   []segResult // per segment of a parallel sketch filter
	bits  []uint64    // sortIDs' bitmap of the ids
}

// sortIDs sorts ids, distinct and in [0, n), ascending: through a bitmap
// of n bits when that is cheaper than comparison sorting (many ids: a tree
// reporting 10% of n = 2^20 keys sorted them in 8 ms of a 20 ms row, the
// bitmap takes well under 1 ms), else slices.Sort. The order is the same
// either way (distinct ids have one ascending order); a repeated id, which
// no index reports, falls back to slices.Sort.
func sortIDs(ids []int, n int, w *work) {
	words := (n + 63) / 64
	if len(ids) < 64 || len(ids)*bits.Len(uint(len(ids))) < 2*words {
		slices.Sort(ids)
		return
	}
	if cap(w.bits) < words {
		w.bits = make([]uint64, words)
	}
	bm := w.bits[:words]
	for x, id := range ids {
		m := uint64(1) << (uint(id) % 64)
		if uint(id) >= uint(n) || bm[id/64]&m != 0 {
			for _, j := range ids[:x] {
				bm[j/64] = 0
			}
			slices.Sort(ids)
			return
		}
		bm[id/64] |= m
	}
	k := 0
	for i, word := range bm {
		for word != 0 {
			ids[k] = i*64 + bits.TrailingZeros64(word)
			k++
			word &= word - 1
		}
		bm[i] = 0
	}
}

// blockWork is the scratch of one row block of Prefill's filter.
type blockWork struct {
	s32   []float32
	s64   []float64
	ids   [][]int     // candidates of each row of the block (ReLU: kept keys)
	dots  [][]float64 // their exact dot products (ReLU: their weights)
	sums  []float64   // ReLU: Σ weights of each row
	cands []int       // candidates re-scored per row
	part  []float64   // ReLU: rows×dv sums of the current segment (see finish)
	psums []float64   // ReLU: Σ weights of the current segment
	pk    []int       // ReLU: keys of the current segment
}

// margin is how far below the exact offset c the index is queried so that
// no key whose re-scored weight is positive can be missed: it covers the
// rounding of fl(dot/scale) against fl(scale·b) (a few ulps of c) and any
// difference between the index's own dot product and hsr.Dot (at most
// d·u·‖q‖·‖k‖ for any summation order; 1e-10 covers d up to ~10^5).
// Keys inside the margin are re-scored and dropped, so the margin costs a
// few extra dot products, never exactness.
func margin(c, qNorm, kNorm float64) float64 {
	return 1e-10*qNorm*kNorm + 16*eps*math.Abs(c) + math.SmallestNonzeroFloat64
}

const eps = 0x1p-52

func norm2(x []float64) float64 { return math.Sqrt(hsr.Dot(x, x)) }

// powi is x^a for integer a ≥ 1 by repeated squaring; both the dense and
// the HSR paths use it so that equal scores give bit-equal weights.
func powi(x float64, a int) float64 {
	r := 1.0
	for a > 0 {
		if a&1 == 1 {
			r *= x
		}
		x *= x
		a >>= 1
	}
	return r
}

// reluWeight is a_ij from the exact dot product.
func reluWeight(dot, scale, b float64, alpha int, scaled bool) float64 {
	s := dot
	if scaled {
		s = dot / scale
	}
	x := s - b
	if x > 0 {
		return powi(x, alpha)
	}
	return 0
}

func score(dot, scale float64, scaled bool) float64 {
	if scaled {
		return dot / scale
	}
	return dot
}

var errOverflow = errors.New("attention: weights or outputs overflow float64 (lower alpha or rescale the inputs)")

// finite reports whether every entry of x is finite.
func finite(x []float64) bool {
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// query collects the ids among the first lim keys with <q, k> > c into
// w.ids (ascending) and their exact dots into w.dots.
func (s *store) query(q []float64, c float64, lim int, w *work) hsr.Stats {
	st := s.queryIDs(q, c, lim, w)
	w.dots = w.dots[:0]
	s.appendDots(q, w, len(w.ids))
	st.DotProducts += len(w.ids)
	return st
}

// queryIDs is query without the dots: the ids only, ascending.
func (s *store) queryIDs(q []float64, c float64, lim int, w *work) hsr.Stats {
	w.ids = w.ids[:0]
	var st hsr.Stats
	if lim <= 0 {
		return st
	}
	asc := reportsAscending(s.ix)
	st = s.ix.Query(q, c, func(id int) bool {
		if id >= lim {
			return !asc // ascending: nothing visible follows
		}
		w.ids = append(w.ids, id)
		return true
	})
	if !asc && !slices.IsSorted(w.ids) {
		sortIDs(w.ids, lim, w)
	}
	return st
}

// appendDots appends to w.dots the exact dots of q with the keys
// w.ids[len(w.dots):to].
func (s *store) appendDots(q []float64, w *work, to int) {
	for _, j := range w.ids[len(w.dots):to] {
		w.dots = append(w.dots, dot(q, s.key(j)))
	}
}

// row computes one attention row of q over the first lim keys into out,
// using up to par goroutines for the query. keep says whether
// Row.Keys/Weights are returned (they alias w otherwise and are cleared).
//
// The half-space query goes to the sketch (scan and automatic index, when
// the chooser says so) or to the index; top-r softmax has its own search.
func (s *store) row(q []float64, lim int, p Params, out []float64, w *work, keep bool, par int) (Row, error) {
	scale := p.scale(s.d)
	qn := norm2(q)
	var st hsr.Stats
	if p.Kind == ReLU || p.TopR == 0 {
		c := scale * p.B
		if p.Kind == Softmax {
			c = scale * p.Tau
		}
		c -= margin(c, qn, s.kNorm)
		if s.sk != nil && lim > 0 && (s.auto == nil || s.auto.sketch()) {
			var relu *Params
			if p.Kind == ReLU {
				relu = &p
			}
			if st, nseg, ok := s.filter(q, c, lim, par, w, relu); ok {
				if relu != nil {
					r, err := s.sumSegments(w.seg[:nseg], lim, p, out, keep)
					r.Stats = st
					return r, err
				}
				w.ids, w.dots = w.ids[:0], w.dots[:0]
				for _, g := range w.seg[:nseg] {
					w.ids = append(w.ids, g.ids...)
					w.dots = append(w.dots, g.dots...)
				}
				r, err := s.finish(w.ids, w.dots, lim, p, out, keep, w)
				r.Stats = st
				return r, err
			}
		}
		st = s.query(q, c, lim, w)
		if s.auto != nil && s.sk != nil {
			s.auto.observe(st, lim, len(w.ids), s.d)
		}
	} else {
		st = s.topR(q, lim, p.TopR, qn, w)
	}
	r, err := s.finish(w.ids, w.dots, lim, p, out, keep, w)
	r.Stats = st
	return r, err
}

// sumSegments completes a ReLU^α row from the sketch's segments, weighed
// and summed by filterRange: the segment sums added in order, exactly as
// finish does (bit-equal rows).
func (s *store) sumSegments(segs []segResult, lim int, p Params, out []float64, keep bool) (Row, error) {
	out = out[:s.dv]
	clear(out)
	var sum float64
	k := 0
	for _, g := range segs {
		if len(g.ids) == 0 {
			continue
		}
		for t, v := range g.part {
			out[t] += v
		}
		sum += g.sum
		k += len(g.ids)
	}
	r := Row{Visible: lim}
	if err := completeReLU(&r, out, sum, k, lim, p); err != nil {
		return r, err
	}
	if !finite(out) {
		return r, errOverflow
	}
	if keep {
		r.Keys, r.Weights = make([]int, 0, k), make([]float64, 0, k)
		for _, g := range segs {
			r.Keys = append(r.Keys, g.ids...)
			r.Weights = append(r.Weights, g.dots...)
		}
	}
	return r, nil
}

// topR fills w.ids/w.dots with candidates containing the TopR largest
// scores among the first lim keys.
func (s *store) topR(q []float64, lim, r int, qn float64, w *work) hsr.Stats {
	if t, ok := indexTopR(s.ix); ok && lim == s.n && r < lim {
		// The index finds the r-th largest dot without a full pass where it
		// can; query just below it and let finish select exactly.
		tau, st := t.TopR(q, r)
		st2 := s.query(q, tau-margin(tau, qn, s.kNorm), lim, w)
		st.Add(st2)
		return st
	}
	// Scan fallback: every visible dot, then finish selects in O(lim).
	w.ids, w.dots = w.ids[:0], w.dots[:0]
	for j := 0; j < lim; j++ {
		w.ids = append(w.ids, j)
		w.dots = append(w.dots, dot(q, s.key(j)))
	}
	return hsr.Stats{NodesVisited: 1, LeavesScanned: 1, DotProducts: lim, Reported: lim}
}

// finish turns candidate keys (ascending ids with their exact dots) into
// the row's weights and output. Every path (per-row index query, batched
// filter, sketch) ends here or sums in the same order, so equal candidate
// sets give bit-equal rows.
//
// ReLU^α sums in segments of sketchSegment keys: within a segment,
// ascending keys from zero (Σ a_j v_j and Σ a_j), then the segment sums
// added in order. That is the order the sketch's parallel filter can
// produce (one goroutine per segment) and Prefill reproduces; a row over
// fewer than sketchSegment keys is the plain ascending sum.
func (s *store) finish(ids []int, dots []float64, lim int, p Params, out []float64, keep bool, w *work) (Row, error) {
	dv := s.dv
	out = out[:dv]
	clear(out)
	scale := p.scale(s.d)
	scaled := !p.Unscaled
	r := Row{Visible: lim}
	k := 0
	switch {
	case p.Kind == ReLU:
		r.Threshold = p.B
		r.ErrorBound = math.NaN()
		var rs reluSums
		rs.start(dv, w)
		rs.add(s, ids, dots, 0, len(ids), p, out)
		k = rs.k
		if err := rs.complete(&r, out, lim, p); err != nil {
			return r, err
		}
	default:
		// Softmax over the kept set S_i.
		var tau float64
		if p.TopR == 0 {
			tau = p.Tau
			for x, j := range ids {
				sc := score(dots[x], scale, scaled)
				if sc >= tau {
					ids[k], dots[k] = j, sc
					k++
				}
			}
		} else {
			for x := range ids {
				dots[x] = score(dots[x], scale, scaled)
			}
			k = len(ids)
			if p.TopR < k {
				tau = kthLargest(dots[:k], p.TopR)
				k = 0
				for x, j := range ids {
					if dots[x] >= tau {
						ids[k], dots[k] = j, dots[x]
						k++
					}
				}
			} else if k > 0 {
				tau = slices.Min(dots[:k])
			} else {
				tau = math.Inf(1)
			}
		}
		r.Threshold = tau
		r.Count = k
		dropped := float64(lim - k)
		if k == 0 {
			r.Empty = true
			if lim > 0 {
				r.ErrorBound = 2 * s.vInf // T/(0+T) = 1: ô = 0
			}
			break
		}
		m := slices.Max(dots[:k])
		var z float64
		for x := 0; x < k; x++ {
			e := math.Exp(dots[x] - m)
			dots[x] = e
			z += e
			axpy(e, s.val(ids[x]), out)
		}
		for t := range out {
			out[t] /= z
		}
		// T = dropped·exp(τ − m) ≤ dropped since τ ≤ m: no overflow.
		tail := dropped * math.Exp(tau-m)
		if tail > 0 {
			r.ErrorBound = 2 * s.vInf * (tail / (z + tail))
		}
	}
	if !finite(out) {
		return r, errOverflow
	}
	if keep {
		r.Keys = slices.Clone(ids[:k])
		r.Weights = slices.Clone(dots[:k])
	}
	return r, nil
}

// reluSums is finish's ReLU^α pass, resumable at any candidate: in
// segments of sketchSegment keys, within a segment ascending keys from
// zero (Σ a_j v_j into part, Σ a_j into psum), then the segment sums added
// in order into out and sum. The kept keys and weights are moved to the
// front of ids and dots (k of them).
type reluSums struct {
	sum, psum float64
	part      []float64
	seg, k    int
}

func (rs *reluSums) start(dv int, w *work) {
	if cap(w.sel) < dv {
		w.sel = make([]float64, dv)
	}
	*rs = reluSums{part: w.sel[:dv], seg: -1}
}

// add takes the candidates ids[from:to] (from = the previous call's to).
func (rs *reluSums) add(s *store, ids []int, dots []float64, from, to int, p Params, out []float64) {
	dv := s.dv
	scale := p.scale(s.d)
	scaled := !p.Unscaled
	part := rs.part
	for x := from; x < to; x++ {
		j := ids[x]
		if x+4 < len(ids) {
			prefetch(&s.vals[ids[x+4]*dv], dv)
		}
		a := reluWeight(dots[x], scale, p.B, p.Alpha, scaled)
		if a == 0 {
			continue // inside the safety margin, or rounds to the boundary
		}
		if g := j / sketchSegment; g != rs.seg {
			rs.flush(out)
			rs.seg = g
			clear(part)
			rs.psum = 0
		}
		ids[rs.k], dots[rs.k] = j, a
		rs.k++
		rs.psum += a
		axpy(a, s.val(j), part)
	}
}

func (rs *reluSums) flush(out []float64) {
	if rs.seg >= 0 {
		for t, v := range rs.part {
			out[t] += v
		}
		rs.sum += rs.psum
	}
}

// complete adds the last segment and normalises the row (completeReLU).
func (rs *reluSums) complete(r *Row, out []float64, lim int, p Params) error {
	rs.flush(out)
	rs.seg = -1
	return completeReLU(r, out, rs.sum, rs.k, lim, p)
}

// completeReLU normalises a ReLU^α row whose k weights (sum) have been
// accumulated into out, in ascending key order, by finish or by Prefill's
// tile loop: the same operations in the same order give bit-equal rows.
func completeReLU(r *Row, out []float64, sum float64, k, lim int, p Params) error {
	r.Threshold = p.B
	r.ErrorBound = math.NaN()
	if math.IsInf(sum, 0) {
		return errOverflow
	}
	r.Count = k
	r.Empty = k == 0
	switch {
	case k == 0:
	case p.Norm == NormRow:
		for t := range out {
			out[t] /= sum
		}
	case p.Norm == NormLength:
		fl := float64(lim)
		for t := range out {
			out[t] /= fl
		}
	}
	return nil
}

// kthLargest returns the k-th largest of x (1-based), reordering a copy
// in O(len(x)) expected time (quickselect, median-of-three pivots).
func kthLargest(x []float64, k int) float64 {
	a := slices.Clone(x)
	lo, hi := 0, len(a)-1
	want := k - 1 // index in descending order
	for lo < hi {
		mid := lo + (hi-lo)/2
		// median of three, descending
		if a[mid] > a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] > a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[mid] < a[hi] {
			a[mid], a[hi] = a[hi], a[mid]
		}
		pivot := a[mid] // a[lo] ≥ a[mid] ≥ a[hi]: the median of three
		// three-way partition, descending: [> pivot][== pivot][< pivot]
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch {
			case a[i] > pivot:
				a[lt], a[i] = a[i], a[lt]
				lt++
				i++
			case a[i] < pivot:
				a[i], a[gt] = a[gt], a[i]
				gt--
			default:
				i++
			}
		}
		switch {
		case want < lt:
			hi = lt - 1
		case want > gt:
			lo = gt + 1
		default:
			return pivot
		}
	}
	return a[want]
}

func axpyGo(a float64, x, y []float64) {
	y = y[:len(x)]
	for t, v := range x {
		y[t] += a * v
	}
}

// checkFinite returns an error naming the first non-finite entry.
func checkFinite(name string, x []float64, cols int) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("attention: %s has a non-finite value %v at row %d, column %d", name, v, i/cols, i%cols)
		}
	}
	return nil
}
