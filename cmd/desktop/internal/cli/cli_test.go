package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/hsrviz/hsrviz/internal/needdisplay"
	"github.com/hsrviz/hsrviz/viz"
)

var update = flag.Bool("update", false, "rewrite internal/needdisplay/help.go from Parse's -h text")

// TestHelpSnapshot: without a display, -h printed "no display" and exited
// 1, because Ebiten opens the display in its init, before main. The guard
// now prints needdisplay.DesktopHelp and exits 0; this checks that text is
// exactly what Parse prints for -h (run with -update to regenerate it).
func TestHelpSnapshot(t *testing.T) {
	var stderr bytes.Buffer
	if _, err := Parse([]string{"-h"}, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	help := stderr.String()
	if *update {
		src := fmt.Sprintf("package needdisplay\n\n// DesktopHelp is cmd/desktop's -h text, printed by the guard when there is\n// no display. Generated: go test ./cmd/desktop/internal/cli -run TestHelpSnapshot -update\nconst DesktopHelp = %s\n", strconv.Quote(help))
		if err := os.WriteFile("../../../../internal/needdisplay/help.go", []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if help != needdisplay.DesktopHelp {
		t.Fatalf("needdisplay.DesktopHelp differs from Parse's -h text: run go test ./cmd/desktop/internal/cli -run TestHelpSnapshot -update\ngot:\n%s\nsnapshot:\n%s", help, needdisplay.DesktopHelp)
	}
	for _, a := range [][]string{{"-h"}, {"-n", "9", "--help"}, {"-help"}} {
		if !needdisplay.HelpRequested(a) {
			t.Errorf("%v: help not seen", a)
		}
	}
	for _, a := range [][]string{nil, {"-n", "9"}, {"--", "-h"}} {
		if needdisplay.HelpRequested(a) {
			t.Errorf("%v: help seen", a)
		}
	}
}

// TestBadFlags is the desktop part of the bad-input table: every bad
// command line is refused with a message that names the flag and what is
// wrong, before anything starts (Parse has no other effect: no file is
// created, and the usage is not dumped for a value error).
func TestBadFlags(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "file"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop", filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	in := func(p string) string { return filepath.Join(dir, p) }
	cases := []struct {
		args []string
		want []string // each must be in the message
	}{
		{[]string{"-n", "banana"}, []string{"n"}},
		{[]string{"-n", "3"}, []string{"n must"}},
		{[]string{"-n", "-5"}, []string{"n"}},
		{[]string{"-n", "1e12"}, []string{"n"}},
		{[]string{"-d", "0"}, []string{"d"}},
		{[]string{"-d", "NaN"}, []string{"d"}},
		{[]string{"-m", "0"}, []string{"m"}},
		{[]string{"-b", "NaN"}, []string{"b"}},
		{[]string{"-b", "Inf"}, []string{"b"}},
		{[]string{"-b", "1e300"}, []string{"b"}},
		{[]string{"-alpha", "0"}, []string{"alpha"}},
		{[]string{"-alpha", "1.5"}, []string{"alpha"}},
		{[]string{"-sigma", "0"}, []string{"sigma"}},
		{[]string{"-sigma", "-1"}, []string{"sigma"}},
		{[]string{"-seed", "-1"}, []string{"seed"}},
		{[]string{"-data", "zebra"}, []string{"data"}},
		{[]string{"-kind", "linear"}, []string{"kind"}},
		{[]string{"-gamma", "2"}, []string{"gamma"}},
		{[]string{"-index", "btree"}, []string{"index"}},
		{[]string{"-speed", "0"}, []string{"speed"}},
		{[]string{"-paper_b=maybe"}, []string{"paper_b"}},
		{[]string{"-controls=perhaps"}, []string{"controls"}},
		{[]string{"-query", "-1"}, []string{"query"}},
		{[]string{"-bogus"}, []string{"bogus"}},
		{[]string{"-hash", "n=1&zz=2"}, []string{"-hash"}},
		{[]string{"-hash", "%zz"}, []string{"-hash"}},
		{[]string{"stray"}, []string{"stray"}},
		{[]string{"-exit-after", "-1"}, []string{"-exit-after"}},
		{[]string{"-width", "10"}, []string{"-width"}},
		{[]string{"-height", "99999"}, []string{"-height"}},
		{[]string{"-screenshot", in("nodir/x.png")}, []string{"-screenshot", "nodir/x.png", "cannot write in", "no such file or directory"}},
		{[]string{"-screenshot", in("file/x.png")}, []string{"-screenshot", "not a directory"}},
		{[]string{"-screenshot", dir}, []string{"-screenshot", "is a directory"}},
		{[]string{"-screenshot", in("pipe")}, []string{"-screenshot", "is not a regular file"}},
		{[]string{"-screenshot", in("loop")}, []string{"-screenshot", "symbolic links"}},
		{[]string{"-state", in("nodir/s.json")}, []string{"-state", "no such file or directory"}},
		{[]string{"-state", dir}, []string{"-state", "is a directory"}},
	}
	if len(cases) < 30 {
		t.Fatalf("only %d cases", len(cases))
	}
	before, _ := os.ReadDir(dir)
	for _, c := range cases {
		var stderr bytes.Buffer
		o, err := Parse(c.args, &stderr)
		if err == nil {
			t.Errorf("%q: accepted: %+v", c.args, o)
			continue
		}
		msg := err.Error() + stderr.String()
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%q: message %q does not name %q", c.args, msg, w)
			}
		}
		if strings.Contains(stderr.String(), "-screenshot FILE") {
			t.Errorf("%q: the whole usage was printed for one bad flag", c.args)
		}
		if !reflect.DeepEqual(o.Params, viz.Params{}) && !reflect.DeepEqual(o.Params, viz.DefaultParams()) {
			t.Errorf("%q: parameters changed on a refusal: %+v", c.args, o.Params)
		}
	}
	if after, _ := os.ReadDir(dir); len(after) != len(before) {
		t.Errorf("Parse created files: %v", after)
	}
}

// TestGoodFlags: flags on top of -hash; -screenshot into a writable
// directory is accepted (and sets -exit-after).
func TestGoodFlags(t *testing.T) {
	shot := filepath.Join(t.TempDir(), "x.png")
	o, err := Parse([]string{"-hash", "https://x/#n=4096&d=2", "-d", "3", "-b", "0.5", "-screenshot", shot}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.Params.N != 4096 || o.Params.D != 3 || o.Params.B != 0.5 || o.Params.PaperB || o.ExitAfter != 30 || o.Screenshot != shot {
		t.Errorf("%+v", o)
	}
	if _, err := os.Stat(shot); !os.IsNotExist(err) {
		t.Errorf("the check left a file: %v", err)
	}
}

// TestThresholdFlags: -share, -paper_b and -b choose b as a link's hash
// does: the last one named wins over the base's, two at once are refused.
func TestThresholdFlags(t *testing.T) {
	for _, c := range []struct {
		args  []string
		paper bool
		share float64
		err   string
	}{
		{[]string{"-share", "0.05"}, false, 0.05, ""},
		{[]string{"-hash", "share=0.05", "-paper_b"}, true, 0, ""},
		{[]string{"-hash", "share=0.05", "-b", "1"}, false, 0, ""},
		{[]string{"-hash", "paper_b=false&b=1", "-share", "0.1", "-tau", "paper", "-hist", "scores"}, false, 0.1, ""},
		{[]string{"-share", "0.05", "-paper_b"}, false, 0, "share and paper_b"},
		{[]string{"-share", "2"}, false, 0, "share must be"},
		{[]string{"-tau", "top"}, false, 0, "tau"},
	} {
		o, err := Parse(c.args, &bytes.Buffer{})
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v: error %v, want one naming %q", c.args, err, c.err)
			}
			continue
		}
		if err != nil || o.Params.PaperB != c.paper || o.Params.Share != c.share {
			t.Errorf("%v: paper_b %v share %v (%v), want %v %v", c.args, o.Params.PaperB, o.Params.Share, err, c.paper, c.share)
		}
	}
}
