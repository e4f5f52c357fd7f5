package main

import (
	"math"
	"math/rand/v2"
)

// newRand is the one seeded source of every generator here; stream names the
// use so that different sections draw independent data from one -seed.
func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// spreads returns the per-dimension standard deviation of a data kind:
//
//	gaussian  σ_t = 1
//	decaying  σ_t = e^(−t/4) (t = 0..d−1), the spread of issue 4
//	massive   σ_t = 1 except ⌈d/16⌉ "massive" dimensions (the first ones) with σ = 10
func spreads(kind string, d int) []float64 {
	s := make([]float64, d)
	for t := range s {
		s[t] = 1
		switch kind {
		case "decaying":
			s[t] = math.Exp(-float64(t) / 4)
		case "massive":
			if t < (d+15)/16 {
				s[t] = 10
			}
		case "gaussian":
		default:
			panic("hsrbench: unknown data kind " + kind)
		}
	}
	return s
}

// genPoints returns n points of dimension d, row-major, of the given kind.
func genPoints(kind string, n, d int, rng *rand.Rand) []float64 {
	s := spreads(kind, d)
	x := make([]float64, n*d)
	for i := 0; i < n; i++ {
		row := x[i*d : (i+1)*d]
		for t := range row {
			row[t] = s[t] * rng.NormFloat64()
		}
	}
	return x
}

// gaussian returns n·d i.i.d. N(0, σ²) numbers.
func gaussian(n int, sigma float64, rng *rand.Rand) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = sigma * rng.NormFloat64()
	}
	return x
}
