package ebitenview

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// Renderer draws scenes onto Ebiten images. It caches the font faces and
// the GPU copies of rasters (by Key) between frames.
type Renderer struct {
	glyphs *textCache

	rasters map[string]*rasterEntry
	spare   map[image.Point][]*ebiten.Image // images of rasters that left, by size, for reuse
	frame   uint64

	vertices []ebiten.Vertex
	indices  []uint16
	m        mesh // shapes batched for one draw call

	// Retained: dst keeps the previous frame's pixels, so Draw redraws only
	// the groups that changed (retain.go). Full and Partial count the frames
	// drawn each way.
	Retained      bool
	Full, Partial int
	// PartialUploads counts rasters updated in place (scene.Raster.Base).
	PartialUploads int
	// Drew reports whether the last Draw changed any pixel.
	Drew      bool
	pixBuf    []byte
	prev      *scene.Scene
	prevSize  image.Point
	prevScale float32
	stale     bool
	dirty     []int
	regions   []image.Rectangle
	painted   []image.Rectangle // what the last Draw changed (Painted), reused
	lastFull  bool              // the last Draw redrew everything
	over      []int             // groups over a region (reused)
}

type rasterEntry struct {
	img      *ebiten.Image
	w, h     int
	lastUsed uint64
}

var bannerBG = color.RGBA{0x12, 0x16, 0x1a, 0xff}

// NewRenderer loads the Go Regular font (the one viz/scene.TextWidth measures with).
func NewRenderer() *Renderer {
	return &Renderer{
		glyphs:  newTextCache(),
		rasters: map[string]*rasterEntry{},
		spare:   map[image.Point][]*ebiten.Image{},
	}
}

// Draw paints s onto dst, scaling logical pixels by scale. With Retained
// set, dst must still hold the previous frame (see retain.go): only the
// groups that changed are redrawn.
func (r *Renderer) Draw(dst *ebiten.Image, s *scene.Scene, scale float32) {
	r.frame++
	size := dst.Bounds().Size()
	same := r.Retained && !r.stale && size == r.prevSize && scale == r.prevScale
	plan := planRedraw(r.prev, s, same, scale, r.dirty, r.regions)
	r.dirty, r.regions = plan.dirty, plan.regions
	r.Drew = plan.full || len(plan.dirty) > 0
	r.lastFull = plan.full
	if plan.full {
		r.Full++
		dst.Fill(s.Background)
		next := 0
		for _, g := range s.Groups {
			if g.Start < next || g.End < g.Start || g.End > len(s.Items) {
				continue // not valid groups: planRedraw asked for full, draw the rest plainly
			}
			r.items(dst, s.Items[next:g.Start], scale, image.Rectangle{})
			r.items(r.clip(dst, g, scale), s.Items[g.Start:g.End], scale, image.Rectangle{})
			next = g.End
		}
		r.items(dst, s.Items[next:], scale, image.Rectangle{})
	} else {
		r.Partial++
		for _, rc := range plan.regions {
			r.region(dst, s, rc, scale)
		}
		// Rasters not drawn (outside the regions) keep their GPU images.
		r.touch(s.Items)
	}
	r.flush(dst)
	r.glyphs.endFrame()
	r.prev, r.prevSize, r.prevScale, r.stale = s, size, scale, false
	// Rasters that left the scene (a heatmap replaced by the next b while
	// dragging) keep their GPU image for the next raster of the same size:
	// a WritePixels instead of an allocation each frame.
	for k, e := range r.rasters {
		if e.lastUsed != r.frame {
			r.release(e.img)
			delete(r.rasters, k)
		}
	}
	// At most four spares of a size are kept.
	for size, imgs := range r.spare {
		if len(imgs) > 4 {
			for _, img := range imgs[4:] {
				img.Deallocate()
			}
			r.spare[size] = imgs[:4]
		}
	}
}

