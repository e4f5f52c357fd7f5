//go:build !linux

package attention

// grow returns x extended by n zero elements.
func grow[T any](x []T, n int) []T {
	return append(x, make([]T, n)...)
}
