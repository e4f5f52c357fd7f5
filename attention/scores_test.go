package attention

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestScoreOverflowRefused: Q and K entries ×1e160 make <q, k> overflow
// (NaN or ±Inf). Every path must refuse the batch naming the row and the
// key; before the check every comparison with NaN was false and the rows
// came out empty (ReLU^α, softmax with τ) or kept nothing (top-r, τ = +Inf)
// with no error.
func TestScoreOverflowRefused(t *testing.T) {
	rng := rand.New(rand.NewPCG(40, 41))
	const n, d, dv = 30, 8, 2
	for _, scale := range []float64{1e160, 1e300} {
		Qr, Kr := randMat(rng, n, d, scale), randMat(rng, n, d, scale)
		Q, K, V := toDense(Qr), toDense(Kr), toDense(randMat(rng, n, dv, 1))
		for _, p := range []Params{
			{Kind: ReLU, Alpha: 1}, {Kind: ReLU, Alpha: 1, B: 3}, {Kind: Softmax, Tau: -1},
			{Kind: Softmax, TopR: 8}, {Kind: Softmax, TopR: 8, Causal: true}, {Kind: ReLU, Alpha: 2, Causal: true},
		} {
			for _, ix := range []IndexKind{IndexAuto, IndexTree, IndexScan} {
				p.Index = ix
				for name, f := range map[string]func() error{
					"hsr":     func() error { _, err := HSR(Q, K, V, p); return err },
					"dense":   func() error { _, err := Dense(Q, K, V, p); return err },
					"prefill": func() error { _, err := Prefill(Q, K, V, p); return err },
					"weights": func() error { _, err := Weights(Q, K, p); return err },
					"row": func() error {
						e, err := NewEngine(K, V, ix)
						if err != nil {
							return err
						}
						_, err = e.Row(Qr[0], 0, p, make([]float64, dv))
						return err
					},
					"denserow": func() error {
						e, err := NewEngine(K, V, ix)
						if err != nil {
							return err
						}
						_, err = e.DenseRow(Qr[0], 0, p, make([]float64, dv))
						return err
					},
					"cache": func() error {
						c := NewCache(d, dv, ix)
						for j := range Kr {
							if err := c.Append(Kr[j], []float64{0, 0}); err != nil {
								return err
							}
						}
						_, _, err := c.Attend(Qr[0], p)
						return err
					},
				} {
					err := f()
					var se *ScoreError
					if !errors.As(err, &se) {
						t.Fatalf("scale %g %s %+v: got %v, want a *ScoreError", scale, name, p, err)
					}
					if se.Row > 0 || se.Key < 0 || se.Key >= n {
						t.Fatalf("scale %g %s: row %d key %d: want row 0 (or -1) and a key", scale, name, se.Row, se.Key)
					}
					// The key named really is out of range, by an independent sum.
					s := 0.0
					for t := range Qr[0] {
						s += math.Abs(Qr[0][t] * Kr[se.Key][t])
					}
					if !(s > safeDot) {
						t.Fatalf("scale %g %s: key %d has Σ|q·k| = %g, within range", scale, name, se.Key, s)
					}
					msg := err.Error()
					if !strings.Contains(msg, "key") || (se.Row == 0 && !strings.Contains(msg, "row 0")) || !strings.Contains(msg, "rescale Q and K") {
						t.Fatalf("scale %g %s: message %q", scale, name, msg)
					}
				}
			}
		}
	}
}

// TestScoreOverflowNamesRowAndKey: one huge query row (2) and one huge key
// (5): only their score overflows, and the error names exactly them. Under
// the causal mask row 2 never sees key 5, every score is finite (up to
// 1e200), and HSR equals the dense reference.
func TestScoreOverflowNamesRowAndKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 43))
	const n, d, dv = 12, 4, 3
	Qr, Kr, Vr := randMat(rng, n, d, 1), randMat(rng, n, d, 1), randMat(rng, n, dv, 1)
	for t := range Qr[2] {
		Qr[2][t] = 1e200 * float64(t+1)
		Kr[5][t] = 1e200
	}
	Q, K, V := toDense(Qr), toDense(Kr), toDense(Vr)
	for _, p := range []Params{{Kind: ReLU, Alpha: 1}, {Kind: Softmax, TopR: 3}, {Kind: Softmax, Tau: 0.5}} {
		for _, ix := range []IndexKind{IndexAuto, IndexTree, IndexScan} {
			p.Index, p.Causal = ix, false
			_, err := HSR(Q, K, V, p)
			var se *ScoreError
			if !errors.As(err, &se) || se.Row != 2 || se.Key != 5 || se.NearLimit {
				t.Fatalf("%+v: got %v, want the score of row 2 and key 5 refused", p, err)
			}
			if _, err := Dense(Q, K, V, p); !errors.As(err, &se) || se.Row != 2 || se.Key != 5 {
				t.Fatalf("dense %+v: got %v", p, err)
			}
			p.Causal = true
			got, err := HSR(Q, K, V, p)
			if err != nil {
				t.Fatalf("causal %+v: %v", p, err)
			}
			want, err := Dense(Q, K, V, Params{Kind: p.Kind, Alpha: p.Alpha, Causal: true})
			if err != nil {
				t.Fatalf("causal dense %+v: %v", p, err)
			}
			if p.Kind == ReLU || p.TopR >= n {
				if e := maxOf(RowError(got.Out, want.Out)); e > 1e-12 {
					t.Fatalf("causal %+v: HSR differs from dense by %g", p, e)
				}
			}
			for i, r := range got.Rows {
				if r.Count == 0 && p.Kind == Softmax && p.TopR > 0 {
					t.Fatalf("causal %+v: row %d kept nothing", p, i)
				}
			}
		}
	}
}

// TestScoreNearLimit: every score finite, but Σ|q_t·k_t| = 2^1023 for one
// pair: refused as too close to overflow, naming the pair.
func TestScoreNearLimit(t *testing.T) {
	Q := mat.NewDense(2, 2, []float64{1, 1, 0x1p511, -0x1p511})
	K := mat.NewDense(3, 2, []float64{1, 0, 0x1p511, 0x1p511, 0, 1})
	V := mat.NewDense(3, 1, []float64{1, 2, 3})
	_, err := HSR(Q, K, V, Params{Kind: ReLU, Alpha: 1})
	var se *ScoreError
	if !errors.As(err, &se) || se.Row != 1 || se.Key != 1 || !se.NearLimit || !strings.Contains(err.Error(), "within a factor 16") {
		t.Fatalf("got %v, want row 1 key 1 near the limit", err)
	}
}

func maxOf(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, v)
	}
	return m
}
