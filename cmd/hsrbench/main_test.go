package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/internal/fingerprint"
)

// tinyConfig runs every section in well under a second per section.
func tinyConfig() config {
	c := defaultConfig(false)
	c.reps, c.cellReps, c.minRun = 1, 1, 0
	c.streamN, c.streamD = 2048, 16
	c.gridN, c.gridDims, c.gridFracs, c.gridData, c.gridQ = 2048, []int{2, 9}, []float64{1e-3, 0.1, 0.5}, dataKinds, 3
	c.decodeN, c.decodeM, c.prefillN, c.attnD = 4096, 3, 300, 16
	c.scaleMaxN, c.scaleDims, c.scaleQ = 1<<12, []int{3}, 4
	return c
}

// wrongIndex is a deliberately broken contender: a scan that drops the
// first point it would report. (It does not embed *hsr.Scan, whose
// AppendQuery would be promoted and bypass the broken Query.)
type wrongIndex struct{ s *hsr.Scan }

func (w wrongIndex) Dim() int                                   { return w.s.Dim() }
func (w wrongIndex) Len() int                                   { return w.s.Len() }
func (w wrongIndex) Insert(x []float64) int                     { return w.s.Insert(x) }
func (w wrongIndex) Trace(a []float64, c float64, t *hsr.Trace) { w.s.Trace(a, c, t) }

func (w wrongIndex) Query(a []float64, c float64, visit func(int) bool) hsr.Stats {
	skipped := false
	return w.s.Query(a, c, func(id int) bool {
		if !skipped {
			skipped = true
			return true
		}
		return visit(id)
	})
}

func TestGridCatchesWrongContender(t *testing.T) {
	c := tinyConfig()
	c.sections = map[string]bool{"grid": true}
	c.extra = []maker{{"wrong", func(d int, p []float64, _ map[string]hsr.Index) hsr.Index { return wrongIndex{hsr.NewScan(d, p)} }}}
	var out, errb bytes.Buffer
	c.visit = true
	if code := bench(c, &out, &errb); code != 1 {
		t.Fatalf("-visit: exit status %d with a wrong contender, want 1\n%s", code, out.String())
	}
	out.Reset()
	c.visit = false
	if code := bench(c, &out, &errb); code != 1 {
		t.Fatalf("exit status %d with a wrong contender, want 1\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "MISMATCH") || !strings.Contains(out.String(), "wrong query") {
		t.Errorf("no loud MISMATCH line naming the contender:\n%s", out.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "grid ") && strings.Contains(line, " wrong ") && !strings.Contains(line, "FAIL") {
			t.Errorf("row of the wrong contender not marked FAIL: %q", line)
		}
	}
	// The same harness with a correct extra contender passes.
	c.extra = []maker{{"scan2", func(d int, p []float64, _ map[string]hsr.Index) hsr.Index { return hsr.NewScan(d, p) }}}
	out.Reset()
	if code := bench(c, &out, &errb); code != 0 {
		t.Fatalf("exit status %d with a correct extra contender, want 0\n%s", code, out.String())
	}
}

// wrongAttn is a decoding path that drops the highest-weight key of row 0.
func TestAttentionCatchesWrongOutput(t *testing.T) {
	c := tinyConfig()
	p := &reluProblem{m: 3, n: 2000, d: 8, dv: 8, b: 0.5, alpha: 2}
	rng := rand.New(rand.NewPCG(1, 2))
	p.q, p.k, p.v = gaussian(p.m*p.d, 1, rng), gaussian(p.n*p.d, 1, rng), gaussian(p.n*p.dv, 1, rng)
	wrong := attnImpl{"hsr-wrong", func(p *reluProblem) func([]float64, []int) {
		f := denseDot(p)
		return func(o []float64, cnt []int) { f(o, cnt); o[3] *= 1 + 1e-9 }
	}}
	var out bytes.Buffer
	r := newReporter(&out, false)
	runAttn(c, r, "decode", p.m, p, attnImpl{"ref", denseDot}, []attnImpl{{"dense-gemv", denseGemv}}, []attnImpl{wrong}, wallTimer)
	if r.failures == 0 || !strings.Contains(out.String(), "MISMATCH") {
		t.Fatalf("a 1e-9 relative error went unnoticed:\n%s", out.String())
	}
}

// naiveRelu is an independent oracle: straight loops with math.Pow.
func naiveRelu(p *reluProblem) []float64 {
	o := make([]float64, p.m*p.dv)
	for i := 0; i < p.m; i++ {
		var z float64
		for j := 0; j < p.n; j++ {
			if p.causal && j > i {
				break
			}
			var s float64
			for t := 0; t < p.d; t++ {
				s += p.q[i*p.d+t] * p.k[j*p.d+t]
			}
			s /= math.Sqrt(float64(p.d))
			if s > p.b {
				w := math.Pow(s-p.b, float64(p.alpha))
				z += w
				for t := 0; t < p.dv; t++ {
					o[i*p.dv+t] += w * p.v[j*p.dv+t]
				}
			}
		}
		for t := 0; t < p.dv && z > 0; t++ {
			o[i*p.dv+t] /= z
		}
	}
	return o
}

func TestDensePathsMatchNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, causal := range []bool{false, true} {
		for _, alpha := range []int{1, 3} {
			p := &reluProblem{m: 300, n: 300, d: 12, dv: 5, b: 0.8, alpha: alpha, causal: causal}
			p.q, p.k, p.v = gaussian(p.m*p.d, 1, rng), gaussian(p.n*p.d, 1, rng), gaussian(p.n*p.dv, 1, rng)
			want := naiveRelu(p)
			for _, im := range []attnImpl{{"dot", denseDot}, {"dotpar", denseDotPar}, {"gemv", denseGemv}, {"gemvTpar", denseGemvTPar}, {"gemm", denseGemm}} {
				got := make([]float64, len(want))
				cnt := make([]int, p.m)
				im.prepare(p)(got, cnt)
				if d := maxRelDiff(got, want, p.dv); d > 1e-13 {
					t.Errorf("%s causal=%v alpha=%d: max rel diff %g", im.name, causal, alpha, d)
				}
				if causal && cnt[0] > 1 {
					t.Errorf("%s: causal row 0 uses %d keys", im.name, cnt[0])
				}
			}
		}
	}
}

