package gen

import (
	"math"
	"testing"
)

// TestColumnSigmas checks the per-column σ against the sample spread of
// each column (n = 20000 rows: 5 standard errors is about 2.5%), and that
// clustered keys have none.
func TestColumnSigmas(t *testing.T) {
	for _, k := range []Kind{Gaussian, Decaying, Massive, Clustered} {
		sp := Spec{Kind: k, N: 20000, D: 6, Sigma: 1.5, Seed: 3}
		st, err := NewStream(sp, MatrixK)
		if err != nil {
			t.Fatal(err)
		}
		sig := st.ColumnSigmas()
		if k == Clustered {
			if sig != nil {
				t.Errorf("clustered keys: ColumnSigmas = %v, want nil", sig)
			}
			continue
		}
		if len(sig) != sp.D {
			t.Fatalf("%v: %d sigmas, want %d", k, len(sig), sp.D)
		}
		K := make([]float64, sp.N*sp.D)
		st.Fill(K)
		for c := range sp.D {
			ss := 0.0
			for j := range sp.N {
				x := K[j*sp.D+c]
				ss += x * x
			}
			got := math.Sqrt(ss / float64(sp.N))
			if math.Abs(got-sig[c]) > 5*sig[c]/math.Sqrt(2*float64(sp.N)) {
				t.Errorf("%v column %d: sample σ %.4g, ColumnSigmas %.4g", k, c, got, sig[c])
			}
		}
	}
}
