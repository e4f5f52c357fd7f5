package viz

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/hsr"
)

// The compute jobs behind the panels, spread over frames: every piece of
// work is a small unit (a block of generated keys, one engine build, one
// attention row, one block of a dense row, one query of the scaling
// series), and App.Compute runs units until its time budget is spent.
// Every number comes from package attention (the rows, the reported sets,
// the thresholds, the certified bound) and attention/gen (the data): the
// visualizer schedules the engine, it does not re-implement it. Results
// keyed by the parameters they depend on are reused: changing b, α, the
// kind, γ, the index kind or the selected query never regenerates data or
// rebuilds an engine; only n, d, data, σ and seed do.

type dataKey struct {
	n, d  int
	data  gen.Kind
	sigma float64
	seed  uint64
	files *Tensors // data custom: the loaded files (custom.go); nil otherwise
}

func (p Params) dataKey() dataKey {
	return dataKey{n: p.N, d: p.D, data: p.Data, sigma: p.Sigma, seed: p.Seed, files: p.customTensors()}
}

// valueDim is the width of V: enough columns for an honest output check.
const valueDim = 8

// spec is the attention/gen specification of p's data with m queries.
func (p Params) spec(m int) gen.Spec {
	return gen.Spec{Kind: p.Data, N: p.N, M: m, D: p.D, DV: valueDim, Sigma: p.Sigma, Seed: p.Seed}
}

// dataset is the keys, values and engines of one dataKey.
type dataset struct {
	key     dataKey
	version int
	n, d    int
	dv      int       // columns of V: valueDim, or the loaded V's
	K, V    []float64 // n×d keys and n×dv values, as attention/gen makes them (or the loaded files)
	ks, vs  filler    // the generators (or the loaded files, custom.go), filled a block per unit
	engines [3]*attention.Engine
	scan    *attention.EngineBuilder // the scan engine, built a slice per unit
	tree    *hsr.TreeBuilder         // the automatic index's tree, built a slice per unit
	// scaleScans and scaleTrees are the scaling series' prefix scan engines
	// and trees being built, by size
	scaleScans map[int]*attention.EngineBuilder
	scaleTrees map[int]*hsr.TreeBuilder
	cov        []float64 // d×d covariance of a key sample (geometry projection)
	mean       []float64
	ready      bool
}

func newDataset(p Params, version int) (*dataset, error) {
	if t := p.customTensors(); t != nil {
		return t.dataset(p, version), nil
	}
	sp := p.spec(0)
	ks, err := gen.NewStream(sp, gen.MatrixK)
	if err != nil {
		return nil, err
	}
	vs, err := gen.NewStream(sp, gen.MatrixV)
	if err != nil {
		return nil, err
	}
	return &dataset{key: p.dataKey(), version: version, n: p.N, d: p.D, dv: valueDim,
		K: make([]float64, p.N*p.D), V: make([]float64, p.N*valueDim), ks: ks, vs: vs}, nil
}

func (ds *dataset) key_(j int) []float64 { return ds.K[j*ds.d : (j+1)*ds.d] }

// engine returns the engine of the given index kind (nil before it is built).
func (ds *dataset) engine(kind hsr.IndexKind) *attention.Engine {
	if !kind.Valid() {
		return nil
	}
	return ds.engines[kind]
}

// score is <q, k_j> and the score s = <q, k_j>/√d as the engine computes
// them (the hover texts show the numbers the rows used).
func (ds *dataset) score(q []float64, j int) (qk, s float64) {
	var dots [1]float64
	e := ds.engines[hsr.IndexScan]
	if e == nil || e.Dots(q, j, j+1, dots[:]) != nil {
		return math.NaN(), math.NaN()
	}
	return dots[0], attention.Params{}.Score(dots[0], ds.d)
}

// vmax is ‖V‖∞.
func (ds *dataset) vmax() float64 { return ds.engines[hsr.IndexScan].VInf() }

