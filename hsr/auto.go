package hsr

import (
	"math"
	"slices"
	"sync"
)

// Auto is a Tree that decides, per query and per static part, whether the
// tree or a plain scan of the points is cheaper: it aims at Scan's time
// where the tree cannot win (measured: at most 1.10–1.9× Scan's per grid
// cell, see the package doc) and takes the tree's wins where the geometry
// allows.
//
// How: the query first walks the top levels of the tree (down to nodes of
// about FrontierSize(d) points), pruning and reporting whole as usual; the
// nodes at that depth whose interval [lo, hi] straddles c form the
// frontier. The frontier nodes are sorted by how deep c cuts into their
// interval, (hi − c)/(hi − lo): a hyperplane that clips the corner of a box
// is cheap for the tree, one through its middle is not. They are then
// processed in that order, in batches of 1, 2, 4, … 16 nodes, by the tree
// while each batch's measured work (nodes bounded × a per-node weight +
// dot products) stays below 0.7 × its points; from the first batch above
// that, the remaining nodes are scanned point by point, in memory order
// (their points are contiguous, so this is a linear scan of them). A tree
// batch whose work passes 0.8 × its points mid-walk (checked after every
// level) scans the rest of its nodes. The cost is thus at most about the
// scan of the frontier (≤ the scan of everything), plus the top levels
// (≈ n/FrontierSize(d) node bounds), plus about one batch's scan.
//
// Before that, a part of at least sampleMinPoints points first estimates
// the query's reported fraction: the hits among sampleRows rows spread
// evenly over its leaf order (kept as a small contiguous copy, so this is
// one short scan). Where that fraction is at least scanCut(d) (0.2 for
// 4 ≤ d ≤ 12; never elsewhere, see scanCut), the tree cannot win, and the
// part is scanned whole in memory order (the AVX2 mask kernel where
// available), with no frontier walk and no batches. The estimate only
// chooses the method; every point is still decided by its Dot. Its
// sampleRows dot products are not counted in Stats (the steps of a Trace
// add up to Stats).
//
// Where Auto has the rows in id order (NewAuto, AutoOver: the points it
// was built from, for the first part while no Insert has merged into it),
// a part scanned whole reads them, exactly the reads of a Scan over them
// and its kernel, with no id array; else the tree's leaf-ordered copy and
// its ids (4 more bytes per row: measured 4% of the scan at d = 8,
// k/n = 0.5, enough to put Auto past 1.1× the scan in one run of three
// with the noise of a shared machine). With rows, the frontier loop is
// first probed (probeScans): where nearly every point straddles c at the
// frontier and the loop's first batch would fail, it would scan all that
// is left, and the rows are scanned whole instead; at d ≥ 16 on
// isotropic keys that is every query.
//
// A scanned frontier node appears in a Trace as a LeafScanned step on an
// internal node (Count points, Count dot products); a part scanned whole,
// as one LeafScanned step on its root.
type Auto struct {
	*Tree
	// rows are the points the tree was built from, in id order (not
	// copied; nil: none). They stand for the first part while it holds
	// exactly those points.
	rows []float64
}

// FrontierSize is about the number of points below a frontier node of
// Auto in dimension d: large enough that the tree's node overhead on one
// frontier node is small against scanning it (≥ 64 node weights), small
// enough that the top walk stays cheap and the choice fine-grained.
func FrontierSize(d int) int {
	f := 1024
	for float64(f) < 64*nodeWeight(d) {
		f *= 2
	}
	return f
}

// NewAuto builds an Auto index over points (see NewTree). The tree copies
// points into leaf order; Auto also keeps a reference to points
// themselves (no second copy), which it scans where it scans the first
// part whole: do not modify points while the Auto is in use.
func NewAuto(d int, points []float64, opt TreeOptions) *Auto {
	return &Auto{Tree: NewTree(d, points, opt), rows: points}
}

// AutoOver returns an Auto sharing t, which must have been built by
// NewTree from exactly points (unmodified, and not modified while the
// Auto is in use): NewAuto without a second build. With points of another
// length than t's first part it is t with the per-part choice and no rows.
func AutoOver(t *Tree, points []float64) *Auto {
	x := &Auto{Tree: t}
	if len(t.parts) > 0 && len(points) == t.parts[0].len()*t.d {
		x.rows = points
	}
	return x
}

