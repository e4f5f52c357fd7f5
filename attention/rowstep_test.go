package attention

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// TestRowStepperSame: a row computed one step per call equals Row's bit
// for bit (keys, weights, threshold, bound, work, output, error) over
// several kinds of keys, d, n (rows of several slices), the three indexes,
// engines with and without the sketch, ReLU^α (α, b, norms, unscaled,
// causal) and softmax (τ, top-r).
func TestRowStepperSame(t *testing.T) {
	defer func(a bool, m int) { useSketch, sketchMinDim = a, m }(useSketch, sketchMinDim)
	useSketch, sketchMinDim = true, 1
	rng := rand.New(rand.NewPCG(9, 10))
	params := []Params{
		{Kind: ReLU, Alpha: 1, B: -0.5},
		{Kind: ReLU, Alpha: 2, B: 0.2},
		{Kind: ReLU, Alpha: 3, B: 0.8, Norm: NormNone},
		{Kind: ReLU, Alpha: 2, B: 0.1, Unscaled: true, Causal: true},
		{Kind: ReLU, Alpha: 2, B: 50},
		{Kind: Softmax, Tau: 0.3},
		{Kind: Softmax, Tau: -40},
		{Kind: ReLU, Alpha: 2, B: 0.3, Norm: NormLength},
		{Kind: Softmax, TopR: 40},
	}
	rows := 0
	for _, kind := range []string{"gauss", "dup", "decay"} {
		for _, d := range []int{1, 2, 5, 16} {
			for _, n := range []int{1, 60, 3000, 3*rowSlice + 17} {
				if n > 3000 && (kind != "gauss" || d > 2) {
					continue
				}
				K := mat.NewDense(n, d, buildPoints(rng, kind, n, d))
				V := mat.NewDense(n, 3, buildPoints(rng, "gauss", n, 3))
				for _, opt := range []EngineOptions{{IndexOnly: true}, {}} {
					scan, err := NewEngineWith(K, V, IndexScan, opt)
					if err != nil {
						t.Fatal(err)
					}
					for _, ix := range []IndexKind{IndexScan, IndexTree, IndexAuto} {
						// two engines alike: the automatic index's chooser
						// learns from every row
						e, err := scan.WithIndex(ix)
						if err != nil {
							t.Fatal(err)
						}
						e2, err := scan.WithIndex(ix)
						if err != nil {
							t.Fatal(err)
						}
						for pi, p := range params {
							p.Index = ix
							q := buildPoints(rng, "gauss", 1, d)
							i := rng.IntN(n)
							o1, o2 := make([]float64, 3), make([]float64, 3)
							r1, err1 := e.Row(q, i, p, o1)
							st, err := e2.RowStepper(q, i, p, o2)
							if err != nil {
								t.Fatal(err)
							}
							steps := 1
							for !st.Step(0) {
								steps++
							}
							r2, err2 := st.Row()
							name := fmt.Sprintf("%s d=%d n=%d %+v index %v params %d", kind, d, n, opt, ix, pi)
							if !sameRow(r1, r2) || !sameBits(o1, o2) || fmt.Sprint(err1) != fmt.Sprint(err2) {
								t.Fatalf("%s: the stepped row differs:\n%.300s\n%.300s", name,
									fmt.Sprintf("%+v %v %v", r1, o1, err1), fmt.Sprintf("%+v %v %v", r2, o2, err2))
							}
							if opt.IndexOnly && p.TopR == 0 && p.Kind == ReLU {
								if min := 1 + 2*(r1.Stats.Reported/rowSlice); steps < min {
									t.Fatalf("%s: %d steps for %d candidates", name, steps, r1.Stats.Reported)
								}
							}
							rows++
						}
					}
				}
			}
		}
	}
	t.Logf("%d rows", rows)
	// invalid rows fail at once with Row's error
	K := mat.NewDense(5, 2, buildPoints(rng, "gauss", 5, 2))
	e, err := NewEngineWith(K, mat.NewDense(5, 1, buildPoints(rng, "gauss", 5, 1)), IndexScan, EngineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, want := e.Row([]float64{1}, 0, Params{Kind: ReLU, Alpha: 1}, make([]float64, 1))
	if _, got := e.RowStepper([]float64{1}, 0, Params{Kind: ReLU, Alpha: 1}, make([]float64, 1)); fmt.Sprint(got) != fmt.Sprint(want) || got == nil {
		t.Fatalf("invalid row: %v, want %v", got, want)
	}
	st, err := e.RowStepper([]float64{1, 2}, 0, Params{Kind: ReLU, Alpha: 1}, make([]float64, 1))
	if err != nil {
		t.Fatal(err)
	}
	for !st.Step(time.Second) {
	}
	if !st.Step(0) {
		t.Fatal("Step after completion reports incomplete")
	}
}

// sameRow reports whether two rows are equal bit for bit.
func sameRow(a, b Row) bool {
	return slices.Equal(a.Keys, b.Keys) && sameBits(a.Weights, b.Weights) && a.Count == b.Count &&
		a.Visible == b.Visible && a.Empty == b.Empty && a.Stats == b.Stats &&
		sameBits([]float64{a.Threshold, a.ErrorBound}, []float64{b.Threshold, b.ErrorBound})
}

func sameBits(x, y []float64) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
			return false
		}
	}
	return true
}
