package hsr

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// Kernels that scan rows of a row-major point array: an AVX2 kernel
// (kernel_amd64.s) for d a multiple of 4 where the processor has AVX2, and
// portable ones otherwise. Each computes exactly
// Dot(a, row) (same products, same additions in the same order, every
// product rounded on its own), so a row is reported by a kernel iff
// Dot(a, row) > c. Where Dot starts an accumulator at 0 and a kernel starts
// it at the first product instead, the two differ at most in the sign of a
// zero, which no comparison with c can see.

// nextAbove returns the first row r in [i, e) of pts (rows of len(a)
// values) with Dot(a, row r) > c, or e if there is none.
func nextAbove(a []float64, c float64, pts []float64, i, e int) int {
	d := len(a)
	if useAVX2 && d%4 == 0 && d >= avx2MinDim {
		if i >= e {
			return e
		}
		x := pts[i*d : e*d]
		return i + aboveAVX2(&a[0], d, &x[0], e-i, c)
	}
	switch d {
	case 1:
		a0 := a[0]
		p := pts[i:e]
		for j, x := range p {
			if float64(a0*x) > c {
				return i + j
			}
		}
		return e
	case 2:
		a0, a1 := a[0], a[1]
		p := pts[2*i : 2*e]
		for j := 0; j+2 <= len(p); j += 2 {
			q := p[j : j+2 : j+2]
			if float64(a0*q[0])+float64(a1*q[1]) > c {
				return i + j/2
			}
		}
		return e
	case 3:
		a0, a1, a2 := a[0], a[1], a[2]
		p := pts[3*i : 3*e]
		for j := 0; j+3 <= len(p); j += 3 {
			q := p[j : j+3 : j+3]
			if (float64(a0*q[0])+float64(a1*q[1]))+float64(a2*q[2]) > c {
				return i + j/3
			}
		}
		return e
	case 4:
		a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
		p := pts[4*i : 4*e]
		for j := 0; j+4 <= len(p); j += 4 {
			q := p[j : j+4 : j+4]
			if (float64(a0*q[0])+float64(a1*q[1]))+(float64(a2*q[2])+float64(a3*q[3])) > c {
				return i + j/4
			}
		}
		return e
	case 8:
		a0, a1, a2, a3, a4, a5, a6, a7 := a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]
		p := pts[8*i : 8*e]
		for j := 0; j+8 <= len(p); j += 8 {
			q := p[j : j+8 : j+8]
			s0 := float64(a0*q[0]) + float64(a4*q[4])
			s1 := float64(a1*q[1]) + float64(a5*q[5])
			s2 := float64(a2*q[2]) + float64(a6*q[6])
			s3 := float64(a3*q[3]) + float64(a7*q[7])
			if (s0+s1)+(s2+s3) > c {
				return i + j/8
			}
		}
		return e
	}
	// Dot's loop, inlined: no call per row, one bounds check per four
	// coordinates. Where AVX2 is not used (other platforms, or d not a
	// multiple of 4) this runs at 1.6–2.2× the time of merely reading the
	// bytes at d = 16…128 (see avx2MinDim): scalar code issues two loads per product, and Dot's
	// order of additions (which the result must reproduce) is fixed.
	for r := i; r < e; r++ {
		x := pts[r*d : r*d+d]
		var s0, s1, s2, s3 float64
		t := 0
		for ; t <= d-4; t += 4 {
			aa := (*[4]float64)(a[t:])
			xx := (*[4]float64)(x[t:])
			s0 += float64(aa[0] * xx[0])
			s1 += float64(aa[1] * xx[1])
			s2 += float64(aa[2] * xx[2])
			s3 += float64(aa[3] * xx[3])
		}
		for ; t < d; t++ {
			s0 += float64(a[t] * x[t])
		}
		if (s0+s1)+(s2+s3) > c {
			return r
		}
	}
	return e
}

// dotRow is Dot written so that the compiler can inline it into the scan
// loops (Dot itself is kept as the reference everybody calls).
func dotRow(a, x []float64) float64 {
	x = x[:len(a)]
	var s0, s1, s2, s3 float64
	for len(a) >= 4 {
		aa, xx := a[:4:4], x[:4:4]
		s0 += float64(aa[0] * xx[0])
		s1 += float64(aa[1] * xx[1])
		s2 += float64(aa[2] * xx[2])
		s3 += float64(aa[3] * xx[3])
		a, x = a[4:], x[4:]
	}
	for i := range a {
		s0 += float64(a[i] * x[i])
	}
	return (s0 + s1) + (s2 + s3)
}

// avx2MinDim is the smallest dimension that uses the AVX2 kernel (where
// available; d must be a multiple of 4). Measured at n = 2^20 against a
// streaming read of the same bytes (BenchmarkKernel): AVX2 0.91–1.07× at
// d = 4…64, ~1.1× at d = 128; the portable kernels 1.0× at d ≤ 8 but
// 1.6–2.2× at d = 16…128.
const avx2MinDim = 4

// maskRows is how many rows appendAbove hands the mask kernel at a time.
const maskRows = 512

// appendAbove appends to dst, in row order, ids[r] (r itself if ids is
// nil) for every row r in [s, e) of pts with Dot(a, row r) > c: the rows
// nextAbove would find one by one, found in blocks (AVX2: one call per
// maskRows rows, a bit per row, so that a large reported fraction costs
// little per report).
func appendAbove(dst []int, a []float64, c float64, pts []float64, s, e int, ids []int32) []int {
	d := len(a)
	if !useAVX2 || d%4 != 0 || d < avx2MinDim {
		for r := s; r < e; r++ {
			r = nextAbove(a, c, pts, r, e)
			if r == e {
				break
			}
			if ids != nil {
				dst = append(dst, int(ids[r]))
			} else {
				dst = append(dst, r)
			}
		}
		return dst
	}
	var mask [maskRows / 4]byte
	for b := s; b < e; b += maskRows {
		m := min(maskRows, e-b)
		x := pts[b*d : (b+m)*d]
		mask = [maskRows / 4]byte{}
		aboveMaskAVX2(&a[0], d, &x[0], m, c, &mask[0])
		for k := 0; k < (m+31)/32; k++ {
			w := binary.LittleEndian.Uint64(mask[8*k:])
			for w != 0 {
				t := bits.TrailingZeros64(w)
				w &= w - 1
				r := b + 32*k + 4*(t>>3) + t&7
				if ids != nil {
					dst = append(dst, int(ids[r]))
				} else {
					dst = append(dst, r)
				}
			}
		}
	}
	return dst
}

// appendIDs appends ids, widened to int, to dst (a node reported whole).
func appendIDs(dst []int, ids []int32) []int {
	k := len(dst)
	dst = slices.Grow(dst, len(ids))[:k+len(ids)]
	out := dst[k:]
	if m := len(ids) &^ 15; useAVX2 && m > 0 {
		widenAVX2(&out[0], &ids[0], m)
		out, ids = out[m:], ids[m:]
	}
	for len(ids) >= 8 {
		o, x := (*[8]int)(out), (*[8]int32)(ids)
		o[0], o[1], o[2], o[3] = int(x[0]), int(x[1]), int(x[2]), int(x[3])
		o[4], o[5], o[6], o[7] = int(x[4]), int(x[5]), int(x[6]), int(x[7])
		out, ids = out[8:], ids[8:]
	}
	for i, id := range ids {
		out[i] = int(id)
	}
	return dst
}
