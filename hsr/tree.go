package hsr

import (
	"fmt"
	"math"
	"sync"
	"unsafe"
)

// TreeOptions tunes a Tree. The zero value is a good default.
type TreeOptions struct {
	// LeafSize is the most points a leaf holds (0: a default that grows
	// with d, see DefaultLeafSize).
	LeafSize int
	// BufferSize is how many inserted points are kept in a buffer that is
	// scanned linearly before they are built into a static part (0: 256).
	BufferSize int
	// Shells selects the top of each static tree: 1 splits by distance
	// from the points' mean (the inner half, then the inner half of the
	// rest, …, down to a shell of 1024 points) before the k-d splits, so
	// that a query hyperplane far out prunes the inner shells with one
	// ball bound each; -1 splits coordinates only; 0 is a default by d
	// (see DefaultShells). Every node has a ball bound either way.
	Shells int
}

// DefaultShells reports whether TreeOptions{Shells: 0} uses radius splits
// (and ball bounds) in dimension d: for 4 ≤ d ≤ 12. Below, the k-d boxes
// already separate the outer points well. Above, the balls prune little:
// a random query's hyperplane at the 10⁻⁴ tail lies about 3.7·‖a‖·σ from
// the centre (σ² the mean variance per coordinate, whatever the
// anisotropy), while typical points lie σ·sqrt(d) from it, so only for
// sqrt(d) well below 3.7 is a large inner ball entirely below the
// hyperplane; and the radius splits cost the top levels' coordinate
// splits (measured: the tree got 1.2–1.5× slower at d = 16…64).
func DefaultShells(d int) bool { return d >= 4 && d <= 12 }

// DefaultLeafSize is the leaf size used when TreeOptions.LeafSize is 0.
// Small leaves pay off in low dimension, where a box bound costs little
// and prunes well; in high dimension a box bound costs as much as a few
// dot products, so leaves are larger.
func DefaultLeafSize(d int) int {
	switch {
	case d <= 3:
		return 8
	case d <= 8:
		return 16
	}
	return 32
}

func (o TreeOptions) withDefaults(d int) TreeOptions {
	if o.LeafSize <= 0 {
		o.LeafSize = DefaultLeafSize(d)
	}
	if o.BufferSize <= 0 {
		o.BufferSize = 256
	}
	if o.Shells == 0 {
		o.Shells = -1
		if DefaultShells(d) {
			o.Shells = 1
		}
	}
	return o
}

// Tree is a box-bounded k-d tree index made dynamic by the logarithmic
// method: a few static trees ("parts") of decreasing sizes, each at most
// half the size of the one before, plus a small buffer of the latest
// inserted points that is scanned linearly (it has one bounding box, so it
// is still pruned or reported whole when it can be). When the buffer fills
// it becomes a part, and the smallest parts are merged and rebuilt while a
// part is more than half the size of the part before it: every point is
// rebuilt O(log n) times, so an Insert costs O(log² n) amortised.
//
// Queries may run concurrently with each other, but not with Insert.
type Tree struct {
	d     int
	n     int
	opt   TreeOptions
	parts []*part
	buf   *part // one leaf node over the points inserted since the last flush
}

// NewTree builds a tree over the n = len(points)/d rows of points
// (row-major, copied); row i gets id i. It panics if d < 1, if len(points)
// is not a multiple of d, or if there are 2^31 points or more.
func NewTree(d int, points []float64, opt TreeOptions) *Tree {
	if d < 1 || len(points)%d != 0 {
		panic("hsr: NewTree: bad dimension or length")
	}
	n := len(points) / d
	if n >= math.MaxInt32 {
		panic("hsr: NewTree: too many points")
	}
	t := &Tree{d: d, n: n, opt: opt.withDefaults(d)}
	t.buf = newBuffer(d)
	if n > 0 {
		ids := make([]int32, n)
		for i := range ids {
			ids[i] = int32(i)
		}
		t.parts = append(t.parts, buildPart(d, points, ids, t.opt.LeafSize, t.opt.Shells > 0))
	}
	return t
}

// newBuffer returns an empty insertion buffer: a part with a single leaf.
func newBuffer(d int) *part {
	return &part{d: d, finite: true, absMax: make([]float64, d),
		nodes: []node{{}}, box: make([]float64, 2*d)}
}