// genBlock is the number of key and value entries generated per unit
// (about a millisecond natively): at d = 2 the values (dv = 8 per key)
// are most of them.
const genBlock = 1 << 15

// engineOptions: the visualizer counts the work of the index it animates,
// on every platform alike (attention.EngineOptions.IndexOnly).
var engineOptions = attention.EngineOptions{IndexOnly: true}

// stepData advances the dataset by one unit; it reports whether work was
// done. The units: blocks of keys (and their values), the scan's engine,
// the automatic index's engine with the tree's beside it (one tree build
// serves both), the key sample's covariance.
func (a *App) stepData() error {
	ds := a.data
	if ds.ready {
		return nil
	}
	switch {
	case ds.ks.Done() < ds.n:
		rows := max(1, genBlock/(ds.d+ds.dv))
		from := ds.ks.Done()
		k := ds.ks.Fill(ds.K[from*ds.d : min(ds.n, from+rows)*ds.d])
		ds.vs.Fill(ds.V[from*ds.dv : (from+k)*ds.dv])
	case ds.engines[hsr.IndexScan] == nil:
		e, err := stepScanEngine(&ds.scan, ds.K, ds.V, ds.n, ds.d, ds.dv)
		if err != nil || e == nil {
			return err
		}
		ds.engines[hsr.IndexScan] = e
		a.indexBuilds++
	case ds.engines[hsr.IndexAuto] == nil:
		done, err := stepTreeEngines(&ds.engines, &ds.tree)
		if err != nil || !done {
			return err
		}
		a.indexBuilds++
	default:
		ds.mean, ds.cov = sampleCovariance(ds.K, ds.n, ds.d, 2048)
		ds.ready = true
	}
	return nil
}

// treeSlice is the build time of one tree unit (hsr.TreeBuilder.Step): a
// slice of the O(n log n) build; a step it cannot split (the root's median
// selection, a pass over the keys) may take longer.
const treeSlice = 4 * time.Millisecond

// stepScanEngine builds a slice (treeSlice) of the scan engine over the
// first n keys and values (attention.EngineBuilder, started in *eb) and
// returns the engine once it is complete, else nil.
func stepScanEngine(eb **attention.EngineBuilder, K, V []float64, n, d, dv int) (*attention.Engine, error) {
	if *eb == nil {
		b, err := attention.NewEngineBuilder(mat.NewDense(n, d, K[:n*d]), mat.NewDense(n, dv, V[:n*dv]), engineOptions)
		if err != nil {
			return nil, err
		}
		*eb = b
	}
	done, err := (*eb).Step(treeSlice)
	if err != nil || !done {
		return nil, err
	}
	e := (*eb).Engine()
	*eb = nil
	return e, nil
}

// stepRow runs a slice (treeSlice) of e's row of query q at position i
// (attention.RowStepper, started in *rs) and returns the row, e.Row's,
// once it is complete.
func stepRow(rs **attention.RowStepper, e *attention.Engine, q []float64, i int, ap attention.Params, out []float64) (attention.Row, bool, error) {
	if *rs == nil {
		st, err := e.RowStepper(q, i, ap, out)
		if err != nil {
			return attention.Row{}, false, err
		}
		*rs = st
	}
	if !(*rs).Step(treeSlice) {
		return attention.Row{}, false, nil
	}
	row, err := (*rs).Row()
	*rs = nil
	return row, err == nil, err
}

// stepTreeEngines adds the automatic and the tree engines beside the
// scan's, a slice of their tree per call (*tb, started here): hsr.Auto
// embeds its tree, so one build serves both. It reports whether the
// engines are in.
func stepTreeEngines(es *[3]*attention.Engine, tb **hsr.TreeBuilder) (bool, error) {
	if *tb == nil {
		*tb = es[hsr.IndexScan].TreeBuilder()
	}
	if !(*tb).Step(treeSlice) {
		return false, nil
	}
	au, err := es[hsr.IndexScan].WithTree((*tb).Tree())
	if err != nil {
		return false, err
	}
	tr, err := au.WithIndex(hsr.IndexTree)
	if err != nil {
		return false, err
	}
	es[hsr.IndexAuto], es[hsr.IndexTree], *tb = au, tr, nil
	return true, nil
}

