//go:build !purego

package attention

import (
	"unsafe"

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
func qfilter4Asm(np, pairs int, q *int8, nib *uint8, scale *float32, ucode *uint8, a *f4args, mask *uint16)

// hasVNNI says whether the AVX-512 stage-1 kernel can run here.
var hasVNNI = hasKernel && cpu.X86.HasPOPCNT && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VNNI

//go:noescape
func qfilter4VNNI(np, pairs int, q *int8, nib *uint8, scale *float32, ucode *uint8, a *f4args, mask *uint16, ids *int32, base int) int

//go:noescape
func qcheckAsm(n int, ids *int32, codes *int8, stride int, q *int16, scale *float32, off int32, t float32) int

// prefetchRows asks for the rows at base + ids[x]·stride (size bytes
// each, x < n): the sketch's pipeline prefetches the scattered rows it
// reads a step later.
//
//go:noescape
func prefetchRows(n int, ids *int32, base unsafe.Pointer, stride, size int)

// prefetch asks for the cache lines of the n > 0 float64 values at p: the
// re-scored keys and summed values are scattered rows of K and V, each a
// cache miss, and hiding their latency behind the previous row's work
// halves the time of that phase at n = 2^20.
//
//go:noescape
func prefetch(p *float64, n int)
