package attention

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hsrviz/hsrviz/hsr"
)

// TestPrefillBatched covers several row blocks and column tiles (n > 512)
// and the float64 fallback for inputs too large for float32 scores: the
// batched filter must give the per-row HSR result bit for bit (same key
// sets, same finish step) and match the loop.
func TestPrefillBatched(t *testing.T) {
	defer func(k, h bool) { useKernel, hasKernel = k, h }(useKernel, hasKernel)
	for _, kern := range []bool{true, false} {
		// With the kernels, then entirely without (gonum Sgemm scores and
		// portable dot/axpy, as off amd64).
		useKernel, hasKernel = kern && hasKernel, kern && hasKernel
		testPrefillBatched(t)
	}
}

func testPrefillBatched(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	for _, c := range []struct {
		d     int
		sigma float64
	}{{8, 1}, {64, 1}, {5, 1e12}, {3, 1e-12}} {
		n, dv := 700, 3
		Kr, Vr, Qr := randMat(rng, n, c.d, c.sigma), randMat(rng, n, dv, 1), randMat(rng, n, c.d, c.sigma)
		K, V, Q := toDense(Kr), toDense(Vr), toDense(Qr)
		ss := ScoreSigma(c.sigma, c.d, false)
		for _, p := range []Params{
			{Kind: ReLU, Alpha: 1, B: PaperThreshold(n, ss), Causal: true},
			{Kind: ReLU, Alpha: 2, B: -0.5 * ss, Causal: false, Norm: NormLength},
			{Kind: ReLU, Alpha: 3, B: 0, Causal: true, Unscaled: true},
			{Kind: Softmax, Tau: 1.5 * ss, Causal: true},
			{Kind: Softmax, Tau: -100 * ss, Causal: false},
		} {
			p.Index = IndexScan
			name := fmt.Sprintf("d=%d σ=%g %+v", c.d, c.sigma, p)
			pre, err := Prefill(Q, K, V, p)
			if err != nil {
				t.Fatal(err)
			}
			per, err := HSR(Q, K, V, p)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < n; i++ {
				a, b := pre.Rows[i], per.Rows[i]
				if !slices.Equal(pre.Out.RawRowView(i), per.Out.RawRowView(i)) || !slices.Equal(a.Keys, b.Keys) ||
					a.Threshold != b.Threshold || a.Count != b.Count || !(a.ErrorBound == b.ErrorBound || a.ErrorBound != a.ErrorBound) {
					t.Fatalf("%s row %d: batched %v %v, per-row %v %v", name, i, pre.Out.RawRowView(i), a, per.Out.RawRowView(i), b)
				}
			}
			for _, i := range []int{0, 1, 127, 128, 511, 512, 513, 699} {
				keep := func(j int, s float64) bool { return s >= p.Tau }
				if p.Kind == ReLU {
					keep = nil
				}
				want := oracle(Qr[i], i, Kr, Vr, p, keep)
				closeRow(t, name, pre.Out.RawRowView(i), want, 1e-12)
				sameKeys(t, name, pre.Rows[i].Keys, want, map[bool]float64{true: p.B, false: p.Tau}[p.Kind == ReLU])
			}
		}
	}
}

func TestDenseRow(t *testing.T) {
	// n = 40000 splits a row over several key blocks and goroutines.
	for _, n := range []int{300, 40000} {
		testDenseRow(t, n)
	}
}

func testDenseRow(t *testing.T, n int) {
	rng := rand.New(rand.NewPCG(14, 15))
	d, dv := 8, 4
	Kr, Vr, Qr := randMat(rng, n, d, 1), randMat(rng, n, dv, 1), randMat(rng, 20, d, 1)
	e, err := NewEngine(toDense(Kr), toDense(Vr), IndexScan)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, dv)
	for _, p := range []Params{
		{Kind: ReLU, Alpha: 2, B: 0.8, Causal: true},
		{Kind: ReLU, Alpha: 1, B: 50, Norm: NormLength},
		{Kind: ReLU, Alpha: 1, B: 1.5, Norm: NormNone},
		{Kind: Softmax, Causal: true},
		{Kind: Softmax},
	} {
		for i, q := range Qr {
			pos := i * n / 20
			row, err := e.DenseRow(q, pos, p, out)
			if err != nil {
				t.Fatal(err)
			}
			want := oracle(q, pos, Kr, Vr, p, nil)
			closeRow(t, "DenseRow", out, want, 1e-12)
			if p.Kind == ReLU {
				sameKeys(t, "DenseRow", row.Keys, want, p.B)
			} else if row.Count != want.vis || row.Keys != nil {
				t.Fatalf("softmax DenseRow: count %d want %d", row.Count, want.vis)
			}
		}
	}
}

