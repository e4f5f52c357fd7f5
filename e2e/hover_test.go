package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/hsrviz/hsrviz/viz"
)

// inspect calls hsrviz.inspect(x, y) in the page (nil: null).
func (p *page) inspect(x, y float64) *viz.Inspection {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](fmt.Sprintf(`JSON.stringify(hsrviz.inspect(%g, %g))`, x, y)))
	if err != nil {
		p.t.Fatalf("hsrviz.inspect(%g, %g): %v", x, y, err)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		p.t.Fatalf("hsrviz.inspect: %v (%s)", err, raw)
	}
	if s == "null" {
		return nil
	}
	var in viz.Inspection
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		p.t.Fatalf("hsrviz.inspect returned %s: %v", s, err)
	}
	return &in
}

// findCell scans the heatmap panel with hsrviz.inspect for a cell of row
// i whose key the engine reported, and returns where it is.
func (p *page) findCell(s viz.Snapshot, i int) (float64, float64, *viz.Inspection) {
	p.t.Helper()
	r, err := panelByName(s.Panels, viz.PanelHeatmap)
	if err != nil {
		p.t.Fatal(err)
	}
	// Integer points (Ebiten's cursor position is whole CSS pixels), in
	// the middle of the run of points that show the same cell.
	expr := fmt.Sprintf(`(() => {
		const r = %s, want = %d;
		const at = (x, y) => hsrviz.inspect(x, y);
		for (let y = Math.ceil(r.Y); y < r.Y + r.H; y++) {
			const c = at(Math.round(r.X + r.W / 3), y);
			if (!c || c.kind !== "cell" || c.query !== want) continue;
			let y1 = y;
			while (true) { const e = at(Math.round(r.X + r.W / 3), y1 + 1); if (!e || e.query !== want) break; y1++; }
			const ym = Math.round((y + y1) / 2);
			for (let x = Math.ceil(r.X); x < r.X + r.W; x++) {
				const d = at(x, ym);
				if (!d || d.kind !== "cell" || !d.reported) continue;
				let x1 = x;
				while (true) { const e = at(x1 + 1, ym); if (!e || e.key !== d.key) break; x1++; }
				return [Math.floor((x + x1) / 2), ym];
			}
			return null;
		}
		return null;
	})()`, mustJSON(p.t, r), i)
	xy, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]float64](expr))
	if err != nil || len(xy) != 2 {
		p.t.Fatalf("no reported cell of row %d in the heatmap: %v", i, err)
	}
	return xy[0], xy[1], p.inspect(xy[0], xy[1])
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// nativeInspect is what the native app shows at (x, y) for the same
// parameters in the same window (its Inspect is checked against a
// brute-force row in package viz).
func nativeInspect(t *testing.T, p viz.Params, x, y float64) *viz.Inspection {
	t.Helper()
	app, err := viz.NewApp(p)
	if err != nil {
		t.Fatal(err)
	}
	app.Settle()
	app.Scene(viewW, viewH)
	app.Scene(viewW, viewH)
	return app.Inspect(float32(x), float32(y))
}

func sameInspection(t *testing.T, what string, got, want *viz.Inspection) {
	t.Helper()
	if got == nil || want == nil {
		t.Fatalf("%s: got %+v, want %+v", what, got, want)
	}
	if got.Kind != want.Kind || got.Query != want.Query || got.Key != want.Key || got.Text != want.Text {
		t.Errorf("%s: got %s q%d k%d %q, want %s q%d k%d %q", what, got.Kind, got.Query, got.Key, got.Text,
			want.Kind, want.Query, want.Key, want.Text)
	}
	for _, f := range []struct {
		name string
		g, w *float64
	}{{"weight", got.Weight, want.Weight}, {"dense_weight", got.DenseWeight, want.DenseWeight}, {"score", got.Score, want.Score}} {
		if f.g == nil || f.w == nil || math.Abs(*f.g-*f.w) > 1e-9*math.Abs(*f.w) {
			t.Errorf("%s: %s %v, native %v", what, f.name, f.g, f.w)
		}
	}
}

// TestBrowserHoverInspect: moving the mouse over a heatmap cell shows the
// tooltip hsrviz.inspect describes, with the native app's numbers.
func TestBrowserHoverInspect(t *testing.T) {
	p := openPage(t, "n=256&d=2&m=8&b=0.4&paper_b=false&query=3")
	s := p.waitSettled("")
	x, y, in := p.findCell(s, 5)
	sameInspection(t, "hsrviz.inspect", in, nativeInspect(t, s.Params, x, y))
	p.mouse(chromedp.MouseMoved, x, y, 0)
	s = p.waitSettled(fmt.Sprintf("s.hover && s.hover.kind === 'cell' && s.hover.key === %d", in.Key))
	if s.Hover.Text != in.Text || s.Hover.Query != 5 {
		t.Errorf("the tooltip shows %q, inspect says %q", s.Hover.Text, in.Text)
	}
	// the tooltip's dark box beside the pointer
	img := p.screenshot("hover_cell.png")
	dark := 0
	for dy := 16; dy < 40; dy++ {
		for _, dx := range []int{16, 30, 60, -40, -80} {
			c := img.RGBAAt(int(x)+dx, int(y)+dy)
			if int(c.R)+int(c.G)+int(c.B) < 3*0x40 {
				dark++
			}
		}
	}
	if dark < 20 {
		t.Errorf("no tooltip box near the pointer (%d dark pixels)", dark)
	}
	if e, null := p.call(`hsrviz.inspect("a", 2)`); null || e == "" {
		t.Errorf("inspect with a bad argument: %q", e)
	}
	p.checkConsoleClean()
}

