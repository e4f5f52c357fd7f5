package plot_test

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hsrviz/hsrviz/viz/plot"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// The scaling panel: reported keys against n on log-log axes, with the
// fitted slope in the legend and the theory line beside it.
func ExampleNewLogLog() {
	p := plot.NewLogLog(plot.Rect{X: 0, Y: 0, W: 400, H: 260}, "Scaling", "keys n", "keys reported per query")
	p.Series = []plot.Series{{
		Name: "reported", X: []float64{1e3, 1e4, 1e5}, Y: []float64{250, 1580, 10000},
		Color: color.RGBA{0, 0x72, 0xb2, 255}, Points: true, Line: true,
		Fit: &plot.Fit{Slope: 0.8, Intercept: math.Log10(0.996)}, // the caller's fit (attention.FitPowerLaw)
	}}
	p.References = []plot.Reference{{Slope: 0.8, Label: "theory: slope 4/5"}}
	s := &scene.Scene{W: 400, H: 260}
	p.Draw(s)
	fmt.Printf("slope %.2f\n", p.Fits()[0].Slope)
	// Output: slope 0.80
}
