package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hsrviz/hsrviz/viz"
	"github.com/hsrviz/hsrviz/viz/lesson"
)

// lessonInfo is hsrviz.lesson()'s answer.
type lessonInfo struct {
	Chapters []viz.ChapterInfo `json:"chapters"`
	Current  int               `json:"current"`
}

func (p *page) lesson(args string) lessonInfo {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](`(() => { const r = hsrviz.lesson(`+args+`); return typeof r === "string" ? {error: r} : r; })()`))
	if err != nil {
		p.t.Fatalf("hsrviz.lesson(%s): %v", args, err)
	}
	var r struct {
		lessonInfo
		Error string `json:"error"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		p.t.Fatal(err)
	}
	if r.Error != "" {
		p.t.Fatalf("hsrviz.lesson(%s): %s", args, r.Error)
	}
	return r.lessonInfo
}

// derivedB makes want's b the app's when the chapter does not set b itself:
// then b is derived (the paper's b, or a share of keys), and the app may
// measure it from the data once the data exists.
func derivedB(c lesson.Chapter, want *viz.Params, got viz.Params) {
	for _, f := range c.Set {
		if f.Key == "b" {
			return
		}
	}
	want.B = got.B
}

// waitDrawn waits until the app has drawn k more frames.
func (p *page) waitDrawn(k int) {
	p.t.Helper()
	f0 := p.appFrames()
	p.waitJS(fmt.Sprintf("%d more frames", k), fmt.Sprintf(`hsrviz.metrics().frames >= %v`, f0+float64(k)))
}

// TestBrowserLesson walks every chapter through hsrviz.lesson(k): each
// sets the parameters its file says (the native app's own reading of the
// link #lesson=id), puts lesson=id in the address, and outlines its panel
// in the accent colour on screen (pixels), the others not. Then one click
// on Next, the API's refusals, and leaving the lesson keeps the picture.
func TestBrowserLesson(t *testing.T) {
	p := openPage(t, "n=1024")
	info := p.lesson("")
	if info.Current != -1 || len(info.Chapters) != len(viz.LessonChapters()) || len(info.Chapters) < 7 {
		t.Fatalf("hsrviz.lesson() = %+v", info)
	}
	chs, err := viz.Chapters()
	if err != nil {
		t.Fatal(err)
	}
	for k, c := range chs {
		if got := p.lesson(fmt.Sprint(k)); got.Current != k {
			t.Fatalf("hsrviz.lesson(%d).current = %d", k, got.Current)
		}
		p.waitJS("the chapter in the address", fmt.Sprintf(`location.hash.includes("lesson=%s")`, c.ID))
		p.waitDrawn(2)
		s := p.snapshot()
		want, err := viz.ParseHash("lesson=" + c.ID)
		if err != nil {
			t.Fatal(err)
		}
		derivedB(c, &want, s.Params)
		if s.Params != want || s.Lesson.Current != k || s.Lesson.Panel != c.Panel {
			t.Errorf("chapter %d (%s): params %+v lesson %+v\nwant params %+v panel %s", k, c.ID, s.Params, s.Lesson, want, c.Panel)
		}
		img := p.screenshot("")
		if k == 1 {
			savePNG(t, "lesson_chapter2.png", img)
		}
		for _, r := range s.Panels {
			if r.Name == viz.PanelControls {
				continue
			}
			// the 3-pixel accent outline inside the panel's left edge, half-way down
			cr, cg, cb, _ := img.At(int(r.X)+1, int(r.Y+r.H/2)).RGBA()
			outlined := cr>>8 == 0x1F && cg>>8 == 0x4E && cb>>8 == 0xA8
			if outlined != (r.Name == c.Panel) {
				t.Errorf("chapter %d (%s): panel %s outlined=%v (pixel %02x%02x%02x)", k, c.ID, r.Name, outlined, cr>>8, cg>>8, cb>>8)
			}
		}
	}
	// one click on Back, then Next, at their regions in the snapshot
	click := func(name string, want int) {
		t.Helper()
		var w *viz.Region
		for _, r := range p.snapshot().Widgets {
			if r.Name == name {
				w = &r
			}
		}
		if w == nil {
			t.Fatalf("no %s button in %+v", name, p.snapshot().Widgets)
		}
		x, y := float64(w.X+w.W/2), float64(w.Y+w.H/2)
		p.mouse(chromedp.MouseMoved, x, y, 0)
		p.mouse(chromedp.MousePressed, x, y, 1)
		p.mouse(chromedp.MouseReleased, x, y, 1)
		p.waitJS(name+" to act", fmt.Sprintf(`hsrviz.get().lesson.current === %d`, want))
	}
	last := len(chs) - 1
	click("lesson_back", last-1)
	click("lesson_next", last)
	// refusals change nothing
	before := p.snapshot().Params
	for _, c := range []struct{ args, want string }{
		{"99", "does not exist"}, {"-2", "does not exist"}, {"1.5", "lesson takes nothing, a chapter number"},
		{`"nope"`, `unknown chapter "nope"`}, {"true", "lesson takes"}, {"1, 2", "lesson takes"},
	} {
		msg, _ := p.call("hsrviz.lesson(" + c.args + ")")
		if !strings.Contains(msg, c.want) {
			t.Errorf("hsrviz.lesson(%s) = %q, want %q", c.args, msg, c.want)
		}
	}
	if got := p.snapshot().Params; got != before {
		t.Errorf("a refused call changed the parameters: %+v", got)
	}
	// by id, then leave: the picture stays, lesson= empties
	if got := p.lesson(`"` + chs[2].ID + `"`); got.Current != 2 {
		t.Errorf(`hsrviz.lesson("%s").current = %d`, chs[2].ID, got.Current)
	}
	p.call(`hsrviz.set({m: 9})`)
	mid := p.snapshot().Params
	if got := p.lesson("-1"); got.Current != -1 {
		t.Errorf("hsrviz.lesson(-1).current = %d", got.Current)
	}
	after := p.snapshot().Params
	mid.Lesson = ""
	if after != mid {
		t.Errorf("leaving the lesson changed the picture:\n%+v\nwant\n%+v", after, mid)
	}
	p.waitJS("lesson= empty in the address", `location.hash.includes("lesson=&")`)
	// the glossary: hovering a control shows what it is, with the paper's
	// reference (the regions of a frame drawn without the lesson card)
	p.waitJS("a frame without the lesson card", `!hsrviz.get().widgets.some(w => w.Name.startsWith("lesson_"))`)
	for _, w := range p.snapshot().Widgets {
		if w.Name == "alpha" {
			p.mouse(chromedp.MouseMoved, float64(w.X+20), float64(w.Y+5), 0)
			p.mouse(chromedp.MouseMoved, float64(w.X+24), float64(w.Y+6), 0)
			p.waitJS("the glossary tooltip over α", `((g) => g.startsWith("α, the ReLU^α exponent") && g.includes("arXiv 2410.10165"))(hsrviz.get().glossary || "")`)
		}
	}
	p.checkConsoleClean()
}

// TestBrowserEmbed: web/embed.html loads its two frames (both apps become
// ready), the frozen panel=tree frame shows the tree panel alone filling
// its page under the lesson card, and the page's chapter buttons drive the
// lesson frame through hsrviz.lesson.
func TestBrowserEmbed(t *testing.T) {
	bctx, url := browser(t)
	tctx, tcancel := chromedp.NewContext(bctx)
	ctx, cancel := context.WithTimeout(tctx, pageTimeout)
	defer func() { cancel(); tcancel() }()
	p := &page{t: t, ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewW, viewH), chromedp.Navigate(url+"embed.html")); err != nil {
		t.Fatal(err)
	}
	ready := func(id string) string {
		return `(() => { const w = document.getElementById("` + id + `").contentWindow; return !!(w && w.hsrviz && w.hsrviz.ready && !w.hsrviz.get().busy); })()`
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](ready("lesson")+" && "+ready("tree"),
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(pageTimeout-30*time.Second))); err != nil {
		t.Fatalf("the two frames did not become ready: %v", err)
	}
	var tree struct {
		S viz.Snapshot `json:"s"`
		W float32      `json:"w"`
		H float32      `json:"h"`
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`(() => { const w = document.getElementById("tree").contentWindow; return {s: w.hsrviz.get(), w: w.innerWidth, h: w.innerHeight}; })()`))
	if err != nil || json.Unmarshal(raw, &tree) != nil {
		t.Fatalf("tree frame: %v %s", err, raw)
	}
	s := tree.S
	if !s.Params.Freeze || s.Params.Panel != viz.PanelTree || s.Lesson.ID != "tree" {
		t.Errorf("tree frame params %+v lesson %+v", s.Params, s.Lesson)
	}
	if len(s.Panels) != 1 || s.Panels[0].Name != viz.PanelTree || s.Panels[0].X != 0 || s.Panels[0].W != tree.W ||
		s.Panels[0].Y+s.Panels[0].H != tree.H || s.Panels[0].Y > tree.H/2 {
		t.Errorf("panel=tree in a %gx%g frame: panels %+v", tree.W, tree.H, s.Panels)
	}
	// the page's chapter buttons (made from hsrviz.lesson()) open chapters in the lesson frame
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#chapters button").length`))
	if err != nil || n != len(viz.LessonChapters()) {
		t.Errorf("chapter buttons: %d (%v), want %d", n, err, len(viz.LessonChapters()))
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelectorAll("#chapters button")[2].click(), true)`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("lesson").contentWindow.hsrviz.get().lesson.current === 2`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Errorf("the third chapter button did not open chapter 3: %v", err)
	}
	img := p.screenshot("embed.png")
	if img.Bounds().Dx() != viewW {
		t.Errorf("screenshot %v", img.Bounds())
	}
}

