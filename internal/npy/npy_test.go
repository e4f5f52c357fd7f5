package npy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// handNPY builds a .npy file byte by byte, independently of the package's
// writer: preamble for version major.0, the header text as given (padded to
// 64 with spaces and '\n' when pad is true), then data.
func handNPY(major byte, header string, pad bool, data []byte) []byte {
	prefix := 10
	if major >= 2 {
		prefix = 12
	}
	if pad {
		for (prefix+len(header)+1)%64 != 0 {
			header += " "
		}
		header += "\n"
	}
	var b bytes.Buffer
	b.WriteString("\x93NUMPY")
	b.WriteByte(major)
	b.WriteByte(0)
	if major == 1 {
		b.WriteByte(byte(len(header)))
		b.WriteByte(byte(len(header) >> 8))
	} else {
		n := len(header)
		b.Write([]byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)})
	}
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

func dictFor(descr string, fortran bool, shape string) string {
	f := "False"
	if fortran {
		f = "True"
	}
	return fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, f, shape)
}

// encode writes the values (in file order) in the given dtype by hand.
func encode(t testing.TB, descr string, vals []float64) []byte {
	t.Helper()
	var order binary.ByteOrder = binary.LittleEndian
	if descr[0] == '>' {
		order = binary.BigEndian
	}
	kind := descr[len(descr)-2]
	size := int(descr[len(descr)-1] - '0')
	var out []byte
	for _, v := range vals {
		b := make([]byte, size)
		switch {
		case kind == 'f' && size == 8:
			order.PutUint64(b, math.Float64bits(v))
		case kind == 'f' && size == 4:
			order.PutUint32(b, math.Float32bits(float32(v)))
		case (kind == 'i' || kind == 'u' || kind == 'b') && size == 1:
			b[0] = byte(int8(v))
		case size == 2:
			order.PutUint16(b, uint16(int16(v)))
		case size == 4:
			order.PutUint32(b, uint32(int32(v)))
		case size == 8 && kind == 'u':
			order.PutUint64(b, uint64(v))
		case size == 8:
			order.PutUint64(b, uint64(int64(v)))
		default:
			t.Fatalf("encode: unknown descr %s", descr)
		}
		out = append(out, b...)
	}
	return out
}

// fileOrder lists want's entries in C or Fortran order.
func fileOrder(want [][]float64, fortran bool) []float64 {
	var out []float64
	r, c := len(want), len(want[0])
	if fortran {
		for j := 0; j < c; j++ {
			for i := 0; i < r; i++ {
				out = append(out, want[i][j])
			}
		}
		return out
	}
	for i := 0; i < r; i++ {
		out = append(out, want[i]...)
	}
	return out
}

func checkMatrix(t *testing.T, what string, got *mat.Dense, want [][]float64) {
	t.Helper()
	r, c := got.Dims()
	if r != len(want) || c != len(want[0]) {
		t.Fatalf("%s: got %d×%d want %d×%d", what, r, c, len(want), len(want[0]))
	}
	for i := range want {
		for j := range want[i] {
			if got.At(i, j) != want[i][j] {
				t.Fatalf("%s: at (%d,%d) got:%v want:%v", what, i, j, got.At(i, j), want[i][j])
			}
		}
	}
}

