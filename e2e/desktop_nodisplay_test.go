package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Started without a display, the desktop app says so and exits 1; it does not
// panic with Ebiten's stack trace.
func TestDesktopNoDisplay(t *testing.T) {
	bin := desktopBin(t)
	for _, disp := range []string{"", ":987654"} {
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "DISPLAY=") {
				env = append(env, kv)
			}
		}
		if disp != "" {
			env = append(env, "DISPLAY="+disp)
		}
		cmd := exec.Command(bin, "-n", "1024")
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 1 {
			t.Errorf("DISPLAY=%q: got %v, want exit status 1\n%s", disp, err, out)
		}
		if s := string(out); !strings.Contains(s, "no display") || strings.Contains(s, "panic") || strings.Contains(s, "goroutine") {
			t.Errorf("DISPLAY=%q: message %q should name the missing display and not panic", disp, s)
		}
	}
}
