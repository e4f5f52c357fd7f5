package ebitenview

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// Text is drawn from a cache of glyph images rasterised with
// golang.org/x/image/font/opentype from Go Regular: the same font file and
// rasteriser viz/scene measures and draws with, so layouts made with
// scene.TextWidth fit exactly. (Ebiten's text/v2 shapes every new string
// with a HarfBuzz port, which cost most of a frame's Go time in the
// browser and ~1 MB of wasm, for a font that needs no shaping.)

// glyphKey identifies a rasterised glyph: rune, size in quarter device
// pixels and horizontal subpixel phase in quarters of a pixel.
type glyphKey struct {
	r     rune
	size  int32
	phase uint8
}

type glyph struct {
	img  *ebiten.Image // nil for blank glyphs (space)
	x, y int           // offset of img from the pen position (integer part)
}

type textCache struct {
	font    *opentype.Font
	faces   map[int32]font.Face
	glyphs  map[glyphKey]glyph
	advance map[glyphKey]fixed.Int26_6 // phase 0: advance of rune at size

	// Whole strings, composed once from glyphs and drawn with one call per
	// Text item afterwards; dropped when a frame does not use them.
	lines map[lineKey]*lineEntry
	frame uint64
}

type lineKey struct {
	s     string
	size  int32
	phase uint8
}

type lineEntry struct {
	img      *ebiten.Image // nil for an all-blank string
	x, y     int           // offset of img from (pen x, top of line box), device pixels
	lastUsed uint64
}

func newTextCache() *textCache {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		panic("ebitenview: the embedded Go Regular font does not parse: " + err.Error())
	}
	return &textCache{font: f, faces: map[int32]font.Face{}, glyphs: map[glyphKey]glyph{},
		advance: map[glyphKey]fixed.Int26_6{}, lines: map[lineKey]*lineEntry{}}
}

func (tc *textCache) face(q int32) font.Face {
	f, ok := tc.faces[q]
	if !ok {
		var err error
		f, err = opentype.NewFace(tc.font, &opentype.FaceOptions{Size: float64(q) / 4, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			panic("ebitenview: opentype.NewFace: " + err.Error())
		}
		tc.faces[q] = f
	}
	return f
}

func (tc *textCache) glyph(k glyphKey) glyph {
	if g, ok := tc.glyphs[k]; ok {
		return g
	}
	if len(tc.glyphs) > 8192 { // many sizes come and go (zoom): start afresh
		for _, g := range tc.glyphs {
			if g.img != nil {
				g.img.Deallocate()
			}
		}
		clear(tc.glyphs)
	}
	dot := fixed.Point26_6{X: fixed.Int26_6(k.phase) * 16} // phase/4 of a pixel
	dr, mask, mp, _, ok := tc.face(k.size).Glyph(dot, k.r)
	var g glyph
	if ok && !dr.Empty() {
		// White with the glyph's coverage as alpha (premultiplied), tinted
		// at draw time by the ColorScale.
		img := image.NewRGBA(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		for y := 0; y < dr.Dy(); y++ {
			for x := 0; x < dr.Dx(); x++ {
				_, _, _, a := mask.At(mp.X+x, mp.Y+y).RGBA()
				v := uint8(a >> 8)
				i := img.PixOffset(x, y)
				img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = v, v, v, v
			}
		}
		g = glyph{img: ebiten.NewImageFromImage(img), x: dr.Min.X, y: dr.Min.Y}
	}
	tc.glyphs[k] = g
	return g
}

// advanceOf caches face.GlyphAdvance (an sfnt table walk) per rune and size.
func (tc *textCache) advanceOf(face font.Face, r rune, q int32) fixed.Int26_6 {
	k := glyphKey{r: r, size: q}
	a, ok := tc.advance[k]
	if !ok {
		a, _ = face.GlyphAdvance(r)
		if len(tc.advance) > 1<<16 {
			clear(tc.advance)
		}
		tc.advance[k] = a
	}
	return a
}

// draw paints s with its line box's top-left at (x, y) in device pixels,
// at size px, aligned by align, in colour c.
func (tc *textCache) draw(dst *ebiten.Image, s string, x, y, size float32, align scene.Align, c color.RGBA) {
	q := int32(math.Round(float64(size) * 4))
	if q <= 0 {
		return
	}
	switch align {
	case scene.AlignCenter:
		x -= scene.TextWidth(s, size) / 2
	case scene.AlignRight:
		x -= scene.TextWidth(s, size)
	}
	top := float32(math.Round(float64(y)))
	pen := fixed.Int26_6(math.Round(float64(x) * 64))
	ix := pen.Floor()
	phase := uint8((pen - fixed.I(ix)) / 16) // quarter pixels: 0..3
	k := lineKey{s: s, size: q, phase: phase}
	e := tc.lines[k]
	if e == nil {
		e = tc.compose(k, size)
		tc.lines[k] = e
	}
	e.lastUsed = tc.frame
	if e.img == nil {
		return
	}
	op := &ebiten.DrawImageOptions{}
	op.ColorScale.ScaleWithColor(c)
	op.GeoM.Translate(float64(ix+e.x), float64(int(top)+e.y))
	dst.DrawImage(e.img, op)
}

// compose draws the glyphs of k.s onto a new image (on the GPU).
func (tc *textCache) compose(k lineKey, size float32) *lineEntry {
	face := tc.face(k.size)
	ascent := int(math.Round(float64(scene.Metrics(size).Ascent)))
	type placed struct {
		g    glyph
		x, y int
	}
	var gs []placed
	minX, minY, maxX, maxY := math.MaxInt, math.MaxInt, math.MinInt, math.MinInt
	pen := fixed.Int26_6(k.phase) * 16
	prev := rune(-1)
	for _, r := range k.s {
		if prev >= 0 {
			pen += face.Kern(prev, r)
		}
		ix := pen.Floor()
		ph := uint8((pen - fixed.I(ix)) / 16)
		if g := tc.glyph(glyphKey{r: r, size: k.size, phase: ph}); g.img != nil {
			b := g.img.Bounds()
			p := placed{g: g, x: ix + g.x, y: ascent + g.y}
			gs = append(gs, p)
			minX, minY = min(minX, p.x), min(minY, p.y)
			maxX, maxY = max(maxX, p.x+b.Dx()), max(maxY, p.y+b.Dy())
		}
		pen += tc.advanceOf(face, r, k.size)
		prev = r
	}
	if len(gs) == 0 {
		return &lineEntry{}
	}
	img := ebiten.NewImage(maxX-minX, maxY-minY)
	for _, p := range gs {
		op := &ebiten.DrawImageOptions{}
		op.GeoM.Translate(float64(p.x-minX), float64(p.y-minY))
		img.DrawImage(p.g.img, op)
	}
	return &lineEntry{img: img, x: minX, y: minY}
}

// endFrame frees the strings the frame did not draw.
func (tc *textCache) endFrame() {
	for k, e := range tc.lines {
		if e.lastUsed != tc.frame {
			if e.img != nil {
				e.img.Deallocate()
			}
			delete(tc.lines, k)
		}
	}
	tc.frame++
}
