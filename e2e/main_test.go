package e2e

import (
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hsrviz/hsrviz/internal/wasmbuild"
	"github.com/hsrviz/hsrviz/viz"
)

var (
	workDir  string // temporary: built web dir, binaries
	shotsDir string // screenshots for people to look at
	cleanups []func()
)

func TestMain(m *testing.M) {
	var err error
	workDir, err = os.MkdirTemp("", "hsrviz-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	shotsDir = os.Getenv("HSRVIZ_SHOTS")
	if shotsDir == "" {
		shotsDir = filepath.Join(workDir, "shots")
	}
	_ = os.MkdirAll(shotsDir, 0o755)
	code := m.Run()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	if os.Getenv("HSRVIZ_SHOTS") == "" {
		os.RemoveAll(workDir)
	}
	os.Exit(code)
}

// moduleRoot is the repository root (the parent of this package).
func moduleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	return "go"
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

type once struct {
	sync.Once
	val string
	err error
}

var wasmBuild, desktopBuild once

// webDir builds the browser app into a fresh web directory: hsrviz.wasm
// from this checkout (built as `make wasm` builds it), wasm_exec.js from the toolchain, index.html from web/.
// $HSRVIZ_WEB, if set, names a directory built already (e.g. from an older
// commit, to measure before and after side by side) that is used instead.
func webDir(t *testing.T) string {
	t.Helper()
	wasmBuild.Do(func() {
		if dir := os.Getenv("HSRVIZ_WEB"); dir != "" {
			wasmBuild.val = dir
			return
		}
		dir := filepath.Join(workDir, "web")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			wasmBuild.err = err
			return
		}
		// As `make wasm` builds it (internal/wasmbuild): what users get.
		if _, err := wasmbuild.Build(wasmbuild.Options{Go: goTool(), Root: moduleRoot(), Out: filepath.Join(dir, "hsrviz.wasm"),
			Log: func(s string) { fmt.Fprintln(os.Stderr, s) }}); err != nil {
			wasmBuild.err = fmt.Errorf("building the wasm: %v", err)
			return
		}
		for src, dst := range map[string]string{
			filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"): "wasm_exec.js",
			filepath.Join(moduleRoot(), "web", "index.html"):               "index.html",
			filepath.Join(moduleRoot(), "web", "embed.html"):               "embed.html",
		} {
			data, err := os.ReadFile(src)
			if err != nil {
				wasmBuild.err = err
				return
			}
			if err := os.WriteFile(filepath.Join(dir, dst), data, 0o644); err != nil {
				wasmBuild.err = err
				return
			}
		}
		wasmBuild.val = dir
	})
	if wasmBuild.err != nil {
		t.Fatal(wasmBuild.err)
	}
	return wasmBuild.val
}

// desktopBin builds cmd/desktop (cgo, GLFW).
func desktopBin(t *testing.T) string {
	t.Helper()
	return desktopBuild.command(t, "hsrviz-desktop", "./cmd/desktop", " (needs gcc and the X11/GL headers: see .ci/run)")
}

// command builds the command pkg (a path from the module root) as
// workDir/name, once per run, and returns its path; hint follows the
// package in a build failure's message.
func (b *once) command(t *testing.T, name, pkg, hint string) string {
	t.Helper()
	b.Do(func() {
		bin := filepath.Join(workDir, name)
		cmd := exec.Command(goTool(), "build", "-o", bin, pkg)
		cmd.Dir = moduleRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("building %s%s: %v\n%s", strings.TrimPrefix(pkg, "./"), hint, err, out)
			return
		}
		b.val = bin
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.val
}

// oracle runs the engine natively on p to completion and moves the trace
// animation to step: what the app must show.
func oracle(t *testing.T, p viz.Params, step int) viz.Snapshot {
	t.Helper()
	app, err := viz.NewApp(p)
	if err != nil {
		t.Fatalf("oracle: NewApp(%+v): %v", p, err)
	}
	app.Settle()
	app.SetPlaying(false)
	app.StepAnimation(step - app.Snapshot().Step)
	s := app.Snapshot()
	if s.Step != step {
		t.Fatalf("oracle: could not move the trace to step %d (at %d of %d)", step, s.Step, s.Steps)
	}
	return s
}

// oracleFor is the oracle for what the app s shows.
func oracleFor(t *testing.T, s viz.Snapshot) viz.Snapshot {
	t.Helper()
	return oracle(t, s.Params, s.Step)
}

// timing reports whether a number is a measured time (machine-dependent).
func timing(name string) bool {
	return strings.HasSuffix(name, "_ms") || strings.Contains(name, "time") || strings.Contains(name, "frame") ||
		strings.Contains(name, "speedup") || strings.Contains(name, "ratio")
}

// compareNumbers checks every non-timing number of got against want: counts
// exactly, real numbers to 1e-9 relative (wasm and amd64 may round math
// functions differently in the last bit).
func compareNumbers(t *testing.T, what string, got, want map[string]float64) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: the oracle reports no numbers", what)
	}
	var names []string
	for k := range want {
		names = append(names, k)
	}
	sort.Strings(names)
	checked := 0
	for _, k := range names {
		if timing(k) {
			continue
		}
		w := want[k]
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: number %q missing in the app (oracle %v)", what, k, w)
			continue
		}
		checked++
		if w == math.Trunc(w) && math.Abs(w) < 1e15 && g == math.Trunc(g) {
			if g != w {
				t.Errorf("%s: %s got:%v want:%v", what, k, g, w)
			}
			continue
		}
		if math.Abs(g-w) > 1e-9*math.Max(1, math.Max(math.Abs(g), math.Abs(w))) && !(math.IsNaN(g) && math.IsNaN(w)) {
			t.Errorf("%s: %s got:%v want:%v", what, k, g, w)
		}
	}
	if checked == 0 {
		t.Errorf("%s: no engine numbers compared (all timing?): %v", what, names)
	}
}

func savePNG(t *testing.T, name string, img image.Image) string {
	t.Helper()
	path := filepath.Join(shotsDir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}
