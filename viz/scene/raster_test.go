package scene

import (
	"image"
	"image/color"
	"math"
	"testing"
)

var (
	white = color.RGBA{255, 255, 255, 255}
	black = color.RGBA{0, 0, 0, 255}
	red   = color.RGBA{255, 0, 0, 255}
	blue  = color.RGBA{0, 0, 255, 255}
)

func px(img *image.RGBA, x, y int) color.RGBA { return img.RGBAAt(x, y) }

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return math.Abs(float64(x)-float64(y)) <= float64(tol) }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

// over is the oracle for premultiplied "over" compositing.
func over(s, d color.RGBA) color.RGBA {
	f := func(sc, dc uint8) uint8 { return uint8(math.Round(float64(sc) + float64(dc)*(1-float64(s.A)/255))) }
	return color.RGBA{f(s.R, d.R), f(s.G, d.G), f(s.B, d.B), f(s.A, d.A)}
}

func render(w, h int, items ...Item) *image.RGBA {
	s := &Scene{W: w, H: h, Background: white}
	s.Add(items...)
	return Rasterize(s)
}

// checkShape compares every pixel against an inside/outside oracle of its
// centre: pixels clearly inside (signed distance < -margin) must be fg,
// pixels clearly outside must be bg; edge pixels are anti-aliased and free.
func checkShape(t *testing.T, img *image.RGBA, fg, bg color.RGBA, dist func(x, y float64) float64) {
	t.Helper()
	const margin = 0.75
	bad := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			d := dist(float64(x)+0.5, float64(y)+0.5)
			got := px(img, x, y)
			switch {
			case d < -margin && !near(got, fg, 1):
				bad++
				if bad < 5 {
					t.Errorf("pixel (%d,%d) inside (d=%.2f): got:%v want:%v", x, y, d, got, fg)
				}
			case d > margin && !near(got, bg, 1):
				bad++
				if bad < 5 {
					t.Errorf("pixel (%d,%d) outside (d=%.2f): got:%v want:%v", x, y, d, got, bg)
				}
			}
		}
	}
}

func TestRectFillExactPixels(t *testing.T) {
	img := render(20, 20, Rect{X: 2, Y: 3, W: 4, H: 5, Fill: red})
	for y := range 20 {
		for x := range 20 {
			want := white
			if x >= 2 && x < 6 && y >= 3 && y < 8 {
				want = red
			}
			if got := px(img, x, y); got != want {
				t.Fatalf("(%d,%d) got:%v want:%v", x, y, got, want)
			}
		}
	}
}

func TestRectHalfPixelCoverage(t *testing.T) {
	// A rect covering half of pixel column 5 blends 50 % of red into white.
	img := render(10, 10, Rect{X: 2, Y: 2, W: 3.5, H: 4, Fill: red})
	if got, want := px(img, 5, 3), (color.RGBA{255, 128, 128, 255}); !near(got, want, 2) {
		t.Errorf("half-covered pixel got:%v want:%v", got, want)
	}
}

func TestBlendingOver(t *testing.T) {
	half := color.RGBA{0, 0, 128, 128} // premultiplied 50 % blue
	img := render(10, 10, Rect{X: 0, Y: 0, W: 10, H: 10, Fill: red}, Rect{X: 0, Y: 0, W: 5, H: 10, Fill: half})
	if got, want := px(img, 2, 2), over(half, red); !near(got, want, 1) {
		t.Errorf("blended got:%v want:%v", got, want)
	}
	if got := px(img, 7, 2); got != red {
		t.Errorf("unblended got:%v want:%v", got, red)
	}
	// Order matters: the later item is on top.
	img = render(4, 4, Rect{W: 4, H: 4, Fill: red}, Rect{W: 4, H: 4, Fill: blue})
	if got := px(img, 1, 1); got != blue {
		t.Errorf("painter's order got:%v want:%v", got, blue)
	}
}

func TestTransparentBackground(t *testing.T) {
	img := Rasterize(&Scene{W: 4, H: 4, Items: []Item{Rect{X: 0, Y: 0, W: 2, H: 4, Fill: red}}})
	if got := px(img, 3, 0); got != (color.RGBA{}) {
		t.Errorf("background got:%v want transparent", got)
	}
	if got := px(img, 0, 0); got != red {
		t.Errorf("rect got:%v want:%v", got, red)
	}
}

