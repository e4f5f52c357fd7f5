package attention

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// The oracle: a straightforward triple loop, independent of the package's
// Gemm tiles, hsr.Dot, powi and finish.

type oracleRow struct {
	out    []float64 // the exact row (reference)
	mag    []float64 // Σ |term| per entry after normalisation: the scale of its rounding
	scores []float64 // s_ij for visible j
	smag   []float64 // Σ_t |q_t k_jt| / scale: the scale of s_ij's rounding
	keys   []int     // ReLU: a_ij > 0; softmax: all visible
	vis    int
}

func oracleScores(q []float64, K [][]float64, p Params, vis int) []float64 {
	d := len(q)
	s := make([]float64, vis)
	for j := 0; j < vis; j++ {
		var dot float64
		for t := 0; t < d; t++ {
			dot += q[t] * K[j][t]
		}
		if !p.Unscaled {
			dot /= math.Sqrt(float64(d))
		}
		s[j] = dot
	}
	return s
}

// oracle computes row i. For softmax with keep != nil, only keys with
// keep[j] are used (the approximation over a given set).
func oracle(q []float64, i int, K, V [][]float64, p Params, keep func(j int, s float64) bool) oracleRow {
	n, dv := len(K), len(V[0])
	vis := n
	if p.Causal && i+1 < n {
		vis = i + 1
	}
	r := oracleRow{out: make([]float64, dv), mag: make([]float64, dv), vis: vis}
	r.scores = oracleScores(q, K, p, vis)
	r.smag = make([]float64, vis)
	for j := range r.smag {
		for t := range q {
			r.smag[j] += math.Abs(q[t] * K[j][t])
		}
		if !p.Unscaled {
			r.smag[j] /= math.Sqrt(float64(len(q)))
		}
	}
	if p.Kind == ReLU {
		var sum float64
		for j, s := range r.scores {
			if s > p.B {
				a := math.Pow(s-p.B, float64(p.Alpha))
				if a == 0 {
					continue
				}
				r.keys = append(r.keys, j)
				sum += a
				for t := 0; t < dv; t++ {
					r.out[t] += a * V[j][t]
					r.mag[t] += math.Abs(a * V[j][t])
				}
			}
		}
		div := 1.0
		switch {
		case len(r.keys) == 0:
		case p.Norm == NormRow:
			div = sum
		case p.Norm == NormLength:
			div = float64(vis)
		}
		for t := range r.out {
			r.out[t] /= div
			r.mag[t] /= div
		}
		return r
	}
	mx := math.Inf(-1)
	for j, s := range r.scores {
		if keep == nil || keep(j, s) {
			mx = math.Max(mx, s)
		}
	}
	var z float64
	for j, s := range r.scores {
		if keep != nil && !keep(j, s) {
			continue
		}
		r.keys = append(r.keys, j)
		e := math.Exp(s - mx)
		z += e
		for t := 0; t < dv; t++ {
			r.out[t] += e * V[j][t]
			r.mag[t] += math.Abs(e * V[j][t])
		}
	}
	if z > 0 {
		for t := range r.out {
			r.out[t] /= z
			r.mag[t] /= z
		}
	}
	return r
}

func randMat(rng *rand.Rand, r, c int, sigma float64) [][]float64 {
	m := make([][]float64, r)
	for i := range m {
		m[i] = make([]float64, c)
		for t := range m[i] {
			m[i][t] = sigma * rng.NormFloat64()
		}
	}
	return m
}

func toDense(x [][]float64) *mat.Dense {
	m := mat.NewDense(len(x), len(x[0]), nil)
	for i, row := range x {
		m.SetRow(i, row)
	}
	return m
}