func TestReadHandBuiltLayouts(t *testing.T) {
	// 3×4 values that every dtype below holds exactly (unsigned: non-negative).
	signed := [][]float64{{-7, -6, 5, 4}, {3, 0, 1, -128}, {127, 100, -100, 2}}
	unsigned := [][]float64{{7, 6, 5, 4}, {3, 0, 1, 128}, {255, 100, 9, 2}}
	bools := [][]float64{{1, 0, 1, 1}, {0, 0, 1, 0}, {1, 1, 1, 0}}
	fracs := [][]float64{{-7.5, 6.25, 5, 4}, {3, 0, 1e-3, -128}, {127, 1e30, -100, 2}}
	descrs := []string{"<f8", ">f8", "=f8", "<f4", ">f4", "|i1", "<i2", ">i2", "<i4", ">i4", "<i8", ">i8",
		"|u1", "<u2", ">u2", "<u4", ">u4", "<u8", ">u8", "|b1"}
	for _, major := range []byte{1, 2, 3} {
		for _, descr := range descrs {
			for _, fortran := range []bool{false, true} {
				want := signed
				switch {
				case descr[1] == 'u':
					want = unsigned
				case descr[1] == 'b':
					want = bools
				case descr == "<f8" || descr == ">f8":
					want = fracs
				}
				if descr == "<f4" || descr == ">f4" {
					// round through float32 so the expectation is exact
					want = [][]float64{{-7.5, 6.25, 5, 4}, {3, 0, float64(float32(1e-3)), -128}, {127, float64(float32(1e30)), -100, 2}}
				}
				enc := descr
				if descr == "=f8" {
					enc = "<f8" // every Go test machine here is little-endian
					if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
						enc = ">f8"
					}
				}
				file := handNPY(major, dictFor(descr, fortran, "(3, 4)"), true, encode(t, enc, fileOrder(want, fortran)))
				name := fmt.Sprintf("v%d_%s_fortran=%v.npy", major, descr, fortran)
				m, h, err := ReadInfo(bytes.NewReader(file), name)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if h.Major != int(major) || h.Descr != descr || h.Fortran != fortran || h.DataOffset%64 != 0 {
					t.Fatalf("%s: header %+v", name, h)
				}
				checkMatrix(t, name, m, want)
			}
		}
	}
}

func TestReadFloat16(t *testing.T) {
	// Half-precision bit patterns and their exact values.
	cases := []struct {
		bits uint16
		want float64
	}{
		{0x0000, 0}, {0x3c00, 1}, {0xc000, -2}, {0x3555, 1365.0 / 4096}, {0x7bff, 65504},
		{0x0001, math.Ldexp(1, -24)}, {0x03ff, math.Ldexp(1023, -24)}, {0x0400, math.Ldexp(1, -14)},
	}
	var data []byte
	for _, c := range cases {
		data = binary.LittleEndian.AppendUint16(data, c.bits)
	}
	file := handNPY(1, dictFor("<f2", false, fmt.Sprintf("(1, %d)", len(cases))), true, data)
	m, err := Read(bytes.NewReader(file), "half.npy")
	if err != nil {
		t.Fatal(err)
	}
	for j, c := range cases {
		if got := m.At(0, j); got != c.want {
			t.Errorf("float16 %#04x: got:%v want:%v", c.bits, got, c.want)
		}
	}
	for _, bits := range []uint16{0x7c00, 0xfc00, 0x7e00} {
		file := handNPY(1, dictFor("<f2", false, "(1, 1)"), true, binary.LittleEndian.AppendUint16(nil, bits))
		if _, err := Read(bytes.NewReader(file), "half.npy"); err == nil || !strings.Contains(err.Error(), "row 0, column 0") {
			t.Errorf("float16 %#04x: want a non-finite error, got %v", bits, err)
		}
	}
}

// TestReadNumPyFixtures reads files written by NumPy itself (testdata/gen.py).
func TestReadNumPyFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/ok_v*.npy")
	if err != nil || len(files) != 84 {
		t.Fatalf("want 84 NumPy fixtures, got %d (%v)", len(files), err)
	}
	for _, f := range files {
		m, h, err := ReadFileInfo(f)
		if err != nil {
			t.Fatal(err)
		}
		want := make([][]float64, 3)
		for i := range want {
			want[i] = make([]float64, 5)
			for j := range want[i] {
				switch {
				case strings.Contains(h.Descr, "f"):
					want[i][j] = float64(10*i+j-7) + 0.5
				case strings.Contains(h.Descr, "u"):
					want[i][j] = float64(10*i + j)
				case strings.Contains(h.Descr, "b"):
					want[i][j] = float64((i + j) % 2)
				default:
					want[i][j] = float64(10*i + j - 7)
				}
			}
		}
		if wantF := strings.HasSuffix(f, "_F.npy"); h.Fortran != wantF {
			t.Errorf("%s: fortran_order %v", f, h.Fortran)
		}
		checkMatrix(t, f, m, want)
	}
	m, h, err := ReadFileInfo("testdata/ok_1d.npy")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Shape) != 1 {
		t.Errorf("1-D shape reported as %v", h.Shape)
	}
	checkMatrix(t, "ok_1d.npy", m, [][]float64{{-2.5, -1.5, -0.5, 0.5, 1.5}})
}

