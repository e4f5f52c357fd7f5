// Package cli is the desktop app's command line, apart from Ebiten so that
// it is tested without a display (Ebiten opens the display in a package
// init). Parse accepts exactly what a browser link's hash accepts, and every
// refusal names the flag and what is wrong; nothing is started before the
// whole command line is valid, outputs included (-screenshot, -state).
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/hsrviz/hsrviz/internal/npy"
	"github.com/hsrviz/hsrviz/viz"
)

// Options are the desktop app's command line: every viz.Params field as a
// flag of the same (JSON) name, -hash to start from a browser link's state,
// and the test hooks.
type Options struct {
	Params     viz.Params
	State      string // write Snapshot JSON here whenever it changes
	Screenshot string // save the screen as PNG after ExitAfter frames
	ExitAfter  int    // quit after this many frames (0: run until closed)
	Width      int
	Height     int
	// Your own tensors and the export (package viz: custom.go, export.go).
	Q, K, V    string // .npy files shown as data custom (-q -k, -v optional)
	ExportDir  string // where the export key / button writes its files
	ExportPNG  string // scripted: save the view as PNG once computed, then quit
	ExportJSON string // scripted: save the data behind it as JSON once computed, then quit
}

// paramFields lists the JSON names of viz.Params and whether each is a
// bool, from the struct itself so new fields get flags without edits here.
func paramFields() map[string]bool {
	t := reflect.TypeOf(viz.Params{})
	names := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names[name] = t.Field(i).Type.Kind() == reflect.Bool
		}
	}
	return names
}

// textFlag keeps a flag's text for viz.ParseHash to check; bool fields
// allow the bare form (-paper_b means -paper_b=true).
type textFlag struct {
	v      string
	isBool bool
}

func (f *textFlag) String() string     { return f.v }
func (f *textFlag) Set(s string) error { f.v = s; return nil }
func (f *textFlag) IsBoolFlag() bool   { return f.isBool }

// Parse parses args (without the program name). Parameter flags are
// applied on top of -hash (or the defaults) and validated by viz.ParseHash,
// so the desktop accepts exactly what a browser link accepts. -h prints the
// usage on stderr and returns flag.ErrHelp.
func Parse(args []string, stderr io.Writer) (Options, error) {
	fs := flag.NewFlagSet("hsrviz-desktop", flag.ContinueOnError)
	// Errors are returned, one line each; the usage only for -h (after a
	// bad flag it pushed the one line that matters off the screen).
	fs.SetOutput(io.Discard)
	var o Options
	hash := fs.String("hash", "", "start from a browser link's state: the part after '#' (or the whole URL)")
	fs.StringVar(&o.State, "state", "", "write the app's state (JSON snapshot) to `FILE` whenever it changes (for tests and scripts)")
	fs.StringVar(&o.Screenshot, "screenshot", "", "save the window as PNG to `FILE` once -exit-after frames are drawn and the picture is current, then quit")
	fs.IntVar(&o.ExitAfter, "exit-after", 0, "quit after `N` frames (0 = run until the window is closed)")
	fs.IntVar(&o.Width, "width", 1280, "initial window width in logical pixels")
	fs.IntVar(&o.Height, "height", 800, "initial window height in logical pixels")
	fs.StringVar(&o.Q, "q", "", "show your own queries: Q (m×d) from the .npy `FILE` (with -k; n, d, m come from the files)")
	fs.StringVar(&o.K, "k", "", "your own keys: K (n×d) from the .npy `FILE` (with -q)")
	fs.StringVar(&o.V, "v", "", "your own values: V (n×dv) from the .npy `FILE` (optional; else generated)")
	fs.StringVar(&o.ExportDir, "export-dir", "", "the export (key e, button export) writes a new folder of files in `DIR` (default: the current directory)")
	fs.StringVar(&o.ExportPNG, "export-png", "", "save the view as PNG to `FILE` once the picture is computed, then quit")
	fs.StringVar(&o.ExportJSON, "export-json", "", "save the data behind the picture as JSON to `FILE` once computed, then quit")
	def := viz.DefaultParams()
	defJSON, _ := json.Marshal(def)
	var defMap map[string]any
	_ = json.Unmarshal(defJSON, &defMap)
	vals := map[string]*textFlag{}
	for name, isBool := range paramFields() {
		vals[name] = &textFlag{v: fmt.Sprint(defMap[name]), isBool: isBool}
		fs.Var(vals[name], name, paramUsage(name))
	}
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "usage: hsrviz-desktop [flags]\n\nThe HSR sparse-attention visualizer in a window. Parameter flags have the\nsame names and ranges as the browser app's URL hash.\n\n")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
		}
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (flags start with -)", fs.Arg(0))
	}
	if o.ExitAfter < 0 {
		return o, fmt.Errorf("flag -exit-after must be ≥ 0 (got %d)", o.ExitAfter)
	}
	if o.Screenshot != "" && o.ExitAfter == 0 {
		o.ExitAfter = 30
	}
	if o.Width < 200 || o.Height < 150 || o.Width > 16384 || o.Height > 16384 {
		return o, fmt.Errorf("flags -width/-height must be in 200…16384 × 150…16384 (got %d×%d)", o.Width, o.Height)
	}
	if err := checkIO(&o); err != nil {
		return o, err
	}
	for _, f := range []struct{ name, path string }{{"screenshot", o.Screenshot}, {"state", o.State}, {"export-png", o.ExportPNG}, {"export-json", o.ExportJSON}} {
		if f.path == "" {
			continue
		}
		if err := Writable(f.path); err != nil {
			return o, fmt.Errorf("flag -%s: %v", f.name, err)
		}
	}

	h := *hash
	if i := strings.IndexByte(h, '#'); i >= 0 {
		h = h[i+1:]
	}
	if o.Q != "" {
		h = dropFileFields(h) // io.go: the files give data, n, d, m
	}
	base, err := viz.ParseHash(h)
	if err != nil {
		return o, fmt.Errorf("flag -hash: %v", err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.Q != "" && (set["n"] || set["d"]) {
		return o, fmt.Errorf("flags -n and -d cannot go with -q/-k: n and d come from the files")
	}
	if set["lesson"] {
		// The chapter's parameters first, the other flags over them (as a
		// link #lesson=id&… does).
		if base, err = viz.PatchHash(base, "lesson="+url.QueryEscape(vals["lesson"].v)); err != nil {
			return o, fmt.Errorf("flag -lesson: %v", strings.TrimPrefix(err.Error(), "hash: "))
		}
	}
	q, err := url.ParseQuery(base.Hash())
	if err != nil {
		return o, fmt.Errorf("flag -hash: %v", err)
	}
	var changed []string
	given := map[string]string{}
	for name, v := range vals {
		if set[name] {
			q.Set(name, v.v)
			given[name] = v.v
			changed = append(changed, "-"+name)
		}
	}
	// An explicit threshold means "not the paper's", unless -paper_b says
	// so; -share and -paper_b exclude each other the same way.
	for k, v := range viz.ImpliedThreshold(set, given) {
		q.Set(k, v)
	}
	p, err := viz.ParseHash(q.Encode())
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "hash: ")
		return o, fmt.Errorf("bad parameter flag: %s (flags given: %s)", msg, strings.Join(changed, " "))
	}
	o.Params = p
	return o, nil
}