func (t *Tree) Dim() int { return t.d }
func (t *Tree) Len() int { return t.n }

// Options returns the options in force (defaults filled in).
func (t *Tree) Options() TreeOptions { return t.opt }

// Parts returns the sizes of the static parts, largest first, and of the
// buffer (the last entry).
func (t *Tree) Parts() []int {
	s := make([]int, 0, len(t.parts)+1)
	for _, p := range t.parts {
		s = append(s, p.len())
	}
	return append(s, t.buf.len())
}

// Insert adds x (copied) and returns its id.
func (t *Tree) Insert(x []float64) int {
	checkDim("Tree.Insert", t.d, len(x))
	if t.n >= math.MaxInt32-1 {
		panic("hsr: Tree.Insert: too many points")
	}
	id := t.n
	t.n++
	b := t.buf
	r := b.len()
	b.pts = append(b.pts, x...)
	b.ids = append(b.ids, int32(id))
	lo, hi := b.lo(0), b.hi(0)
	for i, v := range x {
		if r == 0 || v < lo[i] {
			lo[i] = v
		}
		if r == 0 || v > hi[i] {
			hi[i] = v
		}
		if a := math.Abs(v); a > b.absMax[i] {
			b.absMax[i] = a
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b.finite = false
		}
	}
	b.nodes[0].end = int32(r + 1)
	if b.len() >= t.opt.BufferSize {
		t.flush()
	}
	return id
}

// flush turns the buffer into a part and merges parts to keep each part
// at most half the size of the one before.
func (t *Tree) flush() {
	b := t.buf
	pts, ids := b.pts, b.ids
	for len(t.parts) > 0 && 2*len(ids) > t.parts[len(t.parts)-1].len() {
		last := t.parts[len(t.parts)-1]
		t.parts = t.parts[:len(t.parts)-1]
		pts = append(pts, last.pts...)
		ids = append(ids, last.ids...)
	}
	t.parts = append(t.parts, buildPart(t.d, pts, ids, t.opt.LeafSize, t.opt.Shells > 0))
	t.buf = newBuffer(t.d)
}

// Query calls visit(id) once for every stored x with Dot(a, x) > c, and
// stops early when visit returns false.
func (t *Tree) Query(a []float64, c float64, visit func(id int) bool) Stats {
	checkDim("Tree.Query", t.d, len(a))
	var st Stats
	q := query{a: a, c: c, visit: visit, st: &st}
	t.run(&q)
	return st
}

// Trace runs Query's code with a recorder attached: every node entered is
// appended to tr.Steps. Step.Part numbers the static parts from 0 (largest
// first); the buffer is part len(Parts())-1. Step.Lo and Step.Hi are the
// node's tight bounding box in the original coordinates (the tree never
// rotates). Step.Min and Step.Max are the certified interval: the bound
// over the node's float32 box (rounded outwards, so slightly larger than
// Lo/Hi) widened by the rounding margin, intersected with the node's ball
// bound when the tree has shells, so that every point below the node has
// Min ≤ Dot(a, x) ≤ Max (see doc.go). Steps come level by level.
func (t *Tree) Trace(a []float64, c float64, tr *Trace) {
	checkDim("Tree.Trace", t.d, len(a))
	tr.Reset(a, c)
	q := query{a: a, c: c, tr: tr, out: &tr.IDs, st: &tr.Stats}
	t.run(&q)
}

// AppendQuery appends the ids Query would visit to dst: the same query,
// without a call per reported id (Collect uses it).
func (t *Tree) AppendQuery(dst []int, a []float64, c float64) ([]int, Stats) {
	checkDim("Tree.AppendQuery", t.d, len(a))
	var st Stats
	q := query{a: a, c: c, out: &dst, st: &st}
	t.run(&q)
	return dst, st
}

