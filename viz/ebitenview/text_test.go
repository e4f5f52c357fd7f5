package ebitenview

import (
	"image"
	"math/rand/v2"
	"testing"
)

// TestShelfSpans places glyphs of random sizes on a sheet as glyph does,
// marks the first ones uploaded, and checks the spans of the rest: every
// pending glyph's pixels at its place, one span per shelf, and no span
// over an uploaded glyph or the white block (which an upload would erase).
func TestShelfSpans(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		s := &sheet{size: 128}
		s.x, s.y, s.rowH = 3+sheetPad, 0, 3
		kept := []image.Rectangle{image.Rect(0, 0, 3, 3)} // the white block
		var pending []pendingGlyph
		split := rng.IntN(40)
		for k := 0; k < 40; k++ {
			w, h := 1+rng.IntN(12), 1+rng.IntN(16)
			x, y, ok := s.place(w, h)
			if !ok {
				break
			}
			if k < split {
				kept = append(kept, image.Rect(x, y, x+w, y+h))
				continue
			}
			pix := make([]byte, 4*w*h)
			for i := range pix {
				pix[i] = byte(1 + rng.IntN(255)) // never 0: a lost pixel shows
			}
			pending = append(pending, pendingGlyph{x: x, y: y, w: w, h: h, pix: pix})
		}
		spans := shelfSpans(pending)
		shelves := map[int]bool{}
		for _, g := range pending {
			shelves[g.y] = true
		}
		if len(spans) != len(shelves) {
			t.Fatalf("trial %d: %d spans for %d shelves", trial, len(spans), len(shelves))
		}
		for _, sp := range spans {
			if len(sp.pix) != 4*sp.r.Dx()*sp.r.Dy() {
				t.Fatalf("trial %d: span %v has %d bytes", trial, sp.r, len(sp.pix))
			}
			for _, k := range kept {
				if sp.r.Overlaps(k) {
					t.Fatalf("trial %d: span %v covers the uploaded %v", trial, sp.r, k)
				}
			}
		}
		for gi, g := range pending {
			found := false
			for _, sp := range spans {
				if !image.Rect(g.x, g.y, g.x+g.w, g.y+g.h).In(sp.r) {
					continue
				}
				found = true
				for yy := 0; yy < g.h; yy++ {
					for xx := 0; xx < 4*g.w; xx++ {
						got := sp.pix[4*((g.y+yy-sp.r.Min.Y)*sp.r.Dx()+g.x-sp.r.Min.X)+xx]
						if want := g.pix[4*yy*g.w+xx]; got != want {
							t.Fatalf("trial %d: glyph %d byte (%d, %d) is %d in its span, want %d", trial, gi, xx, yy, got, want)
						}
					}
				}
			}
			if !found {
				t.Fatalf("trial %d: glyph %d at %v in no span", trial, gi, image.Rect(g.x, g.y, g.x+g.w, g.y+g.h))
			}
		}
	}
}
