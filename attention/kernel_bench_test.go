package attention

import (
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// One 128×512 score tile at d = 64: the kernel vs gonum's Sgemm.
func BenchmarkScoreTile_Kernel(b *testing.B) {
	const m, n, d = tileRows, tileCols, 64
	q, k := make([]float64, m*d), make([]float64, n*d)
	for i := range q {
		q[i] = float64(i%7) + 1
	}
	for i := range k {
		k[i] = float64(i%5) + 1
	}
	qp, kp := packRows(q, m, d, 4), packRows(k, n, d, 16)
	S := make([]float32, m*n)
	for b.Loop() {
		kernelTile(qp, kp, d, 0, m, 0, n, S, n)
	}
	b.ReportMetric(float64(2*m*n*d)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkScoreTile_Sgemm(b *testing.B) {
	const m, n, d = tileRows, tileCols, 64
	q, k := make([]float32, m*d), make([]float32, n*d)
	for i := range q {
		q[i] = float32(i%7) + 1
	}
	for i := range k {
		k[i] = float32(i%5) + 1
	}
	S := make([]float32, m*n)
	for b.Loop() {
		blas32.Implementation().Sgemm(blas.NoTrans, blas.Trans, m, n, d, 1, q, d, k, d, 0, S, n)
	}
	b.ReportMetric(float64(2*m*n*d)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
