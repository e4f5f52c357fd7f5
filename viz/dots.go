package viz

import (
	"image"
	"image/color"
	"math"
)

// Many points are painted into one image.RGBA (a scene.Raster) instead of
// one scene item each: thousands of circles per frame would cost the
// renderer milliseconds, one cached raster costs nothing until it changes.

// blend composites premultiplied colour c with coverage cov over dst pixel (x, y).
func blend(img *image.RGBA, x, y int, c color.RGBA, cov float64) {
	if cov <= 0 || !(image.Point{x, y}.In(img.Rect)) {
		return
	}
	if cov > 1 {
		cov = 1
	}
	i := img.PixOffset(x, y)
	px := img.Pix[i : i+4 : i+4]
	a := float64(c.A) * cov / 255
	px[0] = uint8(float64(c.R)*cov + float64(px[0])*(1-a) + 0.5)
	px[1] = uint8(float64(c.G)*cov + float64(px[1])*(1-a) + 0.5)
	px[2] = uint8(float64(c.B)*cov + float64(px[2])*(1-a) + 0.5)
	px[3] = uint8(float64(c.A)*cov + float64(px[3])*(1-a) + 0.5)
}

// drawDot paints a disc of radius r (fill) with a ring of width sw (stroke)
// centred at (cx, cy), anti-aliased by distance (one-pixel ramp).
func drawDot(img *image.RGBA, cx, cy, r float64, fill, stroke color.RGBA, sw float64) {
	R := r + sw/2 + 1
	x0, x1 := int(math.Floor(cx-R)), int(math.Ceil(cx+R))
	y0, y1 := int(math.Floor(cy-R)), int(math.Ceil(cy+R))
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			dist := math.Sqrt(dx*dx + dy*dy)
			if fill.A > 0 {
				blend(img, x, y, fill, r-dist+0.5)
			}
			if stroke.A > 0 && sw > 0 {
				cov := math.Min(dist-(r-sw/2)+0.5, r+sw/2-dist+0.5)
				blend(img, x, y, stroke, math.Min(cov, 1))
			}
		}
	}
}

// stamp is a pre-rendered dot, painted at integer pixel centres: thousands
// of dots cost a blend per covered pixel and no square roots.
type stamp struct {
	r   int // half size
	img *image.RGBA
}

func newStamp(rad float64, fill, stroke color.RGBA, sw float64) stamp {
	R := int(math.Ceil(rad + sw/2 + 1))
	img := image.NewRGBA(image.Rect(0, 0, 2*R+1, 2*R+1))
	drawDot(img, float64(R)+0.5, float64(R)+0.5, rad, fill, stroke, sw)
	return stamp{r: R, img: img}
}

// bounds is the pixel rectangle paint(dst, x, y) may touch.
func (s stamp) bounds(x, y float64) image.Rectangle {
	x0, y0 := int(math.Floor(x))-s.r, int(math.Floor(y))-s.r
	return image.Rect(x0, y0, x0+2*s.r+1, y0+2*s.r+1)
}

// paint composites the stamp centred at (x, y) over dst.
func (s stamp) paint(dst *image.RGBA, x, y float64) {
	x0, y0 := int(math.Floor(x))-s.r, int(math.Floor(y))-s.r
	w := 2*s.r + 1
	for dy := 0; dy < w; dy++ {
		yy := y0 + dy
		if yy < dst.Rect.Min.Y || yy >= dst.Rect.Max.Y {
			continue
		}
		for dx := 0; dx < w; dx++ {
			xx := x0 + dx
			if xx < dst.Rect.Min.X || xx >= dst.Rect.Max.X {
				continue
			}
			si := s.img.PixOffset(dx, dy)
			sa := s.img.Pix[si+3]
			if sa == 0 {
				continue
			}
			di := dst.PixOffset(xx, yy)
			k := 255 - uint32(sa)
			for c := 0; c < 4; c++ {
				dst.Pix[di+c] = uint8(uint32(s.img.Pix[si+c]) + (uint32(dst.Pix[di+c])*k+127)/255)
			}
		}
	}
}
