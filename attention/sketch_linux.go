package attention

import (
	"syscall"
	"unsafe"
)

// grow returns x extended by n zero elements. Past 4 MiB it reserves
// twice the length and advises the kernel to back the new array with
// transparent huge pages: the sketch's scattered reads (the stage-2 rows
// of stage 1's candidates) then rarely miss the TLB; measured 10% per
// decode at n = 2^20, d = 64 (docs/performance.md). Memory the Go heap
// reuses is already backed by small pages, which the advice alone leaves
// as they are until the kernel's background collapse, so the array is
// also collapsed at once where the kernel can (MADV_COLLAPSE, Linux 6.1).
// Advice only: where the kernel gives no huge pages nothing changes.
func grow[T any](x []T, n int) []T {
	if len(x)+n <= cap(x) {
		return x[:len(x)+n]
	}
	var z T
	size := int(unsafe.Sizeof(z))
	c := max(2*cap(x), len(x)+n)
	if c*size < 4<<20 {
		return append(x, make([]T, n)...)
	}
	y := make([]T, len(x)+n, c)
	madviseHuge(unsafe.Pointer(unsafe.SliceData(y)), c*size, madvHugepage)
	copy(y, x)
	madviseHuge(unsafe.Pointer(unsafe.SliceData(y)), c*size, madvCollapse)
	return y
}

// Advice values for madviseHuge (package syscall has no MADV_COLLAPSE).
const (
	madvHugepage = 14 // MADV_HUGEPAGE: back with huge pages when first written
	madvCollapse = 25 // MADV_COLLAPSE: move to huge pages now (Linux 6.1)
)

// madviseHuge gives the kernel advice for the whole 2 MiB pages inside
// [p, p+size); an error, as on kernels without MADV_COLLAPSE, changes
// nothing.
func madviseHuge(p unsafe.Pointer, size, advice int) {
	const huge = 2 << 20
	lo := int((huge - uintptr(p)%huge) % huge)
	n := (size - lo) &^ (huge - 1)
	if n <= 0 {
		return
	}
	b := unsafe.Slice((*byte)(p), size)
	_ = syscall.Madvise(b[lo:lo+n], advice)
}
