package viz

import (
	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/hsr"
	"strings"
	"testing"
)

func TestValidateMessages(t *testing.T) {
	for _, c := range []struct {
		mod  func(*Params)
		want string
	}{
		{func(p *Params) { p.N = 10 }, "n must be in 64…1048576"},
		{func(p *Params) { p.D = 0 }, "d must be in 1…128"},
		{func(p *Params) { p.N, p.D = 1<<20, 64 }, "n·d must be ≤"},
		{func(p *Params) { p.M = 0 }, "m must be in 1…256"},
		{func(p *Params) { p.B = 1e9 }, "b must be a finite number"},
		{func(p *Params) { p.Alpha = 0 }, "alpha must be an integer in 1…8"},
		{func(p *Params) { p.Sigma = -1 }, "sigma must be in 0.1…10"},
		{func(p *Params) { p.Data = 9 }, `data must be one of gaussian, decaying, massive, clustered (got Kind(9))`},
		{func(p *Params) { p.Kind = 7 }, "kind must be one of relu, softmax"},
		{func(p *Params) { p.Gamma = 0 }, "gamma must be in (0, 1]"},
		{func(p *Params) { p.Index = 5 }, "index must be one of tree, scan, auto"},
		{func(p *Params) { p.Query = 32 }, "query must be in 0…m−1 = 0…31 (got 32)"},
		{func(p *Params) { p.Speed = 0 }, "speed must be in 0.25…240"},
	} {
		p := DefaultParams()
		c.mod(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got: %v want: %q", err, c.want)
		}
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	if _, err := NewApp(Params{}); err == nil {
		t.Error("NewApp(zero Params) accepted")
	}
}

func TestHashRoundTrip(t *testing.T) {
	ps := []Params{DefaultParams()}
	p := DefaultParams()
	p.N, p.D, p.M, p.B, p.PaperB, p.Alpha, p.Sigma, p.Seed = 1<<14, 64, 17, -0.123456789, false, 3, 0.7, 1<<63+5
	p.Data, p.Kind, p.Gamma, p.Index, p.Query, p.Speed, p.Controls = gen.Clustered, attention.Softmax, 0.35, hsr.IndexAuto, 16, 12.5, false
	ps = append(ps, p)
	for _, p := range ps {
		h := p.Hash()
		q, err := ParseHash("#" + h)
		if err != nil {
			t.Fatalf("ParseHash(%q): %v", h, err)
		}
		if q != p {
			t.Errorf("round trip:\ngot:  %+v\nwant: %+v", q, p)
		}
	}
	// paper_b and share: b is measured from the data by the App
	// (TestPaperBMeasuredSpread); the hash says how it is chosen.
	q, err := ParseHash("b=0.3&n=65536&sigma=2&paper_b=true")
	if err != nil {
		t.Fatal(err)
	}
	if !q.PaperB || q.Share != 0 || q.B != 0.3 {
		t.Errorf("paper b: got paper_b=%v share=%v b=%v", q.PaperB, q.Share, q.B)
	}
	if q, err := ParseHash("share=0.05"); err != nil || q.PaperB || q.Share != 0.05 {
		t.Errorf("share=0.05: got paper_b=%v share=%v (%v)", q.PaperB, q.Share, err)
	}
	if _, err := ParseHash("share=0.05&paper_b=true"); err == nil || !strings.Contains(err.Error(), "share and paper_b") {
		t.Errorf("share and paper_b together: %v", err)
	}
	// a hand-written b switches the paper threshold off
	if q, _ := ParseHash("b=0.5"); q.PaperB || q.B != 0.5 {
		t.Errorf("b=0.5: got paper_b=%v b=%v", q.PaperB, q.B)
	}
}

func absf(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestParseHashErrors(t *testing.T) {
	for h, want := range map[string]string{
		"n=4096&zoom=2": `unknown parameter "zoom"`,
		"n=abc":         `n: bad value "abc" (want an integer)`,
		"b=NaN":         `b: bad value "NaN" (want a finite number)`,
		"d=0":           "d must be in 1…128",
		"n=64&n=128":    `"n" given 2 times`,
		"paper_b=maybe": `paper_b: bad value "maybe"`,
		"seed=-1":       "seed: bad value",
		"kind=gelu":     `kind: bad value "gelu" (want relu, softmax)`,
		"m=4&query=9":   "query must be in 0…m−1",
		"%zz":           "hash:",
	} {
		_, err := ParseHash(h)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseHash(%q): got %v want %q", h, err, want)
		}
	}
}

func TestSetParamsJSON(t *testing.T) {
	a, err := NewApp(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	before := a.Params()
	for patch, want := range map[string]string{
		`{"zoom":1}`:        `unknown parameter "zoom"`,
		`{"n":"big"}`:       "params:",
		`{"d":1000}`:        "d must be in 1…128",
		`{"b":1,"alpha":0}`: "alpha must be",
		`[1,2]`:             "must be a JSON object",
	} {
		if err := a.SetParamsJSON([]byte(patch)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("SetParamsJSON(%s): got %v want %q", patch, err, want)
		}
		if a.Params() != before {
			t.Fatalf("SetParamsJSON(%s) changed params on error", patch)
		}
		if a.Snapshot().Error == "" {
			t.Errorf("SetParamsJSON(%s): Snapshot().Error empty", patch)
		}
	}
	if err := a.SetParamsJSON([]byte(`{"b":0.75}`)); err != nil {
		t.Fatal(err)
	}
	if p := a.Params(); p.B != 0.75 || p.PaperB {
		t.Errorf("b patch: got b=%v paper_b=%v", p.B, p.PaperB)
	}
	if err := a.SetParamsJSON([]byte(`{"paper_b":true,"n":1024}`)); err != nil {
		t.Fatal(err)
	}
	a.Settle()
	if p, th := a.Params(), a.Snapshot().Threshold; !p.PaperB || th == nil || th.How != HowPaper ||
		absf(p.B-attention.PaperThreshold(1024, th.Sigma)) > 1e-12 || absf(th.Sigma-1) > 0.1 {
		t.Errorf("paper_b patch: got %+v, %+v", p, th)
	}
	s := a.Snapshot()
	if q, err := ParseHash(s.Hash); err != nil || q != a.Params() {
		t.Errorf("Snapshot().Hash does not round-trip: %v %+v", err, q)
	}
}