// sampleCovariance is the mean and d×d covariance of up to s evenly spaced keys.
func sampleCovariance(K []float64, n, d, s int) (mean, cov []float64) {
	mean = make([]float64, d)
	cov = make([]float64, d*d)
	step := max(1, n/s)
	cnt := 0
	for j := 0; j < n; j += step {
		x := K[j*d : (j+1)*d]
		for t := range x {
			mean[t] += x[t]
		}
		cnt++
	}
	for t := range mean {
		mean[t] /= float64(cnt)
	}
	for j := 0; j < n; j += step {
		x := K[j*d : (j+1)*d]
		for t := 0; t < d; t++ {
			xt := x[t] - mean[t]
			for u := t; u < d; u++ {
				cov[t*d+u] += xt * (x[u] - mean[u])
			}
		}
	}
	for t := 0; t < d; t++ {
		for u := t; u < d; u++ {
			cov[t*d+u] /= float64(cnt)
			cov[u*d+t] = cov[t*d+u]
		}
	}
	return mean, cov
}

// queries is Q, m×d, from attention/gen (the data kind shapes the queries
// as it shapes the keys; changing m keeps the first rows), or the first m
// rows of the loaded Q (custom.go).
func queries(p Params) ([]float64, error) {
	if t := p.customTensors(); t != nil {
		return append([]float64(nil), t.Q[:p.M*p.D]...), nil
	}
	st, err := gen.NewStream(p.spec(p.M), gen.MatrixQ)
	if err != nil {
		return nil, err
	}
	q := make([]float64, p.M*p.D)
	st.Fill(q)
	return q, nil
}

// --- rows: the engine's HSR row beside the dense row, one row at a time ---

type rowsKey struct {
	data, q int
	b       float64
	alpha   int
	kind    attention.Kind
	gamma   float64
	index   hsr.IndexKind
	tau     TauMode
}

// attention is the engine's parameters for p: ReLU^α at b, or the softmax
// keeping the top r = n^γ keys of each row (tau = topr) or every key
// scoring ≥ b (tau = paper).
func (p Params) attention() attention.Params {
	ap := attention.Params{Kind: p.Kind, Alpha: p.Alpha, B: p.B, Index: p.Index}
	if p.Kind == attention.Softmax {
		if p.Tau == TauPaper {
			ap.Tau = p.B
		} else {
			ap.TopR = p.TopR()
		}
	}
	return ap
}

// heatBins is the number of key columns kept per row: the heatmap is
// aggregated by max into at most this many bins (then again into pixels).
const heatBins = 512

// rowResult is one query row, computed by the engine (attention.Engine.Row)
// and densely (the scores of every key, the same dot product and weight
// functions, in blocks) for the comparison.
type rowResult struct {
	done    bool
	row     attention.Row // the engine's row (Keys, Weights, Threshold, ErrorBound, Stats)
	c       float64       // the offset its half-space query was sent with
	count   int           // keys the HSR row uses
	maxErr  float64       // ‖o_i − ô_i‖∞, HSR against dense
	bound   float64       // softmax: the engine's certified bound on maxErr
	exact   bool          // relu: same key set and output within 1e-12·‖V‖∞
	sameSet bool          // the HSR set equals the dense one (relu: weight > 0; softmax: score ≥ τ_i)
	z, smax float64       // dense normaliser Σ_j e_j and the row's max score
	kept    float64       // softmax: share of the dense mass Σ_j e_j on the kept keys
	dense   []float32     // per bin: max dense weight
	sparse  []float32     // per bin: max HSR weight
	diff    []float32     // per bin: HSR − dense of largest magnitude
	arg     []int32       // per bin: key of the largest dense weight
	rep     []bool        // per bin: some key reported
	wmax    float64       // largest bin weight, dense or HSR (heatmap scale)
	dabs    float64       // largest |diff| (difference map scale)
}

