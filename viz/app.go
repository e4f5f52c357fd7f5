package viz

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/internal/ring"
	"github.com/hsrviz/hsrviz/viz/input"
)

// App is the visualizer's drawing model: Params in, engine results and the
// query trace computed (spread over frames), a scene out. It knows nothing
// of Ebiten; the platform layer calls Update once per tick and Scene to draw.
// An App is not safe for concurrent use.
type App struct {
	p Params

	data      *dataset
	dataVer   int
	q         []float64
	qKey      queryKey
	qVer      int
	rows      *rowsJob // in progress (or complete) for the current parameters
	rowBuf    rowScratch
	shownRows *rowsJob
	sum       *summary
	scaling   *scalingJob
	timing    *timingJob // index vs scan, timed once the rows are in (timing.go)
	scaleIdx  map[int]*scaleEngines
	failed    error // a compute unit failed: the pipeline stops until the parameters change

	spread *spreadJob // the score sample behind a measured b and panel 6's score view (thresholds.go)

	trace      *hsr.Trace
	spareTrace *hsr.Trace // the previous trace, whose storage the next one reuses
	traceKey   traceKey
	step       int
	playing    bool
	stepAcc    float64
	holdEnd    float64

	indexBuilds int
	everReady   bool
	budget      time.Duration // compute per tick while the user interacts
	quiet       float64       // seconds since the last input
	lastP       Params        // the parameters at the end of the last Update
	ptrDown     bool          // the primary pointer was down at the last Update
	interactive bool          // within Update: the user interacts (see maxInteractiveUnit)
	units       unitCosts
	longUnits   []LongUnit // the last units over longUnitMin (LongUnits)
	frames      frameRing
	errMsg      string

	ui     uiState
	panels []panel // newPanels: each owns what it keeps between frames
	io     ioState // export requests and their results (export.go)
}

type traceKey struct {
	data, q, query int
	c              float64
	index          hsr.IndexKind
	kind           attention.Kind
	gamma          float64
	b              float64
	tau            TauMode
}

// sans is the key without the computed offset c (what wantTraceKey gives).
func (k traceKey) sans() traceKey { k.c = 0; return k }

// DefaultBudget is the compute time Update spends per tick on pending work
// while the user interacts: with the scene and its rendering (~1 ms each in
// the page) a frame stays well inside 8 ms.
const DefaultBudget = 2 * time.Millisecond

// NewApp validates p and returns an App; no work is done until Update or Compute.
func NewApp(p Params) (*App, error) {
	p.normalize()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	a := &App{p: p, budget: DefaultBudget, playing: true, scaleIdx: map[int]*scaleEngines{}, panels: newPanels()}
	if err := a.invalidate(); err != nil {
		return nil, err
	}
	return a, nil
}

// Ready reports whether the first full computation has finished (since
// then, the screen shows complete results, possibly of earlier parameters
// while new ones compute).
func (a *App) Ready() bool { return a.everReady }

// Params returns the current parameters.
func (a *App) Params() Params { return a.p }

// SetParams replaces the parameters (validated; on error nothing changes).
func (a *App) SetParams(p Params) error {
	p = p.customSwitch(a.p, func(string) bool { return false })
	p.normalize()
	return a.switchTo(p, p.Validate())
}

// SetParamsJSON applies a partial update such as {"b":1.2}. An unknown
// field or a bad value is an error naming it, and nothing changes.
func (a *App) SetParamsJSON(patch []byte) error {
	return a.switchTo(a.p.applyPatch(patch))
}

// switchTo makes p current unless err (a refusal) or starting its work
// fails; on error the parameters stay and the message is shown.
func (a *App) switchTo(p Params, err error) error {
	if err == nil {
		old := a.p
		a.p = p
		if err = a.invalidate(); err != nil {
			a.p = old
		}
	}
	if err != nil {
		a.errMsg = err.Error()
		return err
	}
	a.errMsg = ""
	return nil
}

// IndexBuilds counts the indexes built since NewApp (scan, tree and
// automatic, main and scaling series): changing b must not raise it.
func (a *App) IndexBuilds() int { return a.indexBuilds }

