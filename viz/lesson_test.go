package viz

import (
	"net/url"
	"strings"
	"testing"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/lesson"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// TestShippedChaptersValid: every chapter under assets/lessons parses, in
// the order, and its set line is valid parameters (checkChapters).
func TestShippedChaptersValid(t *testing.T) {
	chs, err := Chapters()
	if err != nil {
		t.Fatal(err)
	}
	if len(chs) < 7 {
		t.Fatalf("%d chapters, want at least 7", len(chs))
	}
	// the order the issue asks for, by the panel each points at and a word of its title
	want := []struct{ word, panel string }{
		{"attention", PanelHeatmap}, {"half-space", PanelGeometry}, {"tree", PanelTree},
		{"n^(4/5)", PanelHistogram}, {"softmax", PanelNumbers}, {"loses", PanelNumbers}, {"own data", PanelGeometry},
	}
	for i, w := range want {
		c := chs[i]
		if !strings.Contains(strings.ToLower(c.Title), w.word) || c.Panel != w.panel {
			t.Errorf("chapter %d %q (panel %s): want a title with %q and panel %s", i, c.Title, c.Panel, w.word, w.panel)
		}
		if _, err := PatchHash(DefaultParams(), c.SetString()); err != nil {
			t.Errorf("%s: %v", c.File, err)
		}
	}
}

// TestCheckChaptersNamesFileAndLine: a bad set line or panel is refused
// naming the file and the line.
func TestCheckChaptersNamesFileAndLine(t *testing.T) {
	mk := func(set, panel string) []lesson.Chapter {
		c, err := lesson.ParseChapter("05-x.txt", []byte("title: T\npanel: "+panel+"\nset: "+set+"\ntext: x\ntry: y\n"))
		if err != nil {
			t.Fatal(err)
		}
		return []lesson.Chapter{c}
	}
	for _, c := range []struct{ set, panel, want string }{
		{"d=2", "tree", ""},
		{"d=0", "tree", "lessons/05-x.txt:3: set: d=0: d must be in 1…"},
		{"dd=2", "tree", `lessons/05-x.txt:3: set: unknown parameter "dd"`},
		{"kind=cosine", "tree", "lessons/05-x.txt:3: set: kind: bad value"},
		{"d=2&lesson=attention", "tree", `lessons/05-x.txt:3: set: "lesson" is not a picture parameter`},
		{"controls=false", "tree", `lessons/05-x.txt:3: set: "controls" is not a picture parameter`},
		{"d=2", "trees", `lessons/05-x.txt:2: panel: unknown panel "trees"`},
	} {
		err := checkChapters(mk(c.set, c.panel))
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.set, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("set %q panel %q: got %v want %q", c.set, c.panel, err, c.want)
		}
	}
}

