package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tensor and export flags are checked before anything starts, each
// refusal naming the flag.
func TestIOFlags(t *testing.T) {
	dir := t.TempDir()
	q := filepath.Join(dir, "Q.npy")
	if err := os.WriteFile(q, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "plain")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string // "" = accepted
	}{
		{[]string{"-q", q, "-k", q}, ""},
		{[]string{"-q", q, "-k", q, "-v", q, "-b", "0.5", "-export-dir", dir, "-export-json", filepath.Join(dir, "d.json")}, ""},
		{[]string{"-q", q}, "-q and -k go together"},
		{[]string{"-v", q}, "-v needs -q and -k"},
		{[]string{"-q", q, "-k", filepath.Join(dir, "missing.npy")}, "flag -k"},
		{[]string{"-q", dir, "-k", q}, "not a regular file"},
		{[]string{"-q", q, "-k", q, "-n", "1024"}, "-n and -d cannot go with -q/-k"},
		{[]string{"-q", q, "-k", q, "-hash", "n=50&d=8&m=6&b=0.75&paper_b=false&data=custom&kind=softmax&query=5"}, ""},
		{[]string{"-hash", "n=50&data=custom"}, "flag -hash"},
		{[]string{"-export-dir", filepath.Join(dir, "nodir")}, "flag -export-dir"},
		{[]string{"-export-dir", file}, "not a directory"},
		{[]string{"-export-png", filepath.Join(dir, "nodir", "x.png")}, "flag -export-png"},
		{[]string{"-export-json", dir}, "flag -export-json"},
	} {
		o, err := Parse(c.args, io.Discard)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v", c.args, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		case c.want == "" && o.Q != q:
			t.Errorf("%v: -q not kept", c.args)
		case c.want == "" && len(c.args) > 4 && c.args[4] == "-hash" && (o.Params.B != 0.75 || o.Params.Kind.String() != "softmax"):
			t.Errorf("%v: the link's other fields were lost: %+v", c.args, o.Params)
		}
	}
}
