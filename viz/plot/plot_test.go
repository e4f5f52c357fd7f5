package plot

import (
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hsrviz/hsrviz/viz/scene"
)

func TestNiceNum(t *testing.T) {
	for _, tc := range []struct {
		x     float64
		round bool
		want  float64
	}{
		{1, true, 1}, {1.4, true, 1}, {1.6, true, 2}, {3.2, true, 5}, {7.5, true, 10}, {0.00032, true, 0.0005},
		{0.23, false, 0.5}, {12, false, 20}, {2, false, 2}, {5.01, false, 10}, {900, false, 1000},
	} {
		if got := NiceNum(tc.x, tc.round); math.Abs(got-tc.want) > 1e-12*tc.want {
			t.Errorf("NiceNum(%v, %v) got:%v want:%v", tc.x, tc.round, got, tc.want)
		}
	}
}

func isNice(step float64) bool {
	m := step / math.Pow(10, math.Floor(math.Log10(step)))
	for _, n := range []float64{1, 2, 5, 10} {
		if math.Abs(m-n) < 1e-9 {
			return true
		}
	}
	return false
}

func TestLinearTicksProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		lo := (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(12)-6))
		hi := lo + r.Float64()*math.Pow(10, float64(r.IntN(12)-6)) + 1e-9
		maxT := 2 + r.IntN(10)
		ticks, step := LinearTicks(lo, hi, maxT)
		if !isNice(step) {
			t.Fatalf("[%v,%v]: step %v not 1/2/5·10^k", lo, hi, step)
		}
		if len(ticks) < 1 || len(ticks) > 2*maxT+1 {
			t.Fatalf("[%v,%v] max %d: %d ticks", lo, hi, maxT, len(ticks))
		}
		for i, v := range ticks {
			if v < lo-step*1e-6 || v > hi+step*1e-6 {
				t.Fatalf("[%v,%v]: tick %v outside", lo, hi, v)
			}
			if i > 0 && math.Abs(v-ticks[i-1]-step) > max(step*1e-6, math.Abs(v)*1e-12) {
				t.Fatalf("[%v,%v]: uneven ticks %v", lo, hi, ticks)
			}
		}
		// Every multiple of step in range is there.
		if ticks[0]-step >= lo+step*1e-6 || ticks[len(ticks)-1]+step <= hi-step*1e-6 {
			t.Fatalf("[%v,%v]: missing ticks at the ends %v step %v", lo, hi, ticks, step)
		}
	}
	ticks, step := LinearTicks(0, 1, 5)
	if !slices.Equal(ticks, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}) || step != 0.2 {
		t.Errorf("LinearTicks(0,1,5) got:%v %v", ticks, step)
	}
	// k·0.1 is rounded: 3·0.1 is exactly the float 0.3.
	ticks, _ = LinearTicks(0, 0.7, 8)
	if !slices.Equal(ticks, []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}) {
		t.Errorf("LinearTicks(0,0.7,8) got:%v", ticks)
	}
	// A narrow range between two multiples of the first step still gets two ticks.
	ticks, _ = LinearTicks(0.003, 0.9, 2)
	if len(ticks) < 2 {
		t.Errorf("LinearTicks(0.003,0.9,2) got:%v", ticks)
	}
	lo, hi, st := NiceRange(3, 97, 5)
	if lo != 0 || hi != 100 || st != 20 {
		t.Errorf("NiceRange(3,97,5) got:%v %v %v", lo, hi, st)
	}
}

func TestLogTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		max    int
		want   []float64
	}{
		{256, 1 << 20, 10, []float64{1e3, 1e4, 1e5, 1e6}},
		{1, 1e12, 4, []float64{1, 1e4, 1e8, 1e12}},
		{30, 300, 6, []float64{50, 100, 200}},
		{0.9, 1.1, 5, nil}, // falls back to linear ticks
	} {
		got := LogTicks(tc.lo, tc.hi, tc.max)
		if tc.want != nil && !slices.EqualFunc(got, tc.want, func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*b }) {
			t.Errorf("LogTicks(%v,%v,%d) got:%v want:%v", tc.lo, tc.hi, tc.max, got, tc.want)
		}
		if len(got) < 2 {
			t.Errorf("LogTicks(%v,%v) gave %v", tc.lo, tc.hi, got)
		}
		for _, v := range got {
			if v < tc.lo || v > tc.hi {
				t.Errorf("LogTicks(%v,%v): %v outside", tc.lo, tc.hi, v)
			}
		}
	}
}