// Painted returns the device-pixel rectangles of dst (bounds b) that the
// last Draw changed, not overlapping, or nil if it redrew everything
// (then every pixel may have changed). A Draw that changed nothing gives an
// empty, non-nil list. The list is reused by the next call.
func (r *Renderer) Painted(b image.Rectangle) []image.Rectangle {
	if r.lastFull {
		return nil
	}
	out := r.painted[:0]
	for _, rc := range r.regions {
		if rc = rc.Intersect(b); !rc.Empty() {
			out = append(out, rc)
		}
	}
	if out == nil {
		out = []image.Rectangle{}
	}
	r.painted = out
	return out
}

// Invalidate makes the next Draw redraw everything (the screen was painted
// over, e.g. by an error banner).
func (r *Renderer) Invalidate() { r.stale = true }

// clip is dst restricted to g's device-pixel rectangle: drawing on it is
// clipped there, in the same coordinates.
func (r *Renderer) clip(dst *ebiten.Image, g scene.Group, scale float32) *ebiten.Image {
	return r.clipRect(dst, groupRect(g, scale))
}

// clipRect is dst restricted to rc (device pixels).
func (r *Renderer) clipRect(dst *ebiten.Image, rc image.Rectangle) *ebiten.Image {
	r.flush(dst)
	return dst.SubImage(rc.Intersect(dst.Bounds())).(*ebiten.Image)
}

// region repaints rc (device pixels) as a full redraw would: the
// background, then every group over rc, each clipped to its rectangle and
// rc, drawing only the items that reach into rc. Inside a single group, an
// opaque rectangle that fills rc (a panel's or plot's background) replaces
// the background and everything the group draws before it.
func (r *Renderer) region(dst *ebiten.Image, s *scene.Scene, rc image.Rectangle, scale float32) {
	rc = rc.Intersect(dst.Bounds())
	if rc.Empty() {
		return
	}
	over := r.over[:0]
	for k, g := range s.Groups {
		if groupRect(g, scale).Overlaps(rc) {
			over = append(over, k)
		}
	}
	r.over = over
	from := -1
	if len(over) == 1 {
		g := s.Groups[over[0]]
		if rc.In(groupRect(g, scale)) {
			from = coverFrom(s.Items[g.Start:g.End], rc, scale)
		}
	}
	if from < 0 {
		r.clipRect(dst, rc).Fill(s.Background)
	}
	for _, k := range over {
		g := s.Groups[k]
		its := s.Items[g.Start:g.End]
		if from >= 0 {
			its = its[from:]
		}
		c := groupRect(g, scale).Intersect(rc)
		r.items(r.clipRect(dst, c), its, scale, c)
	}
}

// items draws its onto dst; with a non-empty cull, only those that reach
// into it (device pixels).
func (r *Renderer) items(dst *ebiten.Image, its []scene.Item, scale float32, cull image.Rectangle) {
	for _, it := range its {
		if !cull.Empty() {
			if b, ok := itemBounds(it, scale); ok && !b.Overlaps(cull) {
				continue
			}
		}
		switch it := it.(type) {
		case scene.Rect:
			r.rect(dst, it, scale)
		case *scene.Rect:
			r.rect(dst, *it, scale)
		case scene.Line:
			r.line(dst, it, scale)
		case *scene.Line:
			r.line(dst, *it, scale)
		case scene.Circle:
			r.circle(dst, it, scale)
		case *scene.Circle:
			r.circle(dst, *it, scale)
		case scene.Polygon:
			r.polygon(dst, it, scale)
		case *scene.Polygon:
			r.polygon(dst, *it, scale)
		case scene.Text:
			r.text(dst, it, scale)
		case *scene.Text:
			r.text(dst, *it, scale)
		case scene.Raster:
			r.raster(dst, it, scale)
		case *scene.Raster:
			r.raster(dst, *it, scale)
		}
	}
	r.flush(dst)
}

// touch marks the cached rasters of its as used this frame.
func (r *Renderer) touch(its []scene.Item) {
	for _, it := range its {
		var key string
		switch it := it.(type) {
		case scene.Raster:
			key = it.Key
		case *scene.Raster:
			key = it.Key
		default:
			continue
		}
		if e := r.rasters[key]; e != nil && key != "" {
			e.lastUsed = r.frame
		}
	}
}

func finite(vs ...float32) bool {
	for _, v := range vs {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return false
		}
	}
	return true
}

