package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hsrviz/hsrviz/viz"
)

var xvfb struct {
	sync.Once
	display string
	err     error
}

// needTool fails the test (never skips) when a program the desktop tests
// drive is missing, saying which Debian package has it.
func needTool(t *testing.T, path, pkg string) {
	t.Helper()
	if !fileExists(path) {
		t.Fatalf("%s is missing: the desktop tests need it: apt-get install -y %s (see .ci/run)", path, pkg)
	}
}

// display starts (once) a private Xvfb server and returns its DISPLAY, so
// the tests neither need nor disturb xvfb-run's display.
func display(t *testing.T) string {
	t.Helper()
	needTool(t, "/usr/bin/Xvfb", "xvfb")
	xvfb.Do(func() {
		r, w, err := os.Pipe()
		if err != nil {
			xvfb.err = err
			return
		}
		cmd := exec.Command("/usr/bin/Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		cmd.ExtraFiles = []*os.File{w}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			xvfb.err = fmt.Errorf("starting Xvfb: %v", err)
			return
		}
		w.Close()
		cleanups = append(cleanups, func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		line := make(chan string, 1)
		go func() {
			s, _ := bufio.NewReader(r).ReadString('\n')
			line <- strings.TrimSpace(s)
		}()
		select {
		case n := <-line:
			if n == "" {
				xvfb.err = fmt.Errorf("Xvfb gave no display number: %s", stderr.String())
				return
			}
			xvfb.display = ":" + n
		case <-time.After(20 * time.Second):
			xvfb.err = fmt.Errorf("Xvfb did not start in 20 s: %s", stderr.String())
		}
	})
	if xvfb.err != nil {
		t.Fatal(xvfb.err)
	}
	return xvfb.display
}

// desktopApp is a running cmd/desktop with a -state file.
type desktopApp struct {
	t       *testing.T
	disp    string
	state   string
	cmd     *exec.Cmd
	out     *bytes.Buffer
	window  string
	exited  chan struct{}
	exitErr error
}

func startDesktop(t *testing.T, args ...string) *desktopApp {
	t.Helper()
	bin := desktopBin(t)
	disp := display(t)
	d := &desktopApp{t: t, disp: disp, state: filepath.Join(t.TempDir(), "state.json"), out: &bytes.Buffer{}, exited: make(chan struct{})}
	d.cmd = exec.Command(bin, append([]string{"-state", d.state, "-width", "1024", "-height", "700"}, args...)...)
	d.cmd.Env = append(os.Environ(), "DISPLAY="+disp)
	d.cmd.Stdout, d.cmd.Stderr = d.out, d.out
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.exitErr = d.cmd.Wait(); close(d.exited) }()
	t.Cleanup(func() {
		select {
		case <-d.exited:
		default:
			_ = d.cmd.Process.Kill()
			<-d.exited
		}
	})
	return d
}

