package colormap

import "testing"

func BenchmarkMapAt(b *testing.B) {
	m := Viridis()
	for i := 0; b.Loop(); i++ {
		_ = m.At(float64(i%1000) / 999)
	}
}

func BenchmarkLUTAt(b *testing.B) {
	l := Viridis().LUT(256)
	for i := 0; b.Loop(); i++ {
		_ = l.At(float64(i%1000) / 999)
	}
}