func TestMaxRelDiff(t *testing.T) {
	want := []float64{10, -1, 0, 0, 0, 0}
	got := []float64{10, -1 + 1e-3, 0, 0, 0, 2e-3}
	if d := maxRelDiff(got, want, 3); math.Abs(d-2e-3) > 1e-15 {
		t.Errorf("got %g want 2e-3 (row 1 is all zero: absolute)", d)
	}
	if d := maxRelDiff([]float64{math.NaN(), 0, 0}, []float64{1, 0, 0}, 3); !math.IsInf(d, 1) {
		t.Errorf("NaN output gave %g, want +Inf", d)
	}
}

func TestSlopeOfPowerLaw(t *testing.T) {
	var xs, ys []float64
	for n := 1 << 10; n <= 1<<20; n *= 2 {
		xs = append(xs, float64(n))
		ys = append(ys, 3.5*math.Pow(float64(n), 0.8))
	}
	if s := slope(xs, ys); math.Abs(s-0.8) > 1e-12 {
		t.Errorf("slope %v, want 0.8", s)
	}
	ys[0] = 0 // a zero count is skipped, not log(0)
	if s := slope(xs, ys); math.Abs(s-0.8) > 1e-12 {
		t.Errorf("slope with a zero point %v, want 0.8", s)
	}
	if s := slope(xs[:1], ys[:1]); !math.IsNaN(s) {
		t.Errorf("slope of one point %v, want NaN", s)
	}
	// Against an independent fit: y = x² exactly over two points.
	if s := slope([]float64{2, 8}, []float64{4, 64}); math.Abs(s-2) > 1e-12 {
		t.Errorf("slope %v, want 2", s)
	}
}

func TestGaussianExpectation(t *testing.T) {
	// n = e^(2.5/0.4) puts the threshold at z = 2.5 exactly; 1−Φ(2.5) = 0.00620966532577613.
	n := math.Exp(2.5 * 2.5 / 0.4)
	got := gaussianExpectation(int(n)) / float64(int(n))
	if math.Abs(got-0.00620966532577613) > 1e-6 {
		t.Errorf("tail %v", got)
	}
}

func TestOffsetsGiveExactCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	dots := gaussian(10000, 1, rng)
	fr := []float64{1e-4, 1e-3, 0.1, 0.5, 1}
	for i, c := range offsetsFor(dots, fr) {
		want := max(1, int(fr[i]*10000+0.5))
		if got := sumAbove(dots, c).N; got != want {
			t.Errorf("frac %g: %d above, want %d", fr[i], got, want)
		}
	}
}

func TestSetSumOrderIndependent(t *testing.T) {
	var a, b, c setSum
	for _, id := range []int{5, 1, 9} {
		a.add(id)
	}
	for _, id := range []int{9, 5, 1} {
		b.add(id)
	}
	for _, id := range []int{5, 2, 8} { // same count and plain sum as a
		c.add(id)
	}
	if a != b {
		t.Errorf("order changed the summary: %v vs %v", a, b)
	}
	if a == c {
		t.Errorf("different sets with equal count and sum collided: %v", a)
	}
}

func TestAlternateRunsEveryContender(t *testing.T) {
	calls := make([]int, 3)
	var order []int
	fns := make([]func() int, 3)
	for i := range fns {
		fns[i] = func() int { calls[i]++; order = append(order, i); return 4 }
	}
	// Each run takes 2 ms ≥ minRun by a fake clock (a sleep could take
	// 20 ms on a loaded machine): one batch per timed run, and a warm-up
	// under 20·minRun, so a calibration run follows it.
	twoMs := func() func() time.Duration { return func() time.Duration { return 2 * time.Millisecond } }
	ts := alternateChecked(5, time.Millisecond, 0, fns, nil, twoMs)
	for i, c := range calls {
		if c != 7 || len(ts[i].Runs) != 5 {
			t.Errorf("contender %d: %d calls, %d timed runs; want 7 (warm-up + calibration + 5) and 5", i, c, len(ts[i].Runs))
		}
	}
	// After the warm-up (0 1 2) and the calibration (0 1 2), rounds 0–2
	// start at contender r mod 3 going up, rounds 3–5 at −r mod 3 going
	// down (roundOrder).
	want := []int{0, 1, 2, 0, 1, 2, 0, 1, 2, 1, 2, 0, 2, 0, 1, 0, 2, 1, 2, 1, 0}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("order %v, want %v", order, want)
	}
}

func TestSummarize(t *testing.T) {
	s := summarize([]float64{5, 1, 3, 9})
	if s.Med != 4 || s.Min != 1 || s.Max != 9 {
		t.Errorf("%+v", s)
	}
	if s := summarize([]float64{2, 7, 1}); s.Med != 2 {
		t.Errorf("odd median %v", s.Med)
	}
}

func TestTableFormat(t *testing.T) {
	var buf bytes.Buffer
	r := newReporter(&buf, false)
	r.header("grid", "title")
	r.add(row{Case: "grid", D: 64, N: 1 << 20, Frac: 1e-4, Data: "decaying", Contender: "tree", Baseline: "scan",
		BaselineMs: 20, BaseMin: 19, BaseMax: 22.5, Ms: 4, Min: 3.9, Max: 4.2, OK: true, Info: "x"})
	r.add(row{Case: "grid", D: 2, N: 1024, Frac: 0.5, Data: "gaussian", Contender: "auto", Baseline: "scan",
		BaselineMs: 0.5, BaseMin: 0.4, BaseMax: 0.6, Ms: 1, Min: 1, Max: 1, OK: false})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), buf.String())
	}
	hdr, r1, r2 := lines[1], lines[2], lines[3]
	// Right-aligned numeric columns end at the same position as their header.
	for _, col := range []string{"ratio", "n"} {
		end := strings.Index(hdr, " "+col+" ") + len(col) + 1
		if end <= len(col) {
			t.Fatalf("header lacks %q: %q", col, hdr)
		}
		for _, l := range []string{r1, r2} {
			if l[end-1] == ' ' || l[end] != ' ' {
				t.Errorf("column %q misaligned:\n%s\n%s", col, hdr, l)
			}
		}
	}
	for _, want := range []string{"5.00x", "20.00 (19.00-22.50)", "4.000 (3.900-4.200)", "1e-04", "1048576", "decaying", " ok "} {
		if !strings.Contains(r1, want) {
			t.Errorf("row lacks %q: %q", want, r1)
		}
	}
	if !strings.Contains(r2, "0.50x") || !strings.Contains(r2, "FAIL") || !strings.Contains(r2, " 0.5 ") {
		t.Errorf("row 2: %q", r2)
	}
}

