package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// Every test here works in t.TempDir() only: links point at files, links
// and pipes inside it.

// fixture writes Q (4×8), K (20×8) and V (20×3) into a new temporary
// directory, makes it the working directory, and returns the base command
// line (relative names) and the directory.
func fixture(t *testing.T, scale float64) ([]string, string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(50, 51))
	dir := t.TempDir()
	f8 := layout{1, "<f8", false, false}
	writeNPY(t, filepath.Join(dir, "Q.npy"), gaussian(rng, 4, 8, scale), f8)
	writeNPY(t, filepath.Join(dir, "K.npy"), gaussian(rng, 20, 8, scale), f8)
	writeNPY(t, filepath.Join(dir, "V.npy"), gaussian(rng, 20, 3, 1), f8)
	t.Chdir(dir)
	return []string{"-q", "Q.npy", "-k", "K.npy", "-v", "V.npy"}, dir
}

// refused runs the tool, wants exit status code and every string of want
// on stderr, nothing on stdout, and the directory exactly as before.
func refused(t *testing.T, dir string, code int, want []string, args ...string) string {
	t.Helper()
	before := snapshot(t, dir)
	got, stdout, stderr := runTool(args...)
	if got != code || stdout != "" {
		t.Errorf("hsrattn %s\n exit %d (want %d)\n stdout: %q\n stderr: %s", strings.Join(args, " "), got, code, stdout, stderr)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("hsrattn %s\n stderr: %s\n want: %s", strings.Join(args, " "), stderr, w)
		}
	}
	if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
		t.Errorf("hsrattn %s: the directory changed: %s", strings.Join(args, " "), d)
	}
	return stderr
}

