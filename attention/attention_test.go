package attention

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// closeRow checks got against the oracle row entry by entry: the error must
// be ≤ tol·mag, where mag is Σ_j |a_ij v_jt| / norm, the size of the terms
// summed. A relative test on the entry itself would be meaningless where
// the terms cancel to nearly 0: two correct implementations summing in a
// different order (Dgemm tiles vs a loop) differ there by ~1e-16·mag.
func closeRow(t *testing.T, what string, got []float64, want oracleRow, tol float64) {
	t.Helper()
	for c := range want.out {
		if math.IsNaN(got[c]) || math.IsInf(got[c], 0) {
			t.Fatalf("%s: entry %d is %v", what, c, got[c])
		}
		if e := math.Abs(got[c] - want.out[c]); e > tol*want.mag[c] {
			t.Fatalf("%s: entry %d: got:%v want:%v (error %.3g > %.0e·%.3g)", what, c, got[c], want.out[c], e, tol, want.mag[c])
		}
	}
}

// sameKeys checks got against the oracle's set. Keys whose oracle score is
// within a relative 1e-12 of the threshold may differ (the rounding of the
// two dot products differs there; such a key's weight is ≤ (1e-12·|s|)^α,
// which closeRow already bounds); every other key must agree. It returns
// how many keys fell in that band.
func sameKeys(t *testing.T, what string, got []int, want oracleRow, thr float64) int {
	t.Helper()
	if !slices.IsSorted(got) {
		t.Fatalf("%s: keys not ascending: %v", what, got)
	}
	band := func(j int) bool {
		s := want.scores[j]
		return math.Abs(s-thr) <= 1e-12*(math.Abs(s)+math.Abs(thr)+1e-300)
	}
	in := map[int]bool{}
	for _, j := range got {
		in[j] = true
	}
	fuzzy := 0
	for _, j := range want.keys {
		if !in[j] {
			if !band(j) {
				t.Fatalf("%s: key %d (score %v, threshold %v) missing: got:%v want:%v", what, j, want.scores[j], thr, got, want.keys)
			}
			fuzzy++
		}
		delete(in, j)
	}
	for j := range in {
		if j >= want.vis || !band(j) {
			t.Fatalf("%s: extra key %d: got:%v want:%v", what, j, got, want.keys)
		}
		fuzzy++
	}
	return fuzzy
}

func TestReLUMatchesLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fuzzy := 0
	ds, bs, alphas := []int{1, 2, 3, 8, 64}, []float64{-100, -0.3, 0, 0.7, 2.5, 100}, 3
	if testing.Short() { // a fifth of the cases (wasm under Node is ~10× slower)
		ds, bs, alphas = []int{1, 3, 64}, []float64{-0.3, 0.7, 100}, 2
	}
	for _, d := range ds {
		n, m, dv := 80, 24, 5
		Kr, Vr := randMat(rng, n, d, 1), randMat(rng, n, dv, 1)
		Qr := randMat(rng, m, d, 1)
		Qp := randMat(rng, n, d, 1) // prefill: one query per key
		K, V, Q, QP := toDense(Kr), toDense(Vr), toDense(Qr), toDense(Qp)
		for _, b := range bs {
			for alpha := 1; alpha <= alphas; alpha++ {
				for _, norm := range []Norm{NormRow, NormNone, NormLength} {
					for _, unscaled := range []bool{false, true} {
						for _, causal := range []bool{false, true} {
							for _, ix := range []IndexKind{IndexScan, IndexTree, IndexAuto} {
								if ix != IndexScan && norm != NormRow {
									continue // the index only changes which keys reach finish
								}
								p := Params{Kind: ReLU, Alpha: alpha, B: b, Norm: norm, Unscaled: unscaled, Causal: causal, Index: ix}
								name := fmt.Sprintf("d=%d b=%v α=%d %v unscaled=%v causal=%v %v", d, b, alpha, norm, unscaled, causal, ix)
								fuzzy += checkReLU(t, name, Q, Qr, K, Kr, V, Vr, p, false)
								if ix == IndexScan {
									fuzzy += checkReLU(t, name+" prefill", QP, Qp, K, Kr, V, Vr, p, true)
								}
							}
						}
					}
				}
			}
		}
	}
	// With continuous random data no score lands within 1e-12 of b.
	if fuzzy != 0 {
		t.Errorf("%d keys in the boundary band; expected none with continuous data", fuzzy)
	}
}

