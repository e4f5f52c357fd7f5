package hsr

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// firstAboveRef is the reference: the first row r in [i, e) with
// Dot(a, row r) > c, or e.
func firstAboveRef(a []float64, c float64, pts []float64, i, e int) int {
	d := len(a)
	for r := i; r < e; r++ {
		if Dot(a, pts[r*d:(r+1)*d]) > c {
			return r
		}
	}
	return e
}

// The AVX2 kernel (where the machine has it) and the portable kernels find
// the same first row as a loop of Dot, from every start row (so the
// four-row blocks and the single-row tail both run at every alignment), for
// c equal to each row's Dot and its float64 neighbours: a kernel whose sum
// differed from Dot's in the last bit would be caught on one side or the
// other. The data mixes magnitudes from 1e-3 to 1e15 so that a different
// order of additions would change the rounded sums.
func TestKernelsMatchDotEveryStart(t *testing.T) {
	save := useAVX2
	defer func() { useAVX2 = save }()
	rng := rand.New(rand.NewPCG(3, 14))
	const n = 23
	for d := 1; d <= 132; d++ {
		if d > 20 && d%4 != 0 {
			continue
		}
		pts := make([]float64, n*d)
		for i := range pts {
			pts[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(19)-3))
			if rng.IntN(7) == 0 {
				pts[i] = math.Copysign(0, rng.NormFloat64())
			}
		}
		a := genQuery(rng, "gauss", d)
		for r := 0; r < n; r++ {
			v := Dot(a, pts[r*d:(r+1)*d])
			for _, c := range []float64{v, math.Nextafter(v, math.Inf(-1)), math.Nextafter(v, math.Inf(1))} {
				for i := 0; i <= n; i++ {
					want := firstAboveRef(a, c, pts, i, n)
					for _, avx := range []bool{false, save} {
						useAVX2 = avx
						if got := nextAbove(a, c, pts, i, n); got != want {
							t.Fatalf("d=%d avx2=%v start %d c=%v: kernel found row %d, Dot loop row %d", d, avx, i, c, got, want)
						}
					}
				}
			}
		}
		// No row is above +Inf or NaN; every finite row is above −Inf.
		for _, avx := range []bool{false, save} {
			useAVX2 = avx
			if got := nextAbove(a, math.Inf(1), pts, 0, n); got != n {
				t.Fatalf("d=%d avx2=%v: a row above +Inf: %d", d, avx, got)
			}
			if got := nextAbove(a, math.NaN(), pts, 0, n); got != n {
				t.Fatalf("d=%d avx2=%v: a row above NaN: %d", d, avx, got)
			}
			if got, want := nextAbove(a, math.Inf(-1), pts, 5, n), firstAboveRef(a, math.Inf(-1), pts, 5, n); got != want {
				t.Fatalf("d=%d avx2=%v: above -Inf from 5: %d, want %d", d, avx, got, want)
			}
		}
	}
}

// A NaN or infinite coordinate gives the same verdict as Dot (a NaN sum is
// never above c).
func TestKernelsNonFinite(t *testing.T) {
	save := useAVX2
	defer func() { useAVX2 = save }()
	for _, d := range []int{4, 8, 16, 64} {
		n := 11
		pts := make([]float64, n*d)
		for i := range pts {
			pts[i] = float64(i%5) - 2
		}
		pts[2*d+1] = math.NaN()
		pts[5*d+3] = math.Inf(1)
		pts[7*d] = math.Inf(-1)
		a := make([]float64, d)
		for i := range a {
			a[i] = 1
		}
		for _, c := range []float64{-1e300, 0, 1e300} {
			for i := 0; i <= n; i++ {
				want := firstAboveRef(a, c, pts, i, n)
				for _, avx := range []bool{false, save} {
					useAVX2 = avx
					if got := nextAbove(a, c, pts, i, n); got != want {
						t.Fatalf("d=%d avx2=%v start %d c=%v: %d, want %d", d, avx, i, c, got, want)
					}
				}
			}
		}
	}
}

