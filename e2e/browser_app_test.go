package e2e

import (
	"fmt"
	"image"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hsrviz/hsrviz/viz"
)

// allPanels is the union of the panels' rectangles in screenshot pixels.
func allPanels(s viz.Snapshot) image.Rectangle {
	var r image.Rectangle
	for _, p := range s.Panels {
		r = r.Union(regionRect(p, 1))
	}
	return r
}

// pausedShots pauses the animation and takes two screenshots a little apart:
// the second is the "before" picture, the first masks what changes by itself.
func pausedShots(p *page) (mask, before *image.RGBA) {
	p.t.Helper()
	if e, null := p.call(`hsrviz.play(false)`); !null {
		p.t.Fatalf("play(false): %s", e)
	}
	p.waitSettled("!s.playing")
	time.Sleep(200 * time.Millisecond)
	mask = p.screenshot("")
	time.Sleep(300 * time.Millisecond)
	return mask, p.screenshot("")
}

func TestBrowserLoadsAndDraws(t *testing.T) {
	for _, c := range []struct{ name, hash string }{
		{"d2", ""},
		{"d64", "n=4096&d=64&m=32&paper_b=true"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := openPage(t, c.hash)
			s := p.snapshot()
			if s.Error != "" {
				t.Errorf("the app shows an error: %s", s.Error)
			}
			ff := p.evalFloat(`window.hsrvizFirstFrameMs || -1`)
			if ff <= 0 {
				t.Errorf("window.hsrvizFirstFrameMs not set (got %v)", ff)
			}
			gone := p.evalFloat(`document.getElementById("overlay").classList.contains("gone") ? 1 : 0`)
			if gone != 1 {
				t.Error("the loading overlay still covers the canvas after the first frame")
			}
			if h := p.evalFloat(`location.hash === "#" + hsrviz.hash() ? 1 : 0`); h != 1 {
				t.Errorf("the URL hash does not hold the state (hash() = %q)", s.Hash)
			}
			img := p.screenshot("browser-" + c.name + ".png")
			if b := img.Bounds(); b.Dx() != viewW || b.Dy() != viewH {
				t.Errorf("screenshot %v, want %d×%d", b, viewW, viewH)
			}
			checkDrawn(t, "browser "+c.name, img, s.Panels, 1)
			want := oracleFor(t, s)
			compareNumbers(t, "browser "+c.name, s.Numbers, want.Numbers)
			ready := p.evalFloat(`window.hsrvizReadyMs || -1`)
			t.Logf("%s: first frame %.0f ms, ready %.0f ms after navigation start; panels %d, widgets %d",
				c.name, ff, ready, len(s.Panels), len(s.Widgets))
			p.checkConsoleClean()
		})
	}
}

func TestBrowserSetThroughAPI(t *testing.T) {
	p := openPage(t, "")
	mask, before := pausedShots(p)
	s0 := p.snapshot()
	b := math.Round(s0.Params.B*0.5*1000) / 1000 // a lower threshold: more keys reported
	if e, null := p.call(fmt.Sprintf(`hsrviz.set({b: %v})`, b)); !null {
		t.Fatalf("set({b: %v}) refused: %s", b, e)
	}
	s := p.waitSettled(fmt.Sprintf("s.params.b === %v", b))
	if s.Params.PaperB {
		t.Error("setting b kept paper_b on")
	}
	want := oracleFor(t, s)
	compareNumbers(t, "after set b", s.Numbers, want.Numbers)
	if s.Numbers["reported_total"] == s0.Numbers["reported_total"] {
		t.Errorf("reported_total did not change when b went %v → %v (%v)", s0.Params.B, b, s.Numbers["reported_total"])
	}
	if s.Builds != s0.Builds {
		t.Errorf("changing b rebuilt the index: builds %d → %d", s0.Builds, s.Builds)
	}
	time.Sleep(200 * time.Millisecond)
	after := p.screenshot("browser-set-b.png")
	if n := changed(mask, before, after, allPanels(s)); n < 200 {
		t.Errorf("the picture barely changed after set b: %d pixels", n)
	}
	p.checkConsoleClean()
}