func checkReLU(t *testing.T, name string, Q *mat.Dense, Qr [][]float64, K *mat.Dense, Kr [][]float64, V *mat.Dense, Vr [][]float64, p Params, prefill bool) int {
	t.Helper()
	dense, err := Dense(Q, K, V, p)
	if err != nil {
		t.Fatalf("%s: Dense: %v", name, err)
	}
	var hsrRes *Result
	if prefill {
		hsrRes, err = Prefill(Q, K, V, p)
	} else {
		hsrRes, err = HSR(Q, K, V, p)
	}
	if err != nil {
		t.Fatalf("%s: HSR: %v", name, err)
	}
	fuzzy := 0
	for i, q := range Qr {
		want := oracle(q, i, Kr, Vr, p, nil)
		for _, r := range []struct {
			what string
			res  *Result
		}{{"dense", dense}, {"hsr", hsrRes}} {
			what := fmt.Sprintf("%s %s row %d", name, r.what, i)
			closeRow(t, what, r.res.Out.RawRowView(i), want, 1e-12)
			row := r.res.Rows[i]
			fuzzy += sameKeys(t, what, row.Keys, want, p.B)
			if row.Count != len(row.Keys) || len(row.Weights) != len(row.Keys) {
				t.Fatalf("%s: count %d, %d keys, %d weights", what, row.Count, len(row.Keys), len(row.Weights))
			}
			if row.Empty != (row.Count == 0) || row.Visible != want.vis {
				t.Fatalf("%s: empty=%v count=%d visible=%d (want %d)", what, row.Empty, row.Count, row.Visible, want.vis)
			}
			for x, j := range row.Keys {
				// Compare a^(1/α) with s − b: its error is the score's,
				// ~1e-16·Σ|q_t k_t|, however small s − b is.
				root := math.Pow(row.Weights[x], 1/float64(p.Alpha))
				if e := math.Abs(root - (want.scores[j] - p.B)); e > 1e-12*(want.smag[j]+math.Abs(p.B)) {
					t.Fatalf("%s: weight of key %d: got:%v want:%v", what, j, row.Weights[x], math.Pow(want.scores[j]-p.B, float64(p.Alpha)))
				}
			}
			if row.Empty && slices.ContainsFunc(r.res.Out.RawRowView(i), func(v float64) bool { return v != 0 }) {
				t.Fatalf("%s: empty row has output %v", what, r.res.Out.RawRowView(i))
			}
		}
	}
	return fuzzy
}

// TestReLUExactTies uses small integers, so every dot product is exact in
// any summation order and scores fall exactly on b: the key sets of the
// dense path, the HSR path and the loop must then be identical, and a key
// on the boundary has weight 0 (the contract: > and ≥ agree).
func TestReLUExactTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, d := range []int{1, 4, 16} { // sqrt(d) exact
		n, m, dv := 200, 30, 3
		ints := func(r, c int) [][]float64 {
			x := make([][]float64, r)
			for i := range x {
				x[i] = make([]float64, c)
				for t := range x[i] {
					x[i][t] = float64(rng.IntN(5) - 2)
				}
			}
			return x
		}
		Kr, Vr, Qr := ints(n, d), ints(n, dv), ints(m, d)
		K, V, Q := toDense(Kr), toDense(Vr), toDense(Qr)
		ties := 0
		for _, b := range []float64{-1, 0, 0.5, 1, 2} {
			for _, unscaled := range []bool{false, true} {
				p := Params{Kind: ReLU, Alpha: 2, B: b, Unscaled: unscaled, Causal: true}
				dn, hs := denseAndHSR(t, Q, K, V, p)
				for i, q := range Qr {
					want := oracle(q, i, Kr, Vr, p, nil)
					for _, s := range want.scores {
						if s == b {
							ties++
						}
					}
					for _, got := range [][]int{dn.Rows[i].Keys, hs.Rows[i].Keys} {
						if !slices.Equal(got, want.keys) && !(len(got) == 0 && len(want.keys) == 0) {
							t.Fatalf("d=%d b=%v row %d: got:%v want:%v", d, b, i, got, want.keys)
						}
					}
					closeRow(t, "dense", dn.Out.RawRowView(i), want, 1e-12)
					closeRow(t, "hsr", hs.Out.RawRowView(i), want, 1e-12)
				}
			}
		}
		if ties == 0 {
			t.Fatalf("d=%d: the test made no exact ties", d)
		}
	}
}

func TestSoftmaxBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ds := []int{2, 8, 64}
	if testing.Short() {
		ds = []int{2, 64}
	}
	for _, d := range ds {
		n, m, dv := 300, 60, 4
		Kr, Vr, Qr := randMat(rng, n, d, 1.3), randMat(rng, n, dv, 1), randMat(rng, m, d, 1.3)
		K, V, Q := toDense(Kr), toDense(Vr), toDense(Qr)
		vInf := 0.0
		for _, r := range Vr {
			for _, v := range r {
				vInf = math.Max(vInf, math.Abs(v))
			}
		}
		cases := []Params{}
		for _, causal := range []bool{false, true} {
			for _, tau := range []float64{-50, -1, 0, 0.5, 1.5, 50} {
				cases = append(cases, Params{Kind: Softmax, Tau: tau, Causal: causal})
			}
			for _, r := range []int{1, 5, 40, 299, 300, 1000} {
				cases = append(cases, Params{Kind: Softmax, TopR: r, Causal: causal})
			}
		}
		for _, p := range cases {
			for _, ix := range []IndexKind{IndexScan, IndexTree, IndexAuto} {
				p.Index = ix
				name := fmt.Sprintf("d=%d tau=%v topr=%d causal=%v %v", d, p.Tau, p.TopR, p.Causal, ix)
				dn, hs := denseAndHSR(t, Q, K, V, p)
				errs := RowError(dn.Out, hs.Out)
				for i, q := range Qr {
					full := oracle(q, i, Kr, Vr, p, nil)
					closeRow(t, name+" dense", dn.Out.RawRowView(i), full, 1e-12)
					row := hs.Rows[i]
					// The kept set: top-r by the oracle's own sort, or s ≥ τ.
					tau := p.Tau
					if p.TopR > 0 {
						s := slices.Clone(full.scores)
						slices.Sort(s)
						tau = s[max(0, len(s)-p.TopR)]
						want := min(p.TopR, full.vis)
						if row.Count != want || len(row.Keys) != want {
							t.Fatalf("%s row %d: top-r kept %d keys, want %d", name, i, row.Count, want)
						}
					}
					approx := oracle(q, i, Kr, Vr, p, func(j int, s float64) bool { return s >= tau })
					sameKeys(t, name+" kept", row.Keys, approx, tau)
					if len(approx.keys) > 0 {
						closeRow(t, name+" hsr", hs.Out.RawRowView(i), approx, 1e-12)
					} else if !row.Empty || slices.ContainsFunc(hs.Out.RawRowView(i), func(v float64) bool { return v != 0 }) {
						t.Fatalf("%s row %d: empty kept set must give Empty and 0", name, i)
					}
					// The certified bound, against the measured error. Slack:
					// the rounding of the two outputs, ~1e-16·‖V‖_∞.
					bnd := row.ErrorBound
					if math.IsNaN(bnd) || bnd < 0 || bnd > 2*vInf*(1+1e-12) {
						t.Fatalf("%s row %d: bound %v", name, i, bnd)
					}
					if errs[i] > bnd+1e-13*vInf {
						t.Fatalf("%s row %d: measured error %.3g > certified bound %.3g", name, i, errs[i], bnd)
					}
					// the contract's looser form, from the oracle's numbers.
					if row.Count > 0 {
						var zs float64
						for _, j := range approx.keys {
							zs += math.Exp(full.scores[j] - row.Threshold)
						}
						spec := 2 * vInf * float64(full.vis-row.Count) / zs
						if bnd > spec*(1+1e-9) {
							t.Fatalf("%s row %d: bound %v above the contract's looser form %v", name, i, bnd, spec)
						}
					}
				}
			}
		}
	}
}