func (r *Renderer) flush(dst *ebiten.Image) {
	if len(r.m.is) == 0 {
		return
	}
	r.glyphs.sheet.upload()
	dst.DrawTriangles(r.m.vs, r.m.is, r.glyphs.sheet.img, &ebiten.DrawTrianglesOptions{
		ColorScaleMode: ebiten.ColorScaleModePremultipliedAlpha,
	})
	r.m.reset()
}

func (r *Renderer) room(dst *ebiten.Image, n int) {
	if r.m.full(n) {
		r.flush(dst)
	}
}

func (r *Renderer) rect(dst *ebiten.Image, it scene.Rect, s float32) {
	if !finite(it.X, it.Y, it.W, it.H, it.StrokeWidth) || it.W < 0 || it.H < 0 {
		return
	}
	x0, y0 := float32(math.Round(float64(it.X*s))), float32(math.Round(float64(it.Y*s)))
	x1, y1 := float32(math.Round(float64((it.X+it.W)*s))), float32(math.Round(float64((it.Y+it.H)*s)))
	r.room(dst, 20)
	if it.Fill.A != 0 {
		// A rectangle thinner than a pixel still shows (bars, ticks).
		if x1 == x0 && it.W > 0 {
			x1 = x0 + 1
		}
		if y1 == y0 && it.H > 0 {
			y1 = y0 + 1
		}
		r.m.rect(x0, y0, x1, y1, it.Fill)
	}
	if it.Stroke.A != 0 && it.StrokeWidth > 0 {
		// Four crisp sides centred on the edges, corners not painted twice.
		w := it.StrokeWidth * s
		lx0, lx1 := snapSpan(it.X*s, w)
		rx0, rx1 := snapSpan((it.X+it.W)*s, w)
		ty0, ty1 := snapSpan(it.Y*s, w)
		by0, by1 := snapSpan((it.Y+it.H)*s, w)
		r.m.rect(lx0, ty0, rx1, ty1, it.Stroke)
		r.m.rect(lx0, by0, rx1, by1, it.Stroke)
		r.m.rect(lx0, ty1, lx1, by0, it.Stroke)
		r.m.rect(rx0, ty1, rx1, by0, it.Stroke)
	}
}

func (r *Renderer) line(dst *ebiten.Image, it scene.Line, s float32) {
	if it.Color.A == 0 || it.Width <= 0 || !finite(it.X0, it.Y0, it.X1, it.Y1, it.Width) {
		return
	}
	r.room(dst, 16)
	x0, y0, x1, y1, w := it.X0*s, it.Y0*s, it.X1*s, it.Y1*s, it.Width*s
	switch {
	case y0 == y1 && w >= 1: // horizontal: crisp
		a, b := snapSpan(y0, w)
		r.m.rect(float32(math.Round(float64(min(x0, x1)))), a, float32(math.Round(float64(max(x0, x1)))), b, it.Color)
	case x0 == x1 && w >= 1: // vertical: crisp
		a, b := snapSpan(x0, w)
		r.m.rect(a, float32(math.Round(float64(min(y0, y1)))), b, float32(math.Round(float64(max(y0, y1)))), it.Color)
	default:
		r.m.line(x0, y0, x1, y1, w, it.Color)
	}
}

func (r *Renderer) circle(dst *ebiten.Image, it scene.Circle, s float32) {
	if it.R <= 0 || !finite(it.X, it.Y, it.R, it.StrokeWidth) {
		return
	}
	r.room(dst, 4*129+2)
	if it.Fill.A != 0 {
		r.m.disc(it.X*s, it.Y*s, it.R*s, it.Fill)
	}
	if it.Stroke.A != 0 && it.StrokeWidth > 0 {
		r.m.circleOutline(it.X*s, it.Y*s, it.R*s, it.StrokeWidth*s, it.Stroke)
	}
}

