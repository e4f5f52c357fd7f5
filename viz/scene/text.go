package scene

import (
	"fmt"
	"sync"

	"github.com/hsrviz/hsrviz/assets"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Text metrics come from the Go Regular font, the font the Ebiten layer
// draws with, so a layout measured here lines up on every renderer.
//
// Convention for Text items: Size is the font size in logical pixels (the
// em square), (X, Y) anchors the top of the line box, and the baseline lies
// at Y + Ascent(Size). The line box is Ascent+Descent = TextHeight(Size)
// tall; successive lines should be LineHeight(Size) apart.

// goRegular is parsed once; an *sfnt.Font is safe for concurrent use as long
// as every goroutine brings its own sfnt.Buffer.
var goRegular = func() *sfnt.Font {
	f, err := sfnt.Parse(assets.Font())
	if err != nil {
		panic("scene: parsing the embedded Go Regular font: " + err.Error())
	}
	return f
}()

// perEm holds the font's vertical metrics as fractions of the em, computed
// at the font's own resolution so that they scale linearly with size.
var perEm = func() struct{ upem, ascent, descent, gap float32 } {
	var b sfnt.Buffer
	upem := goRegular.UnitsPerEm()
	m, err := goRegular.Metrics(&b, fixed.Int26_6(upem), font.HintingNone)
	if err != nil {
		panic("scene: Go Regular metrics: " + err.Error())
	}
	u := float32(upem)
	return struct{ upem, ascent, descent, gap float32 }{
		u, float32(m.Ascent) / u, float32(m.Descent) / u, float32(m.Height-m.Ascent-m.Descent) / u,
	}
}()

var bufPool = sync.Pool{New: func() any { return new(sfnt.Buffer) }}

// ascii holds the advances (font units) of the printable ASCII glyphs, and
// whether kerning is zero between all of them (true of Go Regular), so the
// common label needs no font lookups. Built on first use.
var ascii struct {
	once     sync.Once
	adv      [128]fixed.Int26_6
	ok       [128]bool
	kernFree bool
}

func initASCII() {
	var b sfnt.Buffer
	ppem := fixed.Int26_6(goRegular.UnitsPerEm())
	var gs [128]sfnt.GlyphIndex
	for r := rune(32); r < 127; r++ {
		g, err := goRegular.GlyphIndex(&b, r)
		if err != nil || g == 0 {
			continue
		}
		a, err := goRegular.GlyphAdvance(&b, g, ppem, font.HintingNone)
		if err != nil {
			continue
		}
		gs[r], ascii.adv[r], ascii.ok[r] = g, a, true
	}
	ascii.kernFree = true
	for r0 := rune(32); r0 < 127 && ascii.kernFree; r0++ {
		for r1 := rune(32); r1 < 127; r1++ {
			if !ascii.ok[r0] || !ascii.ok[r1] {
				continue
			}
			if k, err := goRegular.Kern(&b, gs[r0], gs[r1], ppem, font.HintingNone); err == nil && k != 0 {
				ascii.kernFree = false
				break
			}
		}
	}
}

// LineMetrics are the vertical metrics of one line of text at a given size,
// in logical pixels.
type LineMetrics struct {
	Ascent  float32 // top of the line box to the baseline
	Descent float32 // baseline to the bottom of the line box (positive)
	LineGap float32 // recommended extra space between two line boxes
}

// Height is the height of the line box, Ascent + Descent.
func (m LineMetrics) Height() float32 { return m.Ascent + m.Descent }

// Metrics returns the line metrics of Go Regular at size (logical pixels).
// Cost: O(1).
func Metrics(size float32) LineMetrics {
	if !(size > 0) {
		return LineMetrics{}
	}
	return LineMetrics{Ascent: perEm.ascent * size, Descent: perEm.descent * size, LineGap: perEm.gap * size}
}

// TextHeight is the height of the line box of text at size: the vertical
// space a Text item occupies below its Y. Cost: O(1).
func TextHeight(size float32) float32 { return Metrics(size).Height() }

// LineHeight is the recommended distance between the tops of two successive
// lines at size (line box plus the font's line gap).
func LineHeight(size float32) float32 {
	m := Metrics(size)
	return m.Ascent + m.Descent + m.LineGap
}

// TextWidth is the advance width of s drawn at size, kerning included, in
// logical pixels. It is safe for concurrent use. Cost: O(len(s)) (strings
// with non-ASCII runes are measured once and cached).
func TextWidth(s string, size float32) float32 {
	if !(size > 0) || s == "" {
		return 0
	}
	ascii.once.Do(initASCII)
	if ascii.kernFree {
		var total fixed.Int26_6
		fast := true
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= 128 || !ascii.ok[c] {
				fast = false
				break
			}
			total += ascii.adv[c]
		}
		if fast {
			return float32(total) / perEm.upem * size
		}
	}
	widths.mu.Lock()
	w, ok := widths.m[s]
	widths.mu.Unlock()
	if !ok {
		w = unitsWidth(s)
		widths.mu.Lock()
		if widths.m == nil || len(widths.m) >= maxWidths {
			widths.m = make(map[string]fixed.Int26_6)
		}
		widths.m[s] = w
		widths.mu.Unlock()
	}
	return float32(w) / perEm.upem * size
}

// widths caches unitsWidth of the strings that need font lookups (those
// with non-ASCII runes: ·, …, →, √ are common in labels); the same labels
// are measured every frame.
var widths struct {
	mu sync.Mutex
	m  map[string]fixed.Int26_6
}

// maxWidths bounds the width cache (it starts afresh when full).
const maxWidths = 8192

// unitsWidth is the advance width of s in font units, kerning included.
func unitsWidth(s string) fixed.Int26_6 {
	b := bufPool.Get().(*sfnt.Buffer)
	defer bufPool.Put(b)
	ppem := fixed.Int26_6(goRegular.UnitsPerEm()) // advances in font units
	var total fixed.Int26_6
	prev, hasPrev := sfnt.GlyphIndex(0), false
	for _, r := range s {
		g, err := goRegular.GlyphIndex(b, r)
		if err != nil {
			continue
		}
		if hasPrev {
			if k, err := goRegular.Kern(b, prev, g, ppem, font.HintingNone); err == nil {
				total += k
			}
		}
		if a, err := goRegular.GlyphAdvance(b, g, ppem, font.HintingNone); err == nil {
			total += a
		}
		prev, hasPrev = g, true
	}
	return total
}

// faceCache holds one opentype face per size for drawing glyphs. A face is
// not safe for concurrent use, so each entry carries its own lock.
type lockedFace struct {
	mu   sync.Mutex
	face font.Face
}

var faces struct {
	mu sync.Mutex
	m  map[float32]*lockedFace
}

// maxFaces bounds the cache: an animation through many sizes must not leak.
const maxFaces = 64

// faceFor returns the cached face of Go Regular at size (ppem = size).
func faceFor(size float32) *lockedFace {
	faces.mu.Lock()
	defer faces.mu.Unlock()
	if f, ok := faces.m[size]; ok {
		return f
	}
	if faces.m == nil || len(faces.m) >= maxFaces {
		faces.m = make(map[float32]*lockedFace)
	}
	// Faces share the parsed font (each face keeps its own buffer).
	face, err := opentype.NewFace(goRegular, &opentype.FaceOptions{Size: float64(size), DPI: 72, Hinting: font.HintingNone})
	if err == nil {
		f := &lockedFace{face: face}
		faces.m[size] = f
		return f
	}
	panic(fmt.Sprintf("scene: Go Regular face at size %v: %v", size, err))
}
