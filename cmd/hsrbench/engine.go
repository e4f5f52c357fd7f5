package main

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/hsr"
)

// engineContenders lists the hsr indexes other than the scan. It is the one
// place that names the engine's index constructors.
func engineContenders() []maker {
	return []maker{
		{"tree", func(d int, p []float64, _ map[string]hsr.Index) hsr.Index {
			return hsr.NewTree(d, p, hsr.TreeOptions{})
		}},
		// hsr.Auto is the Tree plus a per-query choice and the points in id
		// order (NewAuto is NewTree plus a reference to its points):
		// AutoOver the tree just built measures the same structure without
		// a second build, which at n = 2^20, d = 128 takes tens of seconds.
		// Its points in id order are the scan's own copy (the same values):
		// where Auto scans them it reads the very bytes the baseline reads,
		// so such a cell compares the work and not where in memory each
		// copy landed (two copies of the same points scan at speeds 2–10%
		// apart on this machine; BenchmarkClocks, docs/performance.md).
		{"auto", func(d int, p []float64, prior map[string]hsr.Index) hsr.Index {
			if t, ok := prior["tree"].(*hsr.Tree); ok {
				if s, ok := prior["scan"].(*hsr.Scan); ok {
					p = s.Points()
				}
				return hsr.AutoOver(t, p)
			}
			return hsr.NewAuto(d, p, hsr.TreeOptions{})
		}},
	}
}

func reluParams(p *reluProblem, kind attention.IndexKind) attention.Params {
	ap := attention.DefaultParams()
	ap.Kind = attention.ReLU
	ap.Alpha = p.alpha
	ap.B = p.b
	ap.Norm = attention.NormRow
	ap.Causal = p.causal
	ap.Index = kind
	ap.CountsOnly = true
	return ap
}

// mustf turns an engine error into a loud failure: the inputs here are valid
// by construction, so an error is a bug worth stopping for.
func mustf(err error, what string) {
	if err != nil {
		panic(fmt.Sprintf("hsrbench: %s: %v", what, err))
	}
}

// engineDecoder is single-query decoding with attention.Engine: the index is
// built once over the cache (outside timing, as a KV cache's index lives
// across tokens), then one Engine.Row per query.
func engineDecoder(kind attention.IndexKind) func(p *reluProblem) func([]float64, []int) {
	return func(p *reluProblem) func([]float64, []int) {
		e, err := attention.NewEngine(mat.NewDense(p.n, p.d, p.k), mat.NewDense(p.n, p.dv, p.v), kind)
		mustf(err, "attention.NewEngine")
		ap := reluParams(p, kind)
		return func(out []float64, counts []int) {
			for i := 0; i < p.m; i++ {
				r, err := e.Row(p.q[i*p.d:(i+1)*p.d], i, ap, out[i*p.dv:(i+1)*p.dv])
				mustf(err, "Engine.Row")
				counts[i] = r.Count
			}
		}
	}
}

// enginePrefill is attention.Prefill: every call builds what it needs, so its
// time includes the index build (a prompt arrives whole).
func enginePrefill(kind attention.IndexKind) func(p *reluProblem) func([]float64, []int) {
	return func(p *reluProblem) func([]float64, []int) {
		Q, K, V := mat.NewDense(p.m, p.d, p.q), mat.NewDense(p.n, p.d, p.k), mat.NewDense(p.n, p.dv, p.v)
		ap := reluParams(p, kind)
		return func(out []float64, counts []int) {
			res, err := attention.Prefill(Q, K, V, ap)
			mustf(err, "attention.Prefill")
			copyDense(out, res.Out)
			for i, r := range res.Rows {
				counts[i] = r.Count
			}
		}
	}
}

// attnDense is attention.Dense, the package's reference: Dgemm scores in
// tiles (causal tiles above the diagonal skipped) and Dgemm weights×V. It
// is one more dense gonum path; the baseline is whichever dense path is fastest.
func attnDense(p *reluProblem) func([]float64, []int) {
	Q, K, V := mat.NewDense(p.m, p.d, p.q), mat.NewDense(p.n, p.d, p.k), mat.NewDense(p.n, p.dv, p.v)
	ap := reluParams(p, attention.IndexScan)
	return func(out []float64, counts []int) {
		res, err := attention.Dense(Q, K, V, ap)
		mustf(err, "attention.Dense")
		copyDense(out, res.Out)
		for i, r := range res.Rows {
			counts[i] = r.Count
		}
	}
}

func copyDense(dst []float64, m *mat.Dense) {
	r, c := m.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			dst[i*c+j] = m.At(i, j)
		}
	}
}

// decodeContenders are the attention package's HSR decoding paths.
func decodeContenders() []attnImpl {
	return []attnImpl{
		{"hsr-auto", engineDecoder(attention.IndexAuto)},
		{"hsr-scan", engineDecoder(attention.IndexScan)},
	}
}

// prefillContenders are the attention package's HSR prefilling paths.
func prefillContenders() []attnImpl {
	return []attnImpl{{"hsr-auto", enginePrefill(attention.IndexAuto)}}
}
