package npy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
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
	f, err := os.Open(path)
	if err != nil {
		return nil, Header{}, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, Header{}, fmt.Errorf("%s: is a directory, not a .npy file", path)
	}
	return ReadInfo(f, path)
}

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
	var h Header
	var pre [8]byte
	n, err := io.ReadFull(r, pre[:])
	switch {
	case n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF):
		return h, nil, errors.New("file is empty, not a .npy file")
	case err == io.ErrUnexpectedEOF:
		if bytes.HasPrefix([]byte(magic), pre[:n]) {
			return h, nil, fmt.Errorf("truncated: only %d bytes, not even a .npy preamble", n)
		}
		return h, nil, fmt.Errorf("not a .npy file (bad magic: starts with %q)", pre[:n])
	case err != nil:
		return h, nil, err
	}
	if string(pre[:6]) != magic {
		if string(pre[:4]) == "PK\x03\x04" {
			return h, nil, errors.New("not a .npy file: this is a zip archive (a .npz?); extract the array and save it with numpy.save")
		}
		return h, nil, fmt.Errorf("not a .npy file (bad magic: starts with %q, expected \"\\x93NUMPY\")", pre[:6])
	}
	h.Major, h.Minor = int(pre[6]), int(pre[7])
	var hlen int
	switch {
	case h.Major == 1 && h.Minor == 0:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return h, nil, errors.New("truncated: the file ends inside the header length")
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
		h.DataOffset = 10 + hlen
	case (h.Major == 2 || h.Major == 3) && h.Minor == 0:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return h, nil, errors.New("truncated: the file ends inside the header length")
		}
		l := binary.LittleEndian.Uint32(b[:])
		if l > MaxHeaderBytes {
			return h, nil, fmt.Errorf("header length %d bytes is larger than the %d this reader accepts (a 2-D array needs under 200)", l, MaxHeaderBytes)
		}
		hlen = int(l)
		h.DataOffset = 12 + hlen
	default:
		return h, nil, fmt.Errorf("unsupported .npy format version %d.%d (this reader knows 1.0, 2.0 and 3.0)", h.Major, h.Minor)
	}
	hdr := make([]byte, hlen)
	if got, err := io.ReadFull(r, hdr); err != nil {
		return h, nil, fmt.Errorf("truncated header: expected %d bytes, file has %d", hlen, got)
	}
	if h.Major == 3 && !utf8.Valid(hdr) {
		return h, nil, errors.New("malformed header: version 3.0 header is not valid UTF-8")
	}
	if err := parseHeaderDict(string(hdr), &h); err != nil {
		return h, nil, err
	}
	dt, err := parseDescr(h.Descr)
	if err != nil {
		return h, nil, err
	}
	var rows, cols int
	switch len(h.Shape) {
	case 0:
		return h, nil, errors.New("0-D array (a scalar), shape (): expected a 2-D array")
	case 1:
		rows, cols = 1, h.Shape[0] // a single vector is one row
	case 2:
		rows, cols = h.Shape[0], h.Shape[1]
	default:
		return h, nil, fmt.Errorf("%d-D array of shape %s: expected a 2-D array", len(h.Shape), FormatShape(h.Shape))
	}
	if rows == 0 || cols == 0 {
		return h, nil, fmt.Errorf("empty array of shape %s: expected at least one row and one column", FormatShape(h.Shape))
	}
	if int64(rows) > MaxElements/int64(cols) || int64(rows)*int64(cols) > math.MaxInt/8 {
		return h, nil, fmt.Errorf("shape %s is too big: more than %d elements", FormatShape(h.Shape), int64(MaxElements))
	}
	want := int64(rows) * int64(cols) * int64(dt.itemSize)
	raw, got, err := readExactly(r, want)
	if err != nil {
		return h, nil, err
	}
	if got < want {
		return h, nil, fmt.Errorf("truncated data: shape %s of %s needs %d bytes, file has %d", FormatShape(h.Shape), h.Descr, want, got)
	}
	if extra, err := io.Copy(io.Discard, r); err != nil {
		return h, nil, err
	} else if extra > 0 {
		return h, nil, fmt.Errorf("%d bytes of trailing data after the array (shape %s of %s ends at byte %d)", extra, FormatShape(h.Shape), h.Descr, int64(h.DataOffset)+want)
	}
	m, err := decode(raw, rows, cols, h.Fortran, dt)
	return h, m, err
}

// readExactly reads up to want bytes, growing the buffer only as data arrives
// so that a header claiming a huge shape over a small file costs little.
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

// decode turns the raw data into a row-major float64 matrix. It walks the
// matrix in row-major order whatever the storage order, so the first bad value
// it names is the first in reading order, for C and Fortran files alike.
func decode(raw []byte, rows, cols int, fortran bool, dt dtype) (*mat.Dense, error) {
	data := make([]float64, rows*cols)
	sz := dt.itemSize
	o := dt.order
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			k := i*cols + j
			if fortran {
				k = j*rows + i
			}
			b := raw[k*sz : k*sz+sz]
			var v float64
			switch dt.kind {
			case 'f':
				switch sz {
				case 2:
					v = float16(o.Uint16(b))
				case 4:
					v = float64(math.Float32frombits(o.Uint32(b)))
				default:
					v = math.Float64frombits(o.Uint64(b))
				}
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("non-finite value %v at row %d, column %d (0-based): inputs must be finite", v, i, j)
				}
			case 'i':
				var x int64
				switch sz {
				case 1:
					x = int64(int8(b[0]))
				case 2:
					x = int64(int16(o.Uint16(b)))
				case 4:
					x = int64(int32(o.Uint32(b)))
				default:
					x = int64(o.Uint64(b))
				}
				if x > maxExactInt || x < -maxExactInt {
					return nil, fmt.Errorf("integer %d at row %d, column %d (0-based) is beyond ±2^53 and cannot be converted to float64 exactly", x, i, j)
				}
				v = float64(x)
			case 'u':
				var x uint64
				switch sz {
				case 1:
					x = uint64(b[0])
				case 2:
					x = uint64(o.Uint16(b))
				case 4:
					x = uint64(o.Uint32(b))
				default:
					x = o.Uint64(b)
				}
				if x > maxExactInt {
					return nil, fmt.Errorf("integer %d at row %d, column %d (0-based) is beyond 2^53 and cannot be converted to float64 exactly", x, i, j)
				}
				v = float64(x)
			case 'b':
				if b[0] > 1 {
					return nil, fmt.Errorf("bool byte %d at row %d, column %d (0-based) is neither 0 nor 1", b[0], i, j)
				}
				v = float64(b[0])
			}
			data[i*cols+j] = v
		}
	}
	return mat.NewDense(rows, cols, data), nil
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
