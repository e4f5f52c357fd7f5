//go:build !amd64 || purego

package attention

import (
	"unsafe"

	"github.com/hsrviz/hsrviz/hsr"
)

var hasKernel = false

// sdot4x16 is the portable form of the amd64 kernel (same contract); it is
// not used for speed off amd64, where Sgemm scores the tiles.
func sdot4x16(k int, a, b, c *float32, ldc int) {
	as := unsafe.Slice(a, 4*k)
	bs := unsafe.Slice(b, 16*k)
	cs := unsafe.Slice(c, 3*ldc+16)
	for i := 0; i < 4; i++ {
		for j := 0; j < 16; j++ {
			var s float32
			for t := 0; t < k; t++ {
				s += as[t*4+i] * bs[t*16+j]
			}
			cs[i*ldc+j] = s
		}
	}
}

func dot(x, y []float64) float64 { return hsr.Dot(x, y) }

func axpy(a float64, x, y []float64) { axpyGo(a, x, y) }

func ddot4x8(k int, a, b, c *float64, ldc int) {
	as := unsafe.Slice(a, 4*k)
	bs := unsafe.Slice(b, 8*k)
	cs := unsafe.Slice(c, 3*ldc+8)
	for i := 0; i < 4; i++ {
		for j := 0; j < 8; j++ {
			var s float64
			for t := 0; t < k; t++ {
				s += as[t*4+i] * bs[t*8+j]
			}
			cs[i*ldc+j] = s
		}
	}
}

var hasVNNI = false

func qfilter4Asm(np, pairs int, q *int8, nib *uint8, scale *float32, ucode *uint8, a *f4args, mask *uint16) {
	panic("attention: no sketch kernel on this platform")
}

func qfilter4VNNI(np, pairs int, q *int8, nib *uint8, scale *float32, ucode *uint8, a *f4args, mask *uint16, ids *int32, base int) int {
	panic("attention: no sketch kernel on this platform")
}

func qcheckAsm(n int, ids *int32, codes *int8, stride int, q *int16, scale *float32, off int32, t float32) int {
	panic("attention: no sketch kernel on this platform")
}

func prefetchRows(n int, ids *int32, base unsafe.Pointer, stride, size int) {}

func prefetch(p *float64, n int) {}
