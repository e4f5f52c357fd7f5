package ebitenview

import (
	"fmt"
	"image"
	"log"
	"math"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/hsrviz/hsrviz/internal/ring"
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// Model is what the view drives; *viz.App implements it.
type Model interface {
	Update(in input.Input)
	Scene(w, h int) *scene.Scene
	FrameWork(d time.Duration)
}

// Animator is implemented by models that know whether their picture can
// change with no input: an animation plays or work is pending. While it
// reports false, no input is held and the last frame changed nothing, the
// Game draws no frames (see Game.Update); *viz.App implements it.
type Animator interface {
	Animating() bool
}

// ErrorShower is implemented by models that can show a platform error (a
// recovered panic) in their own UI, e.g. viz.App's Error line.
type ErrorShower interface {
	ShowError(msg string)
}

// Game is an ebiten.Game drawing a Model. Its methods Update, Draw and
// LayoutF are called by Ebiten; Do lets other goroutines (the JS API, a
// state-file writer) touch the model between frames.
type Game struct {
	mu    sync.Mutex
	model Model
	rend  *Renderer
	in    inputReader

	scale      float64 // device pixels per logical pixel
	w, h       int     // logical size
	exact      bool    // the screen is w×h times scale exactly: Ebiten copies it pixel for pixel
	lastTick   time.Time
	updateWork time.Duration // Go time of the Update calls since the last Draw
	frames     int

	// Per-frame Go time of the three parts, for Breakdown.
	partUpdate, partScene, partRender partRing

	errMsg  string    // last recovered panic, shown as a banner
	errTime time.Time // when it happened

	// AfterUpdate, if set, runs at the end of every Update with the model
	// locked (to sync the URL hash, write a state file, ...).
	AfterUpdate func()
	// AfterDraw, if set, runs at the end of every Draw with the model
	// locked; frame counts from 1. screen holds the frame just drawn.
	AfterDraw func(frame int, screen *ebiten.Image)
	// KeepAwake, if set, runs at the end of every Update with the model
	// locked: true keeps frames coming although the model rests (a URL
	// hash waiting to be written, a frame count to reach).
	KeepAwake func() bool
	// Sleep, if set, is told when the Game stops drawing frames (true) and
	// when it starts again or Wake is called (false), with the model
	// locked: the browser page then stops asking for animation frames.
	Sleep func(asleep bool)
	// Present, if set, is told at the end of every Draw which device-pixel
	// rectangles of screen (of size size) this Draw changed, or whole: the
	// platform may then present only those (the browser page keeps the
	// canvas's pixels and fills only them, index.html's hsrvizPresent).
	// whole is true for the first frame, a new size or scale, an error
	// banner, a screen that Ebiten does not copy pixel for pixel (a device
	// scale whose product with the window size is not whole), and whenever
	// the renderer redrew everything. rects is reused by the next Draw.
	// AfterDraw must not draw on screen while Present is set.
	Present func(rects []image.Rectangle, whole bool, size image.Point)

	asleep bool // no frames until input or Wake (FPSModeVsyncOffMinimum)
	quit   bool
}

// New returns a Game drawing m. It turns off Ebiten's clearing of the
// screen before each frame: the Game redraws only the parts of the scene
// that changed (Renderer.Retained). It draws frames only while something
// can change (see Update).
func New(m Model) *Game {
	ebiten.SetScreenClearedEveryFrame(false)
	r := NewRenderer()
	r.Retained = true
	return &Game{model: m, rend: r, scale: 1}
}

// Do runs f with the model locked, so f never overlaps a frame.
func (g *Game) Do(f func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f()
}

// Frames is the number of frames drawn so far.
func (g *Game) Frames() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.frames
}

// Quit makes the next Update end the game loop (RunGame returns nil).
// Call it with the model locked (from Do, AfterUpdate or AfterDraw).
func (g *Game) Quit() { g.quit = true }

// Wake makes Ebiten draw a frame soon although no input arrived: call it
// after changing the model from outside a frame (the JS API, a new URL
// hash). That frame's Update decides whether more follow.
// Call it with the model locked (inside Do or a hook).
func (g *Game) Wake() {
	ebiten.ScheduleFrame()
	if g.Sleep != nil {
		g.Sleep(false)
	}
}

// Asleep reports whether the Game has stopped drawing frames until input
// or Wake. Call it with the model locked (inside Do or a hook).
func (g *Game) Asleep() bool { return g.asleep }