// invalidate starts whatever the new parameters make stale; results still
// valid are kept.
func (a *App) invalidate() error {
	p := a.p
	a.failed = nil
	if a.data == nil || a.data.key != p.dataKey() {
		ds, err := newDataset(p, a.dataVer+1)
		if err != nil {
			return err
		}
		a.dataVer++
		a.data = ds
		a.scaleIdx = map[int]*scaleEngines{}
		a.rows, a.scaling, a.trace, a.timing = nil, nil, nil, nil
	}
	qk := queryKey{m: p.M, d: p.D, sigma: p.Sigma, seed: p.Seed, data: p.Data, files: p.customTensors(), qvec: p.QVec}
	if a.q == nil || qk != a.qKey {
		q, err := queries(p)
		if err != nil {
			return err
		}
		applyQVec(p, q)
		a.q = q
		a.qKey = qk
		a.qVer++
	}
	a.applyThreshold()
	return nil
}

// queryKey is what Q depends on (m only appends rows, but a new m gets a
// new version: the rows job's m changes anyway).
type queryKey struct {
	m, d  int
	sigma float64
	seed  uint64
	data  gen.Kind
	files *Tensors // data custom: the loaded files
	qvec  string   // Params.QVec: a dragged query (querydrag.go)
}

func (a *App) rowsKey() rowsKey {
	p := a.p
	return rowsKey{data: a.dataVer, q: a.qVer, b: p.B, alpha: p.Alpha, kind: p.Kind, gamma: p.Gamma, index: p.Index, tau: p.Tau}
}

func (a *App) scalingKey() scalingKey {
	p := a.p
	k := scalingKey{data: a.dataVer, q: a.qVer, paperB: p.PaperB, b: p.B, kind: p.Kind, gamma: p.Gamma, index: p.Index}
	if p.PaperB {
		k.b = 0 // b follows n: the series does not depend on the current b
	}
	if p.Kind == attention.Softmax && p.Tau == TauTopR {
		k.b, k.paperB = 0, false
	} else {
		k.gamma = 0
	}
	if p.Kind == attention.Softmax {
		k.tau = p.Tau
	}
	return k
}

func (a *App) wantTraceKey() traceKey {
	p := a.p
	k := traceKey{data: a.dataVer, q: a.qVer, query: p.Query, index: p.Index, kind: p.Kind}
	if p.Kind == attention.Softmax && p.Tau == TauTopR {
		k.gamma = p.Gamma
	} else {
		k.b, k.tau = p.B, p.Tau
	}
	return k
}

// Compute runs pending work for at most about budget and reports whether
// everything is done. The first unit always runs (progress is guaranteed);
// after it, a unit runs only if its kind's recent cost fits in what is left
// of the budget, and a kind never measured yet (an index build, the first
// trace) waits for the next call, where it runs first: the frame before a
// long unit is drawn, and no frame stacks a long unit on top of others.
func (a *App) Compute(budget time.Duration) bool {
	start := time.Now()
	for first := true; ; first = false {
		k := a.nextUnit()
		if k == uNone {
			return true
		}
		est, known := a.units.estimate(k)
		if !first && (!known || time.Since(start)+est > budget) {
			return false
		}
		if first && a.interactive && known && est > maxInteractiveUnit && k != uTrace {
			// A long unit (an index build, a query reporting half the keys)
			// waits until the input rests.
			return false
		}
		if a.interactive && k == uTiming {
			// Timing waits until the input rests (timing.go).
			return false
		}
		t0 := time.Now()
		if err := a.runUnitSafely(k); err != nil {
			// The engine refused (say, weights that overflow float64): say
			// so, keep what is on screen, and wait for new parameters.
			a.failed = err
			a.errMsg = err.Error()
			return true
		}
		dt := time.Since(t0)
		a.units.note(k, dt)
		if dt >= longUnitMin {
			if len(a.longUnits) == maxLongUnits {
				a.longUnits = append(a.longUnits[:0], a.longUnits[1:]...)
			}
			a.longUnits = append(a.longUnits, LongUnit{Kind: unitNames[k], Start: t0, Ms: dt.Seconds() * 1000})
		}
	}
}

