package attention

import (
	"unsafe"

	"github.com/hsrviz/hsrviz/internal/hugepage"
)

// grow returns x extended by n zero elements. Past 4 MiB it reserves
// twice the length and asks for transparent huge pages (package hugepage):
// the sketch's scattered reads (the stage-2 rows of stage 1's candidates,
// the K and V rows of a cache's survivors) then rarely miss the TLB;
// measured 10% per decode at n = 2^20, d = 64 for the sketch's arrays
// (docs/performance.md). Memory the Go heap reuses is already backed by
// small pages, which the advice alone leaves as they are until the
// kernel's background collapse, so the array is also collapsed at once
// where the kernel can. Advice only: where the kernel gives no huge pages
// nothing changes.
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
	hugepage.Hint(y)
	copy(y, x)
	hugepage.Collapse(y)
	return y
}