// wakeState is what decides whether frames keep coming after this one.
type wakeState struct {
	inputHeld bool // a key, a mouse button or a finger is down (keys repeat by ticks)
	animating bool // the model's picture can change by itself
	keepAwake bool // the platform wants frames (KeepAwake)
	drew      bool // the last Draw changed pixels: the next may too (a hover, a settling layout)
	banner    bool // an error banner is up and goes away by time
}

// wantFrames: idle means idle. When nothing animates or computes, no input
// is held and the last frame drew nothing new, the next frame would be the
// same as the last: Ebiten then waits for input (FPSModeVsyncOffMinimum:
// in the browser an input event draws a frame at once, on the desktop it
// wakes the loop) instead of running Update and Draw 60 times a second, and
// a laptop on battery in a lecture stays cool.
func wantFrames(w wakeState) bool {
	return w.inputHeld || w.animating || w.keepAwake || w.drew || w.banner
}

// inputHeld reports whether a mouse button, a finger or a key is down.
func inputHeld() bool {
	for _, b := range []ebiten.MouseButton{ebiten.MouseButtonLeft, ebiten.MouseButtonRight, ebiten.MouseButtonMiddle} {
		if ebiten.IsMouseButtonPressed(b) {
			return true
		}
	}
	return len(ebiten.AppendTouchIDs(nil)) > 0 || len(inpututil.AppendPressedKeys(nil)) > 0
}

// schedule switches Ebiten between drawing every frame and drawing only on
// input or Wake. Called at the end of Update with the model locked.
func (g *Game) schedule() {
	w := wakeState{
		inputHeld: inputHeld() || g.in.catch.Pending(), // a queued release still to show
		drew:      g.rend.Drew,
		banner:    g.errMsg != "" && time.Since(g.errTime) < bannerTime,
	}
	if a, ok := g.model.(Animator); ok {
		w.animating = a.Animating()
	} else {
		w.animating = true // a model that cannot tell gets every frame
	}
	if g.KeepAwake != nil {
		w.keepAwake = g.KeepAwake()
	}
	sleep := !wantFrames(w)
	if sleep == g.asleep {
		return
	}
	g.asleep = sleep
	if sleep {
		ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum)
	} else {
		ebiten.SetFPSMode(ebiten.FPSModeVsyncOn)
	}
	if g.Sleep != nil {
		g.Sleep(sleep)
	}
}

// Update reads this tick's input and advances the model.
func (g *Game) Update() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.quit {
		return ebiten.Termination
	}
	t0 := time.Now()
	dt := 0.0
	if !g.lastTick.IsZero() && !g.asleep {
		// (After a sleep the time since the last tick was nobody's frame:
		// the animation does not jump.)
		dt = t0.Sub(g.lastTick).Seconds()
	}
	g.lastTick = t0
	// A tab in the background gets no ticks; do not jump the animation.
	dt = math.Max(0, math.Min(dt, 0.25))
	in := g.in.read(dt, g.scale)
	g.guard("Update", func() {
		g.model.Update(in)
		if g.AfterUpdate != nil {
			g.AfterUpdate()
		}
	})
	g.guard("schedule", g.schedule)
	g.updateWork += time.Since(t0)
	return nil
}

// Draw renders the model's scene and reports the frame's Go work.
func (g *Game) Draw(screen *ebiten.Image) {
	g.mu.Lock()
	defer g.mu.Unlock()
	t0 := time.Now()
	w, h := g.w, g.h
	if w <= 0 || h <= 0 {
		b := screen.Bounds()
		w, h = int(float64(b.Dx())/g.scale), int(float64(b.Dy())/g.scale)
	}
	drawn := false
	var tScene time.Time
	g.guard("Draw", func() {
		s := g.model.Scene(w, h)
		tScene = time.Now()
		g.rend.Draw(screen, s, float32(g.scale))
		drawn = true
	})
	if drawn {
		g.partUpdate.add(g.updateWork)
		g.partScene.add(tScene.Sub(t0))
		g.partRender.add(time.Since(tScene))
	}
	if !drawn {
		screen.Fill(bannerBG)
		g.rend.Invalidate()
	}
	banner := g.errMsg != "" && time.Since(g.errTime) < bannerTime
	if banner {
		g.rend.banner(screen, "internal error (the app keeps running; details in the log): "+g.errMsg, float32(g.scale))
		g.rend.Invalidate() // painted over the scene: the next frame redraws it all
	}
	g.frames++
	g.guard("FrameWork", func() {
		g.model.FrameWork(g.updateWork + time.Since(t0))
		if g.AfterDraw != nil {
			g.AfterDraw(g.frames, screen)
		}
	})
	g.updateWork = 0
	if g.Present != nil {
		whole := !drawn || banner || !g.exact
		rects := g.rend.Painted(screen.Bounds())
		if rects == nil {
			whole = true
		}
		g.Present(rects, whole, screen.Bounds().Size())
	}
}

