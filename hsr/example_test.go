package hsr_test

import (
	"fmt"
	"math"
	"slices"

	"github.com/hsrviz/hsrviz/hsr"
)

// Report the points above a line in the plane.
func ExampleTree_Query() {
	pts := []float64{
		0, 0,
		1, 2,
		2, 1,
		3, 3,
		-1, 4,
	}
	tr := hsr.NewTree(2, pts, hsr.TreeOptions{})
	var ids []int
	st := tr.Query([]float64{1, 1}, 3, func(id int) bool { // x + y > 3
		ids = append(ids, id)
		return true
	})
	slices.Sort(ids)
	fmt.Println(ids, st.Reported)
	// Output: [3] 1
}

// Insert points one at a time (a growing KV cache) and query in between.
func ExampleTree_Insert() {
	tr := hsr.NewTree(2, nil, hsr.TreeOptions{})
	for i := range 10 {
		tr.Insert([]float64{float64(i), 1})
	}
	ids, _ := hsr.Collect(tr, []float64{1, 0}, 6.5, nil)
	slices.Sort(ids)
	fmt.Println(tr.Len(), ids)
	// Output: 10 [7 8 9]
}

// The top-r threshold, then the query that keeps Dot ≥ tau.
func ExampleTree_TopR() {
	pts := []float64{5, 1, 4, 2, 3, 9}
	tr := hsr.NewTree(1, pts, hsr.TreeOptions{})
	tau, _ := tr.TopR([]float64{1}, 2)
	ids, _ := hsr.Collect(tr, []float64{1}, math.Nextafter(tau, math.Inf(-1)), nil)
	slices.Sort(ids)
	fmt.Println(tau, ids)
	// Output: 5 [0 5]
}

// A trace lists every node the query entered, with its decision.
func ExampleTree_Trace() {
	pts := []float64{0, 0, 0, 1, 1, 0, 1, 1, 5, 5, 5, 6, 6, 5, 6, 6}
	tr := hsr.NewTree(2, pts, hsr.TreeOptions{LeafSize: 2})
	var t hsr.Trace
	tr.Trace([]float64{1, 1}, 6, &t)
	for _, s := range t.Steps {
		fmt.Printf("depth %d: %s (%d points, %d reported)\n", s.Depth, s.Decision, s.Count, s.Reported)
	}
	fmt.Println("dot products:", t.Stats.DotProducts)
	// Output:
	// depth 0: opened (8 points, 0 reported)
	// depth 1: pruned (4 points, 0 reported)
	// depth 1: reported whole (4 points, 4 reported)
	// dot products: 0
}

// New picks an index by kind, parsed from a name as the command-line tools
// do.
func ExampleNew() {
	kind, err := hsr.ParseIndexKind("auto")
	if err != nil {
		fmt.Println(err)
		return
	}
	ix, err := hsr.New(kind, 3, []float64{1, 0, 0, 0, 1, 0, 0, 0, 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	ids, _ := hsr.Collect(ix, []float64{0, 1, 1}, 0.5, nil)
	slices.Sort(ids)
	fmt.Println(ids)
	_, err = hsr.ParseIndexKind("kd")
	fmt.Println(err)
	// Output:
	// [1 2]
	// unknown index "kd" (want auto, tree or scan)
}