// TestDesktopLesson: -lesson opens the chapter on the desktop with the
// link's parameters, PageDown (a presenter's clicker) moves to the next
// chapter, and the window outlines that chapter's panel (real X pixels).
func TestDesktopLesson(t *testing.T) {
	chs, err := viz.Chapters()
	if err != nil {
		t.Fatal(err)
	}
	d := startDesktop(t, "-lesson", chs[1].ID)
	want, _ := viz.ParseHash("lesson=" + chs[1].ID)
	s := d.waitState("chapter 2", func(s viz.Snapshot) bool { return s.Lesson.Current == 1 })
	derivedB(chs[1], &want, s.Params)
	if s.Params != want {
		t.Errorf("-lesson %s: %+v\nwant %+v", chs[1].ID, s.Params, want)
	}
	d.key("Next", func(x viz.Snapshot) bool { return x.Lesson.Current == 2 })
	s = d.waitState("chapter 3", func(s viz.Snapshot) bool { return s.Lesson.Current == 2 })
	want, _ = viz.ParseHash("lesson=" + chs[2].ID)
	derivedB(chs[2], &want, s.Params)
	if s.Params != want || s.Lesson.Panel != chs[2].Panel {
		t.Errorf("PageDown: %+v %+v", s.Params, s.Lesson)
	}
	time.Sleep(300 * time.Millisecond) // the window shows the state file's frame
	img := readPNG(t, d.shot("desktop-lesson.png"))
	for _, r := range s.Panels {
		if r.Name == viz.PanelControls {
			continue
		}
		cr, cg, cb, _ := img.At(int(r.X)+1, int(r.Y+r.H/2)).RGBA()
		outlined := cr>>8 == 0x1F && cg>>8 == 0x4E && cb>>8 == 0xA8
		if outlined != (r.Name == s.Lesson.Panel) {
			t.Errorf("panel %s outlined=%v (pixel %02x%02x%02x), chapter's panel %s", r.Name, outlined, cr>>8, cg>>8, cb>>8, s.Lesson.Panel)
		}
	}
}

