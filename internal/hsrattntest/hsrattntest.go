// Package hsrattntest helps tests check the apps against the command-line
// tool cmd/hsrattn: it writes the Q.npy, K.npy, V.npy files the tool reads
// and runs the tool, returning the per-row counts of keys it reports. The
// tests build the tool themselves (each its own way, once).
package hsrattntest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Names are the files WriteQKV writes into a directory, in the order Q, K, V.
var Names = [3]string{"Q.npy", "K.npy", "V.npy"}

// WriteQKV writes q, k and v (.npy bytes) into dir as Q.npy, K.npy and
// V.npy; a nil one is not written.
func WriteQKV(dir string, q, k, v []byte) error {
	for i, b := range [][]byte{q, k, v} {
		if b == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, Names[i]), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Reported runs the hsrattn binary bin in dir with args, which must hold
// "-stats FILE", and returns the per-row counts of reported keys that the
// tool wrote to FILE (relative to dir).
func Reported(bin, dir string, args ...string) ([]int, error) {
	stats := ""
	for i, a := range args[:max(len(args)-1, 0)] {
		if a == "-stats" || a == "--stats" {
			stats = args[i+1]
		}
	}
	if stats == "" {
		return nil, fmt.Errorf("hsrattn %v: no -stats file to read", args)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("hsrattn %v: %v\n%s", args, err, out)
	}
	js, err := os.ReadFile(filepath.Join(dir, stats))
	if err != nil {
		return nil, err
	}
	var st struct{ Reported []int }
	if err := json.Unmarshal(js, &st); err != nil {
		return nil, fmt.Errorf("%s: %v", stats, err)
	}
	return st.Reported, nil
}
