package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"testing"

	"github.com/hsrviz/hsrviz/viz"
)

func decodePNG(t *testing.T, data []byte) *image.RGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding a screenshot: %v", err)
	}
	return toRGBA(img)
}

func readPNG(t *testing.T, path string) *image.RGBA {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decodePNG(t, data)
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok {
		return r
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	return out
}

func far(a, b color.RGBA) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(a.R, b.R)+d(a.G, b.G)+d(a.B, b.B) > 24
}

// inkStats returns the most common colour of rect and how many pixels are
// far from it: a blank (one-colour) area has ink 0 whatever its colour.
func inkStats(img *image.RGBA, r image.Rectangle) (mode color.RGBA, ink, total int) {
	r = r.Intersect(img.Bounds())
	counts := map[color.RGBA]int{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			counts[img.RGBAAt(x, y)]++
		}
	}
	best := 0
	for c, n := range counts {
		if n > best {
			mode, best = c, n
		}
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if far(img.RGBAAt(x, y), mode) {
				ink++
			}
		}
	}
	return mode, ink, r.Dx() * r.Dy()
}

// regionRect turns a logical-pixel region into image pixels.
func regionRect(reg viz.Region, scale float64) image.Rectangle {
	return image.Rect(int(float64(reg.X)*scale), int(float64(reg.Y)*scale),
		int(float64(reg.X+reg.W)*scale), int(float64(reg.Y+reg.H)*scale))
}

// checkDrawn fails unless the whole image and every panel carry ink: a
// blank canvas, or a panel left empty, is caught here.
func checkDrawn(t *testing.T, what string, img *image.RGBA, panels []viz.Region, scale float64) {
	t.Helper()
	_, ink, total := inkStats(img, img.Bounds())
	if ink < total/100 {
		t.Errorf("%s: the picture is nearly blank: %d of %d pixels differ from the main colour", what, ink, total)
	}
	if len(panels) == 0 {
		t.Errorf("%s: the app reports no panels", what)
	}
	for _, p := range panels {
		r := regionRect(p, scale)
		if r.Empty() {
			t.Errorf("%s: panel %q has an empty rectangle %+v", what, p.Name, p)
			continue
		}
		_, ink, total := inkStats(img, r)
		// Most panels are mostly background; a few hundred pixels of axes,
		// labels, points or cells is the least any drawn panel has.
		if need := min(200, total/50); ink < need {
			t.Errorf("%s: panel %q (%v) looks empty: %d of %d pixels drawn, want ≥ %d", what, p.Name, r, ink, total, need)
		}
	}
}

// changed counts pixels of rect that differ between a and b, ignoring the
// pixels that differed between a and a0 (parts that change by themselves,
// such as a clock or a busy indicator).
func changed(a0, a, b *image.RGBA, r image.Rectangle) int {
	r = r.Intersect(a.Bounds()).Intersect(b.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a0 != nil && far(a0.RGBAAt(x, y), a.RGBAAt(x, y)) {
				continue
			}
			if far(a.RGBAAt(x, y), b.RGBAAt(x, y)) {
				n++
			}
		}
	}
	return n
}

func panelByName(panels []viz.Region, name string) (viz.Region, error) {
	for _, p := range panels {
		if p.Name == name {
			return p, nil
		}
	}
	var names []string
	for _, p := range panels {
		names = append(names, p.Name)
	}
	return viz.Region{}, fmt.Errorf("no region %q among %v", name, names)
}

func TestInkStats(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 100, 100))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{10, 20, 30, 255}}, image.Point{}, draw.Src)
	if _, ink, _ := inkStats(img, img.Bounds()); ink != 0 {
		t.Fatalf("blank image ink got:%d want:0", ink)
	}
	for x := 10; x < 60; x++ {
		img.SetRGBA(x, 50, color.RGBA{200, 200, 200, 255})
	}
	mode, ink, total := inkStats(img, img.Bounds())
	if ink != 50 || total != 10000 || mode != (color.RGBA{10, 20, 30, 255}) {
		t.Fatalf("got mode %v ink %d total %d", mode, ink, total)
	}
	b := image.NewRGBA(img.Bounds())
	copy(b.Pix, img.Pix)
	b.SetRGBA(1, 1, color.RGBA{255, 0, 0, 255})
	if n := changed(nil, img, b, img.Bounds()); n != 1 {
		t.Fatalf("changed got:%d want:1", n)
	}
	if n := changed(b, img, b, img.Bounds()); n != 0 {
		t.Fatalf("changed with mask got:%d want:0", n)
	}
}
