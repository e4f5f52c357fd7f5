package viz

import (
	"fmt"
	"math"
	"strconv"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
	"github.com/hsrviz/hsrviz/viz/widget"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/hsr"
)

// The control column: one widget per parameter (its Name is the Params JSON
// name, as in Snapshot().Widgets; "share" chooses how b is set, "kind" the
// attention and the softmax's tau), and the
// animation's play / step buttons. Widgets show the current Params every
// tick; a widget the user changed writes its value back through SetParams.

type controls struct {
	form                *widget.Form
	b, n, d, m, query   *widget.Slider
	alpha, sigma, gamma *widget.Slider
	speed               *widget.Slider
	seed                *widget.NumberField
	data, kind, index   *widget.Select
	share               *widget.Select // how b is chosen: fixed, the paper's, a share (thresholds.go)
	shareExtra          float64        // the share shown when it is not one of ShareOptions
	sigmaS              float64        // the measured score spread (0: not yet): the b slider's scale
	play, back, fwd     *widget.Button
	buttons             []*widget.Button // the animation row, laid out by hand
	io                  []*widget.Button // export, copy link, load .npy: the bottom row (export.go)
	theme               widget.Theme
}

func newControls() *controls {
	c := &controls{theme: widget.LightTheme()}
	c.theme.TextSize = 12 * textScale
	int0 := func(v float64) string { return strconv.Itoa(int(math.Round(v))) }
	c.b = &widget.Slider{Base: widget.Base{Name: "b", Label: "threshold b"}, Step: 0.01}
	c.share = &widget.Select{Base: widget.Base{Name: "share", Label: "b set by (p: paper's)"}, Options: shareLabels(0)}
	c.n = &widget.Slider{Base: widget.Base{Name: "n", Label: "keys n"}, Min: 6, Max: 20, Step: 1,
		Format: func(v float64) string { return fmt.Sprintf("2^%d = %s", int(v), fmtInt(1<<int(v))) }}
	c.d = &widget.Slider{Base: widget.Base{Name: "d", Label: "dimension d"}, Min: 1, Max: MaxD, Step: 1, Scale: widget.Log10, Format: int0}
	c.m = &widget.Slider{Base: widget.Base{Name: "m", Label: "queries m"}, Min: 1, Max: MaxM, Step: 1, Scale: widget.Log10, Format: int0}
	c.query = &widget.Slider{Base: widget.Base{Name: "query", Label: "query shown (↑ ↓)"}, Min: 0, Max: 1, Step: 1, Format: int0}
	c.kind = &widget.Select{Base: widget.Base{Name: "kind", Label: "attention"}, Options: kindLabels}
	c.alpha = &widget.Slider{Base: widget.Base{Name: "alpha", Label: "ReLU^α exponent α"}, Min: 1, Max: MaxAlpha, Step: 1, Format: int0}
	c.gamma = &widget.Slider{Base: widget.Base{Name: "gamma", Label: "softmax top r = n^γ"}, Min: 0.05, Max: 1, Step: 0.05}
	c.sigma = &widget.Slider{Base: widget.Base{Name: "sigma", Label: "σ of the entries"}, Min: MinSigma, Max: MaxSigma, Scale: widget.Log10}
	c.data = &widget.Select{Base: widget.Base{Name: "data", Label: "data"}, Options: DataNames()}
	c.index = &widget.Select{Base: widget.Base{Name: "index", Label: "index"}, Options: IndexNames()}
	c.seed = &widget.NumberField{Base: widget.Base{Name: "seed", Label: "seed (r: new)"}, Parse: widget.ParseRange(0, 1e15, true), Format: int0}
	c.speed = &widget.Slider{Base: widget.Base{Name: "speed", Label: "animation steps/s (− +)"}, Min: MinSpeed, Max: MaxSpeed, Scale: widget.Log10}
	c.play = &widget.Button{Base: widget.Base{Name: "play", Label: "pause"}}
	c.back = &widget.Button{Base: widget.Base{Name: "step_back", Label: "← step"}}
	c.fwd = &widget.Button{Base: widget.Base{Name: "step_forward", Label: "step →"}}
	c.buttons = []*widget.Button{c.play, c.back, c.fwd}
	c.io = []*widget.Button{{Base: widget.Base{Name: "export", Label: "export (e)"}},
		{Base: widget.Base{Name: "copy_link", Label: "copy link"}}, {Base: widget.Base{Name: "load", Label: "load .npy"}}}
	c.form = &widget.Form{Theme: &c.theme, Gap: 5, MinColW: 160 * textScale}
	c.form.Add(c.b, c.share, c.n, c.d, c.m, c.query, c.kind, c.alpha, c.gamma, c.sigma, c.data, c.index, c.seed, c.speed)
	return c
}

