package main

// Independent helpers for the tests: a .npy writer and reader built byte by
// byte (not package npy), and dense attention as plain loops (not package
// attention).

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// matrix is a plain row-major matrix.
type matrix [][]float64

func (a matrix) dims() (int, int) { return len(a), len(a[0]) }

// layout is one way a .npy file can store a matrix.
type layout struct {
	major   byte
	descr   string // e.g. "<f8", ">f4", "|i1", "<u8", "|b1"
	fortran bool
	oneD    bool // write a 1×c matrix as a 1-D array of shape (c,)
}

func (l layout) String() string {
	o := "C"
	if l.fortran {
		o = "F"
	}
	s := fmt.Sprintf("v%d.0 %s %s", l.major, l.descr, o)
	if l.oneD {
		s += " 1-D"
	}
	return s
}

// values draws an r×c matrix whose entries the layout's dtype holds exactly:
// multiples of 1/8 in [-5, 5] for floats (exact even in float16), small
// integers for integer types, 0/1 for bool.
func (l layout) values(rng *rand.Rand, r, c int) matrix {
	a := make(matrix, r)
	for i := range a {
		a[i] = make([]float64, c)
		for j := range a[i] {
			switch l.descr[1] {
			case 'f':
				a[i][j] = float64(rng.IntN(81)-40) / 8
			case 'i':
				a[i][j] = float64(rng.IntN(11) - 5)
			case 'u':
				a[i][j] = float64(rng.IntN(11))
			case 'b':
				a[i][j] = float64(rng.IntN(2))
			}
		}
	}
	return a
}

// encodeNPY writes a by hand in layout l.
func encodeNPY(t testing.TB, a matrix, l layout) []byte {
	t.Helper()
	r, c := a.dims()
	shape := fmt.Sprintf("(%d, %d)", r, c)
	if l.oneD {
		if r != 1 {
			t.Fatalf("1-D layout needs one row, got %d", r)
		}
		shape = fmt.Sprintf("(%d,)", c)
	}
	fo := "False"
	if l.fortran {
		fo = "True"
	}
	// Keys in a different order from NumPy's, to exercise the parser.
	header := fmt.Sprintf("{'shape': %s, 'fortran_order': %s, 'descr': '%s'}", shape, fo, l.descr)
	prefix := 10
	if l.major > 1 {
		prefix = 12
	}
	for (prefix+len(header)+1)%64 != 0 {
		header += " "
	}
	header += "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY")
	b.Write([]byte{l.major, 0})
	if l.major == 1 {
		binary.Write(&b, binary.LittleEndian, uint16(len(header)))
	} else {
		binary.Write(&b, binary.LittleEndian, uint32(len(header)))
	}
	b.WriteString(header)
	var order binary.ByteOrder = binary.LittleEndian
	if l.descr[0] == '>' {
		order = binary.BigEndian
	}
	size, _ := strconv.Atoi(l.descr[2:])
	put := func(v float64) {
		buf := make([]byte, size)
		switch {
		case l.descr[1] == 'f' && size == 8:
			order.PutUint64(buf, math.Float64bits(v))
		case l.descr[1] == 'f' && size == 4:
			order.PutUint32(buf, math.Float32bits(float32(v)))
		case l.descr[1] == 'f' && size == 2:
			order.PutUint16(buf, half(t, v))
		case size == 1:
			buf[0] = byte(int8(v))
		case size == 2:
			order.PutUint16(buf, uint16(int16(v)))
		case size == 4:
			order.PutUint32(buf, uint32(int32(v)))
		case size == 8:
			order.PutUint64(buf, uint64(int64(v)))
		}
		b.Write(buf)
	}
	if l.fortran {
		for j := 0; j < c; j++ {
			for i := 0; i < r; i++ {
				put(a[i][j])
			}
		}
	} else {
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				put(a[i][j])
			}
		}
	}
	return b.Bytes()
}

// half encodes v (a multiple of 1/8 of magnitude below 2048) as float16.
func half(t testing.TB, v float64) uint16 {
	if v == 0 {
		return 0
	}
	var sign uint16
	if v < 0 {
		sign, v = 0x8000, -v
	}
	frac, exp := math.Frexp(v) // v = frac·2^exp, frac in [0.5, 1)
	mant := frac*2048 - 1024   // 10 stored bits
	if mant != math.Trunc(mant) || exp+14 < 1 || exp+14 > 30 {
		t.Fatalf("half: %v is not exact in float16", v)
	}
	return sign | uint16(exp+14)<<10 | uint16(mant)
}

func writeNPY(t testing.TB, path string, a matrix, l layout) {
	t.Helper()
	if err := os.WriteFile(path, encodeNPY(t, a, l), 0o644); err != nil {
		t.Fatal(err)
	}
}

var outHeader = regexp.MustCompile(`^\{'descr': '<f8', 'fortran_order': False, 'shape': \((\d+), (\d+)\), \} *\n$`)

// readOut parses the tool's output by hand, checking it is exactly what
// The promised format: version 1.0, '<f8', C order, aligned header, no
// extra bytes.
func readOut(t testing.TB, path string) matrix {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 10 || string(b[:8]) != "\x93NUMPY\x01\x00" {
		t.Fatalf("%s: not a version 1.0 .npy file", path)
	}
	hl := int(binary.LittleEndian.Uint16(b[8:]))
	if (10+hl)%64 != 0 || len(b) < 10+hl {
		t.Fatalf("%s: header length %d not aligned to 64", path, hl)
	}
	mm := outHeader.FindStringSubmatch(string(b[10 : 10+hl]))
	if mm == nil {
		t.Fatalf("%s: unexpected header %q", path, b[10:10+hl])
	}
	r, _ := strconv.Atoi(mm[1])
	c, _ := strconv.Atoi(mm[2])
	data := b[10+hl:]
	if len(data) != 8*r*c {
		t.Fatalf("%s: %d data bytes for shape (%d, %d)", path, len(data), r, c)
	}
	a := make(matrix, r)
	for i := range a {
		a[i] = make([]float64, c)
		for j := range a[i] {
			a[i][j] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*(i*c+j):]))
		}
	}
	return a
}