type rowsJob struct {
	key     rowsKey
	ap      attention.Params
	m, n    int
	nb      int
	rows    []rowResult
	next    int // row in progress
	phase   int
	pos     int
	s       []float64 // dense scores, then dense unnormalised weights
	eh      []float64 // HSR normalised weights (0 outside the reported set)
	inS     []bool
	o, oh   []float64
	smax, z float64
	zKept   float64               // Σ of the dense weights of the reported keys
	stepper *attention.RowStepper // the engine's row in progress (phHSR)
	// the dense set of the row in progress against the engine's (tally)
	denseCount int
	differ     bool
	complete   bool
}

// Row phases.
const (
	phHSR    = iota // the engine's row: the half-space query, re-scoring, weights, output
	phScores        // dense scores, in blocks
	phWeight        // dense weights and output, in blocks
	phBins          // heatmap bins, in blocks
	numPhases
)

// rowScratch is the per-key working storage of a rows job: one job runs at
// a time and a job that was replaced never resumes, so every job of the
// same n shares it (dragging b starts a job per frame without allocating).
type rowScratch struct {
	s, eh []float64
	inS   []bool
}

// startRows starts the rows job of the current parameters.
func (a *App) startRows() {
	m, n := a.p.M, a.p.N
	if len(a.rowBuf.s) != n {
		a.rowBuf = rowScratch{s: make([]float64, n), eh: make([]float64, n), inS: make([]bool, n)}
	}
	a.rows = &rowsJob{key: a.rowsKey(), ap: a.p.attention(), m: m, n: n, nb: min(n, heatBins), rows: make([]rowResult, m),
		s: a.rowBuf.s, eh: a.rowBuf.eh, inS: a.rowBuf.inS,
		o: make([]float64, a.data.dv), oh: make([]float64, a.data.dv)}
}

// binOf maps key j to its heatmap bin.
func binOf(j, n, nb int) int { return int(int64(j) * int64(nb) / int64(n)) }

