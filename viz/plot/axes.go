package plot

import (
	"image/color"
	"math"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// Rect is a rectangle in logical pixels, (X, Y) the top left.
type Rect struct{ X, Y, W, H float32 }

// Style is the look of a chart.
type Style struct {
	TextSize float32
	Text     color.RGBA
	Axis     color.RGBA
	Grid     color.RGBA
	Panel    color.RGBA // legend background
}

// TextScale multiplies DefaultStyle's text size (the visualizer's
// text-size setting for projectors sets it before it draws).
var TextScale float32 = 1

// DefaultStyle is dark text on a light background, at 11 px × TextScale.
func DefaultStyle() Style {
	return Style{
		TextSize: 11 * TextScale,
		Text:     color.RGBA{0x20, 0x22, 0x28, 0xff},
		Axis:     color.RGBA{0x50, 0x54, 0x5c, 0xff},
		Grid:     color.RGBA{0xe4, 0xe6, 0xea, 0xff},
		Panel:    scene.Translucent(color.RGBA{0xff, 0xff, 0xff, 0xff}, 0xe0), // premultiplied
	}
}

// Axis is one axis of a chart.
type Axis struct {
	Min, Max float64
	Log      bool // log10 scale (needs Min > 0)
	Label    string
}

// frac maps v to [0, 1] along the axis (outside for values out of range;
// NaN for values a log axis cannot show).
func (a Axis) frac(v float64) float64 {
	if a.Log {
		if !(v > 0) || !(a.Min > 0) {
			return math.NaN()
		}
		return math.Log(v/a.Min) / math.Log(a.Max/a.Min)
	}
	return (v - a.Min) / (a.Max - a.Min)
}

func (a Axis) ticks(maxTicks int) (ticks []float64, step float64) {
	if a.Log {
		return LogTicks(a.Min, a.Max, maxTicks), 0
	}
	return LinearTicks(a.Min, a.Max, maxTicks)
}

// Frame is a laid-out pair of axes: the data area inside a chart's rect.
type Frame struct {
	Area Rect // the data area, in pixels
	X, Y Axis
}

// Px maps a data point to pixels (Y up). ok is false for points a log axis
// cannot show.
func (f Frame) Px(x, y float64) (px, py float32, ok bool) {
	fx, fy := f.X.frac(x), f.Y.frac(y)
	if math.IsNaN(fx) || math.IsNaN(fy) {
		return 0, 0, false
	}
	return f.Area.X + float32(fx)*f.Area.W, f.Area.Y + f.Area.H - float32(fy)*f.Area.H, true
}

// In reports whether pixel (px, py) is inside the data area.
func (f Frame) In(px, py float32) bool {
	a := f.Area
	return px >= a.X-0.5 && px <= a.X+a.W+0.5 && py >= a.Y-0.5 && py <= a.Y+a.H+0.5
}

// layoutFrame places a frame in r, leaving room for a title line, the y
// tick labels on the left (measured), the x tick labels and the x label
// below; the y label goes above the axis, left-aligned.
func layoutFrame(r Rect, st Style, title string, x, y Axis) (Frame, []float64, float64, []float64, float64) {
	lh := scene.TextHeight(st.TextSize)
	top := r.Y + 4 + lh/2 // the top y tick label is centred on the top edge
	if title != "" {
		top += lh + 4
	}
	if y.Label != "" {
		top += lh + 2
	}
	bottom := r.Y + r.H - 4 - lh - 4 // x tick labels
	if x.Label != "" {
		bottom -= lh + 2
	}
	hAvail := max(bottom-top, 1)
	yMax := max(2, int(hAvail/(lh*2.2)))
	yt, ys := y.ticks(yMax)
	left := float32(0)
	for _, v := range yt {
		left = max(left, scene.TextWidth(FormatTick(v, ys), st.TextSize))
	}
	left = r.X + 4 + left + 6
	right := r.X + r.W - 4
	wAvail := max(right-left, 1)
	// Thin the x ticks until their labels do not touch.
	xMax := max(2, int(wAvail/40))
	var xt []float64
	var xs float64
	for ; xMax >= 2; xMax-- {
		xt, xs = x.ticks(xMax)
		if xLabelsFit(xt, xs, x, wAvail, st.TextSize) {
			break
		}
	}
	return Frame{Area: Rect{left, top, wAvail, hAvail}, X: x, Y: y}, xt, xs, yt, ys
}

func xLabelsFit(ticks []float64, step float64, a Axis, w, size float32) bool {
	prevRight := float32(math.Inf(-1))
	for _, v := range ticks {
		lw := scene.TextWidth(FormatTick(v, step), size)
		c := float32(a.frac(v)) * w
		if c-lw/2 < prevRight+6 {
			return false
		}
		prevRight = c + lw/2
	}
	return true
}

// drawAxes draws the grid, axis lines, tick marks and labels of f.
func drawAxes(s *scene.Scene, r Rect, st Style, title string, f Frame, xt []float64, xs float64, yt []float64, ys float64) {
	a := f.Area
	lh := scene.TextHeight(st.TextSize)
	for _, v := range yt {
		_, py, ok := f.Px(f.X.Min, v)
		if !ok || py < a.Y-0.5 || py > a.Y+a.H+0.5 {
			continue
		}
		s.Add(
			scene.Line{X0: a.X, Y0: py, X1: a.X + a.W, Y1: py, Color: st.Grid, Width: 1},
			scene.Line{X0: a.X - 4, Y0: py, X1: a.X, Y1: py, Color: st.Axis, Width: 1},
			scene.Text{X: a.X - 6, Y: py - lh/2, S: FormatTick(v, ys), Size: st.TextSize, Color: st.Text, Align: scene.AlignRight},
		)
	}
	for _, v := range xt {
		px, _, ok := f.Px(v, f.Y.Min)
		if !ok || px < a.X-0.5 || px > a.X+a.W+0.5 {
			continue
		}
		s.Add(
			scene.Line{X0: px, Y0: a.Y, X1: px, Y1: a.Y + a.H, Color: st.Grid, Width: 1},
			scene.Line{X0: px, Y0: a.Y + a.H, X1: px, Y1: a.Y + a.H + 4, Color: st.Axis, Width: 1},
		)
		// Centred under the tick, but pushed inside the rect at its edges.
		lbl := FormatTick(v, xs)
		lw := scene.TextWidth(lbl, st.TextSize)
		t := scene.Text{X: px, Y: a.Y + a.H + 5, S: lbl, Size: st.TextSize, Color: st.Text, Align: scene.AlignCenter}
		if px+lw/2 > r.X+r.W {
			t.X, t.Align = r.X+r.W, scene.AlignRight
		} else if px-lw/2 < r.X {
			t.X, t.Align = r.X, scene.AlignLeft
		}
		s.Add(t)
	}
	s.Add(
		scene.Line{X0: a.X, Y0: a.Y + a.H, X1: a.X + a.W, Y1: a.Y + a.H, Color: st.Axis, Width: 1},
		scene.Line{X0: a.X, Y0: a.Y, X1: a.X, Y1: a.Y + a.H, Color: st.Axis, Width: 1},
	)
	y := r.Y + 4
	if title != "" {
		s.Add(scene.Text{X: r.X + 4, Y: y, S: fit(title, st.TextSize, r.W-8), Size: st.TextSize, Color: st.Text})
		y += lh + 4
	}
	if f.Y.Label != "" {
		s.Add(scene.Text{X: r.X + 4, Y: y, S: fit(f.Y.Label, st.TextSize, r.W-8), Size: st.TextSize, Color: st.Text})
	}
	if f.X.Label != "" {
		cx := a.X + a.W/2
		w := 2 * min(cx-r.X-4, r.X+r.W-4-cx)
		s.Add(scene.Text{X: cx, Y: r.Y + r.H - 4 - lh, S: fit(f.X.Label, st.TextSize, w), Size: st.TextSize, Color: st.Text, Align: scene.AlignCenter})
	}
}

// fit shortens s with "…" until it is at most w wide.
func fit(s string, size, w float32) string {
	if scene.TextWidth(s, size) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && scene.TextWidth(string(r)+"…", size) > w {
		r = r[:len(r)-1]
	}
	if len(r) == 0 {
		return ""
	}
	return string(r) + "…"
}