func TestBrowserKeys(t *testing.T) {
	p := openPage(t, "")
	p.focusCanvas()
	s0 := p.snapshot()
	p.key(" ", "Space", 32, fmt.Sprintf("s.playing === %v", !s0.Playing))
	if s0.Playing {
		s0 = p.waitSettled("!s.playing")
	} else {
		p.key(" ", "Space", 32, "!s.playing")
	}
	// Paused: → steps the trace forward and the picture follows.
	time.Sleep(200 * time.Millisecond)
	mask := p.screenshot("")
	time.Sleep(300 * time.Millisecond)
	before := p.screenshot("")
	s1 := p.snapshot()
	if s1.Steps < 4 {
		t.Fatalf("the trace has %d steps; cannot test stepping", s1.Steps)
	}
	if s1.Step >= s1.Steps-3 {
		p.call(`hsrviz.step(-3)`)
		s1 = p.waitSettled(fmt.Sprintf("s.step === %d", s1.Step-3))
	}
	p.key("ArrowRight", "ArrowRight", 39, fmt.Sprintf("s.step > %d", s1.Step))
	s2 := p.waitSettled("true")
	if s2.Playing {
		t.Error("→ started the animation")
	}
	// Held keys repeat after 0.4 s, so a slow machine may see a few steps.
	if s2.Step <= s1.Step || s2.Step > s1.Step+3 {
		t.Errorf("→ moved the trace from step %d to %d of %d, want one step forward", s1.Step, s2.Step, s1.Steps)
	}
	time.Sleep(200 * time.Millisecond)
	after := p.screenshot("browser-key-step.png")
	if n := changed(mask, before, after, allPanels(s2)); n < 20 {
		t.Errorf("the picture did not change after → (%d pixels)", n)
	}
	p.key("ArrowLeft", "ArrowLeft", 37, fmt.Sprintf("s.step < %d", s2.Step))
	p.checkConsoleClean()
}

func TestBrowserSliderDrag(t *testing.T) {
	p := openPage(t, "")
	mask, before := pausedShots(p)
	s0 := p.snapshot()
	w, err := panelByName(s0.Widgets, "b")
	if err != nil {
		t.Fatalf("the b slider: %v", err)
	}
	y := float64(w.Y + w.H/2)
	x0, x1 := float64(w.X+w.W*0.3), float64(w.X+w.W*0.7)
	p.drag(x0, y, x1, y, 8, 40*time.Millisecond)
	s := p.waitSettled(fmt.Sprintf("s.params.b !== %v", s0.Params.B))
	if s.Params.B <= s0.Params.B && s.Params.B != 0 {
		// Dragging right must raise the threshold (the slider grows to the right).
		t.Errorf("dragging the b slider right moved b %v → %v", s0.Params.B, s.Params.B)
	}
	want := oracleFor(t, s)
	compareNumbers(t, "after dragging b", s.Numbers, want.Numbers)
	if s.Numbers["reported_total"] == s0.Numbers["reported_total"] {
		t.Errorf("reported_total did not change when b went %v → %v", s0.Params.B, s.Params.B)
	}
	if s.Builds != s0.Builds {
		t.Errorf("dragging b rebuilt the index: builds %d → %d", s0.Builds, s.Builds)
	}
	time.Sleep(200 * time.Millisecond)
	after := p.screenshot("browser-drag-b.png")
	if n := changed(mask, before, after, allPanels(s)); n < 200 {
		t.Errorf("the picture barely changed after dragging b: %d pixels", n)
	}
	p.checkFullRedrawSame("browser-drag-b", 1)
	p.checkConsoleClean()
}

// TestBrowserTouchDrag drags the b slider with a finger on an emulated
// touch screen: touches must work like the mouse.
func TestBrowserTouchDrag(t *testing.T) {
	p := openPageWith(t, "", true, 1)
	s0, w := p.pausedWidget("b")
	y := float64(w.Y + w.H/2)
	p.touchDrag(float64(w.X+w.W*0.7), y, float64(w.X+w.W*0.25), y, 8, 50*time.Millisecond)
	s := p.waitSettled(fmt.Sprintf("s.params.b !== %v", s0.Params.B))
	if s.Params.B >= s0.Params.B {
		t.Errorf("sliding a finger left on the b slider moved b %v → %v, want lower", s0.Params.B, s.Params.B)
	}
	compareNumbers(t, "after the touch drag", s.Numbers, oracleFor(t, s).Numbers)
	p.checkConsoleClean()
}

// TestBrowserHiDPI runs the app on a device pixel ratio of 2: the canvas
// has twice the pixels (crisp text), every panel is drawn at its place
// scaled by 2, and a drag at logical coordinates still hits the b slider.
func TestBrowserHiDPI(t *testing.T) {
	p := openPageWith(t, "", false, 2)
	if dpr := p.evalFloat(`window.devicePixelRatio`); dpr != 2 {
		t.Fatalf("devicePixelRatio got:%v want:2", dpr)
	}
	if e, null := p.call(`hsrviz.play(false)`); !null {
		t.Fatal(e)
	}
	s0 := p.waitSettled("!s.playing")
	if cw := p.evalFloat(`document.querySelector("canvas").width`); cw != 2*viewW {
		t.Errorf("canvas backing width got:%v want:%d (device pixels)", cw, 2*viewW)
	}
	img := p.screenshot("browser-hidpi.png")
	if b := img.Bounds(); b.Dx() != 2*viewW {
		t.Fatalf("screenshot %v, want %d px wide", b, 2*viewW)
	}
	checkDrawn(t, "dpr 2", img, s0.Panels, 2)
	w, err := panelByName(s0.Widgets, "b")
	if err != nil {
		t.Fatal(err)
	}
	y := float64(w.Y + w.H/2)
	p.drag(float64(w.X+w.W*0.3), y, float64(w.X+w.W*0.75), y, 6, 40*time.Millisecond)
	s := p.waitSettled(fmt.Sprintf("s.params.b !== %v", s0.Params.B))
	if s.Params.B <= s0.Params.B {
		t.Errorf("dragging right at dpr 2 moved b %v → %v", s0.Params.B, s.Params.B)
	}
	p.checkFullRedrawSame("browser-hidpi-drag", 2)
	p.checkConsoleClean()
}

