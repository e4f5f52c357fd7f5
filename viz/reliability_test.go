package viz

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// A NaN number (no slope at n = 256, nothing reported at any size) is null
// in JSON with the reason beside it, never a JSON error.
func TestSnapshotJSONWithNoneNumbers(t *testing.T) {
	for _, hash := range []string{"n=256&d=2&m=4", "n=1024&d=2&m=4&b=8&paper_b=false"} {
		a := settled(t, hash)
		s := a.Snapshot()
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("%s: %v", hash, err)
		}
		var back struct {
			Numbers map[string]*float64 `json:"numbers"`
			None    map[string]string   `json:"none"`
		}
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatalf("%s: %v", hash, err)
		}
		if v, ok := back.Numbers["scaling_slope_reported"]; !ok || v != nil {
			t.Errorf("%s: scaling_slope_reported = %v, want null", hash, v)
		}
		if why := back.None["scaling_slope_reported"]; why == "" {
			t.Errorf("%s: no reason for the missing slope", hash)
		}
		var n Numbers
		if err := json.Unmarshal(data[strings.Index(string(data), `"numbers":`)+len(`"numbers":`):], &n); err == nil {
			t.Log("numbers decoded") // the rest of the object follows; the check above is the one that matters
		}
	}
	// the round trip of the Numbers type itself
	n := Numbers{"a": 1.5, "b": math.NaN(), "c": math.Inf(1)}
	data, err := json.Marshal(n)
	if err != nil || string(data) != `{"a":1.5,"b":null,"c":null}` {
		t.Fatalf("Numbers JSON: %s, %v", data, err)
	}
	var back Numbers
	if err := json.Unmarshal(data, &back); err != nil || back["a"] != 1.5 || !math.IsNaN(back["b"]) {
		t.Fatalf("Numbers round trip: %v, %v", back, err)
	}
}

// At n = 256 the scaling panel says what it needs instead of computing
// forever.
func TestScalingPanelSaysWhatItNeeds(t *testing.T) {
	a := settled(t, "n=256&d=2&m=4")
	s := a.Scene(1280, 800)
	for _, it := range s.Items {
		if tx, ok := it.(scene.Text); ok {
			if strings.Contains(tx.S, "computing") {
				t.Errorf("settled but the scene says %q", tx.S)
			}
			if strings.Contains(tx.S, "raise n") {
				return
			}
		}
	}
	t.Error("the scaling panel does not say that it needs a larger n")
}

// A hash is a patch: the good fields are applied, every bad one is named.
func TestPatchHash(t *testing.T) {
	base := DefaultParams()
	base.M, base.Query = 16, 3
	for _, c := range []struct {
		hash    string
		check   func(Params) bool
		errHas  []string
		wantErr bool
	}{
		{"#b=0.5", func(p Params) bool { return p.B == 0.5 && !p.PaperB && p.M == 16 && p.Query == 3 }, nil, false},
		{"n=abc&d=-5&b=NaN&kind=foo", func(p Params) bool { return p == base }, []string{`n: bad value "abc"`, "d must be in 1…128", `b: bad value "NaN"`, `kind: bad value "foo"`}, true},
		{"n=abc&d=8", func(p Params) bool { return p.D == 8 && p.N == base.N }, []string{`n: bad value "abc"`}, true},
		{"m=4", func(p Params) bool { return p.M == 4 && p.Query == 3 }, nil, false},
		{"m=2", func(p Params) bool { return p.M == 2 && p.Query == 1 }, nil, false},
		{"m=4&query=9", func(p Params) bool { return p.M == 4 && p.Query < 4 }, []string{"query=9"}, true},
		{"n=1048576&d=64", func(p Params) bool { return p.N == 1048576 && p.D == base.D }, []string{"d=64", "n·d must be ≤"}, true},
		{"zoom=2&b=1", func(p Params) bool { return p.B == 1 }, []string{`unknown parameter "zoom"`}, true},
		{"b=1&b=2", func(p Params) bool { return p.B == 1 }, []string{`"b" given more than once`}, true},
		{"%zz=1&d=3", func(p Params) bool { return p.D == 3 }, []string{"not URL-encoded"}, true},
		{"", func(p Params) bool { return p == base }, nil, false},
	} {
		p, err := PatchHash(base, c.hash)
		if (err != nil) != c.wantErr {
			t.Errorf("PatchHash(%q): error %v, want error %v", c.hash, err, c.wantErr)
		}
		for _, w := range c.errHas {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("PatchHash(%q): error %v does not name %q", c.hash, err, w)
			}
		}
		if verr := p.Validate(); verr != nil {
			t.Errorf("PatchHash(%q) gave invalid parameters: %v", c.hash, verr)
		}
		if !c.check(p) {
			t.Errorf("PatchHash(%q): got %+v", c.hash, p)
		}
	}
}