// Query is Tree.Query with the per-part choice described on Auto.
func (x *Auto) Query(a []float64, c float64, visit func(id int) bool) Stats {
	checkDim("Auto.Query", x.d, len(a))
	var st Stats
	q := query{a: a, c: c, visit: visit, st: &st, auto: true}
	x.run(&q)
	return st
}

// Trace records Query's work (see Tree.Trace and Auto).
func (x *Auto) Trace(a []float64, c float64, tr *Trace) {
	checkDim("Auto.Trace", x.d, len(a))
	tr.Reset(a, c)
	q := query{a: a, c: c, tr: tr, out: &tr.IDs, st: &tr.Stats, auto: true}
	x.run(&q)
}

// AppendQuery appends the ids Query would visit to dst (see Tree.AppendQuery).
func (x *Auto) AppendQuery(dst []int, a []float64, c float64) ([]int, Stats) {
	checkDim("Auto.AppendQuery", x.d, len(a))
	var st Stats
	q := query{a: a, c: c, out: &dst, st: &st, auto: true}
	x.run(&q)
	return dst, st
}

// run is Tree.run with the rows in id order passed to the first part while
// it holds exactly them (no Insert has merged into it).
func (x *Auto) run(q *query) {
	if math.IsNaN(q.c) {
		return // nothing is > NaN
	}
	q.setup(x.d)
	for i, p := range x.parts {
		if q.stop {
			return
		}
		var rows []float64
		if i == 0 && x.rows != nil && len(x.rows) == p.len()*x.d {
			rows = x.rows
		}
		p.queryAutoRows(q, i, rows)
	}
	if !q.stop && x.buf.len() > 0 {
		x.buf.query(q, len(x.parts))
	}
}

var frontierPool = sync.Pool{New: func() any { s := make([]frame, 0, 256); return &s }}

// keyed is a frontier node with its sort key.
type keyed struct {
	t float64
	f frame
}

var keyPool = sync.Pool{New: func() any { s := make([]keyed, 0, 256); return &s }}

// nodeWeight is the cost of bounding one node in units of one point's dot
// product, as measured on this class of machine (docs/performance.md) with the
// index out of cache, which is the usual case for a query: a node costs a
// cache miss, partly hidden by prefetching (~40 ns), plus its 2d-value box,
// while points stream at memory speed (~0.3 ns per coordinate, at least
// ~1 ns per point). With the cache warm the tree is relatively cheaper, so
// this errs towards the scan.
func nodeWeight(d int) float64 {
	return (40 + 2.5*float64(d)) / max(1, 0.3*float64(d))
}

// queryAuto answers the query on part p (number pi) with Auto's choice.
func (p *part) queryAuto(q *query, pi int) { p.queryAutoRows(q, pi, nil) }

