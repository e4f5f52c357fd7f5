package widget

import (
	"slices"
	"testing"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

func testForm(r Rect) (*Form, *Slider, *Select, *Toggle, *NumberField, *Button) {
	s := &Slider{Base: Base{Name: "b", Label: "b"}, Min: 0, Max: 4, Value: 1}
	c := &Select{Base: Base{Name: "data", Label: "data"}, Options: []string{"gaussian", "decaying", "massive", "clustered"}}
	g := &Toggle{Base: Base{Name: "paper_b", Label: "paper b"}}
	f := &NumberField{Base: Base{Name: "seed", Label: "seed"}, Value: 1}
	b := &Button{Base: Base{Name: "reseed", Label: "new seed"}}
	form := &Form{Rect: r}
	form.Add(s, c, g, f, b)
	form.Layout()
	return form, s, c, g, f, b
}

func overlaps(a, b Rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

func TestFormLayout(t *testing.T) {
	form, _, _, _, _, _ := testForm(Rect{10, 20, 220, 600})
	th := form.theme()
	y := float32(20)
	for i, w := range form.Widgets {
		r := w.Common().Rect
		if r.X != 10 || r.W != 220 || r.Y != y || r.H != w.PreferredHeight(th) {
			t.Errorf("widget %d rect %+v, want x=10 w=220 y=%v h=%v", i, r, y, w.PreferredHeight(th))
		}
		y += r.H + 8
	}
	if form.Overflow {
		t.Errorf("tall rect overflowed")
	}
	// A short, wide rect: several columns, nothing overlapping, all inside.
	form, _, _, _, _, _ = testForm(Rect{0, 0, 600, 130})
	cols := map[float32]bool{}
	for i, w := range form.Widgets {
		r := w.Common().Rect
		cols[r.X] = true
		if r.X < 0 || r.X+r.W > 600+1e-3 || r.Y < 0 || r.Y+r.H > 130 {
			t.Errorf("widget %d rect %+v outside the form", i, r)
		}
		for j, v := range form.Widgets[:i] {
			if overlaps(r, v.Common().Rect) {
				t.Errorf("widgets %d and %d overlap", i, j)
			}
		}
	}
	if len(cols) < 2 || form.Overflow {
		t.Errorf("short wide form: %d columns, overflow %v", len(cols), form.Overflow)
	}
	// Too narrow for columns: one column, overflow reported.
	form, _, _, _, _, _ = testForm(Rect{0, 0, 200, 100})
	if !form.Overflow {
		t.Errorf("overflow not reported")
	}
}

func TestFormTabFocusAndKeys(t *testing.T) {
	form, s, c, g, _, _ := testForm(Rect{0, 0, 220, 600})
	in := keys(input.KeyTab)
	form.Handle(in)
	if form.Focused() != Widget(s) || len(in.Keys) != 0 {
		t.Fatalf("first tab should focus the slider, got %v, keys %v", form.Focused(), in.Keys)
	}
	form.Handle(keys(input.KeyTab))
	if form.Focused() != Widget(c) || s.Focused {
		t.Fatalf("second tab should move focus to the select")
	}
	in = keys(input.KeyTab)
	in.Shift = true
	form.Handle(in)
	if form.Focused() != Widget(s) {
		t.Fatalf("shift+tab should go back to the slider")
	}
	// Arrows go to the focused slider, other keys pass through.
	s.Step = 0.5
	in = keys(input.KeyRight, input.KeySpace)
	changed := form.Handle(in)
	if len(changed) != 1 || changed[0] != Widget(s) || s.Value != 1.5 {
		t.Errorf("changed %v value %v", changed, s.Value)
	}
	if !slices.Equal(in.Keys, []string{input.KeySpace}) {
		t.Errorf("keys left %v want [space]", in.Keys)
	}
	// Clicking the toggle moves focus there and flips it.
	r := g.Rect
	form.Handle(mouse(r.X+5, r.Y+5, true))
	changed = form.Handle(mouse(r.X+5, r.Y+5, false))
	if len(changed) != 1 || changed[0] != Widget(g) || !g.Value || form.Focused() != Widget(g) || s.Focused {
		t.Errorf("click toggle: changed %v value %v focused %v", changed, g.Value, form.Focused())
	}
	// Tab from the last widget wraps to the first.
	for form.Focused() != form.Widgets[len(form.Widgets)-1] {
		form.Handle(keys(input.KeyTab))
	}
	form.Handle(keys(input.KeyTab))
	if form.Focused() != form.Widgets[0] {
		t.Errorf("tab does not wrap")
	}
}

func TestFormNumberFieldTabCommits(t *testing.T) {
	form, _, _, _, f, _ := testForm(Rect{0, 0, 220, 600})
	b := f.Box()
	form.Handle(mouse(b.X+3, b.Y+3, true))
	form.Handle(mouse(b.X+3, b.Y+3, false))
	form.Handle(&input.Input{Chars: []rune("12"), Keys: []string{"1", "2"}})
	// The commit on losing focus is reported in the same tick.
	changed := form.Handle(keys(input.KeyTab))
	if f.Value != 12 || f.Focused || len(changed) != 1 || changed[0] != Widget(f) {
		t.Errorf("tab commit: value %v focused %v changed %v", f.Value, f.Focused, changed)
	}
}

func TestFormOpenListBlocksWidgetsBelow(t *testing.T) {
	form, _, c, g, _, _ := testForm(Rect{0, 0, 220, 600})
	c.Index = 3
	b := c.Box()
	form.Handle(mouse(b.X+5, b.Y+5, true))
	form.Handle(mouse(b.X+5, b.Y+5, false))
	if !c.Open {
		t.Fatalf("select did not open")
	}
	// The list covers the toggle: find an option row over it.
	l := c.List()
	if !overlaps(l, g.Rect) {
		t.Fatalf("test setup: list %+v does not cover the toggle %+v", l, g.Rect)
	}
	x, y := g.Rect.X+5, g.Rect.Y+g.Rect.H/2
	want := c.option(x, y)
	if !form.Hit(x, y) {
		t.Errorf("Hit misses the open list")
	}
	form.Handle(mouse(x, y, true))
	if !form.Captured() {
		t.Errorf("Captured false during a press on the list")
	}
	changed := form.Handle(mouse(x, y, false))
	if g.Value {
		t.Errorf("the click on the list reached the toggle underneath")
	}
	if c.Index != want || c.Open || len(changed) != 1 || changed[0] != Widget(c) {
		t.Errorf("option %d: index %d open %v changed %v", want, c.Index, c.Open, changed)
	}
	// The list is drawn after (above) every widget.
	c.Open = true
	s := &scene.Scene{W: 300, H: 600}
	form.Draw(s)
	last := s.Items[len(s.Items)-1].(scene.Text)
	if last.S != c.Options[len(c.Options)-1] {
		t.Errorf("last item drawn %q, want the last option", last.S)
	}
}

func TestDrawAllStatesInsideRect(t *testing.T) {
	form, s, c, g, f, b := testForm(Rect{5, 5, 230, 600})
	s.Focused, g.Hovered, b.Active, b.Hovered = true, true, true, true
	f.Err = "must be in [1, 10] and this message is long"
	f.Label = "a label far too long to fit into the width of this narrow form column"
	c.Open = true
	sc := &scene.Scene{W: 240, H: 600}
	form.Draw(sc)
	// Every text fits in its widget's column (the focus ring may stick out
	// by 2 px; text may not).
	for _, it := range sc.Items {
		if tx, ok := it.(scene.Text); ok {
			x0, _, w, _ := tx.Box()
			if x0 < 5-0.5 || x0+w > 235+0.5 {
				t.Errorf("text %q spans %v..%v outside 5..235", tx.S, x0, x0+w)
			}
		}
	}
	// And it rasterises without trouble.
	img := scene.Rasterize(sc)
	if img.Bounds().Dx() != 240 {
		t.Fatal("bad raster")
	}
}

func TestEllipsize(t *testing.T) {
	s := "reported keys per row"
	if Ellipsize(s, 13, 1000) != s {
		t.Errorf("fitting text changed")
	}
	e := Ellipsize(s, 13, 60)
	if scene.TextWidth(e, 13) > 60 || len(e) < 4 || e[len(e)-3:] != "…" {
		t.Errorf("Ellipsize got %q (%v px)", e, scene.TextWidth(e, 13))
	}
	if Ellipsize(s, 13, 2) != "" {
		t.Errorf("nothing fits: want empty")
	}
}

func TestFormEscapeBlurs(t *testing.T) {
	form, s, _, _, _, _ := testForm(Rect{0, 0, 220, 600})
	form.Handle(keys(input.KeyTab))
	in := keys(input.KeyEscape)
	form.Handle(in)
	if s.Focused || form.Focused() != nil || len(in.Keys) != 0 {
		t.Errorf("escape: focused %v keys %v", form.Focused(), in.Keys)
	}
	// With nothing focused, Escape is the app's.
	in = keys(input.KeyEscape)
	form.Handle(in)
	if len(in.Keys) != 1 {
		t.Errorf("escape taken with nothing focused")
	}
}

func BenchmarkFormTick12Widgets(b *testing.B) {
	form := &Form{Rect: Rect{0, 0, 240, 800}}
	for i := range 12 {
		switch i % 4 {
		case 0:
			form.Add(&Slider{Base: Base{Name: "s", Label: "slider"}, Min: 1, Max: 1 << 20, Scale: Log10, Value: 1000})
		case 1:
			form.Add(&Toggle{Base: Base{Name: "t", Label: "toggle"}})
		case 2:
			form.Add(&NumberField{Base: Base{Name: "f", Label: "field"}, Value: 3})
		case 3:
			form.Add(&Select{Base: Base{Name: "c", Label: "select"}, Options: []string{"a", "b", "c"}})
		}
	}
	form.Layout()
	in := mouse(100, 30, false)
	for b.Loop() {
		form.Handle(in)
		s := &scene.Scene{W: 240, H: 800, Items: make([]scene.Item, 0, 128)}
		form.Draw(s)
	}
}
