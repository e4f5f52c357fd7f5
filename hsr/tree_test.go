package hsr

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Point sets the tests run on. Each is seeded and deterministic.
var dataKinds = []string{"gauss", "uniform", "dup", "equal", "grid", "decay"}

func genPoints(rng *rand.Rand, kind string, n, d int) []float64 {
	p := make([]float64, n*d)
	switch kind {
	case "gauss":
		for i := range p {
			p[i] = rng.NormFloat64()
		}
	case "uniform":
		for i := range p {
			p[i] = rng.Float64()*2e3 - 1e3
		}
	case "dup": // few distinct points, each repeated many times
		m := 1 + n/10
		base := make([]float64, m*d)
		for i := range base {
			base[i] = rng.NormFloat64()
		}
		for i := 0; i < n; i++ {
			copy(p[i*d:(i+1)*d], base[rng.IntN(m)*d:])
		}
	case "equal":
		x := make([]float64, d)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		for i := 0; i < n; i++ {
			copy(p[i*d:(i+1)*d], x)
		}
	case "grid": // small integers: many exact ties of <a, x> for integer a
		for i := range p {
			p[i] = float64(rng.IntN(7) - 3)
		}
	case "decay":
		for i := range p {
			p[i] = rng.NormFloat64() * math.Exp(-float64(i%d)/4)
		}
	default:
		panic("unknown kind " + kind)
	}
	return p
}

func genQuery(rng *rand.Rand, kind string, d int) []float64 {
	a := make([]float64, d)
	for i := range a {
		if kind == "grid" {
			a[i] = float64(rng.IntN(5) - 2)
		} else {
			a[i] = rng.NormFloat64()
		}
	}
	return a
}

// thresholds returns offsets c from "everything reported" to "nothing
// reported", including exact dot values (ties with c are not reported)
// and their floating-point neighbours.
func thresholds(rng *rand.Rand, a, pts []float64) []float64 {
	d := len(a)
	n := len(pts) / d
	cs := []float64{-math.MaxFloat64, math.MaxFloat64, 0, math.Inf(-1), math.Inf(1)}
	if n == 0 {
		return cs
	}
	dots := make([]float64, n)
	for i := range dots {
		dots[i] = Dot(a, pts[i*d:(i+1)*d])
	}
	slices.Sort(dots)
	cs = append(cs, dots[0]-1, dots[n-1], dots[n-1]+1, math.Nextafter(dots[0], math.Inf(-1)))
	for _, f := range []float64{0, 1e-4, 0.01, 0.1, 0.5, 0.9, 0.999} {
		v := dots[int(f*float64(n-1))]
		cs = append(cs, v, math.Nextafter(v, math.Inf(1)), math.Nextafter(v, math.Inf(-1)))
	}
	for range 3 {
		cs = append(cs, dots[rng.IntN(n)])
	}
	return cs
}

// collectSorted runs a query and returns the sorted ids, failing on a
// duplicate.
func collectSorted(t testing.TB, ix Index, a []float64, c float64) ([]int, Stats) {
	t.Helper()
	ids, st := Collect(ix, a, c, nil)
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			t.Fatalf("%T: id %d reported twice", ix, ids[i])
		}
	}
	if st.Reported != len(ids) {
		t.Fatalf("%T: Stats.Reported = %d, visited %d", ix, st.Reported, len(ids))
	}
	return ids, st
}

// oracle is the definition, independent of every index: the ids with
// Dot(a, x) > c, in order.
func oracle(a []float64, c float64, pts []float64) []int {
	d := len(a)
	var ids []int
	for i := 0; i < len(pts)/d; i++ {
		if Dot(a, pts[i*d:(i+1)*d]) > c {
			ids = append(ids, i)
		}
	}
	return ids
}

