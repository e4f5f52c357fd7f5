//go:build js

package main

import (
	"sync"
	"syscall/js"

	"github.com/hsrviz/hsrviz/viz/input"
)

// eventQueue collects the page's keydown and mouse pointer events as they
// happen, for ebitenview (SetEventQueue): Ebiten polls once per frame, and
// on a slow machine a quick key press or click falls between two frames.
type eventQueue struct {
	mu     sync.Mutex
	events []input.Event
	funcs  []js.Func
}

// maxQueued bounds the queue if frames stop (a hidden tab): the oldest
// events are the ones dropped.
const maxQueued = 256

func newEventQueue() *eventQueue {
	q := &eventQueue{}
	win := js.Global()
	on := func(target js.Value, name string, f func(e js.Value)) {
		jf := js.FuncOf(func(_ js.Value, args []js.Value) any {
			if len(args) > 0 {
				f(args[0])
			}
			return nil
		})
		q.funcs = append(q.funcs, jf)
		opts := js.Global().Get("Object").New()
		opts.Set("capture", true)
		opts.Set("passive", true)
		target.Call("addEventListener", name, jf, opts)
	}
	on(win, "keydown", func(e js.Value) {
		name := input.KeyNameForCode(e.Get("code").String(), e.Get("shiftKey").Bool())
		if name != "" {
			q.push(input.Event{Kind: input.KeyPress, Key: name, Repeat: e.Get("repeat").Bool()})
		}
	})
	pointer := func(kind input.EventKind) func(e js.Value) {
		return func(e js.Value) {
			if e.Get("pointerType").String() != "mouse" || e.Get("button").Int() != 0 {
				return // touches are polled reliably; other buttons are not used
			}
			canvas := js.Global().Get("document").Call("querySelector", "canvas")
			if canvas.IsNull() || canvas.IsUndefined() {
				return
			}
			r := canvas.Call("getBoundingClientRect")
			x := e.Get("clientX").Float() - r.Get("left").Float()
			y := e.Get("clientY").Float() - r.Get("top").Float()
			q.push(input.Event{Kind: kind, X: float32(x), Y: float32(y)})
		}
	}
	on(win, "pointerdown", pointer(input.PointerPress))
	on(win, "pointerup", pointer(input.PointerLift))
	// A release the page will never see (the browser cancelled the
	// pointer, or the window lost focus with the button held) is a
	// release: otherwise the button would stay held until polling wins.
	on(win, "pointercancel", pointer(input.PointerLift))
	on(win, "blur", func(js.Value) { q.push(input.Event{Kind: input.PointerLift}) })
	return q
}

func (q *eventQueue) push(e input.Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.events) >= maxQueued {
		q.events = q.events[1:]
	}
	q.events = append(q.events, e)
}

// Drain implements ebitenview.EventQueue.
func (q *eventQueue) Drain(dst []input.Event) []input.Event {
	q.mu.Lock()
	defer q.mu.Unlock()
	dst = append(dst, q.events...)
	q.events = q.events[:0]
	return dst
}
