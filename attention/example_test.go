package attention_test

import (
	"fmt"

	"github.com/hsrviz/hsrviz/attention"
	"gonum.org/v1/gonum/mat"
)

// One ReLU² row, unscaled: the scores of q = (1, 0) are the keys' first
// coordinates (2, 0.5, −1); with b = 1 only key 0 has a non-zero weight
// (2 − 1)² = 1, so the output is its value.
func Example() {
	K := mat.NewDense(3, 2, []float64{2, 0, 0.5, 1, -1, 3})
	V := mat.NewDense(3, 1, []float64{10, 20, 30})
	Q := mat.NewDense(1, 2, []float64{1, 0})
	p := attention.Params{Kind: attention.ReLU, Alpha: 2, B: 1, Unscaled: true}
	res, err := attention.HSR(Q, K, V, p)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Out.At(0, 0), res.Rows[0].Keys, res.Rows[0].Weights)
	// Output: 10 [0] [1]
}

// A KV cache for decoding: each token appends its key and value, and the
// new query attends to everything cached.
func ExampleCache() {
	c := attention.NewCache(2, 1, attention.IndexAuto)
	p := attention.Params{Kind: attention.Softmax, TopR: 2, Unscaled: true}
	for t, k := range [][]float64{{1, 0}, {0, 1}, {3, 0}} {
		if err := c.Append(k, []float64{float64(t)}); err != nil {
			panic(err)
		}
	}
	out, row, err := c.Attend([]float64{1, 0}, p)
	if err != nil {
		panic(err)
	}
	// Scores 1, 0, 3: top-2 keeps keys 0 and 2, output 2/(1+e^−2); the
	// bound is 2·‖V‖_∞·T/(Z+T) with T = 1·e^(1−3), Z = 1 + e^−2.
	fmt.Printf("keys %v, threshold %v, output %.4f, bound %.4f\n", row.Keys, row.Threshold, out[0], row.ErrorBound)
	// Output: keys [0 2], threshold 1, output 1.7616, bound 0.4260
}

// The paper's numbers for n keys.
func ExamplePaperThreshold() {
	n := 1 << 14
	fmt.Printf("b = %.4f, expected %.1f keys per row, bound n^(4/5) = %.1f\n",
		attention.PaperThreshold(n, 1), attention.GaussianExpectedCount(n, attention.PaperThreshold(n, 1), 1), attention.CountBound(n))
	// Output: b = 1.9702, expected 399.9 keys per row, bound n^(4/5) = 2352.5
}

// An Engine builds the index once; each Row is one half-space query, so
// moving the threshold b (a slider) rebuilds nothing.
func ExampleEngine() {
	K := mat.NewDense(4, 1, []float64{1, 2, 3, 4})
	V := mat.NewDense(4, 1, []float64{10, 20, 30, 40})
	e, err := attention.NewEngine(K, V, attention.IndexTree)
	if err != nil {
		panic(err)
	}
	out := make([]float64, 1)
	for _, b := range []float64{0, 2.5, 10} {
		p := attention.Params{Kind: attention.ReLU, Alpha: 1, B: b, Unscaled: true}
		row, err := e.Row([]float64{1}, 0, p, out)
		if err != nil {
			panic(err)
		}
		fmt.Printf("b=%v: keys %v output %.2f empty %v\n", b, row.Keys, out[0], row.Empty)
	}
	// Output:
	// b=0: keys [0 1 2 3] output 30.00 empty false
	// b=2.5: keys [2 3] output 37.50 empty false
	// b=10: keys [] output 0.00 empty true
}
