package e2e

import (
	"fmt"
	"image"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hsrviz/hsrviz/viz"
)

// TestBrowserNumbersWholeAndFlagged: in a 1280×720 page (a common
// projector) with every row empty (a large fixed b), the numbers panel
// shows every one of its lines inside its rectangle (hsrviz.get().
// number_lines), the empty-heatmap flag among them, drawn in red, and its
// numbers are the native oracle's.
func TestBrowserNumbersWholeAndFlagged(t *testing.T) {
	p := openPage(t, "n=4096&d=2&m=16&b=20&paper_b=false")
	const w, h = 1280, 720
	if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(w, h)); err != nil {
		t.Fatal(err)
	}
	// Wait for the new layout: every panel inside 1280×720, the lines placed.
	s := p.waitSettled(fmt.Sprintf(`s.panels.every(r => r.Y + r.H <= %d + 0.5) && (s.number_lines || []).length > 0`, h))
	if got, want := s.Numbers["empty_rows"], float64(s.Params.M); got != want {
		t.Fatalf("empty_rows %v, want every row (%v): the setting must leave the heatmap empty", got, want)
	}
	var pr viz.Region
	for _, r := range s.Panels {
		if r.Name == viz.PanelNumbers {
			pr = r
		}
	}
	if pr.W == 0 {
		t.Fatalf("no numbers panel in %+v", s.Panels)
	}
	img := p.screenshot("browser-numbers-1280x720.png")
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("screenshot %v, want %d×%d", b, w, h)
	}
	ids := map[string]viz.Region{}
	for _, l := range s.NumberLines {
		ids[l.Name] = l
		if l.W <= 0 || l.H <= 0 || l.X < pr.X || l.Y < pr.Y || l.X+l.W > pr.X+pr.W || l.Y+l.H > pr.Y+pr.H {
			t.Errorf("numbers line %q at %+v is not whole inside the panel %+v", l.Name, l, pr)
		}
	}
	// The last rows the issue saw lost: the time, HSR vs dense, the work.
	for _, id := range []string{"empty", "keys", "time", "exact", "work", "slope"} {
		if _, ok := ids[id]; !ok {
			t.Errorf("no numbers line %q in %+v", id, s.NumberLines)
		}
	}
	// The flag is drawn in red (the app's error colour, #C01C28).
	if f, ok := ids["empty"]; ok && redPixels(img, f) < 20 {
		t.Errorf("the empty-heatmap flag at %+v has %d red pixels", f, redPixels(img, f))
	}
	compareNumbers(t, "numbers at 1280×720", s.Numbers, oracleFor(t, s).Numbers)
	p.checkConsoleClean()
}

// redPixels counts the pixels of img inside r close to the error colour.
func redPixels(img image.Image, r viz.Region) int {
	n := 0
	for y := int(r.Y); y < int(r.Y+r.H); y++ {
		for x := int(r.X); x < int(r.X+r.W); x++ {
			c := img.At(x, y)
			R, G, B, _ := c.RGBA()
			if R>>8 > 0x90 && G>>8 < 0x60 && B>>8 < 0x60 {
				n++
			}
		}
	}
	return n
}
