package viz

import (
	"math"
	"strings"
	"testing"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// line returns the numbers panel's line with that id.
func line(t *testing.T, a *App, id string) (numberLine, bool) {
	t.Helper()
	for _, l := range a.numberLines() {
		if l.id == id {
			return l, true
		}
	}
	return numberLine{}, false
}

// naiveCounts is the number of keys each query row reports, by a plain
// loop over the scores <q,k>/√d > b of gen's data (ReLU^α).
func naiveCounts(t *testing.T, p Params) []int {
	t.Helper()
	Q, K, _, err := gen.Generate(p.spec(p.M))
	if err != nil {
		t.Fatal(err)
	}
	sq := math.Sqrt(float64(p.D))
	out := make([]int, p.M)
	for i := range p.M {
		for j := range p.N {
			if naiveDot(Q.RawRowView(i), K.RawRowView(j))/sq > p.B {
				out[i]++
			}
		}
	}
	return out
}

// TestEmptyRowsFlag: a large fixed b leaves every row empty; the panel
// says so in red, the snapshot counts the empty rows, and neither the time
// nor the work is shown as a win. Where every row reports keys there is no
// flag; where some do not, an amber flag counts them.
func TestEmptyRowsFlag(t *testing.T) {
	for _, c := range []struct {
		hash     string
		allEmpty bool
	}{
		{"n=4096&d=2&m=16&b=20&paper_b=false", true},
		{"n=4096&d=2&m=16&b=6&paper_b=false", false}, // 14 of 16 rows empty
		{"n=4096&d=64&m=8&data=decaying&b=1.5&paper_b=false", true},
		{"n=4096&d=8&m=16&b=0&paper_b=false", false},
		{"n=4096&d=2&m=32", false}, // the default: a few small queries report nothing
	} {
		a := settled(t, c.hash)
		counts := naiveCounts(t, a.p)
		empty := 0
		for _, k := range counts {
			if k == 0 {
				empty++
			}
		}
		num, _ := a.numbers()
		if num["empty_rows"] != float64(empty) {
			t.Errorf("%s: empty_rows %v, the plain loop finds %d", c.hash, num["empty_rows"], empty)
		}
		if c.allEmpty != (empty == a.p.M) {
			t.Fatalf("%s: the setting does not do what the test needs: %d of %d rows empty", c.hash, empty, a.p.M)
		}
		fl, has := line(t, a, "empty")
		switch {
		case empty == 0 && has:
			t.Errorf("%s: no row is empty but the panel flags %q", c.hash, fl.label)
		case empty > 0 && !has:
			t.Errorf("%s: %d rows empty and no flag", c.hash, empty)
		case c.allEmpty && (fl.ok != -1 || !strings.Contains(fl.label, "empty")):
			t.Errorf("%s: all rows empty: flag %+v", c.hash, fl)
		case empty > 0 && !c.allEmpty && (fl.ok != 0 || !strings.HasPrefix(fl.label, itoa(empty)+" of ")):
			t.Errorf("%s: %d rows empty: flag %+v", c.hash, empty, fl)
		}
		for _, id := range []string{"work", "time"} {
			l, _ := line(t, a, id)
			if c.allEmpty && l.ok == 1 {
				t.Errorf("%s: nothing reported, yet %s is shown as a win: %+v", c.hash, id, l)
			}
		}
		if !c.allEmpty && empty == 0 {
			if w, _ := line(t, a, "work"); (w.ok == 1) != (num["work_dense_over_hsr"] > 1) {
				t.Errorf("%s: work line %+v with dense/HSR %v", c.hash, w, num["work_dense_over_hsr"])
			}
		}
	}
}

func itoa(n int) string { return fmtInt(n) }

// TestAboveBoundFlag: a mean count above n^(4/5) is marked, against the
// plain loop's mean; below it, it is not.
func TestAboveBoundFlag(t *testing.T) {
	// Massive keys at the isotropic paper's b (σ_s = σ² = 1: b = 1.97 at
	// n = 2^14) report more than n^(4/5); at the b of the measured spread
	// they do not (thresholds.go).
	const massive = "n=16384&d=8&m=16&data=massive&b=1.97&paper_b=false"
	for _, hash := range []string{massive, "n=4096&d=2&m=32", "n=8192&d=16&m=16"} {
		a := settled(t, hash)
		counts := naiveCounts(t, a.p)
		mean := 0.0
		for _, k := range counts {
			mean += float64(k) / float64(len(counts))
		}
		above := mean > math.Pow(float64(a.p.N), 0.8)
		num, _ := a.numbers()
		if num["mean_above_bound"] != b2f(above) {
			t.Errorf("%s: mean_above_bound %v, the plain loop's mean %.1f vs n^(4/5) %.1f", hash,
				num["mean_above_bound"], mean, math.Pow(float64(a.p.N), 0.8))
		}
		l, _ := line(t, a, "bound")
		if (l.ok == -1) != above {
			t.Errorf("%s: mean %.1f, bound line %+v", hash, mean, l)
		}
		if hash == massive && !above {
			t.Errorf("%s: the setting should exceed the bound (mean %.1f)", hash, mean)
		}
		if hash == "n=4096&d=2&m=32" && above {
			t.Errorf("%s: the default should not exceed the bound (mean %.1f)", hash, mean)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestWorkModel checks the work numbers against an independent run of the
// engine (attention.HSR on gen's data, its per-row counts and the index's
// counters) and the plain count: the search d·Stats.Work(d), d+dv per
// reported key, the dense n·(d+dv). At b = −2 nearly every key is used and
// the HSR path does more than the dense one: no win is claimed.
func TestWorkModel(t *testing.T) {
	for _, hash := range []string{"n=4096&d=2&m=16&b=-2&paper_b=false", "n=4096&d=2&m=16", "n=8192&d=16&m=8&data=decaying"} {
		a := settled(t, hash)
		p := a.p
		Q, K, V, err := gen.Generate(p.spec(p.M))
		if err != nil {
			t.Fatal(err)
		}
		// A second engine of the same kind over gen's data, counting its
		// index's own work (IndexOnly, as the app's).
		e, err := attention.NewEngineWith(K, V, p.Index, attention.EngineOptions{IndexOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		counts := naiveCounts(t, p)
		var search, attn float64
		d, dv := p.D, valueDim
		out := make([]float64, dv)
		for i := range p.M {
			r, err := e.Row(Q.RawRowView(i), i, p.attention(), out)
			if err != nil {
				t.Fatal(err)
			}
			if r.Count != counts[i] {
				t.Fatalf("%s row %d: attention.HSR %d keys, the plain loop %d", hash, i, r.Count, counts[i])
			}
			search += float64(d) * r.Stats.Work(d) / float64(p.M)
			attn += float64(counts[i]*(d+dv)) / float64(p.M)
		}
		dense := float64(p.N * (d + dv))
		num, _ := a.numbers()
		near := func(name string, want float64) {
			if got := num[name]; math.Abs(got-want) > 1e-9*math.Max(1, want) {
				t.Errorf("%s: %s %v, recomputed %v", hash, name, got, want)
			}
		}
		near("work_attention", attn)
		near("work_dense", dense)
		near("work_search", search)
		near("work_hsr", search+attn)
		near("work_dense_over_hsr", dense/(search+attn))
		l, _ := line(t, a, "work")
		if hash == "n=4096&d=2&m=16&b=-2&paper_b=false" {
			if num["work_dense_over_hsr"] >= 1 || l.ok == 1 {
				t.Errorf("%s: %v of %v keys used per row, yet the work line is %+v (dense/HSR %v)", hash,
					num["reported_mean"], p.N, l, num["work_dense_over_hsr"])
			}
		}
		if !strings.Contains(l.compactValue(), fmtSI(dense)) {
			t.Errorf("%s: work line %q does not show the dense work %s", hash, l.compactValue(), fmtSI(dense))
		}
	}
}

// TestGaussianExpectedBySampling: the expected count per row, given q_i,
// against the fraction of 2^17 fresh keys of the same kind (another seed)
// above b, row by row, within 5 standard errors. The spread σ² alone
// (what the panel used to show) is off by more than that at d = 2.
func TestGaussianExpectedBySampling(t *testing.T) {
	for _, hash := range []string{"n=4096&d=2&m=16", "n=4096&d=8&m=8&data=decaying&b=0.3&paper_b=false",
		"n=4096&d=4&m=8&data=massive&b=4&paper_b=false"} {
		a := settled(t, hash)
		p := a.p
		sp := p.spec(0)
		sp.N, sp.Seed = 1<<17, p.Seed+1000
		st, err := gen.NewStream(sp, gen.MatrixK)
		if err != nil {
			t.Fatal(err)
		}
		K := make([]float64, sp.N*p.D)
		st.Fill(K)
		sq := math.Sqrt(float64(p.D))
		meanWant, meanOld, meanSampled := 0.0, 0.0, 0.0
		for i := range p.M {
			q := a.q[i*p.D : (i+1)*p.D]
			hits := 0
			for j := range sp.N {
				if naiveDot(q, K[j*p.D:(j+1)*p.D])/sq > p.B {
					hits++
				}
			}
			frac := float64(hits) / float64(sp.N)
			// The row's expectation as the app computes it, one row.
			sig := st.ColumnSigmas()
			v := 0.0
			for c, x := range q {
				v += x * x * sig[c] * sig[c]
			}
			pr := 0.5 * math.Erfc(p.B/math.Sqrt(v/float64(p.D))/math.Sqrt2)
			if se := math.Sqrt(pr * (1 - pr) / float64(sp.N)); math.Abs(frac-pr) > 5*se+1e-12 {
				t.Errorf("%s row %d: sampled P(score > b) %.5g, exact %.5g (5 s.e. %.2g)", hash, i, frac, pr, 5*se)
			}
			meanWant += float64(p.N) * pr / float64(p.M)
			meanSampled += float64(p.N) * frac / float64(p.M)
			meanOld += attention.GaussianExpectedCount(p.N, p.B, p.Sigma*p.Sigma) / float64(p.M)
		}
		num, _ := a.numbers()
		if got := num["gaussian_expected"]; math.Abs(got-meanWant) > 1e-9*meanWant {
			t.Errorf("%s: gaussian_expected %v, want %v (sampled %v)", hash, got, meanWant, meanSampled)
		}
		if hash == "n=4096&d=2&m=16" && math.Abs(meanOld-meanSampled) < 5*math.Abs(meanWant-meanSampled) {
			t.Errorf("%s: the σ²-only count %v should be clearly off the sampled %v (exact %v)", hash, meanOld, meanSampled, meanWant)
		}
	}
	// Clustered keys are not Gaussian: none, with the reason, and the line says so.
	a := settled(t, "n=2048&d=8&m=8&data=clustered")
	num, none := a.numbers()
	if !math.IsNaN(num["gaussian_expected"]) || !strings.Contains(none["gaussian_expected"], "not Gaussian") {
		t.Errorf("clustered: gaussian_expected %v (%q)", num["gaussian_expected"], none["gaussian_expected"])
	}
	if l, _ := line(t, a, "expected"); l.value != "does not apply" {
		t.Errorf("clustered: expected line %+v", l)
	}
}

// TestScalingMeanIsNumbersMean: the scaling series averages the same m
// queries as Numbers (m above the old cap of 32): its point at n' = n is
// the Numbers mean exactly, and both panels say m.
func TestScalingMeanIsNumbersMean(t *testing.T) {
	for _, hash := range []string{"n=2048&d=3&m=40", "n=2048&d=3&m=40&kind=softmax&gamma=0.6", "n=1024&d=8&m=5&b=0.2&paper_b=false"} {
		a := settled(t, hash)
		num, _ := a.numbers()
		sj := a.scaling
		last := sj.points[len(sj.points)-1]
		if last.n != a.p.N || last.queries != a.p.M || num["scaling_queries"] != float64(a.p.M) {
			t.Fatalf("%s: last point n=%d over %d queries (scaling_queries %v), want n=%d, m=%d", hash, last.n, last.queries,
				num["scaling_queries"], a.p.N, a.p.M)
		}
		if last.reported != num["reported_mean"] {
			t.Errorf("%s: scaling mean %v at n, Numbers mean %v", hash, last.reported, num["reported_mean"])
		}
		// The point at n' = n/2 against a plain loop over the first n/2
		// keys at that size's threshold (ReLU^α).
		if a.p.Kind == attention.ReLU {
			half := sj.points[len(sj.points)-2]
			ph := a.p
			ph.N = half.n
			if ph.PaperB { // the paper's b at n/2 with the spread measured on the data shown
				ph.B = attention.PaperThreshold(ph.N, sampleSigma(bruteScores(t, a.p), a.p.N))
			}
			Q, K, _, err := gen.Generate(ph.spec(ph.M))
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for i := range ph.M {
				for j := range ph.N {
					if naiveDot(Q.RawRowView(i), K.RawRowView(j))/math.Sqrt(float64(ph.D)) > ph.B {
						total++
					}
				}
			}
			if want := float64(total) / float64(ph.M); half.n != a.p.N/2 || half.reported != want {
				t.Errorf("%s: scaling point n'=%d mean %v, the plain loop over the first %d keys %v", hash, half.n, half.reported, ph.N, want)
			}
		}
		m := "m = " + itoa(a.p.M)
		if c := a.scalingCaption(); !strings.Contains(c, m) {
			t.Errorf("%s: scaling caption %q does not say %s", hash, c, m)
		}
		found := false
		for _, it := range a.Scene(1280, 800).Items {
			if tx, ok := it.(scene.Text); ok && strings.Contains(tx.S, "Measured over "+m+" queries") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: the numbers panel does not say %s", hash, m)
		}
	}
}

// TestScalingTheoryLine: the theory line has the setting's slope (4/5 at
// the paper's b, 1 at a fixed b, γ for softmax) and goes through the
// geometric mean of the measured points, recomputed here; the dashes drawn
// lie on it.
func TestScalingTheoryLine(t *testing.T) {
	for _, c := range []struct {
		hash  string
		slope float64
	}{
		{"n=4096&d=2&m=16", 0.8},
		{"n=4096&d=2&m=16&b=0.5&paper_b=false", 1},
		{"n=4096&d=8&m=8&kind=softmax&gamma=0.6", 0.6},
	} {
		a := settled(t, c.hash)
		sj := a.scaling
		var lx, ly float64
		for _, p := range sj.points {
			lx += math.Log10(float64(p.n)) / float64(len(sj.points))
			ly += math.Log10(p.reported) / float64(len(sj.points))
		}
		body := rect{20, 40, 420, 260}
		ch := scalingChart(sj, body)
		if len(ch.References) != 1 {
			t.Fatalf("%s: %d theory lines", c.hash, len(ch.References))
		}
		ref := ch.References[0]
		if ref.Slope != c.slope || math.Abs(math.Log10(ref.X0)-lx) > 1e-12 || math.Abs(math.Log10(ref.Y0)-ly) > 1e-12 {
			t.Errorf("%s: theory line slope %v through (%v, %v), want slope %v through (10^%v, 10^%v)", c.hash,
				ref.Slope, ref.X0, ref.Y0, c.slope, lx, ly)
		}
		num, _ := a.numbers()
		if num["scaling_theory_slope"] != c.slope {
			t.Errorf("%s: scaling_theory_slope %v, want %v", c.hash, num["scaling_theory_slope"], c.slope)
		}
		s := &scene.Scene{W: 500, H: 400}
		ch.Draw(s)
		f := ch.Layout()
		dashes := 0
		for _, it := range s.Items {
			l, ok := it.(scene.Line)
			if !ok || l.Color != colQuery || l.Y0 == l.Y1 { // the legend swatch is level
				continue
			}
			dashes++
			for _, pt := range [][2]float32{{l.X0, l.Y0}, {l.X1, l.Y1}} {
				x := math.Log10(f.X.Min) + float64((pt[0]-f.Area.X)/f.Area.W)*math.Log10(f.X.Max/f.X.Min)
				y := math.Log10(f.Y.Min) + float64((f.Area.Y+f.Area.H-pt[1])/f.Area.H)*math.Log10(f.Y.Max/f.Y.Min)
				if want := ly + c.slope*(x-lx); math.Abs(y-want) > 3e-3 {
					t.Errorf("%s: dash point at log n %.3f: log y %.4f, the line through the data gives %.4f", c.hash, x, y, want)
				}
			}
		}
		if dashes < 3 {
			t.Errorf("%s: %d dashes drawn", c.hash, dashes)
		}
	}
}

// TestSlopeLine: the work's fitted slope is said, and called sublinear
// only below 0.9 (about linear up to 1.1); an empty series has no slope.
func TestSlopeLine(t *testing.T) {
	for _, hash := range []string{"n=8192&d=2&m=16", "n=4096&d=2&m=16&b=-2&paper_b=false", "n=4096&d=64&m=8&data=decaying&b=1.5&paper_b=false"} {
		a := settled(t, hash)
		sj := a.scaling
		xs, ys := []float64{}, []float64{}
		for _, p := range sj.points {
			xs = append(xs, float64(p.n))
			ys = append(ys, p.work)
		}
		slope, _ := attention.FitPowerLaw(xs, ys)
		num, none := a.numbers()
		l, _ := line(t, a, "slope")
		if sj.noSlope() != "" {
			if !math.IsNaN(num["scaling_slope_work"]) || none["scaling_slope_work"] == "" || l.value != "no slope" {
				t.Errorf("%s: empty series: slope %v (%q), line %+v", hash, num["scaling_slope_work"], none["scaling_slope_work"], l)
			}
			continue
		}
		if math.Abs(num["scaling_slope_work"]-slope) > 1e-12 {
			t.Errorf("%s: scaling_slope_work %v, refitted %v", hash, num["scaling_slope_work"], slope)
		}
		word := "about linear, like dense"
		switch {
		case slope < 0.9:
			word = "sublinear"
		case slope > 1.1:
			word = "superlinear"
		}
		if !strings.HasSuffix(l.value, ": "+word) || num["scaling_work_sublinear"] != b2f(slope < 0.9) {
			t.Errorf("%s: slope %.3f, line %q, scaling_work_sublinear %v", hash, slope, l.value, num["scaling_work_sublinear"])
		}
	}
}

// TestNumbersPanelWhole: at 1280×720, 1024×768, 1280×800 and 1920×1080,
// in settings that add flags and long values, every line of the numbers
// panel is drawn inside the panel and no text in it is cut with "…".
func TestNumbersPanelWhole(t *testing.T) {
	for _, hash := range []string{"", "b=-2&paper_b=false", "data=decaying&d=64&b=1.5&paper_b=false",
		"n=16384&d=8&data=massive", "n=16384&d=16&kind=softmax", "n=8192&d=16&data=clustered&m=256"} {
		a := settled(t, hash)
		for _, sz := range [][2]int{{1280, 720}, {1024, 768}, {1280, 800}, {1920, 1080}} {
			sc := a.Scene(sz[0], sz[1])
			var pr Region
			for _, r := range a.Snapshot().Panels {
				if r.Name == PanelNumbers {
					pr = r
				}
			}
			lines := a.Snapshot().NumberLines
			if len(lines) != len(a.numberLines()) || len(lines) < 8 {
				t.Fatalf("%s %v: %d regions for %d lines", hash, sz, len(lines), len(a.numberLines()))
			}
			for _, l := range lines {
				if l.W <= 0 || l.H <= 0 || l.X < pr.X || l.Y < pr.Y || l.X+l.W > pr.X+pr.W || l.Y+l.H > pr.Y+pr.H {
					t.Errorf("%s %v: line %q at %+v not whole inside the panel %+v", hash, sz, l.Name, l, pr)
				}
			}
			for _, it := range sc.Items {
				tx, ok := it.(scene.Text)
				if ok && tx.X >= pr.X && tx.X < pr.X+pr.W && tx.Y >= pr.Y && tx.Y < pr.Y+pr.H && strings.HasSuffix(tx.S, "…") &&
					!strings.HasPrefix(tx.S, "measuring") {
					t.Errorf("%s %v: cut text in the numbers panel: %q", hash, sz, tx.S)
				}
			}
		}
	}
}

// TestNumbersPanelLeavesOutDetailsFirst: when the panel is too small for
// every line in any layout (a lesson card above it at 1280×800), the
// details go first and the verdict stays: "HSR vs dense" is drawn whole,
// and a line says how many were hidden, matching the lines left out.
func TestNumbersPanelLeavesOutDetailsFirst(t *testing.T) {
	a := settled(t, "lesson=halfspace")
	a.Scene(1280, 800)
	a.Scene(1280, 800)
	var pr Region
	for _, r := range a.Snapshot().Panels {
		if r.Name == PanelNumbers {
			pr = r
		}
	}
	drawn, empty := map[string]bool{}, 0
	for _, l := range a.Snapshot().NumberLines {
		if l.W > 0 && l.H > 0 {
			if l.X < pr.X || l.Y < pr.Y || l.X+l.W > pr.X+pr.W || l.Y+l.H > pr.Y+pr.H {
				t.Errorf("line %q at %+v not inside the panel %+v", l.Name, l, pr)
			}
			drawn[l.Name] = true
		} else {
			empty++
		}
	}
	if !drawn["exact"] || !drawn["keys"] || !drawn["work"] {
		t.Fatalf("drawn lines %v: want exact, keys and work among them", drawn)
	}
	if empty == 0 {
		t.Fatal("every line fits at this size: the test needs a setting where some are left out")
	}
	if !drawn["hidden"] {
		t.Fatalf("%d lines left out but no line says so (drawn %v)", empty, drawn)
	}
	// The hidden ones are the first of leaveOut among the panel's lines.
	present := map[string]bool{}
	for _, l := range a.numberLines() {
		present[l.id] = true
	}
	left := 0
	for _, id := range leaveOut {
		if present[id] && left < empty {
			left++
			if drawn[id] {
				t.Errorf("%q drawn while a more important line was left out", id)
			}
		}
	}
}
