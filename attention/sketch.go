package attention

import (
	"math"
	"math/bits"
	"sync"
	"sync/atomic"

	"github.com/hsrviz/hsrviz/hsr"
)

// The sketch: a certified int8 copy of the keys that answers a half-space
// query by one pass over 1 byte per coordinate instead of 8, followed by an
// exact float64 re-check of the few candidates (the "vector approximation
// file" idea of high-dimensional search: where no tree can prune, scan a
// compressed approximation with a certified error bound and refine).
//
// Key j is stored as a per-key scale s_j (float32) and integer codes
// k̃_j ∈ [−127, 127]^d with k_j ≈ s_j·k̃_j, plus, per chunk of 512 keys,
// upper bounds on ‖k_j‖ and on the quantisation error e_j = ‖k_j − s_j·k̃_j‖.
// A query q is quantised to int16 codes q̃ with scale σ: q ≈ σ·q̃, error
// e_q = ‖q − σ·q̃‖. Then D_j = Σ_t q̃_t·k̃_jt is an exact integer (int32) and
//
//	|<q, k_j> − σ·s_j·D_j| ≤ e_q·‖s_j·k̃_j‖ + ‖q‖·e_j
//	                        ≤ e_q·(‖k‖max + e max) + ‖q‖·e max      (Cauchy–Schwarz)
//
// The kernel computes g_j = fl32(fl32(D_j)·s_j), within 3·2⁻²⁴·|s_j·D_j| +
// 2⁻¹⁴⁹ of s_j·D_j, and |s_j·D_j| ≤ ‖q̃‖·(‖k‖max + e max). Subtracting both
// bounds (and a relative 1e-12 for the float64 arithmetic of the threshold)
// gives a float32 threshold T per chunk such that every key with exact
// <q, k_j> > c has g_j > T: no key is missed, and every candidate is
// re-scored exactly in float64 (the same dot product as every other path)
// before it gets a weight. A chunk whose numbers leave the safe float32
// range (huge or tiny keys or queries) makes all its keys candidates.
//
// At d = 64 with Gaussian keys e_j ≈ 0.008·‖k_j‖, so at the paper's
// threshold ~20% more keys than the reported ones are re-scored.

const (
	sketchPanel = 8   // keys per panel of the packed codes
	sketchChunk = 512 // keys per chunk (norm bounds and threshold)
	// sketchSegment is the keys one goroutine filters at a time when a row
	// is split over several (64 chunks: 32768 keys).
	sketchSegment = 64 * sketchChunk
)

// useSketch says whether engines and caches over the scan or the automatic
// index build a sketch: where the AVX2 kernel runs (the portable kernel is
// correct everywhere but no faster than the float64 scan in wasm). Tests
// switch it on to run the portable kernel.
var useSketch = hasKernel

// useQKernel selects the assembly kernel (else the portable one).
var useQKernel = hasKernel

// sketchMinDim is the smallest d that gets a sketch. Below it the float64
// scan and the tree win: at n = 2^20 and the paper's threshold the sketch
// took 2.1 ms at d = 2 (scan 1.7, tree 0.9) and 4.1 ms at d = 4 (scan 2.9,
// tree 3.6), but 1.7 ms at d = 8 (scan 5.9, tree 5.6). A key of few
// coordinates gains little from 1-byte codes, while every candidate's
// exact re-check is a cache miss the sequential scan does not pay.
var sketchMinDim = 8

type sketch struct {
	d     int
	pairs int // int16 pairs per key: d rounded up to a multiple of 4, halved
	n     int
	codes []int8    // [panel][pair][8 keys][2]
	scale []float32 // per key (whole panels)
	kmax  []float64 // per chunk: ≥ max ‖k_j‖
	emax  []float64 // per chunk: ≥ max ‖k_j − s_j·k̃_j‖
	bad   []bool    // per chunk: a key outside the safe range (all keys are candidates)
}

func newSketch(d int) *sketch {
	return &sketch{d: d, pairs: (d + 3) / 4 * 2}
}

