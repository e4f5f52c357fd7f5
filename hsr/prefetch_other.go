//go:build !amd64 || purego

package hsr

import "unsafe"

// prefetch3 is a no-op where there is no prefetch instruction in use.
func prefetch3(a, b, c unsafe.Pointer) {}

func prefetchLines(p unsafe.Pointer, n int) {}
