package ebitenview

import (
	"image"
	"image/color"
	"reflect"
	"testing"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// retainScene is a background rect, three groups of two items each and,
// if late, an item after the groups.
func retainScene(late bool, edit func(s *scene.Scene)) *scene.Scene {
	s := &scene.Scene{W: 300, H: 100, Background: color.RGBA{1, 2, 3, 255}}
	s.Add(scene.Rect{X: 0, Y: 0, W: 1, H: 1, Fill: color.RGBA{9, 9, 9, 255}})
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for k := 0; k < 3; k++ {
		x := float32(k * 100)
		g := s.BeginGroup(x, 0, 90, 100)
		s.Add(scene.Text{X: x + 5, Y: 5, S: "panel", Size: 12, Color: color.RGBA{0, 0, 0, 255}})
		if k == 1 {
			s.Add(scene.Polygon{Xs: []float32{x, x + 10, x}, Ys: []float32{0, 0, 10}, Fill: color.RGBA{5, 5, 5, 255}})
		} else {
			s.Add(scene.Raster{X: x, Y: 20, W: 40, H: 40, Img: img, Key: "r"})
		}
		s.EndGroup(g)
	}
	if late {
		s.Add(scene.Rect{X: 10, Y: 10, W: 200, H: 50, Fill: color.RGBA{0, 0, 0, 128}})
	}
	if edit != nil {
		edit(s)
	}
	return s
}

func TestPlanRedraw(t *testing.T) {
	for _, c := range []struct {
		name       string
		late       bool
		edit       func(s *scene.Scene)
		sameTarget bool
		scale      float32
		full       bool
		dirty      []int
	}{
		{name: "unchanged", sameTarget: true, scale: 1},
		{name: "new size or scale", sameTarget: false, scale: 1, full: true},
		{name: "text in group 0", sameTarget: true, scale: 1, dirty: []int{0},
			edit: func(s *scene.Scene) {
				s.Items[1] = scene.Text{X: 5, Y: 5, S: "panel!", Size: 12, Color: color.RGBA{0, 0, 0, 255}}
			}},
		{name: "polygon point in group 1 (slices compared)", sameTarget: true, scale: 1, dirty: []int{1},
			edit: func(s *scene.Scene) {
				p := s.Items[4].(scene.Polygon)
				p.Xs = []float32{100, 111, 100}
				s.Items[4] = p
			}},
		{name: "raster key in group 2", sameTarget: true, scale: 1, dirty: []int{2},
			edit: func(s *scene.Scene) {
				r := s.Items[6].(scene.Raster)
				r.Key = "r#2"
				s.Items[6] = r
			}},
		{name: "item before the groups", sameTarget: true, scale: 1, full: true,
			edit: func(s *scene.Scene) { s.Items[0] = scene.Rect{X: 0, Y: 0, W: 2, H: 1} }},
		{name: "group moved", sameTarget: true, scale: 1, full: true,
			edit: func(s *scene.Scene) { s.Groups[1].X++ }},
		{name: "group removed", sameTarget: true, scale: 1, full: true,
			edit: func(s *scene.Scene) { s.Groups = s.Groups[:2] }},
		{name: "no groups", sameTarget: true, scale: 1, full: true,
			edit: func(s *scene.Scene) { s.Groups = nil }},
		{name: "overlapping groups", sameTarget: true, scale: 1, full: true,
			edit: func(s *scene.Scene) { s.Groups[1].Start = 2 }},
		{name: "item after the groups, unchanged", late: true, sameTarget: true, scale: 1},
		{name: "item after the groups, a group changed", late: true, sameTarget: true, scale: 1, full: true,
			edit: func(s *scene.Scene) { s.Items[1] = scene.Text{S: "x"} }},
		// Group 0 widened to 99.9 ends at device x 103.6 → 104 at scale
		// 1.037, and group 1 starts at 103.7 → 103: they share a device
		// column, which a region of group 0 repaints with both groups
		// (Renderer.region); only group 0 changed.
		{name: "touching in device pixels", sameTarget: true, scale: 1.037, dirty: []int{0},
			edit: func(s *scene.Scene) {
				s.Items[1] = scene.Text{S: "x"}
				s.Groups[0].W = 99.9
			}},
		{name: "apart in device pixels", sameTarget: true, scale: 1, dirty: []int{0},
			edit: func(s *scene.Scene) {
				s.Items[1] = scene.Text{S: "x"}
				s.Groups[0].W = 99.9
			}},
	} {
		prev := retainScene(c.late, func(s *scene.Scene) {
			if c.name == "touching in device pixels" || c.name == "apart in device pixels" {
				s.Groups[0].W = 99.9
			}
		})
		cur := retainScene(c.late, c.edit)
		got := planRedraw(prev, cur, c.sameTarget, c.scale, nil, nil)
		if got.full != c.full || (!c.full && !reflect.DeepEqual(append([]int{}, got.dirty...), append([]int{}, c.dirty...))) {
			t.Errorf("%s: got full=%v dirty=%v, want full=%v dirty=%v", c.name, got.full, got.dirty, c.full, c.dirty)
		}
	}
	if got := planRedraw(nil, retainScene(false, nil), true, 1, nil, nil); !got.full {
		t.Error("first frame: want a full redraw")
	}
}

func TestItemEqual(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	r := scene.Rect{X: 1, W: 2, Fill: color.RGBA{1, 1, 1, 1}}
	for _, c := range []struct {
		a, b scene.Item
		want bool
	}{
		{r, r, true},
		{r, &r, false},
		{&r, &scene.Rect{X: 1, W: 2, Fill: color.RGBA{1, 1, 1, 1}}, true},
		{scene.Line{X1: 1}, scene.Line{X1: 2}, false},
		{scene.Circle{R: 1}, scene.Circle{R: 1}, true},
		{scene.Raster{Img: img, Key: "a"}, scene.Raster{Img: img, Key: "a"}, true},
		{scene.Raster{Img: img, Key: "a"}, scene.Raster{Img: img, Key: "b"}, false},
		{scene.Raster{Img: img, Key: "a"}, scene.Raster{Img: image.NewRGBA(image.Rect(0, 0, 1, 1)), Key: "a"}, true},
		{scene.Raster{Img: img, Key: "a"}, scene.Raster{Img: img, Key: "a", X: 1}, false},
		{scene.Raster{Img: img}, scene.Raster{Img: img}, false}, // no Key: uploaded every frame
		{scene.Polygon{Xs: []float32{1, 2, 3}, Ys: []float32{1, 2, 3}}, scene.Polygon{Xs: []float32{1, 2, 3}, Ys: []float32{1, 2, 3}}, true},
		{scene.Polygon{Xs: []float32{1, 2, 3}, Ys: []float32{1, 2, 3}}, scene.Polygon{Xs: []float32{1, 2, 3}, Ys: []float32{1, 2, 4}}, false},
		{scene.Polygon{}, r, false},
		{r, scene.Polygon{}, false},
		{scene.Text{S: "a"}, scene.Text{S: "a"}, true},
	} {
		if got := itemEqual(c.a, c.b); got != c.want {
			t.Errorf("itemEqual(%#v, %#v) got:%v want:%v", c.a, c.b, got, c.want)
		}
	}
}

func TestConvex(t *testing.T) {
	for _, c := range []struct {
		xs, ys []float32
		want   bool
	}{
		{[]float32{0, 1, 1, 0}, []float32{0, 0, 1, 1}, true},        // square
		{[]float32{0, 0, 1, 1}, []float32{0, 1, 1, 0}, true},        // the other way round
		{[]float32{0, 1, 2, 2, 0}, []float32{0, 0, 0, 1, 1}, true},  // a collinear vertex
		{[]float32{0, 2, 1, 2, 0}, []float32{0, 0, 1, 2, 2}, false}, // a notch
		{[]float32{0, 1, 2}, []float32{0, 1, 2}, false},             // degenerate
		{[]float32{0, 2, 0, 2}, []float32{0, 2, 2, 0}, false},       // a bow tie
		{[]float32{10, 22, 22}, []float32{5, -1, 11}, true},         // an arrow head
		// a pentagram: turns one way at every vertex but winds twice
		{[]float32{0, 0.588, -0.951, 0.951, -0.588}, []float32{-1, 0.809, -0.309, -0.309, 0.809}, false},
	} {
		if got := convex(c.xs, c.ys); got != c.want {
			t.Errorf("convex(%v, %v) got:%v want:%v", c.xs, c.ys, got, c.want)
		}
	}
}

// TestItemBoundsCoverPixels: itemBounds is never too small. Every item type,
// at device scales 1, 1.5 and 2, is painted alone by the software twin of
// the renderer (scene.RasterizeScaled, same geometry and font); no painted
// pixel may lie outside its bounds, or a dirty region around a changed item
// would leave some of its old pixels on screen.
func TestItemBoundsCoverPixels(t *testing.T) {
	ink := color.RGBA{20, 30, 40, 255}
	img := image.NewRGBA(image.Rect(0, 0, 7, 5))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	items := []scene.Item{
		scene.Rect{X: 10.3, Y: 12.7, W: 30.2, H: 9.1, Fill: ink},
		scene.Rect{X: 10.5, Y: 12.5, W: 30, H: 9, Stroke: ink, StrokeWidth: 3},
		&scene.Rect{X: 5, Y: 5, W: 0.2, H: 40, Fill: ink},
		scene.Line{X0: 3, Y0: 4, X1: 50.5, Y1: 33.3, Color: ink, Width: 2.5},
		scene.Line{X0: 3, Y0: 20.5, X1: 50, Y1: 20.5, Color: ink, Width: 1},
		scene.Line{X0: 30.2, Y0: 2, X1: 30.2, Y1: 50, Color: ink, Width: 0.4},
		scene.Circle{X: 30, Y: 30, R: 6.5, Fill: ink, Stroke: ink, StrokeWidth: 2},
		scene.Circle{X: 30.3, Y: 30.7, R: 2, Stroke: ink, StrokeWidth: 0.5},
		scene.Polygon{Xs: []float32{5, 40, 22}, Ys: []float32{50, 48, 3.5}, Fill: ink},
		scene.Polygon{Xs: []float32{5, 40, 22, 30}, Ys: []float32{5, 8, 30, 4}, Fill: scene.Translucent(ink, 60)},
		scene.Raster{X: 12.5, Y: 9.25, W: 14, H: 10, Img: img, Key: "r"},
		scene.Text{X: 8, Y: 10, S: "gjpqy ÅÉ √d… · q·k", Size: 15, Color: ink},
		scene.Text{X: 60, Y: 30.4, S: "Wide (1, 096) fj", Size: 11.5, Color: ink, Align: scene.AlignCenter},
		&scene.Text{X: 110, Y: 3, S: "right-aligned ‖x‖", Size: 12, Color: ink, Align: scene.AlignRight},
	}
	for _, k := range []float32{1, 1.5, 2} {
		for i, it := range items {
			s := &scene.Scene{W: 140, H: 70}
			s.Add(it)
			pix := scene.RasterizeScaled(s, k)
			b, ok := itemBounds(it, k)
			if !ok {
				t.Fatalf("item %d (%T): no bounds", i, it)
			}
			var out image.Rectangle
			r := pix.Bounds()
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					if pix.RGBAAt(x, y).A != 0 && !image.Pt(x, y).In(b) {
						out = out.Union(image.Rect(x, y, x+1, y+1))
					}
				}
			}
			if !out.Empty() {
				t.Errorf("scale %v, item %d (%T): painted %v outside its bounds %v", k, i, it, out, b)
			}
		}
	}
}

