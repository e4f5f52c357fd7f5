package scene

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Rasterize paints s into a new s.W×s.H image, one pixel per logical pixel.
// See RasterizeScaled.
func Rasterize(s *Scene) *image.RGBA { return RasterizeScaled(s, 1) }

// RasterizeScaled paints s into a new image of ceil(W·k)×ceil(H·k) pixels
// (k > 0; k = 2 gives a sharp PNG for a high-density screen). It is the
// software twin of the Ebiten renderer, used by tests and for PNG export:
//
//   - The image is first filled with s.Background (transparent if its
//     alpha is 0), then items are composited in order with Porter-Duff
//     "over", anti-aliased by exact area coverage (golang.org/x/image/vector).
//   - Colours are color.RGBA, which Go and Ebiten both read as
//     alpha-premultiplied; a Fill or Stroke with alpha 0 is not drawn, and
//     an invalid colour with R, G or B above A is clamped to A (use
//     Translucent to make translucent colours).
//   - Rect and Circle strokes are centred on the outline (half inside, half
//     outside, mitred corners), as Ebiten's vector.StrokeRect/StrokeCircle.
//     Fill is painted before stroke. As in the Ebiten renderer, nothing is
//     drawn for a stroke or Line width <= 0, a Rect with W or H < 0, or a
//     Circle with R <= 0.
//   - Line has butt caps; a zero-length line is not drawn.
//   - Pointer items (*Rect, *Line, ...) are drawn like values.
//   - Polygon is filled by the non-zero rule (x/image/vector's |winding|
//     clamped to 1); fewer than three points draw nothing.
//   - Text: see the convention in text.go (Y is the top of the line box).
//   - Raster: the image is scaled into (X, Y, W, H) by nearest neighbour,
//     sampling the source pixel under each destination pixel centre.
//   - Items with a NaN or infinite coordinate are skipped; geometry outside
//     the frame is clipped.
//
// Cost: O(W·H) for the background plus, per item, O(area of its bounding
// box ∩ frame) (text: O(glyphs · glyph area)). Safe for concurrent use.
func RasterizeScaled(s *Scene, k float32) *image.RGBA {
	if !(k > 0) || math.IsInf(float64(k), 0) {
		panic("scene: RasterizeScaled needs a finite scale > 0")
	}
	w := int(math.Ceil(float64(float32(max(s.W, 0)) * k)))
	h := int(math.Ceil(float64(float32(max(s.H, 0)) * k)))
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if s.Background.A != 0 {
		draw.Draw(dst, dst.Bounds(), image.NewUniform(s.Background), image.Point{}, draw.Src)
	}
	r := &renderer{dst: dst, k: k}
	for _, it := range s.Items {
		r.item(it)
	}
	return dst
}

type pt struct{ x, y float32 }

type renderer struct {
	dst  *image.RGBA
	k    float32
	ras  vector.Rasterizer
	uni  image.Uniform
	unit map[int][]pt // unit circles by vertex count
}

func finite(vs ...float32) bool {
	for _, v := range vs {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return false
		}
	}
	return true
}

