package viz

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// bruteScores is every score s_ij = <q_i, k_j>/√d of p's data, from
// attention/gen's matrices and a plain loop (independent of the engine).
func bruteScores(t *testing.T, p Params) [][]float64 {
	t.Helper()
	Q, K, _, err := gen.Generate(gen.Spec{Kind: p.Data, N: p.N, M: p.M, D: p.D, DV: valueDim, Sigma: p.Sigma, Seed: p.Seed})
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]float64, p.M)
	for i := range out {
		out[i] = make([]float64, p.N)
		for j := range out[i] {
			out[i][j] = naiveDot(Q.RawRowView(i), K.RawRowView(j)) / math.Sqrt(float64(p.D))
		}
	}
	return out
}

// sampleSigma is the standard deviation (population) of the scores of the
// keys j = ⌊t·n/S⌋, S = min(n, 4096): the sample the doc promises.
func sampleSigma(scores [][]float64, n int) float64 {
	S := min(n, 4096)
	var sum, cnt float64
	for _, row := range scores {
		for x := 0; x < S; x++ {
			sum += row[x*n/S]
			cnt++
		}
	}
	mean := sum / cnt
	var ss float64
	for _, row := range scores {
		for x := 0; x < S; x++ {
			d := row[x*n/S] - mean
			ss += d * d
		}
	}
	return math.Sqrt(ss / cnt)
}

// TestPaperBMeasuredSpread: with paper_b, b is the paper's threshold with
// the spread measured from the data shown, so decaying keys at d = 64 (a
// spread far below σ²) report keys, and b equals PaperThreshold(n, σ̂)
// with σ̂ recomputed here from gen's data.
func TestPaperBMeasuredSpread(t *testing.T) {
	for _, hash := range []string{
		"n=4096&d=64&m=32&data=decaying&paper_b=true",
		"n=16384&d=16&m=8&data=decaying&paper_b=true", // a sample of 4096 of the keys
		"n=4096&d=8&m=16&data=massive&paper_b=true&kind=softmax&tau=paper",
	} {
		a := settled(t, hash)
		p := a.Params()
		sigma := sampleSigma(bruteScores(t, p), p.N)
		want := attention.PaperThreshold(p.N, sigma)
		if math.Abs(p.B-want) > 1e-9*want {
			t.Errorf("%s: b = %.12g, want PaperThreshold(n, σ̂ = %.6g) = %.12g", hash, p.B, sigma, want)
		}
		s := a.Snapshot()
		if s.Threshold == nil || s.Threshold.How != HowPaper || s.Threshold.B != p.B || math.Abs(s.Threshold.Sigma-sigma) > 1e-9*sigma {
			t.Errorf("%s: snapshot threshold %+v (σ̂ %v)", hash, s.Threshold, sigma)
		}
		if s.Params.B != p.B || s.Numbers["b"] != p.B {
			t.Errorf("%s: snapshot b %v, numbers b %v, used %v", hash, s.Params.B, s.Numbers["b"], p.B)
		}
		nonEmpty := 0
		for _, c := range a.sum.counts {
			if c > 0 {
				nonEmpty++
			}
		}
		t.Logf("%s: σ̂ = %.4f (σ² = %.4g), b = %.4f, mean %.1f keys per row, %d of %d rows non-empty", hash, sigma, p.Sigma*p.Sigma, p.B, a.sum.mean, nonEmpty, p.M)
		if a.sum.total == 0 || nonEmpty < p.M/2 {
			t.Errorf("%s: %d keys reported in all, %d of %d rows non-empty", hash, a.sum.total, nonEmpty, p.M)
		}
	}
}

