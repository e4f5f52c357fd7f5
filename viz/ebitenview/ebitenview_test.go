package ebitenview

import (
	"image/color"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// These tests cover the pure geometry and key mapping; the package imports
// Ebiten, so like every Ebiten test binary on Linux they need a display
// (make test runs them under xvfb-run). Drawing for real is checked
// end to end in package e2e (Chromium and Xvfb screenshots).

func TestKeyName(t *testing.T) {
	for _, c := range []struct {
		k     ebiten.Key
		shift bool
		want  string
	}{
		{ebiten.KeySpace, false, input.KeySpace},
		{ebiten.KeyArrowRight, false, input.KeyRight},
		{ebiten.KeyArrowLeft, false, input.KeyLeft},
		{ebiten.KeyEqual, true, input.KeyPlus},
		{ebiten.KeyNumpadAdd, false, input.KeyPlus},
		{ebiten.KeyMinus, false, input.KeyMinus},
		{ebiten.KeyA, false, "a"},
		{ebiten.KeyZ, true, "z"},
		{ebiten.KeyDigit7, false, "7"},
		{ebiten.KeyNumpad3, false, "3"},
		{ebiten.KeyBracketLeft, false, "["},
		{ebiten.KeyBracketRight, false, "]"},
		{ebiten.KeySlash, true, "?"},
		{ebiten.KeyEnter, false, input.KeyEnter},
		{ebiten.KeyF5, false, ""},
	} {
		if got := KeyName(c.k, c.shift); got != c.want {
			t.Errorf("KeyName(%v, shift=%v) got:%q want:%q", c.k, c.shift, got, c.want)
		}
	}
}

// coverage integrates the alpha of a mesh over its triangles (alpha is
// linear on each triangle, so the integral is area × mean vertex alpha).
func coverage(m *mesh) float64 {
	total := 0.0
	for i := 0; i+2 < len(m.is); i += 3 {
		a, b, c := m.vs[m.is[i]], m.vs[m.is[i+1]], m.vs[m.is[i+2]]
		area := math.Abs(float64((b.DstX-a.DstX)*(c.DstY-a.DstY)-(c.DstX-a.DstX)*(b.DstY-a.DstY))) / 2
		total += area * float64(a.ColorA+b.ColorA+c.ColorA) / 3
	}
	return total
}

func TestFeatheredShapesCoverTheirArea(t *testing.T) {
	white := color.RGBA{255, 255, 255, 255}
	for _, c := range []struct {
		name string
		draw func(m *mesh)
		want float64
	}{
		{"line w=3", func(m *mesh) { m.line(10, 10, 110, 60, 3, white) }, 3 * math.Hypot(100, 50)},
		{"line w=0.5", func(m *mesh) { m.line(0, 0, 0, 40, 0.5, white) }, 0.5 * 40},
		{"disc r=10", func(m *mesh) { m.disc(50, 50, 10, white) }, math.Pi * 100},
		{"ring r=20 w=2", func(m *mesh) { m.circleOutline(50, 50, 20, 2, white) }, 2 * math.Pi * 20 * 2},
		{"rect", func(m *mesh) { m.rect(1, 2, 11, 7, white) }, 50},
	} {
		var m mesh
		c.draw(&m)
		// Polygons approximate circles: allow 2 %.
		if got := coverage(&m); math.Abs(got-c.want) > 0.02*c.want {
			t.Errorf("%s: coverage got:%.2f want:%.2f", c.name, got, c.want)
		}
	}
}

func TestSnapSpan(t *testing.T) {
	for _, c := range []struct{ c, w float32 }{
		{10, 1}, {10.5, 1}, {10, 2}, {10.2, 0.3}, {7.7, 3.5},
	} {
		a, b := snapSpan(c.c, c.w)
		if b-a < 1 || a > c.c || b < c.c {
			t.Errorf("snapSpan(%v,%v) = [%v,%v): must be ≥ 1 px and contain the centre", c.c, c.w, a, b)
		}
		if c.w >= 1 && math.Abs(float64((b-a)-c.w)) > 1 {
			t.Errorf("snapSpan(%v,%v) = [%v,%v): width off by more than a pixel", c.c, c.w, a, b)
		}
	}
}

type panicky struct{ shown string }

func (m *panicky) Update(input.Input)          { panic("boom in update") }
func (m *panicky) Scene(w, h int) *scene.Scene { panic("boom in scene") }
func (m *panicky) FrameWork(time.Duration)     {}
func (m *panicky) ShowError(msg string)        { m.shown = msg }

func TestGuardTurnsPanicsIntoShownErrors(t *testing.T) {
	m := &panicky{}
	g := New(m)
	g.guard("Update", func() { m.Update(input.Input{}) })
	if !strings.Contains(m.shown, "boom in update") || !strings.Contains(g.errMsg, "Update") {
		t.Fatalf("after a panic in Update: shown %q, banner %q", m.shown, g.errMsg)
	}
	g.guard("Draw", func() { m.Scene(10, 10) })
	if !strings.Contains(m.shown, "boom in scene") {
		t.Fatalf("after a panic in Scene: shown %q", m.shown)
	}
}
