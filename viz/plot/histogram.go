package plot

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// Mark is a labelled vertical line on a histogram (e.g. n^(4/5) or the
// Gaussian expectation).
type Mark struct {
	X     float64
	Label string
	Color color.RGBA
}

// Histogram draws the distribution of Values (e.g. the keys reported per
// query row) as bars over nice-width bins.
type Histogram struct {
	Rect   Rect
	Title  string
	XLabel string
	YLabel string // default "rows"
	Values []float64
	Bins   int // about this many bins (0: Sturges' rule, 1 + log2 n)
	Color  color.RGBA
	Marks  []Mark
	Style  Style
	// Binned, when set, is drawn instead of binning Values (a caller that
	// bins a million sorted values itself).
	Binned *Binning
	// Highlight, when set, is a count per bin (≤ the bin's count) drawn
	// at the bottom of its bar in HighlightColor: the part of each bar
	// that is, say, above a threshold.
	Highlight      []int
	HighlightColor color.RGBA
}

// Binning is the result of Bin: Counts[i] values fall in [Edges[i], Edges[i+1]).
type Binning struct {
	Edges  []float64
	Counts []int
	Width  float64
}

// Bin sorts finite values into about bins bins of a nice width (1, 2 or 5
// times a power of ten; at least 1 when every value is an integer, so that
// integer counts are never split). The last bin includes its right edge.
// Non-finite values are skipped. Cost: O(n + bins).
func Bin(values []float64, bins int) Binning {
	lo, hi := math.Inf(1), math.Inf(-1)
	integers := true
	for _, v := range values {
		if finite(v) {
			lo, hi = min(lo, v), max(hi, v)
			integers = integers && v == math.Trunc(v)
		}
	}
	if lo > hi {
		return Binning{}
	}
	bins = max(bins, 1)
	w := NiceNum((hi-lo)/float64(bins), true)
	if integers && w < 1 {
		w = 1
	}
	if w == 0 {
		w = 1
	}
	start := math.Floor(lo/w) * w
	n := int(math.Floor((hi-start)/w)) + 1
	if integers {
		// Integer data: centre each bin's integers, [k-0.5, k+w-0.5).
		start -= 0.5
		n = int(math.Floor((hi-start)/w)) + 1
	}
	b := Binning{Edges: make([]float64, n+1), Counts: make([]int, n), Width: w}
	for i := range b.Edges {
		b.Edges[i] = start + float64(i)*w
	}
	for _, v := range values {
		if !finite(v) {
			continue
		}
		i := min(int(math.Floor((v-start)/w)), n-1)
		b.Counts[i]++
	}
	return b
}

func (h *Histogram) style() Style {
	if h.Style.TextSize > 0 {
		return h.Style
	}
	return DefaultStyle()
}

// Binning returns the bins Draw uses.
func (h *Histogram) Binning() Binning {
	if h.Binned != nil {
		return *h.Binned
	}
	bins := h.Bins
	if bins <= 0 {
		n := 0
		for _, v := range h.Values {
			if finite(v) {
				n++
			}
		}
		bins = 1 + int(math.Ceil(math.Log2(float64(max(n, 1)))))
	}
	return Bin(h.Values, bins)
}

// Frame is the data area and axes Draw uses: a caller can draw over the
// bars in data units (a curve, a shaded range).
func (h *Histogram) Frame() Frame {
	_, x, y := h.axes()
	f, _, _, _, _ := layoutFrame(h.Rect, h.style(), h.Title, x, y)
	return f
}

// axes is the binning and the two axes of the chart.
func (h *Histogram) axes() (Binning, Axis, Axis) {
	b := h.Binning()
	x := Axis{Min: 0, Max: 1, Label: h.XLabel}
	maxC := 0
	if len(b.Counts) > 0 {
		x.Min, x.Max = b.Edges[0], b.Edges[len(b.Edges)-1]
		for _, c := range b.Counts {
			maxC = max(maxC, c)
		}
	}
	for _, m := range h.Marks {
		if finite(m.X) {
			x.Min, x.Max = min(x.Min, m.X), max(x.Max, m.X)
		}
	}
	if x.Max == x.Min {
		x.Max = x.Min + 1
	}
	_, yMax, _ := NiceRange(0, float64(max(maxC, 1)), 5)
	y := Axis{Min: 0, Max: yMax, Label: h.YLabel}
	if y.Label == "" {
		y.Label = "rows"
	}
	return b, x, y
}

// Draw appends the histogram to s.
func (h *Histogram) Draw(s *scene.Scene) {
	st := h.style()
	b, x, y := h.axes()
	f, xt, xs, yt, ys := layoutFrame(h.Rect, st, h.Title, x, y)
	// Whole counts only on the y axis.
	var yti []float64
	for _, v := range yt {
		if v == math.Trunc(v) {
			yti = append(yti, v)
		}
	}
	drawAxes(s, h.Rect, st, h.Title, f, xt, xs, yti, math.Max(ys, 1))
	c := h.Color
	if c.A == 0 {
		c = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	}
	for i, n := range b.Counts {
		if n == 0 {
			continue
		}
		x0, y0, _ := f.Px(b.Edges[i], float64(n))
		x1, y1, _ := f.Px(b.Edges[i+1], 0)
		s.Add(scene.Rect{X: x0, Y: y0, W: x1 - x0, H: y1 - y0, Fill: c, Stroke: st.Panel, StrokeWidth: 1})
		if i < len(h.Highlight) && h.Highlight[i] > 0 {
			_, yh, _ := f.Px(b.Edges[i], float64(min(h.Highlight[i], n)))
			s.Add(scene.Rect{X: x0, Y: yh, W: x1 - x0, H: y1 - yh, Fill: h.HighlightColor, Stroke: st.Panel, StrokeWidth: 1})
		}
	}
	lh := scene.TextHeight(st.TextSize)
	a := f.Area
	for i, m := range h.Marks {
		px, _, okp := f.Px(m.X, 0)
		if !okp || !finite(m.X) {
			continue
		}
		mc := m.Color
		if mc.A == 0 {
			mc = st.Axis
		}
		drawDashed(s, [4]float32{px, a.Y + a.H, px, a.Y}, mc)
		lbl := m.Label
		if lbl == "" {
			lbl = fmt.Sprint(FormatTick(m.X, 0))
		}
		// Label beside the line, inside the area, stacked so marks that
		// are close do not print over each other.
		lbl = fit(lbl, st.TextSize, a.W/2-6)
		lw := scene.TextWidth(lbl, st.TextSize)
		t := scene.Text{X: px + 4, Y: a.Y + 2 + float32(i)*(lh+2), S: lbl, Size: st.TextSize, Color: mc}
		if px+4+lw > a.X+a.W {
			t.X, t.Align = px-4, scene.AlignRight
		}
		if t.Y+lh <= a.Y+a.H {
			bx := t.X - 1
			if t.Align == scene.AlignRight {
				bx -= lw
			}
			s.Add(scene.Rect{X: bx, Y: t.Y, W: lw + 2, H: lh, Fill: st.Panel})
			s.Add(t)
		}
	}
}
