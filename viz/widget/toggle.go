package widget

import (
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// Toggle is an on/off switch with a label. A click (press and release
// inside) or Space/Enter when focused flips it.
type Toggle struct {
	Base
	Value bool
}

// PreferredHeight: one line, at least the switch height.
func (g *Toggle) PreferredHeight(t *Theme) float32 { return max(lineH(t), 18) + 8 }

// Handle implements Widget.
func (g *Toggle) Handle(in *input.Input) bool {
	ev := g.track(in, g.Rect.Contains)
	g.focusFromPress(ev)
	changed := false
	if ev.release && ev.releaseInside {
		g.Value = !g.Value
		changed = true
	}
	if g.Focused && !g.Disabled {
		if takeKey(in, input.KeySpace) || takeKey(in, input.KeyEnter) {
			g.Value = !g.Value
			changed = true
		}
	}
	return changed
}

// Draw implements Widget.
func (g *Toggle) Draw(s *scene.Scene) {
	t := g.theme()
	r := g.Rect
	const sw, sh = 30, 16
	x, y := r.X, r.Y+(r.H-sh)/2
	track, knobX := t.Muted, x+sh/2
	if g.Value {
		track, knobX = t.Accent, x+sw-sh/2
	}
	if g.Disabled {
		track = t.Muted
	}
	if g.Hovered && !g.Disabled {
		s.Add(scene.Rect{X: r.X - 2, Y: r.Y, W: r.W + 4, H: r.H, Fill: t.Hover})
	}
	// A pill: two discs and a rectangle.
	s.Add(
		scene.Circle{X: x + sh/2, Y: y + sh/2, R: sh / 2, Fill: track},
		scene.Circle{X: x + sw - sh/2, Y: y + sh/2, R: sh / 2, Fill: track},
		scene.Rect{X: x + sh/2, Y: y, W: sw - sh, H: sh, Fill: track},
		scene.Circle{X: knobX, Y: y + sh/2, R: sh/2 - 2, Fill: t.Thumb},
	)
	lh := lineH(t)
	s.Add(scene.Text{X: x + sw + 8, Y: r.Y + (r.H-lh)/2, S: Ellipsize(g.Label, t.TextSize, r.W-sw-8), Size: t.TextSize, Color: textColor(&g.Base)})
	if g.Focused {
		drawFocus(s, t, r)
	}
}

// Button fires on a click (press and release inside) or Space/Enter when
// focused. Its Name is the action it triggers.
type Button struct {
	Base
	Presses int // how many times it fired (Handle also reports each)
}

// PreferredHeight: a line with padding.
func (b *Button) PreferredHeight(t *Theme) float32 { return lineH(t) + 12 }

// Handle implements Widget.
func (b *Button) Handle(in *input.Input) bool {
	ev := b.track(in, b.Rect.Contains)
	b.focusFromPress(ev)
	fired := ev.release && ev.releaseInside
	if b.Focused && !b.Disabled && (takeKey(in, input.KeySpace) || takeKey(in, input.KeyEnter)) {
		fired = true
	}
	if fired {
		b.Presses++
	}
	return fired
}

// Draw implements Widget.
func (b *Button) Draw(s *scene.Scene) {
	t := b.theme()
	r := b.Rect
	bg, fg := t.Panel, textColor(&b.Base)
	switch {
	case b.Disabled:
	case b.Active && b.Hovered:
		bg, fg = t.Accent, t.Thumb
	case b.Hovered:
		bg = t.Hover
	}
	s.Add(
		scene.Rect{X: r.X, Y: r.Y, W: r.W, H: r.H, Fill: bg, Stroke: t.Border, StrokeWidth: 1},
		scene.Text{X: r.X + r.W/2, Y: r.Y + (r.H-lineH(t))/2, S: Ellipsize(b.Label, t.TextSize, r.W-8), Size: t.TextSize, Color: fg, Align: scene.AlignCenter},
	)
	if b.Focused {
		drawFocus(s, t, r)
	}
}