func (r *renderer) item(it Item) {
	k := r.k
	switch v := it.(type) {
	case *Rect:
		r.item(*v)
	case *Line:
		r.item(*v)
	case *Circle:
		r.item(*v)
	case *Polygon:
		r.item(*v)
	case *Text:
		r.item(*v)
	case *Raster:
		r.item(*v)
	case Rect:
		if !finite(v.X, v.Y, v.W, v.H, v.StrokeWidth) || v.W < 0 || v.H < 0 {
			return
		}
		x, y, w, h := v.X*k, v.Y*k, v.W*k, v.H*k
		if v.Fill.A != 0 && w > 0 && h > 0 {
			r.fill(v.Fill, rectContour(x, y, x+w, y+h, false))
		}
		if v.Stroke.A != 0 && v.StrokeWidth > 0 {
			sw := v.StrokeWidth * k
			outer := rectContour(x-sw/2, y-sw/2, x+w+sw/2, y+h+sw/2, false)
			if w > sw && h > sw {
				r.fill(v.Stroke, outer, rectContour(x+sw/2, y+sw/2, x+w-sw/2, y+h-sw/2, true))
			} else {
				r.fill(v.Stroke, outer)
			}
		}
	case Line:
		if !finite(v.X0, v.Y0, v.X1, v.Y1, v.Width) || v.Color.A == 0 || v.Width <= 0 {
			return
		}
		x0, y0, x1, y1 := v.X0*k, v.Y0*k, v.X1*k, v.Y1*k
		dx, dy := x1-x0, y1-y0
		l := float32(math.Hypot(float64(dx), float64(dy)))
		if l == 0 {
			return
		}
		hw := v.Width * k / 2
		nx, ny := -dy/l*hw, dx/l*hw
		r.fill(v.Color, []pt{{x0 + nx, y0 + ny}, {x1 + nx, y1 + ny}, {x1 - nx, y1 - ny}, {x0 - nx, y0 - ny}})
	case Circle:
		if !finite(v.X, v.Y, v.R, v.StrokeWidth) || v.R <= 0 {
			return
		}
		cx, cy, rad := v.X*k, v.Y*k, v.R*k
		if v.Fill.A != 0 {
			r.fill(v.Fill, r.circleContour(cx, cy, rad, false))
		}
		if v.Stroke.A != 0 && v.StrokeWidth > 0 {
			sw := v.StrokeWidth * k
			outer := r.circleContour(cx, cy, rad+sw/2, false)
			if in := rad - sw/2; in > 0 {
				r.fill(v.Stroke, outer, r.circleContour(cx, cy, in, true))
			} else {
				r.fill(v.Stroke, outer)
			}
		}
	case Polygon:
		n := min(len(v.Xs), len(v.Ys))
		if n < 3 || v.Fill.A == 0 {
			return
		}
		c := make([]pt, n)
		for i := range n {
			if !finite(v.Xs[i], v.Ys[i]) {
				return
			}
			c[i] = pt{v.Xs[i] * k, v.Ys[i] * k}
		}
		r.fill(v.Fill, c)
	case Text:
		r.text(v)
	case Raster:
		r.raster(v)
	}
}