// sync shows p in the widgets (except one being dragged or edited).
func (c *controls) sync(p Params, playing bool) {
	s2 := p.Sigma * p.Sigma
	if c.sigmaS > 0 {
		s2 = c.sigmaS // the b slider spans the scores' measured spread
	}
	set := func(s *widget.Slider, v float64) {
		if !s.Active {
			s.Value = s.Snap(v)
		}
	}
	c.b.Min, c.b.Max = math.Min(-2*s2, p.B), math.Max(4*s2, p.B)
	c.b.Step = 0.01 * s2
	set(c.b, p.B)
	c.b.Format = func(v float64) string { return fmt.Sprintf("%.3g", v) }
	c.b.Label = bLabel(p)
	set(c.n, math.Round(math.Log2(float64(p.N))))
	set(c.d, float64(p.D))
	set(c.m, float64(p.M))
	c.query.Max = float64(max(1, p.M-1))
	c.query.Disabled = p.M == 1
	set(c.query, float64(p.Query))
	set(c.alpha, float64(p.Alpha))
	set(c.gamma, p.Gamma)
	set(c.sigma, p.Sigma)
	set(c.speed, p.Speed)
	c.alpha.Disabled = p.Kind != attention.ReLU
	topr := p.thresholdHow() == HowTopR // softmax top-r sets its own threshold per row
	c.b.Disabled = topr
	c.share.Disabled = topr
	c.gamma.Disabled = !topr
	if !c.seed.Editing {
		c.seed.Value = float64(p.Seed)
	}
	if !c.kind.Open {
		c.kind.Index = kindIndex(p)
	}
	if !c.data.Open {
		c.data.Options = DataNames()
		if p.custom != nil {
			c.data.Options = append(c.data.Options, gen.Custom.String()) // the loaded files
		}
		c.data.SetValue(p.Data.String())
	}
	custom := p.Data == gen.Custom // n and d are the files'; σ and the seed make nothing
	c.n.Disabled, c.d.Disabled, c.sigma.Disabled, c.seed.Disabled = custom, custom, custom, custom
	c.n.Format = func(v float64) string { return fmt.Sprintf("2^%d = %s", int(v), fmtInt(1<<int(v))) }
	if custom {
		n := p.N
		c.n.Format = func(float64) string { return fmtInt(n) + " (your files)" }
	}
	if !c.index.Open {
		c.index.SetValue(p.Index.String())
	}
	c.syncText()
	c.syncThreshold(p)
	if playing {
		c.play.Label = "pause"
	} else {
		c.play.Label = "play"
	}
}

// layoutControls places the animation buttons on a row and the form below.
func (c *controls) layout(r rect) {
	bh := scaled(28)
	bw := (r.W - 2*6) / 3
	for i, b := range c.buttons {
		b.Rect = widget.Rect{X: r.X + float32(i)*(bw+6), Y: r.Y, W: bw, H: bh}
		b.Theme = &c.theme
	}
	c.form.Rect = widget.Rect{X: r.X, Y: r.Y + bh + 10, W: r.W, H: r.H - bh - 10 - ioRowH}
	c.form.Layout()
	iw := (r.W - 2*4) / 3
	for i, b := range c.io {
		b.Rect = widget.Rect{X: r.X + float32(i)*(iw+4), Y: r.Y + r.H - ioRowH + 4, W: iw, H: ioRowH - 4}
		b.Theme = &c.theme
	}
}