func TestReadNumPyFixturesRefused(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"bad_complex.npy", `dtype "<c16" (complex) is not supported`},
		{"bad_object.npy", `dtype "|O" (object) is not supported`},
		{"bad_string.npy", `(string) is not supported`},
		{"bad_structured.npy", "structured dtype"},
		{"bad_3d.npy", "3-D array of shape (2, 3, 4): expected a 2-D array"},
		{"bad_0d.npy", "0-D array"},
		{"bad_empty.npy", "empty array of shape (0, 4)"},
		{"bad_nan_C.npy", "non-finite value NaN at row 1, column 2 (0-based)"},
		{"bad_nan_F.npy", "non-finite value NaN at row 1, column 2 (0-based)"},
		{"bad_neginf.npy", "non-finite value -Inf at row 2, column 4"},
		{"bad_int_2p53.npy", "integer 9007199254740993 at row 2, column 1 (0-based) is beyond ±2^53"},
		{"bad_uint_big.npy", "integer 18446744073709551615 at row 0, column 3"},
		{"bad_archive.npz", "zip archive"},
	} {
		path := filepath.Join("testdata", c.file)
		_, err := ReadFile(path)
		if err == nil {
			t.Errorf("%s: read without error", c.file)
			continue
		}
		if !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got:%v\nwant: %q", c.file, err, c.want)
		}
	}
}

func TestReadHeaderSpellings(t *testing.T) {
	data := encode(t, "<f8", []float64{1, 2, 3, 4, 5, 6})
	want := [][]float64{{1, 2, 3}, {4, 5, 6}}
	for _, hdr := range []string{
		"{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
		"{'descr':'<f8','fortran_order':False,'shape':(2,3)}",
		"{'shape': (2, 3), 'fortran_order': False, 'descr': '<f8'}",
		`{"descr": "<f8", "fortran_order": False, "shape": (2, 3,), }`,
		"{ 'fortran_order' : False ,\t'shape' : ( 2 , 3 ) , 'descr' : '<f8' , }",
		"{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }",
		"{'descr': '<f8', 'fortran_order': False, 'shape': (+2, 3), }",
		"{'descr': '<f8', 'fortran_order': False, 'shape': ((2), 3), }",
	} {
		for _, pad := range []bool{true, false} {
			m, err := Read(bytes.NewReader(handNPY(1, hdr, pad, data)), "x.npy")
			if err != nil {
				t.Errorf("%s (pad %v): %v", hdr, pad, err)
				continue
			}
			checkMatrix(t, hdr, m, want)
		}
	}
}