// bannerTime is how long the error banner stays up.
const bannerTime = 20 * time.Second

// Breakdown returns the median and 95th percentile, in milliseconds, of
// the Go time per frame spent in the model's Update (all ticks since the
// previous frame), its Scene, and this package's rendering, over the last
// 240 frames: where the frame budget goes; and the number of frames drawn
// in full and partially (only the changed groups), and the rasters updated
// in place (only their changed part uploaded). Call it with the model locked
// (inside Do or a hook).
func (g *Game) Breakdown() map[string]float64 {
	out := map[string]float64{}
	for name, r := range map[string]*partRing{"update": &g.partUpdate, "scene": &g.partScene, "render": &g.partRender} {
		p50, p95 := r.quantiles()
		out[name+"_p50_ms"], out[name+"_p95_ms"] = p50, p95
	}
	// frames drawn whole and frames where only changed groups were redrawn
	out["frames_full"], out["frames_partial"] = float64(g.rend.Full), float64(g.rend.Partial)
	out["raster_partial_uploads"] = float64(g.rend.PartialUploads)
	return out
}

// Recent returns the Go time of the last k frames (at most 1024) spent in
// the model's Update, its Scene and the rendering ("update", "scene",
// "render"), oldest first, in milliseconds. Call it with the model locked.
func (g *Game) Recent(k int) map[string][]float64 {
	return map[string][]float64{"update": g.partUpdate.last(k), "scene": g.partScene.last(k), "render": g.partRender.last(k)}
}

// partRing keeps the last durations of one part of the frame.
type partRing struct{ ring.Durations }

func (r *partRing) add(d time.Duration)  { r.Add(d) }
func (r *partRing) last(k int) []float64 { return r.Last(k) }

// quantiles are the median and 95th percentile of the last 240 durations.
func (r *partRing) quantiles() (p50, p95 float64) {
	v := r.last(240)
	k := len(v)
	if k == 0 {
		return 0, 0
	}
	sort.Float64s(v)
	return v[(k-1)/2], v[(k-1)*95/100]
}

// LayoutF makes the screen as many device pixels as the window has, so text
// and lines are crisp on high-DPI displays; the scene stays in logical pixels.
func (g *Game) LayoutF(outsideW, outsideH float64) (float64, float64) {
	s := 1.0
	if m := ebiten.Monitor(); m != nil {
		s = m.DeviceScaleFactor()
	}
	if s <= 0 || math.IsNaN(s) {
		s = 1
	}
	g.mu.Lock()
	g.scale = s
	g.w, g.h = int(math.Max(1, math.Round(outsideW))), int(math.Max(1, math.Round(outsideH)))
	// Ebiten's screen is ceil(outside×s) device pixels and our picture
	// round(outside×s): the same, and copied at scale 1, only when both
	// products are whole numbers.
	g.exact = outsideW*s == math.Round(outsideW*s) && outsideH*s == math.Round(outsideH*s)
	g.mu.Unlock()
	return math.Max(1, math.Round(outsideW*s)), math.Max(1, math.Round(outsideH*s))
}

// Layout is required by ebiten.Game; Ebiten calls LayoutF instead.
func (g *Game) Layout(outsideW, outsideH int) (int, int) {
	w, h := g.LayoutF(float64(outsideW), float64(outsideH))
	return int(w), int(h)
}

// guard runs f and turns a panic into a logged, displayed error: a bug in
// one frame must not take the page down.
func (g *Game) guard(where string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("%s: %v", where, r)
			if msg != g.errMsg {
				log.Printf("hsrviz: recovered panic in %s: %v\n%s", where, r, debug.Stack())
			}
			g.errMsg, g.errTime = msg, time.Now()
			if es, ok := g.model.(ErrorShower); ok {
				func() {
					defer func() { _ = recover() }()
					es.ShowError("internal error: " + msg)
				}()
			}
		}
	}()
	f()
}
