package viz

import (
	"image/png"
	"os"
	"testing"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// TestWritePNG writes Rasterize output for manual inspection when
// HSRVIZ_PNG names a directory (skipped otherwise: it is a tool, not a check).
func TestWritePNG(t *testing.T) {
	dir := os.Getenv("HSRVIZ_PNG")
	if dir == "" {
		t.Skip("set HSRVIZ_PNG=/tmp to write PNGs")
	}
	for _, c := range []struct {
		name string
		hash string
		w, h int
	}{
		{"d2", "", 1280, 800},
		{"d64", "n=16384&d=64&m=64", 1280, 800},
		{"d2_tall", "", 800, 1200},
		{"d2_phone", "", 390, 844},
		{"d64_softmax", "n=16384&d=64&m=64&kind=softmax", 1280, 800},
	} {
		a := settled(t, c.hash)
		a.step = len(a.trace.Steps) * 2 / 3
		img := scene.Rasterize(a.Scene(c.w, c.h))
		f, err := os.Create(dir + "/hsrviz_" + c.name + ".png")
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, img)
		f.Close()
	}
}