// The bad inputs a user can give, through every door (URL hash, JS API
// call, desktop flags through ParseHash), are refused with a message that
// names the problem, shown where the user looks (the header: Snapshot.Error
// and the scene), and the parameters, the data and the picture stay as they
// were.
func TestBadInputsLeaveEverythingAsItWas(t *testing.T) {
	a := settled(t, "n=1024&d=2&m=8")
	a.SetPlaying(false) // the trace animation would change the tree panel
	type door int
	const (
		jsSet door = iota
		hash
	)
	for _, c := range []struct {
		via  door
		in   string
		want string
	}{
		{jsSet, `{"b": null}`, "b: null is not a value"},
		{jsSet, `{"n": null}`, "n: null"},
		{jsSet, `{"d": null}`, "d: null"},
		{jsSet, `{"sigma": 5e-324}`, "sigma must be in 0.1…10"},
		{jsSet, `{"sigma": 11}`, "sigma must be in"},
		{jsSet, `{"n": 1e300}`, "n"},
		{jsSet, `{"n": 10}`, "n must be in"},
		{jsSet, `{"n": 1048576, "d": 64}`, "n·d must be ≤"},
		{jsSet, `{"d": 0}`, "d must be in 1…128"},
		{jsSet, `{"d": 2.5}`, "d"},
		{jsSet, `{"m": 0}`, "m must be in 1…256"},
		{jsSet, `{"m": 257}`, "m must be in 1…256"},
		{jsSet, `{"b": 1e9}`, "b must be a finite number"},
		{jsSet, `{"b": "high"}`, "b"},
		{jsSet, `{"alpha": 0}`, "alpha must be an integer in 1…8"},
		{jsSet, `{"alpha": 9}`, "alpha must be an integer in 1…8"},
		{jsSet, `{"gamma": 0}`, "gamma must be in (0, 1]"},
		{jsSet, `{"gamma": 1.5}`, "gamma must be in (0, 1]"},
		{jsSet, `{"kind": "gelu"}`, `unknown attention kind "gelu"`},
		{jsSet, `{"data": "uniform"}`, `unknown data kind "uniform"`},
		{jsSet, `{"index": "lsh"}`, `unknown index "lsh"`},
		{jsSet, `{"query": 8}`, "query must be in 0…m−1"},
		{jsSet, `{"query": -1}`, "query must be in 0…m−1"},
		{jsSet, `{"speed": 0}`, "speed must be in"},
		{jsSet, `{"seed": -1}`, "seed"},
		{jsSet, `{"zoom": 2}`, `unknown parameter "zoom"`},
		{jsSet, `[1, 2]`, "patch must be a JSON object"},
		{jsSet, `"b"`, "patch must be a JSON object"},
		{jsSet, `{"b": 1`, "patch must be a JSON object"},
		{jsSet, `{"controls": "yes"}`, "controls"},
		{hash, "n=abc", `n: bad value "abc"`},
		{hash, "d=-5", "d must be in 1…128"},
		{hash, "b=NaN", `b: bad value "NaN"`},
		{hash, "b=Inf", `b: bad value "Inf"`},
		{hash, "kind=foo", `kind: bad value "foo"`},
		{hash, "m=4&query=9", "query=9"},
		{hash, "paper_b=maybe", `paper_b: bad value "maybe"`},
		{hash, "seed=-1", "seed: bad value"},
		{hash, "n=64&n=128", "given more than once"},
		{hash, "%zz", "not URL-encoded"},
		{hash, "sigma=0", "sigma must be in 0.1…10"},
	} {
		p0, hash0, builds := a.Params(), a.Snapshot().Hash, a.IndexBuilds()
		K := &a.data.K[0]
		before := a.Scene(1280, 800)
		var err error
		switch c.via {
		case jsSet:
			err = a.SetParamsJSON([]byte(c.in))
		case hash:
			var p Params
			p, err = PatchHash(a.Params(), c.in)
			if err != nil {
				a.ShowError(err.Error())
			}
			if p != p0 && !strings.Contains(c.in, "&") {
				t.Errorf("hash %q changed the parameters: %+v", c.in, p)
			}
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one naming %q", c.in, err, c.want)
			continue
		}
		a.Update(input.Input{DT: 1.0 / 60})
		if a.Params() != p0 || a.Snapshot().Hash != hash0 || a.IndexBuilds() != builds || &a.data.K[0] != K {
			t.Errorf("%q: the parameters or the data changed", c.in)
		}
		if s := a.Snapshot(); s.Busy || !strings.Contains(s.Error, c.want) {
			t.Errorf("%q: busy %v, error shown %q", c.in, s.Busy, s.Error)
		}
		// the message is in the picture, and the panels are as before
		after := a.Scene(1280, 800)
		shown := false
		for _, it := range after.Items {
			if tx, ok := it.(scene.Text); ok && strings.HasPrefix(c.in, "") && strings.Contains(err.Error(), strings.TrimSuffix(tx.S, "…")) && len(tx.S) > 12 {
				shown = true
			}
		}
		if !shown {
			t.Errorf("%q: the error is not in the scene", c.in)
		}
		if groupsDiffer(before, after, "header") {
			t.Errorf("%q: a panel changed", c.in)
		}
	}
}

