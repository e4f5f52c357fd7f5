//go:build !purego

package attention

import (
	"github.com/hsrviz/hsrviz/hsr"
	"golang.org/x/sys/cpu"
)

// hasKernel says whether the AVX2/FMA score kernel can run here.
var hasKernel = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func sdot4x16(k int, a, b, c *float32, ldc int)

//go:noescape
func ddot(n int, x, y *float64) float64

//go:noescape
func daxpy(n int, a float64, x, y *float64)

// dot is <x, y> (len(y) ≥ len(x)): the exact re-scoring of every path.
func dot(x, y []float64) float64 {
	if hasKernel && len(x) > 0 {
		y = y[:len(x)]
		return ddot(len(x), &x[0], &y[0])
	}
	return hsr.Dot(x, y)
}

// axpy is y += a·x (len(y) ≥ len(x)).
func axpy(a float64, x, y []float64) {
	if hasKernel && len(x) > 0 {
		y = y[:len(x)]
		daxpy(len(x), a, &x[0], &y[0])
		return
	}
	axpyGo(a, x, y)
}

//go:noescape
func ddot4x8(k int, a, b, c *float64, ldc int)

//go:noescape
func qfilterAsm(np, pairs int, q *int16, codes *int8, scale *float32, t float32, mask *uint8)

// prefetch asks for the cache lines of the n > 0 float64 values at p: the
// re-scored keys and summed values are scattered rows of K and V, each a
// cache miss, and hiding their latency behind the previous row's work
// halves the time of that phase at n = 2^20.
//
//go:noescape
func prefetch(p *float64, n int)
