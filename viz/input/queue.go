package input

import "strings"

// Polling the keyboard and the mouse once per tick loses what happens
// between two ticks: a key pressed and released, or a click, inside one
// slow frame (a weak machine's browser draws 4–5 frames a second while it
// computes). A platform that sees the events themselves (the browser's
// keydown and pointer events) queues them, and a Catcher merges the queue
// into the tick's polled Input so that none is lost.

// EventKind is what happened.
type EventKind uint8

const (
	KeyPress     EventKind = iota // a key went down (or auto-repeated)
	PointerPress                  // the mouse's primary button went down
	PointerLift                   // the mouse's primary button went up
)

// Event is one input event, in the order the platform received it.
type Event struct {
	Kind   EventKind
	Key    string  // KeyPress: the key's name (as in Input.Keys)
	Repeat bool    // KeyPress: an auto-repeat of a held key
	X, Y   float32 // pointer events: logical pixels
}

// Catcher merges queued events into polled input. The zero value is ready.
type Catcher struct {
	lift    bool // a click's release is owed to the next tick
	liftX   float32
	liftY   float32
	started bool
}

// Merge puts the tick's queued events into in, whose Keys it replaces (the
// queue has every key press, in order; repeats only for the keys that
// repeat). A press of the mouse button that the polled pointer 0 does not
// show (it was released within the tick) is shown this tick, down at the
// press's position, and its release the next tick, so a click of any speed
// reaches the widgets as a press and a release.
func (c *Catcher) Merge(in *Input, events []Event, repeats func(key string) bool) {
	in.Keys = in.Keys[:0]
	for _, e := range events {
		if e.Kind == KeyPress && e.Key != "" && (!e.Repeat || repeats(e.Key)) {
			in.Keys = append(in.Keys, e.Key)
		}
	}
	mouse := -1
	for i, p := range in.Pointers {
		if p.ID == 0 {
			mouse = i
		}
	}
	if mouse < 0 {
		return
	}
	m := &in.Pointers[mouse]
	if c.lift {
		// The release owed from the last tick (a new press waits a tick).
		c.lift = false
		m.X, m.Y, m.Down = c.liftX, c.liftY, false
		return
	}
	if m.Down {
		return // polling shows the button held: nothing was missed
	}
	for i, e := range events {
		if e.Kind != PointerPress {
			continue
		}
		// Pressed and, since the button is up now, released within the
		// tick: down now at the press, up next tick at the release.
		m.X, m.Y, m.Down = e.X, e.Y, true
		c.lift, c.liftX, c.liftY = true, e.X, e.Y
		for _, u := range events[i+1:] {
			if u.Kind == PointerLift {
				c.liftX, c.liftY = u.X, u.Y
				break
			}
		}
		return
	}
}

// KeyNameForCode maps a browser KeyboardEvent.code (the physical key) to
// the names of Input.Keys, as the Ebiten layer's KeyName maps Ebiten keys;
// other keys give "".
func KeyNameForCode(code string, shift bool) string {
	switch {
	case len(code) == 4 && strings.HasPrefix(code, "Key") && code[3] >= 'A' && code[3] <= 'Z':
		return strings.ToLower(code[3:])
	case len(code) == 6 && strings.HasPrefix(code, "Digit") && code[5] >= '0' && code[5] <= '9':
		return code[5:]
	case len(code) == 7 && strings.HasPrefix(code, "Numpad") && code[6] >= '0' && code[6] <= '9':
		return code[6:]
	}
	switch code {
	case "Space":
		return KeySpace
	case "ArrowLeft":
		return KeyLeft
	case "ArrowRight":
		return KeyRight
	case "ArrowUp":
		return KeyUp
	case "ArrowDown":
		return KeyDown
	case "Equal", "NumpadAdd":
		return KeyPlus
	case "Minus", "NumpadSubtract":
		return KeyMinus
	case "Enter", "NumpadEnter":
		return KeyEnter
	case "Backspace":
		return KeyBackspace
	case "Tab":
		return KeyTab
	case "Escape":
		return KeyEscape
	case "Home":
		return KeyHome
	case "End":
		return KeyEnd
	case "BracketLeft":
		return "["
	case "BracketRight":
		return "]"
	case "Period", "NumpadDecimal":
		return "."
	case "Comma":
		return ","
	case "Slash":
		if shift {
			return "?"
		}
		return "/"
	}
	return ""
}
