package npy

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
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

// FuzzReadFile reads the fuzzed bytes as hsrattn does, through a regular
// file (Open: the header and the file's length first, then File.Read in
// chunks), and checks it against the in-memory reader: the same files are
// accepted with the same header and bit-identical values, and the same
// ones refused with the same message (FuzzRead covers the in-memory path
// alone). The file lives in the test's temporary directory.
//
//	go test -run '^$' -fuzz FuzzReadFile ./internal/npy
func FuzzReadFile(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.np[yz]")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add(handNPY(1, dictFor("<f8", false, "(2, 3)"), true, make([]byte, 47)))
	f.Add(handNPY(1, dictFor("<f8", false, "(2, 3)"), true, make([]byte, 49)))
	f.Add(handNPY(2, dictFor(">i8", true, "(3,)"), true, make([]byte, 24)))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, fmt.Sprintf("fuzz-%d.npy", fileSeq.Add(1)))
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(path)
		fm, fh, ferr := ReadFileInfo(path)
		mm, mh, merr := ReadInfo(bytes.NewReader(b), path)
		if (ferr == nil) != (merr == nil) {
			t.Fatalf("file path: %v; in memory: %v", ferr, merr)
		}
		if ferr != nil {
			if fm != nil {
				t.Fatal("matrix returned with an error")
			}
			if !strings.HasPrefix(ferr.Error(), path+": ") {
				t.Fatalf("error does not name the file: %v", ferr)
			}
			// The same message, except how a short file is told: from its
			// size (file) or by running out of bytes (memory).
			if ferr.Error() != merr.Error() && !strings.Contains(ferr.Error(), "truncated data") && !strings.Contains(ferr.Error(), "trailing data") {
				t.Fatalf("messages differ:\n file:   %v\n memory: %v", ferr, merr)
			}
			if len(ferr.Error()) > 400 {
				t.Fatalf("%d-byte message: %.400s", len(ferr.Error()), ferr)
			}
			return
		}
		if fh.Descr != mh.Descr || fh.Fortran != mh.Fortran || fh.DataOffset != mh.DataOffset || !slices.Equal(fh.Shape, mh.Shape) {
			t.Fatalf("headers differ: %+v vs %+v", fh, mh)
		}
		fd, md := fm.RawMatrix(), mm.RawMatrix()
		if fd.Rows != md.Rows || fd.Cols != md.Cols {
			t.Fatalf("shapes differ: %d×%d vs %d×%d", fd.Rows, fd.Cols, md.Rows, md.Cols)
		}
		for i := range fd.Data {
			if math.Float64bits(fd.Data[i]) != math.Float64bits(md.Data[i]) || math.IsNaN(fd.Data[i]) || math.IsInf(fd.Data[i], 0) {
				t.Fatalf("element %d: %v vs %v", i, fd.Data[i], md.Data[i])
			}
		}
	})
}

// fileSeq names the fuzz inputs' files (the fuzzer may run in parallel).
var fileSeq atomic.Int64
