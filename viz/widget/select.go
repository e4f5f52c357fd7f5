package widget

import (
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// Select picks one of Options. A click opens a list (below the field, or
// above it if it would pass Limit); a click on an option picks it and
// closes the list; a click elsewhere closes it. With Cycle set, a click on
// the field picks the next option instead (for two or three options). When focused, arrows move
// the choice (cycling at the ends), Space/Enter open or close the list and
// Escape closes it.
type Select struct {
	Base
	Options []string
	Index   int     // the chosen option
	Limit   float32 // bottom of the space a list may use (0: no limit); a Form sets it
	Cycle   bool    // a click picks the next option instead of opening the list

	Open bool
	hot  int // option under the pointer while open, -1 none
}

// PreferredHeight: a label line over a box.
func (c *Select) PreferredHeight(t *Theme) float32 { return 2*lineH(t) + 10 }

// Value is the chosen option ("" if there are none).
func (c *Select) Value() string {
	if c.Index < 0 || c.Index >= len(c.Options) {
		return ""
	}
	return c.Options[c.Index]
}

// SetValue chooses the option equal to v and reports whether it exists.
func (c *Select) SetValue(v string) bool {
	for i, o := range c.Options {
		if o == v {
			c.Index = i
			return true
		}
	}
	return false
}

// Box is the field within Rect.
func (c *Select) Box() Rect {
	lh := lineH(c.theme())
	return Rect{c.Rect.X, c.Rect.Y + lh + 2, c.Rect.W, lh + 6}
}

func (c *Select) rowH() float32 { return lineH(c.theme()) + 8 }

// List is the rectangle of the open list.
func (c *Select) List() Rect {
	b := c.Box()
	h := c.rowH() * float32(len(c.Options))
	y := b.Y + b.H
	if c.Limit > 0 && y+h > c.Limit && b.Y-h >= 0 {
		y = b.Y - h
	}
	return Rect{b.X, y, b.W, h}
}

// option returns the option index under (x, y) in the open list, or -1.
func (c *Select) option(x, y float32) int {
	l := c.List()
	if !c.Open || !l.Contains(x, y) {
		return -1
	}
	return min(int((y-l.Y)/c.rowH()), len(c.Options)-1)
}

// Overlay reports whether the list is open (a Form then gives the Select
// the pointer first and draws the list above everything).
func (c *Select) Overlay() bool { return c.Open }

func (c *Select) choose(i int) bool {
	if i < 0 || i >= len(c.Options) || i == c.Index {
		return false
	}
	c.Index = i
	return true
}

// Handle implements Widget.
func (c *Select) Handle(in *input.Input) bool {
	inside := func(x, y float32) bool {
		return c.Box().Contains(x, y) || c.option(x, y) >= 0
	}
	wasOpen := c.Open
	ev := c.track(in, inside)
	c.focusFromPress(ev)
	changed := false
	c.hot = -1
	for _, p := range in.Pointers {
		if i := c.option(p.X, p.Y); i >= 0 {
			c.hot = i
		}
	}
	if ev.press && !ev.pressInside {
		c.Open = false // a click elsewhere closes the list
	}
	if ev.release && ev.releaseInside {
		if i := c.option(ev.x, ev.y); i >= 0 && wasOpen {
			changed = c.choose(i)
			c.Open = false
		} else if c.Box().Contains(ev.x, ev.y) {
			if c.Cycle && len(c.Options) > 0 {
				changed = c.choose((c.Index + 1) % len(c.Options))
			} else {
				c.Open = !c.Open
			}
		}
	}
	if c.Focused && !c.Disabled && len(c.Options) > 0 {
		n := len(c.Options)
		if takeKey(in, input.KeyDown) || takeKey(in, input.KeyRight) {
			changed = c.choose((c.Index+1)%n) || changed
		}
		if takeKey(in, input.KeyUp) || takeKey(in, input.KeyLeft) {
			changed = c.choose((c.Index+n-1)%n) || changed
		}
		if takeKey(in, input.KeySpace) || takeKey(in, input.KeyEnter) {
			c.Open = !c.Open
		}
		if c.Open && takeKey(in, input.KeyEscape) {
			c.Open = false
		}
	}
	return changed
}

// Draw implements Widget (the field; DrawOverlay draws the open list).
func (c *Select) Draw(s *scene.Scene) {
	t := c.theme()
	r := c.Rect
	b := c.Box()
	s.Add(scene.Text{X: r.X, Y: r.Y, S: Ellipsize(c.Label, t.TextSize, r.W), Size: t.TextSize, Color: textColor(&c.Base)})
	bg := t.Panel
	if c.Hovered && !c.Disabled {
		bg = t.Hover
	}
	s.Add(scene.Rect{X: b.X, Y: b.Y, W: b.W, H: b.H, Fill: bg, Stroke: t.Border, StrokeWidth: 1})
	s.Add(scene.Text{X: b.X + 6, Y: b.Y + 3, S: Ellipsize(c.Value(), t.TextSize, b.W-26), Size: t.TextSize, Color: textColor(&c.Base)})
	// A small triangle: pointing down when closed, up when open.
	ax, ay := b.X+b.W-12, b.Y+b.H/2
	if c.Open {
		s.Add(scene.Polygon{Xs: []float32{ax - 4, ax + 4, ax}, Ys: []float32{ay + 2, ay + 2, ay - 3}, Fill: textColor(&c.Base)})
	} else {
		s.Add(scene.Polygon{Xs: []float32{ax - 4, ax + 4, ax}, Ys: []float32{ay - 2, ay - 2, ay + 3}, Fill: textColor(&c.Base)})
	}
	if c.Focused {
		drawFocus(s, t, b)
	}
}

// DrawOverlay draws the open list, if any. Call it after everything else.
func (c *Select) DrawOverlay(s *scene.Scene) {
	if !c.Open {
		return
	}
	t := c.theme()
	l := c.List()
	s.Add(scene.Rect{X: l.X, Y: l.Y, W: l.W, H: l.H, Fill: t.Panel, Stroke: t.Border, StrokeWidth: 1})
	rh := c.rowH()
	for i, o := range c.Options {
		y := l.Y + float32(i)*rh
		fg := t.Text
		switch {
		case i == c.Index:
			s.Add(scene.Rect{X: l.X + 1, Y: y, W: l.W - 2, H: rh, Fill: t.Accent})
			fg = t.Thumb
		case i == c.hot:
			s.Add(scene.Rect{X: l.X + 1, Y: y, W: l.W - 2, H: rh, Fill: t.Hover})
		}
		s.Add(scene.Text{X: l.X + 6, Y: y + 4, S: Ellipsize(o, t.TextSize, l.W-12), Size: t.TextSize, Color: fg})
	}
}