func TestReadRefusals(t *testing.T) {
	f8 := func(n int) []byte { return encode(t, "<f8", make([]float64, n)) }
	ok := dictFor("<f8", false, "(2, 3)")
	v1 := handNPY(1, ok, true, f8(6))
	cases := []struct {
		what string
		file []byte
		want string
	}{
		{"empty file", nil, "file is empty"},
		{"bad magic", []byte("hello world, not npy"), `bad magic: starts with "hello "`},
		{"short preamble", []byte("\x93NUM"), "truncated: only 4 bytes"},
		{"version 4.0", append([]byte("\x93NUMPY\x04\x00"), v1[8:]...), "unsupported .npy format version 4.0"},
		{"version 1.1", append([]byte("\x93NUMPY\x01\x01"), v1[8:]...), "unsupported .npy format version 1.1"},
		{"no header length", []byte("\x93NUMPY\x01\x00\x05"), "ends inside the header length"},
		{"truncated header", v1[:40], "truncated header: expected 118 bytes, file has 30"},
		{"huge header", []byte("\x93NUMPY\x02\x00\xff\xff\xff\x7f{"), "header length 2147483647 bytes is larger"},
		{"not a dict", handNPY(1, "['descr', '<f8']", true, f8(6)), "the header is not a dict"},
		{"missing key", handNPY(1, "{'descr': '<f8', 'shape': (2, 3)}", true, f8(6)), `key "fortran_order" is missing`},
		{"extra key", handNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", true, f8(6)), `unexpected key "x"`},
		{"duplicate key", handNPY(1, "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}", true, f8(6)), `key "descr" appears twice`},
		{"unclosed dict", handNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)", true, f8(6)), "expected ',' or '}'"},
		{"unclosed string", handNPY(1, "{'descr: '<f8', 'fortran_order': False, 'shape': (2, 3)}", true, f8(6)), "malformed header"},
		{"fortran not bool", handNPY(1, dictFor("<f8", false, "(2, 3)")[:0]+"{'descr': '<f8', 'fortran_order': 0, 'shape': (2, 3)}", true, f8(6)), "'fortran_order' is an integer, not True or False"},
		{"shape not tuple", handNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': [2, 3]}", true, f8(6)), "'shape' is a list, not a tuple"},
		{"shape paren int", handNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (6)}", true, f8(6)), "'shape' is an integer, not a tuple"},
		{"shape float", handNPY(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2.0, 3)}", true, f8(6)), "expected an integer"},
		{"negative dim", handNPY(1, dictFor("<f8", false, "(-2, 3)"), true, f8(6)), "shape (-2, 3): dimension -2 is negative"},
		{"overflow dim", handNPY(1, dictFor("<f8", false, "(99999999999999999999, 3)"), true, f8(6)), "dimension 99999999999999999999 is too large"},
		{"too big", handNPY(1, dictFor("<f8", false, "(4294967296, 4294967296)"), true, f8(6)), "shape (4294967296, 4294967296) is too big"},
		{"descr not string", handNPY(1, "{'descr': 8, 'fortran_order': False, 'shape': (2, 3)}", true, f8(6)), "'descr' is an integer, not a string"},
		{"unknown descr", handNPY(1, dictFor("<x8", false, "(2, 3)"), true, f8(6)), `dtype "<x8" is not supported`},
		{"float128", handNPY(1, dictFor("<f16", false, "(2, 3)"), true, f8(6)), "long double"},
		{"bad descr", handNPY(1, dictFor("float64", false, "(2, 3)"), true, f8(6)), "is not a NumPy type string"},
		{"complex", handNPY(1, dictFor("<c16", false, "(2, 3)"), true, f8(12)), "(complex) is not supported"},
		{"datetime", handNPY(1, dictFor("<M8[ns]", false, "(2, 3)"), true, f8(6)), "datetime"},
		{"4-D", handNPY(1, dictFor("<f8", false, "(1, 2, 3, 1)"), true, f8(6)), "4-D array of shape (1, 2, 3, 1)"},
		{"zero cols", handNPY(1, dictFor("<f8", false, "(2, 0)"), true, nil), "empty array of shape (2, 0)"},
		{"truncated data", v1[:len(v1)-1], "truncated data: shape (2, 3) of <f8 needs 48 bytes, file has 47"},
		{"no data", v1[:128], "needs 48 bytes, file has 0"},
		{"trailing garbage", append(append([]byte{}, v1...), "junk"...), "4 bytes of trailing data after the array (shape (2, 3) of <f8 ends at byte 176)"},
		{"bool not 0/1", handNPY(1, dictFor("|b1", false, "(1, 2)"), true, []byte{1, 7}), "bool byte 7 at row 0, column 1"},
		{"v3 bad utf8", handNPY(3, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), '\xff': 1}", true, f8(6)), "not valid UTF-8"},
		{"NUL after dict", handNPY(1, ok+"\x00", false, f8(6)), "after the header dict"},
		{"deep nesting", handNPY(1, "{'descr': "+strings.Repeat("(", 100)+"}", true, f8(6)), "nested too deeply"},
	}
	for _, c := range cases {
		_, err := Read(bytes.NewReader(c.file), "Q.npy")
		if err == nil {
			t.Errorf("%s: read without error", c.what)
			continue
		}
		if !strings.HasPrefix(err.Error(), "Q.npy: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got:%v\nwant: %q", c.what, err, c.want)
		}
	}
}

func TestReadIntegerLimits(t *testing.T) {
	const p53 = 1 << 53
	// ±2^53 convert exactly; one beyond is refused with its position.
	ok := handNPY(1, dictFor("<i8", false, "(1, 2)"), true, encode(t, "<i8", []float64{p53, -p53}))
	m, err := Read(bytes.NewReader(ok), "i.npy")
	if err != nil || m.At(0, 0) != p53 || m.At(0, 1) != -p53 {
		t.Fatalf("±2^53: %v %v", m, err)
	}
	var data []byte
	data = binary.BigEndian.AppendUint64(data, 5)
	neg := int64(-(p53 + 1))
	data = binary.BigEndian.AppendUint64(data, uint64(neg))
	// Fortran order: the second stored value is row 1, column 0.
	bad := handNPY(2, dictFor(">i8", true, "(2, 1)"), true, data)
	_, err = Read(bytes.NewReader(bad), "K.npy")
	if err == nil || !strings.Contains(err.Error(), "K.npy: integer -9007199254740993 at row 1, column 0") {
		t.Fatalf("got %v", err)
	}
}

func TestNonFiniteFirstInRowMajorOrder(t *testing.T) {
	// Fortran storage puts (1, 0) before (0, 1); the message names the first in
	// row-major order, (0, 1), whatever the storage order.
	want := [][]float64{{0, math.Inf(1)}, {math.NaN(), 0}}
	for _, fortran := range []bool{false, true} {
		file := handNPY(1, dictFor("<f8", fortran, "(2, 2)"), true, encode(t, "<f8", fileOrder(want, fortran)))
		_, err := Read(bytes.NewReader(file), "V.npy")
		if err == nil || err.Error() != "V.npy: non-finite value +Inf at row 0, column 1 (0-based): inputs must be finite" {
			t.Errorf("fortran %v: got %v", fortran, err)
		}
	}
}

func TestWriteFormat(t *testing.T) {
	m := mat.NewDense(2, 3, []float64{1, -2.5, 3, 4, 5e-300, math.MaxFloat64})
	var b bytes.Buffer
	if err := Write(&b, m); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	hdr := "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
	want := "\x93NUMPY\x01\x00\x76\x00" + hdr + strings.Repeat(" ", 128-10-len(hdr)-1) + "\n"
	if string(out[:128]) != want {
		t.Fatalf("header:\n got:%q\nwant:%q", out[:128], want)
	}
	if len(out) != 128+48 {
		t.Fatalf("length got:%d want:%d", len(out), 176)
	}
	for k, v := range []float64{1, -2.5, 3, 4, 5e-300, math.MaxFloat64} {
		if got := math.Float64frombits(binary.LittleEndian.Uint64(out[128+8*k:])); got != v {
			t.Errorf("value %d got:%v want:%v", k, got, v)
		}
	}
	// A view with a stride wider than its columns writes only its own columns.
	big := mat.NewDense(3, 4, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	view := big.Slice(1, 3, 1, 3).(*mat.Dense)
	b.Reset()
	if err := Write(&b, view); err != nil {
		t.Fatal(err)
	}
	got, err := Read(&b, "view.npy")
	if err != nil {
		t.Fatal(err)
	}
	checkMatrix(t, "view", got, [][]float64{{5, 6}, {9, 10}})
	if err := Write(&b, &mat.Dense{}); err == nil {
		t.Error("empty matrix written")
	}
}

func TestEncodeHeaderAlignment(t *testing.T) {
	for _, shape := range [][]int{{1, 1}, {3, 5}, {123456789, 987654321}, {1 << 40, 7}} {
		h := EncodeHeader(shape)
		if len(h)%64 != 0 || h[len(h)-1] != '\n' || h[6] != 1 {
			t.Errorf("shape %v: len %d last %q version %d", shape, len(h), h[len(h)-1], h[6])
		}
		if hl := int(binary.LittleEndian.Uint16(h[8:])); hl != len(h)-10 {
			t.Errorf("shape %v: header length field %d, actual %d", shape, hl, len(h)-10)
		}
	}
	// A header too long for version 1.0 switches to 2.0.
	long := make([]int, 30000)
	h := EncodeHeader(long)
	if h[6] != 2 || len(h)%64 != 0 || int(binary.LittleEndian.Uint32(h[8:])) != len(h)-12 {
		t.Errorf("long header: version %d len %d", h[6], len(h))
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	for _, shape := range [][2]int{{1, 1}, {1, 7}, {5, 3}, {64, 65}} {
		data := make([]float64, shape[0]*shape[1])
		for i := range data {
			data[i] = math.Sin(float64(i)*1.7) * math.Pow(10, float64(i%40-20))
		}
		m := mat.NewDense(shape[0], shape[1], data)
		var b bytes.Buffer
		if err := Write(&b, m); err != nil {
			t.Fatal(err)
		}
		got, err := Read(&b, "rt.npy")
		if err != nil {
			t.Fatal(err)
		}
		if !mat.Equal(got, m) {
			t.Errorf("shape %v: round trip differs", shape)
		}
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "O.npy")
	m := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	if err := WriteFile(path, m); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil || !mat.Equal(got, m) {
		t.Fatalf("read back: %v %v", got, err)
	}
	if names := listDir(t, dir); len(names) != 1 || names[0] != "O.npy" {
		t.Fatalf("dir holds %v", names)
	}
	// A failing writer leaves the old file intact and no temporary behind.
	before, _ := os.ReadFile(path)
	err = WriteAtomic(path, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return errors.New("disk on fire")
	})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("got %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("old file changed by a failed write")
	}
	if names := listDir(t, dir); len(names) != 1 {
		t.Errorf("dir holds %v after a failed write", names)
	}
	// Missing directory, a directory as the target, an empty matrix.
	for _, c := range []struct {
		path string
		m    *mat.Dense
		want string
	}{
		{filepath.Join(dir, "nope", "O.npy"), m, "cannot create a file in its directory"},
		{dir, m, "is a directory"},
		{filepath.Join(dir, "E.npy"), &mat.Dense{}, "empty matrix"},
	} {
		if err := WriteFile(c.path, c.m); err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), c.path) {
			t.Errorf("%s: got %v want %q", c.path, err, c.want)
		}
	}
	if names := listDir(t, dir); len(names) != 1 {
		t.Errorf("dir holds %v after failed writes", names)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.npy")); err == nil || err.Error() != filepath.Join(dir, "missing.npy")+": no such file or directory" {
		t.Errorf("missing file: %v", err)
	}
	if _, err := ReadFile(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
}

// TestReadFileLargeChunks reads files bigger than one read chunk, in C and
// Fortran order, through ReadFile (the known-size, streaming path) and through
// Read on a plain reader, and checks every value and the bad-value position.
func TestReadFileLargeChunks(t *testing.T) {
	const r, c = 301, 503 // 151403 elements: more than one 2^17-element chunk
	want := make([][]float64, r)
	for i := range want {
		want[i] = make([]float64, c)
		for j := range want[i] {
			want[i][j] = float64((i*7+j*13)%200 - 100)
		}
	}
	dir := t.TempDir()
	for _, descr := range []string{"<f8", ">i2"} {
		for _, fortran := range []bool{false, true} {
			file := handNPY(2, dictFor(descr, fortran, fmt.Sprintf("(%d, %d)", r, c)), true, encode(t, descr, fileOrder(want, fortran)))
			path := filepath.Join(dir, "big.npy")
			if err := os.WriteFile(path, file, 0o644); err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%s fortran=%v", descr, fortran)
			m, err := ReadFile(path)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkMatrix(t, name+" ReadFile", m, want)
			m, err = Read(bytes.NewReader(file), "big.npy")
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkMatrix(t, name+" Read", m, want)
		}
	}
	// Two NaNs: (300, 0) is stored first in Fortran order, in the first chunk;
	// (5, 400) comes first in row-major order and is stored in a later chunk.
	bad := make([][]float64, r)
	for i := range bad {
		bad[i] = slices.Clone(want[i])
	}
	bad[300][0], bad[5][400] = math.NaN(), math.NaN()
	file := handNPY(1, dictFor("<f8", true, fmt.Sprintf("(%d, %d)", r, c)), true, encode(t, "<f8", fileOrder(bad, true)))
	path := filepath.Join(dir, "nan.npy")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, read := range []func() error{
		func() error { _, err := ReadFile(path); return err },
		func() error { _, err := Read(bytes.NewReader(file), path); return err },
	} {
		if err := read(); err == nil || err.Error() != path+": non-finite value NaN at row 5, column 400 (0-based): inputs must be finite" {
			t.Errorf("got %v", err)
		}
	}
}

// TestReadFileSizeErrors: ReadFile knows the file's size and refuses a
// truncated or overlong file with the same message as a stream.
func TestReadFileSizeErrors(t *testing.T) {
	v1 := handNPY(1, dictFor("<f8", false, "(2, 3)"), true, make([]byte, 48))
	dir := t.TempDir()
	for _, c := range []struct {
		file []byte
		want string
	}{
		{v1[:len(v1)-1], "truncated data: shape (2, 3) of <f8 needs 48 bytes, file has 47"},
		{v1[:128], "truncated data: shape (2, 3) of <f8 needs 48 bytes, file has 0"},
		{append(slices.Clone(v1), "junk"...), "4 bytes of trailing data after the array (shape (2, 3) of <f8 ends at byte 176)"},
		{handNPY(1, dictFor("<f8", false, "(50000, 50000)"), true, make([]byte, 48)), "truncated data: shape (50000, 50000) of <f8 needs 20000000000 bytes, file has 48"},
	} {
		path := filepath.Join(dir, "x.npy")
		if err := os.WriteFile(path, c.file, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, read := range []func() error{
			func() error { _, err := ReadFile(path); return err },
			func() error { _, err := Read(bytes.NewReader(c.file), path); return err },
		} {
			if err := read(); err == nil || err.Error() != path+": "+c.want {
				t.Errorf("got %v\nwant %s", err, c.want)
			}
		}
	}
}

// TestWriteFileDestination: a symbolic link is written through (the link
// stays), and a device or named pipe is refused rather than replaced.
func TestWriteFileDestination(t *testing.T) {
	dir := t.TempDir()
	m := mat.NewDense(1, 2, []float64{1, 2})
	target := filepath.Join(dir, "real.npy")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.npy")
	if err := os.Symlink("real.npy", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, m); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", st.Mode(), err)
	}
	if got, err := ReadFile(target); err != nil || !mat.Equal(got, m) {
		t.Errorf("target not written: %v %v", got, err)
	}
	pipe := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(pipe, m); err == nil || !strings.Contains(err.Error(), "is not a regular file") {
		t.Errorf("%s: got %v", pipe, err)
	}
	if st, err := os.Lstat(pipe); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("%s was replaced!", pipe)
	}
}

