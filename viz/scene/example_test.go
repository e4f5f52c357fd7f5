package scene_test

import (
	"fmt"
	"image/color"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// A label right-aligned against x = 190, measured with the same font the
// renderers draw with, over a rectangle; then painted in software.
func ExampleRasterize() {
	s := &scene.Scene{W: 200, H: 40, Background: color.RGBA{255, 255, 255, 255}}
	label := "n = 16384"
	w := scene.TextWidth(label, 14)
	s.Add(
		scene.Rect{X: 190 - w - 4, Y: 8, W: w + 8, H: scene.TextHeight(14) + 4, Fill: color.RGBA{200, 220, 255, 255}},
		scene.Text{X: 190, Y: 10, S: label, Size: 14, Color: color.RGBA{0, 0, 0, 255}, Align: scene.AlignRight},
		scene.Rect{X: 0, Y: 0, W: 20, H: 20, Fill: scene.Translucent(color.RGBA{255, 0, 0, 255}, 128)},
	)
	img := scene.Rasterize(s)
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy(), img.RGBAAt(5, 5))
	// Output: 200 40 {255 127 127 255}
}