func sameIDs(got, want []int) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func TestTreeMatchesScan(t *testing.T) {
	type cfg struct{ d, n int }
	var cfgs []cfg
	for _, d := range []int{1, 2, 3, 4, 5, 7, 8, 9, 16, 33, 64, 128} {
		for _, n := range []int{0, 1, 2, 3, 17, 100, 1000} {
			cfgs = append(cfgs, cfg{d, n})
		}
	}
	if !testing.Short() { // the big ones are most of the time
		cfgs = append(cfgs, cfg{2, 100000}, cfg{3, 30000}, cfg{8, 20000}, cfg{64, 5000}, cfg{128, 2000})
	}
	for _, cf := range cfgs {
		for ki, kind := range dataKinds {
			if cf.n > 1000 && ki%2 == 1 {
				continue // keep the big cases to half the kinds
			}
			rng := rand.New(rand.NewPCG(uint64(cf.d), uint64(cf.n*10+ki)))
			pts := genPoints(rng, kind, cf.n, cf.d)
			leaf := []int{0, 1, 3}[rng.IntN(3)]
			tr := NewTree(cf.d, pts, TreeOptions{LeafSize: leaf})
			au := NewAuto(cf.d, pts, TreeOptions{LeafSize: leaf})
			sc := NewScan(cf.d, pts)
			checkTree(t, tr, pts)
			mask := make([]int32, cf.n) // query number that last reported each id
			qn := int32(0)
			for qi := 0; qi < 3; qi++ {
				a := genQuery(rng, kind, cf.d)
				for _, c := range thresholds(rng, a, pts) {
					want := oracle(a, c, pts)
					for _, ix := range []Index{sc, tr, au} {
						// Each id reported once, every one in want, as many as want.
						qn++
						inWant := qn
						for _, id := range want {
							mask[id] = inWant
						}
						qn++
						got := 0
						st := ix.Query(a, c, func(id int) bool {
							if id < 0 || id >= cf.n || mask[id] != inWant {
								t.Fatalf("%T d=%d n=%d %s leaf=%d c=%v: id %d reported twice or not in the half-space", ix, cf.d, cf.n, kind, leaf, c, id)
							}
							mask[id] = qn
							got++
							return true
						})
						if got != len(want) || st.Reported != got {
							t.Fatalf("%T d=%d n=%d %s leaf=%d c=%v: got %d ids (Stats %d) want %d", ix, cf.d, cf.n, kind, leaf, c, got, st.Reported, len(want))
						}
					}
				}
			}
		}
	}
}

// A query whose dot products are all decided at the last bit: points on a
// hyperplane <a, x> = c up to rounding.
func TestTreeRoundingBoundary(t *testing.T) {
	for _, d := range []int{2, 3, 5, 16, 64} {
		rng := rand.New(rand.NewPCG(7, uint64(d)))
		a := genQuery(rng, "gauss", d)
		n := 3000
		pts := make([]float64, n*d)
		for i := 0; i < n; i++ {
			x := pts[i*d : (i+1)*d]
			for j := range x {
				x[j] = rng.NormFloat64() * 1e3
			}
			// Project x onto <a, x> = 1 (in floating point: ties at the ULP).
			s := (Dot(a, x) - 1) / Dot(a, a)
			for j := range x {
				x[j] -= s * a[j]
			}
		}
		tr := NewTree(d, pts, TreeOptions{LeafSize: 4})
		for _, c := range []float64{1, math.Nextafter(1, 0), math.Nextafter(1, 2), 1 - 1e-12, 1 + 1e-12} {
			got, _ := collectSorted(t, tr, a, c)
			want := oracle(a, c, pts)
			if !sameIDs(got, want) {
				t.Fatalf("d=%d c=%v: got %d ids want %d", d, c, len(got), len(want))
			}
		}
	}
}

func TestTreeZeroQuery(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, d := range []int{1, 2, 3, 10} {
		pts := genPoints(rng, "gauss", 500, d)
		tr := NewTree(d, pts, TreeOptions{})
		a := make([]float64, d)
		for _, c := range []float64{-1, -math.SmallestNonzeroFloat64, 0, 1, math.Inf(-1)} {
			got, _ := collectSorted(t, tr, a, c)
			want := 0
			if 0 > c {
				want = 500
			}
			if len(got) != want {
				t.Errorf("d=%d c=%v: got:%d want:%d", d, c, len(got), want)
			}
		}
	}
}

