package input

import (
	"slices"
	"testing"
)

func noRepeat(string) bool { return false }

// A click inside one tick (press and release queued, the polled button
// up) reaches the app as a press this tick and a release the next.
func TestCatcherKeepsAFastClick(t *testing.T) {
	var c Catcher
	in := Input{Pointers: []Pointer{{ID: 0, X: 500, Y: 500}}}
	c.Merge(&in, []Event{{Kind: PointerPress, X: 10, Y: 20}, {Kind: PointerLift, X: 11, Y: 21}}, noRepeat)
	if p := in.Pointers[0]; !p.Down || p.X != 10 || p.Y != 20 {
		t.Fatalf("tick 1: pointer %+v, want down at the press (10, 20)", p)
	}
	in = Input{Pointers: []Pointer{{ID: 0, X: 500, Y: 500}}}
	c.Merge(&in, nil, noRepeat)
	if p := in.Pointers[0]; p.Down || p.X != 11 || p.Y != 21 {
		t.Fatalf("tick 2: pointer %+v, want up at the release (11, 21)", p)
	}
	in = Input{Pointers: []Pointer{{ID: 0, X: 500, Y: 500}}}
	c.Merge(&in, nil, noRepeat)
	if p := in.Pointers[0]; p.Down || p.X != 500 {
		t.Fatalf("tick 3: pointer %+v, want the polled one", p)
	}
	// A press polling sees held is left alone.
	in = Input{Pointers: []Pointer{{ID: 0, X: 5, Y: 6, Down: true}}}
	c.Merge(&in, []Event{{Kind: PointerPress, X: 1, Y: 1}}, noRepeat)
	if p := in.Pointers[0]; !p.Down || p.X != 5 {
		t.Fatalf("held: pointer %+v, want the polled one", p)
	}
	// Without pointers nothing breaks.
	in = Input{}
	c.Merge(&in, []Event{{Kind: PointerPress}}, noRepeat)
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