func (r *Renderer) polygon(dst *ebiten.Image, it scene.Polygon, s float32) {
	n := min(len(it.Xs), len(it.Ys))
	if n < 3 || it.Fill.A == 0 || !finite(it.Xs[:n]...) || !finite(it.Ys[:n]...) {
		return
	}
	if convex(it.Xs[:n], it.Ys[:n]) {
		// A triangle fan covers a convex polygon exactly once (the GPU's
		// rasterisation rule gives a shared edge's pixels to one triangle):
		// batched with everything else.
		r.room(dst, n+8*n)
		base := uint16(len(r.m.vs))
		for i := 0; i < n; i++ {
			r.m.vertex(it.Xs[i]*s, it.Ys[i]*s, it.Fill, 1)
		}
		for i := 1; i+1 < n; i++ {
			r.m.is = append(r.m.is, base, base+uint16(i), base+uint16(i+1))
		}
	} else {
		r.stencilPolygon(dst, it, n, s)
	}
	// Opaque polygons (arrow heads) get a feathered rim so they do not look
	// jagged; a translucent one would show a darker seam, so it keeps none.
	if it.Fill.A == 255 {
		r.room(dst, 8*n)
		for i := 0; i < n; i++ {
			j := (i + 1) % n
			r.m.line(it.Xs[i]*s, it.Ys[i]*s, it.Xs[j]*s, it.Ys[j]*s, 1, it.Fill)
		}
	}
}

// convex reports whether the closed polygon turns the same way at every
// vertex (collinear vertices allowed) and goes round once (a star turns one
// way but winds twice).
func convex(xs, ys []float32) bool {
	n := len(xs)
	sign := 0
	turn := 0.0
	for i := 0; i < n; i++ {
		j, k := (i+1)%n, (i+2)%n
		ax, ay := float64(xs[j]-xs[i]), float64(ys[j]-ys[i])
		bx, by := float64(xs[k]-xs[j]), float64(ys[k]-ys[j])
		c := ax*by - ay*bx
		switch {
		case c > 0 && sign < 0, c < 0 && sign > 0:
			return false
		case c > 0:
			sign = 1
		case c < 0:
			sign = -1
		}
		turn += math.Atan2(c, ax*bx+ay*by)
	}
	return sign != 0 && math.Abs(math.Abs(turn)-2*math.Pi) < 1e-6
}

// stencilPolygon fills a general (possibly concave) polygon by the
// non-zero rule, which needs the stencil buffer: its own draw call.
func (r *Renderer) stencilPolygon(dst *ebiten.Image, it scene.Polygon, n int, s float32) {
	r.flush(dst)
	var p vector.Path
	p.MoveTo(it.Xs[0]*s, it.Ys[0]*s)
	for i := 1; i < n; i++ {
		p.LineTo(it.Xs[i]*s, it.Ys[i]*s)
	}
	p.Close()
	r.vertices, r.indices = p.AppendVerticesAndIndicesForFilling(r.vertices[:0], r.indices[:0])
	// color.RGBA is premultiplied, and so are these vertex colours.
	cr, cg, cb, ca := float32(it.Fill.R)/255, float32(it.Fill.G)/255, float32(it.Fill.B)/255, float32(it.Fill.A)/255
	for i := range r.vertices {
		v := &r.vertices[i]
		v.SrcX, v.SrcY = 1, 1
		v.ColorR, v.ColorG, v.ColorB, v.ColorA = cr, cg, cb, ca
	}
	r.glyphs.sheet.upload() // (it samples only the white block, uploaded at reset; kept in order all the same)
	dst.DrawTriangles(r.vertices, r.indices, r.glyphs.sheet.img, &ebiten.DrawTrianglesOptions{
		ColorScaleMode: ebiten.ColorScaleModePremultipliedAlpha,
		FillRule:       ebiten.FillRuleNonZero,
	})
}

func (r *Renderer) text(dst *ebiten.Image, it scene.Text, s float32) {
	if it.S == "" || it.Size <= 0 || it.Color.A == 0 || !finite(it.X, it.Y, it.Size) {
		return
	}
	r.glyphs.draw(&r.m, func(n int) { r.room(dst, n) }, it.S, it.X*s, it.Y*s, it.Size*s, it.Align, it.Color)
}

