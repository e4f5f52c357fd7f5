package scene

import (
	"encoding/binary"
	"math"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
)

// The oracle: x/image's own string measurement with a face at the size.
func measureWithFace(t *testing.T, s string, size float64) float64 {
	t.Helper()
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	return float64(font.MeasureString(face, s)) / 64
}

func TestTextWidthMatchesFace(t *testing.T) {
	for _, s := range []string{"n = 16384", "theory: slope 4/5", "AVATAR To", "ⁿ√ σ·b", "W"} {
		for _, size := range []float32{9, 12, 15.5, 64} {
			got := float64(TextWidth(s, size))
			want := measureWithFace(t, s, float64(size))
			// The face rounds each advance to 1/64 px.
			if math.Abs(got-want) > float64(len([]rune(s)))/64+1e-3 {
				t.Errorf("TextWidth(%q, %v) got:%v want:%v", s, size, got, want)
			}
		}
	}
}

func TestTextWidthScalesAndAdds(t *testing.T) {
	if TextWidth("", 12) != 0 || TextWidth("abc", 0) != 0 || TextWidth("abc", float32(math.NaN())) != 0 {
		t.Errorf("empty or sizeless text must have width 0")
	}
	a, b := TextWidth("slope", 10), TextWidth("slope", 30)
	if math.Abs(float64(b-3*a)) > 1e-3 {
		t.Errorf("width not linear in size: %v vs 3×%v", b, a)
	}
	if w1, w2 := TextWidth("ii", 20), TextWidth("WW", 20); !(w1 < w2) {
		t.Errorf("proportional font: ii (%v) should be narrower than WW (%v)", w1, w2)
	}
}

func TestMetrics(t *testing.T) {
	m := Metrics(20)
	if !(m.Ascent > m.Descent && m.Descent > 0 && m.LineGap >= 0) {
		t.Fatalf("implausible metrics %+v", m)
	}
	// Oracle: read hhea ascender/descender/lineGap and head unitsPerEm
	// straight from the TrueType table directory.
	table := func(tag string) []byte {
		ttf := goregular.TTF
		n := int(binary.BigEndian.Uint16(ttf[4:]))
		for i := range n {
			rec := ttf[12+16*i:]
			if string(rec[:4]) == tag {
				off := binary.BigEndian.Uint32(rec[8:])
				return ttf[off:]
			}
		}
		t.Fatalf("no %s table", tag)
		return nil
	}
	upem := float64(binary.BigEndian.Uint16(table("head")[18:]))
	hhea := table("hhea")
	asc := float64(int16(binary.BigEndian.Uint16(hhea[4:])))
	desc := -float64(int16(binary.BigEndian.Uint16(hhea[6:])))
	gap := float64(int16(binary.BigEndian.Uint16(hhea[8:])))
	if math.Abs(float64(m.Ascent)-20*asc/upem) > 0.02 || math.Abs(float64(m.Descent)-20*desc/upem) > 0.02 || math.Abs(float64(m.LineGap)-20*gap/upem) > 0.02 {
		t.Errorf("metrics %+v differ from hhea %v/%v/%v per %v", m, asc, desc, gap, upem)
	}
	if TextHeight(20) != m.Height() || LineHeight(20) < TextHeight(20) {
		t.Errorf("TextHeight %v LineHeight %v Height %v", TextHeight(20), LineHeight(20), m.Height())
	}
}

func TestTextConcurrent(t *testing.T) {
	want := TextWidth("concurrent 123 · √", 13)
	var wg sync.WaitGroup
	errs := make(chan float32, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if w := TextWidth("concurrent 123 · √", 13); w != want {
					errs <- w
				}
				s := &Scene{W: 60, H: 20}
				s.Add(Text{X: 1, Y: 1, S: "hi", Size: float32(10 + (g+i)%5), Color: black})
				Rasterize(s)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for w := range errs {
		t.Fatalf("concurrent TextWidth got:%v want:%v", w, want)
	}
}