// panelScene is one panel: an opaque background filling the group, a
// title, a plot background, a raster and a line, as viz's panels draw them.
func panelScene(edit func(s *scene.Scene)) *scene.Scene {
	s := &scene.Scene{W: 300, H: 200, Background: color.RGBA{1, 2, 3, 255}}
	img := image.NewRGBA(image.Rect(0, 0, 100, 50))
	g := s.BeginGroup(10, 10, 200, 150)
	s.Add(scene.Rect{X: 10, Y: 10, W: 200, H: 150, Fill: color.RGBA{255, 255, 255, 255}},
		scene.Text{X: 20, Y: 14, S: "title", Size: 12, Color: color.RGBA{0, 0, 0, 255}},
		scene.Rect{X: 20, Y: 40, W: 150, H: 100, Fill: color.RGBA{250, 250, 250, 255}},
		scene.Raster{X: 20, Y: 40, W: 100, H: 50, Img: img, Key: "a"},
		scene.Line{X0: 20, Y0: 120, X1: 160, Y1: 120, Color: color.RGBA{9, 9, 9, 255}, Width: 1})
	s.EndGroup(g)
	if edit != nil {
		edit(s)
	}
	return s
}

func TestPlanRedrawRegions(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(s *scene.Scene)
		want  []image.Rectangle
		cover int // coverFrom of the (single) region
	}{
		{name: "nothing changed"},
		{name: "the title", cover: 0,
			edit: func(s *scene.Scene) { s.Items[1] = scene.Text{X: 20, Y: 14, S: "title!", Size: 12} },
			// (clipped to the group)
			want: []image.Rectangle{mustBounds(scene.Text{X: 20, Y: 14, S: "title!", Size: 12}).Intersect(image.Rect(10, 10, 210, 160))}},
		{name: "the line moved: old and new place, joined (few pixels between; past the plot's edge: the panel covers)", cover: 0,
			edit: func(s *scene.Scene) {
				s.Items[4] = scene.Line{X0: 20, Y0: 110, X1: 160, Y1: 110, Color: color.RGBA{9, 9, 9, 255}, Width: 1}
			},
			want: []image.Rectangle{image.Rect(17, 107, 163, 123)}},
		{name: "a raster updated in place: only its changed part", cover: 2,
			edit: func(s *scene.Scene) {
				s.Items[3] = scene.Raster{X: 20, Y: 40, W: 100, H: 50, Img: image.NewRGBA(image.Rect(0, 0, 100, 50)),
					Key: "b", Base: "a", Changed: image.Rect(10, 5, 20, 8)}
			},
			want: []image.Rectangle{image.Rect(29, 44, 41, 49)}},
		{name: "an item inserted: only it", cover: 2,
			edit: func(s *scene.Scene) {
				s.Items = append(s.Items[:4], append([]scene.Item{scene.Circle{X: 100, Y: 100, R: 5, Fill: color.RGBA{1, 1, 1, 255}}}, s.Items[4:]...)...)
				s.Groups[0].End++
			},
			want: []image.Rectangle{image.Rect(93, 93, 107, 107)}},
		{name: "an unknown item: the whole group", cover: 0,
			edit: func(s *scene.Scene) { s.Items[1] = nil },
			want: []image.Rectangle{image.Rect(10, 10, 210, 160)}},
	} {
		prev, cur := panelScene(nil), panelScene(c.edit)
		got := planRedraw(prev, cur, true, 1, nil, nil)
		if got.full || !reflect.DeepEqual(append([]image.Rectangle{}, got.regions...), append([]image.Rectangle{}, c.want...)) {
			t.Errorf("%s: got full=%v regions %v, want %v", c.name, got.full, got.regions, c.want)
			continue
		}
		g := cur.Groups[0]
		for _, rc := range c.want {
			if from := coverFrom(cur.Items[g.Start:g.End], rc, 1); from != c.cover {
				t.Errorf("%s: coverFrom(%v) %d, want %d", c.name, rc, from, c.cover)
			}
		}
	}
}

