package ebitenview

import (
	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/hsrviz/hsrviz/viz/input"
)

// inputReader turns Ebiten's polled input state into one input.Input per tick.
type inputReader struct {
	keys    []ebiten.Key
	touches []ebiten.TouchID
	chars   []rune
	queue   EventQueue // nil: polling alone
	events  []input.Event
	catch   input.Catcher
}

// EventQueue is a platform's queue of the input events themselves (the
// browser's keydown and pointer events), which polling once per tick
// misses when a key or a click starts and ends within one slow frame.
type EventQueue interface {
	// Drain appends the events received since the last call, in order.
	Drain(dst []input.Event) []input.Event
}

// SetEventQueue makes the Game take every key press from q, and a click
// that polling missed (input.Catcher); the browser build sets it. Call it
// before RunGame.
func (g *Game) SetEventQueue(q EventQueue) { g.in.queue = q }

// repeatingName reports whether the key of that name repeats while held.
func repeatingName(name string) bool {
	for _, k := range repeating {
		if KeyName(k, false) == name {
			return true
		}
	}
	return false
}

// Keys that repeat while held (after repeatDelay ticks, every repeatEvery).
const (
	repeatDelay = 24 // 0.4 s at 60 TPS
	repeatEvery = 4
)

var repeating = []ebiten.Key{
	ebiten.KeyArrowLeft, ebiten.KeyArrowRight, ebiten.KeyArrowUp, ebiten.KeyArrowDown,
	ebiten.KeyMinus, ebiten.KeyEqual, ebiten.KeyNumpadAdd, ebiten.KeyNumpadSubtract,
	ebiten.KeyBracketLeft, ebiten.KeyBracketRight, ebiten.KeyBackspace,
}

func (r *inputReader) read(dt float64, scale float64) input.Input {
	in := input.Input{DT: dt}
	inv := float32(1 / scale)
	shift := ebiten.IsKeyPressed(ebiten.KeyShift)
	in.Shift = shift

	// The mouse is pointer 0; touches are 1+TouchID so they never collide.
	mx, my := ebiten.CursorPosition()
	in.Pointers = append(in.Pointers, input.Pointer{
		ID: 0, X: float32(mx) * inv, Y: float32(my) * inv,
		Down: ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft),
	})
	r.touches = ebiten.AppendTouchIDs(r.touches[:0])
	for _, id := range r.touches {
		x, y := ebiten.TouchPosition(id)
		in.Pointers = append(in.Pointers, input.Pointer{ID: 1 + int(id), X: float32(x) * inv, Y: float32(y) * inv, Down: true})
	}
	// A finger lifted this tick is reported once more, up, so widgets see the release.
	r.touches = inpututil.AppendJustReleasedTouchIDs(r.touches[:0])
	for _, id := range r.touches {
		x, y := inpututil.TouchPositionInPreviousTick(id)
		in.Pointers = append(in.Pointers, input.Pointer{ID: 1 + int(id), X: float32(x) * inv, Y: float32(y) * inv})
	}

	_, wy := ebiten.Wheel()
	in.WheelY = float32(wy)

	r.keys = inpututil.AppendJustPressedKeys(r.keys[:0])
	for _, k := range repeating {
		if d := inpututil.KeyPressDuration(k); d > repeatDelay && (d-repeatDelay)%repeatEvery == 0 {
			r.keys = append(r.keys, k)
		}
	}
	for _, k := range r.keys {
		if name := KeyName(k, shift); name != "" {
			in.Keys = append(in.Keys, name)
		}
	}
	r.chars = ebiten.AppendInputChars(r.chars[:0])
	if len(r.chars) > 0 {
		in.Chars = append([]rune(nil), r.chars...)
	}
	if r.queue != nil {
		r.events = r.queue.Drain(r.events[:0])
		r.catch.Merge(&in, r.events, repeatingName)
	}
	return in
}

// KeyName maps an Ebiten key to the names of package input: the named keys,
// "plus"/"minus", lower-case letters and digits, "[" and "]". Shift+= is
// "plus" as on a US keyboard. Other keys give "".
func KeyName(k ebiten.Key, shift bool) string {
	switch {
	case k >= ebiten.KeyA && k <= ebiten.KeyZ:
		return string(rune('a' + (k - ebiten.KeyA)))
	case k >= ebiten.KeyDigit0 && k <= ebiten.KeyDigit9:
		return string(rune('0' + (k - ebiten.KeyDigit0)))
	case k >= ebiten.KeyNumpad0 && k <= ebiten.KeyNumpad9:
		return string(rune('0' + (k - ebiten.KeyNumpad0)))
	}
	switch k {
	case ebiten.KeySpace:
		return input.KeySpace
	case ebiten.KeyArrowLeft:
		return input.KeyLeft
	case ebiten.KeyArrowRight:
		return input.KeyRight
	case ebiten.KeyArrowUp:
		return input.KeyUp
	case ebiten.KeyArrowDown:
		return input.KeyDown
	case ebiten.KeyEqual, ebiten.KeyNumpadAdd:
		return input.KeyPlus
	case ebiten.KeyMinus, ebiten.KeyNumpadSubtract:
		return input.KeyMinus
	case ebiten.KeyEnter, ebiten.KeyNumpadEnter:
		return input.KeyEnter
	case ebiten.KeyBackspace:
		return input.KeyBackspace
	case ebiten.KeyTab:
		return input.KeyTab
	case ebiten.KeyEscape:
		return input.KeyEscape
	case ebiten.KeyHome:
		return input.KeyHome
	case ebiten.KeyEnd:
		return input.KeyEnd
	case ebiten.KeyPageUp:
		return input.KeyPageUp
	case ebiten.KeyPageDown:
		return input.KeyPageDown
	case ebiten.KeyBracketLeft:
		return "["
	case ebiten.KeyBracketRight:
		return "]"
	case ebiten.KeyPeriod, ebiten.KeyNumpadDecimal:
		return "."
	case ebiten.KeyComma:
		return ","
	case ebiten.KeySlash:
		if shift {
			return "?"
		}
		return "/"
	}
	return ""
}
