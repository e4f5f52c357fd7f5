package npy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"unicode/utf8"

	"gonum.org/v1/gonum/mat"
)

// magic opens every .npy file.
const magic = "\x93NUMPY"

// MaxHeaderBytes bounds the header a reader accepts. NumPy's own default
// limit is 10000; a 2-D header is under 200 bytes.
const MaxHeaderBytes = 1 << 20

// MaxElements bounds rows×columns, so that an absurd shape is refused with a
// clear message rather than by running out of memory (2^32 float64 = 32 GiB).
const MaxElements = 1 << 32

// maxExactInt is 2^53: every integer of at most this magnitude is a float64.
const maxExactInt = 1 << 53

// Read reads a 2-D .npy array from r. name is used in error messages (the
// file name the user gave). See the package doc for what is accepted.
func Read(r io.Reader, name string) (*mat.Dense, error) {
	m, _, err := ReadInfo(r, name)
	return m, err
}

// ReadFile reads the .npy file at path; errors name the path.
func ReadFile(path string) (*mat.Dense, error) {
	m, _, err := ReadFileInfo(path)
	return m, err
}

// ReadFileInfo is ReadFile that also returns the file's header.
func ReadFileInfo(path string) (*mat.Dense, Header, error) {
	f, err := Open(path)
	if err != nil {
		return nil, Header{}, err
	}
	h := f.Header()
	m, err := f.Read()
	return m, h, err
}

// File is a .npy file opened by Open: its header has been read and checked,
// its data not yet. A caller with several inputs opens them all first, so
// that their shapes (and the memory they will take) are checked before any
// data is read.
type File struct {
	f          *os.File
	name       string
	h          Header
	dt         dtype
	rows, cols int
	regular    bool
}

// Open opens the .npy file at path and reads its header: the version,
// dtype, order and shape are checked as Read checks them, and for a regular
// file the data's length (from the file size, so truncation and trailing
// data are found before any data is read). Errors name the path. Open
// blocks on a named pipe until a writer opens it, as reading it would.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s: is a directory, not a .npy file", path)
	}
	nf := &File{f: f, name: path, regular: st.Mode().IsRegular()}
	nf.h, nf.dt, nf.rows, nf.cols, err = readHeader(f)
	if err == nil && nf.regular {
		if have, want := st.Size()-int64(nf.h.DataOffset), nf.DataBytes(); have != want {
			err = dataSizeError(nf.h, want, max(have, 0))
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return nf, nil
}

// Header returns the file's header.
func (f *File) Header() Header { return f.h }

// Dims returns the rows and columns of the matrix Read will return (a 1-D
// array is one row).
func (f *File) Dims() (rows, cols int) { return f.rows, f.cols }

// DataBytes is the length of the data the header declares.
func (f *File) DataBytes() int64 { return int64(f.rows) * int64(f.cols) * int64(f.dt.itemSize) }

// Regular says whether the file is a regular file. Read then needs memory
// for the matrix and one 1 MiB chunk; from anything else (a pipe) it holds
// the raw data and the matrix at once.
func (f *File) Regular() bool { return f.regular }

// Read decodes the data into a matrix and closes the file.
func (f *File) Read() (*mat.Dense, error) {
	defer f.f.Close()
	size := int64(-1)
	if f.regular {
		size = int64(f.h.DataOffset) + f.DataBytes()
	}
	m, err := readData(f.f, f.h, f.dt, f.rows, f.cols, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.name, err)
	}
	return m, nil
}

// Close closes the file without reading its data.
func (f *File) Close() error { return f.f.Close() }

// unwrapPath drops the *os.PathError wrapper, whose text repeats the path.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadInfo is Read that also returns the file's header (version, dtype,
// order and the shape as written, which tells a 1-D array read as one row).
func ReadInfo(r io.Reader, name string) (*mat.Dense, Header, error) {
	h, m, err := read(r)
	if err != nil {
		return nil, h, fmt.Errorf("%s: %w", name, err)
	}
	return m, h, nil
}

func read(r io.Reader) (Header, *mat.Dense, error) {
	h, dt, rows, cols, err := readHeader(r)
	if err != nil {
		return h, nil, err
	}
	size := int64(-1)
	if n, ok := sizeOf(r); ok {
		size = n
	}
	m, err := readData(r, h, dt, rows, cols, size)
	return h, m, err
}

