//go:build linux || darwin || freebsd

package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBinaryInterrupt signals the real command while it waits for its
// input (Q is a named pipe nobody writes), after it has created its temporary
// output files: it must remove them, exit 128+signal, and leave the
// directory as it was. SIGHUP and SIGQUIT left the temporary files behind;
// every signal that ends the command by default and can be caught is
// tried. The wait is on an event (the temporary files appearing), not a
// timer.
func TestBinaryInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := buildTool(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT} {
		dir := t.TempDir()
		if err := syscall.Mkfifo(filepath.Join(dir, "Q.npy"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "O.npy"), []byte("previous"), 0o644); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, dir)
		cmd := exec.Command(bin, "-q", "Q.npy", "-k", "K.npy", "-v", "V.npy", "-out", "O.npy", "-stats", "S.json")
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			tmps, _ := filepath.Glob(filepath.Join(dir, ".hsrattn-*.tmp"))
			if len(tmps) == 2 {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("temporary outputs never appeared: %v", tmps)
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 128+int(sig) || !strings.Contains(stderr.String(), sig.String()+": nothing written") {
			t.Errorf("%v: got %v\nstderr: %s", sig, err, stderr.String())
		}
		if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
			t.Errorf("%v: the interrupted run changed the directory: %s", sig, d)
		}
	}
}

// buildTool builds the command into a temporary directory.
func buildTool(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hsrattn")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestBinaryOutputDescriptor: run as root with stdout piped, `-out
// /dev/stdout` replaced the machine's /dev/stdout link with a regular file,
// and `-stats /dev/stderr 2>>err.log` replaced err.log. The same links,
// made inside the temporary directory (mystdout -> /proc/self/fd/1), are
// refused and left as they were, and err.log keeps its contents. Nothing
// outside the temporary directory is named.
func TestBinaryOutputDescriptor(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd here")
	}
	bin := buildTool(t)
	_, dir := fixture(t, 1)
	for _, l := range [][2]string{{"mystdout", "/proc/self/fd/1"}, {"mystderr", "/proc/self/fd/2"}, {"viafd", "mystdout"}} {
		if err := os.Symlink(l[1], filepath.Join(dir, l[0])); err != nil {
			t.Fatal(err)
		}
	}
	logPath := filepath.Join(dir, "err.log")
	if err := os.WriteFile(logPath, []byte("earlier messages\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ flag, out, want string }{
		{"-out", "mystdout", "mystdout: links to /proc/self/fd/1, an open file descriptor"},
		{"-out", "viafd", "viafd: links to /proc/self/fd/1, an open file descriptor"},
		{"-stats", "mystderr", "mystderr: links to /proc/self/fd/2, an open file descriptor"},
	} {
		before := snapshot(t, dir)
		args := []string{"-q", "Q.npy", "-k", "K.npy", "-v", "V.npy", "-out", "O.npy"}
		if c.flag == "-out" {
			args[7] = c.out
		} else {
			args = append(args, "-stats", c.out)
		}
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		var stdout bytes.Buffer
		cmd.Stdout = &stdout // a pipe
		logf, err := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = logf // 2>>err.log
		err = cmd.Run()
		logf.Close()
		after := snapshot(t, dir)
		log := after["err.log"]
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.HasPrefix(log, "earlier messages\n") || !strings.Contains(log, c.want) {
			t.Errorf("%s %s: %v\nerr.log: %s", c.flag, c.out, err, log)
		}
		delete(before, "err.log")
		delete(after, "err.log")
		if d := diffSnapshots(before, after); d != "" {
			t.Errorf("%s %s: the directory changed: %s", c.flag, c.out, d)
		}
		if err := os.WriteFile(logPath, []byte("earlier messages\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBinaryDenseReLUMemory: -dense with relu kept every reported key of
// every row for both paths, O(m·n) memory (m = n = 2^18 grew to 4.8 GB and
// beyond). With m = n = 2048 and every key reported (b far below every
// score) the peak was 213 MB (2 × 2048² keys with their weights); compared
// row by row it is about 10 MB. The peak resident size of the process is
// the measure.
func TestBinaryDenseReLUMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := buildTool(t)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(60, 61))
	const n = 2048
	f8 := layout{1, "<f8", false, false}
	writeNPY(t, filepath.Join(dir, "Q.npy"), gaussian(rng, n, 2, 1), f8)
	writeNPY(t, filepath.Join(dir, "K.npy"), gaussian(rng, n, 2, 1), f8)
	writeNPY(t, filepath.Join(dir, "V.npy"), gaussian(rng, n, 1, 1), f8)
	cmd := exec.Command(bin, "-q", "Q.npy", "-k", "K.npy", "-v", "V.npy", "-out", "O.npy", "-stats", "S.json", "-b", "-1000", "-dense")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	st := readStats(t, filepath.Join(dir, "S.json"))
	if slices.Min(st.Reported) != n || st.RowsWithDiffKeys == nil || *st.RowsWithDiffKeys != 0 || slices.Min(st.DenseReported) != n {
		t.Fatalf("every key should be reported by both paths: %v %v %v", st.Reported[:4], st.RowsWithDiffKeys, st.DenseReported[:4])
	}
	// The process's own high-water mark (VmHWM): the rusage of a child
	// also counts the parent's memory it was forked from.
	var peak struct {
		Peak     int64 `json:"memory_peak_bytes"`
		Estimate int64 `json:"memory_estimate_bytes"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "S.json"))
	if err != nil || json.Unmarshal(b, &peak) != nil {
		t.Fatalf("S.json: %v", err)
	}
	if peak.Peak == 0 {
		t.Skip("no VmHWM here")
	}
	if peak.Estimate < peak.Peak {
		t.Errorf("estimate %d MB below the measured peak %d MB", peak.Estimate>>20, peak.Peak>>20)
	}
	if peak.Peak > 80<<20 {
		t.Errorf("peak resident size %d MB, want under 80 MB (key lists row by row)", peak.Peak>>20)
	}
}