// queryAutoRows is queryAuto where rows, if not nil, are p's points in id
// order (ids 0, 1, …).
func (p *part) queryAutoRows(q *query, pi int, rows []float64) {
	n := p.len()
	if n == 0 {
		return
	}
	eps := p.margin(q.a)
	if p.sample != nil && scanCut(p.d) <= 1 {
		// Estimate the reported fraction from the sample; where it is
		// high enough that the tree cannot win, scan the part in memory
		// order at once (no frontier walk, no batches). The estimate only
		// chooses the method: the scan checks every point with Dot.
		var buf [sampleRows]int
		k := len(appendAbove(buf[:0], q.a, q.c, p.sample, 0, sampleRows, nil))
		if float64(k) >= scanCut(p.d)*sampleRows {
			if rows == nil || !p.scanRows(q, pi, eps, rows) {
				p.walk(q, pi, eps, []frame{{0, 0, -1}}, -1, nil, true)
			}
			return
		}
	}
	limit := int32(0)
	for m, fs := n, FrontierSize(p.d); m > 2*fs; m /= 2 {
		limit++
	}
	if rows != nil && p.probeScans(q, pi, eps, limit) && p.scanRows(q, pi, eps, rows) {
		return
	}
	fp := frontierPool.Get().(*[]frame)
	fr := (*fp)[:0]
	p.walk(q, pi, eps, []frame{{0, 0, -1}}, limit, &fr, false)
	if !q.stop && len(fr) > 0 {
		st := q.st
		w := nodeWeight(p.d)
		// Most promising first: a node whose interval [lo, hi] has c near
		// its top (the hyperplane clips a corner of its box) is cheap for
		// the tree, one cut through the middle costs about a scan of it or
		// more. So the nodes go in increasing (hi − c)/(hi − lo), in
		// batches of 1, 2, 4, … 16 (so that the walk's look-ahead has work
		// to overlap), by the tree while a batch's work (nodes bounded × a
		// per-node weight + dot products) stays below 0.7 × its points;
		// from the first batch above that, the rest are scanned point by
		// point, in memory order.
		F := len(fr)
		kp := keyPool.Get().(*[]keyed)
		ks := (*kp)[:0]
		for _, f := range fr {
			lo, hi := p.bound(q, int(f.node), eps)
			t := (hi - q.c) / (hi - lo)
			if t != t {
				t = 1 // no certificate (infinite margin): no preference
			}
			ks = append(ks, keyed{t, f})
		}
		slices.SortFunc(ks, func(x, y keyed) int {
			switch {
			case x.t < y.t:
				return -1
			case x.t > y.t:
				return 1
			}
			return int(x.f.node) - int(y.f.node)
		})
		for i := range ks {
			fr[i] = ks[i].f
		}
		*kp = ks[:0]
		keyPool.Put(kp)
		const batch = 16
		size := 1
		k := 0
		for k < F && !q.stop {
			m := min(size, F-k)
			chunk := fr[k : k+m]
			k += m
			size = min(2*size, batch)
			var pts float64
			for _, f := range chunk {
				nd := p.nodes[f.node]
				pts += float64(nd.end - nd.start)
			}
			nodes0, dots0 := st.NodesVisited, st.DotProducts
			// A batch that costs more than scanning its points would
			// scans what remains of it, so that it costs at most about
			// twice its scan.
			q.budget = autoBudget * pts
			p.walk(q, pi, eps, chunk, -1, nil, false)
			q.budget = 0
			if w*float64(st.NodesVisited-nodes0)+float64(st.DotProducts-dots0) > autoKeep*pts {
				break
			}
		}
		if k < F && !q.stop {
			// Scan the rest in memory order (frontier nodes are in
			// preorder, i.e. in the order of their rows), so that
			// consecutive scans continue one stream.
			rest := fr[k:]
			slices.SortFunc(rest, func(x, y frame) int { return int(x.node) - int(y.node) })
			for len(rest) > 0 && !q.stop {
				m := min(batch, len(rest))
				p.walk(q, pi, eps, rest[:m], -1, nil, true)
				rest = rest[m:]
			}
		}
	}
	*fp = fr[:0]
	frontierPool.Put(fp)
}

// probeScans says, before anything is reported, whether the frontier
// loop below would scan (nearly) the whole part: at least probeWhole of
// its points lie in frontier nodes whose interval straddles c (found by a
// walk of the top levels that only bounds nodes), and the most promising
// of them, walked by the tree, costs more than autoKeep × its points (the
// loop's first batch fails, and it then scans every node left). Then
// scanRows does that work over the rows in id order instead of the
// leaf-ordered copy and its ids; the probe (the top levels' bounds and
// one frontier node's walk, ~0.2% of a scan at d = 128) is the price.
// It leaves no trace in q: its ids go to a scratch slice, its Stats and
// Trace steps are undone.
func (p *part) probeScans(q *query, pi int, eps float64, limit int32) bool {
	n := p.len()
	cur := []frame{{0, 0, -1}}
	var next []frame
	best, bestT := frame{}, 2.0
	straddle := 0
	for len(cur) > 0 {
		next = next[:0]
		for _, f := range cur {
			nd := p.nodes[f.node]
			lo, hi := p.bound(q, int(f.node), eps)
			switch {
			case hi <= q.c || lo > q.c:
			case nd.right == 0 || f.depth == limit:
				straddle += int(nd.end - nd.start)
				t := (hi - q.c) / (hi - lo)
				if t != t {
					t = 1
				}
				if t < bestT {
					best, bestT = f, t
				}
			default:
				next = append(next, frame{f.node + 1, f.depth + 1, -1}, frame{nd.right, f.depth + 1, -1})
			}
		}
		cur, next = next, cur
	}
	if float64(straddle) < probeWhole*float64(n) || bestT > 1 {
		return false
	}
	nd := p.nodes[best.node]
	pts := float64(nd.end - nd.start)
	st0, out0, budget0 := *q.st, q.out, q.budget
	steps0 := 0
	if q.tr != nil {
		steps0 = len(q.tr.Steps)
	}
	scratch := probePool.Get().(*[]int)
	*scratch = (*scratch)[:0]
	q.out, q.budget = scratch, autoBudget*pts
	p.walk(q, pi, eps, []frame{{best.node, 0, -1}}, -1, nil, false)
	work := nodeWeight(p.d)*float64(q.st.NodesVisited-st0.NodesVisited) + float64(q.st.DotProducts-st0.DotProducts)
	*q.st, q.out, q.budget = st0, out0, budget0
	if q.tr != nil {
		q.tr.Steps = q.tr.Steps[:steps0]
	}
	probePool.Put(scratch)
	return work > autoKeep*pts
}