// chapterWant is what chapter c sets: its set line over the defaults,
// applied by the independent route of url.ParseQuery and setField.
func chapterWant(t *testing.T, c lesson.Chapter) Params {
	p := DefaultParams()
	vals, err := url.ParseQuery(c.SetString())
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range vals {
		if err := p.setField(k, v[0]); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := vals["b"]; ok && vals.Get("paper_b") == "" {
		p.PaperB = false
	}
	p.normalize()
	p.Lesson = c.ID
	return p
}

// TestOpenEveryChapter: opening chapter k sets what its file says, marks
// its panel in the snapshot, and draws its outline; Next and Back move by
// one; leaving keeps the picture.
func TestOpenEveryChapter(t *testing.T) {
	chs, _ := Chapters()
	a, err := NewApp(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	a.Scene(1280, 800)
	for k, c := range chs {
		if err := a.OpenLesson(k); err != nil {
			t.Fatal(err)
		}
		want := chapterWant(t, c)
		want.Controls = true
		if a.p != want {
			t.Errorf("chapter %d: params\n%+v\nwant\n%+v", k, a.p, want)
		}
		a.Scene(1280, 800)
		s := a.Snapshot()
		if s.Lesson.Current != k || s.Lesson.ID != c.ID || s.Lesson.Panel != c.Panel || s.Lesson.Count != len(chs) {
			t.Errorf("chapter %d: snapshot lesson %+v", k, s.Lesson)
		}
		if !strings.Contains(s.Hash, "lesson="+c.ID) {
			t.Errorf("chapter %d: hash %q lacks lesson=%s", k, s.Hash, c.ID)
		}
		// the marked panel has the accent outline, the others a dimming veil
		for _, pr := range s.Panels {
			if pr.Name == PanelControls {
				continue
			}
			outlined, veiled := false, false
			for _, it := range a.lastScene().Items {
				if r, ok := it.(scene.Rect); ok && r.StrokeWidth == 3 && r.Stroke == colAccent && r.X == pr.X+1.5 && r.Y == pr.Y+1.5 {
					outlined = true
				}
				if r, ok := it.(scene.Rect); ok && r.X == pr.X && r.Y == pr.Y && r.W == pr.W && r.Fill == rgba(0xF3, 0xF4, 0xF6, 0xA8) {
					veiled = true
				}
			}
			if mark := pr.Name == c.Panel; outlined != mark || veiled == mark {
				t.Errorf("chapter %d (%s): panel %s outlined=%v veiled=%v", k, c.Panel, pr.Name, outlined, veiled)
			}
		}
	}
	// Back and Next: buttons' regions from the snapshot, clicked
	click := func(name string) {
		t.Helper()
		for _, w := range a.Snapshot().Widgets {
			if w.Name == name {
				x, y := w.X+w.W/2, w.Y+w.H/2
				a.Update(input.Input{Pointers: []input.Pointer{{X: x, Y: y, Down: true}}})
				a.Update(input.Input{Pointers: []input.Pointer{{X: x, Y: y}}})
				a.Scene(1280, 800)
				return
			}
		}
		t.Fatalf("no widget %q in %v", name, a.Snapshot().Widgets)
	}
	last := len(chs) - 1
	click("lesson_back")
	if a.LessonIndex() != last-1 {
		t.Errorf("Back from %d: at %d", last, a.LessonIndex())
	}
	click("lesson_next")
	if a.LessonIndex() != last {
		t.Errorf("Next: at %d want %d", a.LessonIndex(), last)
	}
	a.Update(input.Input{Keys: []string{input.KeyPageUp, input.KeyPageUp}})
	if a.LessonIndex() != last-2 {
		t.Errorf("PageUp ×2: at %d want %d", a.LessonIndex(), last-2)
	}
	a.Update(input.Input{Keys: []string{input.KeyPageDown}})
	if a.LessonIndex() != last-1 {
		t.Errorf("PageDown: at %d want %d", a.LessonIndex(), last-1)
	}
	// change the picture inside the chapter, then leave: the picture stays
	a.Update(input.Input{Keys: []string{"]"}})
	a.Scene(1280, 800)
	before := a.p
	click("lesson_exit")
	after := a.p
	before.Lesson = ""
	if after != before || a.LessonIndex() != -1 || a.Snapshot().Lesson.Panel != "" {
		t.Errorf("leaving changed the picture:\n%+v\nwant\n%+v", after, before)
	}
	if err := a.OpenLesson(len(chs)); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("OpenLesson(N): %v", err)
	}
	if err := a.OpenLessonID("nope"); err == nil || !strings.Contains(err.Error(), `unknown chapter "nope"`) {
		t.Errorf("OpenLessonID(nope): %v", err)
	}
	if a.p != after {
		t.Error("a refused chapter changed the parameters")
	}
}

// lastScene draws the scene again (the items of the last layout).
func (a *App) lastScene() *scene.Scene { return a.Scene(a.ui.w, a.ui.h) }

// TestLessonInLinks: a link naming a chapter opens it with its
// parameters, and its other fields go over them; a full link reproduces a
// changed picture inside a chapter.
func TestLessonInLinks(t *testing.T) {
	chs, _ := Chapters()
	c := chs[3]
	p, err := ParseHash("lesson=" + c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := chapterWant(t, c); p != want {
		t.Errorf("#lesson=%s:\n%+v\nwant\n%+v", c.ID, p, want)
	}
	p2, err := ParseHash("lesson=" + c.ID + "&m=7&controls=false&panel=histogram")
	if err != nil {
		t.Fatal(err)
	}
	if p2.M != 7 || p2.Controls || p2.Panel != PanelHistogram || p2.N != p.N || p2.D != p.D {
		t.Errorf("link fields over the chapter: %+v", p2)
	}
	p2.Alpha = 3
	if back, err := ParseHash(p2.Hash()); err != nil || back != p2 {
		t.Errorf("full link round trip: %v\n%+v\n%+v", err, back, p2)
	}
	// a patch (pasted hash, JS set) opens it too
	q, err := PatchHash(DefaultParams(), "lesson="+c.ID)
	if err != nil || q != p {
		t.Errorf("PatchHash: %v %+v", err, q)
	}
	a, _ := NewApp(DefaultParams())
	if err := a.SetParamsJSON([]byte(`{"lesson":"` + c.ID + `"}`)); err != nil || a.p != p {
		t.Errorf("set({lesson}): %v %+v", err, a.p)
	}
	for _, h := range []string{"lesson=nope", "panel=nope"} {
		if _, err := ParseHash(h); err == nil || !strings.Contains(err.Error(), "unknown") {
			t.Errorf("%s: %v", h, err)
		}
	}
}

// TestPanelFlagFillsPage: panel=<name> draws that panel alone over the
// whole window; with a chapter open the card is above it.
func TestPanelFlagFillsPage(t *testing.T) {
	a := settled(t, "panel=tree&n=1024")
	a.Scene(900, 600)
	s := a.Snapshot()
	if len(s.Panels) != 1 || s.Panels[0] != (Region{Name: PanelTree, W: 900, H: 600}) {
		t.Errorf("panels %+v", s.Panels)
	}
	// no header: an error shows at the panel's foot
	a.errMsg = "something went wrong"
	found := false
	for _, it := range a.Scene(900, 600).Items {
		if tx, ok := it.(scene.Text); ok && tx.S == a.errMsg && tx.Y > 560 {
			found = true
		}
	}
	if !found {
		t.Error("panel=tree: the error is not shown")
	}
	a.errMsg = ""
	chs, _ := Chapters()
	a.OpenLesson(2)
	a.Scene(900, 600)
	s = a.Snapshot()
	c := a.ui.lesson.card
	if len(s.Panels) != 1 || s.Panels[0].Y != c.Y+c.H+gap || s.Panels[0].H != 600-s.Panels[0].Y || c.W == 0 {
		t.Errorf("with chapter %s: panels %+v card %+v", chs[2].ID, s.Panels, c)
	}
}

// TestFreezeIgnoresInput: frozen, keys, widgets and clicks change nothing;
// the lesson's Next still works.
func TestFreezeIgnoresInput(t *testing.T) {
	a := settled(t, "lesson="+LessonChapters()[0].ID+"&freeze=true")
	a.Scene(1280, 800)
	p0 := a.p
	a.Update(input.Input{Keys: []string{"]", "n", "k", "c", "l"}})
	var bw Region
	for _, w := range a.Snapshot().Widgets {
		if w.Name == "b" {
			bw = w
		}
		if w.Name == "lesson_exit" {
			t.Error("frozen: the way out is shown")
		}
	}
	a.Update(input.Input{Pointers: []input.Pointer{{X: bw.X + 5, Y: bw.Y + bw.H - 4, Down: true}}})
	a.Update(input.Input{Pointers: []input.Pointer{{X: bw.X + bw.W - 5, Y: bw.Y + bw.H - 4, Down: true}}})
	a.Update(input.Input{Pointers: []input.Pointer{{X: bw.X + bw.W - 5, Y: bw.Y + bw.H - 4}}})
	if a.p != p0 {
		t.Errorf("frozen app changed:\n%+v\n%+v", a.p, p0)
	}
	a.Update(input.Input{Keys: []string{input.KeyPageDown}})
	if a.LessonIndex() != 1 || !a.p.Freeze {
		t.Errorf("frozen PageDown: chapter %d freeze %v", a.LessonIndex(), a.p.Freeze)
	}
}

// TestGlossaryCovers: every control, panel and Numbers row (both kinds)
// has a glossary entry; the data entry names every data kind; hovering a
// widget or a Numbers row shows its entry.
func TestGlossaryCovers(t *testing.T) {
	g, err := glossarySet()
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"relu", "softmax"} {
		a := settled(t, "n=1024&m=8&kind="+kind)
		a.Scene(1280, 800)
		for _, w := range a.Snapshot().Widgets {
			if _, ok := g.Lookup(w.Name); !ok {
				t.Errorf("widget %q has no glossary entry", w.Name)
			}
		}
		for _, pn := range a.panelNames() {
			if _, ok := g.Lookup(pn); !ok {
				t.Errorf("panel %q has no glossary entry", pn)
			}
		}
		for _, l := range a.numberLines() {
			if _, ok := g.Lookup(l.label); !ok {
				t.Errorf("%s: Numbers row %q has no glossary entry", kind, l.label)
			}
		}
		// hover: a widget and a Numbers row
		for _, w := range a.Snapshot().Widgets {
			if w.Name == "alpha" {
				tip := a.Tooltip(w.X+3, w.Y+3)
				if !strings.HasPrefix(tip, "α, the ReLU^α exponent") || !strings.Contains(tip, "2410.10165") {
					t.Errorf("tooltip over alpha: %q", tip)
				}
			}
		}
		rs := a.ui.lesson.owned[PanelNumbers]
		if len(rs) == 0 {
			t.Fatal("no Numbers rows registered")
		}
		tip := a.Tooltip(rs[0].r.X+2, rs[0].r.Y+2)
		if !strings.HasPrefix(tip, "Keys reported per row") {
			t.Errorf("tooltip over the first Numbers row: %q", tip)
		}
		// and it is drawn: the scene has the entry's name as text
		a.ui.pointer, a.ui.hasPtr = input.Pointer{X: rs[0].r.X + 2, Y: rs[0].r.Y + 2}, true
		a.ui.lesson.moved = false // a pointer nobody moved shows no tooltip (Xvfb, a window opened under the mouse)
		for _, it := range a.Scene(1280, 800).Items {
			if tx, ok := it.(scene.Text); ok && tx.S == "Keys reported per row" {
				t.Error("a tooltip before the pointer moved")
			}
		}
		a.Update(input.Input{Pointers: []input.Pointer{{X: rs[0].r.X + 3, Y: rs[0].r.Y + 2}}})
		a.Update(input.Input{Pointers: []input.Pointer{{X: rs[0].r.X + 2, Y: rs[0].r.Y + 2}}})
		found := false
		for _, it := range a.Scene(1280, 800).Items {
			if tx, ok := it.(scene.Text); ok && tx.S == "Keys reported per row" {
				found = true
			}
		}
		if !found {
			t.Error("the tooltip is not drawn")
		}
	}
	e, _ := g.Lookup("data")
	for _, k := range DataNames() {
		if !strings.Contains(e.Text, k+":") {
			t.Errorf("the data entry does not explain %q", k)
		}
	}
	if e, _ := g.Lookup("hsr"); !strings.Contains(e.Name, "Half-Space Reporting") {
		t.Errorf("HSR not spelled out: %q", e.Name)
	}
}

// TestLessonFold: "Hide text" folds the card to its title row, the panels
// move up into the room, and "Show text" brings the text back.
func TestLessonFold(t *testing.T) {
	a := settled(t, "lesson="+LessonChapters()[2].ID+"&n=1024")
	a.Scene(1280, 800)
	y0, h0 := a.Snapshot().Panels[0].Y, a.ui.lesson.card.H
	click := func(name string) {
		t.Helper()
		for _, w := range a.Snapshot().Widgets {
			if w.Name == name {
				a.Update(input.Input{Pointers: []input.Pointer{{X: w.X + 4, Y: w.Y + 4, Down: true}}})
				a.Update(input.Input{Pointers: []input.Pointer{{X: w.X + 4, Y: w.Y + 4}}})
				a.Scene(1280, 800)
				return
			}
		}
		t.Fatalf("no widget %s", name)
	}
	click("lesson_fold")
	y1, h1 := a.Snapshot().Panels[0].Y, a.ui.lesson.card.H
	if !(h1 < h0/2 && y1 == y0-(h0-h1)) || a.LessonIndex() != 2 {
		t.Errorf("folded: card %v→%v, first panel y %v→%v, chapter %d", h0, h1, y0, y1, a.LessonIndex())
	}
	for _, it := range a.Scene(1280, 800).Items {
		if tx, ok := it.(scene.Text); ok && strings.HasPrefix(tx.S, "Try:") {
			t.Error("folded card still shows its text")
		}
	}
	click("lesson_fold")
	if a.ui.lesson.card.H != h0 || a.Snapshot().Panels[0].Y != y0 {
		t.Errorf("unfolded: card %v want %v", a.ui.lesson.card.H, h0)
	}
}

// TestWriteLessonPNG writes a chapter's picture for inspection when
// HSRVIZ_PNG names a directory.
func TestWriteLessonPNG(t *testing.T) {
	writePNGs(t, "hsrviz_", []pngCase{
		{"lesson_halfspace", "lesson=halfspace", 1280, 800},
		{"lesson_tree_720", "lesson=tree", 1280, 720},
		{"lesson_softmax", "lesson=softmax", 1280, 800},
		{"lesson_phone", "lesson=attention", 390, 844},
		{"panel_tree", "lesson=tree&panel=tree", 800, 600},
	}, func(a *App, c pngCase) {
		a.Scene(c.w, c.h)
		a.ui.lesson.moved = true
		if c.name == "lesson_softmax" { // a glossary tooltip over the first Numbers row
			r := a.ui.lesson.owned[PanelNumbers][0].r
			a.ui.pointer, a.ui.hasPtr = input.Pointer{X: r.X + 40, Y: r.Y + 8}, true
		}
		if c.name == "lesson_tree_720" { // and over a control
			for _, w := range a.Snapshot().Widgets {
				if w.Name == "paper_b" {
					a.ui.pointer, a.ui.hasPtr = input.Pointer{X: w.X + 30, Y: w.Y + 8}, true
				}
			}
		}
	})
}

// TestLessonSoftmaxBoundHolds: chapter 5's setting has rows whose certified
// bound (~1e-21) is below the rounding of the two outputs (~1e-16); the
// bound check allows that rounding, as the engine's tests do, and still
// holds the bound against every row's measured error.
func TestLessonSoftmaxBoundHolds(t *testing.T) {
	a := settled(t, "lesson=softmax")
	num, _ := a.numbers()
	vmax := a.data.vmax()
	tiny := 0
	for i := range a.shownRows.rows {
		r := &a.shownRows.rows[i]
		if r.bound < 1e-16*vmax {
			tiny++
		}
		if r.maxErr > r.bound+1e-13*vmax {
			t.Errorf("row %d: measured %g above the bound %g", i, r.maxErr, r.bound)
		}
	}
	if tiny == 0 {
		t.Log("no row with a bound below rounding in this setting")
	}
	if num["bound_holds"] != 1 || num["max_error"] > num["error_bound"] {
		t.Errorf("bound_holds %v: error %g, bound %g", num["bound_holds"], num["max_error"], num["error_bound"])
	}
}

// TestGlossaryTreeLegend: the tree panel's legend explains its decisions.
func TestGlossaryTreeLegend(t *testing.T) {
	a := settled(t, "n=1024")
	a.Scene(1280, 800)
	seen := map[string]bool{}
	for _, gr := range a.ui.lesson.owned[PanelTree] {
		tip := a.Tooltip(gr.r.X+gr.r.W/2, gr.r.Y+gr.r.H/2)
		if tip == "" {
			t.Errorf("legend %q: no tooltip", gr.key)
		}
		seen[gr.key] = true
	}
	for _, k := range []string{"pruned", "reported whole", "opened"} {
		if !seen[k] {
			t.Errorf("legend item %q not explained (have %v)", k, seen)
		}
	}
	if tip := a.Tooltip(0, 0); tip != "" {
		t.Errorf("tooltip at (0,0): %q", tip)
	}
}
