package e2e

import (
	"fmt"
	"image"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hsrviz/hsrviz/viz"
)

// amberPixels counts the pixels of the stale tag's fill (viz/stale.go,
// #FFE89E) in the title row of the named panel.
func amberPixels(img *image.RGBA, s viz.Snapshot, panel string) int {
	r, err := panelByName(s.Panels, panel)
	if err != nil {
		return -1
	}
	n := 0
	for y := int(r.Y); y < int(r.Y)+26; y++ {
		for x := int(r.X); x < int(r.X+r.W); x++ {
			c := img.RGBAAt(x, y)
			if absDiff(c.R, 0xFF) <= 6 && absDiff(c.G, 0xE8) <= 6 && absDiff(c.B, 0x9E) <= 6 {
				n++
			}
		}
	}
	return n
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

// TestBrowserStaleMark: after n changes, the numbers panel (still showing
// the old n's numbers) is listed as stale and carries the amber tag in its
// title row; once everything is computed, no panel is stale or computing,
// the tag is gone and the numbers are of the new n.
func TestBrowserStaleMark(t *testing.T) {
	p := openPage(t, "")
	s0 := p.snapshot()
	if s0.Stale != nil || s0.Computing != nil {
		t.Fatalf("settled: stale %v, computing %v", s0.Stale, s0.Computing)
	}
	const n = 1 << 17
	f0 := p.appFrames()
	if e, null := p.call(fmt.Sprintf(`hsrviz.set({n: %d})`, n)); !null {
		t.Fatalf("set({n: %d}) refused: %s", n, e)
	}
	p.waitJS("two frames drawn", fmt.Sprintf(`hsrviz.metrics().frames >= %v`, f0+2))
	img := p.screenshot("browser-stale.png")
	// Stale after the screenshot: stale during it (a panel, once current,
	// stays current while the parameters stay).
	s := p.snapshot()
	if !slices.Contains(s.Stale, viz.PanelNumbers) || s.Numbers["n"] == n {
		t.Fatalf("after set n: stale %v, numbers' n %v (computed too fast to see the mark?)", s.Stale, s.Numbers["n"])
	}
	if a := amberPixels(img, s, viz.PanelNumbers); a < 100 {
		t.Errorf("the numbers panel is stale but its title row has %d pixels of the tag's amber", a)
	}
	if a := amberPixels(img, s, viz.PanelGeometry); a != 0 {
		t.Errorf("the geometry panel shows nothing old (computing: %v) but has %d amber pixels", s.Computing, a)
	}
	s = p.waitSettled("!s.stale && !s.computing")
	if s.Numbers["n"] != n {
		t.Fatalf("settled: numbers' n %v, want %d", s.Numbers["n"], n)
	}
	// a frame drawn after the settled snapshot (the trace may animate:
	// the app need not rest)
	f1 := p.appFrames()
	p.waitJS("two frames drawn", fmt.Sprintf(`hsrviz.metrics().frames >= %v`, f1+2))
	img = p.screenshot("browser-stale-settled.png")
	for _, pn := range s.Panels {
		if a := amberPixels(img, s, pn.Name); a != 0 {
			t.Errorf("settled: %s has %d amber pixels in its title row", pn.Name, a)
		}
	}
	p.checkConsoleClean()
}

// TestBrowserLargeN measures how the page copes with n = 2^20 (issue 11,
// item 3): from the defaults (d = 2) and from d = 4 (n·d at its cap), hsrviz.set({n: 2^20})
// and then, in headless Chromium, the interval between animation frames
// (an rAF loop of the test's own, as in TestBrowserFrameIntervals) until
// everything is computed, and the times until the numbers are of the new
// n, until no panel is stale, and until every panel is current (nothing
// stale, nothing computing, nothing pending), with the load average. A
// measurement, run by `make measure-browser`:
//
//	HSRVIZ_MEASURE=1 go test ./e2e -run LargeN -v
func TestBrowserLargeN(t *testing.T) {
	if os.Getenv("HSRVIZ_MEASURE") == "" {
		t.Skip("a measurement, not a check: HSRVIZ_MEASURE=1 go test ./e2e -run LargeN -v")
	}
	defer func(d time.Duration) { pageTimeout = d }(pageTimeout)
	pageTimeout = 10 * time.Minute
	const n = 1 << 20
	for _, c := range largeNCases() {
		t.Run(c.name, func(t *testing.T) {
			p := openPageScript(t, c.hash, false, 1, rafLoop)
			p.waitSettled("")
			load0 := loadAvg()
			// how long set() itself holds the page (the new n's arrays are
			// allocated in it)
			p.evalFloat(`(() => { const s = hsrviz.set; hsrviz.set = (o) => { const t = performance.now(); const r = s(o); window.hsrvizSetMs = performance.now() - t; hsrviz.set = s; return r; }; return 0; })()`)
			p.evalFloat(`(hsrvizMeasure.start(), 0)`)
			t0 := time.Now()
			if e, null := p.call(fmt.Sprintf(`hsrviz.set({n: %d})`, n)); !null {
				t.Fatalf("set({n: %d}) refused: %s", n, e)
			}
			var tNumbers, tNoStale, tAll time.Duration
			everStale := map[string]bool{}
			for tAll == 0 {
				if time.Since(t0) > 8*time.Minute {
					t.Fatal("not computed in 8 minutes")
				}
				time.Sleep(250 * time.Millisecond)
				st, err := chromedp.Run(p.ctx, chromedp.Evaluate[struct {
					Stale     []string `json:"stale"`
					Computing []string `json:"computing"`
					Busy      bool     `json:"busy"`
					N         float64  `json:"n"`
				}](`(() => { const s = hsrviz.get(); return {stale: s.stale || [], computing: s.computing || [], busy: s.busy, n: s.numbers.n || 0}; })()`))
				if err != nil {
					t.Fatal(err)
				}
				el := time.Since(t0)
				for _, name := range st.Stale {
					everStale[name] = true
				}
				if tNumbers == 0 && st.N == n {
					tNumbers = el
				}
				if tNoStale == 0 && len(st.Stale) == 0 {
					tNoStale = el
				}
				if !st.Busy && len(st.Stale) == 0 && len(st.Computing) == 0 {
					tAll = el
				}
			}
			raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]float64](`hsrvizMeasure.stop()`))
			if err != nil {
				t.Fatal(err)
			}
			iv := viz.Summarize(raw, len(raw))
			top := slices.Clone(raw)
			slices.Sort(top)
			slices.Reverse(top)
			top = top[:min(5, len(top))]
			over, over83 := 0, 0
			for _, x := range raw {
				if x > 100 {
					over++
				}
				if x > 84 {
					over83++
				}
			}
			var stale []string
			for name := range everStale {
				stale = append(stale, name)
			}
			slices.Sort(stale)
			t.Logf("n = 2^20 from %s: numbers of the new n after %.1f s, no panel stale after %.1f s, every panel current after %.1f s; "+
				"frame intervals p50 %.1f ms, p95 %.1f ms, max %.0f ms (largest %s; %d of %d over 100 ms, %d over 83 ms); panels marked stale: %s; load average %s → %s",
				c.name, tNumbers.Seconds(), tNoStale.Seconds(), tAll.Seconds(), iv.P50, iv.P95, iv.Max, fmtMs(top), over, len(raw), over83,
				strings.Join(stale, ", "), load0, loadAvg())
			t.Logf("  set({n}) took %.0f ms", p.evalFloat(`window.hsrvizSetMs || 0`))
			logLongGaps(t, p, raw)
			p.checkConsoleClean()
		})
	}
}

