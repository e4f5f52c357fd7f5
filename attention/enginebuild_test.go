package attention

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// buildPoints is n×d entries of one kind: Gaussian, uniform, few distinct
// rows, all equal, decaying spread, huge and tiny magnitudes (the sketch's
// bad chunks).
func buildPoints(rng *rand.Rand, kind string, n, d int) []float64 {
	x := make([]float64, n*d)
	for i := range x {
		switch kind {
		case "gauss":
			x[i] = rng.NormFloat64()
		case "uniform":
			x[i] = rng.Float64()*2 - 1
		case "dup":
			x[i] = float64((i/d)%3) - float64(i%d)
		case "equal":
			x[i] = 0.5
		case "decay":
			x[i] = rng.NormFloat64() * math.Exp(-float64(i%d)/4)
		case "wide":
			x[i] = rng.NormFloat64() * math.Pow(2, float64(rng.IntN(240)-120))
		}
	}
	return x
}

// TestEngineBuilderSame: the engine built in steps is the one
// NewEngineWith(K, V, IndexScan, opt) builds in one call, field for field
// (keys, values, norms, column maxima, ‖V‖_∞, the sketch, the scan's
// points), over several kinds of keys, d, n and both options, with the
// sketch on; its rows equal the one call's (printed: NaN bounds); non-finite entries give the
// one call's error.
func TestEngineBuilderSame(t *testing.T) {
	defer func(a bool, m int) { useSketch, sketchMinDim = a, m }(useSketch, sketchMinDim)
	useSketch, sketchMinDim = true, 1
	rng := rand.New(rand.NewPCG(5, 6))
	for _, kind := range []string{"gauss", "uniform", "dup", "equal", "decay", "wide"} {
		for _, d := range []int{1, 2, 5, 16, 64} {
			for _, n := range []int{1, 7, 300, 2*buildSlice/d + 5} {
				if n > 300 && (kind != "gauss" && kind != "wide" || d == 2 || d == 16) {
					continue // several slices: two kinds and three d suffice
				}
				for _, opt := range []EngineOptions{{}, {IndexOnly: true}} {
					name := fmt.Sprintf("%s d=%d n=%d %+v", kind, d, n, opt)
					K := mat.NewDense(n, d, buildPoints(rng, kind, n, d))
					V := mat.NewDense(n, 3, buildPoints(rng, "gauss", n, 3))
					want, err := NewEngineWith(K, V, IndexScan, opt)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					b, err := NewEngineBuilder(K, V, opt)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					steps := 1
					for {
						done, err := b.Step(0)
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						if done {
							break
						}
						if b.Engine() != nil {
							t.Fatalf("%s: Engine before the build is complete", name)
						}
						steps++
					}
					if min := 6 * (n * d / buildSlice); steps < min {
						t.Fatalf("%s: %d steps, want at least %d (a slice per step)", name, steps, min)
					}
					got := b.Engine()
					if !reflect.DeepEqual(got.s, want.s) || got.opt != want.opt {
						t.Fatalf("%s: the engine differs from the one call's", name)
					}
					for i := 0; i < 3; i++ {
						q := buildPoints(rng, "gauss", 1, d)
						for _, p := range []Params{{Kind: ReLU, Alpha: 2, B: 0.3}, {Kind: Softmax, TopR: 5}} {
							o1, o2 := make([]float64, 3), make([]float64, 3)
							r1, err1 := want.Row(q, 0, p, o1)
							r2, err2 := got.Row(q, 0, p, o2)
							if fmt.Sprint(err1) != fmt.Sprint(err2) || fmt.Sprintf("%+v %v", r1, o1) != fmt.Sprintf("%+v %v", r2, o2) {
								t.Fatalf("%s: rows differ: %v %v / %v %v", name, r1.Count, err1, r2.Count, err2)
							}
						}
					}
				}
			}
		}
	}
	// non-finite entries: the one call's error, in K before V
	for _, c := range []struct{ k, v int }{{-1, 5}, {7, -1}, {300000, 2}, {3, 60000}} {
		n, d := 70000, 5
		K, V := mat.NewDense(n, d, buildPoints(rng, "gauss", n, d)), mat.NewDense(n, 1, buildPoints(rng, "gauss", n, 1))
		if c.k >= 0 {
			K.RawMatrix().Data[c.k] = math.Inf(-1)
		}
		if c.v >= 0 {
			V.RawMatrix().Data[c.v] = math.NaN()
		}
		_, want := NewEngineWith(K, V, IndexScan, EngineOptions{})
		b, err := NewEngineBuilder(K, V, EngineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got error
		for done := false; !done; {
			done, got = b.Step(0)
		}
		if want == nil || fmt.Sprint(got) != fmt.Sprint(want) || b.Engine() != nil {
			t.Fatalf("non-finite at %v: error %v, want %v", c, got, want)
		}
		if _, again := b.Step(time.Second); fmt.Sprint(again) != fmt.Sprint(want) {
			t.Fatalf("Step after the error: %v", again)
		}
	}
}

// TestEngineBuilderBudget: a budget batches slices, and Step after
// completion reports complete.
func TestEngineBuilderBudget(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	n, d := 1<<16, 4
	K, V := mat.NewDense(n, d, buildPoints(rng, "gauss", n, d)), mat.NewDense(n, 2, buildPoints(rng, "gauss", n, 2))
	b, err := NewEngineBuilder(K, V, EngineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	calls := 1
	for done := false; !done; calls++ {
		if done, err = b.Step(time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if calls > 3 {
		t.Errorf("%d calls of 1 s for a build of %d keys: the budget does not batch slices", calls, n)
	}
	if done, err := b.Step(0); !done || err != nil || b.Engine() == nil {
		t.Errorf("Step after completion: %v, %v", done, err)
	}
}