// stepRows advances the rows job by one unit.
func (a *App) stepRows() error {
	jb := a.rows
	if jb == nil || jb.complete {
		return nil
	}
	ds, Q := a.data, a.q
	d, n := ds.d, ds.n
	i := jb.next
	r := &jb.rows[i]
	q := Q[i*d : (i+1)*d]
	// 2^15 key entries of dense scores per unit, four times as many keys
	// of weights or bins: about a millisecond natively each (several in
	// the page), so that at n = 2^20 no unit holds a frame.
	block := max(1024, (1<<15)/d)
	e := ds.engine(jb.key.index)
	switch jb.phase {
	case phHSR:
		// The engine's row, as hsrattn computes it, a slice per unit
		// (attention.RowStepper: the query, then O(|S|·(d+dv)) of
		// re-scoring and sums in slices).
		row, done, err := stepRow(&jb.stepper, e, q, i, jb.ap, jb.oh)
		if err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
		if !done {
			return nil
		}
		r.row = row
		r.count = row.Count
		r.c = e.Offset(q, row.Threshold, jb.ap)
		r.bound = row.ErrorBound
		clear(jb.eh)
		clear(jb.inS)
		var sum float64
		for _, w := range row.Weights {
			sum += w
		}
		for x, id := range row.Keys {
			jb.inS[id] = true
			if sum > 0 {
				jb.eh[id] = row.Weights[x] / sum
			}
		}
		jb.phase, jb.pos, jb.smax = phScores, 0, math.Inf(-1)
		jb.denseCount, jb.differ = 0, false
	case phScores:
		to := min(n, jb.pos+block)
		if err := e.Dots(q, jb.pos, to, jb.s[jb.pos:to]); err != nil {
			return err
		}
		for j := jb.pos; j < to; j++ {
			jb.s[j] = jb.ap.Score(jb.s[j], d)
			jb.smax = math.Max(jb.smax, jb.s[j])
			if jb.key.kind == attention.Softmax {
				jb.tally(j, jb.s[j] >= r.row.Threshold)
			}
		}
		jb.pos = to
		if to == n {
			jb.phase, jb.pos, jb.z, jb.zKept = phWeight, 0, 0, 0
			clear(jb.o)
		}
	case phWeight:
		to := min(n, jb.pos+4*block)
		for j := jb.pos; j < to; j++ {
			w := jb.ap.Weight(jb.s[j], jb.smax)
			if jb.key.kind == attention.ReLU {
				jb.tally(j, w > 0)
			}
			jb.s[j] = w // s now holds the dense weights e_j
			if w != 0 {
				jb.z += w
				if jb.inS[j] {
					jb.zKept += w
				}
				v := ds.V[j*ds.dv : (j+1)*ds.dv]
				for t := range jb.o {
					jb.o[t] += w * v[t]
				}
			}
		}
		jb.pos = to
		if to == n {
			if jb.z > 0 {
				for t := range jb.o {
					jb.o[t] /= jb.z
				}
			}
			nb := jb.nb
			r.dense = make([]float32, nb)
			r.sparse = make([]float32, nb)
			r.diff = make([]float32, nb)
			r.arg = make([]int32, nb)
			r.rep = make([]bool, nb)
			for b := range r.arg {
				r.arg[b] = -1
			}
			jb.phase, jb.pos = phBins, 0
		}
	case phBins:
		to := min(n, jb.pos+4*block)
		inv := 0.0
		if jb.z > 0 {
			inv = 1 / jb.z
		}
		nb := jb.nb
		for j := jb.pos; j < to; j++ {
			b := binOf(j, n, nb)
			p := jb.s[j] * inv
			ph := jb.eh[j]
			if r.arg[b] < 0 || float32(p) > r.dense[b] {
				r.dense[b] = float32(p)
				r.arg[b] = int32(j)
			}
			if float32(ph) > r.sparse[b] {
				r.sparse[b] = float32(ph)
			}
			df := ph - p
			if math.Abs(df) > math.Abs(float64(r.diff[b])) {
				r.diff[b] = float32(df)
			}
			if jb.inS[j] {
				r.rep[b] = true
			}
		}
		jb.pos = to
		if to == n {
			a.finishRow(jb, r)
		}
	}
	return nil
}

// tally notes whether the dense pass puts key j in the row's set (ReLU^α:
// a positive weight; softmax: a score ≥ the engine's τ_i), against the
// engine's set. Both scores come from the same dot product and rounding,
// so the sets must agree exactly.
func (jb *rowsJob) tally(j int, in bool) {
	if in {
		jb.denseCount++
	}
	if in != jb.inS[j] {
		jb.differ = true
	}
}

// finishRow compares the two paths of row r and moves on to the next row.
func (a *App) finishRow(jb *rowsJob, r *rowResult) {
	ds := a.data
	r.maxErr = 0
	for t := range jb.o {
		r.maxErr = math.Max(r.maxErr, math.Abs(jb.o[t]-jb.oh[t]))
	}
	same := !jb.differ && jb.denseCount == r.count
	r.sameSet = same
	for b := range r.dense {
		r.wmax = math.Max(r.wmax, math.Max(float64(r.dense[b]), float64(r.sparse[b])))
		r.dabs = math.Max(r.dabs, math.Abs(float64(r.diff[b])))
	}
	r.z, r.smax = jb.z, jb.smax
	if jb.z > 0 {
		r.kept = jb.zKept / jb.z
	}
	r.exact = same && r.maxErr <= 1e-12*math.Max(ds.vmax(), 1e-300)
	r.done = true
	jb.next++
	jb.phase, jb.pos = phHSR, 0
	if jb.next == jb.m {
		jb.complete = true
		jb.s, jb.eh, jb.inS = nil, nil, nil
		a.rowsDone(jb)
	}
}