func mustBounds(it scene.Item) image.Rectangle {
	b, _ := itemBounds(it, 1)
	return b
}

// TestChangedRegionsMoves: a plain rectangle that moved an edge and a
// polygon whose corners moved dirty only what their move sweeps, and the
// regions cover every pixel that changed (the software twin paints both),
// at device scales 1, 1.5 and 2.
func TestChangedRegionsMoves(t *testing.T) {
	tint := color.RGBA{0, 5, 8, 12}
	for _, c := range []struct {
		name     string
		a, b     scene.Item
		maxShare float64 // of the union of both items' bounds
	}{
		// (large enough that joinBelow does not join the strips)
		{"rect, left edge", scene.Rect{X: 60, Y: 20, W: 300, H: 240, Fill: tint}, scene.Rect{X: 57.3, Y: 20, W: 302.7, H: 240, Fill: tint}, 0.1},
		{"rect, opaque, two edges", &scene.Rect{X: 60, Y: 20, W: 300, H: 240, Fill: color.RGBA{9, 9, 9, 255}},
			&scene.Rect{X: 60, Y: 24.5, W: 301, H: 235.5, Fill: color.RGBA{9, 9, 9, 255}}, 0.1},
		{"half-plane, two corners slid", scene.Polygon{Xs: []float32{10, 240, 360, 10}, Ys: []float32{330, 330, 30, 30}, Fill: tint},
			scene.Polygon{Xs: []float32{10, 243.5, 362.2, 10}, Ys: []float32{330, 330, 30, 30}, Fill: tint}, 0.45},
		{"concave, one point", scene.Polygon{Xs: []float32{10, 180, 330, 330, 10}, Ys: []float32{10, 180, 10, 330, 330}, Fill: color.RGBA{9, 9, 9, 255}},
			scene.Polygon{Xs: []float32{10, 180, 330, 330, 10}, Ys: []float32{10, 190, 10, 330, 330}, Fill: color.RGBA{9, 9, 9, 255}}, 0.7},
	} {
		for _, k := range []float32{1, 1.5, 2} {
			sa, sb := &scene.Scene{W: 400, H: 350}, &scene.Scene{W: 400, H: 350}
			sa.Add(c.a)
			sb.Add(c.b)
			pa, pb := scene.RasterizeScaled(sa, k), scene.RasterizeScaled(sb, k)
			gr := pa.Bounds()
			rs, _ := changedRegions(sa.Items, sb.Items, k, gr, nil)
			px := 0
			for _, r := range rs {
				px += area(r)
			}
			ba, _ := itemBounds(c.a, k)
			bb, _ := itemBounds(c.b, k)
			if share := float64(px) / float64(area(ba.Union(bb))); share > c.maxShare {
				t.Errorf("%s, scale %v: regions %v are %.0f %% of the items' box, want ≤ %.0f %%", c.name, k, rs, 100*share, 100*c.maxShare)
			}
			out := uncovered(pa, pb, rs)
			if !out.Empty() {
				t.Errorf("%s, scale %v: pixels in %v changed outside the regions %v", c.name, k, out, rs)
			}
		}
	}
}

