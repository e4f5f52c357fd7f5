package viz

import (
	"math"
	"testing"
)

// FuzzParseTensors: any bytes as K give either a message or tensors that
// keep the app's caps, with finite values and consistent shapes; never a
// panic.
func FuzzParseTensors(f *testing.F) {
	good := makeFiles(1, 3, 40, 4, 2)
	f.Add(good.k)
	f.Add(good.k[:100])
	f.Add(npyBytes(2, 4, []float64{1, 2, 3, 4, 5, 6, 7, math.Inf(1)}, "<f8"))
	f.Add([]byte("\x93NUMPY\x01\x00\x10\x00{'descr': '<f8'}"))
	f.Fuzz(func(t *testing.T, k []byte) {
		tens, err := ParseTensors(good.q, k, nil, [3]string{})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an empty message")
			}
			return
		}
		if tens.D != 4 || tens.N < 1 || tens.N*tens.D > MaxND || len(tens.K) != tens.N*tens.D || len(tens.V) != tens.N*tens.DV {
			t.Fatalf("shapes: n %d d %d dv %d, len K %d V %d", tens.N, tens.D, tens.DV, len(tens.K), len(tens.V))
		}
		for _, x := range tens.K {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatal("a non-finite key was accepted")
			}
		}
	})
}