// oracleOpts are the attention settings the dense loops implement.
type oracleOpts struct {
	relu     bool
	alpha    int
	b        float64
	norm     string // row, none, length
	unscaled bool
	causal   bool
	// softmax: keep[i] is τ_i; keys with s ≥ τ_i are kept. nil: dense.
	tau []float64
}

// dense computes attention with plain loops. It returns the output, the
// number of keys with a non-zero weight per row, and mag, the scale of each
// output entry (Σ_j w_ij·|v_jt| / normaliser), against which rounding error
// is measured.
func dense(Q, K, V matrix, o oracleOpts) (out, mag matrix, counts []int) {
	m, d := Q.dims()
	n, _ := K.dims()
	_, dv := V.dims()
	scale := math.Sqrt(float64(d))
	if o.unscaled {
		scale = 1
	}
	out, mag, counts = make(matrix, m), make(matrix, m), make([]int, m)
	for i := 0; i < m; i++ {
		out[i], mag[i] = make([]float64, dv), make([]float64, dv)
		visible := n
		if o.causal {
			visible = i + 1
		}
		s := make([]float64, visible)
		for j := range s {
			dot := 0.0
			for t := 0; t < d; t++ {
				dot += Q[i][t] * K[j][t]
			}
			s[j] = dot / scale
		}
		w := make([]float64, visible)
		if o.relu {
			for j := range s {
				if x := s[j] - o.b; x > 0 {
					w[j] = math.Pow(x, float64(o.alpha))
				}
			}
		} else {
			top := math.Inf(-1)
			for j := range s {
				if o.tau == nil || s[j] >= o.tau[i] {
					top = math.Max(top, s[j])
				}
			}
			for j := range s {
				if o.tau == nil || s[j] >= o.tau[i] {
					w[j] = math.Exp(s[j] - top)
				}
			}
		}
		sum := 0.0
		for j := range w {
			sum += w[j]
			if w[j] > 0 {
				counts[i]++
			}
		}
		div := sum
		switch {
		case o.relu && o.norm == "none":
			div = 1
		case o.relu && o.norm == "length":
			div = float64(visible)
		}
		if sum == 0 {
			continue // an empty row outputs 0
		}
		for j := range w {
			for t := 0; t < dv; t++ {
				out[i][t] += w[j] * V[j][t]
				mag[i][t] += w[j] * math.Abs(V[j][t])
			}
		}
		for t := 0; t < dv; t++ {
			out[i][t] /= div
			mag[i][t] /= div
		}
	}
	return out, mag, counts
}

// topTau is the r-th largest score of each row (the top-r threshold).
func topTau(Q, K matrix, r int, unscaled bool) []float64 {
	_, d := Q.dims()
	scale := math.Sqrt(float64(d))
	if unscaled {
		scale = 1
	}
	taus := make([]float64, len(Q))
	for i := range Q {
		s := make([]float64, len(K))
		for j := range K {
			for t := 0; t < d; t++ {
				s[j] += Q[i][t] * K[j][t]
			}
			s[j] /= scale
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(s)))
		taus[i] = s[min(r, len(s))-1]
	}
	return taus
}

// checkClose fails unless |got − want| ≤ rel·(|want| + mag) on every entry:
// relative to the entry, or to the size of the terms summed into it when they
// cancel.
func checkClose(t testing.TB, what string, got, want, mag matrix, rel float64) {
	t.Helper()
	if len(got) != len(want) || len(got[0]) != len(want[0]) {
		t.Fatalf("%s: got %d×%d want %d×%d", what, len(got), len(got[0]), len(want), len(want[0]))
	}
	for i := range want {
		for j := range want[i] {
			tol := rel * (math.Abs(want[i][j]) + mag[i][j])
			if d := math.Abs(got[i][j] - want[i][j]); !(d <= tol) {
				t.Fatalf("%s: (%d,%d) got:%v want:%v (diff %.3g > tol %.3g)", what, i, j, got[i][j], want[i][j], d, tol)
			}
		}
	}
}

// snapshot records every file in dir with its content, to prove that a
// refused run wrote nothing.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if info.IsDir() {
			files[rel+"/"] = info.Mode().String()
			return nil
		}
		if info.Mode()&os.ModeSymlink != 0 { // a link: where it points
			target, err := os.Readlink(p)
			files[rel] = "link to " + target
			return err
		}
		if !info.Mode().IsRegular() { // a named pipe must not be read
			files[rel] = info.Mode().String()
			return nil
		}
		if info.Size() > 1<<20 { // a big (sparse) file: its size and time
			files[rel] = fmt.Sprintf("%d bytes, modified %v", info.Size(), info.ModTime())
			return nil
		}
		b, err := os.ReadFile(p)
		files[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func diffSnapshots(before, after map[string]string) string {
	var d []string
	for k, v := range after {
		if w, ok := before[k]; !ok {
			d = append(d, "new "+k)
		} else if w != v {
			d = append(d, "changed "+k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			d = append(d, "removed "+k)
		}
	}
	sort.Strings(d)
	return strings.Join(d, ", ")
}