func TestTreeEarlyStop(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, d := range []int{2, 8} {
		pts := genPoints(rng, "gauss", 5000, d)
		tr := NewTree(d, pts, TreeOptions{BufferSize: 16})
		for range 40 {
			tr.Insert(genPoints(rng, "gauss", 1, d))
		}
		all := NewScan(d, pts)
		a := genQuery(rng, "gauss", d)
		want, _ := collectSorted(t, all, a, -1)
		for _, k := range []int{1, 2, 10, len(want) / 2} {
			var got []int
			st := tr.Query(a, -1, func(id int) bool {
				got = append(got, id)
				return len(got) < k
			})
			if len(got) != k {
				t.Fatalf("d=%d k=%d: visited %d", d, k, len(got))
			}
			if st.Reported < k {
				t.Fatalf("d=%d k=%d: Stats.Reported=%d", d, k, st.Reported)
			}
			tr2 := NewScan(d, nil)
			_ = tr2
			for _, id := range got {
				if id < 0 || id >= tr.Len() || Dot(a, pointOf(tr, id)) <= -1 {
					t.Fatalf("d=%d: reported id %d is not in the half-space", d, id)
				}
			}
		}
	}
}

// pointOf finds the point with the given id (test helper, linear).
func pointOf(t *Tree, id int) []float64 {
	for _, p := range append(slices.Clone(t.parts), t.buf) {
		for r, x := range p.ids {
			if int(x) == id {
				return p.pts[r*p.d : (r+1)*p.d]
			}
		}
	}
	panic("no such id")
}

func TestTreeInsertMatchesScan(t *testing.T) {
	for _, d := range []int{1, 2, 3, 6, 20} {
		for _, kind := range []string{"gauss", "grid", "dup"} {
			rng := rand.New(rand.NewPCG(uint64(d), 99))
			n0 := rng.IntN(50)
			pts := genPoints(rng, kind, n0, d)
			bs := []int{1, 3, 8, 0}[rng.IntN(4)]
			tr := NewTree(d, pts, TreeOptions{LeafSize: 2, BufferSize: bs})
			sc := NewScan(d, pts)
			for i := 0; i < 700; i++ {
				x := genPoints(rng, kind, 1, d)
				if id, id2 := tr.Insert(x), sc.Insert(x); id != id2 || id != n0+i {
					t.Fatalf("Insert ids: tree %d scan %d want %d", id, id2, n0+i)
				}
				if tr.Len() != sc.Len() {
					t.Fatalf("Len: got:%d want:%d", tr.Len(), sc.Len())
				}
				if i%37 == 0 || i == 699 {
					checkTree(t, tr, sc.Points())
					a := genQuery(rng, kind, d)
					for _, c := range thresholds(rng, a, sc.Points()) {
						got, _ := collectSorted(t, tr, a, c)
						want, _ := collectSorted(t, sc, a, c)
						if !sameIDs(got, want) {
							t.Fatalf("d=%d %s after %d inserts c=%v: got %d ids want %d", d, kind, i+1, c, len(got), len(want))
						}
					}
				}
			}
			sizes := tr.Parts()
			for i := 1; i+1 < len(sizes); i++ {
				if 2*sizes[i] > sizes[i-1] {
					t.Errorf("parts %v: part %d more than half the one before", sizes, i)
				}
			}
		}
	}
}