func (d *desktopApp) x(args ...string) string {
	d.t.Helper()
	needTool(d.t, "/usr/bin/xdotool", "xdotool")
	cmd := exec.Command("/usr/bin/xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+d.disp)
	out, err := cmd.CombinedOutput()
	if err != nil {
		d.t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// waitState polls the state file until the app is ready, idle and cond holds.
func (d *desktopApp) waitState(what string, cond func(viz.Snapshot) bool) viz.Snapshot {
	d.t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	var s viz.Snapshot
	for time.Now().Before(deadline) {
		select {
		case <-d.exited:
			d.t.Fatalf("the desktop app exited (%v) before %s:\n%s", d.exitErr, what, d.out)
		default:
		}
		if data, err := os.ReadFile(d.state); err == nil {
			s = viz.Snapshot{}
			if err := json.Unmarshal(data, &s); err != nil {
				d.t.Fatalf("the state file is not a snapshot (was it written atomically?): %v", err)
			}
			if s.Ready && !s.Busy && cond(s) {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	d.t.Fatalf("timed out waiting for %s; last state ready=%v busy=%v step=%d playing=%v; output:\n%s", what, s.Ready, s.Busy, s.Step, s.Playing, d.out)
	return s
}

func (d *desktopApp) findWindow() string {
	d.t.Helper()
	if d.window == "" {
		d.window = strings.Fields(d.x("search", "--sync", "--name", "hsrviz"))[0]
	}
	return d.window
}

// shot captures the app's window with ImageMagick (the real X pixels).
func (d *desktopApp) shot(name string) string {
	d.t.Helper()
	needTool(d.t, "/usr/bin/import", "imagemagick")
	path := filepath.Join(d.t.TempDir(), "shot.png")
	if name != "" {
		path = filepath.Join(shotsDir, name)
	}
	cmd := exec.Command("/usr/bin/import", "-window", d.findWindow(), "png:"+path)
	cmd.Env = append(os.Environ(), "DISPLAY="+d.disp)
	if out, err := cmd.CombinedOutput(); err != nil {
		d.t.Fatalf("import: %v\n%s", err, out)
	}
	if name != "" {
		d.t.Logf("screenshot: %s", path)
	}
	return path
}

// key presses a key in the window for real (focus, key-down, key-up) and
// holds it until the state file shows the effect or 10 s pass, since Ebiten
// polls the keyboard once per tick and a loaded machine ticks slowly.
func (d *desktopApp) key(name string, effect func(viz.Snapshot) bool) {
	d.t.Helper()
	w := d.findWindow()
	d.x("mousemove", "--window", w, "3", "3")
	d.x("windowfocus", w)
	d.x("keydown", name)
	time.Sleep(200 * time.Millisecond)
	deadline := time.Now().Add(10 * time.Second)
	seen := false
	for !seen && time.Now().Before(deadline) {
		if data, err := os.ReadFile(d.state); err == nil {
			var s viz.Snapshot
			seen = json.Unmarshal(data, &s) == nil && effect(s)
		}
		time.Sleep(30 * time.Millisecond)
	}
	d.x("keyup", name)
	if !seen {
		d.t.Fatalf("key %s: no effect in the state file within 10 s", name)
	}
}

func TestDesktopDrawsAndReactsToKeys(t *testing.T) {
	d := startDesktop(t, "-n", "2048", "-d", "2", "-seed", "7")
	s := d.waitState("the first full picture", func(viz.Snapshot) bool { return true })
	if s.Params.N != 2048 || s.Params.D != 2 || s.Params.Seed != 7 {
		t.Errorf("flags not applied: %+v", s.Params)
	}
	compareNumbers(t, "desktop", s.Numbers, oracleFor(t, s).Numbers)
	time.Sleep(300 * time.Millisecond)
	img := readPNG(t, d.shot("desktop-d2.png"))
	if b := img.Bounds(); b.Dx() < 1000 || b.Dy() < 680 {
		t.Errorf("window is %v, want about 1024×700", b)
	}
	checkDrawn(t, "desktop", img, s.Panels, 1)

	// Space toggles playing.
	d.key("space", func(x viz.Snapshot) bool { return x.Playing != s.Playing })
	s1 := d.waitState("space to toggle playing", func(x viz.Snapshot) bool { return x.Playing != s.Playing })
	if s1.Playing {
		d.key("space", func(x viz.Snapshot) bool { return !x.Playing })
		s1 = d.waitState("space to pause", func(x viz.Snapshot) bool { return !x.Playing })
	}
	// Paused: → steps the trace and the picture follows.
	time.Sleep(300 * time.Millisecond)
	mask := readPNG(t, d.shot(""))
	time.Sleep(300 * time.Millisecond)
	before := readPNG(t, d.shot(""))
	s1 = d.waitState("paused", func(viz.Snapshot) bool { return true })
	d.key("Right", func(x viz.Snapshot) bool { return x.Step != s1.Step })
	s2 := d.waitState("→ to step the trace", func(x viz.Snapshot) bool { return x.Step != s1.Step })
	if s2.Playing {
		t.Error("stepping started the animation")
	}
	time.Sleep(300 * time.Millisecond)
	after := readPNG(t, d.shot("desktop-step.png"))
	if n := changed(mask, before, after, allPanels(s2)); n < 20 {
		t.Errorf("the window's picture did not change after → (%d pixels)", n)
	}
}

func TestDesktopD64(t *testing.T) {
	// A browser link's state, with one flag on top of it.
	d := startDesktop(t, "-hash", "http://127.0.0.1:8080/#n=4096&d=64&m=32&seed=9&data=gaussian", "-m", "24")
	s := d.waitState("the first full picture", func(viz.Snapshot) bool { return true })
	if s.Params.N != 4096 || s.Params.D != 64 || s.Params.Seed != 9 || s.Params.M != 24 {
		t.Errorf("-hash then -m not applied: %+v", s.Params)
	}
	compareNumbers(t, "desktop d=64", s.Numbers, oracleFor(t, s).Numbers)
	time.Sleep(300 * time.Millisecond)
	checkDrawn(t, "desktop d=64", readPNG(t, d.shot("desktop-d64.png")), s.Panels, 1)
}

func TestDesktopBadFlags(t *testing.T) {
	bin := desktopBin(t)
	disp := display(t)
	for _, c := range []struct {
		args []string
		want string // the message must name this
	}{
		{[]string{"-n", "banana"}, "n"},
		{[]string{"-n", "3"}, "n must"},
		{[]string{"-data", "zebra"}, "data"},
		{[]string{"-alpha", "0"}, "alpha"},
		{[]string{"-bogus"}, "bogus"},
		{[]string{"-hash", "n=1&zz=2"}, "-hash"},
		{[]string{"stray"}, "stray"},
	} {
		cmd := exec.Command(bin, c.args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+disp)
		out, err := cmd.CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 2 {
			t.Errorf("%v: got %v, want exit status 2\n%s", c.args, err, out)
			continue
		}
		if !strings.Contains(string(out), c.want) {
			t.Errorf("%v: message %q does not name %q", c.args, out, c.want)
		}
	}
}

// TestDesktopIdle: idle means idle on the desktop too. Paused and
// computed, with no input, the app draws no frame (Ebiten waits for window
// events instead of drawing 60 times a second); a key press draws again.
// The state file says when the app has gone to sleep ("asleep") and, while
// frames are drawn, refreshes their count every half second.
func TestDesktopIdle(t *testing.T) {
	d := startDesktop(t, "-n", "2048", "-d", "2")
	s := d.waitState("the first full picture", func(viz.Snapshot) bool { return true })
	if s.Playing {
		d.key("space", func(x viz.Snapshot) bool { return !x.Playing })
	}
	d.waitState("paused", func(x viz.Snapshot) bool { return !x.Playing })
	c0 := d.waitAsleep("paused and computed")
	// Absence can only be watched for a while: a second, in which the app
	// drawing every frame would draw about 60 and write their count twice.
	time.Sleep(time.Second)
	if c1 := d.waitAsleep("still paused"); c1 != c0 {
		t.Errorf("asleep, the desktop app drew %d frames in a second", c1-c0)
	}
	s = d.waitState("asleep", func(viz.Snapshot) bool { return true })
	d.key("Right", func(x viz.Snapshot) bool { return x.Step != s.Step })
	s2 := d.waitState("→ to step the trace while asleep", func(x viz.Snapshot) bool { return x.Step != s.Step })
	if s2.Frame.Count <= c0 {
		t.Errorf("→ changed the step but no frame was drawn (%d → %d)", c0, s2.Frame.Count)
	}
	d.waitAsleep("after →")
}

// waitAsleep waits until the state file says the app draws no frames, and
// returns the number of frames it drew.
func (d *desktopApp) waitAsleep(what string) int {
	d.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var st struct {
			viz.Snapshot
			Asleep bool `json:"asleep"`
		}
		if data, err := os.ReadFile(d.state); err == nil && json.Unmarshal(data, &st) == nil && st.Asleep {
			return st.Frame.Count
		}
		time.Sleep(30 * time.Millisecond)
	}
	d.t.Fatalf("%s: the desktop app did not go to sleep within 30 s", what)
	return 0
}
