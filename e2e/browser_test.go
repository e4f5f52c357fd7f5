package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/hsrviz/hsrviz/internal/serve"
	"github.com/hsrviz/hsrviz/viz"
)

const chromiumPath = "/usr/bin/chromium"

// Viewport of every browser test, in CSS pixels (device scale 1).
const viewW, viewH = 1280, 800

var chrome struct {
	sync.Once
	ctx context.Context
	url string
	err error
}

// browser starts (once) headless Chromium with WebGL2 through SwiftShader
// and a server for the freshly built web directory.
func browser(t *testing.T) (context.Context, string) {
	t.Helper()
	if !fileExists(chromiumPath) {
		t.Fatalf("%s is missing: the browser tests need Debian's Chromium: apt-get install -y chromium (see .ci/run)", chromiumPath)
	}
	dir := webDir(t)
	chrome.Do(func() {
		h, err := serve.Handler(dir)
		if err != nil {
			chrome.err = err
			return
		}
		ts := httptest.NewServer(h)
		cleanups = append(cleanups, ts.Close)
		chrome.url = ts.URL + "/"

		profile, err := os.MkdirTemp("", "hsrviz-chromium-")
		if err != nil {
			chrome.err = err
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(chromiumPath),
			chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.Headless, chromedp.NoSandbox,
			chromedp.UserDataDir(profile),
			chromedp.WindowSize(viewW, viewH),
			// WebGL2 without a GPU (never --disable-software-rasterizer: it kills WebGL2).
			chromedp.Flag("enable-unsafe-swiftshader", true),
			chromedp.Flag("use-angle", "swiftshader"),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-background-timer-throttling", true),
			chromedp.Flag("disable-renderer-backgrounding", true),
			chromedp.Flag("disable-backgrounding-occluded-windows", true),
		}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		cleanups = append(cleanups, func() { bcancel(); acancel(); os.RemoveAll(profile) })
		if err := chromedp.Do(bctx); err != nil {
			chrome.err = fmt.Errorf("starting %s: %v", chromiumPath, err)
			return
		}
		chrome.ctx = bctx
	})
	if chrome.err != nil {
		t.Fatal(chrome.err)
	}
	return chrome.ctx, chrome.url
}

// pageTimeout bounds everything a test does with one page. Generous: the
// tests wait on conditions, so a passing run never waits for it, and a
// page at devicePixelRatio 2 in SwiftShader on a loaded 2-core machine
// has taken 156 s for a test that takes 50 s at load 6.
var pageTimeout = 300 * time.Second

// page is one browser tab showing the app.
type page struct {
	t   *testing.T
	ctx context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// openPage opens the app with the given URL hash (without '#') and waits
// until it has drawn and computed its first full picture.
func openPage(t *testing.T, hash string) *page {
	t.Helper()
	return openPageWith(t, hash, false, 1)
}

// openPageWith opens the app; touch turns on touch emulation (a phone-like
// touch screen of the same size) and scale sets the device pixel ratio,
// before the page loads.
func openPageWith(t *testing.T, hash string, touch bool, scale float64) *page {
	t.Helper()
	return openPageScript(t, hash, touch, scale, "")
}

// openPageScript is openPageWith that also runs script (if not empty) in
// the page before any of the page's own scripts.
func openPageScript(t *testing.T, hash string, touch bool, scale float64, script string) *page {
	t.Helper()
	bctx, url := browser(t)
	tctx, tcancel := chromedp.NewContext(bctx)
	ctx, cancel := context.WithTimeout(tctx, pageTimeout)
	t.Cleanup(func() { cancel(); tcancel() })
	p := &page{t: t, ctx: ctx}
	msgs := chromedp.Console(ctx) // subscribe before navigating: no message is lost
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.console = append(p.console, m)
			p.mu.Unlock()
		}
	}()
	if hash != "" {
		url += "#" + hash
	}
	var opts []chromedp.EmulateViewportOption
	if touch {
		opts = append(opts, chromedp.EmulateTouch)
	}
	if scale != 1 {
		opts = append(opts, chromedp.EmulateScale(scale))
	}
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: earlyScript + script}); err != nil {
		t.Fatalf("adding a script to the page: %v", err)
	}
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(viewW, viewH, opts...),
		chromedp.Navigate(url),
	); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	p.waitSettled("")
	return p
}

// earlyScript runs in every page before the page's own scripts: it keeps
// the browser's requestAnimationFrame (index.html wraps it for the app, and
// holds the app's requests back while the app sleeps), so tests can count
// animation frames as a clock that runs whether the app draws or not.
const earlyScript = `window.hsrvizTestRAF = window.requestAnimationFrame.bind(window);`

// waitAnimationFrames waits until the browser has run k more animation
// frames (about k/60 s, longer when the machine is busy).
func (p *page) waitAnimationFrames(k int) {
	p.t.Helper()
	expr := fmt.Sprintf(`new Promise(r => { let n = 0; const f = () => (++n >= %d ? r(true) : hsrvizTestRAF(f)); hsrvizTestRAF(f); })`, k)
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise)); err != nil {
		p.t.Fatalf("waiting for %d animation frames: %v", k, err)
	}
}