// LongUnit is one unit of compute that took at least longUnitMin: where a
// frame's time went (a measurement: the page's metrics list them).
type LongUnit struct {
	Kind  string
	Start time.Time
	Ms    float64
}

// longUnitMin is the shortest unit LongUnits keeps; maxLongUnits how many.
const (
	longUnitMin  = 10 * time.Millisecond
	maxLongUnits = 1024
)

// LongUnits returns the last units of compute that took at least 10 ms
// (at most 1024), oldest first.
func (a *App) LongUnits() []LongUnit { return slices.Clone(a.longUnits) }

// unitNames names the unit kinds for LongUnits and the measurements.
var unitNames = [numUnitKinds]string{uGen: "gen", uScan: "scan build", uTree: "tree build", uCov: "covariance", uTrace: "trace",
	uRowsStart: "rows start", uRowsHSR: "row (engine)", uRowsScores: "dense scores block", uRowsWeight: "dense weights block",
	uRowsBins: "bins block", uScalingStart: "scaling start", uScaleScan: "prefix scan build", uScaleTree: "prefix tree build",
	uScaleQuery: "scaling query", uTiming: "timing slice", uSpread: "score sample row"}

// unitHook, when set (tests), sees every unit Compute runs.
var unitHook func(k unitKind)

// Settle computes until nothing is pending (tests, headless snapshots).
func (a *App) Settle() {
	for !a.Compute(time.Second) {
	}
}

// unitKind names a kind of unit of pending work: units of one kind cost
// about the same for given parameters, so their recent cost predicts the next.
type unitKind uint8

const (
	uNone         unitKind = iota
	uGen                   // a block of generated keys
	uScan                  // the scan index (a copy of the keys) and the values
	uTree                  // a slice of the tree and automatic indexes' O(n log n) build
	uCov                   // the key sample's covariance (geometry projection)
	uTrace                 // the selected query's traced query
	uRowsStart             // a new rows job
	uRowsHSR               // the engine's row (rows phases in order, see phHSR)
	uRowsScores            // a block of dense scores
	uRowsWeight            // a block of dense weights
	uRowsBins              // a block of heatmap bins
	uScalingStart          // a new scaling job
	uScaleScan             // a prefix scan index
	uScaleTree             // a prefix tree index
	uScaleQuery            // one query of the scaling series
	uTiming                // a slice of the index-vs-scan timing (timing.go)
	uSpread                // one query row of the score sample (thresholds.go)
	numUnitKinds
)

// unitCosts keeps a cautious running estimate of each kind's cost: it
// rises at once to a slower unit and decays slowly.
type unitCosts struct {
	est  [numUnitKinds]time.Duration
	seen [numUnitKinds]bool
}

func (u *unitCosts) estimate(k unitKind) (time.Duration, bool) { return u.est[k], u.seen[k] }

func (u *unitCosts) note(k unitKind, d time.Duration) {
	if !u.seen[k] || d > u.est[k] {
		u.est[k], u.seen[k] = d, true
		return
	}
	u.est[k] = (u.est[k]*7 + d) / 8
}

// nextUnit is the kind of the most urgent pending unit (uNone: all done).
func (a *App) nextUnit() unitKind {
	ds := a.data
	if a.failed != nil {
		return uNone
	}
	if !ds.ready {
		switch {
		case ds.ks.Done() < ds.n:
			return uGen
		case ds.engines[hsr.IndexScan] == nil:
			return uScan
		case ds.engines[hsr.IndexAuto] == nil:
			return uTree
		}
		return uCov
	}
	if a.thresholdPending() && !a.ui.qdrag.active {
		// b may depend on it: before the trace and the rows (while the
		// query is dragged, b stays as last measured: querydrag.go)
		return uSpread
	}
	if a.trace == nil || a.traceKey.sans() != a.wantTraceKey() {
		return uTrace
	}
	if a.rows == nil || a.rows.key != a.rowsKey() {
		return uRowsStart
	}
	if !a.rows.complete {
		return uRowsHSR + unitKind(a.rows.phase)
	}
	// The timing comes next, except while the user interacts (it waits,
	// see Compute): then the scaling series goes on meanwhile.
	timingDue := a.timingDue()
	if timingDue && !a.interactive {
		return uTiming
	}
	if k := a.scalingUnit(); k != uNone {
		return k
	}
	if timingDue {
		return uTiming
	}
	return uNone
}

