package hsr

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestTopRMatchesSort(t *testing.T) {
	for _, d := range []int{1, 2, 3, 8, 40} {
		for _, kind := range []string{"gauss", "grid", "dup", "equal"} {
			rng := rand.New(rand.NewPCG(uint64(d), 11))
			n := 2000
			pts := genPoints(rng, kind, n, d)
			tr := NewTree(d, pts, TreeOptions{BufferSize: 32})
			for range 77 {
				x := genPoints(rng, kind, 1, d)
				tr.Insert(x)
				pts = append(pts, x...)
			}
			sc := NewScan(d, pts)
			n = len(pts) / d
			for range 4 {
				a := genQuery(rng, kind, d)
				dots := make([]float64, n)
				for i := range dots {
					dots[i] = Dot(a, pts[i*d:(i+1)*d])
				}
				slices.Sort(dots)
				for _, r := range []int{-3, 0, 1, 2, 7, 100, n / 8, n/8 + 1, n / 2, n - 1, n, n + 5, rng.IntN(n) + 1} {
					want := dots[n-clampR(r, n)]
					for _, ix := range []TopRer{tr, sc} {
						got, st := ix.TopR(a, r)
						if got != want {
							t.Fatalf("%T d=%d %s r=%d: got:%v want:%v", ix, d, kind, r, got, want)
						}
						if st.Reported != 0 {
							t.Fatalf("%T: TopR reported %d", ix, st.Reported)
						}
					}
					// The documented use: Query just below tau keeps Dot ≥ tau.
					ids, _ := collectSorted(t, tr, a, math.Nextafter(want, math.Inf(-1)))
					if len(ids) < clampR(r, n) {
						t.Fatalf("d=%d r=%d: Query below tau keeps %d", d, r, len(ids))
					}
				}
			}
		}
	}
}

func TestTopREmptyAndCost(t *testing.T) {
	tr := NewTree(2, nil, TreeOptions{})
	if tau, _ := tr.TopR([]float64{1, 1}, 3); !math.IsInf(tau, -1) {
		t.Fatalf("empty tree: got:%v want:-Inf", tau)
	}
	if tau, _ := NewScan(2, nil).TopR([]float64{1, 1}, 3); !math.IsInf(tau, -1) {
		t.Fatalf("empty scan: got:%v want:-Inf", tau)
	}
	// In the plane, the top 10 of 10^5 Gaussian points need a small
	// fraction of the dot products (branch and bound, not a full pass).
	rng := rand.New(rand.NewPCG(1, 1))
	pts := genPoints(rng, "gauss", 100000, 2)
	tr = NewTree(2, pts, TreeOptions{})
	_, st := tr.TopR([]float64{0.6, -0.8}, 10)
	if st.DotProducts > 2000 {
		t.Fatalf("TopR(10) computed %d dot products of 100000", st.DotProducts)
	}
}
