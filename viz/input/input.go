// Package input is the platform-neutral input of one frame: what the Ebiten
// layer (browser or desktop) read from mouse, touch and keyboard during a
// tick, in logical pixels. The drawing model and the widgets consume it; so
// do tests, which build Inputs by hand instead of needing a display.
package input

// Pointer is a mouse cursor or a touch point.
type Pointer struct {
	ID   int // 0 for the mouse; touch IDs otherwise
	X, Y float32
	Down bool // button 0 held / finger on the screen
}

// Key names used in Input.Keys.
const (
	KeySpace     = "space"
	KeyLeft      = "left"
	KeyRight     = "right"
	KeyUp        = "up"
	KeyDown      = "down"
	KeyPlus      = "plus"  // '+' or '=' or keypad +
	KeyMinus     = "minus" // '-' or keypad -
	KeyEnter     = "enter"
	KeyBackspace = "backspace"
	KeyTab       = "tab"
	KeyEscape    = "escape"
	KeyHome      = "home"
	KeyEnd       = "end"
	KeyPageUp    = "pageup"
	KeyPageDown  = "pagedown"
)

// Input is everything that happened during one tick.
type Input struct {
	DT       float64   // seconds since the previous tick
	Pointers []Pointer // the mouse (if present) and every active touch
	WheelY   float32   // scroll this tick, positive = up
	Keys     []string  // keys that went down this tick (names above, or a lower-case letter/digit)
	Chars    []rune    // text typed this tick (for numeric fields)
	Shift    bool      // shift held
}

// Pressed reports whether key went down this tick.
func (in *Input) Pressed(key string) bool {
	for _, k := range in.Keys {
		if k == key {
			return true
		}
	}
	return false
}

// Primary returns the first pointer that is down, or else the first pointer.
func (in *Input) Primary() (Pointer, bool) {
	for _, p := range in.Pointers {
		if p.Down {
			return p, true
		}
	}
	if len(in.Pointers) > 0 {
		return in.Pointers[0], true
	}
	return Pointer{}, false
}
