package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"github.com/hsrviz/hsrviz/viz"
)

// rafLoop is run in the page before its own scripts: a requestAnimationFrame
// loop of its own (the browser's original function, not index.html's
// wrapper, which counts Ebiten's callbacks) that records the interval
// between the timestamps of consecutive animation frames while on. That is
// what a person sees: a frame of the app that keeps the main thread (or the
// GPU process) busy for 80 ms delays the next animation frame by as much.
const rafLoop = `(() => {
	const raf = window.requestAnimationFrame.bind(window);
	const m = window.hsrvizMeasure = { iv: [], ts: [], on: false, last: 0 };
	function tick(t) {
		if (!m.on) return;
		if (m.last) { m.iv.push(t - m.last); m.ts.push(t); }
		m.last = t;
		raf(tick);
	}
	m.start = () => { m.iv = []; m.ts = []; m.last = 0; if (!m.on) { m.on = true; raf(tick); } };
	m.stop = () => { m.on = false; return m.iv; };
})();`

// TestBrowserFrameIntervals measures the interval between animation frames
// while the b slider is dragged back and forth by mouse events for 6 s, at
// the defaults and at n = 2^14, d = 64, m = 64, in headless Chromium with
// SwiftShader (issue 11's measurement), and logs p50, p95 and max. It
// asserts only that the drag moved b and the numbers match the engine. A
// measurement, run by `make measure-browser`:
//
//	HSRVIZ_MEASURE=1 go test ./e2e -run FrameIntervals -v
func TestBrowserFrameIntervals(t *testing.T) {
	if os.Getenv("HSRVIZ_MEASURE") == "" {
		t.Skip("a measurement, not a check: HSRVIZ_MEASURE=1 go test ./e2e -run FrameIntervals -v")
	}
	// n = 2^14, d = 64, m = 64 computes for minutes in the page on a
	// loaded machine, before and after the drag.
	defer func(d time.Duration) { pageTimeout = d }(pageTimeout)
	pageTimeout = 10 * time.Minute
	for _, c := range []struct{ name, hash string }{
		{"defaults", ""},
		{"n=2^14,d=64,m=64", "n=16384&d=64&m=64"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := openPageScript(t, c.hash, false, 1, rafLoop)
			s0 := p.waitSettled("")
			w, err := panelByName(s0.Widgets, "b")
			if err != nil {
				t.Fatalf("the b slider: %v", err)
			}
			y := float64(w.Y + w.H/2)
			xa, xb := float64(w.X+w.W*0.2), float64(w.X+w.W*0.8)
			frames0, raf0 := p.evalFloat(`hsrviz.metrics().frames`), p.evalFloat(`hsrviz.metrics().rafFrames`)
			pres0 := p.presentStatsIf()
			p.mouse(chromedp.MouseMoved, xa, y, 0)
			p.mouse(chromedp.MousePressed, xa, y, 1)
			stopTrace := p.startTrace("drag-" + strings.NewReplacer("=", "", "^", "", ",", "-").Replace(c.name))
			pid := chromedp.FromContext(chrome.ctx).Browser.Process().Pid
			cpu0 := treeCPUByType(pid)
			p.evalFloat(`(hsrvizMeasure.start(), 0)`)
			// a move every 16 ms: a mouse reports at 60 Hz or more
			moves := p.sweep(xa, xb, y, 6*time.Second, 16*time.Millisecond)
			raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]float64](`hsrvizMeasure.stop()`))
			if err != nil {
				t.Fatal(err)
			}
			cpu1 := treeCPUByType(pid)
			pres1 := p.presentStatsIf()
			stopTrace()
			p.mouse(chromedp.MouseReleased, xa+(xb-xa)*0.7, y, 1)
			m, err := chromedp.Run(p.ctx, chromedp.Evaluate[struct {
				Frames    float64              `json:"frames"`
				RAFFrames float64              `json:"rafFrames"`
				Recent    map[string][]float64 `json:"recent"`
			}](`hsrviz.metrics()`))
			if err != nil {
				t.Fatal(err)
			}
			frames := m.Frames - frames0
			// The app's own animation-frame callbacks during the drag: the
			// main thread's part of a frame (Go's Update and Draw and the
			// WebGL calls); the rest of an interval is the GPU process.
			k := int(m.RAFFrames - raf0)
			cb := m.Recent["raf"]
			cb = cb[max(0, len(cb)-k):]
			cbs := viz.Summarize(cb, len(cb))
			if len(raw) < 10 {
				t.Fatalf("only %d animation frames in 6 s of dragging", len(raw))
			}
			iv := viz.Summarize(raw, len(raw))
			t.Logf("frame intervals while dragging b, %s: p50 %.1f ms, p95 %.1f ms, max %.1f ms (%d animation frames, %.0f drawn by the app, %d mouse moves; the app's frame callbacks p50 %.1f ms, p95 %.1f ms)",
				c.name, iv.P50, iv.P95, iv.Max, len(raw), frames, moves, cbs.P50, cbs.P95)
			// CPU time per animation frame by process: the renderer runs the
			// app (Go, WebGL calls), the GPU process runs SwiftShader (the
			// pixels) and the display compositor. Unlike the intervals it
			// hardly depends on what else the machine runs.
			per := func(typ string) float64 { return 1000 * (cpu1[typ] - cpu0[typ]) / float64(len(raw)) }
			t.Logf("CPU per animation frame while dragging, %s: renderer %.1f ms, GPU process %.1f ms, browser %.1f ms",
				c.name, per("renderer"), per("gpu-process"), per("browser"))
			if pres1 != nil && pres0 != nil {
				// What the canvas was given to show (index.html's hsrvizPresent).
				n := pres1.Frames - pres0.Frames
				t.Logf("presents while dragging, %s: %.0f (%.0f whole, %.0f partial, %.0f empty), %.0f device pixels per present",
					c.name, n, pres1.Whole-pres0.Whole, pres1.Partial-pres0.Partial, pres1.Empty-pres0.Empty, (pres1.Pixels-pres0.Pixels)/max(n, 1))
			}
			s := p.waitSettled(fmt.Sprintf("s.params.b !== %v", s0.Params.B))
			compareNumbers(t, "after the drag", s.Numbers, oracleFor(t, s).Numbers)
			p.checkConsoleClean()
		})
	}
}