// checkTree checks the invariants of every part directly, and that the
// parts and the buffer hold each of pts (row i has id i) exactly once.
func checkTree(t testing.TB, tr *Tree, pts []float64) {
	t.Helper()
	d := tr.d
	seen := make([]bool, tr.Len())
	if len(pts)/d != tr.Len() {
		t.Fatalf("Len: got:%d want:%d", tr.Len(), len(pts)/d)
	}
	all := append(slices.Clone(tr.parts), tr.buf)
	for pi, p := range all {
		if len(p.pts) != d*p.len() {
			t.Fatalf("part %d: %d coordinates for %d points", pi, len(p.pts), p.len())
		}
		for r, id := range p.ids {
			if id < 0 || int(id) >= len(seen) || seen[id] {
				t.Fatalf("part %d: id %d out of range or stored twice", pi, id)
			}
			seen[id] = true
			if !slices.Equal(p.pts[r*d:(r+1)*d], pts[int(id)*d:int(id+1)*d]) {
				t.Fatalf("part %d: row %d (id %d) is not the inserted point", pi, r, id)
			}
			for k, x := range p.pts[r*d : (r+1)*d] {
				if math.Abs(x) > p.absMax[k] {
					t.Fatalf("part %d: absMax[%d]=%v < |%v|", pi, k, p.absMax[k], x)
				}
			}
		}
		if p.len() == 0 {
			continue
		}
		if p.nodes[0].start != 0 || int(p.nodes[0].end) != p.len() {
			t.Fatalf("part %d: root covers [%d,%d) of %d", pi, p.nodes[0].start, p.nodes[0].end, p.len())
		}
		for i, nd := range p.nodes {
			lo, hi := p.lo(i), p.hi(i)
			if nd.end <= nd.start {
				t.Fatalf("part %d node %d: empty range", pi, i)
			}
			if p.box32 != nil {
				for k := 0; k < d; k++ {
					l32, h32 := float64(p.box32[2*d*i+k]), float64(p.box32[2*d*i+d+k])
					if !(l32 <= lo[k] && h32 >= hi[k]) || math.Abs(l32) > p.absMax[k] || math.Abs(h32) > p.absMax[k] {
						t.Fatalf("part %d node %d dim %d: float32 box [%v,%v] does not contain [%v,%v] or exceeds absMax", pi, i, k, l32, h32, lo[k], hi[k])
					}
				}
			}
			// Tight box: contains every row, and each face touches a row.
			touchLo, touchHi := make([]bool, d), make([]bool, d)
			for r := nd.start; r < nd.end; r++ {
				for k, x := range p.pts[int(r)*d : int(r+1)*d] {
					if x < lo[k] || x > hi[k] {
						t.Fatalf("part %d node %d: row %d outside the box in dim %d", pi, i, r, k)
					}
					touchLo[k] = touchLo[k] || x == lo[k]
					touchHi[k] = touchHi[k] || x == hi[k]
				}
			}
			for k := range touchLo {
				if !touchLo[k] || !touchHi[k] {
					t.Fatalf("part %d node %d: box not tight in dim %d", pi, i, k)
				}
			}
			if nd.right == 0 {
				if pi == len(all)-1 { // the buffer: one leaf, flushed when full
					if p.len() >= tr.opt.BufferSize {
						t.Fatalf("buffer holds %d ≥ %d points", p.len(), tr.opt.BufferSize)
					}
					continue
				}
				if int(nd.end-nd.start) > tr.opt.LeafSize && !allEqualRows(p, int(nd.start), int(nd.end)) {
					t.Fatalf("part %d node %d: leaf of %d > %d unequal points", pi, i, nd.end-nd.start, tr.opt.LeafSize)
				}
				continue
			}
			l, r := p.nodes[i+1], p.nodes[nd.right]
			if l.start != nd.start || l.end != r.start || r.end != nd.end {
				t.Fatalf("part %d node %d [%d,%d): children [%d,%d) [%d,%d) do not partition it",
					pi, i, nd.start, nd.end, l.start, l.end, r.start, r.end)
			}
		}
	}
	for id, ok := range seen {
		if !ok {
			t.Fatalf("id %d is stored nowhere", id)
		}
	}
}

func allEqualRows(p *part, s, e int) bool {
	d := p.d
	for r := s + 1; r < e; r++ {
		if !slices.Equal(p.pts[r*d:(r+1)*d], p.pts[s*d:(s+1)*d]) {
			return false
		}
	}
	return true
}

func TestTraceMatchesQuery(t *testing.T) {
	for _, d := range []int{1, 2, 3, 9, 64} {
		for _, kind := range []string{"gauss", "grid", "equal"} {
			rng := rand.New(rand.NewPCG(uint64(d), 5))
			pts := genPoints(rng, kind, 3000, d)
			tr := NewTree(d, pts, TreeOptions{BufferSize: 64})
			for range 150 {
				x := genPoints(rng, kind, 1, d)
				tr.Insert(x)
				pts = append(pts, x...)
			}
			var trace Trace
			a := genQuery(rng, kind, d)
			au := &Auto{Tree: tr}
			for ci, c := range thresholds(rng, a, pts) {
				var ix Index = tr
				if ci%2 == 1 {
					ix = au
				}
				ids, st := collectSorted(t, ix, a, c)
				ix.Trace(a, c, &trace)
				if trace.Stats != st {
					t.Fatalf("d=%d %s c=%v: trace stats %+v, query stats %+v", d, kind, c, trace.Stats, st)
				}
				tids := slices.Sorted(slices.Values(trace.IDs))
				if !sameIDs(tids, ids) {
					t.Fatalf("d=%d %s c=%v: trace reports %d ids, query %d", d, kind, c, len(tids), len(ids))
				}
				if trace.C != c || !slices.Equal(trace.A, a) {
					t.Fatalf("trace does not record the query")
				}
				checkSteps(t, tr, &trace, ix == Index(au))
			}
		}
	}
}