func TestRectStrokeCentred(t *testing.T) {
	// Stroke width 2 on the outline x=5..15: covers x in [4,6) and [14,16).
	img := render(20, 20, Rect{X: 5, Y: 5, W: 10, H: 10, Stroke: black, StrokeWidth: 2})
	row := 10
	for x, want := range map[int]color.RGBA{3: white, 4: black, 5: black, 6: white, 10: white, 13: white, 14: black, 15: black, 16: white} {
		if got := px(img, x, row); got != want {
			t.Errorf("x=%d got:%v want:%v", x, got, want)
		}
	}
	// Corners are mitred: (4,4) is inside the stroke.
	if got := px(img, 4, 4); got != black {
		t.Errorf("corner got:%v want:%v", got, black)
	}
	// Fill is painted below the stroke.
	img = render(20, 20, Rect{X: 5, Y: 5, W: 10, H: 10, Fill: red, Stroke: black, StrokeWidth: 2})
	if px(img, 10, 10) != red || px(img, 5, 10) != black {
		t.Errorf("fill+stroke got %v %v", px(img, 10, 10), px(img, 5, 10))
	}
}

func TestClipAtFrameEdges(t *testing.T) {
	img := render(10, 10, Rect{X: -5, Y: -5, W: 10, H: 10, Fill: red})
	if px(img, 0, 0) != red || px(img, 4, 4) != red || px(img, 5, 5) != white || px(img, 5, 0) != white {
		t.Errorf("partly outside rect drawn wrong")
	}
	img = render(10, 10,
		Rect{X: -1e9, Y: -1e9, W: 2e9, H: 2e9, Fill: blue},
		Rect{X: 1e9, Y: 3, W: 5, H: 5, Fill: red},
		Line{X0: -1e9, Y0: 5.5, X1: 1e9, Y1: 5.5, Color: red, Width: 1},
		Circle{X: -1e7, Y: 5, R: 1e7 + 3, Fill: red},
	)
	for y := range 10 {
		for x := range 10 {
			want := blue
			if y == 5 || x < 3 {
				want = red
			}
			if got := px(img, x, y); !near(got, want, 2) {
				t.Fatalf("(%d,%d) got:%v want:%v", x, y, got, want)
			}
		}
	}
	// Shapes reaching past the right and bottom edges must not wrap around.
	img = render(10, 10, Rect{X: 7, Y: 7, W: 10, H: 10, Fill: red}, Circle{X: 12, Y: 2, R: 4, Fill: red})
	if px(img, 0, 8) != white || px(img, 0, 2) != white || px(img, 9, 9) != red || px(img, 9, 2) != red {
		t.Errorf("wrap-around at the right edge: %v %v %v %v", px(img, 0, 8), px(img, 0, 2), px(img, 9, 9), px(img, 9, 2))
	}
}

func segDist(x, y, x0, y0, x1, y1 float64) (along, across float64) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	along = ((x-x0)*dx + (y-y0)*dy) / l
	across = math.Abs((x-x0)*dy-(y-y0)*dx) / l
	return along, across
}

