package widget

import (
	"math"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// Scale is how a slider maps position to value.
type Scale uint8

const (
	Linear Scale = iota // value proportional to position
	Log10               // log10(value) proportional to position; needs Min > 0
)

// Slider picks a number in [Min, Max] by dragging its thumb (mouse or
// touch), pressing on the track (the thumb jumps there and follows), the
// mouse wheel over it (one key step per notch), or with the arrow keys when
// focused (Shift: ten steps; Home/End: the ends).
//
// Step > 0 snaps values to Min + k·Step (Step 1 gives integers), on both
// scales. Values, if set (ascending, within [Min, Max]), is the list of
// allowed values instead, e.g. the powers of two for n on a Log10 slider:
// the value snaps to the one nearest on the track and keys move one entry.
type Slider struct {
	Base
	Min, Max float64
	Value    float64
	Scale    Scale
	Step     float64              // > 0: snap to Min + k·Step
	Values   []float64            // if set: the allowed values (ascending); overrides Step
	KeySteps int                  // arrow presses across the whole range when Step is 0 or on Log10 (default 100)
	Format   func(float64) string // value text; default FormatValue

	grab float32 // pointer x minus thumb x when the thumb was grabbed
}

const (
	thumbR     = 7
	trackAreaH = 20
)

// PreferredHeight: a text line (label and value) over the track.
func (s *Slider) PreferredHeight(t *Theme) float32 { return lineH(t) + trackAreaH + 4 }

func (s *Slider) logScale() bool { return s.Scale == Log10 && s.Min > 0 && s.Max > 0 }

// geom returns the thumb travel: x from x0 to x1 at height y.
func (s *Slider) geom() (x0, x1, y float32) {
	r := s.Rect
	t := s.theme()
	return r.X + thumbR + 1, r.X + r.W - thumbR - 1, r.Y + lineH(t) + 2 + trackAreaH/2
}

// pos maps a value to [0, 1] along the track.
func (s *Slider) pos(v float64) float64 {
	if s.Max == s.Min {
		return 0
	}
	var f float64
	if s.logScale() {
		f = math.Log(v/s.Min) / math.Log(s.Max/s.Min)
	} else {
		f = (v - s.Min) / (s.Max - s.Min)
	}
	if math.IsNaN(f) {
		return 0
	}
	return min(max(f, 0), 1)
}

// at maps a track position in [0, 1] to a value (unsnapped).
func (s *Slider) at(f float64) float64 {
	f = min(max(f, 0), 1)
	if s.logScale() {
		return s.Min * math.Pow(s.Max/s.Min, f)
	}
	return s.Min + f*(s.Max-s.Min)
}

// Snap clamps v to [Min, Max] and rounds it to the step grid (or to the
// nearest of Values, measured along the track).
func (s *Slider) Snap(v float64) float64 {
	lo, hi := min(s.Min, s.Max), max(s.Min, s.Max)
	if math.IsNaN(v) {
		v = lo
	}
	if len(s.Values) > 0 {
		return s.Values[s.nearest(v)]
	}
	if s.Step > 0 {
		v = s.Min + math.Round((v-s.Min)/s.Step)*s.Step
		// Stay on the grid when rounding steps past an end.
		for v > hi {
			v -= s.Step
		}
		for v < lo {
			v += s.Step
		}
	}
	return min(max(v, lo), hi)
}

// nearest is the index of the entry of Values closest to v on the track.
func (s *Slider) nearest(v float64) int {
	f := s.pos(min(max(v, min(s.Min, s.Max)), max(s.Min, s.Max)))
	best, bd := 0, math.Inf(1)
	for i, x := range s.Values {
		if d := math.Abs(s.pos(x) - f); d < bd {
			best, bd = i, d
		}
	}
	return best
}

// ThumbX is the x of the thumb centre for the current value.
func (s *Slider) ThumbX() float32 {
	x0, x1, _ := s.geom()
	return x0 + float32(s.pos(s.Value))*(x1-x0)
}

// XFor is the x on the track of value v (for tests and tick marks).
func (s *Slider) XFor(v float64) float32 {
	x0, x1, _ := s.geom()
	return x0 + float32(s.pos(v))*(x1-x0)
}

func (s *Slider) valueAtX(x float32) float64 {
	x0, x1, _ := s.geom()
	if x1 <= x0 {
		return s.Snap(s.Value)
	}
	return s.Snap(s.at(float64((x - x0) / (x1 - x0))))
}

// set stores v and reports whether it changed.
func (s *Slider) set(v float64) bool {
	if v == s.Value {
		return false
	}
	s.Value = v
	return true
}

// Handle implements Widget.
func (s *Slider) Handle(in *input.Input) bool {
	_, _, ty := s.geom()
	// Presses count on the track row (full width) so the thumb is easy to
	// hit with a finger; the label line above is not part of the control.
	inside := func(x, y float32) bool {
		return s.Rect.Contains(x, y) && y >= ty-trackAreaH/2-2
	}
	ev := s.track(in, inside)
	s.focusFromPress(ev)
	changed := false
	if ev.pressInside {
		tx := s.ThumbX()
		if d := ev.px - tx; d >= -thumbR-3 && d <= thumbR+3 {
			s.grab = d // grabbed the thumb: keep the offset, no jump
		} else {
			s.grab = 0 // pressed the track: jump there and follow
			changed = s.set(s.valueAtX(ev.px)) || changed
		}
	}
	if (ev.held && !ev.pressInside) || ev.release {
		changed = s.set(s.valueAtX(ev.x-s.grab)) || changed
	}
	if s.Hovered && !s.Active && !s.Disabled && in.WheelY != 0 {
		changed = s.set(s.stepped(float64(sign(in.WheelY)))) || changed
		in.WheelY = 0 // used: the panel under the form must not scroll too
	}
	if s.Focused && !s.Disabled {
		changed = s.keys(in) || changed
	}
	return changed
}

func sign(v float32) float32 {
	if v < 0 {
		return -1
	}
	return 1
}

func (s *Slider) keys(in *input.Input) bool {
	changed := false
	n := 1.0
	if in.Shift {
		n = 10
	}
	for _, k := range []string{input.KeyLeft, input.KeyDown, input.KeyRight, input.KeyUp} {
		if takeKey(in, k) {
			dir := 1.0
			if k == input.KeyLeft || k == input.KeyDown {
				dir = -1
			}
			changed = s.set(s.stepped(dir*n)) || changed
		}
	}
	if takeKey(in, input.KeyHome) {
		changed = s.set(s.Snap(math.Min(s.Min, s.Max))) || changed
	}
	if takeKey(in, input.KeyEnd) {
		changed = s.set(s.Snap(math.Max(s.Min, s.Max))) || changed
	}
	return changed
}

// stepped is the value n key steps away from the current one: n·Step on a
// linear slider with a step, else n/KeySteps of the track, snapped, and at
// least one grid step so that a key press always moves.
func (s *Slider) stepped(n float64) float64 {
	if len(s.Values) > 0 {
		i := s.nearest(s.Value) + int(n)
		return s.Values[min(max(i, 0), len(s.Values)-1)]
	}
	if s.Step > 0 && !s.logScale() {
		return s.Snap(s.Value + n*s.Step)
	}
	ks := s.KeySteps
	if ks <= 0 {
		ks = 100
	}
	v := s.Snap(s.at(s.pos(s.Value) + n/float64(ks)))
	if v == s.Value && s.Step > 0 {
		v = s.Snap(s.Value + math.Copysign(s.Step, n))
	}
	return v
}

// Text is the formatted value.
func (s *Slider) Text() string {
	if s.Format != nil {
		return s.Format(s.Value)
	}
	return FormatValue(s.Value)
}

// Draw implements Widget.
func (s *Slider) Draw(sc *scene.Scene) {
	t := s.theme()
	r := s.Rect
	val := s.Text()
	vw := scene.TextWidth(val, t.TextSize)
	sc.Add(
		scene.Text{X: r.X, Y: r.Y, S: Ellipsize(s.Label, t.TextSize, r.W-vw-8), Size: t.TextSize, Color: textColor(&s.Base)},
		scene.Text{X: r.X + r.W, Y: r.Y, S: val, Size: t.TextSize, Color: textColor(&s.Base), Align: scene.AlignRight},
	)
	x0, x1, y := s.geom()
	tx := s.ThumbX()
	accent := t.Accent
	if s.Disabled {
		accent = t.Muted
	}
	sc.Add(
		scene.Rect{X: x0, Y: y - 2, W: x1 - x0, H: 4, Fill: t.Muted},
		scene.Rect{X: x0, Y: y - 2, W: tx - x0, H: 4, Fill: accent},
	)
	rad := float32(thumbR)
	if s.Hovered || s.Active {
		rad++
	}
	if s.Hovered || s.Active {
		sc.Add(scene.Circle{X: tx, Y: y, R: rad + 4, Fill: scene.Translucent(accent, 60)})
	}
	sc.Add(scene.Circle{X: tx, Y: y, R: rad, Fill: t.Thumb, Stroke: accent, StrokeWidth: 2})
	if s.Focused {
		drawFocus(sc, t, r)
	}
}