// query is the state of one query; tr is nil unless tracing.
type query struct {
	a     []float64
	c     float64
	visit func(id int) bool
	tr    *Trace
	out   *[]int // if not nil, ids are appended here instead of visited
	st    *Stats
	sel   []int32 // sel[t]: offset in a node's box of the corner maximising a_t·x_t
	stop  bool
	auto  bool // choose tree or scan per part (Auto)
	// budget, if > 0, caps a walk's work (nodeWeight(d)·nodes + dot
	// products): once a level ends above it, the walk scans every node it
	// enters from then on instead of opening it (Auto).
	budget float64
	// Ball bounds: naUp ≥ ‖a‖; for part ballPart, ballM = fl(<a, centre>)
	// and ballC the slack every node adds to naUp·rmax (see ball).
	naUp         float64
	ballPart     *part
	ballM, ballC float64
	ballOK       bool
}

func (t *Tree) run(q *query) {
	if math.IsNaN(q.c) {
		return // nothing is > NaN
	}
	q.setup(t.d)
	for i, p := range t.parts {
		if q.stop {
			return
		}
		if q.auto {
			p.queryAuto(q, i)
		} else {
			p.query(q, i)
		}
	}
	if !q.stop && t.buf.len() > 0 {
		t.buf.query(q, len(t.parts))
	}
}

// setup picks, per dimension, the box corner that maximises a_t·x_t,
// and bounds ‖a‖ from above for the ball bounds.
func (q *query) setup(d int) {
	q.sel = make([]int32, d)
	var s float64
	for i, v := range q.a {
		if v >= 0 {
			q.sel[i] = int32(d + i) // hi
		} else {
			q.sel[i] = int32(i) // lo
		}
		s += v * v
	}
	q.naUp = sqrtUp(s, d)
	q.ballPart = nil
}

// ballSetup prepares the ball bounds of part p for this query (eps is
// p.margin(a)). The exact <a, x> of a point within r of the centre μ lies
// in <a, μ> ± ‖a‖·r; fl(<a, μ>) is within errM = 4(d+1)·u·Σ|a_t·μ_t| of
// <a, μ>, and Dot(a, x) within eps/2 of <a, x>. So Dot(a, x) lies in
// m ± (naUp·r + errM + eps); every rounding in computing that interval is
// covered by the relative 32u and the 8u·|m| added (see ball).
func (q *query) ballSetup(p *part, eps float64) {
	q.ballPart = p
	q.ballOK = false
	if p.centre == nil || math.IsInf(eps, 0) || math.IsNaN(eps) {
		return
	}
	var m, sa float64
	for t, v := range q.a {
		m += v * p.centre[t]
		sa += math.Abs(v * p.centre[t])
	}
	errM := float64(4*(p.d+1)) * 0x1p-53 * sa * (1 + float64(4*(p.d+1))*0x1p-53)
	c := errM + eps + 8*0x1p-53*math.Abs(m)
	if math.IsNaN(m) || math.IsInf(m, 0) || math.IsInf(c, 0) || math.IsNaN(c) || math.IsInf(q.naUp, 0) || math.IsNaN(q.naUp) {
		return
	}
	q.ballM, q.ballC, q.ballOK = m, c, true
}

// ballK is the relative slack of the ball interval's arithmetic.
const ballK = 1 + 32*0x1p-53

// ball narrows [lo, hi] (a certified interval of Dot over node i) by the
// node's ball bound; eps is p.margin(q.a).
func (p *part) ball(q *query, i int, lo, hi, eps float64) (float64, float64) {
	if q.ballPart != p {
		q.ballSetup(p, eps)
	}
	if !q.ballOK {
		return lo, hi
	}
	w := (q.naUp*float64(p.nodes[i].rmax) + q.ballC) * ballK
	return max(lo, q.ballM-w), min(hi, q.ballM+w)
}

// margin returns a bound on the rounding error of a box bound plus that of
// Dot, for query direction a over this part's points: if the exact
// interval of <a, x> over a box is [lo, hi] and mn, mx are the computed
// bounds, every stored x in the box has mn − eps ≤ Dot(a, x) ≤ mx + eps.
//
// Both Dot and a box bound are sums of d rounded products; each has error
// at most γ_d·Σ_t |a_t|·max|x_t| ≤ γ_d·M with γ_d = d·u/(1 − d·u), u = 2⁻⁵³
// (Higham, Accuracy and Stability of Numerical Algorithms, §3.1, for any
// order of summation), plus d half-subnormals if products underflow.
// eps = 4(d+1)·u·fl(M) + (d+1)·2⁻¹⁰⁷⁴ is more than twice that. +Inf means
// "no certificate": every node is opened and checked with Dot.
func (p *part) margin(a []float64) float64 {
	if !p.finite {
		return math.Inf(1)
	}
	var m float64
	for t, v := range a {
		m += math.Abs(v) * p.absMax[t]
	}
	if math.IsNaN(m) || math.IsInf(m, 0) {
		return math.Inf(1)
	}
	k := float64(4*(p.d+1)) * 0x1p-53
	return m*k + float64(p.d+1)*math.SmallestNonzeroFloat64
}

