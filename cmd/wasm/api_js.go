//go:build js

package main

import (
	"encoding/json"
	"fmt"
	"image"
	"log"
	"math"
	"runtime/debug"
	"strings"
	"syscall/js"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/hsrviz/hsrviz/viz"
	"github.com/hsrviz/hsrviz/viz/ebitenview"
)

// bridge connects the app to the page: the URL hash and window.hsrviz.
// Every call from JavaScript takes the game's lock, so it never runs in the
// middle of a frame.
type bridge struct {
	app  *viz.App
	game *ebitenview.Game
	api  js.Value

	lastHash     string
	typed        *viz.Params // while set: the params of a link with bad fields, whose address stays as typed
	pendingHash  string      // a UI change waiting to reach the URL
	pendingMs    float64     // since when
	ready        bool
	firstFrameMs float64
	readyMs      float64
	ticks        int
	funcs        []js.Func
}

func newBridge(app *viz.App, g *ebitenview.Game) *bridge {
	return &bridge{app: app, game: g, firstFrameMs: -1, readyMs: -1}
}

func now() float64 { return js.Global().Get("performance").Call("now").Float() }

// install defines window.hsrviz and the hooks that keep it and the URL hash
// in sync with the app.
func (b *bridge) install() {
	api := js.Global().Get("Object").New()
	b.api = api
	api.Set("ready", false)
	api.Set("get", b.fn("get", func(args []js.Value) any {
		if len(args) != 0 {
			return errString("get takes no arguments")
		}
		return b.snapshotJS()
	}))
	api.Set("set", b.changer("set", func(args []js.Value) any {
		if len(args) != 1 || args[0].Type() != js.TypeObject || js.Global().Get("Array").Call("isArray", args[0]).Bool() {
			return errString("set takes one object of parameters, e.g. hsrviz.set({b: 1.2})")
		}
		patch := js.Global().Get("JSON").Call("stringify", args[0]).String()
		if err := b.app.SetParamsJSON([]byte(patch)); err != nil {
			return errString("set: " + err.Error())
		}
		b.syncHash()
		return nil
	}))
	api.Set("step", b.changer("step", func(args []js.Value) any {
		n := 1
		if len(args) > 1 {
			return errString("step takes one integer, e.g. hsrviz.step(1) or hsrviz.step(-1)")
		}
		if len(args) == 1 {
			v := args[0]
			if v.Type() != js.TypeNumber || v.Float() != math.Trunc(v.Float()) || math.Abs(v.Float()) > 1e9 {
				return errString("step takes one integer, e.g. hsrviz.step(1) or hsrviz.step(-1)")
			}
			n = v.Int()
		}
		b.app.StepAnimation(n)
		return nil
	}))
	api.Set("play", b.changer("play", func(args []js.Value) any {
		if len(args) != 1 || args[0].Type() != js.TypeBoolean {
			return errString("play takes one boolean: hsrviz.play(true) or hsrviz.play(false)")
		}
		b.app.SetPlaying(args[0].Bool())
		return nil
	}))
	api.Set("hash", b.fn("hash", func(args []js.Value) any {
		return b.app.Snapshot().Hash
	}))
	api.Set("metrics", b.fn("metrics", func(args []js.Value) any {
		return b.metricsJS()
	}))
	b.installLesson(api) // hsrviz.lesson (api_lesson_js.go)
	b.installInspect(api)
	js.Global().Set("hsrviz", api)

	// Follow hand-edited links (the user pastes a new hash).
	js.Global().Call("addEventListener", "hashchange", b.changer("hashchange", func([]js.Value) any {
		h := js.Global().Get("location").Get("hash").String()
		if h == "#"+b.lastHash {
			return nil
		}
		// A pasted hash is a patch on the current picture: "#b=0.5"
		// changes b only. Its bad fields are named and left out, and then
		// the address stays as typed so the typo can be fixed.
		p, perr := viz.PatchHash(b.app.Params(), h)
		data, _ := json.Marshal(p)
		if err := b.app.SetParamsJSON(data); err != nil {
			showError(b.app, err.Error())
		}
		if perr != nil {
			showError(b.app, fmt.Sprintf("some of the link's parameters were not used: %v", perr))
			b.keepTyped(h, p)
			return nil
		}
		b.typed = nil
		b.syncHash()
		return nil
	}))

	b.game.AfterUpdate = func() {
		if b.ticks == 0 {
			js.Global().Set("hsrvizFirstUpdateMs", now())
		}
		b.ticks++
		// A few times a second is enough for the hash, and every tick until
		// ready so tests see it promptly; not in the first tick, whose
		// frame is the page's first picture (the hash and history's
		// replaceState cost 10-20 ms of it in the browser; the next tick
		// writes them).
		if b.ticks > 1 && (!b.ready || b.ticks%8 == 0) {
			b.sync(!b.ready) // until ready, nobody drags: the hash follows at once
		}
	}
	// A UI change waits hashQuiet before it reaches the URL (sync): frames
	// go on until it has.
	b.game.KeepAwake = func() bool {
		if b.ticks <= 1 {
			// The first tick writes no hash (AfterUpdate) and the second
			// does: stay awake for it without computing the hash now, in
			// the page's first frame (Params.Hash and its formatting
			// compiled at their first call: 10-17 ms of it in a profile).
			return true
		}
		if b.typed != nil && b.app.Params().SameChoice(*b.typed) {
			return false // a link with bad fields stays as typed: no hash to write
		}
		return b.app.Params().Hash() != b.lastHash
	}
	// Asleep, the page asks for no animation frames (index.html's hsrvizRAF).
	if ring := js.Global().Get("hsrvizRAF"); ring.Type() == js.TypeObject && ring.Get("wake").Type() == js.TypeFunction {
		b.game.Sleep = func(asleep bool) {
			if asleep {
				ring.Set("sleep", true)
			} else {
				ring.Call("wake")
			}
		}
	}
	// The canvas keeps its pixels: the page presents only the rectangles
	// the frame changed (index.html's hsrvizPresent).
	if pr := js.Global().Get("hsrvizPresent"); pr.Type() == js.TypeObject && pr.Get("frame").Type() == js.TypeFunction {
		var flat []any
		b.game.Present = func(rects []image.Rectangle, whole bool, size image.Point) {
			if whole {
				pr.Call("frame", nil, size.X, size.Y)
				return
			}
			flat = flat[:0]
			for _, r := range rects {
				flat = append(flat, r.Min.X, r.Min.Y, r.Max.X, r.Max.Y)
			}
			pr.Call("frame", flat, size.X, size.Y)
		}
	}
	b.game.AfterDraw = func(frame int, _ *ebiten.Image) {
		if frame == 1 {
			b.firstFrameMs = now()
			js.Global().Set("hsrvizFirstFrameMs", b.firstFrameMs)
			if f := js.Global().Get("hsrvizStarted"); f.Type() == js.TypeFunction {
				f.Invoke()
			}
		}
	}
	b.installIO() // exportPNG, exportData, load (api_io_js.go)
}