// TestCacheEqualsHSR: decoding token by token through Append gives the
// same rows as the engine over the full K with the causal mask, and, at
// the end, as HSR over all of K.
func TestCacheEqualsHSR(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, d := range []int{2, 16} {
		n, dv := 150, 3
		Kr, Vr, Qr := randMat(rng, n, d, 1), randMat(rng, n, dv, 1), randMat(rng, n, d, 1)
		K, V, Q := toDense(Kr), toDense(Vr), toDense(Qr)
		for _, p := range []Params{
			{Kind: ReLU, Alpha: 2, B: 0.4, Causal: true},
			{Kind: Softmax, Tau: 0.2, Causal: true},
			{Kind: Softmax, TopR: 7, Causal: true},
		} {
			for _, ix := range []IndexKind{IndexScan, IndexAuto, IndexTree} {
				c := NewCache(d, dv, ix)
				e, err := NewEngine(K, V, ix)
				if err != nil {
					t.Fatal(err)
				}
				want := make([]float64, dv)
				for i := 0; i < n; i++ {
					if err := c.Append(Kr[i], Vr[i]); err != nil {
						t.Fatal(err)
					}
					got, row, err := c.Attend(Qr[i], p)
					if err != nil {
						t.Fatal(err)
					}
					wrow, err := e.Row(Qr[i], i, p, want)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(got, want) || !slices.Equal(row.Keys, wrow.Keys) {
						t.Fatalf("d=%d %v step %d: cache got:%v %v want:%v %v", d, ix, i, got, row.Keys, want, wrow.Keys)
					}
				}
				full, err := HSR(Q, K, V, Params{Kind: p.Kind, Alpha: p.Alpha, B: p.B, Tau: p.Tau, TopR: p.TopR, Index: ix})
				if err != nil {
					t.Fatal(err)
				}
				for i := 0; i < 10; i++ {
					got, _, _ := c.Attend(Qr[i], p)
					if !slices.Equal(got, full.Out.RawRowView(i)) {
						t.Fatalf("d=%d %v: full cache row %d got:%v want:%v", d, ix, i, got, full.Out.RawRowView(i))
					}
				}
				if c.Len() != n || c.Index().Len() != n {
					t.Fatalf("cache len %d, index len %d", c.Len(), c.Index().Len())
				}
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	for _, c := range []struct {
		p    Params
		want string
	}{
		{Params{Kind: ReLU}, "alpha must be ≥ 1 (got 0)"},
		{Params{Kind: ReLU, Alpha: -2}, "alpha"},
		{Params{Kind: ReLU, Alpha: 100}, "alpha must be ≤"},
		{Params{Kind: ReLU, Alpha: 1, B: math.NaN()}, "threshold b"},
		{Params{Kind: ReLU, Alpha: 1, B: math.Inf(1)}, "threshold b"},
		{Params{Kind: ReLU, Alpha: 1, Norm: 7}, "norm"},
		{Params{Kind: 9, Alpha: 1}, "kind"},
		{Params{Kind: Softmax, TopR: -1}, "topr"},
		{Params{Kind: Softmax, Tau: math.NaN()}, "tau"},
		{Params{Kind: ReLU, Alpha: 1, Index: 5}, "index"},
	} {
		err := c.p.Validate(4)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate(%+v): got:%v want an error containing %q", c.p, err, c.want)
		}
	}
	if err := DefaultParams().Validate(0); err == nil || !strings.Contains(err.Error(), "dimension") {
		t.Errorf("d = 0: got:%v", err)
	}
	for _, s := range []string{"relu", "Softmax"} {
		if _, err := ParseKind(s); err != nil {
			t.Error(err)
		}
	}
	for _, f := range []func() error{
		func() error { _, err := ParseKind("gelu"); return err },
		func() error { _, err := ParseNorm("l2"); return err },
		func() error { _, err := ParseIndexKind("kd"); return err },
	} {
		if f() == nil {
			t.Error("bad name accepted")
		}
	}
	p := DefaultParams()
	Q, K, V := mat.NewDense(2, 3, nil), mat.NewDense(4, 3, nil), mat.NewDense(4, 2, nil)
	if _, err := HSR(Q, mat.NewDense(4, 2, nil), V, p); err == nil || !strings.Contains(err.Error(), "d must match") {
		t.Errorf("d mismatch: %v", err)
	}
	if _, err := Dense(Q, K, mat.NewDense(3, 2, nil), p); err == nil || !strings.Contains(err.Error(), "V has 3") {
		t.Errorf("n mismatch: %v", err)
	}
	if _, err := Prefill(Q, K, V, p); err == nil || !strings.Contains(err.Error(), "one query per key") {
		t.Errorf("prefill m≠n: %v", err)
	}
	K.Set(2, 1, math.NaN())
	for _, f := range []func() (*Result, error){
		func() (*Result, error) { return HSR(Q, K, V, p) },
		func() (*Result, error) { return Dense(Q, K, V, p) },
	} {
		if _, err := f(); err == nil || !strings.Contains(err.Error(), "K has a non-finite value NaN at row 2, column 1") {
			t.Errorf("NaN in K: %v", err)
		}
	}
	c := NewCache(3, 2, IndexScan)
	if _, _, err := c.Attend([]float64{1, 2, 3}, p); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty cache: %v", err)
	}
	if err := c.Append([]float64{1, 2}, []float64{1, 2}); err == nil || !strings.Contains(err.Error(), "key has length 2") {
		t.Errorf("short key: %v", err)
	}
	if err := c.Append([]float64{1, 2, 3}, []float64{1, math.Inf(1)}); err == nil || !strings.Contains(err.Error(), "value") {
		t.Errorf("Inf value: %v", err)
	}
	if c.Len() != 0 {
		t.Errorf("a refused Append changed the cache")
	}
	// Overflowing weights are an error, not Inf/NaN.
	big := mat.NewDense(1, 1, []float64{1e200})
	if _, err := HSR(big, big, mat.NewDense(1, 1, []float64{1}), Params{Kind: ReLU, Alpha: 3}); err == nil {
		t.Error("overflow accepted")
	}
}

func TestTheory(t *testing.T) {
	// Φ̄(z) by Simpson's rule on the normal density, independent of Erfc.
	tail := func(z float64) float64 {
		const hi, steps = 12.0, 20000
		h := (hi - z) / steps
		f := func(x float64) float64 { return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi) }
		s := f(z) + f(hi)
		for k := 1; k < steps; k++ {
			w := 2.0
			if k%2 == 1 {
				w = 4
			}
			s += w * f(z+float64(k)*h)
		}
		return s * h / 3
	}
	for _, n := range []int{2, 1 << 10, 1 << 20} {
		z := math.Sqrt(0.4 * math.Log(float64(n)))
		if got, want := GaussianExpectedCount(n, PaperThreshold(n, 1.5), 1.5), float64(n)*tail(z); math.Abs(got-want) > 1e-9*want {
			t.Errorf("GaussianExpectedCount(%d): got:%v want:%v", n, got, want)
		}
		if got, want := CountBound(n), math.Exp(0.8*math.Log(float64(n))); math.Abs(got-want) > 1e-12*want {
			t.Errorf("CountBound(%d): got:%v want:%v", n, got, want)
		}
		if GaussianExpectedCount(n, PaperThreshold(n, 1), 1) > CountBound(n) {
			t.Errorf("n=%d: expectation above n^(4/5)", n)
		}
	}
	if got := PaperThreshold(1<<20, 2); math.Abs(got-2*math.Sqrt(0.4*20*math.Ln2)) > 1e-12 {
		t.Errorf("PaperThreshold: %v", got)
	}
	if got := ScoreSigma(1.5, 64, false); got != 2.25 {
		t.Errorf("ScoreSigma: %v", got)
	}
	if got := ScoreSigma(1.5, 64, true); got != 18 {
		t.Errorf("ScoreSigma unscaled: %v", got)
	}
	for _, c := range []struct {
		n int
		g float64
		r int
	}{{1024, 0.5, 32}, {1 << 20, 0.8, 65536}, {10, 0, 1}, {10, 1, 10}, {10, 2, 10}} {
		if got := TopRFromGamma(c.n, c.g); got != c.r {
			t.Errorf("TopRFromGamma(%d, %v): got:%d want:%d", c.n, c.g, got, c.r)
		}
	}
	if got := TheoryErrorBound(100, 0.5, 1, 0.25, 3); math.Abs(got-6*math.Pow(100, -0.25)) > 1e-12 {
		t.Errorf("TheoryErrorBound: %v", got)
	}
}

