package npy

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"

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

// Destination returns the file an atomic write to path must replace:
// path itself when it is a regular file or does not exist; the regular file
// at the end of a chain of symbolic links at path (the links are kept); or,
// when that chain ends at a name that does not exist (a dangling link),
// path, the link itself.
//
// It refuses everything else, since the rename that ends an atomic write
// replaces what is there: a directory, a named pipe or a device (renaming
// over /dev/null or a pipe would replace the node, not write to it); a link
// whose target cannot be examined (permission denied, a loop: "cannot
// tell" must not become "dangling"); and a link through /proc or /dev/fd,
// which names an open file descriptor of some process (/dev/stdout), whose
// file is not the user's to replace: `-out /dev/stderr 2>>err.log` would
// otherwise replace err.log and lose its contents.
func Destination(path string) (string, error) {
	p := path
	for hops := 0; ; hops++ {
		if hops > 0 && fdLink(p) {
			return "", fmt.Errorf("%s: links to %s, an open file descriptor, not a file: give the output a file name", path, p)
		}
		st, err := os.Lstat(p)
		switch {
		case hops == 0 && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)):
			return path, nil // create it (a missing directory is reported then)
		case errors.Is(err, fs.ErrNotExist):
			return path, nil // a dangling link: replace the link itself
		case err != nil && hops == 0:
			return "", fmt.Errorf("%s: %w", path, unwrapPath(err))
		case err != nil:
			return "", fmt.Errorf("%s: a symbolic link to %s, which cannot be examined: %w", path, p, unwrapPath(err))
		}
		if st.Mode()&os.ModeSymlink == 0 {
			switch {
			case st.IsDir():
				return "", fmt.Errorf("%s: is a directory", path)
			case !st.Mode().IsRegular():
				what := path
				if hops > 0 {
					what = fmt.Sprintf("%s (a symbolic link to %s)", path, p)
				}
				return "", fmt.Errorf("%s: is not a regular file (%v); the output is written to a temporary file and renamed, which would replace it", what, st.Mode().Type())
			}
			return p, nil
		}
		if fdLink(p) {
			return "", fmt.Errorf("%s: names an open file descriptor, not a file: give the output a file name", path)
		}
		if hops == maxLinkHops {
			return "", fmt.Errorf("%s: more than %d symbolic links (a loop?)", path, maxLinkHops)
		}
		target, err := os.Readlink(p)
		if err != nil {
			return "", fmt.Errorf("%s: a symbolic link that cannot be read: %w", path, unwrapPath(err))
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = target
	}
}

// maxLinkHops is how many links Destination follows (Linux allows 40).
const maxLinkHops = 40

// fdLink says whether the link p lives under /proc or /dev/fd, where links
// stand for open file descriptors (/proc/self/fd/1, /dev/fd/2), its
// directory's own links resolved.
func fdLink(p string) bool {
	abs, err := filepath.Abs(p)
	if err != nil {
		return true // cannot tell: refuse
	}
	dir := filepath.Dir(abs)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	for _, root := range []string{"/proc", "/dev/fd"} {
		if dir == root || strings.HasPrefix(dir, root+"/") {
			return true
		}
	}
	return false
}