// logLongGaps logs, for each frame interval of 67 ms (four frames at
// 60 Hz) or more, the long units of compute (hsrviz.metrics().longUnits:
// over 10 ms, or over 20 ms in builds before 2026-12-03 evening) and the
// garbage collector's pauses that fell in it (.gc; a build without them
// logs none): which unit made the gap.
func logLongGaps(t *testing.T, p *page, iv []float64) {
	t.Helper()
	type unit struct {
		Kind string  `json:"kind"`
		At   float64 `json:"at"`
		Ms   float64 `json:"ms"`
	}
	type pause struct {
		End float64 `json:"end"`
		Ms  float64 `json:"ms"`
	}
	m, err := chromedp.Run(p.ctx, chromedp.Evaluate[struct {
		TS        []float64 `json:"ts"`
		LongUnits []unit    `json:"longUnits"`
		GC        struct {
			Num          float64 `json:"num"`
			PauseTotalMs float64 `json:"pauseTotalMs"`
			Pauses       []pause `json:"pauses"`
		} `json:"gc"`
		Recent map[string][]float64 `json:"recent"`
	}](`(() => { const m = hsrviz.metrics(); return {ts: hsrvizMeasure.ts || [], longUnits: m.longUnits || [], gc: m.gc || {}, recent: m.recent || {}}; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.TS) != len(iv) {
		t.Logf("no gap attribution: %d timestamps for %d intervals", len(m.TS), len(iv))
		return
	}
	kinds := map[string][]float64{}
	for _, u := range m.LongUnits {
		kinds[u.Kind] = append(kinds[u.Kind], u.Ms)
	}
	for k, v := range kinds {
		slices.Sort(v)
		t.Logf("  long units: %-20s %3d, longest %.0f ms", k, len(v), v[len(v)-1])
	}
	longest := 0.0
	for _, q := range m.GC.Pauses {
		longest = max(longest, q.Ms)
	}
	// The Go work of the last frames (at most 1024, most of the run): the
	// model's Update (the compute budget) and the drawing.
	if up, sc, re := m.Recent["update"], m.Recent["scene"], m.Recent["render"]; len(up) > 0 && len(up) == len(sc) && len(sc) == len(re) {
		sum := make([]float64, len(up))
		over := 0
		for i := range up {
			sum[i] = up[i] + sc[i] + re[i]
			if sum[i] > 50 {
				over++
			}
		}
		q := func(v []float64) string {
			v = slices.Clone(v)
			slices.Sort(v)
			return fmt.Sprintf("%.1f / %.1f / %.1f", v[len(v)/2], v[len(v)*95/100], v[len(v)-1])
		}
		t.Logf("  Go work of the last %d frames, p50 / p95 / max ms: update %s, scene %s, render %s, frame %s (%d over 50 ms)",
			len(up), q(up), q(sc), q(re), q(sum), over)
		for i := range sum {
			if sum[i] > 50 {
				t.Logf("    frame %d of the last %d: update %.1f, scene %.1f, render %.1f ms", i, len(sum), up[i], sc[i], re[i])
			}
		}
	}
	t.Logf("  GC: %v cycles, pauses %.1f ms in all, the longest of the last %d %.1f ms", m.GC.Num, m.GC.PauseTotalMs, len(m.GC.Pauses), longest)
	for i, g := range iv {
		if g < 66 {
			continue
		}
		from, to := m.TS[i]-g, m.TS[i]
		var in []string
		for _, u := range m.LongUnits {
			if u.At < to && u.At+u.Ms > from {
				in = append(in, fmt.Sprintf("%s %.0f ms", u.Kind, u.Ms))
			}
		}
		for _, q := range m.GC.Pauses {
			if q.End > from && q.End < to {
				in = append(in, fmt.Sprintf("GC pause %.1f ms", q.Ms))
			}
		}
		t.Logf("  gap %.0f ms at %.1f s: %s", g, (to-m.TS[0])/1000, strings.Join(in, ", "))
	}
}

// loadAvg is the 1-, 5- and 15-minute load averages (/proc/loadavg).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func fmtMs(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(s, ", ") + " ms"
}

// largeNCases are TestBrowserLargeN's starting points: d = 2 and d = 4, or
// one of them by HSRVIZ_LARGEN_D=2 or 4.
func largeNCases() []struct{ name, hash string } {
	all := []struct{ name, hash string }{{"d=2", ""}, {"d=4", "d=4"}}
	switch os.Getenv("HSRVIZ_LARGEN_D") {
	case "2":
		return all[:1]
	case "4":
		return all[1:]
	}
	return all
}