// bound returns the certified interval [Min, Max] of Dot(a, x) over the
// box of node i.
func (p *part) bound(q *query, i int, eps float64) (lo, hi float64) {
	d := p.d
	if p.box32 != nil {
		lo, hi = p.bound32(q, i, eps)
		if p.centre != nil {
			lo, hi = p.ball(q, i, lo, hi, eps)
		}
		return lo, hi
	}
	b := p.box[2*d*i : 2*d*(i+1)]
	a := q.a[:d]
	var mx, mn float64
	switch d {
	case 1:
		s := q.sel[0]
		mx = a[0] * b[s]
		mn = a[0] * b[1-s]
	case 2:
		s0, s1 := q.sel[0], q.sel[1]
		mx = float64(a[0]*b[s0]) + float64(a[1]*b[s1])
		mn = float64(a[0]*b[2-s0]) + float64(a[1]*b[4-s1])
	default:
		sel := q.sel[:d]
		var mx1, mn1 float64
		t := 0
		for ; t+2 <= d; t += 2 {
			s0, s1 := sel[t], sel[t+1]
			mx += float64(a[t] * b[s0])
			mn += float64(a[t] * b[int32(2*t+d)-s0])
			mx1 += float64(a[t+1] * b[s1])
			mn1 += float64(a[t+1] * b[int32(2*t+2+d)-s1])
		}
		if t < d {
			s0 := sel[t]
			mx += float64(a[t] * b[s0])
			mn += float64(a[t] * b[int32(2*t+d)-s0])
		}
		mx += mx1
		mn += mn1
	}
	return mn - eps, mx + eps
}

// bound32 is bound on the float32 box (the same sums: every float32 is
// exactly a float64, and the float32 box contains the node's points).
func (p *part) bound32(q *query, i int, eps float64) (lo, hi float64) {
	d := p.d
	b := p.box32[2*d*i : 2*d*(i+1)]
	a := q.a[:d]
	if useAVX2 && d%4 == 0 && d >= avx2BoundMinDim {
		mn, mx := boundAVX2(&a[0], &b[0], d)
		return mn - eps, mx + eps
	}
	var mx, mn float64
	switch d {
	case 1:
		s := q.sel[0]
		mx = a[0] * float64(b[s])
		mn = a[0] * float64(b[1-s])
	case 2:
		s0, s1 := q.sel[0], q.sel[1]
		mx = float64(a[0]*float64(b[s0])) + float64(a[1]*float64(b[s1]))
		mn = float64(a[0]*float64(b[2-s0])) + float64(a[1]*float64(b[4-s1]))
	default:
		sel := q.sel[:d]
		var mx1, mn1 float64
		t := 0
		for ; t+2 <= d; t += 2 {
			s0, s1 := sel[t], sel[t+1]
			mx += float64(a[t] * float64(b[s0]))
			mn += float64(a[t] * float64(b[int32(2*t+d)-s0]))
			mx1 += float64(a[t+1] * float64(b[s1]))
			mn1 += float64(a[t+1] * float64(b[int32(2*t+2+d)-s1]))
		}
		if t < d {
			s0 := sel[t]
			mx += float64(a[t] * float64(b[s0]))
			mn += float64(a[t] * float64(b[int32(2*t+d)-s0]))
		}
		mx += mx1
		mn += mn1
	}
	return mn - eps, mx + eps
}

// avx2BoundMinDim is the smallest dimension whose box bounds use the AVX2
// kernel (where available; d a multiple of 4).
const avx2BoundMinDim = 8

// frame is a node waiting on the depth-first stack.
type frame struct {
	node, depth, parent int32 // parent: step index when tracing
}

// query runs q over the part numbered pi.
func (p *part) query(q *query, pi int) {
	if p.len() == 0 {
		return
	}
	p.walk(q, pi, p.margin(q.a), []frame{{0, 0, -1}}, -1, nil, false)
}