// waitJS polls a JS boolean expression until it holds (20 s at most).
func (p *page) waitJS(what, expr string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](expr,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		p.t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// appFrames is the number of frames the app has drawn.
func (p *page) appFrames() float64 {
	p.t.Helper()
	return p.evalFloat(`hsrviz.metrics().frames`)
}

// rest waits until the app has stopped drawing (nothing changes any more)
// and the browser has shown its last frame.
func (p *page) rest() {
	p.t.Helper()
	p.waitJS("the app to rest (draw no more frames)", `hsrviz.metrics().asleep`)
	p.waitAnimationFrames(2)
}

// waitSettled waits until the app is ready and idle, and cond (a JS
// expression over s = hsrviz.get(); "" for none) holds. A load error on
// the page fails the test at once with its message.
func (p *page) waitSettled(cond string) viz.Snapshot {
	p.t.Helper()
	if cond == "" {
		cond = "true"
	}
	expr := `(() => {
		if (window.hsrvizLoad && hsrvizLoad.error) return "load error: " + hsrvizLoad.error;
		if (!window.hsrviz || !hsrviz.ready) return "";
		const s = hsrviz.get();
		return (s.ready && !s.busy && (` + cond + `)) ? "ok" : "";
	})()`
	got, err := chromedp.Run(p.ctx, chromedp.Poll[string](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(pageTimeout-30*time.Second)))
	if err != nil {
		s, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`window.hsrviz ? JSON.stringify({ready: hsrviz.ready, s: hsrviz.get()}).slice(0, 600) : "no window.hsrviz"`))
		p.t.Fatalf("waiting for the app (ready, idle, %s): %v; state: %s; console: %v", cond, err, s, p.messages())
	}
	if got != "ok" {
		p.t.Fatalf("the page failed: %s", got)
	}
	return p.snapshot()
}

func (p *page) snapshot() viz.Snapshot {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](`hsrviz.get()`))
	if err != nil {
		p.t.Fatalf("hsrviz.get(): %v", err)
	}
	var s viz.Snapshot
	if err := json.Unmarshal(raw, &s); err != nil {
		p.t.Fatalf("hsrviz.get() is not a snapshot: %v\n%.400s", err, raw)
	}
	return s
}

