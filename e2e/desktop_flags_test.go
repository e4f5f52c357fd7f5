package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDesktopHelpAndScreenshotPath: -h without a display printed "no
// display" and exited 1 (help needs no display); -screenshot into a
// missing directory logged an error after the run and exited 0. Now -h
// prints the same usage with and without a display and exits 0, and the
// bad path is refused at start (exit 2) naming the flag and the directory.
func TestDesktopHelpAndScreenshotPath(t *testing.T) {
	bin := desktopBin(t)
	disp := display(t)
	help := func(env ...string) string {
		t.Helper()
		cmd := exec.Command(bin, "-h")
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "usage: hsrviz-desktop") {
			t.Fatalf("-h (env %v): %v\n%s", env, err, out)
		}
		return string(out)
	}
	var noDisplay []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "DISPLAY=") {
			noDisplay = append(noDisplay, e)
		}
	}
	// With a display, X libraries may log a line or two before it.
	if a, b := help(noDisplay...), help(append(noDisplay, "DISPLAY="+disp)...); !strings.HasPrefix(a, "usage: ") || !strings.Contains(b, a) {
		t.Errorf("-h differs without a display:\n%s\nwith one:\n%s", a, b)
	}

	shot := filepath.Join(t.TempDir(), "nodir", "x.png")
	cmd := exec.Command(bin, "-screenshot", shot, "-exit-after", "1")
	cmd.Env = append(noDisplay, "DISPLAY="+disp)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 ||
		!strings.Contains(string(out), "flag -screenshot: "+shot+": cannot write in "+filepath.Dir(shot)+": no such file or directory") {
		t.Errorf("-screenshot %s: %v\n%s", shot, err, out)
	}
}