// TestOutputLinks: an output that is a link whose target cannot be
// examined (a loop, a path through a regular file) was taken for a dangling
// link and the link itself replaced; a link to a named pipe is not a file
// to replace. Each is refused, naming the problem, and left as it was. A
// link to a regular file is written through (the link kept), and a truly
// dangling link is replaced by the output.
func TestOutputLinks(t *testing.T) {
	base, dir := fixture(t, 1)
	for _, l := range [][2]string{{"loop1", "loop2"}, {"loop2", "loop1"}, {"through", "Q.npy/x"}, {"topipe", "pipe"}, {"tolink", "topipe"}} {
		if err := os.Symlink(l[1], filepath.Join(dir, l[0])); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		out, want string
	}{
		{"loop1", "loop1: more than 40 symbolic links"},
		{"through", "through: a symbolic link to Q.npy/x, which cannot be examined: not a directory"},
		{"topipe", "topipe (a symbolic link to pipe): is not a regular file (p---------)"},
		{"tolink", "tolink (a symbolic link to pipe): is not a regular file"},
		{"pipe", "pipe: is not a regular file"},
	} {
		refused(t, dir, 1, []string{c.want, "nothing written"}, append(base, "-out", c.out)...)
		refused(t, dir, 1, []string{c.want}, append(base, "-out", "O.npy", "-stats", c.out)...)
	}

	// Through a link to a regular file: the file is replaced, the link kept.
	if err := os.WriteFile(filepath.Join(dir, "real.npy"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.npy", filepath.Join(dir, "tofile")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runTool(append(base, "-out", "tofile")...); code != 0 {
		t.Fatalf("through a link: exit %d: %s", code, stderr)
	}
	if target, err := os.Readlink(filepath.Join(dir, "tofile")); err != nil || target != "real.npy" {
		t.Errorf("the link was not kept: %q %v", target, err)
	}
	readOut(t, filepath.Join(dir, "real.npy"))
	// A dangling link (its target's directory exists, the name does not).
	if err := os.Symlink("missing.npy", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runTool(append(base, "-out", "dangling")...); code != 0 {
		t.Fatalf("dangling link: exit %d: %s", code, stderr)
	}
	readOut(t, filepath.Join(dir, "dangling"))
}

// TestOutputIsInput: -out or -stats naming an input, directly, through a
// symbolic link or a hard link, overwrote it. Refused (a usage error), the
// input untouched.
func TestOutputIsInput(t *testing.T) {
	base, dir := fixture(t, 1)
	if err := os.Symlink("V.npy", filepath.Join(dir, "vlink")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(dir, "K.npy"), filepath.Join(dir, "khard")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-out", "Q.npy"}, "the output Q.npy is the input -q Q.npy (the same file)"},
		{[]string{"-out", "./Q.npy"}, "the output ./Q.npy is the input -q Q.npy"},
		{[]string{"-out", "O.npy", "-stats", "K.npy"}, "the output K.npy is the input -k K.npy"},
		{[]string{"-out", "vlink"}, "the output vlink is the input -v V.npy"},
		{[]string{"-out", "khard"}, "the output khard is the input -k K.npy"},
		{[]string{"-out", filepath.Join(dir, "Q.npy")}, "is the input -q Q.npy"},
	} {
		refused(t, dir, 2, []string{c.want}, append(slices.Clone(base), c.args...)...)
	}
}

// TestNonFiniteScores: Q and K entries ×1e160 make every score NaN or
// ±Inf; hsrattn exited 0 with all-zero output and a "certified" bound
// (relu, softmax -tau), kept 0 keys (softmax -topr) or failed on
// "json: unsupported value: +Inf" (×1e300 with -stats). Each path now
// refuses, naming the query row and the key.
func TestNonFiniteScores(t *testing.T) {
	for _, scale := range []float64{1e160, 1e300} {
		base, dir := fixture(t, scale)
		out := append(slices.Clone(base), "-out", "O.npy", "-stats", "S.json")
		for _, extra := range [][]string{
			nil, {"-b", "3"}, {"-dense"}, {"-index", "tree"}, {"-index", "scan"}, {"-alpha", "2", "-causal=false"},
			{"-kind", "softmax", "-tau", "-1"}, {"-kind", "softmax", "-topr", "8"},
			{"-kind", "softmax", "-topr", "8", "-dense"}, {"-kind", "softmax", "-gamma", "0.5"}, {"-kind", "softmax"},
		} {
			refused(t, dir, 1, []string{"hsrattn: attention: the score of query row 0 and key ", "rescale Q and K", "nothing written"},
				append(slices.Clone(out), extra...)...)
		}
	}
}

// rawHeader is a version 1.0 .npy preamble and header with the given dict.
func rawHeader(dict string) []byte {
	for (10+len(dict)+1)%64 != 0 {
		dict += " "
	}
	dict += "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), 0, 0)
	binary.LittleEndian.PutUint16(b[8:], uint16(len(dict)))
	return append(b, dict...)
}

// sparseNPY writes a .npy file of the given descr and shape whose data is
// a hole: the file has its full length but takes no space.
func sparseNPY(t *testing.T, path, descr string, rows, cols, itemSize int) {
	t.Helper()
	h := rawHeader(fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", descr, rows, cols))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(h); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(int64(len(h)) + int64(rows)*int64(cols)*int64(itemSize)); err != nil {
		t.Fatal(err)
	}
}

// setMemory makes the tool see a machine with the given bytes available.
func setMemory(t *testing.T, bytes int64) {
	old := availableMemory
	availableMemory = func() (int64, bool) { return bytes, true }
	t.Cleanup(func() { availableMemory = old })
}

// TestMemoryRefusedFromHeaders: a 4 GiB sparse bool K of shape (2^26, 64)
// (32 GiB as float64) on a 24 GiB machine ended in "fatal error: runtime:
// out of memory", and a header claiming as much over a pipe grew memory
// while data came. Both are refused from the headers, the estimate and the
// memory available in the message, before any data is read.
func TestMemoryRefusedFromHeaders(t *testing.T) {
	setMemory(t, 24<<30)
	base, dir := fixture(t, 1)
	q64 := gaussian(rand.New(rand.NewPCG(1, 1)), 2, 64, 1)
	writeNPY(t, filepath.Join(dir, "Q64.npy"), q64, layout{1, "<f8", false, false})
	sparseNPY(t, filepath.Join(dir, "Kbig.npy"), "|b1", 1<<26, 64, 1)
	sparseNPY(t, filepath.Join(dir, "Vbig.npy"), "|b1", 1<<26, 1, 1)
	want := []string{"this run needs about ", "K 34.4 GB", "more than the 25.8 GB available on this machine", "no data was read"}
	refused(t, dir, 1, want, "-q", "Q64.npy", "-k", "Kbig.npy", "-v", "Vbig.npy", "-out", "O.npy", "-stats", "S.json")
	_ = base

	// The same shape announced over a named pipe, followed by 1 MiB of
	// data: refused from the header (before, it was read until the pipe
	// closed and then called truncated).
	fifo := filepath.Join(dir, "Kpipe.npy")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			done <- err
			return
		}
		defer w.Close()
		_, err = w.Write(rawHeader("{'descr': '|b1', 'fortran_order': False, 'shape': (67108864, 64), }"))
		if err == nil {
			_, err = w.Write(make([]byte, 1<<20)) // ends with EPIPE once the reader gives up
		}
		done <- err
	}()
	refused(t, dir, 1, []string{"this run needs about ", "K 34.4 GB", "the raw data of a pipe 4.29 GB"},
		"-q", "Q64.npy", "-k", "Kpipe.npy", "-v", "Vbig.npy", "-out", "O.npy")
	if err := <-done; err != nil && !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("pipe writer: %v", err)
	}

	// A small machine: a run that fits 24 GiB is refused on 50 MB.
	setMemory(t, 50e6)
	refused(t, dir, 1, []string{"this run needs about ", "more than the 50 MB available"}, append(base, "-out", "O.npy")...)
}