func TestWeightsAndAccessors(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 25))
	n, m, d := 50, 30, 6
	Kr, Qr, Vr := randMat(rng, n, d, 1), randMat(rng, m, d, 1), randMat(rng, n, 2, 3)
	for _, p := range []Params{{Kind: ReLU, Alpha: 2, B: 0.3, Causal: true}, {Kind: Softmax, Causal: true}, {Kind: Softmax, Unscaled: true}} {
		W, err := Weights(toDense(Qr), toDense(Kr), p)
		if err != nil {
			t.Fatal(err)
		}
		for i, q := range Qr {
			want := oracle(q, i, Kr, Vr, p, nil)
			mx := slices.Max(want.scores)
			for j := 0; j < n; j++ {
				w, mag := 0.0, 0.0
				if j < want.vis {
					mag = want.smag[j]
				}
				switch {
				case j >= want.vis:
				case p.Kind == ReLU && want.scores[j] > p.B:
					w = math.Pow(want.scores[j]-p.B, 2)
				case p.Kind == Softmax:
					w = math.Exp(want.scores[j] - mx)
				}
				if got := W.At(i, j); math.Abs(got-w) > 1e-12*(1+mag)*max(1, w) {
					t.Fatalf("%+v W[%d,%d]: got:%v want:%v", p, i, j, got, w)
				}
			}
		}
	}
	e, err := NewEngine(toDense(Kr), toDense(Vr), IndexScan)
	if err != nil {
		t.Fatal(err)
	}
	vInf := 0.0
	for _, r := range Vr {
		for _, v := range r {
			vInf = math.Max(vInf, math.Abs(v))
		}
	}
	if gn, gd, gdv := e.Dims(); gn != n || gd != d || gdv != 2 || e.VInf() != vInf || e.Index().Len() != n {
		t.Fatalf("accessors: %d %d %d %v %d", gn, gd, gdv, e.VInf(), e.Index().Len())
	}
	for _, c := range []struct {
		s    string
		want string
	}{{"row", "row"}, {"NONE", "none"}, {"length", "length"}} {
		if nm, err := ParseNorm(c.s); err != nil || nm.String() != c.want {
			t.Errorf("ParseNorm(%q): %v %v", c.s, nm, err)
		}
	}
	for _, s := range []string{"auto", "tree", "scan"} {
		if k, err := ParseIndexKind(s); err != nil || k.String() != s {
			t.Errorf("ParseIndexKind(%q): %v %v", s, k, err)
		}
	}
	if ReLU.String() != "relu" || Softmax.String() != "softmax" {
		t.Error("Kind.String")
	}
}

// TestOffset: the keys a trace at Offset reports are the row's keys.
func TestOffset(t *testing.T) {
	rng := rand.New(rand.NewPCG(26, 27))
	n, d := 200, 9
	Kr, Vr := randMat(rng, n, d, 1), randMat(rng, n, 1, 1)
	e, err := NewEngine(toDense(Kr), toDense(Vr), IndexTree)
	if err != nil {
		t.Fatal(err)
	}
	q := randMat(rng, 1, d, 1)[0]
	for _, p := range []Params{{Kind: ReLU, Alpha: 1, B: 0.4}, {Kind: Softmax, Tau: 0.2, Unscaled: true}} {
		row, err := e.Row(q, 0, p, make([]float64, 1))
		if err != nil {
			t.Fatal(err)
		}
		var tr hsr.Trace
		e.Index().Trace(q, p.Offset(d), &tr)
		ids := slices.Sorted(slices.Values(tr.IDs))
		if !slices.Equal(ids, row.Keys) {
			t.Fatalf("%+v: trace reported %v, row keys %v", p, ids, row.Keys)
		}
	}
}
