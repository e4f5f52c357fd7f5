package ebitenview

import (
	"bytes"
	"image"
	"image/color"
	"log"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// Renderer draws scenes onto Ebiten images. It caches the font faces and
// the GPU copies of rasters (by Key) between frames.
type Renderer struct {
	font  *text.GoTextFaceSource
	faces map[float32]*text.GoTextFace

	rasters map[string]*rasterEntry
	frame   uint64

	white    *ebiten.Image // 1×1 white source for polygons
	vertices []ebiten.Vertex
	indices  []uint16
}

type rasterEntry struct {
	img      *ebiten.Image
	w, h     int
	lastUsed uint64
}

var bannerBG = color.RGBA{0x12, 0x16, 0x1a, 0xff}

// NewRenderer loads the Go Regular font (the one viz/scene.TextWidth measures with).
func NewRenderer() *Renderer {
	src, err := text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF))
	if err != nil {
		panic("ebitenview: the embedded Go Regular font does not load: " + err.Error())
	}
	white := ebiten.NewImage(3, 3)
	white.Fill(color.White)
	return &Renderer{
		font:    src,
		faces:   map[float32]*text.GoTextFace{},
		rasters: map[string]*rasterEntry{},
		white:   white.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image),
	}
}

// Draw paints s onto dst, scaling logical pixels by scale.
func (r *Renderer) Draw(dst *ebiten.Image, s *scene.Scene, scale float32) {
	r.frame++
	dst.Fill(s.Background)
	for _, it := range s.Items {
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
	// Free the GPU copies of rasters that left the scene.
	for k, e := range r.rasters {
		if e.lastUsed != r.frame {
			e.img.Deallocate()
			delete(r.rasters, k)
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

func (r *Renderer) rect(dst *ebiten.Image, it scene.Rect, s float32) {
	if !finite(it.X, it.Y, it.W, it.H, it.StrokeWidth) || it.W < 0 || it.H < 0 {
		return
	}
	x, y, w, h := it.X*s, it.Y*s, it.W*s, it.H*s
	if it.Fill.A != 0 {
		vector.DrawFilledRect(dst, x, y, w, h, it.Fill, false)
	}
	if it.Stroke.A != 0 && it.StrokeWidth > 0 {
		vector.StrokeRect(dst, x, y, w, h, it.StrokeWidth*s, it.Stroke, true)
	}
}

func (r *Renderer) line(dst *ebiten.Image, it scene.Line, s float32) {
	if it.Color.A == 0 || it.Width <= 0 || !finite(it.X0, it.Y0, it.X1, it.Y1, it.Width) {
		return
	}
	vector.StrokeLine(dst, it.X0*s, it.Y0*s, it.X1*s, it.Y1*s, it.Width*s, it.Color, true)
}

func (r *Renderer) circle(dst *ebiten.Image, it scene.Circle, s float32) {
	if it.R <= 0 || !finite(it.X, it.Y, it.R, it.StrokeWidth) {
		return
	}
	if it.Fill.A != 0 {
		vector.DrawFilledCircle(dst, it.X*s, it.Y*s, it.R*s, it.Fill, true)
	}
	if it.Stroke.A != 0 && it.StrokeWidth > 0 {
		vector.StrokeCircle(dst, it.X*s, it.Y*s, it.R*s, it.StrokeWidth*s, it.Stroke, true)
	}
}

func (r *Renderer) polygon(dst *ebiten.Image, it scene.Polygon, s float32) {
	n := min(len(it.Xs), len(it.Ys))
	if n < 3 || it.Fill.A == 0 || !finite(it.Xs[:n]...) || !finite(it.Ys[:n]...) {
		return
	}
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
	op := &ebiten.DrawTrianglesOptions{
		ColorScaleMode: ebiten.ColorScaleModePremultipliedAlpha,
		FillRule:       ebiten.FillRuleNonZero,
		AntiAlias:      true,
	}
	dst.DrawTriangles(r.vertices, r.indices, r.white, op)
}

func (r *Renderer) face(size float32) *text.GoTextFace {
	// Quantise so a continuously changing size cannot fill the cache.
	size = float32(math.Round(float64(size)*4) / 4)
	f, ok := r.faces[size]
	if !ok {
		if len(r.faces) > 64 {
			clear(r.faces)
		}
		f = &text.GoTextFace{Source: r.font, Size: float64(size)}
		r.faces[size] = f
	}
	return f
}

func (r *Renderer) text(dst *ebiten.Image, it scene.Text, s float32) {
	if it.S == "" || it.Size <= 0 || it.Color.A == 0 || !finite(it.X, it.Y, it.Size) {
		return
	}
	op := &text.DrawOptions{}
	op.GeoM.Translate(float64(it.X*s), float64(it.Y*s))
	op.ColorScale.ScaleWithColor(it.Color)
	switch it.Align {
	case scene.AlignCenter:
		op.PrimaryAlign = text.AlignCenter
	case scene.AlignRight:
		op.PrimaryAlign = text.AlignEnd
	}
	text.Draw(dst, it.S, r.face(it.Size*s), op)
}

func (r *Renderer) raster(dst *ebiten.Image, it scene.Raster, s float32) {
	if it.Img == nil || it.W <= 0 || it.H <= 0 || !finite(it.X, it.Y, it.W, it.H) {
		return
	}
	b := it.Img.Bounds()
	if b.Empty() {
		return
	}
	e := r.rasters[it.Key]
	switch {
	case e != nil && it.Key != "" && e.w == b.Dx() && e.h == b.Dy() && e.lastUsed != r.frame:
		// Cached upload, unchanged content.
	case e != nil && e.w == b.Dx() && e.h == b.Dy():
		// An empty Key means "no caching": upload every frame into the same image.
		e.img.WritePixels(pixels(it.Img))
	default:
		if e != nil {
			e.img.Deallocate()
		}
		img := ebiten.NewImage(b.Dx(), b.Dy())
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
	vector.DrawFilledRect(dst, 0, 0, w, 28*s, color.RGBA{0x8a, 0x1c, 0x1c, 0xf0}, false)
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	op := &text.DrawOptions{}
	op.GeoM.Translate(float64(8*s), float64(6*s))
	op.ColorScale.ScaleWithColor(color.White)
	text.Draw(dst, msg, r.face(14*s), op)
}

var _ = log.Printf
