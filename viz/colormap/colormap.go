package colormap

import (
	"image/color"
	"math"

	colorful "github.com/lucasb-eyer/go-colorful"
)

// NoData is the colour At returns for NaN: a neutral mid grey, absent from
// Viridis and Magma and darker than CoolWarm's light centre.
var NoData = color.RGBA{0x80, 0x80, 0x80, 0xff}

// Map is a continuous colour map from [0, 1] to opaque sRGB colours. The zero
// Map is not usable; get one from Viridis, Magma, CoolWarm or New.
// A Map is immutable and safe for concurrent use.
type Map struct {
	name string
	lab  [][3]float64 // stops in OkLab, evenly spaced over [0, 1]
}

// New returns a map through the given sRGB stops, evenly spaced over [0, 1]
// and blended in OkLab. It panics with fewer than two stops (programmer error).
func New(name string, stops ...color.Color) Map {
	if len(stops) < 2 {
		panic("colormap: New needs at least two stops")
	}
	m := Map{name: name, lab: make([][3]float64, len(stops))}
	for i, s := range stops {
		c, _ := colorful.MakeColor(s)
		l, a, b := c.OkLab()
		m.lab[i] = [3]float64{l, a, b}
	}
	return m
}

func fromTable(name string, t [][3]float64) Map {
	m := Map{name: name, lab: make([][3]float64, len(t))}
	for i, v := range t {
		l, a, b := colorful.Color{R: v[0], G: v[1], B: v[2]}.OkLab()
		m.lab[i] = [3]float64{l, a, b}
	}
	return m
}

var (
	viridis = fromTable("viridis", viridisData[:])
	magma   = fromTable("magma", magmaData[:])
	// CoolWarm: Moreland's blue and red end points with their OkLab
	// lightness set equal (their mean), so that the two halves are mirror
	// images in lightness, and a light neutral centre.
	coolWarm = func() Map {
		m := New("coolwarm", color.RGBA{59, 76, 192, 255}, color.RGBA{221, 221, 221, 255}, color.RGBA{180, 4, 38, 255})
		l := (m.lab[0][0] + m.lab[2][0]) / 2
		m.lab[0][0], m.lab[2][0] = l, l
		return m
	}()
)

// Viridis is matplotlib's viridis: dark blue-purple → teal → yellow, lightness
// strictly increasing. The default for attention weights.
func Viridis() Map { return viridis }

// Magma is matplotlib's magma: black → purple → orange → light yellow.
func Magma() Map { return magma }

// CoolWarm is a diverging map, blue (t = 0) → light grey (t = 0.5) → red
// (t = 1), symmetric in lightness about the centre: for signed scores and
// errors, with 0.5 meaning zero.
func CoolWarm() Map { return coolWarm }

// Name is the map's name ("viridis", "magma", "coolwarm", or New's name).
func (m Map) Name() string { return m.name }

// At returns the colour at t. t is clamped to [0, 1]; NaN gives NoData.
// Cost: O(1), one OkLab→sRGB conversion.
func (m Map) At(t float64) color.RGBA {
	if math.IsNaN(t) {
		return NoData
	}
	if len(m.lab) == 0 {
		panic("colormap: At on the zero Map")
	}
	t = min(max(t, 0), 1)
	x := t * float64(len(m.lab)-1)
	i := min(int(x), len(m.lab)-2)
	f := x - float64(i)
	a, b := m.lab[i], m.lab[i+1]
	c := colorful.OkLab(a[0]+f*(b[0]-a[0]), a[1]+f*(b[1]-a[1]), a[2]+f*(b[2]-a[2])).Clamped()
	r, g, bl := c.RGB255()
	return color.RGBA{r, g, bl, 255}
}

// Reversed returns the map run backwards (At(t) = m.At(1-t)).
func (m Map) Reversed() Map {
	r := Map{name: m.name + "_r", lab: make([][3]float64, len(m.lab))}
	for i, v := range m.lab {
		r.lab[len(m.lab)-1-i] = v
	}
	return r
}

// LUT is a precomputed lookup table of a Map: n colours at t = i/(n-1).
type LUT []color.RGBA

// LUT samples the map at n ≥ 2 evenly spaced points. Cost: O(n) At calls.
func (m Map) LUT(n int) LUT {
	if n < 2 {
		panic("colormap: LUT needs n >= 2")
	}
	l := make(LUT, n)
	for i := range l {
		l[i] = m.At(float64(i) / float64(n-1))
	}
	return l
}

// At returns the table colour nearest to t (clamped to [0, 1]; NaN gives
// NoData). Cost: O(1), no colour-space conversion.
func (l LUT) At(t float64) color.RGBA {
	if math.IsNaN(t) {
		return NoData
	}
	t = min(max(t, 0), 1)
	return l[int(t*float64(len(l)-1)+0.5)]
}