// timingDue reports whether the timing of the current parameters is pending.
func (a *App) timingDue() bool {
	return a.timing == nil || a.timing.key != a.timingKey() || !a.timing.complete
}

// scalingUnit is the scaling series' next unit (uNone: complete).
func (a *App) scalingUnit() unitKind {
	ds := a.data
	sj := a.scaling
	if sj == nil || sj.key != a.scalingKey() {
		return uScalingStart
	}
	if sj.complete {
		return uNone
	}
	if nn := sj.sizes[sj.next]; nn != ds.n {
		se := a.scaleIdx[nn]
		if se == nil {
			return uScaleScan
		}
		if se[sj.key.index] == nil {
			return uScaleTree
		}
	}
	return uScaleQuery
}

// runUnitSafely is runUnit with a panic turned into an error: a bug in a
// compute job stops the pipeline with a message on screen, and the app
// keeps what it shows and keeps running.
func (a *App) runUnitSafely(k unitKind) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error while computing (%v); the last good results stay on screen, change a parameter to retry", r)
		}
	}()
	if unitHook != nil {
		unitHook(k)
	}
	return a.runUnit(k)
}

// runUnit does one unit of kind k (nextUnit's answer).
func (a *App) runUnit(k unitKind) error {
	switch k {
	case uGen, uScan, uTree, uCov:
		return a.stepData()
	case uTrace:
		return a.computeTrace(a.wantTraceKey())
	case uRowsStart:
		a.startRows()
	case uScalingStart:
		a.scaling = &scalingJob{key: a.scalingKey(), sizes: scalingSizes(a.p.N), mq: min(a.p.M, maxScalingQueries)}
	case uScaleScan, uScaleTree, uScaleQuery:
		return a.stepScaling()
	case uSpread:
		return a.stepSpread()
	case uTiming:
		if a.timing == nil || a.timing.key != a.timingKey() {
			a.startTiming()
		}
		a.stepTiming()
	default:
		return a.stepRows()
	}
	return nil
}

// pending reports whether any work is left (nextUnit decides what).
func (a *App) pending() bool { return a.nextUnit() != uNone }

// progress is the fraction of the pending pipeline done, by estimated cost.
func (a *App) progress() float64 {
	ds := a.data
	nd := float64(ds.n * ds.d)
	gen := nd
	build := 3 * nd
	rowsCost := float64(a.p.M) * 2.5 * nd
	timeCost := rowsCost / 4
	scal := 0.0
	for _, s := range scalingSizes(a.p.N) {
		scal += float64(s*ds.d) * (3 + float64(min(a.p.M, maxScalingQueries))*0.5)
	}
	done := 0.0
	if ds.ready {
		done += gen + build
	} else {
		done += gen * float64(ds.ks.Done()) / float64(ds.n)
		if ds.engines[hsr.IndexScan] != nil {
			done += build / 3
		}
		if ds.engines[hsr.IndexAuto] != nil {
			done += build / 3
		}
	}
	if a.rows != nil && a.rows.key == a.rowsKey() {
		if a.rows.complete {
			done += rowsCost
		} else {
			done += rowsCost * (float64(a.rows.next) + float64(a.rows.phase)/numPhases) / float64(a.rows.m)
		}
	}
	if tj := a.timing; tj != nil && tj.key == a.timingKey() {
		done += timeCost * tj.fraction()
	}
	if sj := a.scaling; sj != nil && sj.key == a.scalingKey() {
		for i := 0; i < sj.next && i < len(sj.sizes); i++ {
			s := sj.sizes[i]
			done += float64(s*ds.d) * (3 + float64(sj.mq)*0.5)
		}
	}
	total := gen + build + rowsCost + timeCost + scal
	return math.Min(1, done/total)
}

