package hsr

import (
	"math"
	"slices"
)

// part is one static k-d tree of the logarithmic method (or, with a single
// leaf node that grows, the insertion buffer).
//
// Invariants (checked by the tests):
//   - the points are stored contiguous in leaf order: node i owns the rows
//     [nodes[i].start, nodes[i].end) of pts, and ids[r] is row r's id;
//   - an internal node i has children i+1 (left) and nodes[i].right, whose
//     row ranges partition the parent's;
//   - box[i*2d : i*2d+d] and box[i*2d+d : i*2d+2d] are the lo and hi corners
//     of the tight bounding box of the node's rows;
//   - box32 holds the same boxes rounded outwards to float32 (so each
//     contains its node's points), and is nil for the insertion buffer;
//   - absMax[t] ≥ |x_t| for every stored point x and every box value
//     (finite points only).
type part struct {
	d      int
	pts    []float64 // n×d, leaf order
	ids    []int32   // id of each row (int32: half the bytes a large scan reads beside its points)
	nodes  []node    // preorder
	box    []float64 // 2d per node: lo then hi (tight; for traces and tests)
	box32  []float32 // box rounded outwards to float32 (what queries read); nil for the buffer
	absMax []float64 // per dimension, max |x_t| over the points
	finite bool      // every coordinate is finite (else queries open every node)
	height int       // longest root-to-leaf path, in edges
	// centre of the ball bounds (nil: none, e.g. the insertion buffer):
	// every point x below node i has ‖x − centre‖ ≤ nodes[i].rmax.
	centre []float64
	// sample holds sampleRows rows spread evenly over the leaf order (nil
	// for parts of fewer than sampleMinPoints points): Auto's estimate.
	sample []float64
}

type node struct {
	start, end int32   // rows of pts
	right      int32   // right child; 0 for a leaf (the left child is the next node)
	rmax       float32 // ≥ ‖x − centre‖ for every point below (certified, rounded up); 0 without a centre
}

func (p *part) len() int { return len(p.ids) }

// lo and hi return node i's box corners (read-only views).
func (p *part) lo(i int) []float64 { return p.box[2*p.d*i : 2*p.d*i+p.d : 2*p.d*i+p.d] }
func (p *part) hi(i int) []float64 {
	return p.box[2*p.d*i+p.d : 2*p.d*(i+1) : 2*p.d*(i+1)]
}

// buildPart builds a static tree over the rows of pts (n×d) with the given
// ids. pts and ids are not retained.
//
// Cost: O(n log n) for the median selections plus one pass over the
// coordinates; the split dimension is chosen from the node's cell (the
// region its ancestors' splits leave it), the tight boxes are computed
// afterwards, bottom-up, from the points in leaf order. partBuild does the
// same work in resumable steps (TreeBuilder).
func buildPart(d int, pts []float64, ids []int32, leaf int, shells bool) *part {
	pb := newPartBuild(d, pts, ids, leaf, shells)
	for !pb.step(nil) {
	}
	return pb.p
}

// partBuild is buildPart in steps: at most stepRows rows of a pass over
// the points, or about splitWork key visits of a node's split (the fill of
// its keys, the selection's partition passes: selection keeps its cursors
// between steps), or one node below that size, at a time. The steps do the
// same work in the same order as one call, so the part is the same bit for
// bit.
type partBuild struct {
	b      builder
	pts    []float64
	ids    []int32
	shells bool
	phase  int
	pos    int          // pbFinite … pbGather: the next row; pbBoxes: nodes done (from the last)
	sub    int          // pbCentre: 0 the sums, 1 the radii
	cell   []float64    // pbCell: the root's cell so far
	stack  []buildFrame // nodes still to split, the next on top (preorder)
	split  bool         // pbNodes: a node's split is under way (b.job)
	p      *part
}

// buildFrame is a node to build: rows perm[s:e] in cell (owned), at depth;
// parent ≥ 0 is the node whose right child it is.
type buildFrame struct {
	s, e, depth int
	cell        []float64
	shell       bool
	parent      int32
}

// partBuild phases, in order.
const (
	pbFinite = iota // are all coordinates finite?
	pbCentre        // shells: the centre and every row's radius
	pbCell          // the root's cell
	pbNodes         // the nodes, one per step, a large one's split in slices
	pbGather        // the rows in leaf order, Auto's sample
	pbBoxes         // the tight boxes bottom-up
	pbBox32         // their float32 copies
	pbDone
)