// TestBrowserIdleCPU measures what the page costs while nothing moves:
// the defaults, paused and computed, no input, for 10 s. It logs the frames
// the app drew, the renderer main thread's busy time (Performance.getMetrics
// TaskDuration and ScriptDuration) and the CPU time of all of Chromium's
// processes (the GPU process runs SwiftShader), each over the 10 s. A
// measurement, run by `make measure-browser`:
//
//	HSRVIZ_MEASURE=1 go test ./e2e -run IdleCPU -v
func TestBrowserIdleCPU(t *testing.T) {
	if os.Getenv("HSRVIZ_MEASURE") == "" {
		t.Skip("a measurement, not a check: HSRVIZ_MEASURE=1 go test ./e2e -run IdleCPU -v")
	}
	p := openPage(t, "")
	if e, null := p.call(`hsrviz.play(false)`); !null {
		t.Fatal(e)
	}
	p.waitSettled("!s.playing")
	if _, err := chromedp.Call(p.ctx, performance.Enable, performance.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	metrics := func() map[string]float64 {
		r, err := chromedp.Call(p.ctx, performance.GetMetrics, struct{}{})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]float64{}
		for _, x := range r.Metrics {
			m[x.Name] = x.Value
		}
		return m
	}
	pid := chromedp.FromContext(chrome.ctx).Browser.Process().Pid
	// Let the last frames of the settling pass.
	time.Sleep(time.Second)
	f0, m0, c0, t0 := p.evalFloat(`hsrviz.metrics().frames`), metrics(), treeCPU(pid), time.Now()
	time.Sleep(10 * time.Second)
	f1, m1, c1, el := p.evalFloat(`hsrviz.metrics().frames`), metrics(), treeCPU(pid), time.Since(t0).Seconds()
	t.Logf("idle 10 s (defaults, paused, no input): %.0f app frames drawn; renderer main thread busy %.0f ms (TaskDuration), script %.0f ms (ScriptDuration); all Chromium processes %.0f ms CPU (%.1f%% of one core)",
		f1-f0, 1000*(m1["TaskDuration"]-m0["TaskDuration"]), 1000*(m1["ScriptDuration"]-m0["ScriptDuration"]),
		1000*(c1-c0), 100*(c1-c0)/el)
	p.checkConsoleClean()
}

// treeCPU is the user+system CPU time, in seconds, of process pid and all
// its descendants (Linux /proc; clock ticks of 1/100 s).
func treeCPU(pid int) float64 {
	sum := 0.0
	for _, v := range treeCPUByType(pid) {
		sum += v
	}
	return sum
}

