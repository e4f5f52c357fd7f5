package plot

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// Series is a named sequence of points.
type Series struct {
	Name   string
	X, Y   []float64
	Color  color.RGBA
	Points bool // draw a marker per point
	Line   bool // join the points in order
	Fit    *Fit // the series' fitted power law, drawn and its slope printed (nil: none)
}

// Reference is a straight line of a given slope on log-log axes: y = c·x^Slope,
// through (X0, Y0), or, if X0 is 0, through the geometric centre of the
// first series with Fit (else the first series), so it lies over the data.
type Reference struct {
	Slope  float64
	X0, Y0 float64
	Label  string // e.g. "theory: slope 4/5"; default "slope <Slope>"
	Color  color.RGBA
}

// XY is a chart of series on linear or log10 axes. Unset axis ranges
// (Min == Max) are taken from the data, padded.
type XY struct {
	Rect       Rect
	Title      string
	X, Y       Axis
	Series     []Series
	References []Reference
	Style      Style // zero TextSize: DefaultStyle
}

// NewLogLog returns a log-log chart with the given labels.
func NewLogLog(r Rect, title, xLabel, yLabel string) *XY {
	return &XY{Rect: r, Title: title, X: Axis{Log: true, Label: xLabel}, Y: Axis{Log: true, Label: yLabel}}
}

// Fit is a power-law line y = 10^Intercept · x^Slope fitted by the caller
// (the module has one fit: attention.FitPowerLaw); the chart draws it and
// prints its slope.
type Fit struct {
	Slope     float64 // exponent: y ∝ x^Slope
	Intercept float64 // log10 c
}

