package npy

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// headerAlign is the alignment NumPy gives the start of the data.
const headerAlign = 64

// EncodeHeader returns the preamble and header of a float64 C-order .npy file
// of the given shape: version 1.0 unless the header needs 2.0, padded with
// spaces and a final '\n' to a multiple of 64 bytes.
func EncodeHeader(shape []int) []byte {
	dict := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': %s, }", FormatShape(shape))
	for _, v := range []struct {
		major  byte
		prefix int
		limit  int
	}{{1, 10, math.MaxUint16}, {2, 12, math.MaxUint32}} {
		total := v.prefix + len(dict) + 1
		pad := (headerAlign - total%headerAlign) % headerAlign
		hlen := len(dict) + pad + 1
		if hlen > v.limit {
			continue
		}
		out := make([]byte, 0, v.prefix+hlen)
		out = append(out, magic...)
		out = append(out, v.major, 0)
		if v.major == 1 {
			out = binary.LittleEndian.AppendUint16(out, uint16(hlen))
		} else {
			out = binary.LittleEndian.AppendUint32(out, uint32(hlen))
		}
		out = append(out, dict...)
		out = append(out, strings.Repeat(" ", pad)...)
		return append(out, '\n')
	}
	panic("npy: header longer than 4 GiB")
}

// Write writes m as a version 1.0, '<f8', C-order .npy array. Values are
// written as they are, non-finite ones included.
func Write(w io.Writer, m *mat.Dense) error {
	if m == nil || m.IsEmpty() {
		return errors.New("npy: cannot write an empty matrix")
	}
	r, c := m.Dims()
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.Write(EncodeHeader([]int{r, c})); err != nil {
		return err
	}
	var b [8]byte
	for i := 0; i < r; i++ {
		for _, v := range m.RawRowView(i) {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			if _, err := bw.Write(b[:]); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// WriteFile writes m to path atomically: to a temporary file in the same
// directory, synced, then renamed over path. On any error path is untouched
// and the temporary file is removed.
func WriteFile(path string, m *mat.Dense) error {
	if m == nil || m.IsEmpty() {
		return fmt.Errorf("%s: cannot write an empty matrix", path)
	}
	return WriteAtomic(path, func(w io.Writer) error { return Write(w, m) })
}

// WriteAtomic creates path with the bytes write produces, atomically (see
// WriteFile). The file gets mode 0644.
func WriteAtomic(path string, write func(io.Writer) error) (err error) {
	path, err = Destination(path)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("%s: cannot create a file in its directory: %w", path, unwrapPath(err))
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Destination returns the file an atomic write to path must replace: path
// itself, or the file a symbolic link at path points to (the link is kept).
// It refuses a destination that exists and is not a regular file: renaming
// over a directory fails, and renaming over /dev/stdout or a named pipe would
// replace the device or pipe instead of writing to it.
func Destination(path string) (string, error) {
	st, err := os.Lstat(path)
	if err != nil {
		return path, nil // does not exist yet (or cannot be told): create it
	}
	if st.Mode()&os.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return path, nil // a dangling link: replace the link itself
		}
		if st, err = os.Stat(target); err != nil {
			return "", fmt.Errorf("%s: %w", path, unwrapPath(err))
		}
		if st.Mode().IsRegular() {
			return target, nil
		}
	}
	switch {
	case st.IsDir():
		return "", fmt.Errorf("%s: is a directory", path)
	case !st.Mode().IsRegular():
		return "", fmt.Errorf("%s: is not a regular file (%v); the output is written to a temporary file and renamed, which would replace it", path, st.Mode().Type())
	}
	return path, nil
}