// rectContour is the outline of [x0,x1]×[y0,y1], clockwise on screen, or
// counter-clockwise when reverse (to cut a hole under the non-zero rule).
func rectContour(x0, y0, x1, y1 float32, reverse bool) []pt {
	if reverse {
		return []pt{{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}}
	}
	return []pt{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}

// circleContour flattens a circle into a regular polygon whose chords stray
// at most ~0.02 px from the true circle (≤ 4096 vertices).
func (r *renderer) circleContour(cx, cy, rad float32, reverse bool) []pt {
	const tol = 0.02
	n := 8
	if rad > tol {
		n = int(math.Ceil(math.Pi / math.Acos(1-tol/float64(rad))))
	}
	n = max(8, min(n, 4096))
	u, ok := r.unit[n]
	if !ok {
		u = make([]pt, n)
		for i := range n {
			a := 2 * math.Pi * float64(i) / float64(n)
			u[i] = pt{float32(math.Cos(a)), float32(math.Sin(a))}
		}
		if r.unit == nil {
			r.unit = make(map[int][]pt)
		}
		r.unit[n] = u
	}
	c := make([]pt, n)
	for i, p := range u {
		if reverse {
			p.y = -p.y // the same points, clockwise ↔ counter-clockwise
		}
		c[i] = pt{cx + rad*p.x, cy + rad*p.y}
	}
	return c
}

// fill paints the union (non-zero rule) of the closed contours in c.
// Contours are clipped first, so huge coordinates cost nothing and never
// overflow the rasteriser's fixed point, and the rasteriser only covers the
// clipped bounding box. A tall shape is done in bands of bandH rows, each
// over its own x extent, so that a long thin diagonal line costs about its
// length, not the area of its bounding box.
func (r *renderer) fill(c color.RGBA, contours ...[]pt) {
	c = premul(c)
	b := r.dst.Bounds()
	minX, minY := float32(math.Inf(1)), float32(math.Inf(1))
	maxX, maxY := float32(math.Inf(-1)), float32(math.Inf(-1))
	for _, ct := range contours {
		for _, p := range ct {
			minX, minY = min(minX, p.x), min(minY, p.y)
			maxX, maxY = max(maxX, p.x), max(maxY, p.y)
		}
	}
	box := image.Rect(
		int(math.Floor(float64(max(minX, -1)))), int(math.Floor(float64(max(minY, -1)))),
		int(math.Ceil(float64(min(maxX, float32(b.Max.X+1))))), int(math.Ceil(float64(min(maxY, float32(b.Max.Y+1))))),
	).Intersect(b)
	if box.Empty() {
		return
	}
	// Outside the box by one pixel: left of it, winding still counts (the
	// rasteriser folds x < 0 into column 0); beyond the other sides nothing
	// is visible.
	xlo, xhi := float32(box.Min.X)-1, float32(box.Max.X)+1
	const bandH = 16
	if box.Dy() <= 2*bandH || box.Dx()*box.Dy() <= 1<<14 {
		lo, hi := pt{xlo, float32(box.Min.Y) - 1}, pt{xhi, float32(box.Max.Y) + 1}
		cs := make([][]pt, 0, len(contours))
		for _, ct := range contours {
			cs = append(cs, clipContour(ct, lo, hi))
		}
		r.fillBox(c, box, cs)
		return
	}
	cs := make([][]pt, 0, len(contours))
	if box.Dx() > box.Dy() { // wide: vertical strips, each over its own y extent
		ylo, yhi := float32(box.Min.Y)-1, float32(box.Max.Y)+1
		for x0 := box.Min.X; x0 < box.Max.X; x0 += bandH {
			x1 := min(x0+bandH, box.Max.X)
			cs = cs[:0]
			by0, by1 := float32(math.Inf(1)), float32(math.Inf(-1))
			for _, ct := range contours {
				cc := clipContour(ct, pt{float32(x0), ylo}, pt{float32(x1), yhi})
				if len(cc) < 3 {
					continue
				}
				for _, p := range cc {
					by0, by1 = min(by0, p.y), max(by1, p.y)
				}
				cs = append(cs, cc)
			}
			if len(cs) > 0 {
				r.fillBox(c, image.Rect(x0, int(math.Floor(float64(by0))), x1, int(math.Ceil(float64(by1)))).Intersect(box), cs)
			}
		}
		return
	}
	for y0 := box.Min.Y; y0 < box.Max.Y; y0 += bandH {
		y1 := min(y0+bandH, box.Max.Y)
		cs = cs[:0]
		bx0, bx1 := float32(math.Inf(1)), float32(math.Inf(-1))
		for _, ct := range contours {
			cc := clipContour(ct, pt{xlo, float32(y0)}, pt{xhi, float32(y1)})
			if len(cc) < 3 {
				continue
			}
			for _, p := range cc {
				bx0, bx1 = min(bx0, p.x), max(bx1, p.x)
			}
			cs = append(cs, cc)
		}
		if len(cs) > 0 {
			r.fillBox(c, image.Rect(int(math.Floor(float64(bx0))), y0, int(math.Ceil(float64(bx1))), y1).Intersect(box), cs)
		}
	}
}

// fillBox rasterises already clipped contours as a mask over box and
// composites c through it.
func (r *renderer) fillBox(c color.RGBA, box image.Rectangle, contours [][]pt) {
	if box.Empty() {
		return
	}
	r.ras.Reset(box.Dx(), box.Dy())
	ox, oy := float32(box.Min.X), float32(box.Min.Y)
	for _, ct := range contours {
		if len(ct) < 3 {
			continue
		}
		r.ras.MoveTo(ct[0].x-ox, ct[0].y-oy)
		for _, p := range ct[1:] {
			r.ras.LineTo(p.x-ox, p.y-oy)
		}
		r.ras.ClosePath()
	}
	r.ras.DrawOp = draw.Over
	r.uni.C = c
	r.ras.Draw(r.dst, box, &r.uni, image.Point{})
}

// premul clamps the channels of an invalid premultiplied colour to its
// alpha (the rasteriser's integer blending would otherwise wrap around).
func premul(c color.RGBA) color.RGBA {
	c.R, c.G, c.B = min(c.R, c.A), min(c.G, c.A), min(c.B, c.A)
	return c
}

// clipContour clips a closed contour to the rectangle [lo, hi]
// (Sutherland–Hodgman). Against a convex window it keeps the winding number
// of every point inside the window, which is all the fill needs.
func clipContour(c []pt, lo, hi pt) []pt {
	inWindow := true
	for _, p := range c {
		if p.x < lo.x || p.x > hi.x || p.y < lo.y || p.y > hi.y {
			inWindow = false
			break
		}
	}
	if inWindow {
		return c
	}
	inside := [4]func(p pt) bool{
		func(p pt) bool { return p.x >= lo.x },
		func(p pt) bool { return p.x <= hi.x },
		func(p pt) bool { return p.y >= lo.y },
		func(p pt) bool { return p.y <= hi.y },
	}
	cut := [4]func(a, b pt) pt{
		func(a, b pt) pt { return atX(a, b, lo.x) },
		func(a, b pt) pt { return atX(a, b, hi.x) },
		func(a, b pt) pt { return atY(a, b, lo.y) },
		func(a, b pt) pt { return atY(a, b, hi.y) },
	}
	for e := range 4 {
		if len(c) == 0 {
			return nil
		}
		out := make([]pt, 0, len(c)+4)
		prev := c[len(c)-1]
		for _, cur := range c {
			pin, cin := inside[e](prev), inside[e](cur)
			switch {
			case cin && !pin:
				out = append(out, cut[e](prev, cur), cur)
			case cin:
				out = append(out, cur)
			case pin:
				out = append(out, cut[e](prev, cur))
			}
			prev = cur
		}
		c = out
	}
	return c
}

func atX(a, b pt, x float32) pt {
	t := (x - a.x) / (b.x - a.x)
	return pt{x, a.y + t*(b.y-a.y)}
}

func atY(a, b pt, y float32) pt {
	t := (y - a.y) / (b.y - a.y)
	return pt{a.x + t*(b.x-a.x), y}
}

// text draws v with the cached Go Regular face at v.Size·k; the baseline is
// at Y + Ascent, the left edge moved by the alignment using TextWidth.
func (r *renderer) text(v Text) {
	if v.S == "" || v.Color.A == 0 || !(v.Size > 0) || !finite(v.X, v.Y, v.Size) {
		return
	}
	k := r.k
	size := v.Size * k
	x := v.X * k
	switch v.Align {
	case AlignCenter:
		x -= TextWidth(v.S, size) / 2
	case AlignRight:
		x -= TextWidth(v.S, size)
	}
	y := v.Y*k + Metrics(size).Ascent
	// Far outside the frame: nothing to draw (and fixed.Int26_6 would overflow).
	b := r.dst.Bounds()
	if y-size*2 > float32(b.Max.Y) || y+size*2 < 0 || x > float32(b.Max.X) || x < -1e6 {
		return
	}
	f := faceFor(size)
	f.mu.Lock()
	defer f.mu.Unlock()
	d := font.Drawer{
		Dst:  r.dst,
		Src:  image.NewUniform(premul(v.Color)),
		Face: f.face,
		Dot:  fixed.Point26_6{X: fixed.Int26_6(math.Round(float64(x) * 64)), Y: fixed.Int26_6(math.Round(float64(y) * 64))},
	}
	d.DrawString(v.S)
}

// raster composites v.Img scaled into (X, Y, W, H) by nearest neighbour.
func (r *renderer) raster(v Raster) {
	if v.Img == nil || !finite(v.X, v.Y, v.W, v.H) || v.W <= 0 || v.H <= 0 {
		return
	}
	sb := v.Img.Bounds()
	if sb.Empty() {
		return
	}
	k := float64(r.k)
	x0, y0 := float64(v.X)*k, float64(v.Y)*k
	w, h := float64(v.W)*k, float64(v.H)*k
	// Destination pixels whose centre lies in [x0, x0+w) × [y0, y0+h).
	box := image.Rect(
		int(math.Ceil(x0-0.5)), int(math.Ceil(y0-0.5)),
		int(math.Ceil(x0+w-0.5)), int(math.Ceil(y0+h-0.5)),
	).Intersect(r.dst.Bounds())
	if box.Empty() {
		return
	}
	sw, sh := float64(sb.Dx()), float64(sb.Dy())
	sxs := make([]int, box.Dx())
	for i := range sxs {
		sx := int(math.Floor((float64(box.Min.X+i) + 0.5 - x0) / w * sw))
		sxs[i] = sb.Min.X + min(max(sx, 0), sb.Dx()-1)
	}
	dst := r.dst
	for py := box.Min.Y; py < box.Max.Y; py++ {
		sy := int(math.Floor((float64(py) + 0.5 - y0) / h * sh))
		sy = sb.Min.Y + min(max(sy, 0), sb.Dy()-1)
		di := dst.PixOffset(box.Min.X, py)
		for _, sx := range sxs {
			si := v.Img.PixOffset(sx, sy)
			s := v.Img.Pix[si : si+4 : si+4]
			d := dst.Pix[di : di+4 : di+4]
			switch a := uint32(s[3]); a {
			case 0xff:
				copy(d, s)
			case 0:
				// Premultiplied: a transparent source pixel adds its colour
				// channels (normally zero) and leaves the destination.
				if s[0]|s[1]|s[2] != 0 {
					for c := range 3 {
						d[c] = uint8(min(uint32(d[c])+uint32(s[c]), 0xff))
					}
				}
			default:
				for c := range 4 {
					d[c] = uint8(min(uint32(s[c])+(uint32(d[c])*(0xff-a)+0x7f)/0xff, 0xff))
				}
			}
			di += 4
		}
	}
}
