package ebitenview

import (
	"image"
	"math"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// Retained drawing: the screen keeps its pixels from one frame to the next
// (ebiten.SetScreenClearedEveryFrame(false)), and a frame redraws only the
// scene groups (panels) whose items differ from the previous frame's. While
// b is dragged only the geometry, the tree, the slider and the header
// change; the numbers, the scaling plot, the histogram and the heatmaps are
// left alone, which saves their draw calls in the renderer, in Ebiten's
// submission to WebGL and in the GPU.
//
// Correctness rests on the scene.Group contract (a group draws only inside
// its rectangle, over the plain background) and on clipping: every group is
// drawn clipped to its device-pixel rectangle in every frame, full or
// partial, so a partial redraw (clear the dirty rectangles, then draw the
// dirty groups in order) paints exactly what a full redraw would.

// redrawPlan says what a frame must draw: everything, or the listed groups.
type redrawPlan struct {
	full  bool
	dirty []int // indexes into the scene's Groups, in order
}

// groupRect is g's rectangle in device pixels (outwards to whole pixels).
func groupRect(g scene.Group, scale float32) image.Rectangle {
	x0 := int(math.Floor(float64(g.X * scale)))
	y0 := int(math.Floor(float64(g.Y * scale)))
	x1 := int(math.Ceil(float64((g.X + g.W) * scale)))
	y1 := int(math.Ceil(float64((g.Y + g.H) * scale)))
	return image.Rect(x0, y0, x1, y1)
}

// planRedraw compares the scene with the previous frame's (nil: none) at
// the same device size and scale and returns what to draw. dirty is reused.
func planRedraw(prev, cur *scene.Scene, sameTarget bool, scale float32, dirty []int) redrawPlan {
	dirty = dirty[:0]
	full := redrawPlan{full: true, dirty: dirty}
	if prev == nil || !sameTarget || len(cur.Groups) == 0 || len(prev.Groups) != len(cur.Groups) ||
		prev.Background != cur.Background || !validGroups(cur) {
		return full
	}
	// Items outside groups must be the same, and so must the groups' places.
	pi, ci := 0, 0
	for k, g := range cur.Groups {
		pg := prev.Groups[k]
		if pg.X != g.X || pg.Y != g.Y || pg.W != g.W || pg.H != g.H {
			return full
		}
		if !itemsEqual(prev.Items[pi:pg.Start], cur.Items[ci:g.Start]) {
			return full
		}
		pi, ci = pg.End, g.End
	}
	if !itemsEqual(prev.Items[pi:], cur.Items[ci:]) {
		return full
	}
	// Items after the first group may be painted over groups: redrawing a
	// group alone would paint over them, so any change means everything.
	lateItems := len(cur.Items) > cur.Groups[len(cur.Groups)-1].End || hasGaps(cur)
	var mark [64]bool
	if len(cur.Groups) > len(mark) {
		return full
	}
	for k, g := range cur.Groups {
		pg := prev.Groups[k]
		if !itemsEqual(prev.Items[pg.Start:pg.End], cur.Items[g.Start:g.End]) {
			mark[k] = true
		}
	}
	// A group overlapping a redrawn one (in device pixels, e.g. at a
	// fractional scale) is redrawn too, until no more are added.
	for changed := true; changed; {
		changed = false
		for i := range cur.Groups {
			if !mark[i] {
				continue
			}
			ri := groupRect(cur.Groups[i], scale)
			for j := range cur.Groups {
				if !mark[j] && ri.Overlaps(groupRect(cur.Groups[j], scale)) {
					mark[j], changed = true, true
				}
			}
		}
	}
	for k := range cur.Groups {
		if mark[k] {
			dirty = append(dirty, k)
		}
	}
	if len(dirty) > 0 && lateItems {
		return full
	}
	return redrawPlan{dirty: dirty}
}

// validGroups checks that the groups are in order, do not share items and
// have sane rectangles.
func validGroups(s *scene.Scene) bool {
	end := 0
	for _, g := range s.Groups {
		if g.Start < end || g.End < g.Start || g.End > len(s.Items) || !finite(g.X, g.Y, g.W, g.H) || g.W < 0 || g.H < 0 {
			return false
		}
		end = g.End
	}
	return true
}

// hasGaps reports items between groups (after the first group starts).
func hasGaps(s *scene.Scene) bool {
	for k := 1; k < len(s.Groups); k++ {
		if s.Groups[k].Start != s.Groups[k-1].End {
			return true
		}
	}
	return false
}

// itemsEqual reports whether two item lists draw the same thing.
func itemsEqual(a, b []scene.Item) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !itemEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

func itemEqual(a, b scene.Item) bool {
	switch x := a.(type) {
	case scene.Polygon:
		y, ok := b.(scene.Polygon)
		return ok && polygonEqual(x, y)
	case *scene.Polygon:
		y, ok := b.(*scene.Polygon)
		return ok && polygonEqual(*x, *y)
	case *scene.Rect:
		y, ok := b.(*scene.Rect)
		return ok && *x == *y
	case *scene.Line:
		y, ok := b.(*scene.Line)
		return ok && *x == *y
	case *scene.Circle:
		y, ok := b.(*scene.Circle)
		return ok && *x == *y
	case *scene.Text:
		y, ok := b.(*scene.Text)
		return ok && *x == *y
	case *scene.Raster:
		y, ok := b.(*scene.Raster)
		return ok && rasterEqual(*x, *y)
	case scene.Raster:
		y, ok := b.(scene.Raster)
		return ok && rasterEqual(x, y)
	case scene.Rect, scene.Line, scene.Circle, scene.Text:
		return a == b // comparable values of the same type
	}
	return false // an unknown item type: assume it changed
}

// rasterEqual: the Key names the content (the image may be a reused
// buffer); an empty Key means "upload every frame", never equal.
func rasterEqual(a, b scene.Raster) bool {
	return a.Key != "" && a.Key == b.Key && a.X == b.X && a.Y == b.Y && a.W == b.W && a.H == b.H
}

func polygonEqual(a, b scene.Polygon) bool {
	if a.Fill != b.Fill || len(a.Xs) != len(b.Xs) || len(a.Ys) != len(b.Ys) {
		return false
	}
	for i := range a.Xs {
		if a.Xs[i] != b.Xs[i] {
			return false
		}
	}
	for i := range a.Ys {
		if a.Ys[i] != b.Ys[i] {
			return false
		}
	}
	return true
}
