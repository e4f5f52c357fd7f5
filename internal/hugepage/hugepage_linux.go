package hugepage

import (
	"syscall"
	"unsafe"
)

// Advice values (package syscall has no MADV_COLLAPSE).
const (
	madvHugepage = 14 // MADV_HUGEPAGE: back with huge pages when first written
	madvCollapse = 25 // MADV_COLLAPSE: move to huge pages now (Linux 6.1)
)

// minSize is the smallest array advised: below it a few TLB entries cover
// the array anyway.
const minSize = 4 << 20

// Hint asks for huge pages where x's memory is first written.
func Hint[T any](x []T) { advise(x, madvHugepage) }

// Collapse moves x's memory, already written, into huge pages now where
// the kernel can (Linux 6.1 and later).
func Collapse[T any](x []T) { advise(x, madvCollapse) }

// Advise is Hint then Collapse: for an array already filled.
func Advise[T any](x []T) {
	Hint(x)
	Collapse(x)
}

func advise[T any](x []T, advice int) {
	var z T
	size := cap(x) * int(unsafe.Sizeof(z))
	if size < minSize {
		return
	}
	const huge = 2 << 20
	p := uintptr(unsafe.Pointer(unsafe.SliceData(x)))
	lo := int((huge - p%huge) % huge)
	n := (size - lo) &^ (huge - 1)
	if n <= 0 {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), size)
	_ = syscall.Madvise(b[lo:lo+n], advice)
}