// appendAbove (the AVX2 mask kernel where available, else nextAbove)
// appends exactly the rows a loop of Dot finds, in order, mapped through
// ids, for ranges that start and end at every alignment and cross the
// kernel's block of maskRows rows, at reported fractions from none to all.
func TestAppendAboveMatchesDot(t *testing.T) {
	save := useAVX2
	defer func() { useAVX2 = save }()
	rng := rand.New(rand.NewPCG(8, 21))
	for _, d := range []int{1, 3, 4, 8, 12, 16, 20, 64} {
		n := 2*maskRows + 77
		pts := make([]float64, n*d)
		for i := range pts {
			pts[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(13)-3))
		}
		ids := make([]int32, n)
		for i := range ids {
			ids[i] = int32(1000 + 7*i)
		}
		a := genQuery(rng, "gauss", d)
		dots := make([]float64, n)
		for r := range dots {
			dots[r] = Dot(a, pts[r*d:(r+1)*d])
		}
		sorted := slices.Clone(dots)
		slices.Sort(sorted)
		cs := []float64{math.Inf(-1), math.Inf(1), math.NaN(), sorted[0], sorted[n/2], sorted[n-3], math.Nextafter(sorted[n/3], math.Inf(-1))}
		ranges := [][2]int{{0, n}, {0, 0}, {5, 6}, {3, maskRows + 1}, {maskRows - 1, 2 * maskRows}, {1, n - 1}, {n - 3, n}}
		for range 6 {
			s := rng.IntN(n)
			ranges = append(ranges, [2]int{s, s + rng.IntN(n-s+1)})
		}
		for _, c := range cs {
			for _, se := range ranges {
				s, e := se[0], se[1]
				var want, wantIDs []int
				for r := s; r < e; r++ {
					if dots[r] > c {
						want = append(want, r)
						wantIDs = append(wantIDs, int(ids[r]))
					}
				}
				for _, avx := range []bool{false, save} {
					useAVX2 = avx
					got := appendAbove([]int{-1}, a, c, pts, s, e, nil)
					gotIDs := appendAbove(nil, a, c, pts, s, e, ids)
					if got[0] != -1 || !slices.Equal(got[1:], want) || !slices.Equal(gotIDs, wantIDs) {
						t.Fatalf("d=%d avx2=%v rows [%d,%d) c=%v: %d rows (%d ids), want %d", d, avx, s, e, c, len(got)-1, len(gotIDs), len(want))
					}
				}
			}
		}
	}
}

// boundAVX2 (where available) is the box bound the scalar bound32
// computes, up to the rounding the certified margin allows: within
// γ_d·Σ_t |a_t|·max(|lo_t|, |hi_t|) of the exact sums (computed with
// math/big), for either corner; infinite box values give ±Inf or NaN,
// never a finite wrong value on the unsafe side.
func TestBoundAVX2(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2")
	}
	rng := rand.New(rand.NewPCG(4, 4))
	for d := 4; d <= 132; d += 4 {
		for range 50 {
			box := make([]float32, 2*d)
			a := make([]float64, d)
			var M float64
			exMn, exMx := new(big.Float).SetPrec(400), new(big.Float).SetPrec(400)
			for i := 0; i < d; i++ {
				s := math.Pow(10, float64(rng.IntN(7)-3))
				lo, hi := float32(rng.NormFloat64()*s), float32(rng.NormFloat64()*s)
				if lo > hi {
					lo, hi = hi, lo
				}
				box[i], box[d+i] = lo, hi
				a[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(5)-2))
				pl := new(big.Float).SetPrec(400).Mul(big.NewFloat(a[i]), big.NewFloat(float64(lo)))
				ph := new(big.Float).SetPrec(400).Mul(big.NewFloat(a[i]), big.NewFloat(float64(hi)))
				if pl.Cmp(ph) > 0 {
					pl, ph = ph, pl
				}
				exMn.Add(exMn, pl)
				exMx.Add(exMx, ph)
				M += math.Abs(a[i]) * max(math.Abs(float64(lo)), math.Abs(float64(hi)))
			}
			mn, mx := boundAVX2(&a[0], &box[0], d)
			tol := float64(d) * 0x1p-53 / (1 - float64(d)*0x1p-53) * M
			emn, _ := exMn.Float64()
			emx, _ := exMx.Float64()
			if math.Abs(mn-emn) > tol || math.Abs(mx-emx) > tol {
				t.Fatalf("d=%d: bound [%v, %v], exact [%v, %v], tolerance %v", d, mn, mx, emn, emx, tol)
			}
		}
	}
	// An infinite corner: the bound is infinite (or NaN, which prunes nothing).
	d := 8
	box := make([]float32, 2*d)
	a := make([]float64, d)
	for i := range a {
		a[i] = 1
		box[i], box[d+i] = -1, 1
	}
	box[d+3] = float32(math.Inf(1))
	if _, mx := boundAVX2(&a[0], &box[0], d); !math.IsInf(mx, 1) {
		t.Fatalf("infinite hi corner: max bound %v", mx)
	}
	a[3] = 0
	if _, mx := boundAVX2(&a[0], &box[0], d); !(math.IsNaN(mx) || mx >= 7) {
		t.Fatalf("0·Inf: max bound %v, want NaN or ≥ 7", mx)
	}
}

// appendIDs widens ids to int after what dst holds, with the AVX2 kernel
// and without, for every length around its blocks of 16.
func TestAppendIDs(t *testing.T) {
	save := useAVX2
	defer func() { useAVX2 = save }()
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n <= 70; n++ {
		ids := make([]int32, n)
		for i := range ids {
			ids[i] = int32(rng.Uint32()) // negative too: sign-extended like int(id)
		}
		for _, avx := range []bool{false, save} {
			useAVX2 = avx
			got := appendIDs([]int{-1, -2}, ids)
			if len(got) != n+2 || got[0] != -1 || got[1] != -2 {
				t.Fatalf("n=%d avx=%v: %d values, prefix %v", n, avx, len(got), got[:min(2, len(got))])
			}
			for i, id := range ids {
				if got[2+i] != int(id) {
					t.Fatalf("n=%d avx=%v: got[%d] = %d, want %d", n, avx, i, got[2+i], id)
				}
			}
		}
	}
}
