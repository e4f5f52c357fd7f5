package ebitenview

import (
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"
)

// Shapes are drawn as plain triangles with a one-pixel alpha fringe
// ("feathering") instead of Ebiten's AntiAlias option: AntiAlias renders
// through a double-size offscreen buffer that is flushed at every switch
// between anti-aliased and plain draws (text, rasters), which on a software
// GL (SwiftShader, llvmpipe) cost ~0.3 s per frame for the app's scene.
// Feathered triangles batch into one draw call with everything else.

// mesh accumulates triangles for one DrawTriangles call from the text
// sheet: shapes sample its white block (SrcX = SrcY = 1), glyphs their
// bitmaps.
type mesh struct {
	vs []ebiten.Vertex
	is []uint16
}

func (m *mesh) reset() { m.vs, m.is = m.vs[:0], m.is[:0] }

// vertex appends a vertex of premultiplied colour c scaled by alpha a.
func (m *mesh) vertex(x, y float32, c color.RGBA, a float32) uint16 {
	m.vs = append(m.vs, ebiten.Vertex{
		DstX: x, DstY: y, SrcX: 1, SrcY: 1,
		ColorR: float32(c.R) / 255 * a, ColorG: float32(c.G) / 255 * a,
		ColorB: float32(c.B) / 255 * a, ColorA: float32(c.A) / 255 * a,
	})
	return uint16(len(m.vs) - 1)
}

func (m *mesh) quad(a, b, c, d uint16) { m.is = append(m.is, a, b, c, a, c, d) }

// full reports whether the mesh should be flushed before adding n vertices.
func (m *mesh) full(n int) bool { return len(m.vs)+n > math.MaxUint16-16 }

// line appends a segment of width w (device pixels) with a feathered edge.
func (m *mesh) line(x0, y0, x1, y1, w float32, c color.RGBA) {
	dx, dy := x1-x0, y1-y0
	l := float32(math.Hypot(float64(dx), float64(dy)))
	if l == 0 {
		return
	}
	nx, ny := -dy/l, dx/l
	// Offsets across the line and their coverage; the integral is w.
	var offs, alps []float32
	if h := w / 2; h >= 0.5 {
		offs = []float32{-(h + 0.5), -(h - 0.5), h - 0.5, h + 0.5}
		alps = []float32{0, 1, 1, 0}
	} else {
		offs = []float32{-1, 0, 1}
		alps = []float32{0, w, 0}
	}
	var prev0, prev1 uint16
	for i := range offs {
		a := m.vertex(x0+nx*offs[i], y0+ny*offs[i], c, alps[i])
		b := m.vertex(x1+nx*offs[i], y1+ny*offs[i], c, alps[i])
		if i > 0 {
			m.quad(prev0, prev1, b, a)
		}
		prev0, prev1 = a, b
	}
}

func circleSegments(r float32) int {
	n := int(2 * math.Pi * float64(r) / 3)
	return max(12, min(n, 128))
}

// ring appends the area between radii (each with its coverage) around
// (cx, cy): a feathered disc or circle outline.
func (m *mesh) ring(cx, cy float32, radii, alphas []float32, c color.RGBA) {
	n := circleSegments(radii[len(radii)-1])
	base := uint16(len(m.vs))
	k := len(radii)
	for i := 0; i < n; i++ {
		s, co := math.Sincos(2 * math.Pi * float64(i) / float64(n))
		for j, r := range radii {
			m.vertex(cx+float32(co)*max(r, 0), cy+float32(s)*max(r, 0), c, alphas[j])
		}
	}
	for i := 0; i < n; i++ {
		a, b := base+uint16(i*k), base+uint16(((i+1)%n)*k)
		for j := 0; j+1 < k; j++ {
			m.quad(a+uint16(j), b+uint16(j), b+uint16(j+1), a+uint16(j+1))
		}
	}
}

// disc appends a filled circle of radius r with a feathered rim.
func (m *mesh) disc(cx, cy, r float32, c color.RGBA) {
	n := circleSegments(r)
	center := m.vertex(cx, cy, c, 1)
	base := uint16(len(m.vs))
	inner := max(r-0.5, 0)
	for i := 0; i < n; i++ {
		s, co := math.Sincos(2 * math.Pi * float64(i) / float64(n))
		m.vertex(cx+float32(co)*inner, cy+float32(s)*inner, c, 1)
		m.vertex(cx+float32(co)*(r+0.5), cy+float32(s)*(r+0.5), c, 0)
	}
	for i := 0; i < n; i++ {
		a, b := base+uint16(2*i), base+uint16(2*((i+1)%n))
		m.is = append(m.is, center, a, b)
		m.quad(a, b, b+1, a+1)
	}
}

// circleOutline appends a ring of width w centred on radius r.
func (m *mesh) circleOutline(cx, cy, r, w float32, c color.RGBA) {
	h := w / 2
	if h >= 0.5 {
		m.ring(cx, cy, []float32{r - h - 0.5, r - h + 0.5, r + h - 0.5, r + h + 0.5}, []float32{0, 1, 1, 0}, c)
	} else {
		m.ring(cx, cy, []float32{r - 1, r, r + 1}, []float32{0, w, 0}, c)
	}
}

// rect appends a pixel-snapped filled rectangle (no fringe: crisp edges).
func (m *mesh) rect(x0, y0, x1, y1 float32, c color.RGBA) {
	if x1 <= x0 || y1 <= y0 {
		return
	}
	a := m.vertex(x0, y0, c, 1)
	b := m.vertex(x1, y0, c, 1)
	d := m.vertex(x1, y1, c, 1)
	e := m.vertex(x0, y1, c, 1)
	m.quad(a, b, d, e)
}

// sprite appends glyph g's bitmap (on the sheet) with its top-left at
// (x, y), tinted with the premultiplied colour c.
func (m *mesh) sprite(x, y float32, g *sheetGlyph, c color.RGBA) {
	w, h := float32(g.w), float32(g.h)
	sx, sy := float32(g.sx), float32(g.sy)
	n := uint16(len(m.vs))
	cr, cg, cb, ca := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	m.vs = append(m.vs,
		ebiten.Vertex{DstX: x, DstY: y, SrcX: sx, SrcY: sy, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca},
		ebiten.Vertex{DstX: x + w, DstY: y, SrcX: sx + w, SrcY: sy, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca},
		ebiten.Vertex{DstX: x + w, DstY: y + h, SrcX: sx + w, SrcY: sy + h, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca},
		ebiten.Vertex{DstX: x, DstY: y + h, SrcX: sx, SrcY: sy + h, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca})
	m.quad(n, n+1, n+2, n+3)
}

// snapSpan turns the span [c-w/2, c+w/2] into whole device pixels, at
// least one, so thin axis-aligned lines stay crisp instead of smeared.
func snapSpan(c, w float32) (float32, float32) {
	a := float32(math.Round(float64(c - w/2)))
	b := float32(math.Round(float64(c + w/2)))
	if b <= a {
		a = float32(math.Floor(float64(c)))
		b = a + 1
	}
	return a, b
}