func TestFormatTick(t *testing.T) {
	for _, tc := range []struct {
		v, step float64
		want    string
	}{
		{16000, 1000, "16k"}, {1e6, 0, "1M"}, {1500, 500, "1.5k"}, {0.2, 0.1, "0.2"}, {0, 0.1, "0.0"},
		{0, 1, "0"}, {250, 50, "250"}, {0.05, 0.05, "0.05"}, {1001, 1, "1001"}, {3e9, 1e9, "3G"}, {0.8, 0, "0.8"},
	} {
		if got := FormatTick(tc.v, tc.step); got != tc.want {
			t.Errorf("FormatTick(%v, %v) got:%q want:%q", tc.v, tc.step, got, tc.want)
		}
	}
}

// textInside checks that every text item lies within r.
func textInside(t *testing.T, s *scene.Scene, r Rect) {
	t.Helper()
	for _, it := range s.Items {
		tx, ok := it.(scene.Text)
		if !ok {
			continue
		}
		x0, y0, w, h := tx.Box()
		if x0 < r.X-0.5 || x0+w > r.X+r.W+0.5 || y0 < r.Y-0.5 || y0+h > r.Y+r.H+0.5 {
			t.Errorf("text %q at [%v,%v]x[%v,%v] outside %+v", tx.S, x0, x0+w, y0, y0+h, r)
		}
	}
}

func texts(s *scene.Scene) []string {
	var out []string
	for _, it := range s.Items {
		if tx, ok := it.(scene.Text); ok {
			out = append(out, tx.S)
		}
	}
	return out
}

func scalingPlot(r Rect) *XY {
	var ns, rep []float64
	for e := 8; e <= 20; e += 2 {
		n := math.Ldexp(1, e)
		ns, rep = append(ns, n), append(rep, 2*math.Pow(n, 0.8))
	}
	p := NewLogLog(r, "Scaling", "keys n", "keys reported")
	p.Series = []Series{{Name: "reported", X: ns, Y: rep, Color: color.RGBA{0, 0x72, 0xb2, 255}, Points: true, Line: true,
		Fit: &Fit{Slope: 0.8, Intercept: math.Log10(2)}}}
	p.References = []Reference{{Slope: 0.8, Label: "theory: slope 4/5", Color: color.RGBA{0xd5, 0x5e, 0, 255}}}
	return p
}

func TestLogLogDraw(t *testing.T) {
	r := Rect{20, 30, 420, 300}
	p := scalingPlot(r)
	s := &scene.Scene{W: 500, H: 400}
	p.Draw(s)
	textInside(t, s, r)
	got := texts(s)
	for _, want := range []string{"theory: slope 4/5", "reported: slope 0.80 (fit)", "1k", "100k", "1M", "keys n"} {
		if !slices.Contains(got, want) {
			t.Errorf("missing text %q in %q", want, got)
		}
	}
	f := p.Layout()
	// Every data point is drawn as a marker at its mapped position.
	ser := p.Series[0]
	for i := range ser.X {
		px, py, _ := f.Px(ser.X[i], ser.Y[i])
		found := false
		for _, it := range s.Items {
			if c, ok := it.(scene.Circle); ok && math.Abs(float64(c.X-px)) < 1e-3 && math.Abs(float64(c.Y-py)) < 1e-3 {
				found = true
			}
		}
		if !found {
			t.Errorf("point %d (%v,%v) not drawn at (%v,%v)", i, ser.X[i], ser.Y[i], px, py)
		}
	}
	// The reference dashes lie on y = y0·(x/x0)^0.8 through the data's
	// geometric centre: here the data are exactly 2·n^0.8, so the dashes lie
	// on the data line. Map pixels back to data and check.
	ref := p.References[0].Color
	nDash := 0
	for _, it := range s.Items {
		l, ok := it.(scene.Line)
		if !ok || l.Color != ref || l.Y0 == l.Y1 { // the legend swatch is level
			continue
		}
		nDash++
		for _, pt := range [][2]float32{{l.X0, l.Y0}, {l.X1, l.Y1}} {
			lx := math.Log10(f.X.Min) + float64((pt[0]-f.Area.X)/f.Area.W)*math.Log10(f.X.Max/f.X.Min)
			ly := math.Log10(f.Y.Min) + float64((f.Area.Y+f.Area.H-pt[1])/f.Area.H)*math.Log10(f.Y.Max/f.Y.Min)
			if want := math.Log10(2) + 0.8*lx; math.Abs(ly-want) > 2e-3 {
				t.Errorf("dash point (%v,%v): log y %v want %v", pt[0], pt[1], ly, want)
			}
			if !f.In(pt[0], pt[1]) {
				t.Errorf("dash point (%v,%v) outside the area", pt[0], pt[1])
			}
		}
	}
	if nDash < 5 {
		t.Errorf("reference line has %d dashes", nDash)
	}
}