// add appends key k (len d).
func (s *sketch) add(k []float64) {
	j := s.n
	s.n++
	if j%sketchPanel == 0 {
		s.codes = append(s.codes, make([]int8, sketchPanel*2*s.pairs)...)
		s.scale = append(s.scale, make([]float32, sketchPanel)...)
	}
	if j%sketchChunk == 0 {
		s.kmax, s.emax, s.bad = append(s.kmax, 0), append(s.emax, 0), append(s.bad, false)
	}
	ch := j / sketchChunk
	var m, nn float64
	for _, v := range k {
		nn += v * v
		if v < 0 {
			v = -v
		}
		if v > m {
			m = v
		}
	}
	if norm := math.Sqrt(nn) * (1 + 1e-12); norm > s.kmax[ch] {
		s.kmax[ch] = norm
	}
	if m == 0 {
		return // codes and scale stay 0, exact
	}
	// The scale keeps s·127 ≥ m, so |k_t/s| ≤ 127; within [2⁻¹⁰⁰, 2¹⁰⁰]
	// every float32 product below stays normal and finite.
	if m > 0x1p100 || m < 0x1p-90 {
		s.bad[ch] = true
		return
	}
	sc := float32(m / 127)
	for float64(sc)*127 < m {
		sc = math.Nextafter32(sc, float32(math.Inf(1)))
	}
	s.scale[j] = sc
	fs := float64(sc)
	base := (j/sketchPanel)*sketchPanel*2*s.pairs + (j%sketchPanel)*2
	var e float64
	inv := 1 / fs // |v·inv| ≤ 127·(1 + 2⁻⁵²): rounds into [−127, 127]
	for t, v := range k {
		c := math.RoundToEven(v * inv)
		s.codes[base+(t/2)*2*sketchPanel+t%2] = int8(c)
		r := v - fs*c // fs·c is exact: 24 bits × 7 bits
		e += r * r
	}
	if e = math.Sqrt(e) * (1 + 1e-12); e > s.emax[ch] {
		s.emax[ch] = e
	}
}

// qsketch is a query quantised for the kernel.
type qsketch struct {
	codes []int16 // 2·pairs, zero padded
	sigma float64 // q ≈ sigma·codes
	eq    float64 // ≥ ‖q − sigma·codes‖
	qn    float64 // ≥ ‖q‖
	cn    float64 // ≥ ‖codes‖
}

// quantise fills qs for q; false when q is zero or out of the safe range,
// or d so large that int16 codes would leave int32 sums too little room
// (the caller then uses the index).
func (s *sketch) quantise(q []float64, qs *qsketch) bool {
	var m float64
	for _, v := range q {
		m = math.Max(m, math.Abs(v))
	}
	if !(m > 0x1p-90 && m < 0x1p100) {
		return false
	}
	// |D_j| ≤ 2·pairs·127·qmax must fit in int32.
	qmax := min(32767, (1<<31-1)/(127*2*s.pairs))
	if qmax < 64 {
		return false
	}
	sigma := m / float64(qmax)
	if cap(qs.codes) < 2*s.pairs {
		qs.codes = make([]int16, 2*s.pairs)
	}
	qs.codes = qs.codes[:2*s.pairs]
	clear(qs.codes)
	var e, cn, qn float64
	for t, v := range q {
		c := math.Max(-float64(qmax), math.Min(float64(qmax), math.RoundToEven(v/sigma)))
		qs.codes[t] = int16(c)
		r := v - sigma*c
		e += r * r
		cn += c * c
		qn += v * v
	}
	qs.sigma = sigma
	qs.qn = math.Sqrt(qn) * (1 + 1e-12)
	qs.eq = math.Sqrt(e)*(1+1e-12) + 1e-15*qs.qn
	qs.cn = math.Sqrt(cn) * (1 + 1e-12)
	return true
}

// threshold returns the float32 threshold of chunk ch for the query
// <q, k> > c, and false when the chunk must pass whole.
func (s *sketch) threshold(qs *qsketch, c float64, ch int) (float32, bool) {
	if s.bad[ch] {
		return 0, false
	}
	kc := (s.kmax[ch] + s.emax[ch]) * (1 + 1e-12)
	e := qs.eq*kc + qs.qn*s.emax[ch]
	u := (c - e) / qs.sigma
	b := qs.cn * kc // ≥ |s_j·D_j|
	t := u - 3*u32*b*(1+1e-6) - 0x1p-148 - 1e-12*(math.Abs(u)+b)
	if !(math.Abs(t) < 1e37 && b < 1e37) {
		return 0, false
	}
	t32 := float32(t)
	if float64(t32) > t {
		t32 = math.Nextafter32(t32, float32(math.Inf(-1)))
	}
	return t32, true
}