// TestDestinationRefuses: a link whose target cannot be examined was taken
// for a dangling link, and the link itself replaced; a link through
// /proc/self/fd (an open descriptor: /dev/stdout is one) was followed to
// whatever file the descriptor had open. Each is refused and left as it
// was; a truly dangling link is replaced. Every link is made in a temporary
// directory and Destination only looks: nothing outside it is written.
func TestDestinationRefuses(t *testing.T) {
	dir := t.TempDir()
	mk := func(name, target string) string {
		p := filepath.Join(dir, name)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	pipe := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Fatal(err)
	}
	mk("loop2", "loop1")
	for _, c := range []struct{ path, want string }{
		{mk("loop1", "loop2"), "more than 40 symbolic links"},
		{mk("through", "file/x"), "which cannot be examined: not a directory"},
		{mk("topipe", "pipe"), "is not a regular file"},
		{mk("fd1", "/proc/self/fd/1"), "links to /proc/self/fd/1, an open file descriptor"},
		{mk("viafd", "fd1"), "links to /proc/self/fd/1, an open file descriptor"},
		{filepath.Join(dir, strings.Repeat("n", 300)), "file name too long"},
		{dir, "is a directory"},
	} {
		got, err := Destination(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), c.path) {
			t.Errorf("Destination(%s) = %q, %v; want an error naming it: %s", c.path, got, err, c.want)
		}
	}
	for _, c := range []struct{ path, want string }{
		{file, file},
		{mk("tofile", "file"), file},
		{mk("dangling", "missing"), filepath.Join(dir, "dangling")},
		{filepath.Join(dir, "new"), filepath.Join(dir, "new")},
		{filepath.Join(dir, "nodir", "x"), filepath.Join(dir, "nodir", "x")}, // reported when created
	} {
		if got, err := Destination(c.path); err != nil || got != c.want {
			t.Errorf("Destination(%s) = %q, %v; want %s", c.path, got, err, c.want)
		}
	}
}