// treeCPUByType is treeCPU by Chromium process type (the --type= flag:
// "renderer", "gpu-process", ...; "browser" for the main process).
func treeCPUByType(pid int) map[string]float64 {
	children := map[int][]int{}
	ticks := map[int]float64{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		id, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// The command name (field 2) may hold spaces: fields after its ')'.
		i := bytes.LastIndexByte(data, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(data[i+1:]))
		if len(f) < 13 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		ut, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		children[ppid] = append(children[ppid], id)
		ticks[id] = ut + st
	}
	out := map[string]float64{}
	for todo := []int{pid}; len(todo) > 0; {
		id := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		typ := "browser"
		if cmd, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(id), "cmdline")); err == nil {
			// (Chromium rewrites its children's command lines as one string.)
			for _, a := range strings.FieldsFunc(string(cmd), func(r rune) bool { return r == 0 || r == ' ' }) {
				if v, ok := strings.CutPrefix(a, "--type="); ok {
					typ = v
				}
			}
		}
		out[typ] += ticks[id] / 100
		todo = append(todo, children[id]...)
	}
	return out
}

// TestBrowserFirstFrame measures the load, three times (HSRVIZ_LOADS) in
// fresh tabs: when the wasm has downloaded and compiled, the WebGL2 check
// ended, Go started, and the first Update and frame ran (performance.now()
// after navigation start), and the bytes on the wire. A measurement, run
// by `make measure-browser`:
//
//	HSRVIZ_MEASURE=1 HSRVIZ_LOADS=6 go test ./e2e -run FirstFrame -v
func TestBrowserFirstFrame(t *testing.T) {
	if os.Getenv("HSRVIZ_MEASURE") == "" {
		t.Skip("a measurement, not a check: HSRVIZ_MEASURE=1 go test ./e2e -run FirstFrame -v")
	}
	loads := 3
	if v, err := strconv.Atoi(os.Getenv("HSRVIZ_LOADS")); err == nil && v > 0 {
		loads = v
	}
	var first, cpuAll []float64
	for i := 0; i < loads; i++ {
		// A tab each, closed before the next (an open one would compute on).
		t.Run(fmt.Sprint("load", i+1), func(t *testing.T) {
			p, cpu := openPageCPU(t)
			l, err := chromedp.Run(p.ctx, chromedp.Evaluate[struct {
				FetchedMs  float64 `json:"fetchedMs"`
				CompiledMs float64 `json:"compiledMs"`
				GoStart    float64 `json:"goStart"`
				Update     float64 `json:"update"`
				First      float64 `json:"first"`
				Wire       float64 `json:"wire"`
				WebGLMs    float64 `json:"webglMs"`
			}](`({fetchedMs: hsrvizLoad.fetchedMs, compiledMs: hsrvizLoad.compiledMs, webglMs: hsrvizLoad.webglMs || 0, goStart: window.hsrvizGoStartMs || 0,
				update: window.hsrvizFirstUpdateMs || 0, first: hsrvizFirstFrameMs,
				wire: hsrvizLoad.transferBytes})`))
			if err != nil {
				t.Fatal(err)
			}
			first = append(first, l.First)
			all := 0.0
			for _, v := range cpu {
				all += v
			}
			cpuAll = append(cpuAll, 1000*all)
			t.Logf("load %d: wasm downloaded at %.0f ms (%.2f MB on the wire), compiled at %.0f ms, WebGL2 checked at %.0f ms, Go started at %.0f ms, first Update at %.0f ms, first frame at %.0f ms; CPU until then: renderer %.0f ms, GPU process %.0f ms, all Chromium %.0f ms",
				i+1, l.FetchedMs, l.Wire/1e6, l.CompiledMs, l.WebGLMs, l.GoStart, l.Update, l.First, 1000*cpu["renderer"], 1000*cpu["gpu-process"], 1000*all)
		})
	}
	s, c := viz.Summarize(first, len(first)), viz.Summarize(cpuAll, len(cpuAll))
	t.Logf("first frame: median of %d loads %.0f ms (min %.0f ms, max %.0f ms); Chromium's CPU until then: median %.0f ms (min %.0f ms)",
		loads, s.P50, slices.Min(first), s.Max, c.P50, slices.Min(cpuAll))
}