// TestShapesBeforeData: the shapes were checked only after all three
// files were decoded (a wrong-d Q of 256 MiB took 28 s and 2 GB before the
// message). Q here has the wrong d and a NaN in its data: the shape is
// what is reported, so the data was never read.
func TestShapesBeforeData(t *testing.T) {
	base, dir := fixture(t, 1)
	bad := gaussian(rand.New(rand.NewPCG(2, 2)), 3, 7, 1)
	bad[0][0] = 0
	b := encodeNPY(t, bad, layout{1, "<f8", false, false})
	copy(b[len(b)-3*7*8:], []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f}) // NaN at (0, 0)
	if err := os.WriteFile(filepath.Join(dir, "Q7nan.npy"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	refused(t, dir, 1, []string{"K.npy has 8 columns but Q7nan.npy has 7 columns"}, "-q", "Q7nan.npy", "-k", "K.npy", "-v", "V.npy", "-out", "O.npy")
	refused(t, dir, 1, []string{"Q7nan.npy: non-finite value NaN at row 0, column 0"}, "-q", "Q7nan.npy", "-k", "Q7nan.npy", "-v", "Q7nan.npy", "-out", "O.npy")
	_ = base
}

// TestCommitKeepsOldFiles: when the second rename failed, the first
// output, already renamed, was deleted: the user's old O.npy was gone.
// Both old files must be as they were, and no temporary file left.
func TestCommitKeepsOldFiles(t *testing.T) {
	base, dir := fixture(t, 1)
	calls := 0
	old := rename
	rename = func(from, to string) error {
		calls++
		if calls == 2 {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: syscall.EXDEV}
		}
		return os.Rename(from, to)
	}
	t.Cleanup(func() { rename = old })
	// Old outputs present: both kept.
	for _, f := range []string{"O.npy", "S.json"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("previous "+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	refused(t, dir, 1, []string{"S.json: rename", "the outputs were left as they were", "nothing written"},
		append(slices.Clone(base), "-out", "O.npy", "-stats", "S.json")...)
	// No old outputs: neither is created.
	os.Remove(filepath.Join(dir, "O.npy"))
	os.Remove(filepath.Join(dir, "S.json"))
	calls = 0
	refused(t, dir, 1, []string{"the outputs were left as they were"}, append(slices.Clone(base), "-out", "O.npy", "-stats", "S.json")...)
}

// TestLongNames: an output name of 240-255 bytes was refused as "file
// name too long" blaming the directory (the temporary name added 16
// bytes); a longer one is refused naming the file.
func TestLongNames(t *testing.T) {
	base, dir := fixture(t, 1)
	for _, n := range []int{240, 250, 255} {
		name := strings.Repeat("o", n-4) + ".npy"
		code, _, stderr := runTool(append(slices.Clone(base), "-out", name, "-stats", strings.Repeat("s", n-5)+".json")...)
		if code != 0 {
			t.Fatalf("%d-byte names: exit %d: %s", n, code, stderr)
		}
		readOut(t, filepath.Join(dir, name))
	}
	long := strings.Repeat("x", 300)
	stderr := refused(t, dir, 1, []string{long + ": file name too long"}, append(slices.Clone(base), "-out", long)...)
	if strings.Contains(stderr, "cannot write in") {
		t.Errorf("the message blames the directory: %s", stderr)
	}
}

// TestHeaderMessagesCut: a 1 MiB header was echoed whole in the message
// (1-2 MB of stderr); each message stays short and names the file.
func TestHeaderMessagesCut(t *testing.T) {
	_, dir := fixture(t, 1)
	huge := strings.Repeat("A", 1<<20-200)
	for name, dict := range map[string]string{
		"descr.npy":  "{'descr': '<f" + huge + "', 'fortran_order': False, 'shape': (1, 8), }",
		"key.npy":    "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 8), '" + huge + "': 1}",
		"name.npy":   "{'descr': '<f8', 'fortran_order': " + huge + ", 'shape': (1, 8), }",
		"shape.npy":  "{'descr': '<f8', 'fortran_order': False, 'shape': (" + strings.Repeat("1, ", 300000) + "), }",
		"digits.npy": "{'descr': '<f8', 'fortran_order': False, 'shape': (" + strings.Repeat("9", 1<<19) + ", 8), }",
	} {
		h := append([]byte("\x93NUMPY\x02\x00"), 0, 0, 0, 0)
		binary.LittleEndian.PutUint32(h[8:], uint32(len(dict)+1))
		h = append(append(h, dict...), '\n')
		if err := os.WriteFile(filepath.Join(dir, name), h, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, stderr := runTool("-q", name, "-k", "K.npy", "-v", "V.npy", "-out", "O.npy")
		if len(stderr) > 600 || !strings.Contains(stderr, name+": ") {
			t.Errorf("%s: %d bytes of stderr: %.600s", name, len(stderr), stderr)
		}
	}
}

// TestDenseSoftmaxWithoutThreshold: -kind softmax without -tau, -topr or
// -gamma was refused; a user asking for softmax expects the plain softmax.
// It equals NumPy's, every key is used, the bound is 0, and the summary
// says so.
func TestDenseSoftmaxWithoutThreshold(t *testing.T) {
	dir := t.TempDir()
	op, sp := filepath.Join(dir, "O.npy"), filepath.Join(dir, "S.json")
	code, stdout, stderr := runTool("-q", "testdata/q_v3_bef4_F.npy", "-k", "testdata/k_v2_lei2_C.npy", "-v", "testdata/v_v1_lef8_C.npy",
		"-out", op, "-stats", sp, "-kind", "softmax", "-dense")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ones := make(matrix, 6)
	for i := range ones {
		ones[i] = []float64{1, 1, 1}
	}
	checkClose(t, "dense softmax vs NumPy", readOut(t, op), readOut(t, "testdata/want_softmax_dense.npy"), ones, 1e-12)
	st := readStats(t, sp)
	if slices.Min(st.Reported) != 50 || slices.Max(st.ErrorBound) != 0 || st.Threshold != nil || st.Params["threshold"] == nil {
		t.Errorf("stats: reported %v bound %v threshold %v params %v", st.Reported, st.ErrorBound, st.Threshold, st.Params)
	}
	if !strings.Contains(stdout, "softmax, dense (no -tau, -topr or -gamma given: every key, bound 0)") || !strings.Contains(stdout, "300 of 300 keys used") {
		t.Errorf("summary: %s", stdout)
	}
}

// TestStdStreamOutput: an output that is the command's own standard error
// (a file the shell appends to) would be replaced. In-process, the test
// binary's stderr is whatever go test gave it, so only the refusal path
// with a file of our own is checked here: stderr redirected to a file in
// the temporary directory, named again as -stats.
func TestStdStreamOutput(t *testing.T) {
	base, dir := fixture(t, 1)
	f, err := os.OpenFile(filepath.Join(dir, "err.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("earlier messages\n"); err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = f
	defer func() { os.Stderr = old }()
	var errb bytes.Buffer
	code := run(append(slices.Clone(base), "-out", "O.npy", "-stats", "err.log"), &bytes.Buffer{}, &errb)
	os.Stderr = old
	if code != 2 || !strings.Contains(errb.String(), "the output err.log is this command's standard error") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "err.log")); string(b) != "earlier messages\n" {
		t.Errorf("err.log now holds %q", b)
	}
}
