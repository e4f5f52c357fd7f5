package hsr

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkKernel compares the AVX2 and portable scan kernels with a
// streaming read of the same float64 bytes, alternately (median ratios).
func BenchmarkKernel(b *testing.B) {
	for _, d := range []int{4, 8, 16, 64, 128} {
		b.Run(fmt.Sprintf("d=%d", d), func(b *testing.B) {
			n := *benchN
			rng := rand.New(rand.NewPCG(uint64(d), 9))
			pts := genPoints(rng, "gauss", n, d)
			a := genQuery(rng, "gauss", d)
			save := useAVX2
			defer func() { useAVX2 = save }()
			for i := 0; i < b.N; i++ {
				var rv, rp []float64
				for r := 0; r < *ratioRounds; r++ {
					t0 := time.Now()
					benchSink += sumFloats(pts)
					t1 := time.Now()
					useAVX2 = save
					nextAbove(a, math.Inf(1), pts, 0, n)
					t2 := time.Now()
					useAVX2 = false
					nextAbove(a, math.Inf(1), pts, 0, n)
					t3 := time.Now()
					rd := float64(t1.Sub(t0))
					rv = append(rv, float64(t2.Sub(t1))/rd)
					rp = append(rp, float64(t3.Sub(t2))/rd)
				}
				b.ReportMetric(median(rv), "asm/read")
				b.ReportMetric(median(rp), "go/read")
			}
		})
	}
}
