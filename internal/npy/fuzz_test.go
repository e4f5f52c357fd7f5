package npy

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead checks that Read never panics and that whatever it accepts is a
// finite matrix of the declared shape (a 1-D shape read as one row), with an
// error that names the file otherwise.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.np[yz]")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add(handNPY(1, dictFor("<f8", false, "(2, 3)"), true, make([]byte, 48)))
	f.Add(handNPY(3, dictFor(">f4", true, "(3, 2)"), true, make([]byte, 24)))
	f.Add(handNPY(2, dictFor("|b1", false, "(4,)"), false, []byte{0, 1, 1, 0}))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, h, err := ReadInfo(bytes.NewReader(b), "fuzz.npy")
		if err != nil {
			if m != nil {
				t.Fatal("matrix returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "fuzz.npy: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		r, c := m.Dims()
		switch len(h.Shape) {
		case 1:
			if r != 1 || c != h.Shape[0] {
				t.Fatalf("1-D shape %v read as %d×%d", h.Shape, r, c)
			}
		case 2:
			if r != h.Shape[0] || c != h.Shape[1] {
				t.Fatalf("shape %v read as %d×%d", h.Shape, r, c)
			}
		default:
			t.Fatalf("accepted shape %v", h.Shape)
		}
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				if v := m.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("non-finite %v accepted at (%d, %d)", v, i, j)
				}
			}
		}
		// What was accepted survives a write and a read unchanged.
		var out bytes.Buffer
		if err := Write(&out, m); err != nil {
			t.Fatal(err)
		}
		back, err := Read(&out, "back.npy")
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				if back.At(i, j) != m.At(i, j) {
					t.Fatalf("round trip changed (%d, %d)", i, j)
				}
			}
		}
	})
}