func TestLineWidthAndButtCaps(t *testing.T) {
	x0, y0, x1, y1, w := 3.0, 4.0, 27.0, 19.0, 4.0
	img := render(32, 24, Line{X0: float32(x0), Y0: float32(y0), X1: float32(x1), Y1: float32(y1), Color: black, Width: float32(w)})
	l := math.Hypot(x1-x0, y1-y0)
	checkShape(t, img, black, white, func(x, y float64) float64 {
		along, across := segDist(x, y, x0, y0, x1, y1)
		return max(across-w/2, -along, along-l)
	})
	// A 1-pixel line at y=5 covers y in [4.5, 5.5): half of rows 4 and 5.
	img = render(10, 10, Line{X0: 0, Y0: 5, X1: 10, Y1: 5, Color: black, Width: 1})
	grey := color.RGBA{128, 128, 128, 255}
	if !near(px(img, 5, 4), grey, 2) || !near(px(img, 5, 5), grey, 2) || px(img, 5, 3) != white || px(img, 5, 6) != white {
		t.Errorf("hairline at y=5: rows 3..6 got %v %v %v %v", px(img, 5, 3), px(img, 5, 4), px(img, 5, 5), px(img, 5, 6))
	}
	img = render(10, 10, Line{X0: 0, Y0: 5.5, X1: 10, Y1: 5.5, Color: black, Width: 1})
	if px(img, 5, 5) != black || px(img, 5, 4) != white || px(img, 5, 6) != white {
		t.Errorf("hairline at y=5.5 should fill row 5 exactly")
	}
	// Width 0 draws nothing (as in the Ebiten renderer), nor do zero-width
	// strokes, negative rects and zero radii.
	img = render(10, 10, Line{X0: 0, Y0: 5.5, X1: 10, Y1: 5.5, Color: black},
		Rect{X: 1, Y: 1, W: 5, H: 5, Stroke: black}, Rect{X: 8, Y: 8, W: -4, H: -4, Fill: black},
		Circle{X: 5, Y: 5, R: 0, Stroke: black, StrokeWidth: 3})
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 255 {
			t.Fatalf("a zero-width or empty item was drawn at pixel %d", i/4)
		}
	}
	// Pointer items draw like values.
	img = render(4, 4, &Rect{W: 2, H: 4, Fill: red})
	if px(img, 0, 0) != red || px(img, 3, 0) != white {
		t.Errorf("*Rect not drawn")
	}
	// Zero length: nothing.
	img = render(10, 10, Line{X0: 5, Y0: 5, X1: 5, Y1: 5, Color: black, Width: 4})
	if px(img, 5, 5) != white {
		t.Errorf("zero-length line drew %v", px(img, 5, 5))
	}
}

func TestCircleFillAndRing(t *testing.T) {
	cx, cy, r := 20.3, 18.7, 11.0
	img := render(40, 40, Circle{X: float32(cx), Y: float32(cy), R: float32(r), Fill: red})
	checkShape(t, img, red, white, func(x, y float64) float64 { return math.Hypot(x-cx, y-cy) - r })

	sw := 3.0
	img = render(40, 40, Circle{X: float32(cx), Y: float32(cy), R: float32(r), Stroke: blue, StrokeWidth: float32(sw)})
	checkShape(t, img, blue, white, func(x, y float64) float64 { return math.Abs(math.Hypot(x-cx, y-cy)-r) - sw/2 })
}

func TestPolygonConcave(t *testing.T) {
	// An L shape: the notch [10,20)×[0,10) stays empty.
	xs := []float32{0, 10, 10, 20, 20, 0}
	ys := []float32{0, 0, 10, 10, 20, 20}
	img := render(24, 24, Polygon{Xs: xs, Ys: ys, Fill: blue})
	for y := range 24 {
		for x := range 24 {
			in := (x < 10 && y < 20) || (x < 20 && y >= 10 && y < 20)
			want := white
			if in {
				want = blue
			}
			if got := px(img, x, y); got != want {
				t.Fatalf("(%d,%d) got:%v want:%v", x, y, got, want)
			}
		}
	}
	// A triangle with a slanted edge against a half-plane oracle.
	img = render(24, 24, Polygon{Xs: []float32{2, 22, 2}, Ys: []float32{2, 2, 22}, Fill: blue})
	checkShape(t, img, blue, white, func(x, y float64) float64 {
		return max(2-x, 2-y, (x+y-24)/math.Sqrt2)
	})
	// Counter-clockwise order fills the same.
	img2 := render(24, 24, Polygon{Xs: []float32{2, 2, 22}, Ys: []float32{2, 22, 2}, Fill: blue})
	for i := range img.Pix {
		if img.Pix[i] != img2.Pix[i] {
			t.Fatalf("orientation changes the fill at byte %d", i)
		}
	}
}

