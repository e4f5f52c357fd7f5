package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/hsrviz/hsrviz/attention/gen"
)

// newRand is the seeded source of the query vectors; stream names the use so
// that different sections draw independent queries from one -seed.
func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// genPoints returns n keys of dimension d, row-major, from attention/gen:
// the keys the engine's tests and the visualizer use for the same kind, n,
// d, σ = 1 and seed (TestSameKeysAsGen checks it by hash; see gen's
// package doc for the distributions).
func genPoints(kind string, n, d int, seed uint64) []float64 {
	k, err := gen.ParseKind(kind)
	if err != nil {
		panic("hsrbench: " + err.Error())
	}
	_, K, _, err := gen.Generate(gen.Spec{Kind: k, N: n, D: d, DV: 1, Sigma: 1, Seed: seed})
	if err != nil {
		panic(fmt.Sprintf("hsrbench: gen.Generate(%s, n=%d, d=%d): %v", kind, n, d, err))
	}
	return K.RawMatrix().Data
}

// genQKV returns Gaussian N(0,1) Q (m×d), K (n×d), V (n×d) from attention/gen.
func genQKV(m, n, d int, seed uint64) (q, k, v []float64) {
	Q, K, V, err := gen.Generate(gen.Spec{Kind: gen.Gaussian, N: n, M: m, D: d, DV: d, Sigma: 1, Seed: seed})
	if err != nil {
		panic(fmt.Sprintf("hsrbench: gen.Generate(m=%d, n=%d, d=%d): %v", m, n, d, err))
	}
	return Q.RawMatrix().Data, K.RawMatrix().Data, V.RawMatrix().Data
}

// gaussian returns n i.i.d. N(0, σ²) numbers (query vectors).
func gaussian(n int, sigma float64, rng *rand.Rand) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = sigma * rng.NormFloat64()
	}
	return x
}