// TestShareReported: with share s, the rows report on average a share s
// of the keys, counted by brute force (exactly round(s·m·n) keys in all
// when the sample is every key; within the sample's error otherwise), and
// the engine's counts are the brute-force counts.
func TestShareReported(t *testing.T) {
	for _, c := range []struct {
		hash string
		tol  float64 // allowed |mean share − s| / s
	}{
		{"n=2048&d=8&m=16&data=gaussian&share=0.05", 0},
		{"n=4096&d=64&m=8&data=decaying&share=0.01&kind=softmax&tau=paper", 0},
		{"n=32768&d=16&m=16&data=clustered&share=0.02", 0.15},
		{"n=16384&d=4&m=32&data=massive&share=0.1&kind=softmax&tau=paper", 0.15},
	} {
		a := settled(t, c.hash)
		p := a.Params()
		scores := bruteScores(t, p)
		total := 0
		for i, row := range scores {
			cnt := 0
			for _, s := range row {
				if s > p.B || (p.Kind == attention.Softmax && s == p.B) {
					cnt++
				}
			}
			if got := a.shownRows.rows[i].count; got != cnt {
				t.Errorf("%s: row %d: engine reports %d keys, brute force %d", c.hash, i, got, cnt)
			}
			total += cnt
		}
		mean := float64(total) / float64(p.M*p.N)
		t.Logf("%s: b = %.5g, mean reported share %.5f (asked %g)", c.hash, p.B, mean, p.Share)
		if c.tol == 0 {
			if want := int(math.Round(p.Share * float64(p.M*p.N))); total != want {
				t.Errorf("%s: %d keys reported in all, want exactly round(s·m·n) = %d", c.hash, total, want)
			}
		} else if math.Abs(mean-p.Share) > c.tol*p.Share {
			t.Errorf("%s: mean reported share %.5f, want %g ± %.0f%%", c.hash, mean, p.Share, 100*c.tol)
		}
		if th := a.Snapshot().Threshold; th == nil || th.How != HowShare || th.Share != p.Share {
			t.Errorf("%s: snapshot threshold %+v", c.hash, th)
		}
	}
}

// TestTauPaperKeptSets: softmax with tau = paper keeps exactly the keys
// scoring ≥ b (a brute-force set), the dense pass agrees, and the certified
// bound covers the measured error on every row.
func TestTauPaperKeptSets(t *testing.T) {
	for _, hash := range []string{
		"n=4096&d=16&m=16&kind=softmax&tau=paper&b=0.9",
		"n=8192&d=64&m=8&data=decaying&kind=softmax&tau=paper&paper_b=true",
		"n=4096&d=2&m=8&kind=softmax&tau=paper&share=0.02&index=scan",
	} {
		a := settled(t, hash)
		p := a.Params()
		if ap := p.attention(); ap.TopR != 0 || ap.Tau != p.B {
			t.Fatalf("%s: attention params %+v", hash, ap)
		}
		scores := bruteScores(t, p)
		var keptMean float64
		for i, row := range scores {
			smax, z, zk := slices.Max(row), 0.0, 0.0
			for _, s := range row {
				z += math.Exp(s - smax)
				if s >= p.B {
					zk += math.Exp(s - smax)
				}
			}
			keptMean += zk / z / float64(p.M)
			var want []int
			for j, s := range row {
				if s >= p.B {
					want = append(want, j)
				}
			}
			r := a.shownRows.rows[i]
			got := slices.Clone(r.row.Keys)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: row %d: kept %d keys, brute force %d", hash, i, len(got), len(want))
			}
			if !r.sameSet || !(r.bound >= r.maxErr) || r.row.Threshold != p.B {
				t.Errorf("%s: row %d: same set %v, bound %g vs error %g, τ %v vs b %v", hash, i, r.sameSet, r.bound, r.maxErr, r.row.Threshold, p.B)
			}
		}
		if km := a.Snapshot().KeptMass; km == nil || !(km.Min >= 0 && km.Min <= km.Mean && km.Mean <= 1 && km.Mean > 0) ||
			math.Abs(km.Mean-keptMean) > 1e-9 {
			t.Errorf("%s: kept mass %+v, brute force mean %v", hash, km, keptMean)
		}
	}
}