// probeWhole is the least share of a part's points in straddling frontier
// nodes for which probeScans lets the rows stand in for the frontier
// loop's scan: then scanning all rows costs at most 1/0.97 of scanning
// what the loop would.
const probeWhole = 0.97

var probePool = sync.Pool{New: func() any { s := make([]int, 0, 1024); return &s }}

// scanRows scans part p whole over rows, its points in id order, as
// Scan does over its own (the same kernels, ids ascending), and records
// it as walk records a root scanned whole: the same Stats and Trace step.
// False, with nothing done, where the root's bound decides it first
// (pruned or reported whole: walk does that without a scan).
func (p *part) scanRows(q *query, pi int, eps float64, rows []float64) bool {
	lo, hi := p.bound(q, 0, eps)
	if hi <= q.c || lo > q.c {
		return false
	}
	n := p.len()
	reported, dots := 0, n
	if q.out != nil {
		k := len(*q.out)
		*q.out = appendAbove(*q.out, q.a, q.c, rows, 0, n, nil)
		reported = len(*q.out) - k
	} else {
		for r := 0; r < n; r++ {
			r = nextAbove(q.a, q.c, rows, r, n)
			if r == n {
				break
			}
			reported++
			if !q.visit(r) {
				q.stop = true
				dots = r + 1
				break
			}
		}
	}
	st := q.st
	st.NodesVisited++
	st.LeavesScanned++
	st.Reported += reported
	st.DotProducts += dots
	if q.tr != nil {
		q.tr.Steps = append(q.tr.Steps, Step{Part: pi, Node: 0, Parent: -1, Depth: 0, Decision: LeafScanned,
			Min: lo, Max: hi, Count: n, Reported: reported, DotProducts: dots, Lo: p.lo(0), Hi: p.hi(0)})
	}
	return true
}

// autoKeep: the tree keeps going while a batch's weighted work stays below
// autoKeep × its points; autoBudget: a batch whose work passes
// autoBudget × its points mid-walk scans the rest of it. Below 1 so that
// near break-even Auto scans (the scan's time is the more predictable).
const (
	autoKeep   = 0.7
	autoBudget = 0.8
)

// sampleRows is the size of Auto's sample of each large part (the rows
// whose dot products estimate a query's reported fraction), and
// sampleMinPoints the smallest part that has one.
const (
	sampleRows      = 256
	sampleMinPoints = 64 * sampleRows
)

// scanCutOverride, if > 0, replaces scanCut (benchmarks calibrate with it).
var scanCutOverride float64

// scanCut is the estimated reported fraction (hits in the sample /
// sampleRows) from which Auto scans a part whole, by dimension; above 1:
// never. Measured (BenchmarkRatio-style, alternating, n = 2^20, ids
// int32): for d ≤ 3 the tree beats the scan 3–10× even at k/n = 0.5; at
// d = 8 a whole scan beat Auto's batches from k/n ≈ 0.3 (gaussian and
// decaying keys) but lost to them at 0.1 on decaying keys (1.02 vs 0.89
// of the scan), so the cut is 0.2; at d ≥ 16 the batches already fall
// back at about the scan's cost on isotropic keys, while on decaying keys
// the tree still wins at k/n = 0.1–0.3 (d = 64: 0.80–0.95 of the scan,
// a whole scan 1.03–1.07), so the estimate is not used there.
func scanCut(d int) float64 {
	if scanCutOverride > 0 {
		return scanCutOverride
	}
	if d >= 4 && d <= 12 {
		return 0.2
	}
	return 2
}