func newPartBuild(d int, pts []float64, ids []int32, leaf int, shells bool) *partBuild {
	n := len(ids)
	p := &part{d: d, finite: true, absMax: make([]float64, d)}
	pb := &partBuild{pts: pts, ids: ids, shells: shells, p: p}
	pb.b = builder{d: d, src: pts, leaf: leaf, p: p}
	if n == 0 {
		pb.phase = pbDone
	}
	return pb
}

// step does work until more (if not nil) says to stop, at least one step,
// and reports whether the part is complete.
func (pb *partBuild) step(more func() bool) bool {
	for first := true; pb.phase != pbDone && (first || more == nil || more()); first = false {
		pb.next()
	}
	return pb.phase == pbDone
}

// next does one step.
func (pb *partBuild) next() {
	b, p, pts := &pb.b, pb.p, pb.pts
	d, n := b.d, len(pb.ids)
	switch pb.phase {
	case pbFinite:
		// perm, and whether every coordinate is finite, stepRows rows per step
		if pb.pos == 0 {
			b.perm, b.keys = make([]int32, n), make([]float64, n)
		}
		total := max(n, (len(pts)+d-1)/d)
		to := min(total, pb.pos+stepRows)
		for i := pb.pos; i < min(to, n); i++ {
			b.perm[i] = int32(i)
		}
		if p.finite {
			for _, x := range pts[min(len(pts), pb.pos*d):min(len(pts), to*d)] {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					p.finite = false
					break
				}
			}
		}
		if pb.pos = to; to < total {
			return
		}
		pb.pos, pb.phase = 0, pbCentre
	case pbCentre:
		if !p.finite || !pb.shells {
			pb.phase = pbCell
			return
		}
		// Radius splits, and ball bounds around the mean on every node:
		// the sums, then the radii, stepRows rows per step.
		if pb.sub == 0 && pb.pos == 0 {
			p.centre = make([]float64, d)
		}
		to := min(n, pb.pos+stepRows)
		if pb.sub == 0 {
			for r := pb.pos; r < to; r++ {
				for t, v := range pts[r*d : (r+1)*d] {
					p.centre[t] += v
				}
			}
			if pb.pos = to; to < n {
				return
			}
			for t := range p.centre {
				p.centre[t] /= float64(n)
			}
			b.radius = make([]float64, n)
			pb.sub, pb.pos = 1, 0
			return
		}
		for r := pb.pos; r < to; r++ {
			b.radius[r] = radiusUp(pts[r*d:(r+1)*d], p.centre)
		}
		if pb.pos = to; to < n {
			return
		}
		b.chain = max(2*b.leaf, shellMin)
		pb.pos, pb.phase = 0, pbCell
	case pbCell:
		// the root's cell, stepRows rows per step
		if pb.pos == 0 {
			// About 2n/leaf nodes for median splits.
			est := 2*n/b.leaf + 1
			p.nodes = make([]node, 0, est)
			pb.cell = make([]float64, 2*d)
			copy(pb.cell[:d], pts[:d])
			copy(pb.cell[d:], pts[:d])
			pb.pos = 1
		}
		cell := pb.cell
		to := min(n, pb.pos+stepRows)
		for r := pb.pos; r < to; r++ {
			for t, v := range pts[r*d : (r+1)*d] {
				if v < cell[t] {
					cell[t] = v
				}
				if v > cell[d+t] {
					cell[d+t] = v
				}
			}
		}
		if pb.pos = to; to < n {
			return
		}
		pb.stack = append(pb.stack, buildFrame{s: 0, e: n, cell: cell, shell: b.chain > 0, parent: -1})
		pb.cell, pb.pos, pb.phase = nil, 0, pbNodes
	case pbNodes:
		// one node per step, a large node's split in slices of splitWork
		if !pb.split {
			f := pb.stack[len(pb.stack)-1]
			pb.stack = pb.stack[:len(pb.stack)-1]
			pb.split = b.begin(f)
		}
		if pb.split {
			var done bool
			pb.stack, done = b.run(pb.stack, splitWork)
			pb.split = !done
		}
		if !pb.split && len(pb.stack) == 0 {
			pb.phase = pbGather
		}
	case pbGather:
		// Gather the rows into leaf order so that a subtree is a contiguous
		// run, stepRows rows per step.
		if pb.pos == 0 {
			p.pts = make([]float64, n*d)
			p.ids = make([]int32, n)
		}
		to := min(n, pb.pos+stepRows)
		for r := pb.pos; r < to; r++ {
			src := b.perm[r]
			copy(p.pts[r*d:(r+1)*d], pts[int(src)*d:int(src+1)*d])
			p.ids[r] = pb.ids[src]
		}
		if pb.pos = to; to < n {
			return
		}
		pb.pos = 0
		if n >= sampleMinPoints {
			// Auto's estimate of a query's reported fraction: every
			// (n/sampleRows)-th row in leaf order, so the sample is spread over
			// the whole tree, copied so that it is one short contiguous scan.
			p.sample = make([]float64, sampleRows*d)
			for j := range sampleRows {
				r := (2*j + 1) * n / (2 * sampleRows)
				copy(p.sample[j*d:(j+1)*d], p.pts[r*d:(r+1)*d])
			}
		}
		pb.phase = pbBoxes
	case pbBoxes:
		if pb.boxes() {
			pb.pos, pb.phase = 0, pbBox32
		}
	case pbBox32:
		if pb.boxes32() {
			pb.phase = pbDone
		}
	}
}

