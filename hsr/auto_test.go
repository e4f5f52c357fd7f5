package hsr

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Auto's estimate-then-scan path: where the sample says the reported
// fraction is high, the part is scanned whole; the set is exactly the
// scan's, at thresholds equal to the dot products of sample rows (the
// values the estimate's decision turns on) and of other rows, and their
// neighbours, with the AVX2 kernels and without; the trace shows the
// path taken (one LeafScanned step over the whole part) exactly when the
// sample's count reaches the cut. d = 16 runs with the default (no
// estimate) and with a cut forced to 0.25 (64 sample rows exactly), to test the path with the AVX2
// bound kernel too. Both ways of scanning a part whole run: over the
// tree's leaf-ordered copy (an Auto without rows) and over the rows in id
// order (AutoOver, as NewAuto).
func TestAutoEstimateThenScan(t *testing.T) {
	save := useAVX2
	defer func() { useAVX2 = save; scanCutOverride = 0 }()
	type tcase struct {
		d   int
		cut float64
	}
	cases := []tcase{{5, 0}, {8, 0}, {16, 0}, {16, 0.25}}
	if testing.Short() { // one dimension with the tree kept, one cut to the scan
		cases = []tcase{{8, 0}, {16, 0.25}}
	}
	for _, tc := range cases {
		d := tc.d
		scanCutOverride = tc.cut
		rng := rand.New(rand.NewPCG(uint64(d), 77))
		n := sampleMinPoints + 999
		pts := genPoints(rng, "gauss", n, d)
		tr := NewTree(d, pts, TreeOptions{})
		orig := slices.Clone(pts)
		for range 300 { // a small part without a sample, and a buffer
			x := genPoints(rng, "gauss", 1, d)
			tr.Insert(x)
			pts = append(pts, x...)
		}
		autos := []*Auto{{Tree: tr}, AutoOver(tr, orig)}
		if autos[1].rows == nil {
			t.Fatalf("d=%d: AutoOver dropped the rows", d)
		}
		p := tr.parts[0]
		if p.sample == nil || len(tr.parts) < 2 || tr.parts[1].sample != nil || tr.buf.len() == 0 {
			t.Fatalf("d=%d: parts %v: want a sampled first part, an unsampled second and a buffer", d, tr.Parts())
		}
		for qi := range 3 {
			a := genQuery(rng, "gauss", d)
			sdots := make([]float64, sampleRows)
			for j := range sdots {
				sdots[j] = Dot(a, p.sample[j*d:(j+1)*d])
			}
			slices.Sort(sdots)
			slices.Reverse(sdots) // descending: sdots[k] > c for exactly k rows when c = sdots[k] (ties aside)
			cut := scanCut(d)
			k := min(max(int(math.Ceil(cut*sampleRows)), 1), sampleRows-1)
			var cs []float64
			for _, v := range []float64{sdots[k-1], sdots[k], sdots[0], sdots[sampleRows/2], sdots[sampleRows-1],
				Dot(a, pts[(qi*7919%n)*d:(qi*7919%n+1)*d])} {
				cs = append(cs, v, math.Nextafter(v, math.Inf(-1)), math.Nextafter(v, math.Inf(1)))
			}
			for _, c := range cs {
				want := oracle(a, c, pts)
				hits := 0
				for _, v := range sdots {
					if v > c {
						hits++
					}
				}
				whole := float64(hits) >= cut*sampleRows
				for ai, au := range autos {
					for _, avx := range []bool{false, save} {
						useAVX2 = avx
						got, st := collectSorted(t, au, a, c)
						if !sameIDs(got, want) {
							t.Fatalf("d=%d c=%v avx=%v: Collect %d ids, oracle %d", d, c, avx, len(got), len(want))
						}
						var vis []int
						vst := au.Query(a, c, func(id int) bool { vis = append(vis, id); return true })
						slices.Sort(vis)
						if !sameIDs(vis, want) || vst != st {
							t.Fatalf("d=%d c=%v avx=%v: Query %d ids %+v, oracle %d, Collect %+v", d, c, avx, len(vis), vst, len(want), st)
						}
						var trace Trace
						au.Trace(a, c, &trace)
						if trace.Stats != st || !sameIDs(slices.Sorted(slices.Values(trace.IDs)), want) {
							t.Fatalf("d=%d c=%v: trace %+v, query %+v", d, c, trace.Stats, st)
						}
						checkSteps(t, tr, &trace, true)
						s0 := trace.Steps[0]
						took := s0.Part == 0 && s0.Node == 0 && s0.Decision == LeafScanned && s0.Count == p.len()
						// The root can be decided by its bound first (pruned or
						// reported whole) only far outside the data.
						if root := s0.Decision == Pruned || s0.Decision == ReportedWhole; took != whole && !root {
							t.Fatalf("d=%d c=%v auto %d: %d of %d sample rows above c (cut %v), but the first step is %+v",
								d, c, ai, hits, sampleRows, cut, s0)
						}
						// Over the rows the first part's ids come ascending
						// (the scan's order), over the leaf-ordered copy not.
						if took {
							var first []int
							raw, _ := Collect(au, a, c, nil)
							for _, id := range raw {
								if id < p.len() {
									first = append(first, id)
								}
							}
							if sorted := slices.IsSorted(first); len(first) > 16 && sorted != (ai == 1) {
								t.Fatalf("d=%d c=%v auto %d: ids ascending %v over the part scanned whole", d, c, ai, sorted)
							}
						}
					}
				}
			}
		}
	}
}