func TestRasterNearestScaling(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	cols := []color.RGBA{red, blue, black, white, {0, 255, 0, 255}, {10, 20, 30, 255}}
	for i, c := range cols {
		src.SetRGBA(i%3, i/3, c)
	}
	x0, y0, w, h := 1.5, 2.0, 7.0, 5.0
	img := Rasterize(&Scene{W: 12, H: 10, Background: color.RGBA{1, 2, 3, 255}, Items: []Item{
		Raster{X: float32(x0), Y: float32(y0), W: float32(w), H: float32(h), Img: src, Key: "t"},
	}})
	for y := range 10 {
		for x := range 12 {
			cxp, cyp := float64(x)+0.5, float64(y)+0.5
			want := color.RGBA{1, 2, 3, 255}
			if cxp >= x0 && cxp < x0+w && cyp >= y0 && cyp < y0+h {
				sx := int(math.Floor((cxp - x0) / w * 3))
				sy := int(math.Floor((cyp - y0) / h * 2))
				want = cols[sy*3+sx]
			}
			if got := px(img, x, y); got != want {
				t.Fatalf("(%d,%d) got:%v want:%v", x, y, got, want)
			}
		}
	}
}

func TestRasterBlendsAndClips(t *testing.T) {
	src := image.NewRGBA(image.Rect(5, 5, 7, 6)) // non-zero origin
	half := color.RGBA{0, 0, 100, 128}
	src.SetRGBA(5, 5, half)
	src.SetRGBA(6, 5, color.RGBA{}) // transparent
	img := render(10, 10, Raster{X: -5, Y: 0, W: 20, H: 10, Img: src})
	if got, want := px(img, 2, 5), over(half, white); !near(got, want, 1) {
		t.Errorf("translucent raster got:%v want:%v", got, want)
	}
	if got := px(img, 7, 5); got != white {
		t.Errorf("transparent raster pixel got:%v want:%v", got, white)
	}
}

func TestRasterizeScaled(t *testing.T) {
	s := &Scene{W: 10, H: 10, Background: white}
	s.Add(Rect{X: 2, Y: 3, W: 4, H: 5, Fill: red})
	img := RasterizeScaled(s, 2)
	if img.Bounds().Dx() != 20 || img.Bounds().Dy() != 20 {
		t.Fatalf("size %v", img.Bounds())
	}
	if px(img, 4, 6) != red || px(img, 11, 15) != red || px(img, 3, 6) != white || px(img, 12, 15) != white || px(img, 11, 16) != white {
		t.Errorf("scaled rect misplaced")
	}
}

func TestSkipsNonFinite(t *testing.T) {
	nan := float32(math.NaN())
	img := render(5, 5,
		Rect{X: nan, W: 3, H: 3, Fill: red},
		Line{X0: 0, Y0: 0, X1: nan, Y1: 3, Color: red},
		Circle{X: 2, Y: 2, R: float32(math.Inf(1)), Fill: red},
		Polygon{Xs: []float32{0, nan, 3}, Ys: []float32{0, 3, 3}, Fill: red},
		Text{X: nan, Y: 0, S: "x", Size: 10, Color: red},
		Raster{X: 0, Y: 0, W: nan, H: 3, Img: image.NewRGBA(image.Rect(0, 0, 1, 1))},
	)
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i+1] != 255 {
			t.Fatalf("a non-finite item was drawn")
		}
	}
}

// inkBox returns the bounding box of pixels darker than mid-grey.
func inkBox(img *image.RGBA) (image.Rectangle, bool) {
	b := img.Bounds()
	r := image.Rectangle{Min: b.Max, Max: b.Min}
	found := false
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if px(img, x, y).G < 160 {
				found = true
				r.Min.X, r.Min.Y = min(r.Min.X, x), min(r.Min.Y, y)
				r.Max.X, r.Max.Y = max(r.Max.X, x+1), max(r.Max.Y, y+1)
			}
		}
	}
	return r, found
}

