package viz

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// The heatmaps are repainted incrementally (only the rows whose result
// changed, the difference map when its scale changed): after every frame of
// a drag with partial computes in between, the cached rasters must equal a
// full repaint of the rows shown.
func TestHeatmapIncrementalMatchesFull(t *testing.T) {
	a := settled(t, "n=4096&d=8&m=24")
	a.Scene(1280, 800)
	var prev [3][]byte
	check := func(when string) {
		t.Helper()
		hp := a.panelByName(PanelHeatmap).(*heatmapPanel)
		hc := &hp.heat
		rows, nb := hp.heatRows(a)
		for k := 0; k < 3; k++ {
			want := paintHeat(rows, nb, hc.w, hc.h, k, hc.dmax)
			if !bytes.Equal(hc.imgs[k].Pix, want.Pix) {
				t.Fatalf("%s: heatmap %d differs from a full repaint", when, k)
			}
			// an in-place update says where the pixels changed
			if hc.base[k] != "" && len(prev[k]) == len(want.Pix) {
				for y := 0; y < hc.h; y++ {
					for x := 0; x < hc.w; x++ {
						o := want.PixOffset(x, y)
						if !bytes.Equal(prev[k][o:o+4], want.Pix[o:o+4]) && !(image.Point{x, y}).In(hc.changed[k]) {
							t.Fatalf("%s: heatmap %d pixel (%d,%d) changed outside %v", when, k, x, y, hc.changed[k])
						}
					}
				}
			}
			prev[k] = append(prev[k][:0], want.Pix...)
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
			check(fmt.Sprintf("patch %d %s, frame %d", i, patch, f))
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
	a := appFromHash(t, "n=4096&d=8&m=8")
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
	// done: every job of the pipeline finished, for the current parameters
	// (stated here apart from nextUnit, which pending and Compute both use)
	if !a.data.ready || a.trace == nil || a.traceKey.sans() != a.wantTraceKey() ||
		a.rows == nil || a.rows.key != a.rowsKey() || !a.rows.complete ||
		a.scaling == nil || a.scaling.key != a.scalingKey() || !a.scaling.complete {
		t.Fatal("Compute reported done with work pending")
	}
	if _, ok := a.shownTiming(); !ok {
		t.Fatal("Compute reported done before the timing of the shown rows")
	}
	for _, k := range []unitKind{uGen, uScan, uTree, uCov, uTrace, uRowsStart, uRowsHSR, uRowsScores,
		uRowsWeight, uRowsBins, uScalingStart, uScaleScan, uScaleTree, uScaleQuery, uTiming} {
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

// Every group of the scene (a panel, the controls, the header) draws only
// inside its rectangle, at device scales 1 and 2, with tooltips and in
// every layout, and the groups do not overlap: the contract a retained
// renderer relies on to redraw one group alone.
func TestGroupsDrawInsideTheirRects(t *testing.T) {
	type state struct {
		hash string
		w, h int
		ptr  [2]float32 // hover position (0: none)
	}
	var states []state
	for _, hash := range []string{"n=2048&d=2&m=16", "n=4096&d=64&m=32&kind=softmax"} {
		for _, wh := range [][2]int{{1280, 800}, {800, 1200}, {420, 900}} {
			states = append(states, state{hash: hash, w: wh[0], h: wh[1]})
		}
	}
	a0 := settled(t, "n=2048&d=2&m=16")
	a0.Scene(1280, 800)
	for _, pr := range a0.ui.panels {
		// hover the middle and a corner of every panel (tooltips near the edge)
		states = append(states, state{hash: "n=2048&d=2&m=16", w: 1280, h: 800, ptr: [2]float32{pr.X + pr.W/2, pr.Y + pr.H/2}},
			state{hash: "n=2048&d=2&m=16", w: 1280, h: 800, ptr: [2]float32{pr.X + pr.W - 3, pr.Y + pr.H - 3}})
	}
	apps := map[string]*App{} // one settled app per setting, reused (a hover changes no result)
	for _, st := range states {
		a := apps[st.hash]
		if a == nil {
			a = settled(t, st.hash)
			apps[st.hash] = a
		}
		if st.ptr[0] != 0 {
			a.Scene(st.w, st.h)
			a.Update(input.Input{Pointers: []input.Pointer{{X: st.ptr[0], Y: st.ptr[1]}}})
		}
		s := a.Scene(st.w, st.h)
		if len(s.Groups) < 7 {
			t.Fatalf("%+v: %d groups, want the 6 panels, the controls and the header", st, len(s.Groups))
		}
		if n := len(s.Items) - s.Groups[len(s.Groups)-1].End + s.Groups[0].Start; n != 0 {
			t.Errorf("%+v: %d items outside the groups", st, n)
		}
		scales := []float32{1, 2}
		if st.ptr[0] != 0 {
			scales = scales[:1] // hovers: tooltips near an edge; scale 2 is checked without them
		}
		for _, k := range scales {
			var rects []image.Rectangle
			for gi, g := range s.Groups {
				r := image.Rect(int(math.Floor(float64(g.X*k))), int(math.Floor(float64(g.Y*k))),
					int(math.Ceil(float64((g.X+g.W)*k))), int(math.Ceil(float64((g.Y+g.H)*k))))
				for _, o := range rects {
					if o.Overlaps(r) {
						t.Errorf("%+v scale %v: group %d %v overlaps %v", st, k, gi, r, o)
					}
				}
				rects = append(rects, r)
				img := scene.RasterizeScaled(&scene.Scene{W: s.W, H: s.H, Items: s.Items[g.Start:g.End]}, k)
				b := img.Bounds()
				out := 0
				var where image.Rectangle
				for y := b.Min.Y; y < b.Max.Y; y++ {
					for x := b.Min.X; x < b.Max.X; x++ {
						if !(image.Point{x, y}).In(r) && img.Pix[img.PixOffset(x, y)+3] != 0 {
							out++
							where = where.Union(image.Rect(x, y, x+1, y+1))
						}
					}
				}
				if out > 0 {
					t.Errorf("%+v scale %v: group %d (%v) paints %d pixels outside its rectangle, within %v", st, k, gi, r, out, where)
				}
			}
		}
	}
	// The help overlay and an open list are drawn over the groups: no groups.
	a := settled(t, "n=2048&d=2&m=16")
	a.Update(input.Input{Keys: []string{"h"}})
	if s := a.Scene(1280, 800); !a.ui.help || len(s.Groups) != 0 {
		t.Errorf("with the help overlay (shown %v): %d groups, want 0", a.ui.help, len(s.Groups))
	}
}

// The reported-keys layer of the geometry panel is repainted in place where
// keys changed sides when only the threshold moves: after every step of a
// drag it must equal a full repaint, and the part it reports changed must
// cover every pixel that differs from the picture before.
func TestGeometryIncrementalMatchesFull(t *testing.T) {
	for _, hash := range []string{"n=4096&d=2&m=8", "n=8192&d=16&m=8"} {
		a := settled(t, hash)
		a.Scene(1280, 800)
		incremental := 0
		for i := 0; i < 30; i++ {
			g := a.ui.geo
			before := append([]byte(nil), g.img.Pix...)
			if err := a.SetParamsJSON([]byte(fmt.Sprintf(`{"b":%g}`, 0.4+0.1*float64(i%15)))); err != nil {
				t.Fatal(err)
			}
			a.Update(input.Input{DT: 1.0 / 60})
			a.Scene(1280, 800)
			g = a.ui.geo
			want := paintKeyLayerInto(nil, g, g.v, g.plot, true)
			if !bytes.Equal(g.img.Pix, want.Pix) {
				t.Fatalf("%s step %d: the reported layer differs from a full repaint", hash, i)
			}
			if g.ver.base == "" {
				continue
			}
			incremental++
			for y := 0; y < want.Rect.Dy(); y++ {
				for x := 0; x < want.Rect.Dx(); x++ {
					o := want.PixOffset(x, y)
					if !bytes.Equal(before[o:o+4], want.Pix[o:o+4]) && !(image.Point{x, y}).In(g.ver.changed) {
						t.Fatalf("%s step %d: pixel (%d,%d) changed outside the reported change %v", hash, i, x, y, g.ver.changed)
					}
				}
			}
		}
		if incremental < 20 {
			t.Errorf("%s: %d of 30 threshold steps repainted in place, want most", hash, incremental)
		}
	}
}

// A panel drawn from its memo (what it shows unchanged) gives the same
// items as drawing it again, through a drag with rows finishing and a
// change of kind; and Ready turns true once and stays.
func TestPanelMemoSameItems(t *testing.T) {
	a := appFromHash(t, "n=4096&d=8&m=16")
	if a.Ready() {
		t.Fatal("ready before any work")
	}
	a.Settle()
	if !a.Ready() {
		t.Fatal("not ready after Settle")
	}
	compare := func(when string, w, h int) {
		t.Helper()
		s1 := a.Scene(w, h)
		for _, m := range memos(a) {
			*m = panelMemo{}
		}
		s2 := a.Scene(w, h)
		if len(s1.Items) != len(s2.Items) {
			t.Fatalf("%s: %d items from memos, %d drawn afresh", when, len(s1.Items), len(s2.Items))
		}
		for i := range s1.Items {
			if !reflect.DeepEqual(s1.Items[i], s2.Items[i]) {
				t.Fatalf("%s: item %d differs: memo %#v, fresh %#v", when, i, s1.Items[i], s2.Items[i])
			}
		}
	}
	a.Scene(1280, 800)
	a.Scene(1280, 800)
	for name, m := range memos(a) {
		if m.hits == 0 {
			t.Errorf("the %s panel was drawn again although nothing changed", name)
		}
	}
	compare("settled", 1280, 800)
	for i, patch := range []string{`{"b":1.2}`, `{"b":1.25}`, `{"kind":"softmax"}`, `{"index":"scan"}`, `{"paper_b":true}`} {
		if err := a.SetParamsJSON([]byte(patch)); err != nil {
			t.Fatal(err)
		}
		for f := 0; f < 300 && a.pending(); f++ {
			if k := a.nextUnit(); k != uNone {
				a.runUnit(k)
			}
			a.Scene(1280, 800)
			if f%5 == 0 {
				compare(fmt.Sprintf("patch %d, frame %d", i, f), 1280, 800)
			}
		}
		compare(fmt.Sprintf("after %s", patch), 1280, 800)
		// the pointer over the heatmap, then away
		hm := a.ui.lay.panels[PanelHeatmap]
		a.Update(input.Input{Pointers: []input.Pointer{{X: hm.X + hm.W/3, Y: hm.Y + hm.H/2}}})
		compare("hovering the heatmap", 1280, 800)
		a.Update(input.Input{Pointers: []input.Pointer{{X: 5, Y: 5}}})
		compare("pointer away", 1280, 800)
		if !a.Ready() {
			t.Fatal("Ready went back to false")
		}
	}
	compare("resized", 1000, 700)
}

// The compute budget of a tick: small before the first frame, the
// interactive budget while the pointer is down or moving or keys are
// pressed, the idle budget once the input has rested for idleAfter.
func TestTickBudget(t *testing.T) {
	a := appFromHash(t, "n=4096&d=8&m=8")
	if got := a.TickBudget(); got != firstBudget {
		t.Fatalf("before the first frame: %v want %v", got, firstBudget)
	}
	a.Scene(1280, 800)
	still := input.Input{DT: 0.125, Pointers: []input.Pointer{{X: 300, Y: 300}}}
	for _, c := range []struct {
		name string
		in   input.Input
		want time.Duration
	}{
		{"the pointer appears", still, DefaultBudget},
		{"0.125 s still", still, DefaultBudget},
		{"0.25 s still", still, DefaultBudget},
		{"0.375 s still", still, DefaultBudget},
		{"0.5 s still", still, IdleBudget},
		{"0.625 s still", still, IdleBudget},
		{"moved", input.Input{DT: 0.1, Pointers: []input.Pointer{{X: 301, Y: 300}}}, DefaultBudget},
		{"rest again", input.Input{DT: 0.6, Pointers: []input.Pointer{{X: 301, Y: 300}}}, IdleBudget},
		{"pressed", input.Input{DT: 0.6, Pointers: []input.Pointer{{X: 301, Y: 300, Down: true}}}, DefaultBudget},
		{"held still", input.Input{DT: 0.6, Pointers: []input.Pointer{{X: 301, Y: 300, Down: true}}}, IdleBudget},
		{"dragged", input.Input{DT: 0.6, Pointers: []input.Pointer{{X: 305, Y: 300, Down: true}}}, DefaultBudget},
		{"released", input.Input{DT: 0.6, Pointers: []input.Pointer{{X: 305, Y: 300}}}, DefaultBudget},
		{"released, resting", input.Input{DT: 0.6, Pointers: []input.Pointer{{X: 305, Y: 300}}}, IdleBudget},
		{"a key", input.Input{DT: 0.6, Keys: []string{"x"}, Pointers: []input.Pointer{{X: 305, Y: 300}}}, DefaultBudget},
		{"resting", input.Input{DT: 0.6, Pointers: []input.Pointer{{X: 305, Y: 300}}}, IdleBudget},
		{"the wheel", input.Input{DT: 0.6, WheelY: 1, Pointers: []input.Pointer{{X: 305, Y: 300}}}, DefaultBudget},
		{"a finger", input.Input{DT: 0.6, Pointers: []input.Pointer{{X: 305, Y: 300}, {ID: 2, X: 50, Y: 50, Down: true}}}, DefaultBudget},
	} {
		a.Update(c.in)
		if got := a.TickBudget(); got != c.want {
			t.Errorf("%s: budget %v want %v", c.name, got, c.want)
		}
	}
	// A tick that changed the parameters runs one unit: the new trace.
	a.Settle()
	var ran []unitKind
	unitHook = func(k unitKind) { ran = append(ran, k) }
	defer func() { unitHook = nil }()
	for i := 0; i < 5; i++ {
		if err := a.SetParamsJSON([]byte(fmt.Sprintf(`{"b":%g}`, 1+0.05*float64(i)))); err != nil {
			t.Fatal(err)
		}
		if got := a.TickBudget(); got != 0 {
			t.Fatalf("after a change of b: budget %v want 0", got)
		}
		ran = ran[:0]
		a.Update(input.Input{DT: 0.6, Pointers: []input.Pointer{{X: 301, Y: 300}}})
		if len(ran) != 1 || ran[0] != uTrace {
			t.Fatalf("the tick after a change of b ran %v, want just the trace", ran)
		}
	}
	ran = ran[:0]
	a.Update(input.Input{DT: 0.6, Pointers: []input.Pointer{{X: 301, Y: 300}}})
	if len(ran) < 2 {
		t.Errorf("the next tick without a change ran %v, want more work", ran)
	}
}

// FrameTimes returns the reported frames oldest first, at most the ring's
// size, with the total count; Summarize takes quantiles of them.
func TestFrameTimes(t *testing.T) {
	a, _ := NewApp(DefaultParams())
	if v, n := a.FrameTimes(10); len(v) != 0 || n != 0 {
		t.Fatalf("no frames yet: got %v, %d", v, n)
	}
	for i := 1; i <= 1500; i++ {
		a.FrameWork(time.Duration(i) * time.Millisecond)
	}
	v, n := a.FrameTimes(3)
	if n != 1500 || len(v) != 3 || v[0] != 1498 || v[2] != 1500 {
		t.Fatalf("last 3: got %v, %d", v, n)
	}
	if v, _ := a.FrameTimes(5000); len(v) != 1024 || v[0] != 1500-1023 {
		t.Fatalf("all kept: %d, first %v", len(v), v[0])
	}
	s := Summarize([]float64{5, 1, 4, 2, 3, 10, 6, 7, 8, 9}, 10)
	if s.P50 != 6 || s.P95 != 10 || s.Max != 10 || s.Count != 10 {
		t.Errorf("Summarize: %+v", s)
	}
	if st := a.Snapshot().Frame; st.Count != 1500 || st.Max != 1500 || st.P50 != 1500-240+1+120 {
		t.Errorf("Snapshot().Frame over the last 240: %+v", st)
	}
}

// While the user interacts, a unit expected to take longer than
// maxInteractiveUnit waits (the trace excepted) and runs once the input
// rests.
func TestLongUnitWaitsWhileInteracting(t *testing.T) {
	a := settled(t, "n=4096&d=8&m=8")
	a.Scene(1280, 800)
	if err := a.SetParamsJSON([]byte(`{"alpha":3}`)); err != nil { // new rows, same trace
		t.Fatal(err)
	}
	// Units cost what the machine gave them while settling; on a loaded
	// machine the rows' start can look too long to run while interacting.
	// Make every unit cheap so only the one set below is long.
	for k := range a.units.est {
		a.units.est[k] = time.Microsecond
	}
	a.Update(input.Input{DT: 0.01, Pointers: []input.Pointer{{X: 10, Y: 10}}}) // starts the rows job
	if k := a.nextUnit(); k != uRowsHSR {
		t.Fatalf("next unit %d, want the rows' HSR query", k)
	}
	a.units.est[uRowsHSR], a.units.seen[uRowsHSR] = 40*time.Millisecond, true
	var ran []unitKind
	unitHook = func(k unitKind) { ran = append(ran, k) }
	defer func() { unitHook = nil }()
	for i := 0; i < 5; i++ {
		a.Update(input.Input{DT: 0.01, Pointers: []input.Pointer{{X: float32(20 + i), Y: 10}}}) // moving
	}
	if len(ran) != 0 {
		t.Fatalf("while the pointer moves, ran %v, want nothing (the query is estimated at 40 ms)", ran)
	}
	// b changes while interacting: the trace still runs
	if err := a.SetParamsJSON([]byte(`{"b":0.7}`)); err != nil {
		t.Fatal(err)
	}
	a.Update(input.Input{DT: 0.01, Pointers: []input.Pointer{{X: 40, Y: 10}}})
	if len(ran) != 1 || ran[0] != uTrace {
		t.Fatalf("after a change of b while interacting: ran %v, want the trace", ran)
	}
	ran = ran[:0]
	a.Update(input.Input{DT: 0.6, Pointers: []input.Pointer{{X: 40, Y: 10}}}) // rests
	if len(ran) == 0 || ran[0] != uRowsStart && ran[0] != uRowsHSR {
		t.Fatalf("once the input rests: ran %v, want the rows", ran)
	}
}

// The header names the pending work: keys, index, trace, rows, scaling.
func TestWorkLabel(t *testing.T) {
	a := appFromHash(t, "n=4096&d=8&m=8")
	seen := map[string]bool{}
	for i := 0; i < 100000 && a.pending(); i++ {
		l := a.workLabel()
		if len(l) > 5 && l[:5] == "atten" {
			l = "attention rows"
		}
		seen[l] = true
		if k := a.nextUnit(); k != uNone {
			a.runUnit(k)
		}
	}
	for _, want := range []string{"generating the keys", "building the index", "tracing the query", "attention rows", "timing tree vs scan", "scaling series"} {
		if !seen[want] {
			t.Errorf("the header never said %q (said %v)", want, seen)
		}
	}
	if l := a.workLabel(); l != "done" {
		t.Errorf("when finished: %q", l)
	}
}

// memos is the memo of every panel that keeps one, by panel name.
func memos(a *App) map[string]*panelMemo {
	out := map[string]*panelMemo{}
	for _, pn := range a.panels {
		switch x := pn.(type) {
		case *memoPanel:
			out[pn.name()] = &x.memo
		case *numbersPanel:
			out[pn.name()] = &x.memo
		case *heatmapPanel:
			out[pn.name()] = &x.memo
		case *histogramPanel:
			out[pn.name()] = &x.memo
		}
	}
	if len(out) != 4 {
		panic("memos: expected the four memoized panels")
	}
	return out
}