// manyRegions: k small regions on a grid (the changed nodes of a large
// index's tree panel while it builds), so far apart that joining any two
// adds more than joinBelow pixels.
func manyRegions(k int) []image.Rectangle {
	rs := make([]image.Rectangle, k)
	for i := range rs {
		x, y := 200*(i%40), 200*i // no two in a row or column
		rs[i] = image.Rect(x, y, x+5, y+6)
	}
	return rs
}

// TestMergeRegionsMany: past mergeExact regions the result is their
// bounding box (one region covering them all); up to mergeExact they are
// still kept apart, as limit disjoint regions.
func TestMergeRegionsMany(t *testing.T) {
	if mergeExact != 32 {
		t.Fatalf("mergeExact is %d; the cases below assume 32", mergeExact)
	}
	for _, c := range []struct{ k, want int }{{9, maxRegions}, {32, maxRegions}, {33, 1}, {500, 1}} {
		rs := manyRegions(c.k)
		var box image.Rectangle
		for _, r := range rs {
			box = box.Union(r)
		}
		got := mergeRegions(append([]image.Rectangle(nil), rs...), maxRegions)
		if len(got) != c.want || c.want == 1 && got[0] != box {
			t.Errorf("%d regions: got %d regions %v, want %d (1: their bounding box %v)", c.k, len(got), got, c.want, box)
		}
		for _, r := range rs {
			in := false
			for _, g := range got {
				in = in || r.In(g)
			}
			if !in {
				t.Errorf("%d regions: %v not covered by %v", c.k, r, got)
			}
		}
	}
}

// BenchmarkMergeRegionsMany: the planner's cost with many changed items
// in a group (27 ms a frame natively at n = 2^20 before mergeExact).
func BenchmarkMergeRegionsMany(b *testing.B) {
	rs := manyRegions(500)
	buf := make([]image.Rectangle, len(rs))
	for b.Loop() {
		copy(buf, rs)
		mergeRegions(buf, maxRegions)
	}
}