// readHeader reads the preamble and header from r and checks the dtype and
// shape; r is left at the first byte of data.
func readHeader(r io.Reader) (h Header, dt dtype, rows, cols int, err error) {
	fail := func(e error) (Header, dtype, int, int, error) { return h, dt, 0, 0, e }
	var pre [8]byte
	n, err := io.ReadFull(r, pre[:])
	switch {
	case n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF):
		return fail(errors.New("file is empty, not a .npy file"))
	case err == io.ErrUnexpectedEOF:
		if bytes.HasPrefix([]byte(magic), pre[:n]) {
			return fail(fmt.Errorf("truncated: only %d bytes, not even a .npy preamble", n))
		}
		return fail(fmt.Errorf("not a .npy file (bad magic: starts with %q)", pre[:n]))
	case err != nil:
		return fail(err)
	}
	if string(pre[:6]) != magic {
		if string(pre[:4]) == "PK\x03\x04" {
			return fail(errors.New("not a .npy file: this is a zip archive (a .npz?); extract the array and save it with numpy.save"))
		}
		return fail(fmt.Errorf("not a .npy file (bad magic: starts with %q, expected \"\\x93NUMPY\")", pre[:6]))
	}
	h.Major, h.Minor = int(pre[6]), int(pre[7])
	var hlen int
	switch {
	case h.Major == 1 && h.Minor == 0:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return fail(errors.New("truncated: the file ends inside the header length"))
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
		h.DataOffset = 10 + hlen
	case (h.Major == 2 || h.Major == 3) && h.Minor == 0:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return fail(errors.New("truncated: the file ends inside the header length"))
		}
		l := binary.LittleEndian.Uint32(b[:])
		if l > MaxHeaderBytes {
			return fail(fmt.Errorf("header length %d bytes is larger than the %d this reader accepts (a 2-D array needs under 200)", l, MaxHeaderBytes))
		}
		hlen = int(l)
		h.DataOffset = 12 + hlen
	default:
		return fail(fmt.Errorf("unsupported .npy format version %d.%d (this reader knows 1.0, 2.0 and 3.0)", h.Major, h.Minor))
	}
	hdr := make([]byte, hlen)
	if got, err := io.ReadFull(r, hdr); err != nil {
		return fail(fmt.Errorf("truncated header: expected %d bytes, file has %d", hlen, got))
	}
	if h.Major == 3 && !utf8.Valid(hdr) {
		return fail(errors.New("malformed header: version 3.0 header is not valid UTF-8"))
	}
	if err := parseHeaderDict(string(hdr), &h); err != nil {
		return fail(err)
	}
	dt, err = parseDescr(h.Descr)
	if err != nil {
		return fail(err)
	}
	switch len(h.Shape) {
	case 0:
		return fail(errors.New("0-D array (a scalar), shape (): expected a 2-D array"))
	case 1:
		rows, cols = 1, h.Shape[0] // a single vector is one row
	case 2:
		rows, cols = h.Shape[0], h.Shape[1]
	default:
		return fail(fmt.Errorf("%d-D array of shape %s: expected a 2-D array", len(h.Shape), shortShape(h.Shape)))
	}
	if rows == 0 || cols == 0 {
		return fail(fmt.Errorf("empty array of shape %s: expected at least one row and one column", FormatShape(h.Shape)))
	}
	if int64(rows) > MaxElements/int64(cols) || int64(rows)*int64(cols) > math.MaxInt/8 {
		return fail(fmt.Errorf("shape %s is too big: more than %d elements", FormatShape(h.Shape), int64(MaxElements)))
	}
	return h, dt, rows, cols, nil
}