func TestTextPlacementAndAlignment(t *testing.T) {
	const size = 24
	s := "Hgly"
	w := TextWidth(s, size)
	m := Metrics(size)
	for _, tc := range []struct {
		align Align
		left  float32 // where the advance box starts
	}{{AlignLeft, 40}, {AlignCenter, 40 - w/2}, {AlignRight, 40 - w}} {
		img := render(100, 60, Text{X: 40, Y: 10, S: s, Size: size, Color: black, Align: tc.align})
		box, ok := inkBox(img)
		if !ok {
			t.Fatalf("align %d: no ink", tc.align)
		}
		// Ink lies inside the advance box (1 px slack for side bearings and AA).
		if float32(box.Min.X) < tc.left-1 || float32(box.Max.X) > tc.left+w+1 {
			t.Errorf("align %d: ink x %v..%v outside advance box %v..%v", tc.align, box.Min.X, box.Max.X, tc.left, tc.left+w)
		}
		// Ink spans most of the advance box (H at the left, y at the right).
		if float32(box.Dx()) < 0.8*w {
			t.Errorf("align %d: ink width %d much smaller than advance %v", tc.align, box.Dx(), w)
		}
		// Y is the top of the line box: ink stays in [Y, Y+TextHeight], the
		// cap height of H starts well below Y and the descenders of g,y go
		// below the baseline.
		if box.Min.Y < 10 || float32(box.Max.Y) > 10+TextHeight(size)+1 {
			t.Errorf("align %d: ink y %v..%v outside line box 10..%v", tc.align, box.Min.Y, box.Max.Y, 10+TextHeight(size))
		}
		if float32(box.Max.Y) < 10+m.Ascent+2 {
			t.Errorf("align %d: descenders missing, ink ends at %v, baseline %v", tc.align, box.Max.Y, 10+m.Ascent)
		}
	}
}

func TestInvalidPremultipliedIsClamped(t *testing.T) {
	bad := color.RGBA{255, 255, 255, 128} // not premultiplied: R > A
	img := render(4, 4, Rect{W: 4, H: 4, Fill: black}, Rect{W: 4, H: 4, Fill: bad})
	want := over(color.RGBA{128, 128, 128, 128}, black)
	if got := px(img, 1, 1); !near(got, want, 1) {
		t.Errorf("got:%v want:%v (clamped to premultiplied)", got, want)
	}
}

// Big shapes are rasterised in bands (rows or columns); the seams must not
// show and the edges must stay exact.
func TestBandedShapes(t *testing.T) {
	for _, l := range [][5]float64{{5, 7, 290, 190, 6}, {3, 60, 297, 140, 3}, {150, 2, 160, 198, 2.5}} {
		x0, y0, x1, y1, w := l[0], l[1], l[2], l[3], l[4]
		img := render(300, 200, Line{X0: float32(x0), Y0: float32(y0), X1: float32(x1), Y1: float32(y1), Color: black, Width: float32(w)})
		ln := math.Hypot(x1-x0, y1-y0)
		checkShape(t, img, black, white, func(x, y float64) float64 {
			along, across := segDist(x, y, x0, y0, x1, y1)
			return max(across-w/2, -along, along-ln)
		})
	}
	cx, cy, r := 151.3, 99.6, 83.0
	img := render(300, 200, Circle{X: float32(cx), Y: float32(cy), R: float32(r), Fill: red, Stroke: blue, StrokeWidth: 5})
	checkShape(t, img, red, white, func(x, y float64) float64 {
		d := math.Hypot(x-cx, y-cy) - r
		if math.Abs(d) < 4 { // the stroke
			return 0
		}
		return d
	})
	checkShape(t, img, blue, white, func(x, y float64) float64 {
		d := math.Abs(math.Hypot(x-cx, y-cy)-r) - 2.5
		if d > 0 && math.Hypot(x-cx, y-cy) < r {
			return 0 // the red inside
		}
		return d
	})
	// A wide, partly off-frame polygon (vertical strips, clipped on the left).
	img = render(400, 80, Polygon{Xs: []float32{-500, 390, 390}, Ys: []float32{5, 5, 75}, Fill: blue})
	checkShape(t, img, blue, white, func(x, y float64) float64 {
		// Inside: y >= 5, x <= 390, and above the hypotenuse from (-500,5)
		// to (390,75), whose normal (-70, 890) points outside.
		nx, ny := -70.0, 890.0
		return max(5-y, x-390, ((x+500)*nx+(y-5)*ny)/math.Hypot(nx, ny))
	})
}