func (r *Renderer) raster(dst *ebiten.Image, it scene.Raster, s float32) {
	if it.Img == nil || it.W <= 0 || it.H <= 0 || !finite(it.X, it.Y, it.W, it.H) {
		return
	}
	b := it.Img.Bounds()
	if b.Empty() {
		return
	}
	r.flush(dst)
	e := r.rasters[it.Key]
	if base := r.rasters[it.Base]; e == nil && base != nil && it.Key != "" && it.Base != "" &&
		base.w == b.Dx() && base.h == b.Dy() && base.lastUsed != r.frame {
		// The picture named Base, changed in place: upload only the change.
		if c := it.Changed.Intersect(b); !c.Empty() {
			base.img.SubImage(c).(*ebiten.Image).WritePixels(r.subPixels(it.Img, c))
		}
		delete(r.rasters, it.Base)
		r.rasters[it.Key] = base
		e = base
		r.PartialUploads++
	}
	switch {
	case e != nil && it.Key != "" && e.w == b.Dx() && e.h == b.Dy():
		// Cached upload, unchanged content (the Key names it: a raster
		// drawn in two dirty regions of a frame is uploaded once).
	case e != nil && e.w == b.Dx() && e.h == b.Dy():
		// An empty Key means "no caching": upload every frame into the same image.
		e.img.WritePixels(pixels(it.Img))
	default:
		if e != nil {
			r.release(e.img)
		}
		img := r.take(b.Dx(), b.Dy())
		img.WritePixels(pixels(it.Img))
		e = &rasterEntry{img: img, w: b.Dx(), h: b.Dy()}
		r.rasters[it.Key] = e
	}
	e.lastUsed = r.frame
	op := &ebiten.DrawImageOptions{Filter: ebiten.FilterNearest}
	op.GeoM.Scale(float64(it.W*s)/float64(b.Dx()), float64(it.H*s)/float64(b.Dy()))
	op.GeoM.Translate(float64(it.X*s), float64(it.Y*s))
	dst.DrawImage(e.img, op)
}

// take returns an image of the size, reusing a spare one when possible.
func (r *Renderer) take(w, h int) *ebiten.Image {
	size := image.Pt(w, h)
	if imgs := r.spare[size]; len(imgs) > 0 {
		img := imgs[len(imgs)-1]
		r.spare[size] = imgs[:len(imgs)-1]
		return img
	}
	return ebiten.NewImage(w, h)
}

func (r *Renderer) release(img *ebiten.Image) {
	size := img.Bounds().Size()
	r.spare[size] = append(r.spare[size], img)
}

// subPixels returns the pixels of img inside c (within its bounds) tightly
// packed, in a buffer reused from call to call.
func (r *Renderer) subPixels(img *image.RGBA, c image.Rectangle) []byte {
	n := 4 * c.Dx() * c.Dy()
	if cap(r.pixBuf) < n {
		r.pixBuf = make([]byte, n)
	}
	out := r.pixBuf[:0]
	for y := c.Min.Y; y < c.Max.Y; y++ {
		off := img.PixOffset(c.Min.X, y)
		out = append(out, img.Pix[off:off+4*c.Dx()]...)
	}
	return out
}

// pixels returns img's pixels as tightly packed premultiplied RGBA, the
// layout WritePixels wants.
func pixels(img *image.RGBA) []byte {
	b := img.Bounds()
	if img.Stride == 4*b.Dx() {
		off := img.PixOffset(b.Min.X, b.Min.Y)
		return img.Pix[off : off+4*b.Dx()*b.Dy()]
	}
	out := make([]byte, 0, 4*b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		off := img.PixOffset(b.Min.X, y)
		out = append(out, img.Pix[off:off+4*b.Dx()]...)
	}
	return out
}

// banner draws an error line across the top of the screen.
func (r *Renderer) banner(dst *ebiten.Image, msg string, s float32) {
	w := float32(dst.Bounds().Dx())
	r.m.rect(0, 0, w, float32(math.Round(float64(28*s))), color.RGBA{0x8a, 0x1c, 0x1c, 0xf0})
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	r.glyphs.draw(&r.m, func(n int) { r.room(dst, n) }, msg, 8*s, 6*s, 14*s, scene.AlignLeft, color.RGBA{255, 255, 255, 255})
	r.flush(dst)
}
