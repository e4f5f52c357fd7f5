//go:build !linux

package hugepage

// Hint does nothing: huge-page advice is Linux's.
func Hint[T any](x []T) {}

// Collapse does nothing: huge-page advice is Linux's.
func Collapse[T any](x []T) {}

// Advise does nothing: huge-page advice is Linux's.
func Advise[T any](x []T) {}