// readData decodes the data that follows the header; size is the file's
// total size when r is a regular file (its length was checked), else −1.
func readData(r io.Reader, h Header, dt dtype, rows, cols int, size int64) (*mat.Dense, error) {
	want := int64(rows) * int64(cols) * int64(dt.itemSize)
	dec := &decoder{dt: dt, rows: rows, cols: cols, fortran: h.Fortran, bad: -1}
	if size >= 0 {
		// A file's size tells truncation and trailing data before any byte
		// of data is read or any memory is allocated.
		if have := size - int64(h.DataOffset); have != want {
			return nil, dataSizeError(h, want, max(have, 0))
		}
		dec.data = make([]float64, rows*cols)
		if err := dec.stream(r, want); err != nil {
			return nil, err
		}
	} else {
		raw, got, err := readExactly(r, want)
		if err != nil {
			return nil, err
		}
		// Count trailing bytes up to a limit: a stream may never end.
		extra := int64(0)
		if got == want {
			if extra, err = io.CopyN(io.Discard, r, maxTrailingCount+1); err != nil && err != io.EOF {
				return nil, err
			}
		}
		switch {
		case extra > maxTrailingCount:
			return nil, fmt.Errorf("more than %d bytes of trailing data after the array (shape %s of %s ends at byte %d)",
				maxTrailingCount, FormatShape(h.Shape), unquote(short(h.Descr)), int64(h.DataOffset)+want)
		case got != want || extra > 0:
			return nil, dataSizeError(h, want, got+extra)
		}
		dec.data = make([]float64, rows*cols)
		dec.chunk(raw, 0)
	}
	if dec.bad >= 0 {
		return nil, dec.badError()
	}
	return mat.NewDense(rows, cols, dec.data), nil
}

// unquote drops the quotes short adds, for messages that print the dtype
// bare ("shape (4, 8) of <f8").
func unquote(q string) string {
	if s, err := strconv.Unquote(q); err == nil {
		return s
	}
	return q
}

// maxTrailingCount bounds the trailing bytes counted on a stream (a pipe
// whose writer never stops must not keep the reader busy forever).
const maxTrailingCount = 1 << 20

func dataSizeError(h Header, want, have int64) error {
	if have < want {
		return fmt.Errorf("truncated data: shape %s of %s needs %d bytes, file has %d", FormatShape(h.Shape), unquote(short(h.Descr)), want, have)
	}
	return fmt.Errorf("%d bytes of trailing data after the array (shape %s of %s ends at byte %d)", have-want, FormatShape(h.Shape), unquote(short(h.Descr)), int64(h.DataOffset)+want)
}

// sizeOf returns the size of r when r is a regular file read from its start
// (as ReadFile opens it), so that the data's length is known in advance.
func sizeOf(r io.Reader) (int64, bool) {
	f, ok := r.(*os.File)
	if !ok {
		return 0, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0, false
	}
	return st.Size(), true
}

// readExactly reads up to want bytes, growing the buffer only as data arrives
// so that a header claiming a huge shape over a small stream costs little.
func readExactly(r io.Reader, want int64) ([]byte, int64, error) {
	const chunk = 1 << 24
	buf := make([]byte, 0, min(want, chunk))
	for int64(len(buf)) < want {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(want, int64(2*cap(buf))))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, int64(len(buf)), err
		}
	}
	return buf, int64(len(buf)), nil
}

// decoder turns raw data, in file order, into a row-major float64 matrix.
// It remembers the bad value (non-finite, an integer beyond 2^53, a bool
// byte other than 0/1) that comes first in row-major order, so that the
// message names the same element for C and Fortran files alike.
type decoder struct {
	dt         dtype
	rows, cols int
	fortran    bool
	data       []float64
	bad        int    // row-major index of the first bad value, or -1
	badRaw     []byte // its bytes
	scratch    []float64
}

// stream reads want bytes from r in chunks and decodes them; memory beyond
// the matrix is one chunk.
func (d *decoder) stream(r io.Reader, want int64) error {
	sz := d.dt.itemSize
	buf := make([]byte, min(want, int64(sz*(1<<17))))
	k := 0
	for done := int64(0); done < want; {
		n := min(int64(len(buf)), want-done)
		got, err := io.ReadFull(r, buf[:n])
		if err != nil {
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				return fmt.Errorf("truncated data: needs %d bytes, file has %d (it shrank while being read)", want, done+int64(got))
			}
			return err
		}
		d.chunk(buf[:n], k)
		k += int(n) / sz
		done += n
	}
	return nil
}