// checkSteps checks every traced step against the tree and the query.
// With auto, a straddling internal node may be scanned point by point.
func checkSteps(t *testing.T, tr *Tree, trace *Trace, auto bool) {
	t.Helper()
	all := append(slices.Clone(tr.parts), tr.buf)
	var sum Stats
	for si, s := range trace.Steps {
		p := all[s.Part]
		nd := p.nodes[s.Node]
		if s.Count != int(nd.end-nd.start) {
			t.Fatalf("step %d: Count %d, node has %d", si, s.Count, nd.end-nd.start)
		}
		hits := 0
		for r := nd.start; r < nd.end; r++ {
			v := Dot(trace.A, p.pts[int(r)*p.d:int(r+1)*p.d])
			if !(s.Min <= v && v <= s.Max) {
				t.Fatalf("step %d: Dot %v outside [%v, %v]", si, v, s.Min, s.Max)
			}
			if v > trace.C {
				hits++
			}
		}
		if !slices.Equal(s.Lo, p.lo(s.Node)) || !slices.Equal(s.Hi, p.hi(s.Node)) {
			t.Fatalf("step %d: box is not the node's", si)
		}
		switch s.Decision {
		case Pruned:
			if s.Max > trace.C || hits != 0 || s.Reported != 0 {
				t.Fatalf("step %d: pruned with Max %v > c %v or %d hits", si, s.Max, trace.C, hits)
			}
		case ReportedWhole:
			if s.Min <= trace.C || hits != s.Count || s.Reported != s.Count {
				t.Fatalf("step %d: reported whole with Min %v ≤ c %v", si, s.Min, trace.C)
			}
		case LeafScanned:
			if s.Reported != hits || s.DotProducts != s.Count || (nd.right != 0 && !auto) {
				t.Fatalf("step %d: leaf scanned reports %d of %d hits", si, s.Reported, hits)
			}
		case Opened:
			if nd.right == 0 {
				t.Fatalf("step %d: opened a leaf", si)
			}
		}
		if s.Parent >= 0 {
			ps := trace.Steps[s.Parent]
			pn := all[ps.Part].nodes[ps.Node]
			if ps.Part != s.Part || ps.Decision != Opened || s.Depth != ps.Depth+1 ||
				!(s.Node == ps.Node+1 || int32(s.Node) == pn.right) {
				t.Fatalf("step %d: parent step %d is not its parent", si, s.Parent)
			}
		} else if s.Node != 0 || s.Depth != 0 {
			t.Fatalf("step %d: root step for node %d depth %d", si, s.Node, s.Depth)
		}
		sum.NodesVisited++
		sum.Reported += s.Reported
		sum.DotProducts += s.DotProducts
	}
	if sum.NodesVisited != trace.Stats.NodesVisited || sum.Reported != trace.Stats.Reported ||
		sum.DotProducts != trace.Stats.DotProducts {
		t.Fatalf("steps add up to %+v, stats %+v", sum, trace.Stats)
	}
}

func TestTreeEmptyAndString(t *testing.T) {
	tr := NewTree(3, nil, TreeOptions{})
	if tr.Len() != 0 || tr.Dim() != 3 {
		t.Fatalf("empty tree: Len %d Dim %d", tr.Len(), tr.Dim())
	}
	n := 0
	tr.Query([]float64{1, 2, 3}, math.Inf(-1), func(int) bool { n++; return true })
	if n != 0 {
		t.Fatalf("empty tree reported %d", n)
	}
	if s := tr.String(); s == "" {
		t.Fatal("empty String")
	}
	if id := tr.Insert([]float64{1, 2, 3}); id != 0 {
		t.Fatalf("first Insert id %d", id)
	}
	got, _ := collectSorted(t, tr, []float64{1, 0, 0}, 0.5)
	if fmt.Sprint(got) != "[0]" {
		t.Fatalf("got:%v want:[0]", got)
	}
}