// tap puts a finger down at (x, y) and lifts it.
func (p *page) tap(x, y float64) {
	p.t.Helper()
	id := 1.0
	for _, typ := range []input.DispatchTouchEventType{input.DispatchTouchEventTypeTouchStart, input.DispatchTouchEventTypeTouchEnd} {
		params := input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{}}
		if typ == input.DispatchTouchEventTypeTouchStart {
			params.TouchPoints = []*input.TouchPoint{{X: x, Y: y, ID: &id}}
		}
		if _, err := chromedp.Call(p.ctx, input.DispatchTouchEvent, params); err != nil {
			p.t.Fatal(err)
		}
		// Ebiten polls touches once per tick: hold the finger for one
		p.waitAnimationFrames(3)
	}
}

// TestBrowserTouchTapAndHelp: on a touch screen a tap shows the tooltip,
// the header's help button opens the help and a tap closes it.
func TestBrowserTouchTapAndHelp(t *testing.T) {
	p := openPageWith(t, "n=256&d=2&m=8&b=0.4&paper_b=false", true, 1)
	s := p.waitSettled("")
	x, y, in := p.findCell(s, 2)
	p.tap(x, y)
	s = p.waitSettled(fmt.Sprintf("s.hover && s.hover.kind === 'cell' && s.hover.key === %d && s.hover.query === 2", in.Key))
	if s.Hover.Text != in.Text {
		t.Errorf("the tap shows %q, inspect says %q", s.Hover.Text, in.Text)
	}
	p.screenshot("touch_tap.png")
	help, err := panelByName(s.Buttons, "help")
	if err != nil {
		t.Fatal(err)
	}
	p.tap(float64(help.X+help.W/2), float64(help.Y+help.H/2))
	p.waitSettled("s.help")
	p.screenshot("touch_help.png")
	p.tap(640, 500)
	p.waitSettled("!s.help")
	p.checkConsoleClean()
}

// TestBrowserDragQuery: at d = 2 dragging the query arrow's head with the
// mouse moves the query, and the rows and numbers follow (the native app
// with the dragged query gives the same numbers).
func TestBrowserDragQuery(t *testing.T) {
	p := openPage(t, "n=2048&d=2&m=8&query=1")
	s0 := p.waitSettled("")
	h, err := panelByName(s0.Buttons, "query")
	if err != nil {
		t.Fatal(err)
	}
	x, y := float64(h.X+h.W/2), float64(h.Y+h.H/2)
	type recent struct {
		Frames int                  `json:"frames"`
		Recent map[string][]float64 `json:"recent"`
	}
	read := func() recent {
		raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](`hsrviz.metrics()`))
		var m recent
		if err != nil || json.Unmarshal(raw, &m) != nil {
			t.Fatalf("hsrviz.metrics(): %v", err)
		}
		return m
	}
	m0 := read()
	p.drag(x, y, x-70, y+50, 12, 40*time.Millisecond)
	m := read()
	if nf := m.Frames - m0.Frames; nf > 0 {
		w := viz.Summarize(m.Recent["work"][max(0, len(m.Recent["work"])-nf):], nf)
		part := func(k string) viz.FrameStats {
			return viz.Summarize(m.Recent[k][max(0, len(m.Recent[k])-nf):], nf)
		}
		t.Logf("dragging the query at n = 2048, d = 2, m = 8: %d frames, Go work per frame p50 %.2f ms, p95 %.2f ms, max %.2f ms (p50/max: update %.2f/%.2f, scene %.2f/%.2f, render %.2f/%.2f)",
			nf, w.P50, w.P95, w.Max, part("update").P50, part("update").Max, part("scene").P50, part("scene").Max, part("render").P50, part("render").Max)
	}
	s := p.waitSettled(`s.params.qvec !== ""`)
	if s.Params.QVec == "" || s.Params.Query != 1 {
		t.Fatalf("after the drag: qvec %q query %d", s.Params.QVec, s.Params.Query)
	}
	compareNumbers(t, "after dragging the query", s.Numbers, oracleFor(t, s).Numbers)
	if s.Numbers["reported_mean"] == s0.Numbers["reported_mean"] && s.Numbers["reported_total"] == s0.Numbers["reported_total"] {
		t.Errorf("the rows did not change: %v", s.Numbers["reported_total"])
	}
	p.screenshot("drag_query.png")
	p.checkConsoleClean()
}