// TestOpenChecksBeforeData: Open reads the header and a regular file's
// length only: a shape, a truncation or trailing data is known before the
// data is read, and a NaN in the data only when it is.
func TestOpenChecksBeforeData(t *testing.T) {
	dir := t.TempDir()
	good := handNPY(1, dictFor("<f8", false, "(2, 3)"), true, make([]byte, 48))
	nan := append([]byte(nil), good...)
	copy(nan[len(nan)-8:], []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f})
	for name, b := range map[string][]byte{"good.npy": good, "nan.npy": nan, "short.npy": good[:len(good)-1], "long.npy": append(append([]byte(nil), good...), 0)} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := Open(filepath.Join(dir, "nan.npy"))
	if err != nil {
		t.Fatalf("Open reads no data, so a NaN is not seen yet: %v", err)
	}
	if r, c := f.Dims(); r != 2 || c != 3 || f.DataBytes() != 48 || !f.Regular() || f.Header().Descr != "<f8" {
		t.Errorf("dims %d×%d, %d bytes, regular %v, %+v", r, c, f.DataBytes(), f.Regular(), f.Header())
	}
	if _, err := f.Read(); err == nil || !strings.Contains(err.Error(), "nan.npy: non-finite value NaN at row 1, column 2") {
		t.Errorf("Read: %v", err)
	}
	for name, want := range map[string]string{"short.npy": "truncated data", "long.npy": "1 bytes of trailing data"} {
		if _, err := Open(filepath.Join(dir, name)); err == nil || !strings.Contains(err.Error(), name+": "+want) {
			t.Errorf("Open(%s): %v", name, err)
		}
	}
}

