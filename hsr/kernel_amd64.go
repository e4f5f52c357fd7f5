//go:build !purego

package hsr

import "golang.org/x/sys/cpu"

// useAVX2 enables the AVX2 scan kernel (kernel_amd64.s) for dimensions that
// are a multiple of 4. x/sys/cpu reports AVX2 only where the operating
// system saves the YMM registers. Tests switch it off to compare with the
// portable kernels.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasAVX

// aboveAVX2 returns the first r in [0, rows) with Dot(a[:d], x[r*d:(r+1)*d]) > c,
// or rows if there is none. d must be a positive multiple of 4 and x must
// hold rows·d values.
//
// It computes exactly Dot: one 4-wide accumulator holds Dot's s0…s3
// (lane j adds a_t·x_t for t ≡ j mod 4, in increasing t, each product
// rounded on its own: VMULPD then VADDPD, never a fused multiply-add),
// starting from +0 like Dot, and the lanes are combined as
// (s0+s1)+(s2+s3). Four rows are processed at once so that four
// independent addition chains overlap.
//
//go:noescape
func aboveAVX2(a *float64, d int, x *float64, rows int, c float64) int

// aboveMaskAVX2 computes the same sums as aboveAVX2 for all rows without
// stopping: byte k of mask gets bit j set iff Dot of row 4k+j is > c (bits
// 4–7 clear). It writes ⌈rows/4⌉ bytes.
//
//go:noescape
func aboveMaskAVX2(a *float64, d int, x *float64, rows int, c float64, mask *byte)

// boundAVX2 returns Σ_t min(a_t·lo_t, a_t·hi_t) and Σ_t max(…) over the
// float32 box lo = box[0:d], hi = box[d:2d] (d a positive multiple of 4),
// each product rounded, summed in four lanes.
//
//go:noescape
func boundAVX2(a *float64, box *float32, d int) (mn, mx float64)

// widenAVX2 sets dst[i] = int(src[i]) for i < n; n must be a multiple of 16.
//
//go:noescape
func widenAVX2(dst *int, src *int32, n int)
