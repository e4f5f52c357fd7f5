package attention

import (
	"math/rand/v2"
	"testing"
)

// TestKernel checks the score kernel against a float64 loop: each score
// within the float32 error bound (d+2)·2⁻²⁴·Σ|q_t k_t| that Prefill's margin
// relies on.
func TestKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 17))
	for _, d := range []int{1, 3, 64, 65} {
		n, m := 37, 9
		q, k := make([]float64, m*d), make([]float64, n*d)
		for i := range q {
			q[i] = rng.NormFloat64()
		}
		for i := range k {
			k[i] = rng.NormFloat64() * 1e3
		}
		qp, kp := packRows(q, m, d, 4), packRows(k, n, d, 16)
		ld := 48
		S := make([]float32, 12*ld)
		kernelTile(qp, kp, d, 0, m, 0, n, S, ld)
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				var dot, mag float64
				for t := 0; t < d; t++ {
					dot += q[i*d+t] * k[j*d+t]
					mag += abs(q[i*d+t] * k[j*d+t])
				}
				if e := abs(float64(S[i*ld+j]) - dot); e > float64(d+2)*u32*mag {
					t.Fatalf("d=%d (%d,%d): got:%v want:%v", d, i, j, S[i*ld+j], dot)
				}
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestDotAxpy checks the float64 kernels against plain loops for every
// length around the 16-element step.
func TestDotAxpy(t *testing.T) {
	defer func(k bool) { hasKernel = k }(hasKernel)
	for _, k := range []bool{hasKernel, false} { // the kernels, then the portable code
		hasKernel = k
		testDotAxpy(t)
	}
}

func testDotAxpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 19))
	for n := 0; n <= 70; n++ {
		x, y := make([]float64, n), make([]float64, n+3)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		for i := range y {
			y[i] = rng.NormFloat64()
		}
		var want, mag float64
		for i := range x {
			want += x[i] * y[i]
			mag += abs(x[i] * y[i])
		}
		if got := dot(x, y); abs(got-want) > 1e-14*mag {
			t.Fatalf("dot n=%d: got:%v want:%v", n, got, want)
		}
		z := append([]float64(nil), y...)
		axpy(-1.5, x, z)
		for i := range z {
			w := y[i]
			if i < n {
				w += -1.5 * x[i]
			}
			if abs(z[i]-w) > 1e-15*(abs(y[i])+abs(w)+1e-300) {
				t.Fatalf("axpy n=%d entry %d: got:%v want:%v", n, i, z[i], w)
			}
		}
	}
}

// TestDenseKernel runs Dense with its optional float64 kernel over several
// tiles and checks rows against the loop.
func TestDenseKernel(t *testing.T) {
	defer func(k bool) { denseKernel = k }(denseKernel)
	denseKernel = true
	rng := rand.New(rand.NewPCG(20, 21))
	for _, d := range []int{3, 64} {
		n, dv := 700, 5
		Kr, Vr, Qr := randMat(rng, n, d, 1), randMat(rng, n, dv, 1), randMat(rng, n, d, 1)
		for _, p := range []Params{
			{Kind: ReLU, Alpha: 2, B: 0.9, Causal: true},
			{Kind: Softmax, Causal: false},
		} {
			res, err := Dense(toDense(Qr), toDense(Kr), toDense(Vr), p)
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range []int{0, 3, 127, 128, 130, 513, 699} {
				want := oracle(Qr[i], i, Kr, Vr, p, nil)
				closeRow(t, "dense kernel", res.Out.RawRowView(i), want, 1e-12)
				if p.Kind == ReLU {
					sameKeys(t, "dense kernel", res.Rows[i].Keys, want, p.B)
				}
			}
		}
	}
}
