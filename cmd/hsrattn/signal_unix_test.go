//go:build linux || darwin || freebsd

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBinaryInterrupt interrupts the real command while it waits for its
// input (Q is a named pipe nobody writes), after it has created its temporary
// output files: it must remove them, exit 130, and leave the directory as it
// was. The wait is on an event (the temporary files appearing), not a timer.
func TestBinaryInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(t.TempDir(), "hsrattn")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
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
		tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
		if len(tmps) == 2 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("temporary outputs never appeared: %v", tmps)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 || !strings.Contains(stderr.String(), "interrupt: nothing written") {
		t.Errorf("got %v\nstderr: %s", err, stderr.String())
	}
	if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
		t.Errorf("interrupted run changed the directory: %s", d)
	}
}