// TestScoreHistogram: the score view's bins count every score of the
// sample once, bin by bin as a plain loop over the scores does, and the
// part above b is the scores above b.
func TestScoreHistogram(t *testing.T) {
	a := settled(t, "n=16384&d=8&m=8&data=decaying&paper_b=true&hist=scores")
	sj := a.spread
	b := a.p.B
	bins, above := sj.scoreBins(40, func(int) float64 { return b }, false)
	k := len(bins.Counts)
	counts, ab := make([]int, k), make([]int, k)
	for _, s := range sj.scores {
		i := k - 1
		for e := 1; e < k; e++ {
			if s < bins.Edges[e] {
				i = e - 1
				break
			}
		}
		counts[i]++
		if s > b {
			ab[i]++
		}
	}
	sum, sumAbove := 0, 0
	for i := range counts {
		sum += bins.Counts[i]
		sumAbove += above[i]
	}
	if !slices.Equal(counts, bins.Counts) || !slices.Equal(ab, above) {
		t.Errorf("bins %v / above %v, a plain loop gives %v / %v", bins.Counts, above, counts, ab)
	}
	if want := a.p.M * min(a.p.N, spreadSampleKeys); sum != want || sj.cnt != want {
		t.Errorf("the bins count %d scores, the sample has %d, want m·S = %d", sum, sj.cnt, want)
	}
	if sumAbove != sj.countAbove(b) || sumAbove == 0 {
		t.Errorf("above b: bins %d, sample %d", sumAbove, sj.countAbove(b))
	}
	if bins.Edges[0] > sj.lo || bins.Edges[k] <= sj.hi {
		t.Errorf("bins [%v, %v) miss the scores' range [%v, %v]", bins.Edges[0], bins.Edges[k], sj.lo, sj.hi)
	}
}

// TestThresholdPNG writes the score view for a look when HSRVIZ_PNG names
// a directory (a tool, not a check).
func TestThresholdPNG(t *testing.T) {
	dir := pngDir(t)
	for name, hash := range map[string]string{
		"scores_relu":    "n=4096&d=64&m=32&data=decaying&paper_b=true&hist=scores",
		"scores_softmax": "n=4096&d=16&m=32&kind=softmax&tau=paper&share=0.02&hist=scores",
		"scores_topr":    "n=4096&d=16&m=32&kind=softmax&hist=scores",
		"counts_share":   "n=4096&d=64&m=32&data=decaying&share=0.05",
	} {
		writePNG(t, dir+"/thr_"+name+".png", scene.Rasterize(settled(t, hash).Scene(1280, 800)))
	}
}

// TestThresholdPatches: a patch naming one way of choosing b turns the
// others off, through the JSON API and the URL hash alike.
func TestThresholdPatches(t *testing.T) {
	a, err := NewApp(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		json, hash string
		paper      bool
		share      float64
	}{
		{`{"share":0.05}`, "share=0.05", false, 0.05},
		{`{"paper_b":true}`, "paper_b=true", true, 0},
		{`{"share":0.02,"tau":"paper","kind":"softmax"}`, "share=0.02&tau=paper&kind=softmax", false, 0.02},
		{`{"b":1}`, "b=1", false, 0},
	} {
		if err := a.SetParamsJSON([]byte(c.json)); err != nil {
			t.Fatal(err)
		}
		if p := a.Params(); p.PaperB != c.paper || p.Share != c.share {
			t.Errorf("%s: paper_b %v share %v", c.json, p.PaperB, p.Share)
		}
		p, err := PatchHash(DefaultParams(), c.hash)
		if err != nil || p.PaperB != c.paper || p.Share != c.share {
			t.Errorf("#%s: paper_b %v share %v (%v)", c.hash, p.PaperB, p.Share, err)
		}
		if q, err := ParseHash(p.Hash()); err != nil || q != p {
			t.Errorf("#%s: hash round trip %v", c.hash, err)
		}
	}
	for _, bad := range []string{`{"share":-0.1}`, `{"share":1.5}`, `{"tau":"top"}`, `{"hist":"bars"}`, `{"share":0.1,"paper_b":true}`} {
		before := a.Params()
		if err := a.SetParamsJSON([]byte(bad)); err == nil || a.Params() != before {
			t.Errorf("%s: accepted (%v)", bad, err)
		}
	}
}