// keepTyped leaves the address bar as the user typed it (a link with bad
// fields) until the parameters change from p.
func (b *bridge) keepTyped(typed string, p viz.Params) {
	b.typed = &p
	b.lastHash = strings.TrimPrefix(typed, "#")
}

// syncHash updates window.hsrviz.ready and the URL hash from the app at
// once (after an API call). Called with the game locked.
func (b *bridge) syncHash() { b.sync(true) }

// hashQuiet is how long the parameters must stay unchanged before a UI
// change reaches the URL: history.replaceState costs the page milliseconds,
// too much for every frame of a drag; the link follows once the drag rests.
const hashQuiet = 300 // ms

// sync updates window.hsrviz.ready and, if it changed, the URL hash; unless
// force, a new hash is written only once it has not changed for hashQuiet
// (a later call writes it).
func (b *bridge) sync(force bool) {
	if r := b.app.Ready(); r != b.ready {
		b.ready = r
		b.api.Set("ready", r)
		if r && b.readyMs < 0 {
			b.readyMs = now()
			js.Global().Set("hsrvizReadyMs", b.readyMs)
		}
	}
	if b.typed != nil {
		if b.app.Params().SameChoice(*b.typed) {
			return // nothing changed since the link with bad fields: keep its text
		}
		b.typed = nil
	}
	h := b.app.Params().Hash()
	if h == b.lastHash {
		return
	}
	if !force {
		t := now()
		if h != b.pendingHash {
			b.pendingHash, b.pendingMs = h, t
			return
		}
		if t-b.pendingMs < hashQuiet {
			return
		}
	}
	b.lastHash = h
	// replaceState: no history entry per slider step, no hashchange event.
	js.Global().Get("history").Call("replaceState", nil, "", "#"+h)
}

func (b *bridge) snapshotJS() any {
	data, err := json.Marshal(b.app.Snapshot())
	if err != nil {
		return errString("get: " + err.Error())
	}
	return js.Global().Get("JSON").Call("parse", string(data))
}

