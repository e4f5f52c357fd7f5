package main

import (
	"fmt"
	"io"
	"math"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/hsr"
)

// slope is the fitted log-log slope (attention.FitPowerLaw, the module's
// one fit): NaN with fewer than two points above zero.
func slope(xs, ys []float64) float64 {
	s, _ := attention.FitPowerLaw(xs, ys)
	return s
}

// paperThreshold is attention.PaperThreshold for N(0, σ²) entries (σ_s = σ²).
func paperThreshold(n int, sigma float64) float64 {
	return attention.PaperThreshold(n, attention.ScoreSigma(sigma, 1, false))
}

// gaussianExpectation is attention.GaussianExpectedCount at the paper's
// threshold (σ_s = 1).
func gaussianExpectation(n int) float64 {
	return attention.GaussianExpectedCount(n, paperThreshold(n, 1), 1)
}

// runScaling measures, at the paper's threshold c = sqrt(d)·sqrt(0.4 ln n) on
// N(0,1) keys and queries, the reported count and each index's work (dot
// products, nodes visited, time) for n = 2^10 … scaleMaxN, and fits log-log
// slopes. The theory beside them: count ≤ n^(4/5) in expectation, HSR
// decoding work O(n^(4/5)), the scan's work n.
func runScaling(c config, out *reporter, log io.Writer) {
	ms := gridContenders(c)
	for _, d := range c.scaleDims {
		out.header("scaling", fmt.Sprintf("work vs n at the paper's threshold, d=%d, Gaussian keys and %d queries; frac = mean reported/n; ms per query", d, c.scaleQ))
		var ns, counts, expects []float64
		dots := make([][]float64, len(ms))
		nodes := make([][]float64, len(ms))
		times := make([][]float64, len(ms))
		// The same queries at every n, and keys that are prefixes of one
		// sequence (gen draws rows in order), so the fit sees n, not new draws.
		rng := newRand(c.seed, uint64(5000+d))
		qs := make([][]float64, c.scaleQ)
		for i := range qs {
			qs[i] = gaussian(d, 1, rng)
		}
		for n := 1 << 10; n <= c.scaleMaxN; n *= 2 {
			pts := genPoints("gaussian", n, d, c.seed+uint64(5000+d))
			cval := math.Sqrt(float64(d)) * paperThreshold(n, 1)
			k := cell{section: "scaling", data: "gaussian", d: d, n: n, qs: make([][]float64, c.scaleQ), cs: make([]float64, c.scaleQ), want: make([]setSum, c.scaleQ)}
			dv := make([]float64, n)
			for i := range k.qs {
				k.qs[i] = qs[i]
				for j := 0; j < n; j++ {
					dv[j] = hsr.Dot(k.qs[i], pts[j*d:(j+1)*d])
				}
				k.cs[i] = cval
				k.want[i] = sumAbove(dv, cval)
			}
			bs := buildAll(ms, d, pts)
			before := len(out.rows)
			// runCell adds rows for contenders 1..; record the scan's own work from the oracle.
			runCell(c, out, k, bs)
			var rep float64
			for _, w := range k.want {
				rep += float64(w.N)
			}
			rep /= float64(c.scaleQ)
			ns = append(ns, float64(n))
			counts = append(counts, rep)
			expects = append(expects, gaussianExpectation(n))
			dots[0] = append(dots[0], float64(n))
			nodes[0] = append(nodes[0], 1)
			if len(out.rows) > before {
				times[0] = append(times[0], out.rows[before].BaselineMs)
			}
			for b, r := range out.rows[before:] {
				dots[b+1] = append(dots[b+1], r.Dots)
				nodes[b+1] = append(nodes[b+1], r.Nodes)
				times[b+1] = append(times[b+1], r.Ms)
			}
			if len(ms) == 1 {
				out.comment(fmt.Sprintf("scaling d=%d n=%d: mean reported %.1f, Gaussian expectation %.1f, n^(4/5) %.1f (no index but the scan yet)",
					d, n, rep, gaussianExpectation(n), attention.CountBound(n)))
			} else if !out.json {
				fmt.Fprintf(out.w, "   n=%-8d reported mean %.1f   Gaussian expectation %.1f   bound n^(4/5) %.1f\n",
					n, rep, gaussianExpectation(n), attention.CountBound(n))
			}
		}
		nlo, nhi := 1<<10, int(ns[len(ns)-1])
		add := func(index, what string, ys []float64, theory float64) {
			out.addFit(fit{Case: "scaling-fit", D: d, Data: "gaussian", Index: index, What: what,
				Slope: slope(ns, ys), Theory: theory, NLo: nlo, NHi: nhi})
		}
		add("", "reported", counts, 0.8)
		add("", "expected", expects, 0.8)
		for b, m := range ms {
			if b == 0 {
				if len(times[0]) > 0 {
					add("scan", "ms", times[0], 1)
				}
				continue
			}
			add(m.name, "dots", dots[b], 0.8)
			add(m.name, "nodes", nodes[b], 0.8)
			add(m.name, "ms", times[b], 0.8)
		}
	}
}
