package widget

import (
	"image/color"
	"math"
	"strconv"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// Rect is a rectangle in logical pixels, (X, Y) the top left.
type Rect struct{ X, Y, W, H float32 }

// Contains reports whether (x, y) lies in r (left/top inclusive).
func (r Rect) Contains(x, y float32) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Inset shrinks r by d on every side (grows it for d < 0).
func (r Rect) Inset(d float32) Rect {
	return Rect{r.X + d, r.Y + d, max(r.W-2*d, 0), max(r.H-2*d, 0)}
}

// Widget is what a Form holds.
type Widget interface {
	// Handle reads one tick of input and reports whether the widget's value
	// changed (or a button fired).
	Handle(in *input.Input) bool
	// Draw appends the widget's scene items.
	Draw(s *scene.Scene)
	// Common gives access to the shared state: Name, Rect, Label, states.
	Common() *Base
	// PreferredHeight is the height the widget wants for a given width.
	PreferredHeight(t *Theme) float32
	// SetFocused gives or takes keyboard focus (a NumberField commits its
	// edit when it loses focus).
	SetFocused(on bool)
}

// Theme holds the colours and text size of the widgets.
type Theme struct {
	TextSize float32
	Text     color.RGBA // labels and values
	Muted    color.RGBA // secondary text, inactive tracks
	Panel    color.RGBA // widget backgrounds (buttons, fields)
	Hover    color.RGBA // background under the pointer
	Border   color.RGBA
	Accent   color.RGBA // filled track, toggle on, pressed button
	Thumb    color.RGBA
	Focus    color.RGBA // focus ring
	Error    color.RGBA
}

// LightTheme is dark text on light panels.
func LightTheme() Theme {
	return Theme{
		TextSize: 13,
		Text:     color.RGBA{0x20, 0x22, 0x28, 0xff},
		Muted:    color.RGBA{0xb8, 0xbc, 0xc4, 0xff},
		Panel:    color.RGBA{0xf2, 0xf3, 0xf5, 0xff},
		Hover:    color.RGBA{0xe2, 0xe6, 0xee, 0xff},
		Border:   color.RGBA{0x9a, 0xa0, 0xab, 0xff},
		Accent:   color.RGBA{0x00, 0x72, 0xb2, 0xff},
		Thumb:    color.RGBA{0xff, 0xff, 0xff, 0xff},
		Focus:    color.RGBA{0xe6, 0x9f, 0x00, 0xff},
		Error:    color.RGBA{0xc0, 0x30, 0x00, 0xff},
	}
}

// DarkTheme is light text on dark panels.
func DarkTheme() Theme {
	return Theme{
		TextSize: 13,
		Text:     color.RGBA{0xe8, 0xea, 0xee, 0xff},
		Muted:    color.RGBA{0x55, 0x5a, 0x66, 0xff},
		Panel:    color.RGBA{0x2a, 0x2d, 0x34, 0xff},
		Hover:    color.RGBA{0x38, 0x3c, 0x46, 0xff},
		Border:   color.RGBA{0x70, 0x76, 0x82, 0xff},
		Accent:   color.RGBA{0x56, 0xb4, 0xe9, 0xff},
		Thumb:    color.RGBA{0xf0, 0xf0, 0xf0, 0xff},
		Focus:    color.RGBA{0xe6, 0x9f, 0x00, 0xff},
		Error:    color.RGBA{0xff, 0x70, 0x50, 0xff},
	}
}

var defaultTheme = LightTheme()

// Base is the state every widget shares. Set Name, Rect, Label (and Theme,
// or let a Form set it); the states are maintained by Handle.
type Base struct {
	Name     string // the parameter this widget controls, or a button's action
	Label    string
	Rect     Rect
	Theme    *Theme // nil: LightTheme
	Disabled bool   // drawn muted, ignores input

	Hovered bool // a pointer is over the widget
	Focused bool // receives keys
	Active  bool // a pointer is captured (pressed or dragging)

	prev      map[int]bool // pointer ID -> was down last tick
	cur       map[int]bool // reused for this tick, swapped with prev
	captured  bool
	captureID int
	lastX     float32 // last position of the captured pointer
	lastY     float32
}

// Common returns b itself (for the Widget interface).
func (b *Base) Common() *Base { return b }

// SetFocused gives or takes keyboard focus.
func (b *Base) SetFocused(on bool) { b.Focused = on }

func (b *Base) theme() *Theme {
	if b.Theme != nil {
		return b.Theme
	}
	return &defaultTheme
}

// Captures reports whether the pointer with this ID is captured by the widget.
func (b *Base) Captures(id int) bool { return b.captured && b.captureID == id }

// ptrEvents is what one tick of pointers means to a widget.
type ptrEvents struct {
	press         bool // a pointer went down this tick
	pressInside   bool // ... inside the widget's rect (it is now captured)
	px, py        float32
	held          bool // the captured pointer is down (x, y current)
	x, y          float32
	release       bool // the captured pointer went up (or vanished) at (x, y)
	releaseInside bool
}

// track turns the pointer list into press / drag / release events, with
// capture: a press inside captures that pointer ID until it is released.
// inside may be narrower than b.Rect (a popup may widen it).
func (b *Base) track(in *input.Input, inside func(x, y float32) bool) ptrEvents {
	var ev ptrEvents
	if b.cur == nil {
		b.cur = make(map[int]bool, 4)
	}
	cur := b.cur
	clear(cur)
	b.Hovered = false
	for _, p := range in.Pointers {
		cur[p.ID] = p.Down
		if inside(p.X, p.Y) {
			b.Hovered = true
		}
		if p.Down && !b.prev[p.ID] && !ev.press && !b.captured {
			ev.press, ev.px, ev.py = true, p.X, p.Y
			if inside(p.X, p.Y) && !b.Disabled {
				ev.pressInside = true
				b.captured, b.captureID = true, p.ID
				b.lastX, b.lastY = p.X, p.Y
			}
		}
	}
	if b.captured && !ev.pressInside {
		found := false
		for _, p := range in.Pointers {
			if p.ID == b.captureID {
				found = true
				if p.Down {
					ev.held, ev.x, ev.y = true, p.X, p.Y
					b.lastX, b.lastY = p.X, p.Y
				} else {
					ev.release, ev.x, ev.y = true, p.X, p.Y
				}
			}
		}
		if !found { // a touch ended: it is released where it was last seen
			ev.release, ev.x, ev.y = true, b.lastX, b.lastY
		}
		if ev.release {
			b.captured = false
			ev.releaseInside = inside(ev.x, ev.y)
		}
	} else if ev.pressInside {
		ev.held, ev.x, ev.y = true, ev.px, ev.py
	}
	b.prev, b.cur = cur, b.prev
	b.Active = b.captured
	return ev
}

// focusFromPress applies the click-to-focus rule: a press inside focuses,
// a press elsewhere blurs. It returns whether focus was lost.
func (b *Base) focusFromPress(ev ptrEvents) (lost bool) {
	if !ev.press {
		return false
	}
	if ev.pressInside {
		b.Focused = true
		return false
	}
	lost = b.Focused
	b.Focused = false
	return lost
}

// takeKey reports whether key went down this tick and removes it from
// in.Keys (into a new slice, leaving the caller's array untouched).
func takeKey(in *input.Input, key string) bool {
	for i, k := range in.Keys {
		if k == key {
			rest := make([]string, 0, len(in.Keys)-1)
			rest = append(rest, in.Keys[:i]...)
			rest = append(rest, in.Keys[i+1:]...)
			in.Keys = rest
			return true
		}
	}
	return false
}

// Ellipsize shortens s with a trailing "…" until it fits in maxW at size.
func Ellipsize(s string, size, maxW float32) string {
	if scene.TextWidth(s, size) <= maxW {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r) // the longest prefix that fits, by bisection
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if scene.TextWidth(string(r[:mid])+"…", size) <= maxW {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return ""
	}
	return string(r[:lo]) + "…"
}

// FormatValue is the default value format: integers without a fraction,
// other numbers with 4 significant digits.
func FormatValue(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// drawFocus draws the focus ring around r.
func drawFocus(s *scene.Scene, t *Theme, r Rect) {
	s.Add(scene.Rect{X: r.X - 2, Y: r.Y - 2, W: r.W + 4, H: r.H + 4, Stroke: t.Focus, StrokeWidth: 2})
}

func textColor(b *Base) color.RGBA {
	if b.Disabled {
		return b.theme().Muted
	}
	return b.theme().Text
}

// lineH is the height of one text line of the theme.
func lineH(t *Theme) float32 { return scene.TextHeight(t.TextSize) }