// TestBrowserLessonTouch: on a touch screen a tap on Next moves to the next
// chapter, and a tap on a panel's title shows its glossary entry (tap =
// hover).
func TestBrowserLessonTouch(t *testing.T) {
	chs := viz.LessonChapters()
	p := openPageWith(t, "lesson="+chs[0].ID, true, 1)
	var next viz.Region
	for _, w := range p.snapshot().Widgets {
		if w.Name == "lesson_next" {
			next = w
		}
	}
	if next.W == 0 {
		t.Fatal("no Next button")
	}
	x, y := float64(next.X+next.W/2), float64(next.Y+next.H/2)
	p.touchDrag(x, y, x, y, 1, 100*time.Millisecond)
	p.waitJS("a tap on Next", `hsrviz.get().lesson.current === 1`)
	s := p.snapshot()
	for _, r := range s.Panels {
		if r.Name == viz.PanelTree {
			x, y := float64(r.X+40), float64(r.Y+10)
			p.touchDrag(x, y, x, y, 1, 100*time.Millisecond)
		}
	}
	p.waitJS("the tree panel's glossary entry after a tap on its title", `(hsrviz.get().glossary || "").startsWith("Panel: the tree at work")`)
	if s := p.snapshot(); s.Lesson.Current != 1 {
		t.Errorf("a tap on a title changed the chapter: %+v", s.Lesson)
	}
}
