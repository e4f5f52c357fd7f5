package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// presentStats is index.html's hsrvizPresent counters: presents (frames
// that drew on the canvas) whole, partial and empty, and the pixels they
// filled.
type presentStats struct {
	Frames  float64 `json:"frames"`
	Whole   float64 `json:"whole"`
	Partial float64 `json:"partial"`
	Empty   float64 `json:"empty"`
	Pixels  float64 `json:"pixels"`
}

func (p *page) presentStats() presentStats {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[presentStats](
		`({frames: hsrvizPresent.frames, whole: hsrvizPresent.whole, partial: hsrvizPresent.partial, empty: hsrvizPresent.empty, pixels: hsrvizPresent.pixels})`))
	if err != nil {
		p.t.Fatalf("hsrvizPresent: %v", err)
	}
	return s
}

// presentStatsIf is presentStats, or nil on a page without hsrvizPresent
// (an older build's, measured for before and after).
func (p *page) presentStatsIf() *presentStats {
	p.t.Helper()
	if p.evalFloat(`window.hsrvizPresent ? 1 : 0`) == 0 {
		return nil
	}
	s := p.presentStats()
	return &s
}

// checkCanvasIsPicture compares the canvas as the browser shows it (a
// screenshot) with the app's own picture (its offscreen image, read by
// hsrviz.exportPNG()): with partial presents the canvas is assembled
// from the rectangles of many frames, and must equal the picture pixel
// for pixel. The app must rest.
func (p *page) checkCanvasIsPicture(name string) {
	p.t.Helper()
	p.rest()
	shot := p.screenshot("")
	pic := toRGBA(pngOf(p.t, p.evalAwait(`hsrviz.exportPNG()`)))
	if shot.Bounds() != pic.Bounds() {
		p.t.Fatalf("%s: screenshot %v, picture %v", name, shot.Bounds(), pic.Bounds())
	}
	if diff, where := pixelDiff(shot, pic); diff > 0 {
		savePNG(p.t, name+"-canvas.png", shot)
		savePNG(p.t, name+"-picture.png", pic)
		p.t.Errorf("%s: the canvas differs from the app's picture in %d pixels within %v", name, diff, where)
	}
}

// TestBrowserPartialPresent: the page presents only the rectangles each
// frame changed (index.html's hsrvizPresent) onto a canvas that keeps its
// pixels. After a sequence of changes (a drag of b, tooltips that appear
// and go away and uncover what they covered, a step of the trace, a set
// through the API, a resize and more changes after it, and at device pixel
// ratio 2) the canvas must equal the app's picture and a full redraw of
// the same state, and most presents must have been partial.
func TestBrowserPartialPresent(t *testing.T) {
	for _, scale := range []float64{1, 2} {
		t.Run(fmt.Sprint("dpr", scale), func(t *testing.T) {
			p := openPageWith(t, "n=256&d=2&m=8&b=0.4&paper_b=false&query=3", false, scale)
			s0, w := p.pausedWidget("b")
			st0 := p.presentStats()
			y := float64(w.Y + w.H/2)
			// drag b, then leave the pointer on the slider: its help tooltip
			p.drag(float64(w.X+w.W*0.3), y, float64(w.X+w.W*0.6), y, 6, 40*time.Millisecond)
			p.waitSettled(fmt.Sprintf("s.params.b !== %v", s0.Params.B))
			p.checkCanvasIsPicture(fmt.Sprintf("present-dpr%g-drag", scale))
			// a heatmap cell's tooltip, then another, then the pointer off
			// every panel: each uncovers what the last one covered
			s := p.snapshot()
			for _, row := range []int{5, 2} {
				x, y, in := p.findCell(s, row)
				p.mouse(chromedp.MouseMoved, x, y, 0)
				p.waitSettled(fmt.Sprintf("s.hover && s.hover.kind === 'cell' && s.hover.key === %d && s.hover.query === %d", in.Key, row))
				p.checkCanvasIsPicture(fmt.Sprintf("present-dpr%g-hover%d", scale, row))
			}
			p.mouse(chromedp.MouseMoved, 2, float64(viewH-2), 0)
			p.waitSettled("!s.hover")
			p.checkCanvasIsPicture(fmt.Sprintf("present-dpr%g-unhover", scale))
			if e, null := p.call(`hsrviz.step(3)`); !null {
				t.Fatal(e)
			}
			if e, null := p.call(`hsrviz.set({query: 5})`); !null {
				t.Fatal(e)
			}
			p.waitSettled("s.params.query === 5")
			p.checkCanvasIsPicture(fmt.Sprintf("present-dpr%g-set", scale))
			st := p.presentStats()
			// a resize (a whole present), then more partial ones over it
			p.checkFullRedrawSame(fmt.Sprintf("present-dpr%g-resize", scale), scale)
			x, y, in := p.findCell(p.snapshot(), 4)
			p.mouse(chromedp.MouseMoved, x, y, 0)
			p.waitSettled(fmt.Sprintf("s.hover && s.hover.kind === 'cell' && s.hover.key === %d", in.Key))
			p.mouse(chromedp.MouseMoved, 2, float64(viewH-2), 0)
			p.waitSettled("!s.hover")
			p.checkCanvasIsPicture(fmt.Sprintf("present-dpr%g-after-resize", scale))
			p.checkFullRedrawSame(fmt.Sprintf("present-dpr%g-end", scale), scale)
			// The partial path must have run, or this proves nothing.
			full := scale * scale * viewW * viewH
			part := st.Partial - st0.Partial
			t.Logf("presents during the changes: %.0f whole, %.0f partial, %.0f empty; %.0f pixels per present (the canvas has %.0f)",
				st.Whole-st0.Whole, part, st.Empty-st0.Empty, (st.Pixels-st0.Pixels)/max(1, st.Frames-st0.Frames), full)
			if part < 5 || st.Whole-st0.Whole > part {
				t.Errorf("%.0f partial presents and %.0f whole ones during the changes: the partial present did not run", part, st.Whole-st0.Whole)
			}
			p.checkConsoleClean()
		})
	}
}
