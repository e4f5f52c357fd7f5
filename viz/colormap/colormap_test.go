package colormap

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	colorful "github.com/lucasb-eyer/go-colorful"
)

func to8(v float64) uint8 { return uint8(math.Round(v * 255)) }

func oklabL(c color.RGBA) float64 {
	l, _, _ := colorful.Color{R: float64(c.R) / 255, G: float64(c.G) / 255, B: float64(c.B) / 255}.OkLab()
	return l
}

func close8(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return math.Abs(float64(x)-float64(y)) <= float64(tol) }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && a.A == b.A
}

func TestSequentialReproducesTables(t *testing.T) {
	for _, tc := range []struct {
		m     Map
		table [256][3]float64
	}{{Viridis(), viridisData}, {Magma(), magmaData}} {
		for i, v := range tc.table {
			want := color.RGBA{to8(v[0]), to8(v[1]), to8(v[2]), 255}
			if got := tc.m.At(float64(i) / 255); !close8(got, want, 1) {
				t.Errorf("%s entry %d: got:%v want:%v", tc.m.Name(), i, got, want)
			}
		}
		// Endpoints, clamping, NaN.
		first, last := tc.table[0], tc.table[255]
		if got, want := tc.m.At(-3), (color.RGBA{to8(first[0]), to8(first[1]), to8(first[2]), 255}); !close8(got, want, 1) {
			t.Errorf("%s At(-3) got:%v want:%v", tc.m.Name(), got, want)
		}
		if got, want := tc.m.At(7), (color.RGBA{to8(last[0]), to8(last[1]), to8(last[2]), 255}); !close8(got, want, 1) {
			t.Errorf("%s At(7) got:%v want:%v", tc.m.Name(), got, want)
		}
		if got := tc.m.At(math.NaN()); got != NoData {
			t.Errorf("%s At(NaN) got:%v want:%v", tc.m.Name(), got, NoData)
		}
	}
	// Known published values: viridis starts at #440154 and ends at #fde725;
	// magma starts at #000004 and ends at #fcfdbf.
	for _, tc := range []struct {
		got  color.RGBA
		want string
	}{{Viridis().At(0), "#440154"}, {Viridis().At(1), "#fde725"}, {Magma().At(0), "#000004"}, {Magma().At(1), "#fcfdbf"}} {
		if h := fmt.Sprintf("#%02x%02x%02x", tc.got.R, tc.got.G, tc.got.B); h != tc.want {
			t.Errorf("got:%s want:%s", h, tc.want)
		}
	}
}

func TestSequentialLightnessIncreases(t *testing.T) {
	for _, m := range []Map{Viridis(), Magma()} {
		for i := 1; i < len(m.lab); i++ {
			if !(m.lab[i][0] > m.lab[i-1][0]) {
				t.Errorf("%s: OkLab L not strictly increasing at stop %d: %v then %v", m.Name(), i, m.lab[i-1][0], m.lab[i][0])
			}
		}
		// Through At and 8-bit rounding too, at 1024 samples (allowing the
		// rounding error of one 8-bit step).
		prev := -1.0
		for i := range 1024 {
			l := oklabL(m.At(float64(i) / 1023))
			if l < prev-2e-3 {
				t.Errorf("%s: L drops at t=%v: %v < %v", m.Name(), float64(i)/1023, l, prev)
			}
			prev = max(prev, l)
		}
	}
}

func TestInterpolationBetweenStops(t *testing.T) {
	// Halfway between two table entries the colour lies between them.
	m := Viridis()
	for i := 0; i < 255; i += 17 {
		got := m.At((float64(i) + 0.5) / 255)
		a, b := viridisData[i], viridisData[i+1]
		want := color.RGBA{to8((a[0] + b[0]) / 2), to8((a[1] + b[1]) / 2), to8((a[2] + b[2]) / 2), 255}
		if !close8(got, want, 1) {
			t.Errorf("between %d and %d: got:%v want:%v", i, i+1, got, want)
		}
	}
}

func TestCoolWarmSymmetric(t *testing.T) {
	m := CoolWarm()
	if got := m.At(0.5); !close8(got, color.RGBA{221, 221, 221, 255}, 1) {
		t.Errorf("centre got:%v want light grey", got)
	}
	lc := oklabL(m.At(0.5))
	for i := 1; i <= 50; i++ {
		d := float64(i) / 100
		lo, hi := m.At(0.5-d), m.At(0.5+d)
		if a, b := oklabL(lo), oklabL(hi); math.Abs(a-b) > 5e-3 {
			t.Errorf("d=%v: L %v (cool) vs %v (warm)", d, a, b)
		}
		if oklabL(lo) >= lc || oklabL(hi) >= lc {
			t.Errorf("d=%v: the centre must be the lightest", d)
		}
		if !(lo.B > lo.R && hi.R > hi.B) {
			t.Errorf("d=%v: cool side %v should be blue, warm side %v red", d, lo, hi)
		}
	}
	// Lightness falls monotonically away from the centre on both sides.
	for i := 1; i <= 50; i++ {
		a, b := float64(i-1)/100, float64(i)/100
		if oklabL(m.At(0.5+b)) > oklabL(m.At(0.5+a))+2e-3 {
			t.Errorf("warm side not monotone at %v", b)
		}
	}
	if m.At(math.NaN()) != NoData {
		t.Errorf("NaN must give NoData")
	}
}

func TestReversedAndLUT(t *testing.T) {
	m := Magma()
	r := m.Reversed()
	lut := m.LUT(256)
	for i := range 101 {
		x := float64(i) / 100
		if r.At(x) != m.At(1-x) {
			t.Errorf("Reversed at %v: got:%v want:%v", x, r.At(x), m.At(1-x))
		}
		if !close8(lut.At(x), m.At(x), 4) {
			t.Errorf("LUT at %v: got:%v want:%v", x, lut.At(x), m.At(x))
		}
	}
	if lut.At(math.NaN()) != NoData || lut.At(-1) != lut[0] || lut.At(2) != lut[255] {
		t.Errorf("LUT clamping or NaN wrong")
	}
}

// Machado, Oliveira & Fernandes (2009) simulation matrices at severity 1,
// applied to linear RGB.
var cvd = map[string][3][3]float64{
	"protanopia":   {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
	"deuteranopia": {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
	"tritanopia":   {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
	"normal":       {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
}

func simulate(c color.RGBA, m [3][3]float64) colorful.Color {
	cc, _ := colorful.MakeColor(c)
	r, g, b := cc.LinearRgb()
	v := [3]float64{}
	for i := range 3 {
		v[i] = min(max(m[i][0]*r+m[i][1]*g+m[i][2]*b, 0), 1)
	}
	return colorful.LinearRgb(v[0], v[1], v[2])
}

func TestDecisionsColourBlindSafe(t *testing.T) {
	d := Decisions()
	const minDist = 0.14 // OkLab distance; 0.02 is about a just-noticeable difference
	for name, m := range cvd {
		for i := range d {
			for j := i + 1; j < len(d); j++ {
				a, b := simulate(d[i], m), simulate(d[j], m)
				if dist := okDist(a, b); dist < minDist {
					t.Errorf("%s: %s and %s too close (OkLab distance %.3f)", name, DecisionNames[i], DecisionNames[j], dist)
				}
			}
		}
	}
}

func okDist(a, b colorful.Color) float64 {
	l1, a1, b1 := a.OkLab()
	l2, a2, b2 := b.OkLab()
	return math.Sqrt((l1-l2)*(l1-l2) + (a1-a2)*(a1-a2) + (b1-b2)*(b1-b2))
}