// chunk decodes raw, whose first element is element k0 in file order.
func (d *decoder) chunk(raw []byte, k0 int) {
	sz := d.dt.itemSize
	count := len(raw) / sz
	// Position of element k0 in the matrix: (i, j), stepping in file order.
	var i, j int
	if d.fortran {
		i, j = k0%d.rows, k0/d.rows
	} else {
		i, j = k0/d.cols, k0%d.cols
	}
	vals := d.flat(raw)
	for e := 0; e < count; e++ {
		var v float64
		ok := true
		if vals != nil {
			v = vals[e]
			ok = v-v == 0
		} else {
			v, ok = d.dt.value(raw[e*sz : e*sz+sz])
		}
		b := raw[e*sz : e*sz+sz]
		pos := i*d.cols + j
		d.data[pos] = v
		if !ok && (d.bad < 0 || pos < d.bad) {
			d.bad, d.badRaw = pos, append(d.badRaw[:0], b...)
		}
		if d.fortran {
			if i++; i == d.rows {
				i, j = 0, j+1
			}
		} else if j++; j == d.cols {
			i, j = i+1, 0
		}
	}
}

// flat decodes the common float dtypes of raw in tight loops (the byte order
// fixed outside the loop); nil for the other dtypes, which go through value.
func (d *decoder) flat(raw []byte) []float64 {
	if d.dt.kind != 'f' || d.dt.itemSize == 2 {
		return nil
	}
	n := len(raw) / d.dt.itemSize
	if cap(d.scratch) < n {
		d.scratch = make([]float64, n)
	}
	out := d.scratch[:n]
	big := d.dt.order.Uint16([]byte{0, 1}) == 1
	switch {
	case d.dt.itemSize == 8 && !big:
		for k := range out {
			out[k] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*k:]))
		}
	case d.dt.itemSize == 8:
		for k := range out {
			out[k] = math.Float64frombits(binary.BigEndian.Uint64(raw[8*k:]))
		}
	case !big:
		for k := range out {
			out[k] = float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*k:])))
		}
	default:
		for k := range out {
			out[k] = float64(math.Float32frombits(binary.BigEndian.Uint32(raw[4*k:])))
		}
	}
	return out
}

func (d *decoder) badError() error {
	i, j := d.bad/d.cols, d.bad%d.cols
	b := d.badRaw
	dt := d.dt
	switch dt.kind {
	case 'f':
		v, _ := dt.value(b)
		return fmt.Errorf("non-finite value %v at row %d, column %d (0-based): inputs must be finite", v, i, j)
	case 'i':
		x := int64(dt.order.Uint64(b)) // only 8-byte integers can exceed 2^53
		return fmt.Errorf("integer %d at row %d, column %d (0-based) is beyond ±2^53 and cannot be converted to float64 exactly", x, i, j)
	case 'u':
		return fmt.Errorf("integer %d at row %d, column %d (0-based) is beyond 2^53 and cannot be converted to float64 exactly", dt.order.Uint64(b), i, j)
	default:
		return fmt.Errorf("bool byte %d at row %d, column %d (0-based) is neither 0 nor 1", b[0], i, j)
	}
}

// value decodes one element; ok is false for a value that is refused.
func (dt dtype) value(b []byte) (v float64, ok bool) {
	o := dt.order
	switch dt.kind {
	case 'f':
		switch dt.itemSize {
		case 2:
			v = float16(o.Uint16(b))
		case 4:
			v = float64(math.Float32frombits(o.Uint32(b)))
		default:
			v = math.Float64frombits(o.Uint64(b))
		}
		return v, v-v == 0 // false for NaN and ±Inf
	case 'i':
		var x int64
		switch dt.itemSize {
		case 1:
			x = int64(int8(b[0]))
		case 2:
			x = int64(int16(o.Uint16(b)))
		case 4:
			x = int64(int32(o.Uint32(b)))
		default:
			x = int64(o.Uint64(b))
		}
		return float64(x), x <= maxExactInt && x >= -maxExactInt
	case 'u':
		var x uint64
		switch dt.itemSize {
		case 1:
			x = uint64(b[0])
		case 2:
			x = uint64(o.Uint16(b))
		case 4:
			x = uint64(o.Uint32(b))
		default:
			x = o.Uint64(b)
		}
		return float64(x), x <= maxExactInt
	default: // 'b'
		return float64(b[0]), b[0] <= 1
	}
}

// float16 converts an IEEE 754 half-precision value exactly to float64.
func float16(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0: // zero or subnormal
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	default:
		return sign * math.Ldexp(1024+frac, exp-25)
	}
}