// controlsInner is the area of the controls inside the control card.
func controlsInner(r rect) rect {
	return rect{r.X + 10, r.Y + 10, r.W - 20, r.H - 20 - scaled(helpLineH)}
}

const helpLineH = 18

// ioRowH is the height of the export / link / load row.
const ioRowH = 26

// controlsHeight is the height the controls need at width w (narrow layout).
func controlsHeight(w float32) float32 {
	c := newControls()
	inner := w - 20
	cols := max(1, int((inner+16)/(c.form.MinColW+16)))
	total := float32(0)
	for _, wd := range c.form.Widgets {
		total += wd.PreferredHeight(&c.theme) + c.form.Gap
	}
	return total/float32(cols) + scaled(28) + 10 + 20 + scaled(helpLineH) + 40 // the slack holds the io row (ioRowH)
}

func (a *App) ctl() *controls {
	if a.ui.ctl == nil {
		a.ui.ctl = newControls()
	}
	if a.spreadDone() {
		a.ui.ctl.sigmaS = a.spread.sigma
	}
	return a.ui.ctl
}

func (a *App) textFocused() bool {
	c := a.ui.ctl
	return c != nil && c.seed.Editing
}

// focusedWidget is the Name of the widget with keyboard focus ("" if none).
func (a *App) focusedWidget() string {
	c := a.ui.ctl
	if c == nil {
		return ""
	}
	if w := c.form.Focused(); w != nil {
		return w.Common().Name
	}
	return ""
}

// handleWidgets routes one tick of input to the controls and writes their
// changes into the parameters.
func (a *App) handleWidgets(in *input.Input) {
	L := a.ui.lay
	if !a.p.Controls || L.controls.W == 0 {
		return
	}
	c := a.ctl()
	c.sync(a.p, a.playing)
	c.layout(controlsInner(L.controls))
	for _, b := range c.buttons {
		if b.Handle(in) {
			switch b.Name {
			case "play":
				a.SetPlaying(!a.playing)
			case "step_back":
				a.StepAnimation(-1)
			case "step_forward":
				a.StepAnimation(1)
			}
		}
	}
	for i, b := range c.io {
		if b.Handle(in) {
			a.Request([]Request{RequestExport, RequestCopyLink, RequestOpenFiles}[i])
		}
	}
	changed := c.form.Handle(in)
	if len(changed) == 0 {
		return
	}
	p := a.p
	for _, w := range changed {
		switch w.Common().Name {
		case "b":
			p.B = math.Round(c.b.Value*1e6) / 1e6
			p.PaperB, p.Share = false, 0
		case "share":
			p.PaperB, p.Share = c.shareChoice()
		case "n":
			p.N = 1 << int(math.Round(c.n.Value))
		case "d":
			p.D = int(math.Round(c.d.Value))
		case "m":
			p.M = int(math.Round(c.m.Value))
			p.Query = min(p.Query, p.M-1)
		case "query":
			p.Query = int(math.Round(c.query.Value))
		case "alpha":
			p.Alpha = int(math.Round(c.alpha.Value))
		case "gamma":
			p.Gamma = math.Round(c.gamma.Value*100) / 100
		case "sigma":
			p.Sigma = math.Round(c.sigma.Value*1000) / 1000
		case "speed":
			p.Speed = math.Round(c.speed.Value*100) / 100
		case "seed":
			p.Seed = uint64(c.seed.Value)
		case "data":
			if v, err := gen.ParseKind(c.data.Value()); err == nil {
				p.Data = v
			}
		case "kind":
			p.Kind, p.Tau = kindChoice(c.kind.Index, p.Tau)
		case "index":
			if v, err := hsr.ParseIndexKind(c.index.Value()); err == nil {
				p.Index = v
			}
		}
	}
	note := ""
	if p.N*p.D > MaxND {
		// A slider pushed past the memory cap stops at the largest value
		// allowed, and says so (the other slider keeps its value).
		if p.D != a.p.D {
			p.D = max(1, MaxND/p.N)
			note = fmt.Sprintf("d stops at %d: n·d must be ≤ %s (n = %s)", p.D, fmtInt(MaxND), fmtInt(p.N))
		} else {
			p.N = 1 << bitsFloor(MaxND/p.D)
			note = fmt.Sprintf("n stops at %s: n·d must be ≤ %s (d = %d)", fmtInt(p.N), fmtInt(MaxND), p.D)
		}
	}
	if p != a.p {
		_ = a.SetParams(p)
	}
	if note != "" {
		a.errMsg = note
	}
}

