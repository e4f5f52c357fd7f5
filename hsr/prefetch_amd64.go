//go:build !purego

package hsr

import "unsafe"

// prefetch3 asks the processor to start loading the cache lines at a, b
// and c, without waiting for them (PREFETCHT0). A tree query is bound by
// the latency of fetching nodes that are not in cache; prefetching the
// nodes a few places ahead in the breadth-first order overlaps those
// fetches. An ordinary load would not do: the processor retires
// instructions in order, so a load that misses blocks everything behind it.
//
//go:noescape
func prefetch3(a, b, c unsafe.Pointer)

// prefetchLines prefetches the cache lines of the n > 0 bytes at p.
//
//go:noescape
func prefetchLines(p unsafe.Pointer, n int)
