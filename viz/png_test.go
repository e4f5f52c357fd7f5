package viz

import (
	"image"
	"image/png"
	"os"
	"testing"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// pngCase is one picture to look at: the settled app of hash drawn at w×h,
// written as HSRVIZ_PNG/<prefix><name>.png.
type pngCase struct {
	name, hash string
	w, h       int
}

// pngDir is the directory HSRVIZ_PNG names, for the tests that write
// pictures to look at; without it the test is skipped (a tool, not a check).
func pngDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HSRVIZ_PNG")
	if dir == "" {
		t.Skip("set HSRVIZ_PNG=/tmp to write PNGs")
	}
	return dir
}

// writePNGs writes each case's picture into pngDir, after prepare, if not
// nil, has set the settled app up.
func writePNGs(t *testing.T, prefix string, cases []pngCase, prepare func(a *App, c pngCase)) {
	t.Helper()
	dir := pngDir(t)
	for _, c := range cases {
		a := settled(t, c.hash)
		if prepare != nil {
			prepare(a, c)
		}
		writePNG(t, dir+"/"+prefix+c.name+".png", scene.Rasterize(a.Scene(c.w, c.h)))
	}
}

// writePNG writes img to path as a PNG.
func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	err = png.Encode(f, img)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestWritePNG writes Rasterize output for manual inspection when
// HSRVIZ_PNG names a directory (skipped otherwise: it is a tool, not a check).
func TestWritePNG(t *testing.T) {
	writePNGs(t, "hsrviz_", []pngCase{
		{"d2", "", 1280, 800},
		{"d64", "n=16384&d=64&m=64", 1280, 800},
		{"d2_tall", "", 800, 1200},
		{"d2_phone", "", 390, 844},
		{"d64_softmax", "n=16384&d=64&m=64&kind=softmax", 1280, 800},
	}, func(a *App, _ pngCase) { a.step = len(a.trace.Steps) * 2 / 3 })
}
