package scene

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// benchScene is a frame like the visualizer's at 1280×800: 2000 points,
// 500 lines, 200 labels and a 512×64 heatmap scaled to 800×300.
func benchScene() *Scene {
	r := rand.New(rand.NewPCG(1, 1))
	s := &Scene{W: 1280, H: 800, Background: color.RGBA{255, 255, 255, 255}}
	for range 2000 {
		s.Add(Circle{X: r.Float32() * 1280, Y: r.Float32() * 800, R: 3, Fill: color.RGBA{0, 0x72, 0xb2, 255}, Stroke: color.RGBA{0, 0, 0, 255}, StrokeWidth: 1})
	}
	for range 500 {
		s.Add(Line{X0: r.Float32() * 1280, Y0: r.Float32() * 800, X1: r.Float32() * 1280, Y1: r.Float32() * 800, Color: color.RGBA{0x99, 0x99, 0x99, 255}, Width: 1})
	}
	for i := range 200 {
		s.Add(Text{X: r.Float32() * 1200, Y: r.Float32() * 780, S: fmt.Sprintf("label %d", i), Size: 12, Color: color.RGBA{0, 0, 0, 255}})
	}
	img := image.NewRGBA(image.Rect(0, 0, 512, 64))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	s.Add(Raster{X: 400, Y: 450, W: 800, H: 300, Img: img})
	return s
}

func BenchmarkRasterize1280x800(b *testing.B) {
	s := benchScene()
	for b.Loop() {
		Rasterize(s)
	}
}

func BenchmarkTextWidth20Runes(b *testing.B) {
	for b.Loop() {
		TextWidth("keys reported: 1234", 13)
	}
}