// computeTrace runs the real traced query of the selected row: the
// engine's index at the offset the engine's row sends it (for top-r
// softmax, the row's own τ_i, which takes the row's top-r search first).
func (a *App) computeTrace(tk traceKey) error {
	ds := a.data
	d := ds.d
	i := a.p.Query
	q := a.q[i*d : (i+1)*d]
	e := ds.engine(a.p.Index)
	ap := a.p.attention()
	t := ap.B
	if a.p.Kind == attention.Softmax {
		if jb := a.rows; jb != nil && jb.key == a.rowsKey() && jb.rows[i].done {
			t = jb.rows[i].row.Threshold
		} else {
			row, err := e.Row(q, i, ap, make([]float64, ds.dv))
			if err != nil {
				return fmt.Errorf("row %d: %w", i, err)
			}
			t = row.Threshold
		}
	}
	c := e.Offset(q, t, ap)
	tk.c = c
	// Two traces take turns, so that a trace per frame (b dragged) reuses
	// the storage of the one before last instead of allocating.
	tr := a.spareTrace
	if tr == nil {
		tr = &hsr.Trace{}
	}
	e.Index().Trace(q, c, tr)
	old := a.trace
	a.trace, a.spareTrace = tr, old
	a.traceKey = tk
	if old == nil || a.playing {
		a.step = 0
		a.stepAcc = 0
		a.holdEnd = 0
	}
	a.step = min(a.step, len(tr.Steps))
	return nil
}

// stepCounters sums the trace's work over its first a.step steps.
func (a *App) stepCounters() hsr.Stats { return a.countersAt(a.step) }

// countersAt sums the trace's work over its first k steps.
func (a *App) countersAt(k int) hsr.Stats {
	var s hsr.Stats
	if a.trace == nil {
		return s
	}
	for _, st := range a.trace.Steps[:min(k, len(a.trace.Steps))] {
		s.NodesVisited++
		switch st.Decision {
		case hsr.Pruned:
			s.Pruned++
		case hsr.ReportedWhole:
			s.ReportedWhole++
		case hsr.Opened:
			s.Opened++
		case hsr.LeafScanned:
			s.LeavesScanned++
		}
		s.DotProducts += st.DotProducts
		s.Reported += st.Reported
	}
	return s
}

// StepAnimation moves the trace animation by delta steps (and pauses it).
func (a *App) StepAnimation(delta int) {
	a.playing = false
	n := 0
	if a.trace != nil {
		n = len(a.trace.Steps)
	}
	a.step = max(0, min(n, a.step+delta))
	a.stepAcc = 0
}

// SetPlaying starts or pauses the trace animation.
func (a *App) SetPlaying(on bool) {
	a.playing = on
	if on && a.trace != nil && a.step >= len(a.trace.Steps) {
		a.step = 0
	}
}

// endHold is how long the finished trace stays on screen before replaying.
const endHold = 1.5

func (a *App) animate(dt float64) {
	if !a.playing || a.trace == nil || dt <= 0 {
		return
	}
	dt = math.Min(dt, 0.25) // a stalled tab does not jump to the end
	n := len(a.trace.Steps)
	if a.step >= n {
		a.holdEnd += dt
		if a.holdEnd >= endHold {
			a.step, a.holdEnd, a.stepAcc = 0, 0, 0
		}
		return
	}
	a.stepAcc += dt * a.p.Speed
	for a.stepAcc >= 1 && a.step < n {
		a.step++
		a.stepAcc--
	}
}

// Update is one tick: input (widgets, keys, hover), the animation, and a
// slice of pending compute (see TickBudget). While the user interacts, a
// unit of work expected to take longer than maxInteractiveUnit waits until
// the input rests, except the trace of the selected query, which the
// picture shows.
func (a *App) Update(in input.Input) {
	defer func() {
		if r := recover(); r != nil {
			a.interactive = false
			a.errMsg = fmt.Sprintf("internal error while handling input (%v); the app keeps its last good state", r)
		}
	}()
	a.noteActivity(&in)
	a.handleInput(&in)
	a.animate(in.DT)
	a.interactive = a.ui.scenes > 0 && a.quiet < idleAfter
	a.Compute(a.TickBudget())
	a.interactive = false
	a.lastP = a.p
}