func TestKthLargest(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(60)
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(8)) // many ties
			if trial%2 == 0 {
				x[i] = rng.NormFloat64()
			}
		}
		s := slices.Clone(x)
		slices.Sort(s)
		for k := 1; k <= n; k++ {
			if got := kthLargest(x, k); got != s[n-k] {
				t.Fatalf("kthLargest(%v, %d): got:%v want:%v", x, k, got, s[n-k])
			}
		}
	}
}

// TestNoNaN: extreme but finite inputs give finite outputs or an error,
// on every path, never NaN or Inf.
func TestNoNaN(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 23))
	n, d, dv := 40, 4, 2
	for _, scale := range []float64{1e-300, 1e-150, 1, 1e100, 1e154, 1e300} {
		for _, vscale := range []float64{1, 1e307} {
			K := toDense(randMat(rng, n, d, scale))
			V := toDense(randMat(rng, n, dv, vscale))
			Q := toDense(randMat(rng, n, d, scale))
			for _, p := range []Params{
				{Kind: ReLU, Alpha: 1}, {Kind: ReLU, Alpha: 3, B: 1e-300}, {Kind: ReLU, Alpha: 2, B: -1e300},
				{Kind: ReLU, Alpha: 1, B: 1e300, Norm: NormNone}, {Kind: ReLU, Alpha: 2, Norm: NormLength},
				{Kind: Softmax, Tau: 0}, {Kind: Softmax, Tau: -1e300}, {Kind: Softmax, TopR: 3, Causal: true},
			} {
				for name, f := range map[string]func() (*Result, error){
					"dense":   func() (*Result, error) { return Dense(Q, K, V, p) },
					"hsr":     func() (*Result, error) { return HSR(Q, K, V, p) },
					"prefill": func() (*Result, error) { return Prefill(Q, K, V, p) },
				} {
					res, err := f()
					if err != nil {
						continue
					}
					for _, v := range res.Out.RawMatrix().Data {
						if math.IsNaN(v) || math.IsInf(v, 0) {
							t.Fatalf("%s scale=%g vscale=%g %+v: output %v", name, scale, vscale, p, v)
						}
					}
					for i, r := range res.Rows {
						if math.IsNaN(r.ErrorBound) != (p.Kind == ReLU) || math.IsNaN(r.Threshold) {
							t.Fatalf("%s %+v row %d: bound %v threshold %v", name, p, i, r.ErrorBound, r.Threshold)
						}
					}
				}
			}
		}
	}
}

// denseAndHSR computes the dense reference and the HSR result of p.
func denseAndHSR(t *testing.T, Q, K, V *mat.Dense, p Params) (dense, hsr *Result) {
	t.Helper()
	dense, err := Dense(Q, K, V, p)
	if err != nil {
		t.Fatal(err)
	}
	hsr, err = HSR(Q, K, V, p)
	if err != nil {
		t.Fatal(err)
	}
	return dense, hsr
}