// TestStreamTrailingBounded: trailing bytes on a stream were counted to
// its end, so a pipe whose writer never stops kept the reader forever.
// The count stops after 1 MiB.
func TestStreamTrailingBounded(t *testing.T) {
	good := handNPY(1, dictFor("<f8", false, "(2, 3)"), true, make([]byte, 48))
	endless := io.MultiReader(bytes.NewReader(good), zeros{})
	_, err := Read(endless, "pipe")
	if err == nil || !strings.Contains(err.Error(), "pipe: more than 1048576 bytes of trailing data") {
		t.Fatalf("got %v", err)
	}
}

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestMessagesCut: messages quote header contents cut short.
func TestMessagesCut(t *testing.T) {
	huge := strings.Repeat("Z", 100000)
	for _, dict := range []string{
		"{'descr': '<f" + huge + "', 'fortran_order': False, 'shape': (1, 8), }",
		"{'descr': '<f8', 'fortran_order': False, 'shape': (1, 8), '" + huge + "': 1}",
		"{'descr': '<f8', 'fortran_order': " + huge + ", 'shape': (1, 8), }",
		"{'descr': '<f8', 'fortran_order': False, 'shape': (" + strings.Repeat("2, ", 30000) + "), }",
		"{'descr': '<f8', 'fortran_order': False, 'shape': (" + strings.Repeat("9", 100000) + ", 8), }",
		"{'descr': '<f8', 'fortran_order': False, 'shape': (" + strings.Repeat("'a', ", 30000) + "), }",
	} {
		_, err := Read(bytes.NewReader(handNPY(2, dict, false, nil)), "x.npy")
		if err == nil || len(err.Error()) > 300 {
			t.Errorf("%d-byte message: %.300s", len(fmt.Sprint(err)), err)
		}
	}
}
