package ebitenview

import (
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hsrviz/hsrviz/assets"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// Text is drawn from glyphs rasterised with golang.org/x/image/font/opentype
// from Go Regular: the same font file and rasteriser viz/scene measures and
// draws with, so layouts made with scene.TextWidth fit exactly. (Ebiten's
// text/v2 shapes every new string with a HarfBuzz port, which cost most of
// a frame's Go time in the browser and ~1 MB of wasm, for a font that needs
// no shaping.)
//
// The glyphs live on one sheet (an image that also holds the white block
// every shape samples), so a glyph is two more triangles in the renderer's
// mesh: the text and the shapes of a panel go to the GPU in one draw call,
// in order, instead of a call per string and per switch between text and
// shapes. A string's layout (its glyphs' places) is cached between frames.
//
// New glyphs reach the sheet's texture in one upload per shelf, just
// before the next draw that samples the sheet (sheet.upload), not one per
// glyph: the first frame rasterises ~350 glyphs, and each WritePixels was
// a texSubImage2D of its own (~30 ms of the first frame in the browser).

// glyphKey identifies a rasterised glyph: rune, size in quarter device
// pixels and horizontal subpixel phase in quarters of a pixel.
type glyphKey struct {
	r     rune
	size  int32
	phase uint8
}

// sheetGlyph is a glyph's place on the sheet and its offset from the pen.
type sheetGlyph struct {
	sx, sy, w, h int // on the sheet; w == 0 for a blank glyph (space)
	x, y         int // offset of the bitmap from the pen position (integer part)
}

// sheet packs glyph bitmaps in shelves on one image, after a 3×3 white
// block at the origin (shapes sample its centre, SrcX = SrcY = 1).
type sheet struct {
	img        *ebiten.Image
	size       int
	x, y, rowH int // the shelf being filled
	gen        int // bumped when the sheet is cleared: cached layouts are stale
	glyphs     map[glyphKey]*sheetGlyph

	// Glyphs placed but not yet on the texture, in the order placed (so
	// by shelf, left to right within one).
	pending []pendingGlyph
}

// pendingGlyph is a glyph's premultiplied RGBA bitmap and its place.
type pendingGlyph struct {
	x, y, w, h int
	pix        []byte
}

const (
	sheetMin = 1024
	sheetMax = 4096
	sheetPad = 1 // transparent pixels around every glyph (nearest sampling never bleeds)
)

func newSheet(size int) *sheet {
	s := &sheet{size: size}
	s.reset()
	return s
}

// reset empties the sheet (a new image when the size changed).
func (s *sheet) reset() {
	if s.img == nil || s.img.Bounds().Dx() != s.size {
		if s.img != nil {
			s.img.Deallocate()
		}
		s.img = ebiten.NewImage(s.size, s.size)
	} else {
		s.img.Clear()
	}
	white := make([]byte, 3*3*4)
	for i := range white {
		white[i] = 0xff
	}
	s.img.SubImage(image.Rect(0, 0, 3, 3)).(*ebiten.Image).WritePixels(white)
	s.x, s.y, s.rowH = 3+sheetPad, 0, 3
	s.gen++
	s.glyphs = map[glyphKey]*sheetGlyph{}
	s.pending = s.pending[:0]
}

// upload writes the pending glyphs to the texture, a WritePixels per
// shelf (shelfSpans).
func (s *sheet) upload() {
	for _, sp := range shelfSpans(s.pending) {
		s.img.SubImage(sp.r).(*ebiten.Image).WritePixels(sp.pix)
	}
	clear(s.pending)
	s.pending = s.pending[:0]
}

// glyphSpan is a rectangle of the sheet and its premultiplied RGBA pixels.
type glyphSpan struct {
	r   image.Rectangle
	pix []byte
}

// shelfSpans gathers pending glyphs (in the order placed) into one span
// per shelf: from the first pending glyph's left edge to the last one's
// right edge, as tall as the tallest. Nothing else lies in that span: a
// shelf fills left to right, so its older glyphs are to the left, and the
// pixels between and below the new glyphs are padding, transparent since
// the sheet was cleared (and transparent in the span).
func shelfSpans(pending []pendingGlyph) []glyphSpan {
	var out []glyphSpan
	for i := 0; i < len(pending); {
		j, x0, x1, h := i, pending[i].x, 0, 0
		for ; j < len(pending) && pending[j].y == pending[i].y; j++ {
			x1 = pending[j].x + pending[j].w
			h = max(h, pending[j].h)
		}
		w, y := x1-x0, pending[i].y
		buf := make([]byte, 4*w*h)
		for _, g := range pending[i:j] {
			for yy := 0; yy < g.h; yy++ {
				copy(buf[4*(yy*w+g.x-x0):], g.pix[4*yy*g.w:4*(yy+1)*g.w])
			}
		}
		out = append(out, glyphSpan{image.Rect(x0, y, x1, y+h), buf})
		i = j
	}
	return out
}

func (s *sheet) place(w, h int) (int, int, bool) {
	if w+2*sheetPad > s.size || h+2*sheetPad > s.size {
		return 0, 0, false
	}
	if s.x+w+sheetPad > s.size { // next shelf
		s.x, s.y, s.rowH = 0, s.y+s.rowH+sheetPad, 0
	}
	if s.y+h+sheetPad > s.size {
		return 0, 0, false
	}
	x, y := s.x+sheetPad, s.y+sheetPad
	s.x += w + 2*sheetPad
	s.rowH = max(s.rowH, h+sheetPad)
	return x, y, true
}

type textCache struct {
	font    *opentype.Font
	faces   map[int32]font.Face
	advance map[glyphKey]fixed.Int26_6 // phase 0: advance of rune at size
	sheet   *sheet

	// String layouts by string, size and phase; dropped when a few frames
	// pass without them.
	lines map[lineKey]*lineLayout
	frame uint64
}

type lineKey struct {
	s     string
	size  int32
	phase uint8
}

// lineLayout is a string's glyphs on the sheet, placed relative to (pen x,
// top of the line box) in device pixels.
type lineLayout struct {
	gen      int // the sheet generation the glyphs are on
	glyphs   []placedGlyph
	lastUsed uint64
}

type placedGlyph struct {
	g    *sheetGlyph
	x, y int
}

func newTextCache() *textCache {
	f, err := opentype.Parse(assets.Font())
	if err != nil {
		panic("ebitenview: the embedded Go Regular font does not parse: " + err.Error())
	}
	return &textCache{font: f, faces: map[int32]font.Face{}, advance: map[glyphKey]fixed.Int26_6{},
		sheet: newSheet(sheetMin), lines: map[lineKey]*lineLayout{}}
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

// glyph returns k's place on the sheet, rasterising it on first use. When
// the sheet is full it calls flush (so that the triangles already queued
// are drawn from the sheet as it is), then grows or clears the sheet; the
// caller must then lay the string out again (the sheet's gen changed).
func (tc *textCache) glyph(k glyphKey, flush func()) *sheetGlyph {
	sh := tc.sheet
	if g, ok := sh.glyphs[k]; ok {
		return g
	}
	dot := fixed.Point26_6{X: fixed.Int26_6(k.phase) * 16} // phase/4 of a pixel
	dr, mask, mp, _, ok := tc.face(k.size).Glyph(dot, k.r)
	g := &sheetGlyph{}
	if ok && !dr.Empty() {
		w, h := dr.Dx(), dr.Dy()
		x, y, room := sh.place(w, h)
		if !room {
			flush()
			if sh.size < sheetMax {
				sh.size *= 2
			}
			sh.reset()
			if x, y, room = sh.place(w, h); !room {
				sh.glyphs[k] = g // larger than the sheet: drawn blank
				return g
			}
		}
		// White with the glyph's coverage as alpha (premultiplied), tinted
		// by the vertex colour.
		pix := make([]byte, 4*w*h)
		if am, ok := mask.(*image.Alpha); ok {
			// opentype's mask: its bytes are the coverage (no call per pixel).
			for yy := 0; yy < h; yy++ {
				row := am.Pix[am.PixOffset(mp.X, mp.Y+yy):][:w]
				out := pix[4*yy*w:][:4*w]
				for xx, v := range row {
					out[4*xx], out[4*xx+1], out[4*xx+2], out[4*xx+3] = v, v, v, v
				}
			}
		} else {
			for yy := 0; yy < h; yy++ {
				for xx := 0; xx < w; xx++ {
					_, _, _, a := mask.At(mp.X+xx, mp.Y+yy).RGBA()
					v := uint8(a >> 8)
					i := 4 * (yy*w + xx)
					pix[i], pix[i+1], pix[i+2], pix[i+3] = v, v, v, v
				}
			}
		}
		sh.pending = append(sh.pending, pendingGlyph{x: x, y: y, w: w, h: h, pix: pix})
		*g = sheetGlyph{sx: x, sy: y, w: w, h: h, x: dr.Min.X, y: dr.Min.Y}
	}
	sh.glyphs[k] = g
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

// draw appends s to m (sampling the sheet) with its line box's top-left at
// (x, y) in device pixels, at size px, aligned by align, in colour c.
// room(n) must make space for n more vertices in m (flushing it).
func (tc *textCache) draw(m *mesh, room func(n int), s string, x, y, size float32, align scene.Align, c color.RGBA) {
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
	top := int(math.Round(float64(y)))
	pen := fixed.Int26_6(math.Round(float64(x) * 64))
	ix := pen.Floor()
	phase := uint8((pen - fixed.I(ix)) / 16) // quarter pixels: 0..3
	k := lineKey{s: s, size: q, phase: phase}
	l := tc.lines[k]
	if l == nil || l.gen != tc.sheet.gen {
		l = tc.layout(k, size, func() { room(math.MaxInt32) })
		tc.lines[k] = l
	}
	l.lastUsed = tc.frame
	room(4 * len(l.glyphs))
	for _, p := range l.glyphs {
		m.sprite(float32(ix+p.x), float32(top+p.y), p.g, c)
	}
}

// layout places the glyphs of k.s (on the sheet) relative to the pen.
// flush is called if the sheet must be cleared, after which the layout
// starts again on the fresh sheet.
func (tc *textCache) layout(k lineKey, size float32, flush func()) *lineLayout {
	face := tc.face(k.size)
	ascent := int(math.Round(float64(scene.Metrics(size).Ascent)))
	var l *lineLayout
	for try := 0; try < 3; try++ {
		gen := tc.sheet.gen
		l = &lineLayout{gen: gen}
		pen := fixed.Int26_6(k.phase) * 16
		prev := rune(-1)
		for _, r := range k.s {
			if prev >= 0 {
				pen += face.Kern(prev, r)
			}
			ix := pen.Floor()
			ph := uint8((pen - fixed.I(ix)) / 16)
			g := tc.glyph(glyphKey{r: r, size: k.size, phase: ph}, flush)
			if tc.sheet.gen != gen {
				break // the sheet was cleared: the glyphs placed so far are gone
			}
			if g.w > 0 {
				l.glyphs = append(l.glyphs, placedGlyph{g: g, x: ix + g.x, y: ascent + g.y})
			}
			pen += tc.advanceOf(face, r, k.size)
			prev = r
		}
		if tc.sheet.gen == gen {
			return l
		}
	}
	return l
}

// endFrame forgets the layouts of strings not drawn for a while (a
// retained frame draws only what changed, so a string can skip frames).
func (tc *textCache) endFrame() {
	if tc.frame%64 == 0 {
		for k, l := range tc.lines {
			if tc.frame-l.lastUsed > 120 {
				delete(tc.lines, k)
			}
		}
	}
	tc.frame++
}