func TestJSONLines(t *testing.T) {
	c := tinyConfig()
	var out, errb bytes.Buffer
	if code := bench(c, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	c.json = true
	out.Reset()
	if code := bench(c, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s", code, out.String())
	}
	sc := bufio.NewScanner(&out)
	cases := map[string]int{}
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not one JSON object per line: %q: %v", sc.Text(), err)
		}
		cs, _ := m["case"].(string)
		cases[cs]++
		switch cs {
		case "stream", "grid", "decode", "decode-1t", "prefill", "scaling":
			for _, k := range []string{"case", "d", "n", "frac", "data", "baseline_ms", "ms", "ratio", "ok"} {
				if _, ok := m[k]; !ok {
					t.Errorf("%s line lacks %q: %s", cs, k, sc.Text())
				}
			}
			b, o, ratio := m["baseline_ms"].(float64), m["ms"].(float64), m["ratio"].(float64)
			want := b / o
			if p, ok := m["paired_ratio"].(float64); ok {
				want = p // grid and scaling: the median of per-round ratios
			} else if cs == "grid" || cs == "scaling" {
				t.Errorf("%s line lacks paired_ratio: %s", cs, sc.Text())
			}
			if o > 0 && math.Abs(ratio-want) > 1e-9*ratio {
				t.Errorf("ratio %v, want %v: %s", ratio, want, sc.Text())
			}
			if mr, _ := m["ratio_of_medians"].(float64); o > 0 && math.Abs(mr-b/o) > 1e-9*mr {
				t.Errorf("ratio_of_medians %v != baseline/ms %v", mr, b/o)
			}
			if m["ok"] != true {
				t.Errorf("not ok: %s", sc.Text())
			}
		}
	}
	for _, want := range []string{"stream", "decode", "prefill", "scaling-fit", "target"} {
		if cases[want] == 0 {
			t.Errorf("no %q lines; got %v", want, cases)
		}
	}

	// Sections left out: their targets are "not run", with "got": null (JSON
	// has no NaN), and every line is still one JSON object.
	c.sections = map[string]bool{"scaling": true}
	out.Reset()
	if code := bench(c, &out, &errb); code != 0 {
		t.Fatalf("scaling only: exit %d\n%s", code, out.String())
	}
	notRun := 0
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("scaling only: not JSON: %q: %v", line, err)
		}
		if m["case"] == "target" && m["status"] == "not run" {
			notRun++
			if v, ok := m["got"]; !ok || v != nil || m["where"] != "" {
				t.Errorf("not-run target: got %v, where %q; want null and \"\": %s", v, m["where"], line)
			}
		}
	}
	if notRun == 0 {
		t.Errorf("scaling only: no target marked not run:\n%s", out.String())
	}
}

