package npy

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkRead reads a 1024×1024 matrix (8 MiB as float64) from memory and
// from a file, in C and Fortran order.
func BenchmarkRead(b *testing.B) {
	const r, c = 1024, 1024
	vals := make([]float64, r*c)
	for k := range vals {
		vals[k] = float64(k%977) - 488
	}
	for _, descr := range []string{"<f8", ">f4", "<i4"} {
		for _, fortran := range []bool{false, true} {
			file := handNPY(1, dictFor(descr, fortran, fmt.Sprintf("(%d, %d)", r, c)), true, encode(b, descr, vals))
			path := filepath.Join(b.TempDir(), "x.npy")
			if err := os.WriteFile(path, file, 0o644); err != nil {
				b.Fatal(err)
			}
			order := map[bool]string{false: "C", true: "F"}[fortran]
			b.Run(fmt.Sprintf("%s_%s_memory", descr, order), func(b *testing.B) {
				b.SetBytes(int64(len(file)))
				for b.Loop() {
					if _, err := Read(bytes.NewReader(file), "x.npy"); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("%s_%s_file", descr, order), func(b *testing.B) {
				b.SetBytes(int64(len(file)))
				for b.Loop() {
					if _, err := ReadFile(path); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
