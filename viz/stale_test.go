package viz

import (
	"fmt"
	"image/png"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// staleTags is the stale tags a scene drew, by the panel whose title row
// holds them (Snapshot().Panels of that scene).
func staleTags(t *testing.T, a *App, s *scene.Scene) []string {
	t.Helper()
	var out []string
	for _, it := range s.Items {
		tx, ok := it.(scene.Text)
		if !ok || !strings.HasPrefix(tx.S, "stale") {
			continue
		}
		found := false
		for _, r := range a.ui.panels {
			// in the panel, within its title row
			if tx.X >= r.X && tx.X <= r.X+r.W && tx.Y >= r.Y && tx.Y <= r.Y+7+lineHeight(sizeTitle) {
				out = append(out, r.Name)
				found = true
			}
		}
		if !found {
			t.Errorf("a stale tag %q outside every panel's title row (%v, %v)", tx.S, tx.X, tx.Y)
		}
	}
	return out
}

// checkMarks draws a frame and checks that the tags drawn are the stale
// panels of the snapshot, that the snapshot's numbers are marked stale
// exactly when they are of another n or b than the parameters shown, and
// returns the stale panels.
func checkMarks(t *testing.T, a *App, when string) []string {
	t.Helper()
	sc := a.Scene(1280, 800)
	s := a.Snapshot()
	if got := staleTags(t, a, sc); !slices.Equal(got, s.Stale) {
		t.Fatalf("%s: tags drawn on %v, snapshot says stale %v", when, got, s.Stale)
	}
	for _, name := range s.Stale {
		if slices.Contains(s.Computing, name) {
			t.Fatalf("%s: %s both stale and computing", when, name)
		}
	}
	if n, ok := s.Numbers["n"]; ok {
		old := n != float64(s.Params.N) || s.Numbers["b"] != s.Params.B
		if old != slices.Contains(s.Stale, PanelNumbers) {
			t.Fatalf("%s: numbers of n = %v, b = %v for n = %d, b = %v; stale %v", when, n, s.Numbers["b"], s.Params.N, s.Params.B, s.Stale)
		}
	}
	return s.Stale
}

func TestStaleAfterN(t *testing.T) {
	a := settled(t, "n=2048&d=3&m=8&b=0.9")
	if st := checkMarks(t, a, "settled"); st != nil {
		t.Fatalf("settled: stale %v", st)
	}
	if c := a.Snapshot().Computing; c != nil {
		t.Fatalf("settled: computing %v", c)
	}
	if err := a.SetParamsJSON([]byte(`{"n":8192}`)); err != nil {
		t.Fatal(err)
	}
	st := checkMarks(t, a, "after n")
	// The old numbers and histogram stay, marked; the trace, the rows and
	// the series of the old keys are gone (their panels compute).
	if want := []string{PanelNumbers, PanelHistogram}; !slices.Equal(st, want) {
		t.Fatalf("after n: stale %v, want %v", st, want)
	}
	// Unit by unit: a panel once current never turns stale again, and
	// the marks go when each panel is current.
	left := map[string]bool{}
	for _, name := range st {
		left[name] = true
	}
	for units := 0; ; units++ {
		done := a.Compute(0)
		now := checkMarks(t, a, "computing")
		for _, name := range now {
			if !left[name] {
				t.Fatalf("after %d units: %s stale again", units, name)
			}
		}
		for name := range left {
			if !slices.Contains(now, name) {
				delete(left, name)
			}
		}
		if done {
			break
		}
	}
	if s := a.Snapshot(); s.Stale != nil || s.Computing != nil || s.Numbers["n"] != 8192 {
		t.Fatalf("settled: stale %v, computing %v, n %v", s.Stale, s.Computing, s.Numbers["n"])
	}
}

func TestStaleOnlyWhatChanges(t *testing.T) {
	a := settled(t, "n=2048&d=2&m=8&b=0.9")
	set := func(patch string) {
		t.Helper()
		if err := a.SetParamsJSON([]byte(patch)); err != nil {
			t.Fatal(err)
		}
	}
	// The selected query: only its trace's panels.
	set(`{"query":3}`)
	if st := checkMarks(t, a, "query"); !slices.Equal(st, []string{PanelGeometry, PanelTree}) {
		t.Fatalf("after query: stale %v", st)
	}
	a.Settle()
	// b: everything that depends on it (the series too: b is fixed) ...
	set(`{"b":1.1}`)
	all := []string{PanelGeometry, PanelTree, PanelHeatmap, PanelNumbers, PanelScaling, PanelHistogram}
	if st := checkMarks(t, a, "b"); !slices.Equal(st, all) {
		t.Fatalf("after b: stale %v, want %v", st, all)
	}
	// ... and the new trace (one unit, first) makes its panels current.
	a.Compute(0)
	if st := checkMarks(t, a, "b, traced"); !slices.Equal(st, all[2:]) {
		t.Fatalf("after b and one unit: stale %v, want %v", st, all[2:])
	}
	a.Settle()
	if st := checkMarks(t, a, "b, settled"); st != nil {
		t.Fatalf("b settled: stale %v", st)
	}
	// What only changes the view marks nothing.
	for _, patch := range []string{`{"speed":20}`, `{"hist":"scores"}`, `{"hist":"counts"}`, `{"text":1.25}`} {
		set(patch)
		if st := checkMarks(t, a, patch); st != nil {
			t.Fatalf("after %s: stale %v", patch, st)
		}
	}
}

// TestStalePNG writes the picture with stale tags (b changed, the trace
// recomputed, the rows not yet) for inspection when HSRVIZ_PNG names a
// directory.
func TestStalePNG(t *testing.T) {
	dir := os.Getenv("HSRVIZ_PNG")
	if dir == "" {
		t.Skip("set HSRVIZ_PNG=/tmp to write PNGs")
	}
	a := settled(t, "n=2048&d=2&m=8&b=0.9")
	if err := a.SetParamsJSON([]byte(`{"b":1.1}`)); err != nil {
		t.Fatal(err)
	}
	a.Compute(0)
	a.Compute(0)
	for _, sz := range [][2]int{{1280, 800}, {390, 844}} {
		img := scene.Rasterize(a.Scene(sz[0], sz[1]))
		f, err := os.Create(fmt.Sprintf("%s/hsrviz_stale_%d.png", dir, sz[0]))
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, img)
		f.Close()
	}
}