// openPageCPU opens the app as openPage does and also returns the CPU time
// (seconds, by Chromium process type as treeCPUByType) that Chromium's
// processes spent from the navigation until the first frame was seen
// (polled every 10 ms): the load's work, which the machine's load changes
// far less than its wall-clock time.
func openPageCPU(t *testing.T) (*page, map[string]float64) {
	t.Helper()
	bctx, url := browser(t)
	pid := chromedp.FromContext(bctx).Browser.Process().Pid
	tctx, tcancel := chromedp.NewContext(bctx)
	ctx, cancel := context.WithTimeout(tctx, pageTimeout)
	t.Cleanup(func() { cancel(); tcancel() })
	p := &page{t: t, ctx: ctx}
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: earlyScript}); err != nil {
		t.Fatalf("adding a script to the page: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewW, viewH)); err != nil {
		t.Fatal(err)
	}
	cpu0 := treeCPUByType(pid)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!window.hsrvizFirstFrameMs || !!(window.hsrvizLoad && hsrvizLoad.error)`,
		chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(pageTimeout-30*time.Second))); err != nil {
		t.Fatalf("waiting for the first frame: %v", err)
	}
	cpu1 := treeCPUByType(pid)
	for k := range cpu1 {
		cpu1[k] -= cpu0[k]
	}
	p.waitSettled("")
	return p, cpu1
}

// bareCanvas is a page of one 1280×800 WebGL2 canvas (the app's context
// attributes; preserveDrawingBuffer as asked) whose animation frames each
// clear a size×size square of it to a new colour.
const bareCanvas = `((preserve, size) => {
	document.body.style.margin = "0";
	const c = document.createElement("canvas");
	c.width = %d; c.height = %d;
	c.style.display = "block";
	document.body.appendChild(c);
	const gl = c.getContext("webgl2", {antialias: false, depth: false, alpha: false, preserveDrawingBuffer: preserve});
	gl.enable(gl.SCISSOR_TEST);
	const b = window.bare = {n: 0, on: true};
	function f() {
		if (!b.on) return;
		b.n++;
		gl.scissor(size > 2 ? 0 : 10 + b.n %% 50, size > 2 ? 0 : 10, size, size);
		gl.clearColor((b.n %% 7) / 7, 0.5, 0.2, 1);
		gl.clear(gl.COLOR_BUFFER_BIT);
		requestAnimationFrame(f);
	}
	requestAnimationFrame(f);
	return true;
})(%v, %d)`

// TestBrowserCanvasFloor measures what a WebGL2 canvas of the app's size
// costs per animation frame in Chromium with SwiftShader when the page
// changes almost nothing: a 2×2 square a frame (with and without
// preserveDrawingBuffer), and the whole canvas cleared a frame. That is
// the compositor's share of every frame the app presents, which no change
// in the app can cut. A measurement, run by `make measure-browser`:
//
//	HSRVIZ_MEASURE=1 go test ./e2e -run CanvasFloor -v
func TestBrowserCanvasFloor(t *testing.T) {
	if os.Getenv("HSRVIZ_MEASURE") == "" {
		t.Skip("a measurement, not a check: HSRVIZ_MEASURE=1 go test ./e2e -run CanvasFloor -v")
	}
	bctx, _ := browser(t)
	pid := chromedp.FromContext(chrome.ctx).Browser.Process().Pid
	for _, c := range []struct {
		preserve bool
		size     int
	}{{true, 2}, {false, 2}, {true, viewW}, {true, 2}, {false, 2}, {true, viewW}} {
		tctx, tcancel := chromedp.NewContext(bctx)
		if err := chromedp.Do(tctx, chromedp.EmulateViewport(viewW, viewH), chromedp.Navigate("about:blank")); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(tctx, chromedp.Evaluate[bool](fmt.Sprintf(bareCanvas, viewW, viewH, c.preserve, c.size))); err != nil {
			t.Fatal(err)
		}
		// Let the first frames (the context's creation) pass.
		time.Sleep(time.Second)
		n0, err := chromedp.Run(tctx, chromedp.Evaluate[float64](`bare.n`))
		if err != nil {
			t.Fatal(err)
		}
		cpu0, t0 := treeCPUByType(pid), time.Now()
		time.Sleep(5 * time.Second)
		n1, err := chromedp.Run(tctx, chromedp.Evaluate[float64](`(bare.on = false, bare.n)`))
		if err != nil {
			t.Fatal(err)
		}
		cpu1, el := treeCPUByType(pid), time.Since(t0).Seconds()
		n := n1 - n0
		per := func(typ string) float64 { return 1000 * (cpu1[typ] - cpu0[typ]) / max(n, 1) }
		t.Logf("bare %d×%d WebGL2 canvas, preserveDrawingBuffer %v, a %d×%d square cleared a frame: %.0f frames in %.1f s (%.1f ms apart); CPU per frame: GPU process %.1f ms, renderer %.1f ms",
			viewW, viewH, c.preserve, c.size, c.size, n, el, 1000*el/max(n, 1), per("gpu-process"), per("renderer"))
		tcancel()
	}
}
