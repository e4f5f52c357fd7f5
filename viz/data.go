package viz

import (
	"math"
	"math/rand/v2"
)

// Data generation: seeded and deterministic, sequential per stream so that
// the first n' keys of a set of n keys are the keys of size n' (the scaling
// panel uses prefixes instead of generating new sets).

// streams: one PCG stream per matrix, so that changing m does not change K.
const (
	streamK = 1
	streamQ = 2
	streamV = 3
	streamS = 4 // shape of the data kind (cluster centres, massive dimensions)
)

func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9E3779B97F4A7C15^stream))
}

// shape is the per-dimension spread and the cluster centres of a data kind.
type shape struct {
	spread  []float64 // per-dimension standard deviation (σ included)
	centres []float64 // clustered: k×d centres, nil otherwise
	k       int
}

const decayTau = 4.0 // decaying spread σ_t = σ·e^(−t/τ), as in the performance notes

func newShape(kind string, d int, sigma float64, seed uint64) shape {
	sh := shape{spread: make([]float64, d)}
	for t := range sh.spread {
		sh.spread[t] = sigma
	}
	switch kind {
	case "decaying":
		for t := range sh.spread {
			sh.spread[t] = sigma * math.Exp(-float64(t)/decayTau)
		}
	case "massive":
		// a few "massive" dimensions with 8× the spread of the others
		r := newRand(seed, streamS)
		nm := 1 + d/16
		for i := 0; i < nm; i++ {
			sh.spread[r.IntN(d)] = 8 * sigma
		}
	case "clustered":
		r := newRand(seed, streamS)
		sh.k = 8
		sh.centres = make([]float64, sh.k*d)
		for i := range sh.centres {
			sh.centres[i] = 2.5 * sigma * r.NormFloat64()
		}
		for t := range sh.spread {
			sh.spread[t] = 0.35 * sigma
		}
	}
	return sh
}

// fill writes rows [from, to) of a matrix of d columns into dst, drawing
// from r in row order.
func (sh shape) fill(r *rand.Rand, dst []float64, d, from, to int) {
	for i := from; i < to; i++ {
		row := dst[i*d : (i+1)*d]
		var c []float64
		if sh.centres != nil {
			j := r.IntN(sh.k)
			c = sh.centres[j*d : (j+1)*d]
		}
		for t := range row {
			x := sh.spread[t] * r.NormFloat64()
			if c != nil {
				x += c[t]
			}
			row[t] = x
		}
	}
}

// queryShape: queries are N(0, σ²) in every data kind (the data kind shapes
// the keys, which is what the index sees); clustered queries are drawn near
// the key clusters so that some keys are strongly activated.
func queries(p Params) []float64 {
	q := make([]float64, p.M*p.D)
	sh := shape{spread: make([]float64, p.D)}
	for t := range sh.spread {
		sh.spread[t] = p.Sigma
	}
	sh.fill(newRand(p.Seed, streamQ), q, p.D, 0, p.M)
	return q
}

// valueDim is the width of V: enough columns for an honest output check.
const valueDim = 8

func values(n int, seed uint64) []float64 {
	v := make([]float64, n*valueDim)
	r := newRand(seed, streamV)
	for i := range v {
		v[i] = r.NormFloat64()
	}
	return v
}