func TestNarrowChartKeepsTheFittedSlope(t *testing.T) {
	s := &scene.Scene{W: 200, H: 200}
	scalingPlot(Rect{0, 0, 150, 130}).Draw(s)
	if !slices.Contains(texts(s), "fit 0.80") {
		t.Errorf("narrow chart legend %q lacks the short fit label", texts(s))
	}
}

func TestSmallRectsDoNotOverflow(t *testing.T) {
	for _, r := range []Rect{{0, 0, 160, 110}, {10, 10, 240, 160}, {0, 0, 900, 500}} {
		s := &scene.Scene{W: 1000, H: 600}
		scalingPlot(r).Draw(s)
		textInside(t, s, r)
		h := &Histogram{Rect: r, Title: "keys reported per row", XLabel: "keys reported", Values: []float64{3, 5, 5, 6, 9, 12, 40},
			Marks: []Mark{{X: 7, Label: "n^(4/5) = 7"}, {X: 8, Label: "Gaussian expectation 8.1"}}}
		s = &scene.Scene{W: 1000, H: 600}
		h.Draw(s)
		textInside(t, s, r)
	}
}

func TestBinAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 50 {
		n := 1 + r.IntN(500)
		vals := make([]float64, n)
		integer := trial%2 == 0
		for i := range vals {
			if integer {
				vals[i] = float64(r.IntN(1 + r.IntN(300)))
			} else {
				vals[i] = r.NormFloat64()*math.Pow(10, float64(r.IntN(5)-2)) + 3
			}
		}
		vals = append(vals, math.NaN(), math.Inf(1))
		bins := 1 + r.IntN(30)
		b := Bin(vals, bins)
		if !isNice(b.Width) || len(b.Counts) != len(b.Edges)-1 || len(b.Counts) > 2*bins+2 {
			t.Fatalf("trial %d: width %v, %d counts, %d edges for %d bins", trial, b.Width, len(b.Counts), len(b.Edges), bins)
		}
		if integer && (b.Width < 1 || b.Edges[0] != math.Trunc(b.Edges[0])-0.5) {
			t.Fatalf("integer data: width %v, first edge %v not centred", b.Width, b.Edges[0])
		}
		total := 0
		for i, c := range b.Counts {
			want := 0
			for _, v := range vals[:n] {
				last := i == len(b.Counts)-1
				if v >= b.Edges[i] && (v < b.Edges[i+1] || (last && v <= b.Edges[i+1])) {
					want++
				}
			}
			if c != want {
				t.Fatalf("trial %d bin %d [%v,%v): got:%d want:%d", trial, i, b.Edges[i], b.Edges[i+1], c, want)
			}
			total += c
		}
		if total != n {
			t.Fatalf("trial %d: %d counted of %d", trial, total, n)
		}
	}
}

func TestHistogramDraw(t *testing.T) {
	vals := []float64{1, 2, 2, 3, 3, 3, 4, 4, 4, 4}
	h := &Histogram{Rect: Rect{0, 0, 300, 200}, Values: vals, Bins: 4, Color: color.RGBA{1, 2, 3, 255}, Marks: []Mark{{X: 2.5, Label: "mean 3"}}}
	s := &scene.Scene{W: 300, H: 200}
	h.Draw(s)
	var bars []scene.Rect
	for _, it := range s.Items {
		if r, ok := it.(scene.Rect); ok && r.Fill == h.Color {
			bars = append(bars, r)
		}
	}
	if len(bars) != 4 {
		t.Fatalf("got %d bars, want 4", len(bars))
	}
	// Heights are proportional to the counts 1, 2, 3, 4, over equal widths.
	for i, b := range bars {
		if math.Abs(float64(b.H/bars[0].H)-float64(i+1)) > 1e-3 || math.Abs(float64(b.W-bars[0].W)) > 1e-3 {
			t.Errorf("bar %d: %+v vs first %+v", i, b, bars[0])
		}
	}
	if !slices.Contains(texts(s), "mean 3") {
		t.Errorf("mark label missing")
	}
	textInside(t, s, h.Rect)
}
