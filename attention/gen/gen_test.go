package gen

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestDeterministicStreams(t *testing.T) {
	for _, k := range Kinds() {
		s := Spec{Kind: k, N: 50, M: 7, D: 6, DV: 3, Sigma: 1.5, Seed: 42}
		q1, k1, v1, err := Generate(s)
		if err != nil {
			t.Fatal(err)
		}
		q2, k2, v2, _ := Generate(s)
		if !mat.Equal(q1, q2) || !mat.Equal(k1, k2) || !mat.Equal(v1, v2) {
			t.Fatalf("%v: same seed, different data", k)
		}
		s.Seed = 43
		_, k3, _, _ := Generate(s)
		if mat.Equal(k1, k3) {
			t.Fatalf("%v: different seeds, same keys", k)
		}
		// One stream per matrix: M does not move K or V, N does not move Q.
		s.Seed, s.M = 42, 20
		q4, k4, v4, _ := Generate(s)
		if !mat.Equal(k1, k4) || !mat.Equal(v1, v4) || !mat.Equal(q1, q4.Slice(0, 7, 0, 6)) {
			t.Fatalf("%v: changing M changed other data", k)
		}
		s.M, s.N = 7, 80
		q5, k5, _, _ := Generate(s)
		if !mat.Equal(q1, q5) || (k != Clustered && !mat.Equal(k1, k5.Slice(0, 50, 0, 6))) {
			t.Fatalf("%v: changing N changed Q or the first keys", k)
		}
		if r, c := v1.Dims(); r != 50 || c != 3 {
			t.Fatalf("V is %d×%d", r, c)
		}
	}
	_, _, _, err := Generate(Spec{N: 3, D: 2, Sigma: 1})
	if err != nil {
		t.Fatal(err)
	}
}

// colVar is the sample variance (about 0) of each column.
func colVar(m *mat.Dense) []float64 {
	r, c := m.Dims()
	v := make([]float64, c)
	for i := 0; i < r; i++ {
		for t := 0; t < c; t++ {
			v[t] += m.At(i, t) * m.At(i, t)
		}
	}
	for t := range v {
		v[t] /= float64(r)
	}
	return v
}

// TestDistributions checks each column's variance against the documented
// σ_t². With N samples the sample variance of N(0, σ²) has relative
// standard error sqrt(2/N) ≈ 0.016 at N = 8000: 6% is about 4 standard
// errors, so a correct generator fails with probability ~1e-4 per column
// (and the seed is fixed, so the test is deterministic).
func TestDistributions(t *testing.T) {
	const n, d, sigma = 8000, 12, 1.7
	for _, k := range []Kind{Gaussian, Decaying, Massive} {
		Q, K, V, err := Generate(Spec{Kind: k, N: n, M: n, D: d, DV: 4, Sigma: sigma, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		want := func(c int) float64 {
			switch {
			case k == Decaying:
				return math.Pow(sigma*math.Exp(-float64(c)/4), 2)
			case k == Massive && c < 2:
				return sigma * sigma * 100
			}
			return sigma * sigma
		}
		for name, m := range map[string]*mat.Dense{"Q": Q, "K": K} {
			for c, v := range colVar(m) {
				if math.Abs(v/want(c)-1) > 0.06 {
					t.Errorf("%v %s column %d: variance got:%v want:%v", k, name, c, v, want(c))
				}
			}
		}
		for c, v := range colVar(V) {
			if math.Abs(v/(sigma*sigma)-1) > 0.06 {
				t.Errorf("%v V column %d: variance got:%v want:%v", k, c, v, sigma*sigma)
			}
		}
	}
	// Clustered: each key has about N/C neighbours within a few spreads
	// (its cluster) and the column variance is σ²(1 + Spread²) only on
	// average over centres, so check the neighbourhoods instead.
	const nc, c = 800, 8
	_, K, _, err := Generate(Spec{Kind: Clustered, N: nc, D: d, Sigma: sigma, Seed: 3, Clusters: c})
	if err != nil {
		t.Fatal(err)
	}
	// Two keys of one cluster differ by N(0, 2·(0.25σ)²) per column: their
	// distance is about 0.25σ·sqrt(2d) ≈ 2.1; keys of different clusters are
	// ~σ·sqrt(2d) ≈ 8.3 apart.
	r := 0.25 * sigma * math.Sqrt(2*d) * 1.6
	total := 0
	for i := 0; i < nc; i++ {
		for j := 0; j < nc; j++ {
			var dd float64
			for t := 0; t < d; t++ {
				x := K.At(i, t) - K.At(j, t)
				dd += x * x
			}
			if i != j && math.Sqrt(dd) < r {
				total++
			}
		}
	}
	avg := float64(total) / nc
	if avg < 0.8*(nc/c-1) || avg > 1.2*(nc/c) {
		t.Errorf("clustered: %.1f neighbours per key, want about %d", avg, nc/c)
	}
}

func TestBadSpec(t *testing.T) {
	for _, c := range []struct {
		s    Spec
		want string
	}{
		{Spec{N: 0, D: 2, Sigma: 1}, "n must be"},
		{Spec{N: 2, D: 0, Sigma: 1}, "d must be"},
		{Spec{N: 2, D: 2, M: -1, Sigma: 1}, "m must be"},
		{Spec{N: 2, D: 2, DV: -1, Sigma: 1}, "dv must be"},
		{Spec{N: 2, D: 2}, "sigma"},
		{Spec{N: 2, D: 2, Sigma: math.NaN()}, "sigma"},
		{Spec{N: 2, D: 2, Sigma: 1, Tau: -1}, "tau"},
		{Spec{N: 2, D: 2, Sigma: 1, Kind: Massive, Massive: 3}, "massive"},
		{Spec{N: 2, D: 2, Sigma: 1, Kind: 9}, "kind"},
	} {
		if _, _, _, err := Generate(c.s); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Generate(%+v): got:%v want an error containing %q", c.s, err, c.want)
		}
	}
	if _, err := ParseKind("uniform"); err == nil {
		t.Error("unknown kind accepted")
	}
	for _, k := range Kinds() {
		if got, err := ParseKind(strings.ToUpper(k.String())); err != nil || got != k {
			t.Errorf("ParseKind(%v): got:%v %v", k, got, err)
		}
	}
}
