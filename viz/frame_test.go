package viz

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/hsrviz/hsrviz/viz/input"
)

// The heatmaps are repainted incrementally (only the rows whose result
// changed, the difference map when its scale changed): after every frame of
// a drag with partial computes in between, the cached rasters must equal a
// full repaint of the rows shown.
func TestHeatmapIncrementalMatchesFull(t *testing.T) {
	a := settled(t, "n=4096&d=8&m=24")
	a.Scene(1280, 800)
	check := func(when string) {
		t.Helper()
		hc := &a.ui.heat
		rows, nb := a.heatRows()
		for k := 0; k < 3; k++ {
			want := paintHeat(rows, nb, hc.w, hc.h, k, 0, hc.dmax)
			if !bytes.Equal(hc.imgs[k].Pix, want.Pix) {
				t.Fatalf("%s: heatmap %d differs from a full repaint", when, k)
			}
		}
	}
	check("settled")
	for i, patch := range []string{`{"b":1.1}`, `{"b":1.3}`, `{"kind":"softmax"}`, `{"gamma":0.7}`, `{"kind":"relu"}`, `{"b":0.6}`} {
		if err := a.SetParamsJSON([]byte(patch)); err != nil {
			t.Fatal(err)
		}
		// a few units per frame, so that rows finish over several frames
		for f := 0; f < 400 && a.pending(); f++ {
			for u := 0; u < 1+f%5; u++ {
				if k := a.nextUnit(); k != uNone {
					a.runUnit(k)
				}
			}
			a.Scene(1280, 800)
			if f%7 == 0 {
				check(fmt.Sprintf("patch %d %s, frame %d", i, patch, f))
			}
		}
		a.Settle()
		a.Scene(1280, 800)
		check(fmt.Sprintf("after %s", patch))
	}
	// a new size repaints everything
	a.Scene(900, 700)
	check("resized")
}

// Compute never starts a unit whose kind it has not timed yet after another
// unit: such a unit (an index build) runs first in the next call, after a
// frame has been drawn.
func TestComputeUnknownUnitRunsFirst(t *testing.T) {
	p, _ := ParseHash("n=4096&d=8&m=8")
	a, err := NewApp(p)
	if err != nil {
		t.Fatal(err)
	}
	var order []unitKind
	unitHook = func(k unitKind) { order = append(order, k) }
	defer func() { unitHook = nil }()
	calls, kinds := 0, map[unitKind]bool{}
	for done := false; !done; calls++ {
		if calls > 100000 {
			t.Fatal("Compute never finished")
		}
		before := a.units.seen
		order = order[:0]
		done = a.Compute(time.Hour)
		for j, k := range order {
			kinds[k] = true
			if j > 0 && !before[k] {
				t.Fatalf("call %d ran a never-timed unit kind %d after %v", calls, k, order[:j])
			}
			before[k] = true
		}
	}
	if a.pending() {
		t.Fatal("Compute reported done with work pending")
	}
	for _, k := range []unitKind{uGen, uScan, uTree, uCov, uTrace, uRowsStart, uRowsHSR, uRowsScan, uRowsScores,
		uRowsWeight, uRowsBins, uScalingStart, uScaleScan, uScaleTree, uScaleQuery} {
		if !kinds[k] {
			t.Errorf("unit kind %d never ran", k)
		}
	}
	// with an hour of budget, each never-timed kind costs one extra call
	if calls > int(numUnitKinds)+2 {
		t.Errorf("%d calls to finish with an hour of budget each, want at most %d", calls, numUnitKinds+2)
	}
}

// While b is dragged (one change per frame), every frame's trace follows b
// and no index is rebuilt.
func TestDragFollowsBWithoutRebuild(t *testing.T) {
	a := settled(t, "n=8192&d=16&m=32")
	builds := a.IndexBuilds()
	a.Scene(1280, 800)
	for i := 0; i < 60; i++ {
		if err := a.SetParamsJSON([]byte(fmt.Sprintf(`{"b":%g}`, 1+0.01*float64(i)))); err != nil {
			t.Fatal(err)
		}
		a.Update(input.Input{DT: 1.0 / 60})
		a.Scene(1280, 800)
		if a.trace == nil || a.traceKey.b != a.p.B {
			t.Fatalf("frame %d: the trace does not follow b (%v vs %v)", i, a.traceKey.b, a.p.B)
		}
	}
	if a.IndexBuilds() != builds {
		t.Fatalf("dragging b built %d indexes", a.IndexBuilds()-builds)
	}
}
