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
	adviseHuge(unsafe.Pointer(unsafe.SliceData(y)), c*size)
	copy(y, x)
	collapseHuge(unsafe.Pointer(unsafe.SliceData(y)), c*size)
	return y
}

// adviseHuge applies MADV_HUGEPAGE to the whole 2 MiB pages inside
// [p, p+size), before they are first written.
func adviseHuge(p unsafe.Pointer, size int) {
	const huge = 2 << 20
	lo := int((huge - uintptr(p)%huge) % huge)
	n := (size - lo) &^ (huge - 1)
	if n <= 0 {
		return
	}
	b := unsafe.Slice((*byte)(p), size)
	_ = syscall.Madvise(b[lo:lo+n], 14) // MADV_HUGEPAGE
}

// collapseHuge asks the kernel to move the whole 2 MiB pages inside
// [p, p+size) to huge pages now (MADV_COLLAPSE; an error, as on kernels
// without it, changes nothing).
func collapseHuge(p unsafe.Pointer, size int) {
	const huge = 2 << 20
	lo := int((huge - uintptr(p)%huge) % huge)
	n := (size - lo) &^ (huge - 1)
	if n <= 0 {
		return
	}
	b := unsafe.Slice((*byte)(p), size)
	_ = syscall.Madvise(b[lo:lo+n], 25) // MADV_COLLAPSE
}
