package input

import (
	"slices"
	"testing"
)

func noRepeat(string) bool { return false }

// mouseAt is one tick's polled input: the mouse at (x, y), held or not.
func mouseAt(x, y float32, down bool) Input {
	return Input{Pointers: []Pointer{{ID: 0, X: x, Y: y, Down: down}}}
}

// A click inside one tick (press and release queued, the polled button
// up) reaches the app as a press this tick and a release the next.
func TestCatcherKeepsAFastClick(t *testing.T) {
	var c Catcher
	in := mouseAt(500, 500, false)
	c.Merge(&in, []Event{{Kind: PointerPress, X: 10, Y: 20}, {Kind: PointerLift, X: 11, Y: 21}}, noRepeat)
	if p := in.Pointers[0]; !p.Down || p.X != 10 || p.Y != 20 {
		t.Fatalf("tick 1: pointer %+v, want down at the press (10, 20)", p)
	}
	if !c.Pending() {
		t.Fatalf("tick 1: the release is owed but Pending is false")
	}
	in = mouseAt(500, 500, false)
	c.Merge(&in, nil, noRepeat)
	if p := in.Pointers[0]; p.Down || p.X != 11 || p.Y != 21 {
		t.Fatalf("tick 2: pointer %+v, want up at the release (11, 21)", p)
	}
	in = mouseAt(500, 500, false)
	c.Merge(&in, nil, noRepeat)
	if p := in.Pointers[0]; p.Down || p.X != 500 || c.Pending() {
		t.Fatalf("tick 3: pointer %+v (pending %v), want the polled one", p, c.Pending())
	}
	// Without pointers nothing breaks.
	in = Input{}
	c.Merge(&in, []Event{{Kind: PointerPress}}, noRepeat)
}

// transitions counts the widget-visible presses and releases of pointer 0 over
// a sequence of ticks.
func transitions(t *testing.T, c *Catcher, ticks []Input, events [][]Event) (presses, releases int) {
	t.Helper()
	prev := false
	for i := range ticks {
		in := ticks[i]
		c.Merge(&in, events[i], noRepeat)
		d := in.Pointers[0].Down
		if d && !prev {
			presses++
		}
		if !d && prev {
			releases++
		}
		prev = d
	}
	return presses, releases
}

// The queue and polling read the button at different moments. A press the
// queue has but polling does not yet, then polling showing the button held
// while the release is still to come: one click, not two (CI once saw the
// play button toggle twice for one click this way).
func TestCatcherOneClickWhenPollingLags(t *testing.T) {
	var c Catcher
	ticks := []Input{mouseAt(5, 5, false), mouseAt(5, 5, true), mouseAt(5, 5, true), mouseAt(5, 5, false), mouseAt(5, 5, false)}
	events := [][]Event{{{Kind: PointerPress, X: 5, Y: 5}}, nil, nil, {{Kind: PointerLift, X: 5, Y: 5}}, nil}
	if p, r := transitions(t, &c, ticks, events); p != 1 || r != 1 {
		t.Fatalf("%d presses and %d releases, want 1 and 1", p, r)
	}
	// And the other way: polling sees the release a tick before the queue.
	c = Catcher{}
	ticks = []Input{mouseAt(5, 5, true), mouseAt(5, 5, true), mouseAt(5, 5, false), mouseAt(5, 5, false)}
	events = [][]Event{{{Kind: PointerPress, X: 5, Y: 5}}, nil, nil, {{Kind: PointerLift, X: 5, Y: 5}}}
	if p, r := transitions(t, &c, ticks, events); p != 1 || r != 1 {
		t.Fatalf("%d presses and %d releases, want 1 and 1", p, r)
	}
}

// Two clicks inside one tick are two clicks, over four ticks.
func TestCatcherTwoClicksInOneTick(t *testing.T) {
	var c Catcher
	ticks := make([]Input, 6)
	for i := range ticks {
		ticks[i] = mouseAt(1, 1, false)
	}
	events := make([][]Event, 6)
	events[0] = []Event{{Kind: PointerPress}, {Kind: PointerLift}, {Kind: PointerPress}, {Kind: PointerLift}}
	if p, r := transitions(t, &c, ticks, events); p != 2 || r != 2 {
		t.Fatalf("%d presses and %d releases, want 2 and 2", p, r)
	}
}

// A release the page never delivered (the window lost the mouse) does not
// leave the button held for ever: polling wins after resyncTicks quiet ticks.
func TestCatcherResyncsWithPolling(t *testing.T) {
	var c Catcher
	in := mouseAt(0, 0, true)
	c.Merge(&in, []Event{{Kind: PointerPress}}, noRepeat)
	for i := 1; i < resyncTicks; i++ {
		in = mouseAt(0, 0, false)
		c.Merge(&in, nil, noRepeat)
		if !in.Pointers[0].Down {
			t.Fatalf("tick %d: released before resyncTicks", i)
		}
	}
	in = mouseAt(0, 0, false)
	c.Merge(&in, nil, noRepeat)
	if in.Pointers[0].Down {
		t.Fatalf("still held after %d ticks of polling saying up", resyncTicks)
	}
}

// Keys come from the queue in order, a quick press included; repeats only
// for the keys that repeat.
func TestCatcherKeys(t *testing.T) {
	var c Catcher
	in := Input{Keys: []string{"space"}} // what polling saw: replaced
	ev := []Event{{Kind: KeyPress, Key: "k"}, {Kind: KeyPress, Key: "k", Repeat: true}, {Kind: KeyPress, Key: "right"},
		{Kind: KeyPress, Key: "right", Repeat: true}, {Kind: KeyPress, Key: ""}}
	c.Merge(&in, ev, func(k string) bool { return k == "right" })
	if want := []string{"k", "right", "right"}; !slices.Equal(in.Keys, want) {
		t.Fatalf("keys %v, want %v", in.Keys, want)
	}
}

func TestKeyNameForCode(t *testing.T) {
	for code, want := range map[string]string{"KeyA": "a", "KeyZ": "z", "Digit7": "7", "Numpad3": "3", "Space": KeySpace,
		"ArrowLeft": KeyLeft, "Equal": KeyPlus, "NumpadSubtract": KeyMinus, "BracketRight": "]", "Slash": "/",
		"ShiftLeft": "", "KeyAB": "", "F1": "", "": ""} {
		if got := KeyNameForCode(code, false); got != want {
			t.Errorf("KeyNameForCode(%q) = %q, want %q", code, got, want)
		}
	}
	if got := KeyNameForCode("Slash", true); got != "?" {
		t.Errorf("shift+Slash = %q, want ?", got)
	}
}
