package e2e

import (
	"fmt"
	"math"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// Instant key presses and clicks (down and up sent back to back, so both
// land between two frames) all reach the app: the page queues the events
// and the app sees each as a press and a release.
func TestBrowserInstantInputNotLost(t *testing.T) {
	p := openPage(t, "n=1024&d=2&m=8")
	p.focusCanvas()
	s0 := p.snapshot()
	const presses = 5
	for i := 0; i < presses; i++ {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
			params := input.DispatchKeyEventParams{Type: typ, Key: "]", Code: "BracketRight", WindowsVirtualKeyCode: 221, NativeVirtualKeyCode: 221}
			if _, err := chromedp.Call(p.ctx, input.DispatchKeyEvent, params); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := math.Round((s0.Params.B+presses*0.1)*1e6) / 1e6
	s := p.waitSettled(fmt.Sprintf("Math.abs(s.params.b - %v) < 1e-9", want))
	if s.Params.PaperB {
		t.Errorf("b nudged but paper_b still on")
	}
	// Three instant clicks on pause/play: three toggles.
	w, err := panelByName(s.Widgets, "play")
	if err != nil {
		t.Fatal(err)
	}
	x, y := float64(w.X+w.W/2), float64(w.Y+w.H/2)
	playing := s.Playing
	p.mouse(chromedp.MouseMoved, x, y, 0)
	for i := 0; i < 3; i++ {
		p.mouse(chromedp.MousePressed, x, y, 1)
		p.mouse(chromedp.MouseReleased, x, y, 0)
		playing = !playing
		p.waitSettled(fmt.Sprintf("s.playing === %v", playing))
	}
	p.checkConsoleClean()
}
