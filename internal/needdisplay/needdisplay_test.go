package needdisplay

import (
	"os"
	"strings"
	"testing"
)

func TestProblem(t *testing.T) {
	cases := []struct {
		display string
		unset   bool
		want    string // substring of the message, "" for none
	}{
		{unset: true, want: "DISPLAY is not set"},
		{display: "", want: "DISPLAY is not set"},
		{display: ":987654", want: "no X server socket /tmp/.X11-unix/X987654"},
		{display: "unix:987654.0", want: "no X server socket /tmp/.X11-unix/X987654"},
		{display: "localhost:10.0", want: ""}, // remote: left to X
		{display: ":weird", want: ""},
	}
	for _, c := range cases {
		if c.unset {
			t.Setenv("DISPLAY", "x") // restored after the test
			os.Unsetenv("DISPLAY")
		} else {
			t.Setenv("DISPLAY", c.display)
		}
		got := Problem()
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("DISPLAY=%q (unset %v): Problem() = %q, want containing %q", c.display, c.unset, got, c.want)
		}
	}
	// A local display whose socket exists.
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/X5", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	old := socketDir
	socketDir = dir
	defer func() { socketDir = old }()
	for _, d := range []string{":5", ":5.0", "unix:5"} {
		t.Setenv("DISPLAY", d)
		if got := Problem(); got != "" {
			t.Errorf("DISPLAY=%s with %s/X5 present: %q", d, dir, got)
		}
	}
	t.Setenv("DISPLAY", ":6")
	if got := Problem(); !strings.Contains(got, dir+"/X6") {
		t.Errorf("DISPLAY=:6 without its socket: %q", got)
	}
}