// A link with bad fields: the good ones are used, every bad one is named
// in the app, and the address stays as typed until the user changes
// something; a hash pasted into the open page is a patch.
func TestBrowserBadHash(t *testing.T) {
	p := openPage(t, "n=banana&d=-5&b=0.5&kind=foo")
	s := p.snapshot()
	for _, field := range []string{`n: bad value "banana"`, "d=-5", `kind: bad value "foo"`} {
		if !strings.Contains(s.Error, field) {
			t.Errorf("a bad hash gave error %q, want one naming %s", s.Error, field)
		}
	}
	def := viz.DefaultParams()
	if s.Params.B != 0.5 || s.Params.PaperB || s.Params.N != def.N || s.Params.D != def.D || s.Params.Kind != def.Kind {
		t.Errorf("a bad hash did not keep its good field b=0.5 over the defaults: %+v", s.Params)
	}
	if h := p.evalFloat(`location.hash === "#n=banana&d=-5&b=0.5&kind=foo" ? 1 : 0`); h != 1 {
		t.Error("the address bar was rewritten: the typo can no longer be fixed by editing")
	}
	img := p.screenshot("browser-bad-hash.png")
	checkDrawn(t, "bad hash", img, s.Panels, 1)
	// Editing the link by hand: a partial hash patches the picture.
	if e, null := p.call(`(location.hash = "#seed=5&d=3", null)`); !null {
		t.Fatal(e)
	}
	s = p.waitSettled("s.params.seed === 5 && s.params.d === 3")
	if s.Params.B != 0.5 || s.Error != "" {
		t.Errorf("after a partial hash: b %v (want 0.5 kept), error %q (want none)", s.Params.B, s.Error)
	}
	compareNumbers(t, "after a new hash", s.Numbers, oracleFor(t, s).Numbers)
	p.checkConsoleClean()
}

func TestBrowserAPIRejectsBadCalls(t *testing.T) {
	p := openPage(t, "")
	s0 := p.snapshot()
	for _, call := range []string{
		`hsrviz.set("b=1")`, `hsrviz.set(null)`, `hsrviz.set([1])`, `hsrviz.set()`,
		`hsrviz.set({nope: 1})`, `hsrviz.set({b: "high"})`, `hsrviz.set({n: -5})`, `hsrviz.set({d: 2.5})`,
		`hsrviz.set({b: 1, bogus: true})`, `hsrviz.set({data: "zebra"})`,
		`hsrviz.set({b: NaN})`, `hsrviz.set({b: Infinity})`, `hsrviz.set({n: Infinity})`, `hsrviz.set({d: null})`,
		`hsrviz.set({sigma: 5e-324})`,
		`hsrviz.step("a")`, `hsrviz.step(1.5)`, `hsrviz.step(1, 2)`, `hsrviz.play(1)`, `hsrviz.play()`,
		`hsrviz.get(1)`,
	} {
		e, null := p.call(call)
		if null {
			t.Errorf("%s was accepted, want an error string", call)
			continue
		}
		t.Logf("%s → %q", call, e)
	}
	s := p.snapshot()
	if s.Hash != s0.Hash {
		t.Errorf("rejected calls changed the state: %q → %q", s0.Hash, s.Hash)
	}
	if e, null := p.call(`hsrviz.step(1)`); !null {
		t.Errorf("step(1) refused: %s", e)
	}
	// At n = 256 the scaling slope is none: get() still returns the state,
	// with null and the reason.
	if e, null := p.call(`hsrviz.set({n: 256})`); !null {
		t.Fatalf("set({n: 256}): %s", e)
	}
	s = p.waitSettled("s.params.n === 256")
	if !math.IsNaN(s.Numbers["scaling_slope_reported"]) || s.None["scaling_slope_reported"] == "" {
		t.Errorf("n = 256: slope %v, reason %q; want null and a reason", s.Numbers["scaling_slope_reported"], s.None["scaling_slope_reported"])
	}
	p.checkConsoleClean()
}