// walk runs the query from the nodes starts, level by level (breadth
// first). A node at depth limit that would be opened is appended to
// *frontier instead (not entered: no step, no count); with limit < 0 every
// node is entered. With scanWhole, a straddling start node is scanned point
// by point instead of opened; with q.budget > 0, every straddling node is
// scanned from the first level that ends with the walk's work above the
// budget.
//
// Why breadth first: the nodes of one level are independent, so while one
// node's bound is computed the next nodes' boxes are already being fetched
// (each is touched a few nodes ahead). A depth-first walk waits for one
// cache miss at a time, and a query's nodes are usually not in cache.
func (p *part) walk(q *query, pi int, eps float64, starts []frame, limit int32, frontier *[]frame, scanWhole bool) {
	c, st, tr := q.c, q.st, q.tr
	d2 := 2 * p.d
	lv := levelPool.Get().(*levels)
	cur, next := append(lv.a[:0], starts...), lv.b[:0]
	// The counts are kept in locals and added to *st at the end: st is
	// behind a pointer, so each increment would be a load and a store per
	// node (docs/performance.md: a plane query is ~50 ns of work per node).
	var nVisited, nPruned, nWhole, nOpened, nLeaves, nDots, nReported int
	// In the plane without ball bounds (the default for d ≤ 3 is d = 2
	// and 3 without shells) the bound is computed here, the same sums as
	// bound32's case 2, without the two calls.
	plane2 := p.d == 2 && p.box32 != nil && p.centre == nil
	var a0, a1 float64
	var s0, s1 int32
	if plane2 {
		a0, a1, s0, s1 = q.a[0], q.a[1], q.sel[0], q.sel[1]
	}
	for len(cur) > 0 {
		next = next[:0]
		for k, f := range cur {
			if k+lookAhead < len(cur) && p.box32 != nil {
				// Start fetching a node and its box a few nodes ahead.
				nx := int(cur[k+lookAhead].node)
				b := nx * d2
				if d2 > 32 {
					prefetchLines(unsafe.Pointer(&p.box32[b]), 4*d2)
				}
				if !plane2 {
					// (In the plane a box is 16 bytes, one line, which the
					// prefetch of the children when their parent was
					// opened (below) has asked for already, with the right
					// child's node entry; the left one's is next to its
					// parent's. Measured 2–7% faster without this one,
					// docs/performance.md.)
					prefetch3(unsafe.Pointer(&p.box32[b]), unsafe.Pointer(&p.box32[b+d2-1]), unsafe.Pointer(&p.nodes[nx]))
				}
				// Halfway there, a leaf's node entry has arrived: fetch its
				// first points too.
				if h := p.nodes[cur[k+lookAhead/2].node]; h.right == 0 {
					r := int(h.start) * p.d
					prefetch3(unsafe.Pointer(&p.pts[r]), unsafe.Pointer(&p.pts[r+p.d-1]), unsafe.Pointer(&p.pts[r+p.d*int(h.end-h.start)-1]))
				}
			}
			nd := p.nodes[f.node]
			var lo, hi float64
			if plane2 {
				b := p.box32[4*int(f.node) : 4*int(f.node)+4 : 4*int(f.node)+4]
				mx := float64(a0*float64(b[s0])) + float64(a1*float64(b[s1]))
				mn := float64(a0*float64(b[2-s0])) + float64(a1*float64(b[4-s1]))
				lo, hi = mn-eps, mx+eps
			} else {
				lo, hi = p.bound(q, int(f.node), eps)
			}
			var dec Decision
			reported, dots := 0, 0
			switch {
			case hi <= c:
				dec = Pruned
				nPruned++
			case lo > c:
				dec = ReportedWhole
				nWhole++
				reported = int(nd.end - nd.start)
				if q.out != nil {
					*q.out = appendIDs(*q.out, p.ids[nd.start:nd.end])
				} else {
					for _, id := range p.ids[nd.start:nd.end] {
						if !q.visit(int(id)) {
							q.stop = true
							break
						}
					}
				}
			case nd.right == 0 || scanWhole:
				dec = LeafScanned
				nLeaves++
				if plane2 && q.out != nil {
					reported, dots = p.scan2(q.out, a0, a1, c, int(nd.start), int(nd.end))
				} else {
					reported, dots = p.scan(q, int(nd.start), int(nd.end))
				}
			case f.depth == limit:
				*frontier = append(*frontier, f)
				continue
			default:
				dec = Opened
				nOpened++
			}
			nVisited++
			nReported += reported
			nDots += dots
			step := int32(-1)
			if tr != nil {
				step = int32(len(tr.Steps))
				tr.Steps = append(tr.Steps, Step{Part: pi, Node: int(f.node), Parent: int(f.parent),
					Depth: int(f.depth), Decision: dec, Min: lo, Max: hi,
					Count: int(nd.end - nd.start), Reported: reported, DotProducts: dots,
					Lo: p.lo(int(f.node)), Hi: p.hi(int(f.node))})
			}
			if q.stop {
				break
			}
			if dec == Opened {
				next = append(next, frame{f.node + 1, f.depth + 1, step}, frame{nd.right, f.depth + 1, step})
				if p.box32 != nil {
					// Fetch the children now: on a short level (a query
					// hyperplane in low dimension) the look-ahead below
					// never gets ahead of the walk.
					r := int(nd.right)
					prefetch3(unsafe.Pointer(&p.box32[(int(f.node)+1)*d2]), unsafe.Pointer(&p.box32[r*d2]), unsafe.Pointer(&p.nodes[r]))
				}
			}
		}
		if q.stop {
			break
		}
		if q.budget > 0 && !scanWhole && nodeWeight(p.d)*float64(nVisited)+float64(nDots) > q.budget {
			scanWhole = true
		}
		cur, next = next, cur
	}
	st.NodesVisited += nVisited
	st.Pruned += nPruned
	st.ReportedWhole += nWhole
	st.Opened += nOpened
	st.LeavesScanned += nLeaves
	st.DotProducts += nDots
	st.Reported += nReported
	lv.a, lv.b = cur[:0], next[:0]
	levelPool.Put(lv)
}

