package hsrattntest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteQKVSkipsNil(t *testing.T) {
	dir := t.TempDir()
	if err := WriteQKV(dir, []byte("q"), []byte("kk"), nil); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"q", "kk", ""} {
		b, err := os.ReadFile(filepath.Join(dir, Names[i]))
		if want == "" {
			if !os.IsNotExist(err) {
				t.Errorf("%s: written for a nil slice (%v)", Names[i], err)
			}
			continue
		}
		if err != nil || string(b) != want {
			t.Errorf("%s: %q %v, want %q", Names[i], b, err, want)
		}
	}
}

func TestReportedNeedsStats(t *testing.T) {
	for _, args := range [][]string{nil, {"-q", "Q.npy"}, {"-q", "Q.npy", "-stats"}} {
		if _, err := Reported("/nonexistent/hsrattn", t.TempDir(), args...); err == nil || !strings.Contains(err.Error(), "no -stats") {
			t.Errorf("%q: %v, want an error naming the missing -stats", args, err)
		}
	}
}
