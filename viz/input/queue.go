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
//
// When a queue is present, the mouse button's state comes from the queued
// events alone, one press or release per tick and in order, never from
// polling: the polled state and the queue are read at different moments
// (the browser delivers its pointerdown, which the queue sees, and its
// mousedown, which Ebiten polls, as two events, and a tick can run between
// them), and mixing the two once turned a single click into two. Polling
// still gives the pointer's position between presses and releases, and it
// resynchronises the button if the two disagree for resyncTicks ticks with
// nothing queued (an event the page never delivered).
type Catcher struct {
	pending  []Event // pointer events not yet shown, oldest first
	down     bool    // the button as last shown
	disagree int     // ticks the polled button has disagreed, with nothing queued
}

// resyncTicks is how long polling must disagree with the queue before it
// wins: longer than the few ticks the two can differ by in one frame.
const resyncTicks = 30

// maxPending bounds the pointer events carried from tick to tick.
const maxPending = 64

// Merge puts the tick's queued events into in, whose Keys it replaces (the
// queue has every key press, in order; repeats only for the keys that
// repeat), and sets the mouse button (pointer 0) from the queued pointer
// events: each press and each release is shown for a tick of its own at
// its position, so a click of any speed reaches the widgets as a press and
// a release, and two clicks as two.
func (c *Catcher) Merge(in *Input, events []Event, repeats func(key string) bool) {
	in.Keys = in.Keys[:0]
	for _, e := range events {
		switch e.Kind {
		case KeyPress:
			if e.Key != "" && (!e.Repeat || repeats(e.Key)) {
				in.Keys = append(in.Keys, e.Key)
			}
		case PointerPress, PointerLift:
			if len(c.pending) >= maxPending {
				c.pending = c.pending[1:]
			}
			c.pending = append(c.pending, e)
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
	for len(c.pending) > 0 {
		e := c.pending[0]
		c.pending = c.pending[1:]
		if down := e.Kind == PointerPress; down != c.down {
			// (An event that changes nothing, a release while up such
			// as a blur's, takes no tick.)
			c.down, c.disagree = down, 0
			m.X, m.Y, m.Down = e.X, e.Y, down
			return
		}
	}
	if m.Down != c.down {
		c.disagree++
		if c.disagree >= resyncTicks {
			c.down, c.disagree = m.Down, 0
		}
	} else {
		c.disagree = 0
	}
	m.Down = c.down
}

// Pending reports whether pointer events wait to be shown in later ticks:
// the platform keeps ticking until they have been.
func (c *Catcher) Pending() bool { return len(c.pending) > 0 }

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
	case "PageUp":
		return KeyPageUp
	case "PageDown":
		return KeyPageDown
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