// bitsFloor is ⌊log2 x⌋ for x ≥ 1.
func bitsFloor(x int) int {
	k := 0
	for x > 1 {
		x >>= 1
		k++
	}
	return k
}

// drawControls draws the control card and records the widget regions.
func (a *App) drawControls(p painter, r rect) {
	p.rect(r.inset(0.5), colPanel, colBorder, 1) // the border inside r (scene.Group)
	c := a.ctl()
	c.sync(a.p, a.playing)
	inner := controlsInner(r)
	c.layout(inner)
	a.ui.widgets = a.ui.widgets[:0]
	for _, b := range c.buttons {
		b.Draw(p.s)
		a.ui.widgets = append(a.ui.widgets, region(b.Common()))
	}
	c.form.Draw(p.s)
	for _, w := range c.form.Widgets {
		a.ui.widgets = append(a.ui.widgets, region(w.Common()))
	}
	for _, b := range c.io {
		b.Draw(p.s)
		a.ui.widgets = append(a.ui.widgets, region(b.Common()))
	}
	help := "space play · ← → step · [ ] b · p paper b · h help"
	if t := a.p.customTensors(); t != nil {
		help = t.Describe() // a link cannot carry the files: say so
	}
	p.text(r.X+10, r.Y+r.H-scaled(helpLineH), fitText(help, sizeSmall, r.W-20), sizeSmall, colMuted, scene.AlignLeft)
}

// overlayOpen reports whether a list is open (drawn over other widgets and
// possibly over the panels).
func (c *controls) overlayOpen() bool {
	for _, s := range []*widget.Select{c.data, c.kind, c.index, c.share} {
		if s != nil && s.Overlay() {
			return true
		}
	}
	return false
}

func region(b *widget.Base) Region {
	return Region{Name: b.Name, X: b.Rect.X, Y: b.Rect.Y, W: b.Rect.W, H: b.Rect.H}
}

// drawHelp is the key map overlay (h or ?).
func (a *App) drawHelp(p painter, r rect) {
	p.rect(r, rgba(0x10, 0x14, 0x18, 0x90), colBorder, 0)
	lh := lineHeight(sizeCaption) + 4
	w := min(scaled(470), r.W-16)
	h := lh*float32(len(keyHelp)+4) + 20
	box := rect{r.X + (r.W-w)/2, r.Y + max(20, (r.H-h)/2), w, h}
	p.rect(box, colPanel, colBorder, 1)
	p.text(box.X+16, box.Y+12, "Keys", sizeTitle, colText, scene.AlignLeft)
	y := box.Y + 12 + lh + 6
	for _, kv := range keyHelp {
		p.text(box.X+16, y, kv[0], sizeCaption, colAccent, scene.AlignLeft)
		p.text(box.X+16+scaled(104), y, kv[1], sizeCaption, colText, scene.AlignLeft)
		y += lh
	}
	p.text(box.X+16, y+4, "Hover or tap points, cells, controls and titles to explain them. Esc closes.", sizeSmall, colMuted, scene.AlignLeft)
	p.text(box.X+16, y+4+lineHeight(sizeSmall)+2, "Drag the arrow's head to move the query (d = 2). A tap closes.", sizeSmall, colMuted, scene.AlignLeft)
}
