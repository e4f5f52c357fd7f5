package hsr

import (
	"math"
	"math/rand/v2"
	"testing"
)

// withShellMin runs f with radius-split chains going down to m points, so
// that small trees have shells too.
func withShellMin(m int, f func()) {
	save := shellMin
	shellMin = m
	defer func() { shellMin = save }()
	f()
}

// Trees with radius splits and ball bounds (forced on in every dimension,
// with short shells) report exactly the oracle's set, and their traces hold
// (every point of a step's node has Min ≤ Dot ≤ Max, decisions agree).
func TestShellsMatchScan(t *testing.T) {
	withShellMin(8, func() {
		ns := []int{0, 1, 5, 17, 200, 3000}
		if testing.Short() {
			ns = ns[:5] // 3000 points is most of the time (wasm is ~10× slower)
		}
		for _, d := range []int{1, 2, 3, 4, 6, 8, 9, 12, 16} {
			for _, n := range ns {
				for ki, kind := range dataKinds {
					rng := rand.New(rand.NewPCG(uint64(d*100+n), uint64(ki)))
					pts := genPoints(rng, kind, n, d)
					for _, sh := range []int{1, -1} {
						tr := NewTree(d, pts, TreeOptions{Shells: sh, LeafSize: 1 + rng.IntN(8), BufferSize: 32})
						if sh == 1 && n >= 32 && tr.parts[0].centre == nil {
							t.Fatalf("d=%d n=%d %s: shells requested, no centre", d, n, kind)
						}
						checkTree(t, tr, pts)
						au := &Auto{Tree: tr}
						for qi := 0; qi < 2; qi++ {
							a := genQuery(rng, kind, d)
							for ci, c := range thresholds(rng, a, pts) {
								want := oracle(a, c, pts)
								for _, ix := range []Index{tr, au} {
									got, _ := collectSorted(t, ix, a, c)
									if !sameIDs(got, want) {
										t.Fatalf("%T d=%d n=%d %s shells=%d c=%v: %d ids, want %d", ix, d, n, kind, sh, c, len(got), len(want))
									}
								}
								if ci%3 == 0 && n > 0 {
									var tc Trace
									tr.Trace(a, c, &tc)
									checkSteps(t, tr, &tc, false)
									au.Trace(a, c, &tc)
									checkSteps(t, tr, &tc, true)
								}
							}
						}
					}
				}
			}
		}
	})
}

// Points on spheres around the centre, and queries whose threshold sits at
// the ball bound itself (c = ‖a‖·R and its float64 neighbours) and at the
// points' own dot products: the ball certificate must never prune or
// report whole a node wrongly.
func TestShellBallBoundary(t *testing.T) {
	withShellMin(4, func() {
		for _, d := range []int{2, 4, 8, 12} {
			rng := rand.New(rand.NewPCG(uint64(d), 99))
			n := 4000
			pts := make([]float64, 0, n*d)
			for i := 0; i < n; i++ {
				// Radii 1, 2, 4, … with exact ± unit-vector points and random directions.
				R := math.Ldexp(1, i%6)
				x := make([]float64, d)
				if i%3 == 0 {
					x[rng.IntN(d)] = R * float64(1-2*rng.IntN(2))
				} else {
					var s float64
					for t := range x {
						x[t] = rng.NormFloat64()
						s += x[t] * x[t]
					}
					for t := range x {
						x[t] *= R / math.Sqrt(s)
					}
				}
				pts = append(pts, x...)
			}
			tr := NewTree(d, pts, TreeOptions{Shells: 1, LeafSize: 2})
			queries := [][]float64{genQuery(rng, "gauss", d)}
			e := make([]float64, d)
			e[0] = 1
			queries = append(queries, e)
			for _, a := range queries {
				na := math.Sqrt(Dot(a, a))
				var cs []float64
				for k := 0; k < 6; k++ {
					v := na * math.Ldexp(1, k)
					cs = append(cs, v, math.Nextafter(v, 0), math.Nextafter(v, math.Inf(1)), -v, math.Nextafter(-v, 0))
				}
				for r := 0; r < 40; r++ {
					v := Dot(a, pts[r*d:(r+1)*d])
					cs = append(cs, v, math.Nextafter(v, math.Inf(-1)))
				}
				for _, c := range cs {
					got, _ := collectSorted(t, tr, a, c)
					want := oracle(a, c, pts)
					if !sameIDs(got, want) {
						t.Fatalf("d=%d c=%v: got %d ids want %d", d, c, len(got), len(want))
					}
					var tc Trace
					tr.Trace(a, c, &tc)
					checkSteps(t, tr, &tc, false)
				}
			}
		}
	})
}

// A query direction so small that its squares underflow (‖a‖ computed as
// 0): the ball bound must still cover ‖a‖·r, so that no node is pruned or
// reported whole on a ball that is too thin.
func TestShellTinyQuery(t *testing.T) {
	for _, scale := range []float64{1e-170, 1e-160, 1e-300} {
		d := 8
		rng := rand.New(rand.NewPCG(1, 2))
		n := 3000
		pts := genPoints(rng, "gauss", n, d)
		tr := NewTree(d, pts, TreeOptions{Shells: 1})
		if tr.parts[0].centre == nil {
			t.Fatal("shells requested, no centre")
		}
		a := genQuery(rng, "gauss", d)
		for i := range a {
			a[i] *= scale
		}
		for r := 0; r < 50; r++ {
			c := Dot(a, pts[r*d:(r+1)*d])
			got, _ := collectSorted(t, tr, a, c)
			if want := oracle(a, c, pts); !sameIDs(got, want) {
				t.Fatalf("scale %g c=%v: %d ids, want %d", scale, c, len(got), len(want))
			}
		}
	}
}