// stepRows is about the rows a pass of a step covers (pbGather, pbBoxes).
const stepRows = 1 << 15

// boxes computes the tight boxes bottom-up and the ball radii, nodes over
// about stepRows rows per call; it reports whether they are complete.
func (pb *partBuild) boxes() bool {
	b, p, d := &pb.b, pb.p, pb.b.d
	// Tight boxes, bottom-up: a leaf's from its rows, an internal node's as
	// the union of its children's (children follow their parent in preorder).
	if pb.pos == 0 {
		p.box = make([]float64, 2*d*len(p.nodes))
	}
	rows := 0
	for ; pb.pos < len(p.nodes) && rows < stepRows; pb.pos++ {
		i := len(p.nodes) - 1 - pb.pos
		nd := p.nodes[i]
		if nd.right == 0 {
			rows += int(nd.end - nd.start)
		}
		lo, hi := p.lo(i), p.hi(i)
		if b.radius != nil {
			if nd.right == 0 {
				var rm float64
				for _, src := range b.perm[nd.start:nd.end] {
					rm = max(rm, b.radius[src])
				}
				p.nodes[i].rmax = up32(rm)
			} else {
				p.nodes[i].rmax = max(p.nodes[i+1].rmax, p.nodes[nd.right].rmax)
			}
		}
		if nd.right == 0 {
			rows := p.pts[int(nd.start)*d : int(nd.end)*d]
			for t := range lo {
				mn, mx := rows[t], rows[t]
				for k := t + d; k < len(rows); k += d {
					v := rows[k]
					if v < mn {
						mn = v
					}
					if v > mx {
						mx = v
					}
				}
				lo[t], hi[t] = mn, mx
			}
			continue
		}
		llo, lhi, rlo, rhi := p.lo(i+1), p.hi(i+1), p.lo(int(nd.right)), p.hi(int(nd.right))
		for t := range lo {
			lo[t], hi[t] = llo[t], lhi[t]
			if rlo[t] < lo[t] || lo[t] != lo[t] {
				lo[t] = rlo[t]
			}
			if rhi[t] > hi[t] || hi[t] != hi[t] {
				hi[t] = rhi[t]
			}
		}
	}
	return pb.pos == len(p.nodes)
}

// boxes32 rounds the boxes outwards to float32, about stepRows/4 nodes
// per call, then absMax; it reports whether they are complete.
func (pb *partBuild) boxes32() bool {
	p, d := pb.p, pb.b.d
	// The boxes the queries read: float32, rounded outwards, so each still
	// contains its node's points and a query touches half the bytes.
	if pb.pos == 0 {
		p.box32 = make([]float32, len(p.box))
	}
	to := min(len(p.nodes), pb.pos+stepRows/4)
	for i := pb.pos; i < to; i++ {
		o := 2 * d * i
		for t := 0; t < d; t++ {
			p.box32[o+t] = down32(p.box[o+t])
			p.box32[o+d+t] = up32(p.box[o+d+t])
		}
	}
	if pb.pos = to; to < len(p.nodes) {
		return false
	}
	root := p.box32[:2*d]
	for t := range p.absMax {
		p.absMax[t] = max(math.Abs(float64(root[t])), math.Abs(float64(root[d+t])))
	}
	return true
}

