package viz

import (
	"reflect"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/hsr"
)

// TestTreeBuiltInSlices: at n = 2^17 the tree is built over several units
// (hsr.TreeBuilder, treeSlice each), counted as one index build, and the
// engine's index traces a query exactly as an engine built in one call.
func TestTreeBuiltInSlices(t *testing.T) {
	units := 0
	unitHook = func(k unitKind) {
		if k == uTree {
			units++
		}
	}
	defer func() { unitHook = nil }()
	p, err := ParseHash("n=131072&d=3&m=4&b=1")
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewApp(p)
	if err != nil {
		t.Fatal(err)
	}
	for a.data.engines[hsr.IndexAuto] == nil {
		a.Compute(0)
	}
	if units < 2 {
		t.Fatalf("the tree took %d unit(s), want several slices", units)
	}
	if a.IndexBuilds() != 2 {
		t.Fatalf("%d index builds after the scan and the tree, want 2", a.IndexBuilds())
	}
	ds := a.data
	scan, err := attention.NewEngineWith(mat.NewDense(ds.n, ds.d, ds.K), mat.NewDense(ds.n, ds.dv, ds.V), hsr.IndexScan, engineOptions)
	if err != nil {
		t.Fatal(err)
	}
	want, err := scan.WithIndex(hsr.IndexAuto)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		q := a.q[i*ds.d : (i+1)*ds.d]
		for _, c := range []float64{0, 1, 2.5} {
			var got, exp hsr.Trace
			ds.engines[hsr.IndexAuto].Index().Trace(q, c, &got)
			want.Index().Trace(q, c, &exp)
			if !reflect.DeepEqual(got, exp) {
				t.Fatalf("query %d, c = %v: the sliced tree's trace differs from a one-call build's", i, c)
			}
		}
	}
	a.Settle()
	if a.Snapshot().Stale != nil {
		t.Fatal("stale after settling")
	}
}
