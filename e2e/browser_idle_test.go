package e2e

import (
	"fmt"
	"math"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserIdle: idle means idle. Paused and computed, with no input,
// the app draws no frame and asks for no animation frame (index.html's
// hsrvizRAF holds Ebiten's request back); a set() or step() call from a
// lesson page, a pointer moving over the canvas, each draws again, and the
// app goes back to sleep when the picture rests.
func TestBrowserIdle(t *testing.T) {
	p := openPage(t, "")
	if e, null := p.call(`hsrviz.play(false)`); !null {
		t.Fatal(e)
	}
	s0 := p.waitSettled("!s.playing")
	p.waitJS("the app to go to sleep", `hsrviz.metrics().asleep`)
	if n0 := p.evalFloat(`hsrvizRAF.n`); true {
		p.waitAnimationFrames(30)
		if n := p.evalFloat(`hsrvizRAF.n`); n != n0 {
			t.Errorf("asleep, the app still ran %v animation frame callbacks", n-n0)
		}
	}
	quiet := func(what string) {
		t.Helper()
		f0 := p.appFrames()
		// 60 animation frames of the browser: a second at 60 Hz.
		p.waitAnimationFrames(60)
		if f := p.appFrames(); f != f0 {
			t.Errorf("%s: the app drew %v frames in 60 animation frames with nothing to change", what, f-f0)
		}
	}
	quiet("paused and computed")
	mask := p.screenshot("")
	before := p.screenshot("")

	// A set() call draws (and computes) the new picture, then sleeps again.
	f0 := p.appFrames()
	b := math.Round(s0.Params.B*0.5*1000) / 1000
	if e, null := p.call(fmt.Sprintf(`hsrviz.set({b: %v})`, b)); !null {
		t.Fatalf("set({b: %v}): %s", b, e)
	}
	s := p.waitSettled(fmt.Sprintf("s.params.b === %v", b))
	if f := p.appFrames(); f <= f0 {
		t.Fatalf("set() drew no frame (%v frames before and after)", f)
	}
	p.waitJS("the app to go to sleep after set()", `hsrviz.metrics().asleep`)
	after := p.screenshot("browser-idle-set-b.png")
	if n := changed(mask, before, after, allPanels(s)); n < 200 {
		t.Errorf("the picture barely changed after set() while asleep: %d pixels", n)
	}
	quiet("after set()")

	// step() while asleep shows the next step of the trace.
	f0 = p.appFrames()
	if e, null := p.call(`hsrviz.step(1)`); !null {
		t.Fatal(e)
	}
	p.waitSettled(fmt.Sprintf("s.step === %d", s.Step+1))
	p.waitJS("a frame after step()", fmt.Sprintf(`hsrviz.metrics().frames > %v`, f0))
	p.waitJS("the app to go to sleep after step()", `hsrviz.metrics().asleep`)

	// The pointer moving over the canvas is input: it draws.
	f0 = p.appFrames()
	p.mouse(chromedp.MouseMoved, viewW/2, viewH/2, 0)
	p.mouse(chromedp.MouseMoved, viewW/2+5, viewH/2+5, 0)
	p.waitJS("a frame after the pointer moved", fmt.Sprintf(`hsrviz.metrics().frames > %v`, f0))
	p.waitJS("the app to go to sleep after the pointer rests", `hsrviz.metrics().asleep`)
	p.checkConsoleClean()
}