// groupsDiffer reports whether any group but the header (the group at the
// top of the window, headerH tall) drew other items in b than in a.
func groupsDiffer(a, b *scene.Scene, _ string) bool {
	if len(a.Groups) != len(b.Groups) {
		return true
	}
	for i := range a.Groups {
		ga, gb := a.Groups[i], b.Groups[i]
		if ga.Y == 0 && ga.H == headerH {
			continue
		}
		if ga.X != gb.X || ga.Y != gb.Y || ga.W != gb.W || ga.H != gb.H || ga.End-ga.Start != gb.End-gb.Start {
			return true
		}
		if !reflect.DeepEqual(a.Items[ga.Start:ga.End], b.Items[gb.Start:gb.End]) {
			return true
		}
	}
	return false
}

// A panic in a compute job, in a panel's drawing or in input handling
// becomes a message on screen; the app keeps its last good state and goes
// on once the parameters change.
func TestPanicsBecomeMessages(t *testing.T) {
	a := settled(t, "n=1024&d=2&m=8")
	good := a.Snapshot().Numbers["reported_total"]
	// a compute job
	unitHook = func(k unitKind) {
		if k == uRowsHSR {
			panic("injected in a row")
		}
	}
	if err := a.SetParamsJSON([]byte(`{"b": 0.5}`)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		a.Update(input.Input{DT: 1.0 / 60})
		a.Scene(1280, 800)
	}
	unitHook = nil
	s := a.Snapshot()
	if !strings.Contains(s.Error, "internal error while computing (injected in a row)") || s.Busy {
		t.Fatalf("after a panic in a job: error %q busy %v", s.Error, s.Busy)
	}
	if s.Numbers["reported_total"] != good {
		t.Errorf("the last good numbers were lost: %v, want %v", s.Numbers["reported_total"], good)
	}
	if err := a.SetParamsJSON([]byte(`{"b": 0.6}`)); err != nil {
		t.Fatal(err)
	}
	a.Settle()
	if s := a.Snapshot(); s.Error != "" || s.Busy || s.Numbers["b"] != 0.6 {
		t.Fatalf("no recovery after the parameters changed: %q busy %v b %v", s.Error, s.Busy, s.Numbers["b"])
	}
	// a panel's drawing
	last := a.Scene(1280, 800)
	a.panels = append(a.panels, panicPanel{})
	s2 := a.Scene(1280, 800)
	if s2 != last {
		t.Error("a panel's panic did not give the last good picture")
	}
	if !strings.Contains(a.Snapshot().Error, "internal error while drawing (injected in a panel)") {
		t.Errorf("error %q", a.Snapshot().Error)
	}
	a.panels = a.panels[:len(a.panels)-1]
	a.Scene(1280, 800)
	// input handling
	a.panels = append(a.panels, panicPanel{})
	a.ui.lay = computeLayout(1280, 800, true, 0, a.panelNames())
	r := a.ui.lay.panels["boom"]
	a.Update(input.Input{DT: 0.016, Pointers: []input.Pointer{{X: r.X + 5, Y: r.Y + 5, Down: true}}})
	a.Update(input.Input{DT: 0.016, Pointers: []input.Pointer{{X: r.X + 5, Y: r.Y + 5}}})
	if !strings.Contains(a.Snapshot().Error, "internal error while handling input (injected in a click)") {
		t.Errorf("after a panic in a click: error %q", a.Snapshot().Error)
	}
}

type panicPanel struct{}

func (panicPanel) name() string                     { return "boom" }
func (panicPanel) title() string                    { return "boom" }
func (panicPanel) draw(*App, painter, rect, string) { panic("injected in a panel") }
func (panicPanel) click(a *App, x, y float32)       { panic("injected in a click") }