func TestTreeNonFinite(t *testing.T) {
	// Non-finite coordinates: no certificate, but the answer is still
	// exactly Dot(a, x) > c (NaN dots are never reported).
	pts := []float64{1, 2, math.NaN(), 0, math.Inf(1), 1, -3, 4, 1e308, 1e308, 0, 0}
	tr := NewTree(2, pts, TreeOptions{LeafSize: 1})
	for _, a := range [][]float64{{1, 1}, {-1, 0.5}, {0, 0}, {1e10, 1e10}} {
		for _, c := range []float64{-1, 0, 5, math.Inf(-1), math.Inf(1), math.NaN()} {
			got, _ := collectSorted(t, tr, a, c)
			want := oracle(a, c, pts)
			if !sameIDs(got, want) {
				t.Errorf("a=%v c=%v: got:%v want:%v", a, c, got, want)
			}
		}
	}
}

func TestNew(t *testing.T) {
	pts := []float64{1, 2, 3, 4, 5, 6}
	for _, kind := range IndexKinds() {
		ix, err := New(kind, 2, pts)
		if err != nil {
			t.Fatalf("New(%q): %v", kind, err)
		}
		got, _ := collectSorted(t, ix, []float64{1, 0}, 2)
		if fmt.Sprint(got) != "[1 2]" || ix.Len() != 3 || ix.Dim() != 2 {
			t.Fatalf("New(%q): got:%v Len %d Dim %d want:[1 2] 3 2", kind, got, ix.Len(), ix.Dim())
		}
	}
	for _, bad := range []struct {
		kind IndexKind
		d    int
		pts  []float64
	}{{IndexKind(7), 2, pts}, {IndexTree, 0, pts}, {IndexTree, 4, pts}, {IndexKind(3), 2, nil}} {
		if _, err := New(bad.kind, bad.d, bad.pts); err == nil {
			t.Errorf("New(%v, %d, %d coords): no error", bad.kind, bad.d, len(bad.pts))
		}
	}
}

// Auto on isotropic high-dimensional data, where the tree cannot prune,
// must fall back to scanning: about n dot products, not the tree's nodes.
func TestAutoFallsBackToScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	n, d := 1<<15, 64
	pts := genPoints(rng, "gauss", n, d)
	au := NewAuto(d, pts, TreeOptions{})
	a := genQuery(rng, "gauss", d)
	_, st := collectSorted(t, au, a, 0)
	if st.DotProducts > n || st.NodesVisited > n/64 || FrontierSize(d) > n/8 {
		t.Fatalf("auto at d=64, half reported: %+v", st)
	}
	// And in the plane it keeps the tree's win.
	pts = genPoints(rng, "gauss", n, 2)
	au = NewAuto(2, pts, TreeOptions{})
	_, st = collectSorted(t, au, []float64{1, 0}, 3)
	if st.DotProducts > n/20 {
		t.Fatalf("auto at d=2, tail query: %d dot products of %d", st.DotProducts, n)
	}
}

// Collect (AppendQuery) and Query (a visitor) report the same ids in the
// same order, appending after what dst holds.
func TestAppendQueryMatchesQuery(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pts := genPoints(rng, "gauss", 5000, 3)
	tr := NewTree(3, pts, TreeOptions{BufferSize: 50})
	for range 30 {
		tr.Insert(genPoints(rng, "gauss", 1, 3))
	}
	for _, ix := range []Index{tr, &Auto{Tree: tr}, NewScan(3, pts)} {
		a := genQuery(rng, "gauss", 3)
		for _, c := range []float64{-10, -1, 0, 1, 3} {
			var want []int
			wst := ix.Query(a, c, func(id int) bool { want = append(want, id); return true })
			got, st := ix.(Appender).AppendQuery([]int{-7}, a, c)
			if got[0] != -7 || !slices.Equal(got[1:], want) || st != wst {
				t.Fatalf("%T c=%v: AppendQuery %d ids %+v, Query %d ids %+v", ix, c, len(got)-1, st, len(want), wst)
			}
		}
	}
}