func (b *bridge) metricsJS() any {
	s := b.app.Snapshot()
	m := map[string]any{
		"firstFrameMs": b.firstFrameMs,
		"readyMs":      b.readyMs,
		"frame":        s.Frame,
		"breakdown":    b.game.Breakdown(),
		"asleep":       b.game.Asleep(),
	}
	// The last frames one by one, oldest first, so that a measurement can
	// take exactly the frames of an interaction (after frames/rafFrames
	// noted at its start).
	work, count := b.app.FrameTimes(1024)
	recent := b.game.Recent(1024)
	recent["work"] = work
	m["frames"] = count
	if ring := js.Global().Get("hsrvizRAF"); ring.Type() == js.TypeObject {
		n := ring.Get("n").Int()
		ms, gap := ringLast(ring.Get("ms"), n, 240), ringLast(ring.Get("gap"), n, 240)
		m["rafCallback"] = viz.Summarize(ms, n)
		m["rafInterval"] = viz.Summarize(gap, n)
		recent["raf"] = ringLast(ring.Get("ms"), n, 1024)
		recent["rafGap"] = ringLast(ring.Get("gap"), n, 1024)
		m["rafFrames"] = n
	}
	m["recent"] = recent
	// The long units of compute and the garbage collector's pauses, on the
	// page's clock (performance.now, ms): what a long frame gap held.
	off := js.Global().Get("performance").Call("now").Float() - float64(time.Now().UnixNano())/1e6
	var long []map[string]any
	for _, u := range b.app.LongUnits() {
		long = append(long, map[string]any{"kind": u.Kind, "at": float64(u.Start.UnixNano())/1e6 + off, "ms": u.Ms})
	}
	m["longUnits"] = long
	var gs debug.GCStats
	gs.PauseQuantiles = nil
	debug.ReadGCStats(&gs)
	var pauses []map[string]any
	for i := range min(len(gs.Pause), len(gs.PauseEnd)) {
		pauses = append(pauses, map[string]any{"end": float64(gs.PauseEnd[i].UnixNano())/1e6 + off, "ms": gs.Pause[i].Seconds() * 1000})
	}
	m["gc"] = map[string]any{"num": gs.NumGC, "pauseTotalMs": gs.PauseTotal.Seconds() * 1000, "pauses": pauses}
	if load := js.Global().Get("hsrvizLoad"); load.Type() == js.TypeObject {
		m["wasmBytes"] = load.Get("wasmBytes").Float()
		m["wasmTransferBytes"] = load.Get("transferBytes").Float()
		m["fetchMs"] = load.Get("fetchMs").Float()
	}
	// The loader may have looked before the resource timing entry existed:
	// read the bytes on the wire (gzip) from it now.
	if es := js.Global().Get("performance").Call("getEntriesByType", "resource"); es.Type() == js.TypeObject {
		for i := 0; i < es.Length(); i++ {
			e := es.Index(i)
			if strings.HasSuffix(e.Get("name").String(), "/hsrviz.wasm") {
				if v := e.Get("encodedBodySize"); v.Type() == js.TypeNumber && v.Float() > 0 {
					m["wasmTransferBytes"] = v.Float()
				}
			}
		}
	}
	data, err := json.Marshal(m)
	if err != nil {
		return errString("metrics: " + err.Error())
	}
	return js.Global().Get("JSON").Call("parse", string(data))
}

// ringLast returns the last min(k, n, len) entries of a JS Float64Array
// ring written n times (index.html's hsrvizRAF), oldest first.
func ringLast(arr js.Value, n, k int) []float64 {
	size := arr.Length()
	k = max(0, min(k, n, size))
	v := make([]float64, k)
	for i := range v {
		v[i] = arr.Index((n - k + i) % size).Float()
	}
	return v
}

// fn wraps a Go function for JavaScript: it runs with the game locked, and
// a panic becomes an error string returned to the caller (and a log line)
// instead of killing the Go program.
func (b *bridge) fn(name string, f func(args []js.Value) any) js.Value {
	return b.jsFunc(name, false, f)
}

// changer is fn for a function that may change what the app shows: the
// game, which draws no frames while nothing changes, draws the next one.
func (b *bridge) changer(name string, f func(args []js.Value) any) js.Value {
	return b.jsFunc(name, true, f)
}

func (b *bridge) jsFunc(name string, wake bool, f func(args []js.Value) any) js.Value {
	jf := js.FuncOf(func(this js.Value, args []js.Value) (ret any) {
		defer func() {
			if r := recover(); r != nil {
				log.Printf("hsrviz: %s: recovered panic: %v", name, r)
				ret = errString(fmt.Sprintf("%s: internal error: %v", name, r))
			}
		}()
		b.game.Do(func() {
			ret = f(args)
			if wake {
				b.game.Wake()
			}
		})
		return ret
	})
	b.funcs = append(b.funcs, jf)
	return jf.Value
}

func errString(s string) any { return js.ValueOf(s) }

// showError puts msg in the app's error line if the app has one.
func showError(app *viz.App, msg string) {
	var a any = app
	if es, ok := a.(ebitenview.ErrorShower); ok {
		es.ShowError(msg)
	}
}
