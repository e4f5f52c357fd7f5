package widget_test

import (
	"fmt"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
	"github.com/hsrviz/hsrviz/viz/widget"
)

// A control panel: a log slider for n, an integer field for α, a select for
// the data kind. Each tick the platform fills an input.Input; the form
// routes it and says what changed; the rest of the keys are shortcuts.
func ExampleForm() {
	n := &widget.Slider{Base: widget.Base{Name: "n", Label: "keys n"}, Min: 256, Max: 1 << 20, Value: 16384, Scale: widget.Log10, Step: 1}
	alpha := &widget.NumberField{Base: widget.Base{Name: "alpha", Label: "α"}, Value: 2, Parse: widget.ParseRange(1, 8, true)}
	data := &widget.Select{Base: widget.Base{Name: "data", Label: "data"}, Options: []string{"gaussian", "decaying", "massive", "clustered"}}
	form := &widget.Form{Rect: widget.Rect{X: 10, Y: 10, W: 220, H: 400}}
	form.Add(n, alpha, data).Layout()

	// The user drags n's thumb to the right end of the track, then presses "r".
	thumbY := n.Rect.Y + n.Rect.H - 12
	for _, in := range []input.Input{
		{Pointers: []input.Pointer{{X: n.ThumbX(), Y: thumbY, Down: true}}},
		{Pointers: []input.Pointer{{X: 400, Y: thumbY, Down: true}}}, // past the end: still dragging
		{Pointers: []input.Pointer{{X: 400, Y: thumbY}}, Keys: []string{"r"}},
	} {
		for _, w := range form.Handle(&in) {
			fmt.Println("changed:", w.Common().Name, n.Text())
		}
		fmt.Println("shortcut keys left:", in.Keys)
	}
	s := &scene.Scene{W: 240, H: 420}
	form.Draw(s)
	// Output:
	// shortcut keys left: []
	// changed: n 1048576
	// shortcut keys left: []
	// shortcut keys left: [r]
}