// The scan kernels reproduce Dot exactly: a row is found iff Dot > c, for
// c equal to each row's own Dot and its neighbours, in every dimension
// that has a specialised or a generic kernel.
func TestKernelMatchesDot(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 34))
	for d := 1; d <= 70; d++ {
		pts := genPoints(rng, "uniform", 40, d)
		a := genQuery(rng, "gauss", d)
		for r := 0; r < 40; r++ {
			v := Dot(a, pts[r*d:(r+1)*d])
			for _, c := range []float64{v, math.Nextafter(v, math.Inf(-1)), math.Nextafter(v, math.Inf(1))} {
				got := nextAbove(a, c, pts, r, r+1)
				if (got == r) != (v > c) {
					t.Fatalf("d=%d row %d c=%v: kernel says %v, Dot %v > c is %v", d, r, c, got == r, v, v > c)
				}
			}
			if dotRow(a, pts[r*d:(r+1)*d]) != v {
				t.Fatalf("d=%d: dotRow %v != Dot %v", d, dotRow(a, pts[r*d:(r+1)*d]), v)
			}
		}
	}
}

// Queries may run concurrently (the attention engine spreads rows over
// goroutines): each gets the scan's answer.
func TestConcurrentQueries(t *testing.T) {
	rng := rand.New(rand.NewPCG(77, 1))
	d := 4
	pts := genPoints(rng, "gauss", 20000, d)
	au := NewAuto(d, pts, TreeOptions{})
	sc := NewScan(d, pts)
	qs := make([][]float64, 8)
	want := make([][]int, 8)
	for i := range qs {
		qs[i] = genQuery(rng, "gauss", d)
		want[i], _ = collectSorted(t, sc, qs[i], 1)
	}
	errs := make(chan string, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for r := 0; r < 20; r++ {
				i := (g + r) % len(qs)
				var ix Index = au
				if r%2 == 1 {
					ix = au.Tree
				}
				got, _ := Collect(ix, qs[i], 1, nil)
				slices.Sort(got)
				if !sameIDs(got, want[i]) {
					errs <- fmt.Sprintf("goroutine %d query %d: got %d ids want %d", g, i, len(got), len(want[i]))
					return
				}
			}
			errs <- ""
		}()
	}
	for range 4 {
		if e := <-errs; e != "" {
			t.Fatal(e)
		}
	}
}

// The plane's walk (bound and leaf scan inlined for d = 2 without ball
// bounds, with Collect) reports exactly the oracle's ids, and Collect and
// Query agree on the ids and every count, for c at points' own Dot and
// its neighbours, on ties, duplicates and non-finite coordinates (no
// certificate: every node opened), for Tree and Auto (with and without
// rows, where Auto scans frontier nodes whole).
func TestPlaneWalkMatchesOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, kind := range []string{"gauss", "grid", "dup", "uniform", "inf"} {
		n := 20000
		var pts []float64
		if kind == "inf" {
			pts = genPoints(rng, "gauss", n, 2)
			pts[2*rng.IntN(n)] = math.Inf(1)
			pts[2*rng.IntN(n)+1] = math.NaN()
		} else {
			pts = genPoints(rng, kind, n, 2)
		}
		tr := NewTree(2, pts, TreeOptions{})
		ixs := []Index{tr, AutoOver(tr, pts), &Auto{Tree: tr}}
		for range 3 {
			a := genQuery(rng, kind, 2) // integers for "grid": exact ties
			for _, c := range thresholds(rng, a, pts) {
				want := oracle(a, c, pts)
				for _, ix := range ixs {
					got, st := collectSorted(t, ix, a, c)
					if !sameIDs(got, want) {
						t.Fatalf("%s %T a=%v c=%v: %d ids, oracle %d", kind, ix, a, c, len(got), len(want))
					}
					var vis []int
					vst := ix.Query(a, c, func(id int) bool { vis = append(vis, id); return true })
					slices.Sort(vis)
					if !sameIDs(vis, want) || vst != st {
						t.Fatalf("%s %T a=%v c=%v: Query %d ids %+v, Collect %+v", kind, ix, a, c, len(vis), vst, st)
					}
				}
			}
		}
	}
}
