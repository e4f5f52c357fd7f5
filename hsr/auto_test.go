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
// order (AutoOver, as NewAuto; there the probe of the frontier may scan the
// part whole below the cut too).
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
						// With rows, the probe may also find the tree losing and
						// scan them whole (TestAutoProbeScansRows).
						if root := s0.Decision == Pruned || s0.Decision == ReportedWhole; took != whole && !root && !(ai == 1 && took) {
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

// TestAutoProbeScansRows: with the rows in id order, a part the tree
// cannot prune (isotropic keys at d = 32) is scanned whole over the rows
// (one LeafScanned step on the root, the part's ids ascending) at every
// reported fraction, while a part it prunes (decaying spread, few hits:
// nearly all points straddle c at the frontier, and the tree's first
// node wins) takes the tree; sets equal the oracle at thresholds on and next to real
// dot products, Stats equal across Collect, Query and Trace (the probe
// leaves no trace), with the AVX2 kernels and without.
func TestAutoProbeScansRows(t *testing.T) {
	save := useAVX2
	defer func() { useAVX2 = save }()
	const d, n = 32, 1 << 16
	for _, tc := range []struct {
		data  string
		fracs []float64
		whole bool
	}{{"gauss", []float64{1e-3, 0.1, 0.5}, true}, {"decay", []float64{1e-4, 1e-3, 1e-2}, false}} {
		rng := rand.New(rand.NewPCG(32, 99))
		pts := genPoints(rng, tc.data, n, d)
		au := NewAuto(d, pts, TreeOptions{})
		a := genQuery(rng, tc.data, d)
		dots := make([]float64, n)
		for j := range dots {
			dots[j] = Dot(a, pts[j*d:(j+1)*d])
		}
		sorted := slices.Sorted(slices.Values(dots))
		for _, f := range tc.fracs {
			v := sorted[n-1-int(f*n)]
			for _, c := range []float64{v, math.Nextafter(v, math.Inf(-1)), math.Nextafter(v, math.Inf(1))} {
				want := oracle(a, c, pts)
				for _, avx := range []bool{false, save} {
					useAVX2 = avx
					got, st := collectSorted(t, au, a, c)
					if !sameIDs(got, want) {
						t.Fatalf("%s k/n=%v c=%v avx=%v: %d ids, oracle %d", tc.data, f, c, avx, len(got), len(want))
					}
					var vis []int
					if vst := au.Query(a, c, func(id int) bool { vis = append(vis, id); return true }); vst != st || !sameIDs(slices.Sorted(slices.Values(vis)), want) {
						t.Fatalf("%s k/n=%v c=%v: Query %+v, Collect %+v", tc.data, f, c, vst, st)
					}
					var trace Trace
					au.Trace(a, c, &trace)
					if trace.Stats != st || !sameIDs(slices.Sorted(slices.Values(trace.IDs)), want) {
						t.Fatalf("%s k/n=%v c=%v: trace %+v, query %+v", tc.data, f, c, trace.Stats, st)
					}
					checkSteps(t, au.Tree, &trace, true)
					s0 := trace.Steps[0]
					took := s0.Node == 0 && s0.Decision == LeafScanned && s0.Count == n
					raw, _ := Collect(au, a, c, nil)
					if took != tc.whole || took && !slices.IsSorted(raw) {
						t.Fatalf("%s k/n=%v c=%v: whole scan %v (ids ascending %v), want %v; first step %+v",
							tc.data, f, c, took, slices.IsSorted(raw), tc.whole, s0)
					}
				}
			}
		}
	}
}
