// Package widget holds hand-written controls as pure logic: Slider (linear
// or log10, optional value steps), Toggle, Button, NumberField, Select, and a
// Form that stacks them in a rectangle. They consume a platform-neutral
// input.Input per tick and emit scene items, so they work the same with the
// mouse, touch and keys, in the browser, on the desktop and in tests.
//
// Model. Every widget embeds Base: its Name (the parameter it controls, or
// a button's action), its Rect, a Label and the interaction states Hovered,
// Focused and Active. Handle(in) reads one tick and reports whether the value
// changed (or a button fired). A press inside a widget captures that pointer
// (mouse or touch, by ID) until it is released, even if it wanders outside:
// a slider drag keeps working past the end of the track. A press lands only
// where it starts: dragging from elsewhere onto a widget does nothing.
// Keys go to the focused widget only; the keys a widget uses are removed from
// in.Keys (into a fresh slice), so the caller can treat the rest as
// shortcuts. Form adds Tab / Shift+Tab focus cycling, layout in columns, and
// draws popups (an open Select list) above everything.
//
// Cost: Handle is O(pointers + keys) per widget, Draw a handful of scene
// items (plus O(len(text)) for measuring labels); Form work is linear in the
// number of widgets. Nothing allocates per tick except new key slices when a
// key is consumed and the scene items themselves.
package widget
