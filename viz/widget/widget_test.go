package widget

import (
	"math"
	"slices"
	"testing"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

func mouse(x, y float32, down bool) *input.Input {
	return &input.Input{Pointers: []input.Pointer{{ID: 0, X: x, Y: y, Down: down}}}
}

func keys(ks ...string) *input.Input { return &input.Input{Keys: ks} }

// click presses and releases the mouse at (x, y), returning whether either
// tick reported a change.
func click(w Widget, x, y float32) bool {
	a := w.Handle(mouse(x, y, true))
	b := w.Handle(mouse(x, y, false))
	return a || b
}

func approx(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// newSlider: track from x0 = 10+8 = 18 to x1 = 210-8 = 202 (184 px).
func newSlider() *Slider {
	return &Slider{Base: Base{Name: "b", Label: "threshold b", Rect: Rect{10, 10, 200, 40}}, Min: 0, Max: 100, Value: 50}
}

func trackY(s *Slider) float32 { _, _, y := s.geom(); return y }

// valueAt is the oracle: the linear value whose thumb centre is at x.
func valueAt(x float32) float64 { return min(max(float64(x-18)/184*100, 0), 100) }

func TestSliderDragThumb(t *testing.T) {
	s := newSlider()
	y := trackY(s)
	tx := s.ThumbX()
	if !approx(float64(tx), 18+92, 1e-4) {
		t.Fatalf("thumb x got:%v want:%v", tx, 110)
	}
	// Press 3 px right of the thumb centre: a grab, the value must not jump.
	if s.Handle(mouse(tx+3, y, true)) || s.Value != 50 {
		t.Fatalf("grabbing the thumb changed the value to %v", s.Value)
	}
	if !s.Active || !s.Focused {
		t.Errorf("grab: Active=%v Focused=%v, want both", s.Active, s.Focused)
	}
	// Move 40 px: the thumb follows the pointer minus the grab offset.
	if !s.Handle(mouse(tx+43, y+5, true)) {
		t.Fatalf("drag did not report a change")
	}
	if want := valueAt(tx + 40); !approx(s.Value, want, 1e-4) {
		t.Errorf("after drag got:%v want:%v", s.Value, want)
	}
	// Far outside, still captured: clamps to Max.
	s.Handle(mouse(1000, 500, true))
	if s.Value != 100 {
		t.Errorf("captured drag outside got:%v want:100", s.Value)
	}
	s.Handle(mouse(0, 500, true))
	if s.Value != 0 {
		t.Errorf("captured drag outside left got:%v want:0", s.Value)
	}
	// Release at x = 60: the value follows to the release point, capture ends.
	s.Handle(mouse(63, y, false))
	if want := valueAt(60); !approx(s.Value, want, 1e-4) || s.Active {
		t.Errorf("release got:%v Active=%v want:%v", s.Value, s.Active, want)
	}
	// Moving with the button up does nothing.
	v := s.Value
	if s.Handle(mouse(150, y, false)) || s.Value != v {
		t.Errorf("hover moved the value to %v", s.Value)
	}
}

func TestSliderTrackJumpAndFollow(t *testing.T) {
	s := newSlider()
	y := trackY(s)
	if !s.Handle(mouse(18+46, y, true)) || !approx(s.Value, 25, 1e-4) {
		t.Fatalf("press on track got:%v want:25", s.Value)
	}
	s.Handle(mouse(18+138, y, true))
	if !approx(s.Value, 75, 1e-4) {
		t.Errorf("follow after jump got:%v want:75", s.Value)
	}
	s.Handle(mouse(18+138, y, false))
}

func TestSliderIgnoresDragsFromElsewhere(t *testing.T) {
	s := newSlider()
	y := trackY(s)
	s.Handle(mouse(300, 300, true)) // pressed outside
	if s.Handle(mouse(60, y, true)) || s.Value != 50 || s.Active {
		t.Errorf("a drag that began outside moved the slider to %v", s.Value)
	}
	// The label line is not part of the control.
	s.Handle(mouse(300, 300, false))
	if s.Handle(mouse(60, 12, true)) || s.Value != 50 {
		t.Errorf("a press on the label moved the slider to %v", s.Value)
	}
}

func TestSliderLog10(t *testing.T) {
	s := newSlider()
	s.Min, s.Max, s.Scale, s.Value = 1, 1e4, Log10, 10
	y := trackY(s)
	for _, tc := range []struct{ f, want float64 }{{0, 1}, {0.25, 10}, {0.5, 100}, {0.75, 1000}, {1, 1e4}} {
		s.Handle(mouse(1, 1, false))
		s.Handle(mouse(18+float32(tc.f)*184, y, true))
		if !approx(math.Log10(s.Value), math.Log10(tc.want), 1e-5) {
			t.Errorf("log slider at %v got:%v want:%v", tc.f, s.Value, tc.want)
		}
		s.Handle(mouse(18+float32(tc.f)*184, y, false))
	}
	// The thumb of value 1000 sits at three quarters of the track.
	s.Value = 1000
	if !approx(float64(s.ThumbX()), 18+0.75*184, 1e-3) {
		t.Errorf("thumb of 1000 at %v want %v", s.ThumbX(), 18+0.75*184)
	}
	// Keys move by 1/KeySteps of the log range: ×10^(4/100) per press.
	s.Focused = true
	s.Handle(keys(input.KeyRight))
	if !approx(s.Value, 1000*math.Pow(10, 0.04), 1e-6) {
		t.Errorf("log key step got:%v want:%v", s.Value, 1000*math.Pow(10, 0.04))
	}
}

func TestSliderIntegerSnapping(t *testing.T) {
	s := newSlider()
	s.Min, s.Max, s.Step, s.Value = 0, 10, 1, 5
	y := trackY(s)
	s.Handle(mouse(18+0.37*184, y, true))
	if s.Value != 4 {
		t.Errorf("snap 3.7 got:%v want:4", s.Value)
	}
	s.Handle(mouse(18+0.33*184, y, true))
	if s.Value != 3 {
		t.Errorf("snap 3.3 got:%v want:3", s.Value)
	}
	s.Handle(mouse(0, y, false))
	// Off-origin grid that does not divide the range: 0.1 + k·0.25 ≤ 1.
	g := &Slider{Min: 0.1, Max: 1, Step: 0.25}
	for _, tc := range []struct{ in, want float64 }{{0.2, 0.1}, {0.3, 0.35}, {0.99, 0.85}, {5, 0.85}, {-3, 0.1}, {math.NaN(), 0.1}} {
		if got := g.Snap(tc.in); !approx(got, tc.want, 1e-12) {
			t.Errorf("Snap(%v) got:%v want:%v", tc.in, got, tc.want)
		}
	}
	// Integer steps on a log slider (e.g. m from 1 to 1024).
	m := &Slider{Base: Base{Rect: Rect{10, 10, 200, 40}}, Min: 1, Max: 1024, Scale: Log10, Step: 1, Value: 1}
	m.Handle(mouse(18+0.5*184, trackY(m), true))
	if m.Value != 32 {
		t.Errorf("log integer slider at half got:%v want:32", m.Value)
	}
	m.Handle(mouse(18+0.5*184, trackY(m), false))
	// A key press always moves at least one step, even where 1/100 of the
	// log range is less than 1.
	m.Value = 1
	m.Focused = true
	m.Handle(keys(input.KeyRight))
	if m.Value != 2 {
		t.Errorf("log integer key step from 1 got:%v want:2", m.Value)
	}
}

func TestSliderKeyboard(t *testing.T) {
	s := newSlider()
	s.Step = 2
	in := keys(input.KeyRight, "b")
	if s.Handle(in) || s.Value != 50 || !slices.Equal(in.Keys, []string{input.KeyRight, "b"}) {
		t.Fatalf("unfocused slider took keys: value %v keys %v", s.Value, in.Keys)
	}
	click(s, s.ThumbX(), trackY(s)) // focus
	if !s.Focused {
		t.Fatalf("click did not focus")
	}
	in = keys(input.KeyRight, "b")
	if !s.Handle(in) || s.Value != 52 {
		t.Errorf("right got:%v want:52", s.Value)
	}
	if !slices.Equal(in.Keys, []string{"b"}) {
		t.Errorf("keys left for shortcuts got:%v want:[b]", in.Keys)
	}
	in = keys(input.KeyLeft)
	in.Shift = true
	s.Handle(in)
	if s.Value != 32 {
		t.Errorf("shift+left got:%v want:32", s.Value)
	}
	s.Handle(keys(input.KeyEnd))
	if s.Value != 100 {
		t.Errorf("end got:%v want:100", s.Value)
	}
	if s.Handle(keys(input.KeyUp)) || s.Value != 100 {
		t.Errorf("up at the end got:%v want:100 unchanged", s.Value)
	}
	s.Handle(keys(input.KeyHome))
	if s.Value != 0 {
		t.Errorf("home got:%v want:0", s.Value)
	}
	// A press elsewhere blurs.
	click(s, 500, 500)
	if s.Focused {
		t.Errorf("press elsewhere kept focus")
	}
}

func TestSliderTouch(t *testing.T) {
	s := newSlider()
	y := trackY(s)
	tx := s.ThumbX()
	touch := func(ps ...input.Pointer) *input.Input { return &input.Input{Pointers: ps} }
	// A finger lands on the thumb (touch IDs start down, with no mouse).
	s.Handle(touch(input.Pointer{ID: 7, X: tx, Y: y, Down: true}))
	if !s.Captures(7) {
		t.Fatalf("touch did not capture")
	}
	// A second finger elsewhere must not steal the drag.
	s.Handle(touch(input.Pointer{ID: 7, X: tx + 20, Y: y, Down: true}, input.Pointer{ID: 8, X: 30, Y: y, Down: true}))
	if want := valueAt(tx + 20); !approx(s.Value, want, 1e-4) {
		t.Errorf("touch drag got:%v want:%v", s.Value, want)
	}
	// The finger lifts: the pointer vanishes from the list.
	s.Handle(touch(input.Pointer{ID: 8, X: 30, Y: y, Down: true}))
	if s.Active {
		t.Errorf("still captured after the touch ended")
	}
	if want := valueAt(tx + 20); !approx(s.Value, want, 1e-4) {
		t.Errorf("value after lift got:%v want:%v", s.Value, want)
	}
}

func TestToggleAndButton(t *testing.T) {
	g := &Toggle{Base: Base{Name: "paper_b", Label: "paper b", Rect: Rect{0, 0, 100, 24}}}
	if !click(g, 10, 10) || !g.Value {
		t.Fatalf("click did not switch on")
	}
	// Press inside, release outside: no change (the usual "cancel by
	// dragging away").
	g.Handle(mouse(10, 10, true))
	if g.Handle(mouse(300, 10, false)) || !g.Value {
		t.Errorf("release outside toggled")
	}
	g.Focused = true
	if !g.Handle(keys(input.KeySpace)) || g.Value {
		t.Errorf("space did not toggle off")
	}
	b := &Button{Base: Base{Name: "reseed", Label: "new seed", Rect: Rect{0, 30, 100, 24}}}
	if b.Handle(mouse(10, 40, true)) {
		t.Errorf("button fired on press")
	}
	if b.Handle(mouse(12, 41, true)) {
		t.Errorf("button fired while held")
	}
	if !b.Handle(mouse(12, 41, false)) || b.Presses != 1 {
		t.Errorf("button did not fire on release")
	}
	b.Focused = true
	if !b.Handle(keys(input.KeyEnter)) || b.Presses != 2 {
		t.Errorf("enter did not fire")
	}
	b.Disabled = true
	if click(b, 10, 40) {
		t.Errorf("disabled button fired")
	}
}

func typeText(f *NumberField, s string) {
	f.Handle(&input.Input{Chars: []rune(s)})
}

func TestNumberField(t *testing.T) {
	f := &NumberField{Base: Base{Name: "alpha", Label: "α", Rect: Rect{0, 0, 200, 40}}, Value: 2, Parse: ParseRange(1, 10, true)}
	box := f.Box()
	click(f, box.X+5, box.Y+5)
	if !f.Focused || !f.Editing || f.Text != "2" {
		t.Fatalf("click: Focused=%v Editing=%v Text=%q", f.Focused, f.Editing, f.Text)
	}
	typeText(f, "42") // replaces the selected "2"
	if f.Text != "42" {
		t.Fatalf("typed text got:%q want:42", f.Text)
	}
	if f.Handle(keys(input.KeyEnter)) || f.Value != 2 || f.Err == "" || !f.Editing {
		t.Errorf("out of range commit: changed, Value=%v Err=%q Editing=%v", f.Value, f.Err, f.Editing)
	}
	// The error is drawn beside the field.
	s := &scene.Scene{W: 300, H: 60}
	f.Draw(s)
	if !hasText(s, func(tx scene.Text) bool { return tx.Color == f.theme().Error && tx.X > box.X+box.W }) {
		t.Errorf("error text not drawn right of the box")
	}
	f.Handle(keys(input.KeyBackspace, input.KeyBackspace))
	typeText(f, "7")
	if !f.Handle(keys(input.KeyEnter)) || f.Value != 7 || f.Err != "" {
		t.Errorf("valid commit got Value=%v Err=%q", f.Value, f.Err)
	}
	// Bad syntax keeps the value too; letters other than e are not typed.
	f.Handle(keys(input.KeyBackspace))
	typeText(f, "1x.2.3")
	if f.Text != "1.2.3" {
		t.Errorf("filtered text got:%q want:1.2.3", f.Text)
	}
	if f.Handle(keys(input.KeyEnter)) || f.Value != 7 || f.Err == "" {
		t.Errorf("bad syntax: Value=%v Err=%q", f.Value, f.Err)
	}
	// Escape cancels the edit and blurs.
	f.Handle(keys(input.KeyEscape))
	if f.Editing || f.Focused || f.Value != 7 {
		t.Errorf("escape: Editing=%v Focused=%v Value=%v", f.Editing, f.Focused, f.Value)
	}
	// While editing, letter keys are consumed (not shortcuts); unfocused, not.
	in := keys("b", input.KeySpace)
	f.Handle(in)
	if len(in.Keys) != 2 {
		t.Errorf("unfocused field took keys %v", in.Keys)
	}
	click(f, box.X+5, box.Y+5)
	in = &input.Input{Keys: []string{"b", "5"}, Chars: []rune("5")}
	f.Handle(in)
	if len(in.Keys) != 0 || len(in.Chars) != 0 || f.Text != "5" {
		t.Errorf("editing field left keys %v chars %q, text %q", in.Keys, string(in.Chars), f.Text)
	}
	// A press elsewhere commits a valid edit.
	if !click(f, 500, 500) || f.Value != 5 || f.Focused {
		t.Errorf("blur commit: Value=%v Focused=%v", f.Value, f.Focused)
	}
}

func hasText(s *scene.Scene, ok func(scene.Text) bool) bool {
	for _, it := range s.Items {
		if tx, is := it.(scene.Text); is && ok(tx) {
			return true
		}
	}
	return false
}

func TestSelect(t *testing.T) {
	c := &Select{Base: Base{Name: "data", Label: "data", Rect: Rect{0, 0, 150, 40}}, Options: []string{"gaussian", "decaying", "massive", "clustered"}}
	b := c.Box()
	click(c, b.X+5, b.Y+5)
	if !c.Open {
		t.Fatalf("click did not open the list")
	}
	l := c.List()
	if l.Y != b.Y+b.H {
		t.Errorf("list should open below the box")
	}
	// Click the third option.
	y := l.Y + 2.5*c.rowH()
	if !click(c, l.X+10, y) || c.Value() != "massive" || c.Open {
		t.Errorf("option click: value %q open %v", c.Value(), c.Open)
	}
	// Keys when focused: down cycles and wraps.
	c.Handle(keys(input.KeyDown))
	if c.Value() != "clustered" {
		t.Errorf("down got:%q", c.Value())
	}
	c.Handle(keys(input.KeyDown))
	if c.Value() != "gaussian" {
		t.Errorf("down wraps got:%q", c.Value())
	}
	c.Handle(keys(input.KeyUp))
	if c.Value() != "clustered" {
		t.Errorf("up wraps got:%q", c.Value())
	}
	// Open, then a click elsewhere closes without changing.
	c.Handle(keys(input.KeyEnter))
	if !c.Open {
		t.Fatalf("enter did not open")
	}
	if click(c, 400, 400) || c.Open || c.Value() != "clustered" {
		t.Errorf("outside click: open %v value %q", c.Open, c.Value())
	}
	if c.SetValue("nope") || !c.SetValue("decaying") || c.Index != 1 {
		t.Errorf("SetValue")
	}
	// Near the bottom limit the list opens upwards.
	c.Limit = c.Rect.Y + c.Rect.H + 10
	c.Rect.Y = 200
	if l := c.List(); l.Y+l.H != c.Box().Y {
		t.Errorf("list should open above the box, got %+v box %+v", l, c.Box())
	}
}

func TestSliderWheel(t *testing.T) {
	s := newSlider()
	s.Step = 5
	in := mouse(100, trackY(s), false)
	in.WheelY = 1
	if !s.Handle(in) || s.Value != 55 || in.WheelY != 0 {
		t.Errorf("wheel up over the slider: value %v, wheel left %v", s.Value, in.WheelY)
	}
	in = mouse(100, 300, false) // not over it
	in.WheelY = -1
	if s.Handle(in) || s.Value != 55 || in.WheelY != -1 {
		t.Errorf("wheel elsewhere moved the slider to %v", s.Value)
	}
}

func TestSelectCycle(t *testing.T) {
	c := &Select{Base: Base{Rect: Rect{0, 0, 150, 40}}, Options: []string{"relu", "softmax"}, Cycle: true}
	b := c.Box()
	if !click(c, b.X+5, b.Y+5) || c.Value() != "softmax" || c.Open {
		t.Errorf("cycle click: %q open %v", c.Value(), c.Open)
	}
	if !click(c, b.X+5, b.Y+5) || c.Value() != "relu" {
		t.Errorf("cycle wraps: %q", c.Value())
	}
}

func TestSliderValuesPowersOfTwo(t *testing.T) {
	var pow []float64
	for e := 8; e <= 20; e++ {
		pow = append(pow, math.Ldexp(1, e))
	}
	s := &Slider{Base: Base{Rect: Rect{10, 10, 200, 40}}, Min: 256, Max: 1 << 20, Scale: Log10, Values: pow, Value: 256} // thumb at the left: presses below jump
	y := trackY(s)
	// Position 0.52 of the log track is 2^(8+0.52·12) = 2^14.24: snaps to 2^14.
	s.Handle(mouse(18+0.52*184, y, true))
	if s.Value != 1<<14 {
		t.Errorf("snap got:%v want:%v", s.Value, 1<<14)
	}
	s.Handle(mouse(18+0.55*184, y, true)) // 2^14.6: snaps to 2^15
	if s.Value != 1<<15 {
		t.Errorf("snap got:%v want:%v", s.Value, 1<<15)
	}
	s.Handle(mouse(18+0.55*184, y, false))
	s.Handle(keys(input.KeyRight))
	if s.Value != 1<<16 {
		t.Errorf("key step got:%v want:%v", s.Value, 1<<16)
	}
	in := keys(input.KeyLeft)
	in.Shift = true
	s.Handle(in)
	if s.Value != 256 {
		t.Errorf("shift+left clamps to the first value, got:%v", s.Value)
	}
	s.Handle(keys(input.KeyEnd))
	if s.Value != 1<<20 {
		t.Errorf("end got:%v", s.Value)
	}
}