// Writable checks, before the app starts, that a file can be written at
// path atomically (a temporary file beside it, renamed over it): its
// directory exists and takes a new file, and path is not something a
// rename must not replace (see npy.Destination). A -screenshot into a
// missing directory logged an error after the run and exited 0.
func Writable(path string) error {
	dest, err := npy.Destination(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(dest)
	f, err := os.CreateTemp(dir, ".hsrviz-check-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("%s: cannot write in %s: %v", path, dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// paramUsage is the -h line of a parameter flag: what it is and its range,
// from viz's own limits (the same names and ranges as the URL hash).
func paramUsage(name string) string {
	u := map[string]string{
		"n":        fmt.Sprintf("number of keys, %d to %d (n·d at most %d)", viz.MinN, viz.MaxN, viz.MaxND),
		"d":        fmt.Sprintf("dimension of queries and keys, 1 to %d", viz.MaxD),
		"m":        fmt.Sprintf("number of queries (heatmap rows), 1 to %d", viz.MaxM),
		"b":        fmt.Sprintf("ReLU threshold b in score units, |b| ≤ %g (sets -paper_b=false)", viz.MaxAbsB),
		"paper_b":  "b follows the paper's σ_s·sqrt(0.4 ln n), σ_s the measured spread of the scores",
		"share":    fmt.Sprintf("b is set so that this share of keys is reported per row, 0 (off) or up to %g (sets -paper_b=false)", viz.MaxShare),
		"tau":      "how softmax keeps keys: " + strings.Join(viz.TauNames(), ", ") + " (top r = n^γ per row, or every score ≥ b)",
		"hist":     "panel 6 shows: " + strings.Join(viz.HistNames(), ", ") + " (keys per row, or the score distribution)",
		"alpha":    fmt.Sprintf("ReLU^α exponent, 1 to %d", viz.MaxAlpha),
		"sigma":    fmt.Sprintf("entries of Q and K are N(0, σ²), 0 < σ ≤ %g", viz.MaxSigma),
		"seed":     "random seed of the data (an unsigned integer)",
		"data":     "data kind: " + strings.Join(viz.DataNames(), ", "),
		"kind":     "attention kind: " + strings.Join(viz.KindNames(), ", "),
		"gamma":    "softmax keeps the top r = n^γ keys per row (rounded), 0 < γ ≤ 1",
		"index":    "half-space reporting index: " + strings.Join(viz.IndexNames(), ", "),
		"query":    "which query row the geometry and tree panels show (0 to m−1)",
		"speed":    fmt.Sprintf("animation steps per second, %g to %g", viz.MinSpeed, viz.MaxSpeed),
		"controls": "show the control column (false: panels only, keys still work)",
		"lesson":   "open the guided lesson at this chapter id (with its parameters; other flags go over them); empty = free play",
		"panel":    "show this panel alone, filling the window: " + strings.Join(viz.PanelNames(), ", ") + "; empty = all",
		"freeze":   "ignore input but the lesson's Back/Next (for a projector or a kiosk)",
		"text":     fmt.Sprintf("text-size scale for projectors, %g to %g (1 = default sizes)", viz.MinText, viz.MaxText),
		"qvec":     "a dragged query at d = 2: i:x,y replaces row i of Q by (x, y) (\"\" = none)",
	}[name]
	if u == "" {
		u = "parameter " + name
	}
	return u
}