func TestFlagValidation(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-reps", "0"}, "-reps"},
		{[]string{"-reps", "x"}, "reps"},
		{[]string{"-n", "10"}, "-n 10"},
		{[]string{"-cases", "grid,bogus"}, `"bogus"`},
		{[]string{"-seed", "-3"}, "-seed"},
		{[]string{"-d", "2,zero"}, `"zero"`},
		{[]string{"-data", "uniform"}, `"uniform"`},
		{[]string{"-frobnicate"}, "frobnicate"},
		{[]string{"stray"}, `"stray"`},
		{[]string{"-cases", "stream", "-cpuprofile", "/nonexistent-dir/x.prof"}, "-cpuprofile"},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", tc.args, code)
		}
		msg := errb.String()
		if !strings.HasPrefix(msg, "hsrbench: ") || !strings.Contains(msg, tc.want) || !strings.Contains(msg, "usage:") {
			t.Errorf("%v: message %q lacks %q", tc.args, msg, tc.want)
		}
		if out.Len() != 0 {
			t.Errorf("%v: wrote to stdout: %q", tc.args, out.String())
		}
	}
	c, err := parseFlags([]string{"-full", "-reps", "2", "-n", "4096", "-cases", "attention,scaling", "-d", "2,64", "-data", "massive"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.full || c.reps != 2 || c.cellReps != 2 || c.gridN != 4096 || c.prefillN != 4096 || c.sections["grid"] || !c.sections["decode"] ||
		!c.sections["prefill"] || !c.sections["scaling"] || len(c.gridDims) != 2 || c.gridData[0] != "massive" {
		t.Errorf("parsed %+v", c)
	}
}

func TestVerdicts(t *testing.T) {
	rows := []row{
		{Case: "stream", Contender: "scan", N: 1 << 20, BaselineMs: 10, Ms: 11, OK: true},
		{Case: "grid", Contender: "tree", D: 2, Data: "gaussian", Frac: 1e-4, N: 1 << 20, Ratio: 250, OK: true},
		{Case: "grid", Contender: "tree", D: 2, Data: "gaussian", Frac: 1e-2, N: 1 << 18, Ratio: 50, OK: true},
		{Case: "grid", Contender: "tree", D: 8, Data: "gaussian", Frac: 1e-4, N: 1 << 20, Ratio: 3, OK: true},
		{Case: "grid", Contender: "tree", D: 3, Data: "gaussian", Frac: 1e-4, N: 1 << 20, Ratio: 99, OK: false},
		{Case: "grid", Contender: "auto", D: 2, Data: "gaussian", Frac: 1e-4, N: 1 << 20, BaselineMs: 1, Ms: 1.05, OK: true},
		{Case: "grid", Contender: "auto", D: 8, Data: "massive", Frac: 0.5, N: 1 << 20, BaselineMs: 1, Ms: 1.3, OK: true},
		// The rounds paired: 1/0.95 ≈ 1.05 counts, not the medians' 1.2.
		{Case: "grid", Contender: "auto", D: 16, Data: "massive", Frac: 0.5, N: 1 << 20, BaselineMs: 1, Ms: 1.2, Paired: 0.95, OK: true},
		{Case: "prefill", Contender: "dense-attn", N: 1 << 14, Ratio: 0.9, OK: true},
		{Case: "prefill", Contender: "hsr-auto", N: 1 << 14, Ratio: 2, OK: true},
	}
	got := map[string]verdict{}
	for _, v := range verdicts(rows) {
		got[v.Target] = v
	}
	for name, want := range map[string]string{
		"scan time / streaming-read time, d=64":      "holds",
		"tree vs scan, d=2 gaussian, k/n=1e-04":      "holds",
		"tree vs scan, d=2 gaussian, k/n=0.01":       "indicative (n=262144, target at n=1048576): holds",
		"tree vs scan, d=8 gaussian, k/n=1e-04":      "MISSED",
		"tree vs scan, d=3 gaussian, k/n=1e-04":      "FAILED CHECK",
		"tree vs scan, d=64 decaying, k/n=1e-04":     "not run",
		"auto time / scan time, worst grid cell":     "MISSED",
		"ReLU decoding: HSR vs fastest dense, exact": "not run",
		"prefill m=n, causal: HSR vs dense gonum":    "holds",
	} {
		v, ok := got[name]
		if !ok {
			t.Errorf("no verdict %q", name)
			continue
		}
		if v.Status != want {
			t.Errorf("%s: status %q, want %q (%+v)", name, v.Status, want, v)
		}
		if want == "not run" && (!math.IsNaN(v.Got) || v.Where != "") {
			t.Errorf("%s: not run, yet got %v, where %q", name, v.Got, v.Where)
		}
	}
	if v := got["auto time / scan time, worst grid cell"]; math.Abs(v.Got-1.3) > 1e-12 || !strings.Contains(v.Where, "d=8 massive k/n=0.5; 1 of 3 cells") {
		t.Errorf("auto verdict %+v", v)
	}

	// Decoding: the figure is the worse of the two settings, against 6x.
	for _, tc := range []struct {
		par, one float64
		want     string
	}{{7, 6.5, "holds"}, {7, 5.9, "MISSED"}, {5.9, 8, "MISSED"}} {
		rows := []row{
			{Case: "decode", Contender: "hsr-auto", Baseline: "dense-gemvT-par", N: 1 << 20, Ratio: tc.par, OK: true},
			{Case: "decode-1t", Contender: "hsr-auto", Baseline: "dense-gemvT-par", N: 1 << 20, Ratio: tc.one, OK: true},
		}
		for _, v := range verdicts(rows) {
			if v.Target == "ReLU decoding: HSR vs fastest dense, exact" && (v.Status != tc.want || v.Got != min(tc.par, tc.one)) {
				t.Errorf("decode %v/%v: %+v, want %s", tc.par, tc.one, v, tc.want)
			}
		}
	}
}

// hsrbench's keys are attention/gen's, hence the visualizer's (viz checks
// its own against gen the same way): same fingerprint for the same kind,
// n, d, σ = 1 and seed.
func TestSameKeysAsGen(t *testing.T) {
	for _, k := range gen.Kinds() {
		_, K, _, err := gen.Generate(gen.Spec{Kind: k, N: 3000, D: 6, DV: 8, Sigma: 1, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fingerprint.Of(genPoints(k.String(), 3000, 6, 9)), fingerprint.Of(K.RawMatrix().Data); got != want {
			t.Errorf("%v: hsrbench's keys hash %s, gen's %s", k, got, want)
		}
	}
}

// TestAlternateRounds: cheap rounds are repeated up to the cell's total
// (at least reps, at most 4·reps), timed by the clock given.
func TestAlternateRounds(t *testing.T) {
	fake := func() func() time.Duration { return func() time.Duration { return time.Millisecond } }
	fns := []func() int{func() int { return 1 }, func() int { return 1 }}
	for _, tc := range []struct {
		total time.Duration
		want  int
	}{{0, 3}, {time.Millisecond, 3}, {10 * time.Millisecond, 5}, {time.Second, 12}} {
		// minRun 0: one batch per run, so a round is two runs, 2 ms.
		tm := alternateChecked(3, 0, tc.total, fns, nil, fake)
		for i, x := range tm {
			if len(x.Runs) != tc.want || x.Med != 1 {
				t.Errorf("total %v: contender %d ran %d rounds (median %v ms), want %d at 1 ms", tc.total, i, len(x.Runs), x.Med, tc.want)
			}
		}
	}
}

// roundOrder runs every contender once per round, each first equally
// often, and for n ≤ 3 balances who runs right after whom over 2n rounds
// (a period: the boundaries between rounds included).
func TestRoundOrderBalanced(t *testing.T) {
	for n := 1; n <= 4; n++ {
		first := make([]int, n)
		var seq []int
		for r := 0; r < 2*n; r++ {
			seen := make([]bool, n)
			for k := 0; k < n; k++ {
				i := roundOrder(r, k, n)
				if i < 0 || i >= n || seen[i] {
					t.Fatalf("n=%d round %d: order %d at %d repeats or is out of range", n, r, i, k)
				}
				seen[i] = true
				if k == 0 {
					first[i]++
				}
				seq = append(seq, i)
			}
		}
		for i, f := range first {
			if f != 2 {
				t.Fatalf("n=%d: contender %d first in %d of %d rounds", n, i, f, 2*n)
			}
		}
		if n > 3 {
			continue
		}
		after := map[[2]int]int{}
		for k, i := range seq {
			if j := seq[(k+1)%len(seq)]; i != j {
				after[[2]int{i, j}]++
			}
		}
		for _, v := range after {
			if v != after[[2]int{0, 1}] {
				t.Fatalf("n=%d: who runs right after whom is unbalanced: %v (order %v)", n, after, seq)
			}
		}
	}
}

// pairedRatio is the median of the per-round ratios, not the ratio of
// the medians: a slow drift of both sides cancels.
func TestPairedRatio(t *testing.T) {
	base := summarize([]float64{10, 20, 30, 40, 50})
	ours := summarize([]float64{10, 20, 33, 36, 50}) // 1, 1, 0.909, 1.111, 1
	if got := pairedRatio(base, ours); got != 1 {
		t.Fatalf("pairedRatio = %v, want 1", got)
	}
	// The load rose after round 2: both sides' later rounds are 3× slower,
	// so the medians are 10 and 31 apart; per round ours is 0.952 (one
	// round caught it mid-change).
	slow := summarize([]float64{10, 10, 10, 30, 30})
	fast := summarize([]float64{10.5, 10.5, 31, 31.5, 31.5})
	if got := pairedRatio(slow, fast); math.Abs(got-10/10.5) > 1e-12 {
		t.Fatalf("pairedRatio with a drift = %v, want %v", got, 10/10.5)
	}
	if got := pairedRatio(base, summarize([]float64{1, 2})); got != 0 {
		t.Fatalf("rounds of other lengths: %v, want 0", got)
	}
}
