//go:build !amd64 || purego

package hsr

// useAVX2 is false where there is no assembly kernel.
var useAVX2 = false

func aboveAVX2(a *float64, d int, x *float64, rows int, c float64) int {
	panic("hsr: aboveAVX2 called without AVX2")
}

func aboveMaskAVX2(a *float64, d int, x *float64, rows int, c float64, mask *byte) {
	panic("hsr: aboveMaskAVX2 called without AVX2")
}

func boundAVX2(a *float64, box *float32, d int) (mn, mx float64) {
	panic("hsr: boundAVX2 called without AVX2")
}

func widenAVX2(dst *int, src *int32, n int) {
	panic("hsr: widenAVX2 called without AVX2")
}