// down32 is the largest float32 ≤ x, up32 the smallest ≥ x (NaN stays NaN;
// beyond the float32 range they are ±Inf, which disables pruning there).
func down32(x float64) float32 {
	f := float32(x)
	if float64(f) > x {
		f = math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return f
}

func up32(x float64) float32 {
	f := float32(x)
	if float64(f) < x {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
}

type builder struct {
	d      int
	src    []float64
	leaf   int
	perm   []int32   // rows of src, permuted into leaf order as the build goes
	keys   []float64 // scratch: the split coordinate of perm[i]
	radius []float64 // certified ‖x − centre‖ of each row of src (nil: no ball bounds)
	chain  int       // radius splits continue on the outer side down to this many points (0: none)
	p      *part
	job    splitJob // the split under way (begin, run)
}

// shellMin is the fewest points the outermost shell of a radius-split chain
// holds (see TreeOptions.Shells); a variable so that tests can build shells
// over few points.
var shellMin = 1024

// splitWork is about the keys one slice of a node's split visits (the
// fill of its keys, the selection's partition passes): the root's
// selection at n = 2^20 is some 3.4n visits, so it takes ~50 slices.
const splitWork = 2 * stepRows

// splitJob is the split of one node under way (builder.begin, run).
type splitJob struct {
	f          buildFrame
	me         int32
	shell      bool // a radius split
	stage      int  // spChoose, spFill, spSelect
	dim        int
	pos        int // spFill: the next of the node's rows
	kmin, kmax float64
	sel        selection
}

// splitJob stages.
const (
	spChoose = iota // the widest dimension of the cell
	spFill          // the split coordinate (or radius) of every row
	spSelect        // the median selection
)

// split appends node f (its rows perm[f.s:f.e], in f.cell) and pushes
// its children onto stack, the left one on top, so that popping builds the
// nodes in preorder: the left subtree whole, then the right. With f.shell,
// the node is split by distance from the centre at the median radius: the
// inner half becomes an ordinary k-d subtree, the outer half is split by
// radius again, down to b.chain points. It is begin and run to the end.
func (b *builder) split(f buildFrame, stack []buildFrame) []buildFrame {
	if !b.begin(f) {
		return stack
	}
	stack, _ = b.run(stack, math.MaxInt)
	return stack
}

// begin appends node f and reports whether it is to be split (then run
// splits it, in slices).
func (b *builder) begin(f buildFrame) bool {
	p := b.p
	s, e := f.s, f.e
	me := int32(len(p.nodes))
	p.nodes = append(p.nodes, node{start: int32(s), end: int32(e)})
	if f.parent >= 0 {
		p.nodes[f.parent].right = me
	}
	if f.depth > p.height {
		p.height = f.depth
	}
	if e-s <= b.leaf {
		return false
	}
	b.job = splitJob{f: f, me: me, shell: f.shell && e-s >= 2*b.chain}
	return true
}

// run goes on with the split begun by begin for about limit key visits
// (at least some progress), and reports whether it is complete: then the
// children are pushed onto stack (none: all rows equal, one leaf).
//
// A radius split (job.shell) splits at the median radius. Otherwise the
// widest dimension of the cell is split at the median (by count, so the
// tree is balanced and its height is ⌈log2(n/leaf)⌉); a dimension in
// which the node's points are all equal is skipped.
func (b *builder) run(stack []buildFrame, limit int) ([]buildFrame, bool) {
	j := &b.job
	d := b.d
	s, e, cell := j.f.s, j.f.e, j.f.cell
	keys, perm := b.keys[s:e], b.perm[s:e]
	work := 0
	for {
		switch j.stage {
		case spChoose:
			if !j.shell {
				dim, w := -1, 0.0
				for t := 0; t < d; t++ {
					if sp := cell[d+t] - cell[t]; sp > w {
						dim, w = t, sp
					}
				}
				if dim < 0 {
					return stack, true // all rows equal (or not comparable): one leaf
				}
				j.dim, j.kmin, j.kmax = dim, math.Inf(1), math.Inf(-1)
			}
			j.pos, j.stage = 0, spFill
		case spFill:
			to := min(len(perm), j.pos+max(1, limit-work))
			if j.shell {
				for i := j.pos; i < to; i++ {
					keys[i] = b.radius[perm[i]]
				}
			} else {
				dim, kmin, kmax := j.dim, j.kmin, j.kmax
				for i, r := range perm[j.pos:to] {
					v := b.src[int(r)*d+dim]
					keys[j.pos+i] = v
					kmin = min(kmin, v)
					kmax = max(kmax, v)
				}
				j.kmin, j.kmax = kmin, kmax
			}
			work += to - j.pos
			if j.pos = to; to < len(perm) {
				return stack, false
			}
			if !j.shell && !(j.kmin < j.kmax) {
				kmin := j.kmin
				cell[j.dim], cell[d+j.dim] = kmin, kmin // flat here: never split it again below
				if kmin != kmin {
					cell[j.dim], cell[d+j.dim] = 0, 0
				}
				j.stage = spChoose
				continue
			}
			j.sel, j.stage = selection{lo: 0, hi: len(keys) - 1}, spSelect
		case spSelect:
			m := (e - s) / 2
			if !j.sel.run(keys, perm, m, limit, &work) {
				return stack, false
			}
			if j.shell {
				left := slices.Clone(cell)
				return append(stack,
					buildFrame{s: s + m, e: e, depth: j.f.depth + 1, cell: cell, shell: true, parent: j.me},
					buildFrame{s: s, e: s + m, depth: j.f.depth + 1, cell: left, parent: -1}), true
			}
			v := keys[m]
			left := make([]float64, 2*d)
			copy(left, cell)
			left[d+j.dim] = v
			cell[j.dim] = v
			return append(stack,
				buildFrame{s: s + m, e: e, depth: j.f.depth + 1, cell: cell, parent: j.me},
				buildFrame{s: s, e: s + m, depth: j.f.depth + 1, cell: left, parent: -1}), true
		}
	}
}

// selectK reorders keys (and perm alongside, if not nil) so that keys[k] is the k-th
// smallest, everything before it ≤ keys[k] and everything after ≥ keys[k]
// (Hoare's selection; balanced on ties). NaN keys end up anywhere.
func selectK(keys []float64, perm []int32, k int) {
	sel := selection{lo: 0, hi: len(keys) - 1}
	var work int
	sel.run(keys, perm, k, math.MaxInt, &work)
}

// selection is selectK's state between slices: the range [lo, hi] still
// to select in and, within a partition pass (open), its pivot and cursors.
type selection struct {
	lo, hi, i, j int
	pv           float64
	open         bool
}

// run goes on with the selection until *work reaches limit (counting the
// keys its partition passes step over, at least one partition step) and
// reports whether it is complete. The operations are selectK's in the same
// order, however the calls slice them.
func (s *selection) run(keys []float64, perm []int32, k, limit int, work *int) bool {
	for s.hi > s.lo {
		lo, hi := s.lo, s.hi
		if hi-lo < 8 {
			// Insertion sort the small range.
			for i := lo + 1; i <= hi; i++ {
				for j := i; j > lo && keys[j] < keys[j-1]; j-- {
					keys[j], keys[j-1] = keys[j-1], keys[j]
					if perm != nil {
						perm[j], perm[j-1] = perm[j-1], perm[j]
					}
				}
			}
			s.hi = s.lo
			return true
		}
		if !s.open {
			mid := lo + (hi-lo)/2
			// Median of three as the pivot.
			a, b, c := keys[lo], keys[mid], keys[hi]
			pv := b
			if (a < b) != (a < c) {
				pv = a
			} else if (c < a) != (c < b) {
				pv = c
			}
			s.pv, s.i, s.j, s.open = pv, lo, hi, true
		}
		pv, i, j := s.pv, s.i, s.j
		for i <= j {
			if *work >= limit {
				s.i, s.j = i, j
				return false
			}
			i0, j0 := i, j
			for i <= hi && keys[i] < pv {
				i++
			}
			for j >= lo && keys[j] > pv {
				j--
			}
			if i <= j {
				keys[i], keys[j] = keys[j], keys[i]
				if perm != nil {
					perm[i], perm[j] = perm[j], perm[i]
				}
				i++
				j--
			}
			*work += i - i0 + j0 - j
		}
		s.open = false
		switch {
		case k <= j:
			s.hi = j
		case k >= i:
			s.lo = i
		default:
			s.hi = s.lo
			return true
		}
	}
	return true
}

// radiusUp returns an upper bound on the exact Euclidean distance ‖x − c‖
// (see sqrtUp).
func radiusUp(x, c []float64) float64 {
	var s float64
	for t, v := range x {
		dv := v - c[t]
		s += dv * dv
	}
	return sqrtUp(s, len(x))
}

// sqrtUp turns s, a float64 sum of d squares (of differences or not),
// into an upper bound on the exact Euclidean norm: the computed root has
// relative error at most about (d+4)·u (u = 2⁻⁵³: a rounding per
// difference, per square, per addition of non-negative terms, and the
// square root), so it is multiplied by 1 + 4(d+4)·u; squares that
// underflow lose up to d·2⁻¹⁰⁷⁴ in all, whose root (≤ sqrt(d)·2⁻⁵³⁷) the
// added 2⁻⁵⁰⁰ covers.
func sqrtUp(s float64, d int) float64 {
	return math.Sqrt(s)*(1+float64(4*(d+4))*0x1p-53) + 0x1p-500
}
