package widget

import (
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// Form stacks widgets top to bottom in Rect, flowing into more columns when
// they do not fit and the rect is wide enough, routes input to them and
// cycles keyboard focus with Tab / Shift+Tab.
type Form struct {
	Rect     Rect
	Theme    *Theme // given to every widget; nil: LightTheme
	Widgets  []Widget
	Gap      float32 // vertical space between widgets (default 8)
	MinColW  float32 // narrowest column before giving up on more columns (default 180)
	Overflow bool    // set by Layout: the widgets did not all fit
}

func (f *Form) theme() *Theme {
	if f.Theme != nil {
		return f.Theme
	}
	return &defaultTheme
}

// Add appends widgets and returns the form.
func (f *Form) Add(ws ...Widget) *Form {
	f.Widgets = append(f.Widgets, ws...)
	return f
}

// Layout assigns every widget its Rect: stacked in one column if they fit
// in f.Rect's height, else in as many columns as needed (each at least
// MinColW wide). Widgets that still do not fit are placed below the rect
// and Overflow is set. It returns the height used. Cost: O(widgets).
func (f *Form) Layout() float32 {
	t := f.theme()
	gap := f.Gap
	if gap <= 0 {
		gap = 8
	}
	minW := f.MinColW
	if minW <= 0 {
		minW = 180
	}
	const colGap = 16
	maxCols := max(1, int((f.Rect.W+colGap)/(minW+colGap)))
	var cols int
	var used float32
	for cols = 1; ; cols++ {
		w := (f.Rect.W - colGap*float32(cols-1)) / float32(cols)
		used = f.place(t, cols, w, gap, colGap, false)
		if used <= f.Rect.H || cols >= maxCols {
			break
		}
	}
	w := (f.Rect.W - colGap*float32(cols-1)) / float32(cols)
	used = f.place(t, cols, w, gap, colGap, true)
	f.Overflow = used > f.Rect.H
	return used
}

// place flows the widgets into cols columns of width w, filling a column up
// to the rect's height before starting the next (the last column takes the
// rest). It returns the tallest column's height.
func (f *Form) place(t *Theme, cols int, w, gap, colGap float32, apply bool) float32 {
	col, y, tallest := 0, float32(0), float32(0)
	for _, wd := range f.Widgets {
		h := wd.PreferredHeight(t)
		if y > 0 && y+h > f.Rect.H && col < cols-1 {
			col, y = col+1, 0
		}
		if apply {
			b := wd.Common()
			b.Theme = f.Theme
			b.Rect = Rect{f.Rect.X + float32(col)*(w+colGap), f.Rect.Y + y, w, h}
			if sel, ok := wd.(*Select); ok {
				sel.Limit = f.Rect.Y + f.Rect.H
			}
		}
		y += h
		tallest = max(tallest, y)
		y += gap
	}
	return tallest
}

// overlay is a widget drawn above the others while it is open.
type overlay interface {
	Overlay() bool
	DrawOverlay(s *scene.Scene)
}

// Handle routes one tick of input and returns the widgets that changed (in
// form order; a button that fired counts as changed). Keys used by the
// widgets, Tab included, are removed from in.Keys; in.Chars are removed
// while a NumberField edits; WheelY is zeroed when a slider used it. An open list gets the pointer first: a press
// on it never reaches the widgets underneath.
func (f *Form) Handle(in *input.Input) []Widget {
	if len(f.Widgets) == 0 {
		return nil
	}
	if takeKey(in, input.KeyTab) {
		f.cycleFocus(in.Shift)
	}
	var changed []Widget
	// Overlays first; the pointers they hold are hidden from the rest by
	// moving them far away (kept Down, so nothing sees a fresh press).
	first := -1
	for i, w := range f.Widgets {
		if o, ok := w.(overlay); ok && o.Overlay() {
			first = i
			break
		}
	}
	rest := in
	if first >= 0 {
		w := f.Widgets[first]
		if w.Handle(in) {
			changed = append(changed, w)
		}
		b := w.Common()
		hidden := *in
		hidden.Pointers = make([]input.Pointer, len(in.Pointers))
		for i, p := range in.Pointers {
			if b.Captures(p.ID) {
				p.X, p.Y = -1e9, -1e9
			}
			hidden.Pointers[i] = p
		}
		rest = &hidden
	}
	for i, w := range f.Widgets {
		if i == first {
			continue
		}
		if w.Handle(rest) {
			changed = append(changed, w)
		}
	}
	if rest != in {
		in.Keys, in.Chars, in.WheelY = rest.Keys, rest.Chars, rest.WheelY
	}
	// Escape not used by the focused widget gives the keys back to the app.
	if w := f.Focused(); w != nil && takeKey(in, input.KeyEscape) {
		w.SetFocused(false)
	}
	return changed
}

// cycleFocus moves focus to the next (previous) enabled widget.
func (f *Form) cycleFocus(back bool) {
	n := len(f.Widgets)
	cur := -1
	for i, w := range f.Widgets {
		if w.Common().Focused {
			cur = i
		}
	}
	dir := 1
	if back {
		dir = -1
	}
	next := cur
	for range n {
		if next < 0 {
			next = 0
			if back {
				next = n - 1
			}
		} else {
			next = (next + dir + n) % n
		}
		if !f.Widgets[next].Common().Disabled {
			break
		}
	}
	if cur >= 0 {
		f.Widgets[cur].SetFocused(false)
	}
	f.Widgets[next].SetFocused(true)
}

// Focused returns the focused widget, or nil.
func (f *Form) Focused() Widget {
	for _, w := range f.Widgets {
		if w.Common().Focused {
			return w
		}
	}
	return nil
}

// Captured reports whether a widget holds a pointer (a drag or press in
// progress): the caller should not also treat it as a drag on its panels.
func (f *Form) Captured() bool {
	for _, w := range f.Widgets {
		if w.Common().Active {
			return true
		}
	}
	return false
}

// Hit reports whether (x, y) is over a widget or an open list.
func (f *Form) Hit(x, y float32) bool {
	for _, w := range f.Widgets {
		if w.Common().Rect.Contains(x, y) {
			return true
		}
		if sel, ok := w.(*Select); ok && sel.Open && sel.List().Contains(x, y) {
			return true
		}
	}
	return false
}

// Find returns the widget with the given Name, or nil.
func (f *Form) Find(name string) Widget {
	for _, w := range f.Widgets {
		if w.Common().Name == name {
			return w
		}
	}
	return nil
}

// Draw draws every widget, then open lists above them.
func (f *Form) Draw(s *scene.Scene) {
	for _, w := range f.Widgets {
		w.Draw(s)
	}
	for _, w := range f.Widgets {
		if o, ok := w.(overlay); ok {
			o.DrawOverlay(s)
		}
	}
}