// scan2 is scan in the plane with the ids appended to *out: the rows
// [s, e) (a leaf's few points) tested with nextAbove's sums for d = 2,
// a[0]·x[0] + a[1]·x[1] with each product rounded (= Dot), without a
// call per row or per hit.
func (p *part) scan2(out *[]int, a0, a1, c float64, s, e int) (reported, dots int) {
	dst := *out
	x := p.pts[2*s : 2*e]
	ids := p.ids[s:e]
	for j := range ids {
		q := x[2*j : 2*j+2 : 2*j+2]
		if float64(a0*q[0])+float64(a1*q[1]) > c {
			dst = append(dst, int(ids[j]))
		}
	}
	reported = len(dst) - len(*out)
	*out = dst
	return reported, e - s
}

// lookAhead is how many nodes ahead a walk starts fetching.
const lookAhead = 16

// levels is the scratch of a breadth-first walk: the current and the next
// level's nodes.
type levels struct {
	a, b []frame
}

var levelPool = sync.Pool{New: func() any { return &levels{a: make([]frame, 0, 64), b: make([]frame, 0, 64)} }}

// scan tests rows [s, e) one by one with Dot and reports the hits.
func (p *part) scan(q *query, s, e int) (reported, dots int) {
	c := q.c
	if q.out != nil {
		k := len(*q.out)
		*q.out = appendAbove(*q.out, q.a, c, p.pts, s, e, p.ids)
		return len(*q.out) - k, e - s
	}
	for r := s; r < e; {
		r = nextAbove(q.a, c, p.pts, r, e)
		if r == e {
			break
		}
		dots = r + 1 - s
		reported++
		if !q.visit(int(p.ids[r])) {
			q.stop = true
			return reported, dots
		}
		r++
	}
	return reported, e - s
}

// String describes the tree's shape, for debugging and the visualizer.
func (t *Tree) String() string {
	h := 0
	nodes := 0
	for _, p := range t.parts {
		nodes += len(p.nodes)
		h = max(h, p.height)
	}
	return fmt.Sprintf("hsr.Tree{d=%d n=%d parts=%v leaf=%d nodes=%d height=%d}",
		t.d, t.n, t.Parts(), t.opt.LeafSize, nodes, h)
}