// TestSpreadUnits: the score sample is a unit per query row (plus one to
// start), runs before the trace and the rows, and is reused when b, the
// share, the mode, tau or the view change: no new sample, no new build.
func TestSpreadUnits(t *testing.T) {
	var ran []unitKind
	unitHook = func(k unitKind) { ran = append(ran, k) }
	defer func() { unitHook = nil }()
	a := settled(t, "n=8192&d=16&m=12&data=decaying&paper_b=true")
	count := func(k unitKind) (n, first, last int) {
		first, last = -1, -1
		for i, x := range ran {
			if x == k {
				n++
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		return
	}
	n, _, lastSpread := count(uSpread)
	_, firstTrace, _ := count(uTrace)
	_, firstRow, _ := count(uRowsHSR)
	if n != 12+1 || lastSpread > firstTrace || lastSpread > firstRow {
		t.Errorf("spread units: %d (want 13), the last at %d, the first trace at %d, the first row at %d", n, lastSpread, firstTrace, firstRow)
	}
	sj, builds, b0 := a.spread, a.IndexBuilds(), a.Params().B
	for _, patch := range []string{`{"share":0.1}`, `{"kind":"softmax","tau":"paper"}`, `{"hist":"scores"}`, `{"paper_b":true}`, `{"b":0.5}`} {
		ran = ran[:0]
		if err := a.SetParamsJSON([]byte(patch)); err != nil {
			t.Fatal(err)
		}
		a.Settle()
		if n, _, _ := count(uSpread); n != 0 || a.spread != sj || a.IndexBuilds() != builds {
			t.Errorf("%s: %d spread units, new sample %v, builds %d → %d", patch, n, a.spread != sj, builds, a.IndexBuilds())
		}
	}
	if err := a.SetParamsJSON([]byte(`{"paper_b":true}`)); err != nil || a.Params().B != b0 {
		t.Errorf("back to the paper's b: b = %v, want %v at once (%v)", a.Params().B, b0, err)
	}
}

// TestHistTabsClick: a click on panel 6's tabs switches its view, and the
// view is in the snapshot's params and hash.
func TestHistTabsClick(t *testing.T) {
	a := settled(t, "n=1024&d=2&m=8")
	a.Scene(1280, 800)
	for _, want := range []HistMode{HistScores, HistCounts} {
		var tab *Region
		for _, r := range a.Snapshot().Tabs {
			if r.Name == "hist_"+want.String() {
				tab = &r
			}
		}
		if tab == nil {
			t.Fatalf("no tab hist_%v in %+v", want, a.Snapshot().Tabs)
		}
		x, y := tab.X+tab.W/2, tab.Y+tab.H/2
		for _, down := range []bool{false, true, false} {
			a.Update(input.Input{DT: 1.0 / 60, Pointers: []input.Pointer{{X: x, Y: y, Down: down}}})
		}
		a.Settle()
		a.Scene(1280, 800)
		if s := a.Snapshot(); s.Params.Hist != want || !strings.Contains(s.Hash, "hist="+want.String()) {
			t.Errorf("after a click on %s: hist %v, hash %s", tab.Name, s.Params.Hist, s.Hash)
		}
	}
}

// TestSameChoice: a measured b is not a choice of the user's.
func TestSameChoice(t *testing.T) {
	p := DefaultParams()
	a := settled(t, p.Hash())
	if q := a.Params(); q == p || !q.SameChoice(p) {
		t.Errorf("paper b measured %v vs placeholder %v: equal %v, same choice %v", q.B, p.B, q == p, q.SameChoice(p))
	}
	q := p
	q.PaperB, q.B = false, 0.5
	r := q
	r.B = 0.6
	if q.SameChoice(r) || q.SameChoice(p) {
		t.Error("a fixed b is a choice")
	}
}

// TestTauPaperNumbers: with tau = paper no "top r" is claimed, and the
// scaling theory is that of the threshold (4/5 at the paper's b, 1 at a
// fixed one), not γ.
func TestTauPaperNumbers(t *testing.T) {
	for _, c := range []struct {
		hash  string
		slope float64
	}{
		{"n=4096&d=8&m=8&kind=softmax&tau=paper&paper_b=true", 0.8},
		{"n=4096&d=8&m=8&kind=softmax&tau=paper&share=0.05", 1},
		{"n=4096&d=8&m=8&kind=softmax&tau=topr&gamma=0.6", 0.6},
	} {
		a := settled(t, c.hash)
		num, _ := a.numbers()
		_, hasTopR := num["top_r"]
		if hasTopR != (a.p.Tau == TauTopR) || num["bound_holds"] != 1 {
			t.Errorf("%s: top_r given %v, bound holds %v", c.hash, hasTopR, num["bound_holds"])
		}
		if got := a.scaling.theorySlope(); got != c.slope {
			t.Errorf("%s: theory slope %v, want %v", c.hash, got, c.slope)
		}
	}
}
