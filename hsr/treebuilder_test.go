package hsr

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// samePart reports the first difference between two parts, bit for bit.
func samePart(a, b *part) error {
	f64 := func(what string, x, y []float64) error {
		if len(x) != len(y) {
			return fmt.Errorf("%s: %d values vs %d", what, len(x), len(y))
		}
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return fmt.Errorf("%s[%d]: %v vs %v", what, i, x[i], y[i])
			}
		}
		return nil
	}
	if a.d != b.d || a.finite != b.finite || a.height != b.height {
		return fmt.Errorf("d %d/%d, finite %v/%v, height %d/%d", a.d, b.d, a.finite, b.finite, a.height, b.height)
	}
	if len(a.nodes) != len(b.nodes) {
		return fmt.Errorf("%d nodes vs %d", len(a.nodes), len(b.nodes))
	}
	for i := range a.nodes {
		if a.nodes[i] != b.nodes[i] {
			return fmt.Errorf("node %d: %+v vs %+v", i, a.nodes[i], b.nodes[i])
		}
	}
	if len(a.ids) != len(b.ids) {
		return fmt.Errorf("%d ids vs %d", len(a.ids), len(b.ids))
	}
	for i := range a.ids {
		if a.ids[i] != b.ids[i] {
			return fmt.Errorf("ids[%d]: %d vs %d", i, a.ids[i], b.ids[i])
		}
	}
	if len(a.box32) != len(b.box32) {
		return fmt.Errorf("%d float32 box values vs %d", len(a.box32), len(b.box32))
	}
	for i := range a.box32 {
		if math.Float32bits(a.box32[i]) != math.Float32bits(b.box32[i]) {
			return fmt.Errorf("box32[%d]: %v vs %v", i, a.box32[i], b.box32[i])
		}
	}
	for _, c := range []struct {
		what string
		x, y []float64
	}{{"pts", a.pts, b.pts}, {"box", a.box, b.box}, {"absMax", a.absMax, b.absMax}, {"centre", a.centre, b.centre}, {"sample", a.sample, b.sample}} {
		if err := f64(c.what, c.x, c.y); err != nil {
			return err
		}
		if (c.x == nil) != (c.y == nil) {
			return fmt.Errorf("%s: nil %v vs %v", c.what, c.x == nil, c.y == nil)
		}
	}
	return nil
}

// TestTreeBuilderSameTree: a tree built one step per call (the smallest
// slices TreeBuilder makes) equals NewTree's over the same points node for
// node, bit for bit, with and without shells, on ties, equal points,
// non-finite coordinates and Auto's sample; and it passes checkTree and
// answers queries as the scan does.
func TestTreeBuilderSameTree(t *testing.T) {
	save := shellMin
	shellMin = 64 // shells at test sizes
	defer func() { shellMin = save }()
	rng := rand.New(rand.NewPCG(11, 12))
	for _, kind := range []string{"gauss", "uniform", "dup", "equal", "grid", "decay"} {
		for _, d := range []int{1, 2, 5, 8, 16} {
			for _, n := range []int{0, 1, 7, 300, 4000, sampleMinPoints + 77, 2*stepRows + 5} {
				if n > 4000 && d > 5 {
					continue
				}
				pts := genPoints(rng, kind, n, d)
				if kind == "uniform" && d == 2 && n > 1 {
					pts[3] = math.NaN() // not finite: the queries open every node
				}
				want := NewTree(d, pts, TreeOptions{})
				b := NewTreeBuilder(d, pts, TreeOptions{})
				steps := 1
				for !b.Step(0) {
					if b.Tree() != nil {
						t.Fatal("Tree before the build is complete")
					}
					steps++
				}
				got := b.Tree()
				name := fmt.Sprintf("%s n=%d d=%d", kind, n, d)
				if got == nil || len(got.parts) != len(want.parts) || got.n != want.n || got.opt != want.opt {
					t.Fatalf("%s: tree %v, want %v", name, got, want)
				}
				for i := range want.parts {
					if err := samePart(got.parts[i], want.parts[i]); err != nil {
						t.Fatalf("%s: part %d: %v", name, i, err)
					}
					if nodes := len(want.parts[i].nodes); steps < nodes {
						t.Fatalf("%s: %d steps for %d nodes: not one node per step", name, steps, nodes)
					}
				}
				if kind == "uniform" && d == 2 && n > 1 {
					continue // checkTree wants finite points
				}
				checkTree(t, got, pts)
				if n > 0 {
					a := genQuery(rng, "gauss", d)
					c := thresholds(rng, a, pts)[0]
					ids, _ := collectSorted(t, got, a, c)
					if !sameIDs(ids, oracle(a, c, pts)) {
						t.Fatalf("%s: the built tree's query differs from the oracle", name)
					}
				}
			}
		}
	}
}

// TestTreeBuilderBudget: a larger budget takes fewer steps and gives the
// same tree.
func TestTreeBuilderBudget(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pts := genPoints(rng, "gauss", 1<<15, 3)
	want := NewTree(3, pts, TreeOptions{})
	b := NewTreeBuilder(3, pts, TreeOptions{})
	calls := 1
	for !b.Step(time.Millisecond) {
		calls++
	}
	if err := samePart(b.Tree().parts[0], want.parts[0]); err != nil {
		t.Fatal(err)
	}
	if nodes := len(want.parts[0].nodes); calls >= nodes {
		t.Errorf("%d calls of 1 ms for %d nodes: the budget does not batch steps", calls, nodes)
	}
	if !b.Step(0) {
		t.Error("Step after completion reports incomplete")
	}
}

// TestTreeBuilderSlicesLargeNodes: the passes over the points and a large
// node's split (its keys, its median selection) are cut into steps, so no
// step grows with n beyond stepRows rows or about splitWork key visits.
func TestTreeBuilderSlicesLargeNodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 1 << 17
	pts := genPoints(rng, "gauss", n, 2)
	b := NewTreeBuilder(2, pts, TreeOptions{})
	steps := 1
	for !b.Step(0) {
		steps++
	}
	nodes := len(b.Tree().parts[0].nodes)
	t.Logf("%d steps, %d nodes", steps, nodes)
	// the finiteness, cell, gather and box passes, the root's keys and
	// its selection (some 3.4n visits) alone; unsliced (one step each but
	// the gather and the boxes) they would be about nodes + 11
	if min := nodes + 4*n/stepRows + 2*n/splitWork + 2; steps < min {
		t.Errorf("%d steps for %d nodes of %d points: want at least %d (large steps not sliced)", steps, nodes, n, min)
	}
}