// maxInteractiveUnit is the longest unit of work a tick starts while the
// user interacts (the trace excepted).
const maxInteractiveUnit = 4 * time.Millisecond

// IdleBudget is the compute time of a tick once nobody has used the
// pointer, the wheel or the keys for idleAfter: the frame has nothing else
// to do, and results arrive several times sooner than at DefaultBudget.
// 30 ms: in a browser on SwiftShader a frame is 50 ms apart anyway, and
// n = 2^20 is current in 37 s instead of 60-100 s at 10 ms
// (docs/performance.md, "Large n in the browser").
const IdleBudget = 30 * time.Millisecond

// idleAfter is how long (seconds) the input must rest for IdleBudget.
const idleAfter = 0.5

// firstBudget is the compute time of the ticks before the first Scene: the
// first picture (progress bars) comes before the work.
const firstBudget = time.Millisecond

// TickBudget is the compute time the next Update spends on pending work:
// DefaultBudget while the user interacts (a pointer down or moving, keys,
// the wheel, within the last idleAfter), IdleBudget otherwise, and less
// before the first frame is drawn. When the parameters changed since the
// last Update (a drag moves b every tick), it is zero: one unit runs, the
// new trace the picture needs; rows computed now for parameters that the
// next tick likely changes again would be thrown away.
func (a *App) TickBudget() time.Duration {
	switch {
	case a.ui.scenes == 0:
		return min(a.budget, firstBudget)
	case a.p != a.lastP:
		return 0
	case a.quiet >= idleAfter:
		return max(a.budget, IdleBudget)
	}
	return a.budget
}

// noteActivity measures how long the input has rested: no key, wheel,
// press or release, and no pointer moving (a pointer held still rests).
func (a *App) noteActivity(in *input.Input) {
	active := len(in.Keys) > 0 || len(in.Chars) > 0 || in.WheelY != 0
	p, ok := in.Primary()
	switch {
	case !ok:
	case !a.ui.hasRaw || p.X != a.ui.rawPtr.X || p.Y != a.ui.rawPtr.Y || p.Down != a.ptrDown:
		active = true
	}
	if ok {
		// last tick's pointer as polled (the hover point may stay where a
		// finger lifted, hover.go)
		a.ui.rawPtr, a.ui.hasRaw = p, true
	}
	a.ptrDown = ok && p.Down
	if active {
		a.quiet = 0
	} else {
		a.quiet += in.DT
	}
}

// FrameWork records the Go time of one frame as measured by the platform.
func (a *App) FrameWork(d time.Duration) { a.frames.Add(d) }

// frameRing keeps the last frames' work times.
type frameRing struct{ ring.Durations }

// statFrames is how many of the last frames FrameStats summarises.
const statFrames = 240

// FrameStats summarises the reported frame times (milliseconds).
type FrameStats struct {
	P50   float64 `json:"p50_ms"`
	P95   float64 `json:"p95_ms"`
	Max   float64 `json:"max_ms"`
	Count int     `json:"count"`
}

