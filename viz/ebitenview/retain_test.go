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
		// 1.037, and group 1 starts at 103.7 → 103: a change in 0 redraws
		// both (they share a device column).
		{name: "touching in device pixels", sameTarget: true, scale: 1.037, dirty: []int{0, 1},
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
		got := planRedraw(prev, cur, c.sameTarget, c.scale, nil)
		if got.full != c.full || (!c.full && !reflect.DeepEqual(append([]int{}, got.dirty...), append([]int{}, c.dirty...))) {
			t.Errorf("%s: got full=%v dirty=%v, want full=%v dirty=%v", c.name, got.full, got.dirty, c.full, c.dirty)
		}
	}
	if got := planRedraw(nil, retainScene(false, nil), true, 1, nil); !got.full {
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