// filterRange answers the query for keys [lo, hi) (lo a multiple of
// sketchChunk) into r: every key j with exact <q, k_j> > c among the
// sketch's candidates, ascending, with its float64 dot product (dot, as
// every path). With relu != nil the keys are weighed at once and summed
// into r.part and r.sum as finish would (segment order, see sumSegments),
// r.dots then holding the weights and r.ids only keys of positive weight.
func (st *store) filterRange(qs *qsketch, q []float64, c float64, lo, hi int, r *segResult, relu *Params) {
	s := st.sk
	var mask [sketchChunk / sketchPanel]uint8
	var cand [sketchChunk]int32
	d, dv := st.d, st.dv
	ids, dots := r.ids[:0], r.dots[:0]
	var part []float64
	var scale float64
	if relu != nil {
		if cap(r.part) < dv {
			r.part = make([]float64, dv)
		}
		part = r.part[:dv]
		clear(part)
		r.sum = 0
		scale = relu.scale(d)
	}
	cands := 0
	for c0 := lo; c0 < hi; c0 += sketchChunk {
		c1 := min(hi, c0+sketchChunk)
		np := (c1 - c0 + sketchPanel - 1) / sketchPanel
		t, ok := s.threshold(qs, c, c0/sketchChunk)
		if ok {
			qfilter(s, qs, c0/sketchPanel, np, t, mask[:np])
		} else {
			for x := range mask[:np] {
				mask[x] = 0xff
			}
		}
		nc := 0
		for x, mb := range mask[:np] {
			for mb != 0 {
				j := x*sketchPanel + bits.TrailingZeros8(mb)
				mb &= mb - 1
				if c0+j < c1 {
					cand[nc] = int32(c0 + j)
					nc++
				}
			}
		}
		cands += nc
		// Each candidate is a cache (and TLB) miss in K, and if kept in V
		// (at the paper's threshold ~80% are): ask for both rows a few
		// candidates ahead.
		const ahead = 8
		for x := range min(ahead, nc) {
			prefetch(&st.keys[int(cand[x])*d], d)
			if relu != nil {
				prefetch(&st.vals[int(cand[x])*dv], dv)
			}
		}
		for x, j32 := range cand[:nc] {
			if x+ahead < nc {
				prefetch(&st.keys[int(cand[x+ahead])*d], d)
				if relu != nil {
					prefetch(&st.vals[int(cand[x+ahead])*dv], dv)
				}
			}
			j := int(j32)
			dt := dot(q, st.keys[j*d:(j+1)*d])
			if !(dt > c) {
				continue
			}
			if relu != nil {
				a := reluWeight(dt, scale, relu.B, relu.Alpha, !relu.Unscaled)
				if a == 0 {
					continue
				}
				dt = a
				r.sum += a
				axpy(a, st.vals[j*dv:(j+1)*dv], part)
			} else {
				prefetch(&st.vals[j*dv], dv)
			}
			ids = append(ids, j)
			dots = append(dots, dt)
		}
	}
	r.ids, r.dots, r.cands = ids, dots, cands
}

// qfilter writes mask[x] (bit i: key 8·(p0+x)+i) = g_j > t for np panels
// from panel p0.
func qfilter(s *sketch, qs *qsketch, p0, np int, t float32, mask []uint8) {
	pb := sketchPanel * 2 * s.pairs
	codes := s.codes[p0*pb : (p0+np)*pb]
	scale := s.scale[p0*sketchPanel : (p0+np)*sketchPanel]
	if useQKernel {
		qfilterAsm(np, s.pairs, &qs.codes[0], &codes[0], &scale[0], t, &mask[0])
		return
	}
	qfilterGo(np, s.pairs, qs.codes, codes, scale, t, mask)
}

// qfilterGo is the portable kernel (the assembly's contract): D exact in
// int32, then fl32(fl32(D)·s) > t.
func qfilterGo(np, pairs int, q []int16, codes []int8, scale []float32, t float32, mask []uint8) {
	for x := 0; x < np; x++ {
		var m uint8
		for i := 0; i < sketchPanel; i++ {
			var acc int32
			for p := 0; p < pairs; p++ {
				o := ((x*pairs+p)*sketchPanel + i) * 2
				acc += int32(q[2*p])*int32(codes[o]) + int32(q[2*p+1])*int32(codes[o+1])
			}
			g := float32(float32(acc) * scale[x*sketchPanel+i])
			if g > t {
				m |= 1 << i
			}
		}
		mask[x] = m
	}
}

