package viz

import (
	"math"
	"testing"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/internal/fingerprint"
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

func settled(t *testing.T, hash string) *App {
	t.Helper()
	a := appFromHash(t, hash)
	a.Settle()
	return a
}

// appFromHash is NewApp for the parameters of hash, before any work.
func appFromHash(t testing.TB, hash string) *App {
	t.Helper()
	p, err := ParseHash(hash)
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewApp(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// newSettled is NewApp(p) run until nothing is pending (every result
// computed, or stopped by an error).
func newSettled(t *testing.T, p Params) *App {
	t.Helper()
	a, err := NewApp(p)
	if err != nil {
		t.Fatal(err)
	}
	a.Settle()
	return a
}

// naiveDot is the oracle's dot product (plain loop, one accumulator).
func naiveDot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func TestChangingBDoesNotRebuild(t *testing.T) {
	a := settled(t, "n=2048&d=3&m=8")
	builds := a.IndexBuilds()
	if builds == 0 {
		t.Fatal("no index was built")
	}
	K := &a.data.K[0]
	for _, patch := range []string{`{"b":0.9}`, `{"b":1.4}`, `{"alpha":3}`, `{"kind":"softmax"}`, `{"gamma":0.6}`,
		`{"query":5}`, `{"index":"scan"}`, `{"index":"auto"}`, `{"speed":20}`, `{"paper_b":true}`} {
		if err := a.SetParamsJSON([]byte(patch)); err != nil {
			t.Fatal(err)
		}
		a.Settle()
		if got := a.IndexBuilds(); got != builds {
			t.Fatalf("after %s: %d index builds, want %d (no rebuild)", patch, got, builds)
		}
		if &a.data.K[0] != K {
			t.Fatalf("after %s: keys regenerated", patch)
		}
	}
	// keys and three keyboard nudges of b: still no rebuild
	for i := 0; i < 3; i++ {
		a.Update(input.Input{Keys: []string{"]"}})
	}
	a.Settle()
	if a.IndexBuilds() != builds {
		t.Fatal("b key nudges rebuilt the index")
	}
	// n, d, data, σ and seed do rebuild
	for _, patch := range []string{`{"n":4096}`, `{"d":4}`, `{"data":"decaying"}`, `{"sigma":1.5}`, `{"seed":7}`} {
		if err := a.SetParamsJSON([]byte(patch)); err != nil {
			t.Fatal(err)
		}
		a.Settle()
		if got := a.IndexBuilds(); got <= builds {
			t.Fatalf("after %s: builds %d, want more than %d", patch, got, builds)
		}
		builds = a.IndexBuilds()
	}
}

func TestGeometrySides(t *testing.T) {
	for _, hash := range []string{"n=4096&d=2&m=4", "n=4096&d=64&m=4&query=3", "n=1024&d=1&m=2", "n=2048&d=5&m=2&data=clustered"} {
		a := settled(t, hash)
		g := a.geometry()
		d := a.p.D
		q := a.q[a.p.Query*d : (a.p.Query+1)*d]
		c := math.Sqrt(float64(d)) * a.p.B
		bad := 0
		for i, j := range g.ids {
			k := a.data.key_(j)
			want := naiveDot(q, k) > c
			if math.Abs(naiveDot(q, k)-c) < 1e-9*(1+math.Abs(c)) {
				continue // on the boundary up to rounding
			}
			if got := g.pr.side(g.xs[i], g.ys[i]); got != want {
				bad++
			}
			if g.reported[i] != want {
				t.Errorf("%s: key %d drawn reported=%v, oracle %v", hash, j, g.reported[i], want)
			}
			if d != 2 {
				// the boundary is the vertical line x = c/|q|
				if (g.xs[i] > g.pr.boundaryX()) != want {
					bad++
				}
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d keys drawn on the wrong side", hash, bad)
		}
		if d == 2 && (g.xs[0] != a.data.key_(g.ids[0])[0] || g.ys[0] != a.data.key_(g.ids[0])[1]) {
			t.Errorf("d=2 must draw keys at their coordinates")
		}
	}
}

func TestProjectionAxesOrthonormal(t *testing.T) {
	a := settled(t, "n=2048&d=16&m=2&data=decaying")
	g := a.geometry()
	if e := math.Abs(naiveDot(g.pr.qhat, g.pr.u)); e > 1e-9 {
		t.Errorf("u not orthogonal to q: %g", e)
	}
	if e := math.Abs(naiveDot(g.pr.u, g.pr.u) - 1); e > 1e-9 {
		t.Errorf("u not unit: %g", e)
	}
}

func TestIntervalBarsMatchTrace(t *testing.T) {
	for _, hash := range []string{"n=4096&d=2&m=2", "n=8192&d=64&m=2", "n=4096&d=8&m=2&index=auto"} {
		a := settled(t, hash)
		tr := a.trace
		r := rect{100, 50, 400, 300}
		bars := intervalBars(tr, len(tr.Steps), r)
		if len(bars) != len(tr.Steps) {
			t.Fatalf("%d bars for %d steps", len(bars), len(tr.Steps))
		}
		lo, hi := intervalAxis(tr)
		px := float64(r.W) / (hi - lo) // pixels per unit
		for i, b := range bars {
			s := tr.Steps[i]
			x0 := lo + float64(b.x0-r.X)/px
			x1 := lo + float64(b.x1-r.X)/px
			tol := 1.0/px + 1e-9*math.Abs(s.Max)
			if math.Abs(x0-s.Min) > tol && b.x1-b.x0 > 1.6 || math.Abs(x1-s.Max) > tol && b.x1-b.x0 > 1.6 {
				t.Fatalf("%s step %d: bar [%g, %g] vs trace [%g, %g]", hash, i, x0, x1, s.Min, s.Max)
			}
			// the decision agrees with the bar's side of the threshold line
			switch s.Decision {
			case hsr.Pruned:
				if s.Max > tr.C || b.x0 > b.cx+1 {
					t.Fatalf("%s step %d: pruned bar not left of c", hash, i)
				}
			case hsr.ReportedWhole:
				if s.Min <= tr.C || b.x1 < b.cx-1 {
					t.Fatalf("%s step %d: reported-whole bar not right of c", hash, i)
				}
			}
			if b.y < r.Y || b.y+b.h > r.Y+r.H+0.01 {
				t.Fatalf("bar %d outside the view", i)
			}
		}
	}
}

func TestHeatmapMaxKeepsLoneHotKey(t *testing.T) {
	bins := make([]float32, 512)
	bins[301] = 0.9
	got := aggregateMax(bins, 37, false)
	hot := 0
	for _, v := range got {
		if v == 0.9 {
			hot++
		}
	}
	if hot != 1 {
		t.Fatalf("lone hot bin: %d columns hot, want 1", hot)
	}
	sg := make([]float32, 512)
	sg[7], sg[8] = -0.5, 0.2
	if v := aggregateMax(sg, 16, true)[0]; v != -0.5 {
		t.Errorf("signed max: got %v want -0.5", v)
	}
	// end to end: a lone key with all the weight survives into the pixels
	a := settled(t, "n=65536&d=4&m=3&b=3")
	rows, nb := a.panelByName(PanelHeatmap).(*heatmapPanel).heatRows(a)
	r := *rows[0]
	r.dense = make([]float32, nb)
	r.dense[123] = 1
	img := paintHeat([]*rowResult{&r}, nb, 90, 10, 0, 1)
	bright := false
	top := viridisLUT.At(1)
	for x := 0; x < 90; x++ {
		if img.RGBAAt(x, 5) == top {
			bright = true
		}
	}
	if !bright {
		t.Error("a lone activated key vanished from the heatmap at 90 pixels for 65536 keys")
	}
}

// The app's numbers for a setting equal package attention's on the same
// data, generated independently by gen.Generate: the key and query sets,
// the counts, the work, the certified bound and the measured error; the
// counts are also checked against a plain loop over the scores.
func TestNumbersAgainstOracle(t *testing.T) {
	for _, hash := range []string{"n=4096&d=2&m=16", "n=2048&d=32&m=8&b=0.8&alpha=3&data=massive",
		"n=4096&d=8&m=8&kind=softmax&gamma=0.5", "n=2048&d=16&m=8&kind=softmax&gamma=0.3&data=clustered&index=auto"} {
		a := settled(t, hash)
		s := a.Snapshot()
		if s.Busy || !s.Ready || s.Progress != 1 {
			t.Fatalf("%s: settled but busy=%v ready=%v progress=%v", hash, s.Busy, s.Ready, s.Progress)
		}
		num := s.Numbers
		p := a.p
		n, m, d := p.N, p.M, p.D
		Q, K, V, err := gen.Generate(p.spec(m))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fingerprint.Of(a.data.K), fingerprint.Of(K.RawMatrix().Data); got != want {
			t.Fatalf("%s: the app's keys are not gen's (hash %s vs %s)", hash, got, want)
		}
		if got, want := fingerprint.Of(a.q), fingerprint.Of(Q.RawMatrix().Data); got != want {
			t.Fatalf("%s: the app's queries are not gen's", hash)
		}
		ap := attention.Params{Kind: p.Kind, Alpha: p.Alpha, B: p.B, Index: p.Index}
		if p.Kind == attention.Softmax {
			ap.TopR = attention.TopRFromGamma(n, p.Gamma)
		}
		hsrRes, err := attention.HSR(Q, K, V, ap)
		if err != nil {
			t.Fatal(err)
		}
		dense, err := attention.Dense(Q, K, V, ap)
		if err != nil {
			t.Fatal(err)
		}
		// counts: attention's rows, and a plain loop over the scores
		sq := math.Sqrt(float64(d))
		total, mn, mx := 0, n, 0
		var bound, maxErr float64
		for i, r := range hsrRes.Rows {
			q := Q.RawRowView(i)
			// Softmax keeps the keys scoring ≥ τ_i, τ_i itself a score: the
			// plain loop's other summation order may round that key just
			// below it, so it counts within a 1e-12 band.
			cut := r.Threshold
			if p.Kind == attention.Softmax {
				cut -= 1e-12 * math.Max(1, math.Abs(cut))
			}
			naive := 0
			for j := 0; j < n; j++ {
				if naiveDot(q, K.RawRowView(j))/sq > cut {
					naive++
				}
			}
			if naive != r.Count {
				t.Errorf("%s row %d: attention counts %d keys, the plain loop %d", hash, i, r.Count, naive)
			}
			total += r.Count
			mn, mx = min(mn, r.Count), max(mx, r.Count)
			if p.Kind == attention.Softmax {
				bound = math.Max(bound, r.ErrorBound)
			}
			for t2 := 0; t2 < valueDim; t2++ {
				maxErr = math.Max(maxErr, math.Abs(hsrRes.Out.At(i, t2)-dense.Out.At(i, t2)))
			}
		}
		check := func(name string, want float64, tol float64) {
			t.Helper()
			got, ok := num[name]
			if !ok {
				t.Errorf("%s: Numbers has no %q", hash, name)
				return
			}
			if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
				t.Errorf("%s: %s got:%v want:%v", hash, name, got, want)
			}
		}
		check("reported_total", float64(total), 0)
		check("reported_mean", float64(total)/float64(m), 1e-12)
		check("reported_min", float64(mn), 0)
		check("reported_max", float64(mx), 0)
		check("count_bound", math.Exp(0.8*math.Log(float64(n))), 1e-12)
		check("dots_dense", float64(n*m), 0)
		if p.Index == hsr.IndexTree {
			// The engine used by attention.HSR is the same kind of index;
			// its work is deterministic for a tree.
			check("nodes_visited", float64(hsrRes.Stats.NodesVisited), 0)
			check("nodes_pruned", float64(hsrRes.Stats.Pruned), 0)
			check("nodes_reported_whole", float64(hsrRes.Stats.ReportedWhole), 0)
			check("dots", float64(hsrRes.Stats.DotProducts), 0)
		}
		// the dense output is summed in another order: agree to rounding
		check("max_error", maxErr, 1e-9)
		if p.Kind == attention.ReLU {
			// Exact for Gaussian keys: given q_i the score is
			// N(0, Σ_t q_t²σ_t²/d) (numbers_test.go checks it by sampling).
			ks, err := gen.NewStream(p.spec(0), gen.MatrixK)
			if err != nil {
				t.Fatal(err)
			}
			sig, want := ks.ColumnSigmas(), 0.0
			for i := range m {
				v := 0.0
				for c, x := range Q.RawRowView(i) {
					v += x * x * sig[c] * sig[c]
				}
				want += float64(n) * 0.5 * math.Erfc(p.B/(math.Sqrt(v/float64(d))*math.Sqrt2)) / float64(m)
			}
			check("gaussian_expected", want, 1e-12)
			check("exact", 1, 0)
			check("exact_rows", float64(m), 0)
		} else {
			check("top_r", float64(attention.TopRFromGamma(n, p.Gamma)), 0)
			check("error_bound", bound, 0)
			if num["error_bound"] < num["max_error"] || num["bound_holds"] != 1 {
				t.Errorf("%s: bound %v < error %v", hash, num["error_bound"], num["max_error"])
			}
			if num["max_error"] <= 0 {
				t.Errorf("%s: softmax top-r error is exactly 0: suspicious", hash)
			}
			if vinf := num["error_bound"]; vinf >= 2*a.data.vmax() {
				t.Errorf("%s: the bound %v is the trivial 2‖V‖∞ = %v", hash, vinf, 2*a.data.vmax())
			}
		}
		for _, name := range []string{"index_query_ms", "scan_query_ms", "speedup", "steps", "step"} {
			if _, ok := num[name]; !ok {
				t.Errorf("%s: Numbers has no %q", hash, name)
			}
		}
		if num["index_query_ms"] <= 0 || num["scan_query_ms"] <= 0 {
			t.Errorf("%s: times not measured: %v %v", hash, num["index_query_ms"], num["scan_query_ms"])
		}
		// the trace animated is the real query: same reported count as the row
		if got := num["trace_reported"]; int(got) != hsrRes.Rows[p.Query].Count {
			t.Errorf("%s: trace reported %v, attention's row %d", hash, got, hsrRes.Rows[p.Query].Count)
		}
	}
}

func TestScalingSeries(t *testing.T) {
	a := settled(t, "n=8192&d=2&m=8")
	sj := a.scaling
	if !sj.complete || len(sj.points) != len(scalingSizes(8192)) {
		t.Fatalf("scaling: complete=%v points=%d", sj.complete, len(sj.points))
	}
	// the last point is the main index at the paper threshold; recompute one
	// point independently: n' = 1024, 8 queries, b(n') with the spread
	// measured on the data shown
	var pt scalePoint
	for _, x := range sj.points {
		if x.n == 1024 {
			pt = x
		}
	}
	d := 2
	b := attention.PaperThreshold(1024, sampleSigma(bruteScores(t, a.p), a.p.N))
	sum := 0
	for i := 0; i < 8; i++ {
		for j := 0; j < 1024; j++ {
			if naiveDot(a.q[i*d:(i+1)*d], a.data.K[j*d:(j+1)*d]) > math.Sqrt(2)*b {
				sum++
			}
		}
	}
	if pt.reported != float64(sum)/8 {
		t.Errorf("scaling point n=1024: reported %v, oracle %v", pt.reported, float64(sum)/8)
	}
	if s := a.Snapshot().Numbers["scaling_slope_reported"]; !(s > 0.5 && s < 1.0) {
		t.Errorf("reported slope at the paper threshold, d=2: %v, want near 4/5", s)
	}
}

func TestLayoutNoOverlap(t *testing.T) {
	a := settled(t, "n=1024&d=2&m=8")
	for _, sz := range [][2]int{{1280, 800}, {800, 1200}, {390, 844}, {1920, 1080}, {700, 500}} {
		a.Scene(sz[0], sz[1])
		ps := a.Snapshot().Panels
		if len(ps) != 7 {
			t.Fatalf("%v: %d panels", sz, len(ps))
		}
		for i, p := range ps {
			r := rect{p.X, p.Y, p.W, p.H}
			if r.W < 150 || r.H < 120 {
				t.Errorf("%v: panel %s too small: %+v", sz, p.Name, p)
			}
			if r.X < 0 || r.X+r.W > float32(sz[0]) {
				t.Errorf("%v: panel %s outside the width: %+v", sz, p.Name, p)
			}
			if sz[0] >= 800 && r.Y+r.H > float32(sz[1]) {
				t.Errorf("%v: panel %s below the window: %+v", sz, p.Name, p)
			}
			for _, o := range ps[i+1:] {
				if r.overlaps(rect{o.X, o.Y, o.W, o.H}) {
					t.Errorf("%v: panels %s and %s overlap", sz, p.Name, o.Name)
				}
			}
		}
		// widgets stay inside the control panel
		var ctl Region
		for _, p := range ps {
			if p.Name == PanelControls {
				ctl = p
			}
		}
		for _, w := range a.Snapshot().Widgets {
			if w.X < ctl.X || w.Y < ctl.Y || w.X+w.W > ctl.X+ctl.W+0.5 || w.Y+w.H > ctl.Y+ctl.H+0.5 {
				t.Errorf("%v: widget %s outside the controls: %+v vs %+v", sz, w.Name, w, ctl)
			}
		}
	}
}

func TestRasterizedPanelsNotBlank(t *testing.T) {
	for _, hash := range []string{"n=4096&d=2&m=16", "n=4096&d=64&m=16", "n=2048&d=8&m=8&kind=softmax"} {
		a := settled(t, hash)
		a.step = len(a.trace.Steps) / 2
		img := scene.Rasterize(a.Scene(1280, 800))
		for _, p := range a.Snapshot().Panels {
			ink := 0
			for y := int(p.Y) + 40; y < int(p.Y+p.H)-2; y += 2 {
				for x := int(p.X) + 2; x < int(p.X+p.W)-2; x += 2 {
					c := img.RGBAAt(x, y)
					if c != colPanel && c != colBackground {
						ink++
					}
				}
			}
			if ink < 200 {
				t.Errorf("%s: panel %s nearly blank (%d inked samples)", hash, p.Name, ink)
			}
		}
	}
}

func TestKeysAndAnimation(t *testing.T) {
	a := settled(t, "n=2048&d=2&m=8")
	b0 := a.p.B
	a.Update(input.Input{Keys: []string{"]"}})
	if got, want := a.p.B, b0+0.1; math.Abs(got-want) > 1e-6 || a.p.PaperB {
		t.Errorf("]: b=%v paper=%v, want %v and false", got, a.p.PaperB, want)
	}
	a.Update(input.Input{Keys: []string{"[", "["}})
	if got, want := a.p.B, b0-0.1; math.Abs(got-want) > 1e-6 {
		t.Errorf("[[: b=%v want %v", got, want)
	}
	a.Update(input.Input{Keys: []string{"p"}})
	if !a.p.PaperB || a.p.B != b0 {
		t.Errorf("p: b=%v paper=%v", a.p.B, a.p.PaperB)
	}
	a.Settle()
	if !a.playing {
		t.Fatal("not playing by default")
	}
	a.Update(input.Input{Keys: []string{"space"}})
	if a.playing {
		t.Fatal("space did not pause")
	}
	s0 := a.step
	a.Update(input.Input{Keys: []string{"right", "right"}})
	if a.step != min(s0+2, len(a.trace.Steps)) {
		t.Errorf("→→: step %d want %d", a.step, s0+2)
	}
	a.Update(input.Input{Keys: []string{"left"}})
	if a.step != min(s0+1, len(a.trace.Steps)) {
		t.Errorf("←: step %d", a.step)
	}
	a.Update(input.Input{Keys: []string{"home"}})
	if a.step != 0 {
		t.Errorf("home: step %d", a.step)
	}
	// playing advances by speed·dt
	a.SetPlaying(true)
	a.Update(input.Input{DT: 0.2})
	a.Update(input.Input{DT: 0.2})
	if want := int(0.4 * a.p.Speed); a.step != want {
		t.Errorf("playing 0.5 s at %v steps/s: step %d want %d", a.p.Speed, a.step, want)
	}
	sp := a.p.Speed
	a.Update(input.Input{Keys: []string{"plus"}})
	if a.p.Speed <= sp {
		t.Errorf("+ did not speed up")
	}
	a.Update(input.Input{Keys: []string{"down"}})
	if a.p.Query != 1 {
		t.Errorf("↓: query %d want 1", a.p.Query)
	}
	a.Update(input.Input{Keys: []string{"i"}})
	if a.p.Index != hsr.IndexScan {
		t.Errorf("i: index %s want scan", a.p.Index)
	}
	a.Update(input.Input{Keys: []string{"k"}})
	if a.p.Kind != attention.Softmax {
		t.Errorf("k: kind %s", a.p.Kind)
	}
	// StepAnimation clamps
	a.StepAnimation(1 << 20)
	a.Settle()
	if a.step != len(a.trace.Steps) || a.Snapshot().Steps != len(a.trace.Steps) {
		t.Errorf("StepAnimation past the end: %d of %d", a.step, len(a.trace.Steps))
	}
}

func TestSliderDragChangesB(t *testing.T) {
	a := settled(t, "n=2048&d=2&m=8")
	a.Scene(1280, 800)
	var br Region
	for _, w := range a.Snapshot().Widgets {
		if w.Name == "b" {
			br = w
		}
	}
	if br.W == 0 {
		t.Fatal("no b widget")
	}
	b0 := a.p.B
	y := br.Y + br.H - 6
	press := func(x float32, down bool) {
		a.Update(input.Input{DT: 1.0 / 60, Pointers: []input.Pointer{{X: x, Y: y, Down: down}}})
	}
	press(br.X+br.W*0.5, false)
	press(br.X+br.W*0.5, true)
	press(br.X+br.W*0.9, true)
	press(br.X+br.W*0.9, false)
	if a.p.B <= b0 || a.p.PaperB {
		t.Errorf("dragging b to the right: b %v → %v (paper %v)", b0, a.p.B, a.p.PaperB)
	}
	builds := a.IndexBuilds()
	a.Settle()
	if a.IndexBuilds() != builds {
		t.Error("dragging b rebuilt the index")
	}
	// the n slider: dragging to the left end gives n = 2^6
	a.Scene(1280, 800)
	var nr Region
	for _, w := range a.Snapshot().Widgets {
		if w.Name == "n" {
			nr = w
		}
	}
	y = nr.Y + nr.H - 6
	press(nr.X+nr.W*0.5, false)
	press(nr.X+nr.W*0.5, true)
	press(nr.X-50, true)
	press(nr.X-50, false)
	if a.p.N != 64 {
		t.Errorf("dragging n to the left end: n = %d want 64", a.p.N)
	}
}

func TestProgressSpreadOverFrames(t *testing.T) {
	a := appFromHash(t, "n=65536&d=32&m=64")
	a.Update(input.Input{DT: 1.0 / 60})
	s := a.Snapshot()
	if !s.Busy || s.Ready || s.Progress >= 1 || s.Progress < 0 {
		t.Fatalf("after one tick at n=65536,d=32: busy=%v ready=%v progress=%v", s.Busy, s.Ready, s.Progress)
	}
	// the screen shows progress rather than nothing
	img := scene.Rasterize(a.Scene(1280, 800))
	if img.Bounds().Dx() != 1280 {
		t.Fatal("bad raster")
	}
	last := s.Progress
	for i := 0; i < 100000 && a.Snapshot().Busy; i++ {
		a.Update(input.Input{DT: 1.0 / 60})
		if pr := a.Snapshot().Progress; pr < last-0.2 {
			t.Fatalf("progress went back: %v → %v", last, pr)
		} else {
			last = pr
		}
	}
	if s := a.Snapshot(); s.Busy || !s.Ready {
		t.Fatalf("never finished: %+v", s.Progress)
	}
}
