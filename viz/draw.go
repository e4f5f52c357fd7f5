package viz

import (
	"fmt"
	"image/color"
	"math"
	"sync"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// painter wraps a scene with the small drawing helpers the panels share.
type painter struct{ s *scene.Scene }

func (p painter) rect(r rect, fill, stroke color.RGBA, sw float32) {
	p.s.Add(scene.Rect{X: r.X, Y: r.Y, W: r.W, H: r.H, Fill: fill, Stroke: stroke, StrokeWidth: sw})
}

func (p painter) line(x0, y0, x1, y1 float32, c color.RGBA, w float32) {
	p.s.Add(scene.Line{X0: x0, Y0: y0, X1: x1, Y1: y1, Color: c, Width: w})
}

func (p painter) text(x, y float32, s string, size float32, c color.RGBA, al scene.Align) {
	p.s.Add(scene.Text{X: x, Y: y, S: s, Size: size * textScale, Color: c, Align: al})
}

func (p painter) circle(x, y, r float32, fill, stroke color.RGBA, sw float32) {
	p.s.Add(scene.Circle{X: x, Y: y, R: r, Fill: fill, Stroke: stroke, StrokeWidth: sw})
}

// fitText shortens s with "…" until it fits in w. The answers are cached:
// the same labels are fitted every frame.
func fitText(s string, size, w float32) string {
	k := fitKey{s, size * textScale, w}
	fits.mu.Lock()
	f, ok := fits.m[k]
	fits.mu.Unlock()
	if ok {
		return f
	}
	f = fitTextUncached(s, size, w)
	fits.mu.Lock()
	if len(fits.m) >= 4096 {
		clear(fits.m)
	}
	fits.m[k] = f
	fits.mu.Unlock()
	return f
}

type fitKey struct {
	s       string
	size, w float32
}

var fits = struct {
	mu sync.Mutex
	m  map[fitKey]string
}{m: map[fitKey]string{}}

func fitTextUncached(s string, size, w float32) string {
	if textWidth(s, size) <= w {
		return s
	}
	// binary search on the number of runes kept
	r := []rune(s)
	lo, hi := 0, len(r)-1 // lo fits (0 runes: just "…"), hi unknown
	if textWidth("…", size) > w {
		return ""
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if textWidth(string(r[:mid])+"…", size) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(r[:lo]) + "…"
}

// panelFrame draws a panel's card, title and one-line caption, and returns
// the body rect below them.
func (p painter) panelFrame(r rect, title, caption string) rect {
	p.rect(r.inset(0.5), colPanel, colBorder, 1) // the border inside r (scene.Group)
	x := r.X + 10
	w := r.W - 20
	p.text(x, r.Y+7, fitText(title, sizeTitle, w), sizeTitle, colText, scene.AlignLeft)
	y := r.Y + 7 + lineHeight(sizeTitle)
	p.text(x, y, fitText(caption, sizeCaption, w), sizeCaption, colMuted, scene.AlignLeft)
	return panelBody(r)
}

// panelBody is the body rect panelFrame returns for r.
func panelBody(r rect) rect {
	y := r.Y + 7 + lineHeight(sizeTitle) + lineHeight(sizeCaption) + 4
	return rect{r.X + 8, y, r.W - 16, r.Y + r.H - y - 6}
}

// panelMemo keeps the items a panel drew while what it shows is unchanged:
// the scene is rebuilt every frame, but the numbers, the plots and the
// heatmaps change only when a computation finishes.
type panelMemo struct {
	key   any // comparable: everything the panel's drawing reads
	items []scene.Item
	hits  int
}

// memo draws with draw, or, if key (not nil) equals the key of the last
// drawing, appends that drawing's items again.
func (p painter) memo(m *panelMemo, key any, draw func()) {
	if key != nil && m.key == key {
		p.s.Items = append(p.s.Items, m.items...)
		m.hits++
		return
	}
	start := len(p.s.Items)
	draw()
	m.key = key
	m.items = append(m.items[:0], p.s.Items[start:]...)
}

// hatch draws diagonal lines (slope +1) clipped to r, spaced sp pixels.
func (p painter) hatch(r rect, sp float32, c color.RGBA, w float32) {
	if r.W <= 1 || r.H <= 1 {
		return
	}
	// lines x − y = k, for k from −H to W
	for k := -r.H + sp/2; k < r.W; k += sp {
		// entry and exit of the line x = y + k within [0,W]×[0,H] (y down = up-right visually)
		y0 := float32(math.Max(0, float64(-k)))
		y1 := float32(math.Min(float64(r.H), float64(r.W-k)))
		if y1 <= y0 {
			continue
		}
		p.line(r.X+y0+k, r.Y+r.H-y0, r.X+y1+k, r.Y+r.H-y1, c, w)
	}
}

// progressBar draws a thin bar with a label.
func (p painter) progressBar(r rect, frac float64, label string) {
	p.rect(r, colGrid, color.RGBA{}, 0)
	p.rect(rect{r.X, r.Y, r.W * float32(math.Max(0, math.Min(1, frac))), r.H}, colAccent, color.RGBA{}, 0)
	if label != "" {
		p.text(r.X+r.W+6, r.Y+r.H/2-lineHeight(sizeSmall)/2, label, sizeSmall, colMuted, scene.AlignLeft)
	}
}

// tooltip draws a small box of lines near (x, y), kept inside bounds.
func (p painter) tooltip(x, y float32, lines []string, bounds rect) {
	if len(lines) == 0 {
		return
	}
	lh := lineHeight(sizeLabel)
	w := float32(0)
	for _, l := range lines {
		w = max(w, textWidth(l, sizeLabel))
	}
	w += 14
	h := lh*float32(len(lines)) + 10
	bx, by := x+14, y+14
	if bx+w > bounds.X+bounds.W {
		bx = x - 14 - w
	}
	if by+h > bounds.Y+bounds.H {
		by = y - 14 - h
	}
	bx = max(bounds.X, bx)
	by = max(bounds.Y, by)
	p.rect(rect{bx, by, w, h}, rgba(0x1F, 0x23, 0x28, 0xF0), color.RGBA{}, 0)
	for i, l := range lines {
		p.text(bx+7, by+5+lh*float32(i), l, sizeLabel, colPanel, scene.AlignLeft)
	}
}

// fmtNum formats a number compactly for the screen.
func fmtNum(x float64) string {
	ax := math.Abs(x)
	switch {
	case math.IsNaN(x):
		return "—"
	case x == 0:
		return "0"
	case ax >= 1e6 || ax < 1e-3:
		return fmt.Sprintf("%.3g", x)
	case ax >= 100:
		return fmt.Sprintf("%.0f", x)
	case ax >= 10:
		return fmt.Sprintf("%.1f", x)
	default:
		return fmt.Sprintf("%.3g", x)
	}
}

// fmtInt formats an integer with thin grouping.
func fmtInt(n int) string {
	s := fmt.Sprintf("%d", n)
	neg := false
	if n < 0 {
		neg, s = true, s[1:]
	}
	out := ""
	for len(s) > 3 {
		out = "," + s[len(s)-3:] + out
		s = s[:len(s)-3]
	}
	out = s + out
	if neg {
		out = "-" + out
	}
	return out
}