// filter answers the half-space query <q, k> > c over the first lim keys
// through the sketch, one segment of sketchSegment keys at a time, using
// up to par goroutines; the segments' results are in w.seg[:nseg] (see
// filterRange for relu). False when q cannot be quantised.
func (st *store) filter(q []float64, c float64, lim, par int, w *work, relu *Params) (stats hsr.Stats, nseg int, ok bool) {
	if !st.sk.quantise(q, &w.q) {
		return hsr.Stats{}, 0, false
	}
	nseg = (lim + sketchSegment - 1) / sketchSegment
	for len(w.seg) < nseg {
		w.seg = append(w.seg, segResult{})
	}
	var next atomic.Int64
	run := func() {
		for {
			g := int(next.Add(1)) - 1
			if g >= nseg {
				return
			}
			st.filterRange(&w.q, q, c, g*sketchSegment, min(lim, (g+1)*sketchSegment), &w.seg[g], relu)
		}
	}
	var wg sync.WaitGroup
	for range min(par, nseg) - 1 {
		wg.Add(1)
		go func() { defer wg.Done(); run() }()
	}
	run()
	wg.Wait()
	cands := 0
	for _, r := range w.seg[:nseg] {
		cands += r.cands
	}
	nch := (lim + sketchChunk - 1) / sketchChunk
	return hsr.Stats{NodesVisited: nch, LeavesScanned: nch, DotProducts: lim + cands, Reported: cands}, nseg, true
}

// segResult is one segment's share of a sketch filter.
type segResult struct {
	ids   []int
	dots  []float64
	cands int
	part  []float64 // ReLU: Σ a_j v_j over the segment's keys, ascending
	sum   float64   // ReLU: Σ a_j
}

// chooser decides, for the automatic index, whether a query goes to the
// tree (hsr.Auto: tree, or float64 scan where the tree loses) or to the
// sketch. It compares work in hsr's units (one float64 dot product of a
// point): the tree's is read off each tree query's Stats (Stats.Work: hsr's
// own weight per node entered plus its dot products); the sketch's is estimated as
// sketchCost(d) per key filtered plus 3 per reported key (its exact
// re-check is a cache miss).
// Queries start on the tree; once a tree query costs more than the sketch
// would have, queries go to the sketch and the tree is probed again after
// 64 queries, then 128, … up to 4096 while the sketch stays cheaper (so a
// probe costs at most a few percent over many queries). The choice changes
// only the work, never the row: both report a superset of the keys with a
// positive weight, re-scored exactly.
type chooser struct {
	useSketch atomic.Bool
	since     atomic.Int64 // sketch queries since the last probe
	every     atomic.Int64 // probe period
}

// sketchCost is the sketch's filter cost per key in units of one float64
// point dot product, whose time hsr's calibration puts at ~0.3 ns per
// coordinate and at least ~1 ns: the sketch streams 2·pairs + 4 bytes per
// key (~0.036 ns a byte) plus ~0.3 ns per key of mask and loop work.
// Measured at n = 2^20 (see doc.go): 0.14 at d = 64.
func sketchCost(d int) float64 {
	pairs := (d + 3) / 4 * 2
	return (0.036*float64(2*pairs+4) + 0.3) / max(1, 0.3*float64(d))
}

// sketch says whether this query goes to the sketch (false: to the tree,
// either as the current choice or as a probe).
func (c *chooser) sketch() bool {
	if !c.useSketch.Load() {
		return false
	}
	if c.since.Add(1) >= c.every.Load() {
		c.since.Store(0)
		return false
	}
	return true
}

// observe records a tree query's work.
func (c *chooser) observe(st hsr.Stats, lim, reported, d int) {
	tree := st.Work(d)
	sk := sketchCost(d)*float64(lim) + 3*float64(reported)
	if tree > sk {
		c.every.Store(min(4096, max(64, 2*c.every.Load())))
		c.useSketch.Store(true)
		return
	}
	c.every.Store(0)
	c.useSketch.Store(false)
}