// call evaluates a JS API call that returns null or an error string.
func (p *page) call(expr string) (errString string, isNull bool) {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](`(() => { const r = `+expr+`; return r === null ? {null: true} : {value: r}; })()`))
	if err != nil {
		p.t.Fatalf("%s threw: %v", expr, err)
	}
	var r struct {
		Null  bool `json:"null"`
		Value any  `json:"value"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		p.t.Fatal(err)
	}
	if r.Null {
		return "", true
	}
	s, _ := r.Value.(string)
	if s == "" {
		p.t.Fatalf("%s returned %v, want null or an error string", expr, r.Value)
	}
	return s, false
}

func (p *page) screenshot(name string) *image.RGBA {
	p.t.Helper()
	data, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	img := decodePNG(p.t, data)
	if name != "" {
		savePNG(p.t, name, img)
	}
	return img
}

// key presses a key for real and holds it until the app shows the effect
// (cond over s = hsrviz.get(), as in waitSettled) or 10 s pass: Ebiten polls
// the keyboard once per tick, and on a loaded machine a frame can take
// longer than a human key press, so a fixed short press can fall between
// two ticks and be missed.
func (p *page) key(key, code string, vk int64, cond string) {
	p.t.Helper()
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: code, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk}
	if len(key) == 1 {
		down.Text = key
	}
	if _, err := chromedp.Call(p.ctx, input.DispatchKeyEvent, down); err != nil {
		p.t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`(() => { const s = hsrviz.get(); return `+cond+`; })()`,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
	up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: key, Code: code, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk}
	if _, err := chromedp.Call(p.ctx, input.DispatchKeyEvent, up); err != nil {
		p.t.Fatal(err)
	}
	if err != nil {
		p.t.Fatalf("key %s: the app did not react (%s) within 10 s: %v", code, cond, err)
	}
}

func (p *page) mouse(typ input.DispatchMouseEventType, x, y float64, buttons int64) {
	p.t.Helper()
	params := input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Buttons: buttons}
	if typ != chromedp.MouseMoved {
		params.Button = input.MouseButtonLeft
		params.ClickCount = 1
	}
	if _, err := chromedp.Call(p.ctx, input.DispatchMouseEvent, params); err != nil {
		p.t.Fatal(err)
	}
}

// drag presses at (x0,y0), moves in steps to (x1,y1) with the button held,
// and releases, pausing between events so Ebiten sees each tick.
func (p *page) drag(x0, y0, x1, y1 float64, steps int, pause time.Duration) {
	p.t.Helper()
	p.mouse(chromedp.MouseMoved, x0, y0, 0)
	time.Sleep(pause)
	p.mouse(chromedp.MousePressed, x0, y0, 1)
	time.Sleep(pause)
	for i := 1; i <= steps; i++ {
		f := float64(i) / float64(steps)
		p.mouse(chromedp.MouseMoved, x0+(x1-x0)*f, y0+(y1-y0)*f, 1)
		time.Sleep(pause)
	}
	p.mouse(chromedp.MouseReleased, x1, y1, 1)
	time.Sleep(pause)
}

// focusCanvas clicks the title bar (no widget there) so the canvas has
// the keyboard focus, as a user would before pressing keys.
func (p *page) focusCanvas() {
	p.t.Helper()
	x, y := float64(viewW)*0.6, 6.0
	p.mouse(chromedp.MouseMoved, x, y, 0)
	p.mouse(chromedp.MousePressed, x, y, 1)
	time.Sleep(80 * time.Millisecond)
	p.mouse(chromedp.MouseReleased, x, y, 1)
	time.Sleep(80 * time.Millisecond)
}

// touchDrag puts a finger down at (x0,y0), slides it to (x1,y1) in steps
// and lifts it, pausing so Ebiten sees each position.
func (p *page) touchDrag(x0, y0, x1, y1 float64, steps int, pause time.Duration) {
	p.t.Helper()
	id := 1.0
	send := func(typ input.DispatchTouchEventType, x, y float64) {
		params := input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{}}
		if typ != input.DispatchTouchEventTypeTouchEnd {
			params.TouchPoints = []*input.TouchPoint{{X: x, Y: y, ID: &id}}
		}
		if _, err := chromedp.Call(p.ctx, input.DispatchTouchEvent, params); err != nil {
			p.t.Fatal(err)
		}
		time.Sleep(pause)
	}
	send(input.DispatchTouchEventTypeTouchStart, x0, y0)
	for i := 1; i <= steps; i++ {
		f := float64(i) / float64(steps)
		send(input.DispatchTouchEventTypeTouchMove, x0+(x1-x0)*f, y0+(y1-y0)*f)
	}
	send(input.DispatchTouchEventTypeTouchEnd, x1, y1)
}

// checkFullRedrawSame compares the canvas as drawn frame after frame (the
// renderer redraws only the scene groups that changed) with a full redraw
// of the same state, forced by resizing the viewport by a pixel and back:
// they must be identical. The canvas, assembled from partial presents, must
// also be the app's picture before that (checkCanvasIsPicture), so a
// difference says which of the two went wrong. The app must be idle and
// paused.
func (p *page) checkFullRedrawSame(name string, scale float64) {
	p.t.Helper()
	p.checkCanvasIsPicture(name + "-before")
	p.rest()
	before := p.screenshot("")
	var opts []chromedp.EmulateViewportOption
	if scale != 1 {
		opts = append(opts, chromedp.EmulateScale(scale))
	}
	// A new size redraws everything (the app draws at once, asleep or not).
	for _, h := range []int64{viewH + 1, viewH} {
		f0 := p.appFrames()
		if err := chromedp.Do(p.ctx, chromedp.EmulateViewport(viewW, h, opts...)); err != nil {
			p.t.Fatal(err)
		}
		p.waitJS(fmt.Sprintf("a frame at height %d", h), fmt.Sprintf(`hsrviz.metrics().frames > %v`, f0))
		p.rest()
	}
	p.waitSettled("")
	p.rest()
	after := p.screenshot("")
	if before.Bounds() != after.Bounds() {
		p.t.Fatalf("%s: screenshot sizes differ: %v vs %v", name, before.Bounds(), after.Bounds())
	}
	if diff, where := pixelDiff(before, after); diff > 0 {
		savePNG(p.t, name+"-incremental.png", before)
		savePNG(p.t, name+"-full.png", after)
		p.t.Errorf("%s: the incrementally redrawn canvas differs from a full redraw in %d pixels within %v", name, diff, where)
	}
}

// pixelDiff counts the pixels in which a and b (of the same bounds)
// differ, and gives their bounding box.
func pixelDiff(a, b *image.RGBA) (n int, where image.Rectangle) {
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.RGBAAt(x, y) != b.RGBAAt(x, y) {
				n++
				where = where.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return n, where
}

func (p *page) messages() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.console {
		out = append(out, m.String())
	}
	return out
}

// consoleProblems lists console errors and uncaught exceptions.
func (p *page) consoleProblems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.console {
		if m.IsException() || m.Type == chromedp.ConsoleError {
			out = append(out, m.String())
		}
	}
	return out
}

func (p *page) checkConsoleClean() {
	p.t.Helper()
	if probs := p.consoleProblems(); len(probs) > 0 {
		p.t.Errorf("console errors/exceptions: %s", strings.Join(probs, "\n"))
	}
}

func (p *page) evalFloat(expr string) float64 {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[float64](expr))
	if err != nil {
		p.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// pausedWidget pauses the trace animation, waits until the app rests, and
// returns the state and the region of the named widget (a drag's target).
func (p *page) pausedWidget(name string) (viz.Snapshot, viz.Region) {
	p.t.Helper()
	if e, null := p.call(`hsrviz.play(false)`); !null {
		p.t.Fatal(e)
	}
	s := p.waitSettled("!s.playing")
	w, err := panelByName(s.Widgets, name)
	if err != nil {
		p.t.Fatalf("the %s widget: %v", name, err)
	}
	return s, w
}
