package widget

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// NumberField lets the user type a number. A press focuses it and starts an
// edit of the current text, all selected (the first key typed replaces it); digits, '.', '-', '+', 'e' are accepted,
// Backspace deletes; Enter commits through Parse; Escape cancels. If Parse
// fails, Value is kept, Err shows the message beside the field, and the edit
// stays open for correction. Losing focus (a press elsewhere, Tab) commits a
// valid edit and otherwise cancels it, keeping the error on display.
type NumberField struct {
	Base
	Value  float64
	Parse  func(string) (float64, error) // nil: ParseFloat (finite numbers)
	Format func(float64) string          // nil: FormatValue
	Err    string                        // the last parse error, "" if none

	Editing bool
	Text    string // the text being edited

	pending bool // a change made by SetFocused, reported by the next Handle
	fresh   bool // the edit has not been typed into yet: typing replaces it
}

// PreferredHeight: a label line over an input box.
func (f *NumberField) PreferredHeight(t *Theme) float32 { return 2*lineH(t) + 10 }

// ParseFloat parses a finite float.
func ParseFloat(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errors.New("number out of range")
	}
	return v, nil
}

// ParseRange returns a Parse func accepting numbers in [lo, hi], integers
// only if integer is set; the error names the allowed range.
func ParseRange(lo, hi float64, integer bool) func(string) (float64, error) {
	return func(s string) (float64, error) {
		v, err := ParseFloat(s)
		if err != nil {
			return 0, err
		}
		if integer && v != math.Trunc(v) {
			return 0, fmt.Errorf("%v is not a whole number", v)
		}
		if v < lo || v > hi {
			return 0, fmt.Errorf("must be in [%v, %v]", FormatValue(lo), FormatValue(hi))
		}
		return v, nil
	}
}

func (f *NumberField) format(v float64) string {
	if f.Format != nil {
		return f.Format(v)
	}
	return FormatValue(v)
}

// Box is the input box within Rect.
func (f *NumberField) Box() Rect {
	t := f.theme()
	lh := lineH(t)
	return Rect{f.Rect.X, f.Rect.Y + lh + 2, min(f.Rect.W*0.5, max(f.Rect.W-60, 40)), lh + 6}
}

func (f *NumberField) begin() {
	if !f.Editing {
		f.Editing = true
		f.Text = f.format(f.Value)
		f.fresh = true
	}
}

// Commit parses the edit; on success Value takes it and it reports whether
// Value changed; on failure Value is kept and Err is set.
func (f *NumberField) Commit() (changed bool, err error) {
	parse := f.Parse
	if parse == nil {
		parse = ParseFloat
	}
	v, err := parse(f.Text)
	if err != nil {
		f.Err = err.Error()
		return false, err
	}
	f.Err = ""
	f.Editing = false
	changed = v != f.Value
	f.Value = v
	return changed, nil
}

// Cancel drops the edit (Err is kept on display).
func (f *NumberField) Cancel() {
	f.Editing = false
	f.Text = ""
}

// SetFocused gives or takes focus; taking it commits a valid edit and
// cancels an invalid one. (A change made this way is reported by the next
// Handle.)
func (f *NumberField) SetFocused(on bool) {
	if !on && f.Focused && f.Editing {
		if ch, err := f.Commit(); err != nil {
			f.Cancel()
		} else if ch {
			f.pending = true
		}
	}
	f.Focused = on
	if on {
		f.begin()
	}
}

// Handle implements Widget.
func (f *NumberField) Handle(in *input.Input) bool {
	changed := f.pending
	f.pending = false
	ev := f.track(in, f.Rect.Contains)
	if ev.press {
		if ev.pressInside {
			f.Focused = true
			f.begin()
		} else if f.Focused {
			f.SetFocused(false)
			changed = changed || f.pending
			f.pending = false
		}
	}
	if !f.Focused || f.Disabled {
		return changed
	}
	f.begin()
	for _, r := range in.Chars {
		if strings.ContainsRune("0123456789.-+eE", r) {
			if f.fresh {
				f.Text, f.fresh = "", false
			}
			f.Text += string(r)
			f.Err = ""
		}
	}
	in.Chars = nil // an edited field owns the typed text
	// Digits and letters also arrive as key names: the field owns them.
	rest := in.Keys[:0:0]
	for _, k := range in.Keys {
		switch k {
		case input.KeyBackspace:
			if f.fresh {
				f.Text, f.fresh = "", false
			} else if r := []rune(f.Text); len(r) > 0 {
				f.Text = string(r[:len(r)-1])
			}
		case input.KeyEnter:
			if ch, err := f.Commit(); err == nil {
				changed = changed || ch
				f.begin() // keep editing the committed value
			}
		case input.KeyEscape:
			f.Cancel()
			f.Err = ""
			f.Focused = false
		case input.KeyTab:
			rest = append(rest, k) // focus cycling belongs to the Form
		default:
			if len(k) == 1 || k == input.KeyLeft || k == input.KeyRight || k == input.KeyMinus || k == input.KeyPlus || k == input.KeySpace || k == input.KeyHome || k == input.KeyEnd || k == input.KeyUp || k == input.KeyDown {
				continue // consumed: typing must not trigger shortcuts
			}
			rest = append(rest, k)
		}
	}
	in.Keys = rest
	return changed
}

// Draw implements Widget.
func (f *NumberField) Draw(s *scene.Scene) {
	t := f.theme()
	r := f.Rect
	box := f.Box()
	s.Add(scene.Text{X: r.X, Y: r.Y, S: Ellipsize(f.Label, t.TextSize, r.W), Size: t.TextSize, Color: textColor(&f.Base)})
	bg, border := t.Panel, t.Border
	if f.Hovered && !f.Disabled {
		bg = t.Hover
	}
	if f.Editing {
		border = t.Accent
	}
	if f.Err != "" {
		border = t.Error
	}
	s.Add(scene.Rect{X: box.X, Y: box.Y, W: box.W, H: box.H, Fill: bg, Stroke: border, StrokeWidth: 1})
	txt := f.format(f.Value)
	if f.Editing {
		txt = f.Text
	}
	shown := txt
	// Keep the end (where typing happens) visible in a narrow box.
	for scene.TextWidth(shown, t.TextSize) > box.W-10 && len(shown) > 0 {
		shown = shown[1:]
	}
	if f.Editing && f.fresh && f.Focused { // shown selected: typing replaces it
		s.Add(scene.Rect{X: box.X + 3, Y: box.Y + 2, W: scene.TextWidth(shown, t.TextSize) + 2, H: box.H - 4, Fill: scene.Translucent(t.Accent, 90)})
	}
	s.Add(scene.Text{X: box.X + 4, Y: box.Y + 3, S: shown, Size: t.TextSize, Color: textColor(&f.Base)})
	if f.Editing && f.Focused {
		cx := box.X + 4 + scene.TextWidth(shown, t.TextSize) + 1
		s.Add(scene.Line{X0: cx, Y0: box.Y + 3, X1: cx, Y1: box.Y + box.H - 3, Color: t.Text, Width: 1})
	}
	if f.Err != "" {
		ex := box.X + box.W + 6
		s.Add(scene.Text{X: ex, Y: box.Y + 3, S: Ellipsize(f.Err, t.TextSize, r.X+r.W-ex), Size: t.TextSize, Color: t.Error})
	}
	if f.Focused {
		drawFocus(s, t, box)
	}
}
