package ebitenview

import (
	"image"
	"math"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// Retained drawing: the screen keeps its pixels from one frame to the next
// (ebiten.SetScreenClearedEveryFrame(false)), and a frame redraws only the
// regions around the items that differ from the previous frame's, inside
// the scene groups (panels) that changed. While b is dragged only parts of
// the geometry and the tree, the slider's row and the header change; the
// numbers, the scaling plot, the histogram and the heatmaps are left alone,
// which saves their draw calls in the renderer, in Ebiten's submission to
// WebGL and in the GPU, and pixels: SwiftShader fills ~50 Mpixel/s per core.
//
// Correctness rests on the scene.Group contract (a group draws only inside
// its rectangle, over the plain background), on clipping (every group is
// drawn clipped to its device-pixel rectangle in every frame, full or
// partial) and on itemBounds never being too small: a region is repainted
// as a full redraw paints it (the background, then every group over it in
// order, clipped to the region), so the pixels are the same.

// redrawPlan says what a frame must draw: everything, or the listed
// regions. Within a changed group only the parts around the items that
// changed are redrawn (dirty regions): while b is dragged the controls
// panel redraws the slider's row, not its 250×758 pixels, and a panel whose
// opaque plot background covers a region starts there instead of clearing
// it and painting the panel under it. With a software GL (SwiftShader,
// llvmpipe) every pixel filled costs CPU time.
type redrawPlan struct {
	full    bool
	dirty   []int             // indexes into the scene's Groups whose items changed, in order
	regions []image.Rectangle // device pixels to repaint (clear, then every group over it, clipped)
}

// groupRect is g's rectangle in device pixels (outwards to whole pixels).
func groupRect(g scene.Group, scale float32) image.Rectangle {
	x0 := int(math.Floor(float64(g.X * scale)))
	y0 := int(math.Floor(float64(g.Y * scale)))
	x1 := int(math.Ceil(float64((g.X + g.W) * scale)))
	y1 := int(math.Ceil(float64((g.Y + g.H) * scale)))
	return image.Rect(x0, y0, x1, y1)
}

// maxRegions is how many dirty regions a group keeps, and maxFrameRegions
// a frame, before the closest are joined (each region is a clip, a few
// draw calls here and two on the canvas).
//
// joinBelow: two regions are joined anyway when their box adds fewer
// pixels than this. A region costs the app a clip, a flush and its items'
// draw calls again (WebGL calls from wasm), and the canvas two draws:
// with a region per changed item (16 a frame while dragging b) the page's
// main thread took ~7 ms more a frame than with 4-5 regions. With these
// limits a drag step of b at the defaults has ~6 regions (4.5 before),
// draws as many items as before, and half the pixels (TestProbe-like
// counts in docs/performance.md).
const (
	maxRegions      = 8
	maxFrameRegions = 8
	joinBelow       = 16000

	// mergeExact: past this many regions mergeRegions returns their
	// bounding box. Its exact pass cuts each region against all before it
	// and then joins pairs, cubic in their number: with hundreds of
	// changed items in a group (the tree panel's nodes while an index of
	// n = 2^20 builds) it took up to 27 ms a frame natively, 100+ ms in
	// the page, and a box over many small changes repaints little more.
	mergeExact = 32
)

// planRedraw compares the scene with the previous frame's (nil: none) at
// the same device size and scale and returns what to draw. dirty and
// regions are reused.
func planRedraw(prev, cur *scene.Scene, sameTarget bool, scale float32, dirty []int, regions []image.Rectangle) redrawPlan {
	dirty, regions = dirty[:0], regions[:0]
	full := redrawPlan{full: true, dirty: dirty, regions: regions}
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
	for k, g := range cur.Groups {
		pg := prev.Groups[k]
		before, after := len(regions), 0
		regions, after = changedRegions(prev.Items[pg.Start:pg.End], cur.Items[g.Start:g.End], scale, groupRect(g, scale), regions)
		if after > before {
			dirty = append(dirty, k)
		}
	}
	if len(dirty) > 0 && lateItems {
		return full
	}
	return redrawPlan{dirty: dirty, regions: mergeRegions(regions, maxFrameRegions)}
}

// changedRegions appends to out the device-pixel regions of group rectangle
// gr that differ between the items a (before) and b (now), and returns it
// with its new length: the bounds of the items that changed, before and
// after, clipped to gr (a raster updated in place: its changed part; a
// plain rectangle that moved an edge: the strips between its two places;
// a polygon whose points moved: the boxes of the edges that moved).
// Lists of the same length are compared item by item; otherwise after
// their common beginning, item by item from the end (an item inserted or
// removed counts alone). An item of unknown extent makes the whole
// rectangle dirty.
func changedRegions(a, b []scene.Item, scale float32, gr image.Rectangle, out []image.Rectangle) ([]image.Rectangle, int) {
	start := len(out)
	whole := false
	add := func(it scene.Item) {
		r, ok := itemBounds(it, scale)
		if !ok {
			whole = true
			return
		}
		if r = r.Intersect(gr); !r.Empty() {
			out = append(out, r)
		}
	}
	// pair adds what changed between a's item x and b's item y.
	pair := func(x, y scene.Item) {
		if r, ok := rasterChange(x, y, scale); ok {
			if r = r.Intersect(gr); !r.Empty() {
				out = append(out, r)
			}
			return
		}
		n := len(out)
		var ok bool
		if out, ok = rectChange(x, y, scale, out); !ok {
			out, ok = polygonChange(x, y, scale, out)
		}
		if ok {
			k := n
			for _, r := range out[n:] {
				if r = r.Intersect(gr); !r.Empty() {
					out[k] = r
					k++
				}
			}
			out = out[:k]
			return
		}
		add(x)
		add(y)
	}
	if len(a) == len(b) {
		for i := range a {
			if itemEqual(a[i], b[i]) {
				continue
			}
			pair(a[i], b[i])
		}
	} else {
		// An insertion or a removal: the common beginning is left alone,
		// and the rest is compared item by item from the end (a monotone
		// pairing: a pixel that no unequal pair or unpaired item reaches
		// is painted by equal items in the same order, before and after).
		p := 0
		for p < len(a) && p < len(b) && itemEqual(a[p], b[p]) {
			p++
		}
		i, j := len(a)-1, len(b)-1
		for ; i >= p && j >= p; i, j = i-1, j-1 {
			if !itemEqual(a[i], b[j]) {
				pair(a[i], b[j])
			}
		}
		for ; i >= p; i-- {
			add(a[i])
		}
		for ; j >= p; j-- {
			add(b[j])
		}
	}
	if whole {
		out = out[:start]
		if !gr.Empty() {
			out = append(out, gr)
		}
		return out, len(out)
	}
	out = append(out[:start], mergeRegions(out[start:], maxRegions)...)
	return out, len(out)
}

// rectChange: a and b are plain filled rectangles (no stroke) of the same
// colour, e.g. a shaded side of a threshold whose edge moved. The pixels
// well inside both are painted alike before and after; only the frame
// between the bounds of both and that common interior (shrunk by the
// padding of itemBounds) can change: up to four strips, appended to out.
func rectChange(a, b scene.Item, scale float32, out []image.Rectangle) ([]image.Rectangle, bool) {
	ra, ok1 := asRect(a)
	rb, ok2 := asRect(b)
	if !ok1 || !ok2 || ra.Fill != rb.Fill || (ra.Stroke.A != 0 && ra.StrokeWidth > 0) || (rb.Stroke.A != 0 && rb.StrokeWidth > 0) ||
		ra.W < 0 || ra.H < 0 || rb.W < 0 || rb.H < 0 {
		return out, false
	}
	ba, oka := itemBounds(ra, scale)
	bb, okb := itemBounds(rb, scale)
	if !oka || !okb {
		return out, false
	}
	const pad = 2
	in := image.Rect(
		int(math.Ceil(float64(max(ra.X, rb.X)*scale)))+pad, int(math.Ceil(float64(max(ra.Y, rb.Y)*scale)))+pad,
		int(math.Floor(float64(min(ra.X+ra.W, rb.X+rb.W)*scale)))-pad, int(math.Floor(float64(min(ra.Y+ra.H, rb.Y+rb.H)*scale)))-pad)
	u := ba.Union(bb)
	if in.Empty() || !in.In(u) {
		return out, false
	}
	for _, r := range [...]image.Rectangle{
		image.Rect(u.Min.X, u.Min.Y, u.Max.X, in.Min.Y),   // above
		image.Rect(u.Min.X, in.Max.Y, u.Max.X, u.Max.Y),   // below
		image.Rect(u.Min.X, in.Min.Y, in.Min.X, in.Max.Y), // left
		image.Rect(in.Max.X, in.Min.Y, u.Max.X, in.Max.Y), // right
	} {
		if !r.Empty() {
			out = append(out, r)
		}
	}
	return out, true
}

// rasterChange: b is a, updated in place (its Base is a's Key, same place
// and size): only the part b.Changed says changed, in device pixels.
func rasterChange(a, b scene.Item, scale float32) (image.Rectangle, bool) {
	ra, ok1 := asRaster(a)
	rb, ok2 := asRaster(b)
	if !ok1 || !ok2 || ra.Key == "" || rb.Base != ra.Key || ra.X != rb.X || ra.Y != rb.Y || ra.W != rb.W || ra.H != rb.H ||
		ra.Img == nil || rb.Img == nil || ra.Img.Bounds().Size() != rb.Img.Bounds().Size() {
		return image.Rectangle{}, false
	}
	ib := rb.Img.Bounds()
	c := rb.Changed.Intersect(ib)
	if c.Empty() {
		return image.Rectangle{}, true
	}
	sx, sy := rb.W/float32(ib.Dx()), rb.H/float32(ib.Dy())
	return pixelsOut(rb.X+float32(c.Min.X-ib.Min.X)*sx, rb.Y+float32(c.Min.Y-ib.Min.Y)*sy,
		rb.X+float32(c.Max.X-ib.Min.X)*sx, rb.Y+float32(c.Max.Y-ib.Min.Y)*sy, scale, 1), true
}

// polygonChange: a and b are polygons of the same colour and number of
// points of which some moved (the half-plane left of the threshold while
// b is dragged: two corners slide along the plot's edges). Moving each
// point along a straight line from its old place to its new one sweeps
// each edge over the box of its old and new ends, and a pixel that no
// moving edge sweeps keeps its winding number, so its coverage (the
// renderer's triangle fan or stencil, the software twin's exact area)
// does not change: the boxes of the edges that have a moved end, padded
// for the opaque rim and pixel snapping, are appended to out.
func polygonChange(a, b scene.Item, scale float32, out []image.Rectangle) ([]image.Rectangle, bool) {
	pa, ok1 := asPolygon(a)
	pb, ok2 := asPolygon(b)
	n := len(pa.Xs)
	if !ok1 || !ok2 || pa.Fill != pb.Fill || n < 3 || len(pa.Ys) != n || len(pb.Xs) != n || len(pb.Ys) != n ||
		!finite(pa.Xs...) || !finite(pa.Ys...) || !finite(pb.Xs...) || !finite(pb.Ys...) {
		return out, false
	}
	const pad = 2
	for i := 0; i < n; i++ {
		j := (i + 1) % n
		if pa.Xs[i] == pb.Xs[i] && pa.Ys[i] == pb.Ys[i] && pa.Xs[j] == pb.Xs[j] && pa.Ys[j] == pb.Ys[j] {
			continue
		}
		x0 := min(pa.Xs[i], pa.Xs[j], pb.Xs[i], pb.Xs[j])
		x1 := max(pa.Xs[i], pa.Xs[j], pb.Xs[i], pb.Xs[j])
		y0 := min(pa.Ys[i], pa.Ys[j], pb.Ys[i], pb.Ys[j])
		y1 := max(pa.Ys[i], pa.Ys[j], pb.Ys[i], pb.Ys[j])
		out = append(out, pixelsOut(x0, y0, x1, y1, scale, pad))
	}
	return out, true
}

func asPolygon(it scene.Item) (scene.Polygon, bool) {
	switch x := it.(type) {
	case scene.Polygon:
		return x, true
	case *scene.Polygon:
		return *x, true
	}
	return scene.Polygon{}, false
}

// mergeRegions makes the regions disjoint and at most limit of them, in
// place (the result shares rs's storage), repainting as few extra pixels
// as it can: a region that overlaps earlier ones keeps only its parts
// outside them (up to four strips each), and while more than limit remain,
// the two whose bounding box adds the fewest pixels are joined (the parts
// of others inside the new box dropped). Unioning every overlapping pair
// instead would let a line of text that touches a raster and a shaded
// rectangle grow into one box over all three (the tree panel: 115k of its
// 155k pixels per frame while b was dragged, against ~50k changed).
func mergeRegions(rs []image.Rectangle, limit int) []image.Rectangle {
	if len(rs) > mergeExact {
		u := rs[0]
		for _, r := range rs[1:] {
			u = u.Union(r)
		}
		return append(rs[:0], u)
	}
	out := make([]image.Rectangle, 0, len(rs)+8)
	for _, r := range rs {
		out = addDisjoint(out, r)
	}
	// neighbours that make a rectangle together (a text's old and new
	// place, split above) become one again
	for joined := true; joined; {
		joined = false
		for i := 0; i < len(out); i++ {
			for j := i + 1; j < len(out); j++ {
				if u := out[i].Union(out[j]); area(u) == area(out[i])+area(out[j]) {
					out[i] = u
					out[j] = out[len(out)-1]
					out = out[:len(out)-1]
					joined = true
					j--
				}
			}
		}
	}
	for rounds := 0; len(out) > 1; rounds++ {
		if rounds > 4*limit+len(rs) {
			// cannot happen in practice; stay finite
			u := out[0]
			for _, r := range out[1:] {
				u = u.Union(r)
			}
			out = append(out[:0], u)
			break
		}
		bi, bj, best := 0, 1, -1
		for i := 0; i < len(out); i++ {
			for j := i + 1; j < len(out); j++ {
				cost := area(out[i].Union(out[j])) - area(out[i]) - area(out[j])
				if best < 0 || cost < best {
					bi, bj, best = i, j, cost
				}
			}
		}
		if len(out) <= limit && best >= joinBelow {
			break
		}
		u := out[bi].Union(out[bj])
		rest := out[:0:0]
		for k, r := range out {
			if k != bi && k != bj {
				rest = append(rest, r)
			}
		}
		out = []image.Rectangle{u}
		for _, r := range rest {
			out = addDisjoint(out, r)
		}
	}
	return append(rs[:0], out...)
}

// addDisjoint appends the parts of r outside every region of out (which
// are disjoint) and returns out.
func addDisjoint(out []image.Rectangle, r image.Rectangle) []image.Rectangle {
	if r.Empty() {
		return out
	}
	pieces := []image.Rectangle{r}
	for _, o := range out {
		var next []image.Rectangle
		for _, p := range pieces {
			next = subtract(next, p, o)
		}
		pieces = next
		if len(pieces) == 0 {
			return out
		}
	}
	return append(out, pieces...)
}

// subtract appends p minus o (up to four rectangles) to dst.
func subtract(dst []image.Rectangle, p, o image.Rectangle) []image.Rectangle {
	in := p.Intersect(o)
	if in.Empty() {
		return append(dst, p)
	}
	for _, r := range [...]image.Rectangle{
		image.Rect(p.Min.X, p.Min.Y, p.Max.X, in.Min.Y),
		image.Rect(p.Min.X, in.Max.Y, p.Max.X, p.Max.Y),
		image.Rect(p.Min.X, in.Min.Y, in.Min.X, in.Max.Y),
		image.Rect(in.Max.X, in.Min.Y, p.Max.X, in.Max.Y),
	} {
		if !r.Empty() {
			dst = append(dst, r)
		}
	}
	return dst
}

func area(r image.Rectangle) int { return r.Dx() * r.Dy() }

// pixelsOut is the logical rectangle (x0, y0)-(x1, y1) in device pixels,
// rounded outwards and widened by pad pixels on every side.
func pixelsOut(x0, y0, x1, y1, scale float32, pad int) image.Rectangle {
	if x1 < x0 {
		x0, x1 = x1, x0
	}
	if y1 < y0 {
		y0, y1 = y1, y0
	}
	return image.Rect(
		int(math.Floor(float64(x0*scale)))-pad, int(math.Floor(float64(y0*scale)))-pad,
		int(math.Ceil(float64(x1*scale)))+pad, int(math.Ceil(float64(y1*scale)))+pad)
}

// itemBounds is a rectangle, in device pixels, outside which the renderer
// draws nothing of it: generous (strokes, feathered edges, glyphs beyond
// their advance), never too small. ok is false for an item it cannot
// bound (unknown type, not finite).
func itemBounds(it scene.Item, s float32) (image.Rectangle, bool) {
	const pad = 2 // feathering (1 px) and pixel snapping (1 px)
	switch x := it.(type) {
	case *scene.Rect:
		return itemBounds(*x, s)
	case *scene.Line:
		return itemBounds(*x, s)
	case *scene.Circle:
		return itemBounds(*x, s)
	case *scene.Polygon:
		return itemBounds(*x, s)
	case *scene.Text:
		return itemBounds(*x, s)
	case *scene.Raster:
		return itemBounds(*x, s)
	case scene.Rect:
		if !finite(x.X, x.Y, x.W, x.H, x.StrokeWidth) {
			return image.Rectangle{}, false
		}
		h := max(x.StrokeWidth, 0) / 2
		return pixelsOut(x.X-h, x.Y-h, x.X+x.W+h, x.Y+x.H+h, s, pad), true
	case scene.Line:
		if !finite(x.X0, x.Y0, x.X1, x.Y1, x.Width) {
			return image.Rectangle{}, false
		}
		h := max(x.Width, 0) / 2
		return pixelsOut(min(x.X0, x.X1)-h, min(x.Y0, x.Y1)-h, max(x.X0, x.X1)+h, max(x.Y0, x.Y1)+h, s, pad), true
	case scene.Circle:
		if !finite(x.X, x.Y, x.R, x.StrokeWidth) {
			return image.Rectangle{}, false
		}
		r := max(x.R, 0) + max(x.StrokeWidth, 0)/2
		return pixelsOut(x.X-r, x.Y-r, x.X+r, x.Y+r, s, pad), true
	case scene.Polygon:
		n := min(len(x.Xs), len(x.Ys))
		if n == 0 {
			return image.Rectangle{}, true
		}
		if !finite(x.Xs[:n]...) || !finite(x.Ys[:n]...) {
			return image.Rectangle{}, false
		}
		x0, y0, x1, y1 := x.Xs[0], x.Ys[0], x.Xs[0], x.Ys[0]
		for i := 1; i < n; i++ {
			x0, x1 = min(x0, x.Xs[i]), max(x1, x.Xs[i])
			y0, y1 = min(y0, x.Ys[i]), max(y1, x.Ys[i])
		}
		return pixelsOut(x0, y0, x1, y1, s, pad), true
	case scene.Text:
		if !finite(x.X, x.Y, x.Size) || x.Size <= 0 {
			return image.Rectangle{}, false
		}
		x0, y0, w, h := x.Box()
		// Glyphs may reach a little past the advance and the line box.
		m := x.Size / 2
		return pixelsOut(x0-m, y0-m, x0+w+m, y0+h+m, s, pad), true
	case scene.Raster:
		if !finite(x.X, x.Y, x.W, x.H) {
			return image.Rectangle{}, false
		}
		return pixelsOut(x.X, x.Y, x.X+x.W, x.Y+x.H, s, pad), true
	}
	return image.Rectangle{}, false
}

// coverFrom returns the index of the last item of its that is an opaque
// rectangle filling all of rc (device pixels, as the renderer fills it):
// drawing from there paints rc exactly as drawing all of its over the
// background. -1 if none.
func coverFrom(its []scene.Item, rc image.Rectangle, s float32) int {
	for i := len(its) - 1; i >= 0; i-- {
		r, ok := asRect(its[i])
		if !ok || r.Fill.A != 255 || !finite(r.X, r.Y, r.W, r.H) {
			continue
		}
		// The fill's pixels, as Renderer.rect rounds them.
		f := image.Rect(int(math.Round(float64(r.X*s))), int(math.Round(float64(r.Y*s))),
			int(math.Round(float64((r.X+r.W)*s))), int(math.Round(float64((r.Y+r.H)*s))))
		if rc.In(f) {
			return i
		}
	}
	return -1
}

func asRect(it scene.Item) (scene.Rect, bool) {
	switch x := it.(type) {
	case scene.Rect:
		return x, true
	case *scene.Rect:
		return *x, true
	}
	return scene.Rect{}, false
}

func asRaster(it scene.Item) (scene.Raster, bool) {
	switch x := it.(type) {
	case scene.Raster:
		return x, true
	case *scene.Raster:
		return *x, true
	}
	return scene.Raster{}, false
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