func ok(x, y float64) bool {
	return x > 0 && y > 0 && !math.IsInf(x, 0) && !math.IsInf(y, 0)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// dataRange returns the range of vs usable on the axis.
func dataRange(vs [][]float64, log bool) (lo, hi float64, found bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range vs {
		for _, v := range s {
			if !finite(v) || (log && v <= 0) {
				continue
			}
			lo, hi, found = min(lo, v), max(hi, v), true
		}
	}
	return lo, hi, found
}

// autoRange fills an unset axis range from the data, padded by 5 % (in log
// space on a log axis).
func autoRange(a *Axis, vs [][]float64) {
	if a.Max > a.Min && (!a.Log || a.Min > 0) {
		return
	}
	lo, hi, found := dataRange(vs, a.Log)
	if !found {
		lo, hi = 1, 10
		if !a.Log {
			lo = 0
		}
	}
	if a.Log {
		l, h := math.Log10(lo), math.Log10(hi)
		if h == l {
			l, h = l-0.5, h+0.5
		}
		pad := (h - l) * 0.05
		a.Min, a.Max = math.Pow(10, l-pad), math.Pow(10, h+pad)
		return
	}
	if hi == lo {
		lo, hi = lo-1, hi+1
	}
	pad := (hi - lo) * 0.05
	a.Min, a.Max = lo-pad, hi+pad
}

// Fits returns the fit of every series (nil for a series without one, or
// one whose slope is not a finite number), in series order.
func (p *XY) Fits() []*Fit {
	out := make([]*Fit, len(p.Series))
	for i, s := range p.Series {
		if s.Fit != nil && finite(s.Fit.Slope) && finite(s.Fit.Intercept) {
			out[i] = s.Fit
		}
	}
	return out
}

// Layout computes the frame (axes ranges and data area) that Draw uses.
func (p *XY) Layout() Frame {
	f, _, _, _, _ := p.layout()
	return f
}

func (p *XY) style() Style {
	if p.Style.TextSize > 0 {
		return p.Style
	}
	return DefaultStyle()
}

func (p *XY) layout() (Frame, []float64, float64, []float64, float64) {
	x, y := p.X, p.Y
	var xs, ys [][]float64
	for _, s := range p.Series {
		xs, ys = append(xs, s.X), append(ys, s.Y)
	}
	autoRange(&x, xs)
	autoRange(&y, ys)
	return layoutFrame(p.Rect, p.style(), p.Title, x, y)
}

// Draw appends the chart to s: axes, series, fitted slopes and reference
// lines in a legend at the top left of the data area.
func (p *XY) Draw(s *scene.Scene) {
	st := p.style()
	f, xt, xs, yt, ys := p.layout()
	drawAxes(s, p.Rect, st, p.Title, f, xt, xs, yt, ys)
	fits := p.Fits()
	var legend []legendEntry

	for _, ref := range p.References {
		x0, y0 := ref.X0, ref.Y0
		if x0 == 0 {
			x0, y0 = p.anchor()
		}
		if !ok(x0, y0) || !f.X.Log || !f.Y.Log {
			continue
		}
		c := ref.Color
		if c.A == 0 {
			c = st.Axis
		}
		// y = y0·(x/x0)^slope over the x range, clipped to the area.
		if seg, okSeg := clipLine(f, x0, y0, ref.Slope); okSeg {
			drawDashed(s, seg, c)
		}
		lbl := ref.Label
		if lbl == "" {
			lbl = "slope " + FormatTick(ref.Slope, 0.01)
		}
		legend = append(legend, legendEntry{label: lbl, color: c, dashed: true})
	}

	for i, se := range p.Series {
		n := min(len(se.X), len(se.Y))
		var prev [2]float32
		havePrev := false
		for j := range n {
			px, py, okp := f.Px(se.X[j], se.Y[j])
			if !okp || !finite(se.X[j]) || !finite(se.Y[j]) {
				havePrev = false
				continue
			}
			if se.Line && havePrev {
				if a, b, in := clipSeg(f.Area, prev[0], prev[1], px, py); in {
					s.Add(scene.Line{X0: a[0], Y0: a[1], X1: b[0], Y1: b[1], Color: se.Color, Width: 1.5})
				}
			}
			if se.Points && f.In(px, py) {
				s.Add(scene.Circle{X: px, Y: py, R: 3, Fill: se.Color})
			}
			prev, havePrev = [2]float32{px, py}, true
		}
		lbl, short := se.Name, ""
		if fit := fits[i]; fit != nil {
			lbl = fmt.Sprintf("%s: slope %.2f (fit)", se.Name, fit.Slope)
			// For narrow charts: the number matters most.
			short = fmt.Sprintf("fit %.2f", fit.Slope)
			// The fitted line, faint, under the legend.
			if f.X.Log && f.Y.Log {
				xm := math.Sqrt(f.X.Min * f.X.Max)
				ym := math.Pow(10, fit.Intercept+fit.Slope*math.Log10(xm))
				if seg, in := clipLine(f, xm, ym, fit.Slope); in {
					s.Add(scene.Line{X0: seg[0], Y0: seg[1], X1: seg[2], Y1: seg[3], Color: scene.Translucent(se.Color, 110), Width: 1})
				}
			}
		}
		if lbl != "" {
			legend = append(legend, legendEntry{label: lbl, short: short, color: se.Color})
		}
	}
	drawLegend(s, st, f.Area, legend)
}

// anchor is the geometric centre of the first fitted (else first) series.
func (p *XY) anchor() (x, y float64) {
	pick := -1
	for i, s := range p.Series {
		if s.Fit != nil {
			pick = i
			break
		}
	}
	if pick < 0 && len(p.Series) > 0 {
		pick = 0
	}
	if pick < 0 {
		return 0, 0
	}
	s := p.Series[pick]
	var n, lx, ly float64
	for i := range min(len(s.X), len(s.Y)) {
		if ok(s.X[i], s.Y[i]) {
			n++
			lx += math.Log10(s.X[i])
			ly += math.Log10(s.Y[i])
		}
	}
	if n == 0 {
		return 0, 0
	}
	return math.Pow(10, lx/n), math.Pow(10, ly/n)
}

// clipLine returns the part inside the data area of the log-log line
// through (x0, y0) with the given slope, as pixel endpoints.
func clipLine(f Frame, x0, y0, slope float64) ([4]float32, bool) {
	ya := y0 * math.Pow(f.X.Min/x0, slope)
	yb := y0 * math.Pow(f.X.Max/x0, slope)
	ax, ay, ok1 := f.Px(f.X.Min, ya)
	bx, by, ok2 := f.Px(f.X.Max, yb)
	if !ok1 || !ok2 {
		return [4]float32{}, false
	}
	a, b, in := clipSeg(f.Area, ax, ay, bx, by)
	return [4]float32{a[0], a[1], b[0], b[1]}, in
}

// clipSeg clips a segment to the rectangle (Liang–Barsky).
func clipSeg(r Rect, x0, y0, x1, y1 float32) (a, b [2]float32, in bool) {
	t0, t1 := float32(0), float32(1)
	dx, dy := x1-x0, y1-y0
	for _, e := range [4][2]float32{{-dx, x0 - r.X}, {dx, r.X + r.W - x0}, {-dy, y0 - r.Y}, {dy, r.Y + r.H - y0}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return a, b, false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
		if t0 > t1 {
			return a, b, false
		}
	}
	return [2]float32{x0 + t0*dx, y0 + t0*dy}, [2]float32{x0 + t1*dx, y0 + t1*dy}, true
}

func drawDashed(s *scene.Scene, seg [4]float32, c color.RGBA) {
	dx, dy := seg[2]-seg[0], seg[3]-seg[1]
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l == 0 {
		return
	}
	const on, off = 6, 4
	for t := float32(0); t < l; t += on + off {
		e := min(t+on, l)
		s.Add(scene.Line{X0: seg[0] + dx*t/l, Y0: seg[1] + dy*t/l, X1: seg[0] + dx*e/l, Y1: seg[1] + dy*e/l, Color: c, Width: 1.5})
	}
}

type legendEntry struct {
	label  string
	short  string // used instead of label when label does not fit
	color  color.RGBA
	dashed bool
}

// drawLegend stacks entries in a box at the top left of the area, each
// label shortened to fit the area's width.
func drawLegend(s *scene.Scene, st Style, a Rect, es []legendEntry) {
	if len(es) == 0 {
		return
	}
	lh := scene.TextHeight(st.TextSize)
	const sw = 18 // swatch width
	maxW := a.W - 8 - sw - 10
	w := float32(0)
	for i := range es {
		if es[i].short != "" && scene.TextWidth(es[i].label, st.TextSize) > maxW {
			es[i].label = es[i].short
		}
		es[i].label = fit(es[i].label, st.TextSize, maxW)
		w = max(w, scene.TextWidth(es[i].label, st.TextSize))
	}
	h := float32(len(es))*(lh+2) + 6
	if h > a.H-8 || maxW <= 0 {
		return
	}
	x, y := a.X+4, a.Y+4
	s.Add(scene.Rect{X: x, Y: y, W: w + sw + 14, H: h, Fill: st.Panel, Stroke: st.Grid, StrokeWidth: 1})
	for i, e := range es {
		ly := y + 3 + float32(i)*(lh+2)
		my := ly + lh/2
		if e.dashed {
			drawDashed(s, [4]float32{x + 4, my, x + 4 + sw, my}, e.color)
		} else {
			s.Add(scene.Line{X0: x + 4, Y0: my, X1: x + 4 + sw, Y1: my, Color: e.color, Width: 2}, scene.Circle{X: x + 4 + sw/2, Y: my, R: 3, Fill: e.color})
		}
		s.Add(scene.Text{X: x + sw + 10, Y: ly, S: e.label, Size: st.TextSize, Color: st.Text})
	}
}