// Summarize returns the median, 95th percentile and maximum of v (ms) and count.
func Summarize(v []float64, count int) FrameStats {
	k := len(v)
	if k == 0 {
		return FrameStats{Count: count}
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	q := func(f float64) float64 { return s[min(k-1, int(f*float64(k)))] }
	return FrameStats{P50: q(0.5), P95: q(0.95), Max: s[k-1], Count: count}
}

func (r *frameRing) stats() FrameStats { return Summarize(r.Last(statFrames), r.N()) }

// FrameTimes returns the Go work of the last k frames reported through
// FrameWork (at most 1024), oldest first, in milliseconds, and how many
// frames have been reported in all: a measurement can take the frames
// after a moment it noted.
func (a *App) FrameTimes(k int) ([]float64, int) { return a.frames.Last(k), a.frames.N() }

// Region is a named rectangle of the last laid-out scene.
type Region struct {
	Name       string
	X, Y, W, H float32
}

// Snapshot is the JSON-able state for the JS API and tests.
type Snapshot struct {
	Ready    bool              `json:"ready"`
	Busy     bool              `json:"busy"`
	Progress float64           `json:"progress"`
	Params   Params            `json:"params"`
	Numbers  Numbers           `json:"numbers"`
	None     map[string]string `json:"none,omitempty"` // why a number in Numbers is none (null)
	Step     int               `json:"step"`
	Steps    int               `json:"steps"`
	Playing  bool              `json:"playing"`
	Panels   []Region          `json:"panels"`
	Widgets  []Region          `json:"widgets"`
	Buttons  []Region          `json:"buttons,omitempty"` // handles outside the controls: "help", "text" (header), "query" (the arrow's head, d = 2)
	Hover    *Inspection       `json:"hover,omitempty"`   // what the tooltip shows (hover.go)
	Help     bool              `json:"help"`              // the help overlay is open
	Frame    FrameStats        `json:"frame"`
	Hash     string            `json:"hash"`
	Error    string            `json:"error"`
	Status   string            `json:"status,omitempty"` // the last export or copy result (export.go)
	Builds   int               `json:"index_builds"`
	Lesson   LessonState       `json:"lesson"`
	Glossary string            `json:"glossary,omitempty"` // the glossary tooltip shown (name, text, reference; lesson_ui.go)
	// Threshold says how b was chosen and what the score sample measured
	// (thresholds.go); nil before the sample exists.
	Threshold *ThresholdInfo `json:"threshold,omitempty"`
	// KeptMass is, for softmax, the share of each row's dense exp-mass on
	// the kept keys: the mean and the smallest over the rows shown.
	KeptMass *KeptMass `json:"kept_mass,omitempty"`
	// Tabs are clickable regions inside panels: panel 6's views
	// (hist_counts, hist_scores).
	Tabs []Region `json:"tabs,omitempty"`
	// NumberLines is where the numbers panel drew each line, by id, in
	// order (an empty rectangle: the line did not fit).
	NumberLines []Region `json:"number_lines,omitempty"`
	// Stale is the panels showing results of older parameters (marked
	// "stale" in their title row); Computing, the others still waiting
	// for (part of) theirs (stale.go). Both empty: every panel is current.
	Stale     []string `json:"stale,omitempty"`
	Computing []string `json:"computing,omitempty"`
}

// Snapshot returns the current state.
func (a *App) Snapshot() Snapshot {
	busy := a.pending()
	nums, none := a.numbers()
	s := Snapshot{Ready: a.everReady, Busy: busy, Progress: 1, Params: a.p, Numbers: nums, None: none,
		Step: a.step, Playing: a.playing, Frame: a.frames.stats(), Hash: a.p.Hash(), Error: a.errMsg, Status: a.io.status,
		Builds: a.indexBuilds, Lesson: a.lessonState(), Glossary: a.glossaryShown()}
	if busy {
		s.Progress = a.progress()
	}
	if a.trace != nil {
		s.Steps = len(a.trace.Steps)
	}
	s.Threshold = a.thresholdInfo()
	if mean, lo := a.keptMass(); !math.IsNaN(mean) {
		s.KeptMass = &KeptMass{Mean: mean, Min: lo}
	}
	s.Panels = append([]Region(nil), a.ui.panels...)
	s.Widgets = append([]Region(nil), a.ui.widgets...)
	s.Buttons, s.Hover, s.Help = a.helpRegions(), a.ui.hover, a.ui.help
	s.Tabs = a.histTabRegions()
	s.NumberLines = a.numberLineRegions()
	s.Stale, s.Computing = a.stalePanels(), a.computingPanels()
	return s
}

func (a *App) String() string { return fmt.Sprintf("viz.App{%s}", a.p.Hash()) }
