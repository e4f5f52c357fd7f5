package viz

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/hsrviz/hsrviz/hsr"
)

// The computation behind the panels, spread over frames: every piece of
// work is a small unit (a block of generated keys, one index build, one
// block of a dense row, one query row, one size of the scaling series), and
// App.Compute runs units until its time budget is spent. Results keyed by
// the parameters they depend on are reused: changing b, α, the kind, γ, the
// index kind or the selected query never regenerates data or rebuilds an
// index; only n, d, data, σ and seed do.

type dataKey struct {
	n, d  int
	data  string
	sigma float64
	seed  uint64
}

func (p Params) dataKey() dataKey {
	return dataKey{n: p.N, d: p.D, data: p.Data, sigma: p.Sigma, seed: p.Seed}
}

// dataset is the keys, values and indexes of one dataKey.
type dataset struct {
	key     dataKey
	version int
	n, d    int
	K       []float64 // n×d keys; after the build, the scan's own copy
	genRows int       // rows of K generated so far
	rng     *rand.Rand
	sh      shape
	V       []float64 // n×valueDim values
	vmax    float64   // ‖V‖∞
	scan    *hsr.Scan
	tree    hsr.Index
	auto    hsr.Index
	cov     []float64 // d×d covariance of a key sample (geometry projection)
	mean    []float64
	ready   bool
}

func (ds *dataset) key_(j int) []float64 { return ds.K[j*ds.d : (j+1)*ds.d] }

// index returns the index of the given kind.
func (ds *dataset) index(kind string) hsr.Index {
	switch kind {
	case "tree":
		if ds.tree != nil {
			return ds.tree
		}
	case "auto":
		if ds.auto != nil {
			return ds.auto
		}
	}
	return ds.scan
}

// genBlock is the number of key entries generated per unit.
const genBlock = 1 << 16

// stepData advances the dataset by one unit; it reports whether work was done.
func (a *App) stepData() bool {
	ds := a.data
	if ds.ready {
		return false
	}
	if ds.genRows < ds.n {
		to := ds.genRows + max(1, genBlock/ds.d)
		if to > ds.n {
			to = ds.n
		}
		ds.sh.fill(ds.rng, ds.K, ds.d, ds.genRows, to)
		ds.genRows = to
		return true
	}
	if ds.scan == nil {
		ds.scan = hsr.NewScan(ds.d, ds.K)
		ds.K = ds.scan.Points()
		a.indexBuilds++
		ds.V = values(ds.n, ds.key.seed)
		for _, v := range ds.V {
			ds.vmax = math.Max(ds.vmax, math.Abs(v))
		}
		return true
	}
	if ds.tree == nil && buildIndexes != nil {
		ds.tree, ds.auto = buildIndexes(ds.d, ds.K)
		a.indexBuilds++
		return true
	}
	ds.mean, ds.cov = sampleCovariance(ds.K, ds.n, ds.d, 2048)
	ds.ready = true
	return true
}

// buildIndexes constructs the tree index and the automatic choice (tree.go
// binds it to package hsr); nil means "not available": the scan stands in.
var buildIndexes func(d int, pts []float64) (tree, auto hsr.Index)

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

// --- rows: HSR vs dense, one query row at a time ---

type rowsKey struct {
	data, q int
	b       float64
	alpha   int
	kind    string
	gamma   float64
	index   string
}

// heatBins is the number of key columns kept per row: the heatmap is
// aggregated by max into at most this many bins (then again into pixels).
const heatBins = 512

// rowResult is one query row, computed both ways.
type rowResult struct {
	done     bool
	count    int       // keys reported by the HSR path
	stats    hsr.Stats // work of the HSR query
	tau      float64   // softmax: τ_i (score units); relu: b
	maxErr   float64   // ‖o_i − ô_i‖∞
	bound    float64   // softmax: certified bound on maxErr
	exact    bool      // relu: same key set and output within 1e-12·‖V‖∞
	sameSet  bool
	scanHits int       // keys the scan reported (same query)
	z, smax  float64   // dense normaliser Σ_j e_j and the row's max score
	dense    []float32 // per bin: max dense weight
	sparse   []float32 // per bin: max HSR weight
	diff     []float32 // per bin: HSR − dense of largest magnitude
	arg      []int32   // per bin: key of the largest dense weight
	rep      []bool    // per bin: some key reported
	wmax     float64   // largest bin weight, dense or HSR (heatmap scale)
	dabs     float64   // largest |diff| (difference map scale)
}

type rowsJob struct {
	key      rowsKey
	m, n     int
	nb       int
	rows     []rowResult
	next     int // row in progress
	phase    int
	pos      int
	s, e     []float64 // dense scores, then dense unnormalised weights
	eh       []float64 // HSR unnormalised weights (0 outside the reported set)
	inS      []bool
	ids      []int
	o, oh    []float64
	smax, z  float64
	hmax     float64 // the HSR path's largest score
	c        float64 // the row's offset: report q·k > c
	zh       float64
	complete bool
}

// Row phases.
const (
	phHSR        = iota // HSR query
	phHSRScores         // the HSR path's scores of the reported keys, in blocks
	phHSRWeights        // the HSR path's weights and output, in blocks
	phScan              // the scan answering the same query
	phScores            // dense scores, in blocks
	phWeight            // dense weights and output, in blocks
	phBins              // heatmap bins, in blocks
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
	a.rows = &rowsJob{key: a.rowsKey(), m: m, n: n, nb: min(n, heatBins), rows: make([]rowResult, m),
		s: a.rowBuf.s, eh: a.rowBuf.eh, inS: a.rowBuf.inS,
		o: make([]float64, valueDim), oh: make([]float64, valueDim)}
}

// binOf maps key j to its heatmap bin.
func binOf(j, n, nb int) int { return int(int64(j) * int64(nb) / int64(n)) }

// weightFn returns the unnormalised dense weight of a score.
func (k rowsKey) weight(s, smax float64) float64 {
	if k.kind == "softmax" {
		return math.Exp(s - smax)
	}
	x := s - k.b
	if x <= 0 {
		return 0
	}
	return math.Pow(x, float64(k.alpha))
}

// stepRows advances the rows job by one unit.
func (a *App) stepRows() bool {
	jb := a.rows
	if jb == nil || jb.complete {
		return false
	}
	ds, Q := a.data, a.q
	d, n := ds.d, ds.n
	i := jb.next
	r := &jb.rows[i]
	q := Q[i*d : (i+1)*d]
	sq := math.Sqrt(float64(d))
	block := max(1024, (1<<17)/d)
	switch jb.phase {
	case phHSR:
		ix := ds.index(jb.key.index)
		var c float64
		if jb.key.kind == "softmax" {
			rr := TopR(n, jb.key.gamma)
			c = topRThreshold(ix, ds.K, d, q, rr)
		} else {
			c = sq * jb.key.b
		}
		jb.ids = jb.ids[:0]
		var st hsr.Stats
		jb.ids, st = hsr.Collect(ix, q, c, jb.ids)
		// Not timed here: the timing job (timing.go) times the index and the
		// scan on these queries once the rows are in.
		r.count = len(jb.ids)
		r.stats = st
		if jb.key.kind == "softmax" {
			r.tau = c / sq
		} else {
			r.tau = jb.key.b
		}
		jb.c = c
		// The HSR path's own weights and output: a dot product per reported
		// key (next units, in blocks: half the keys may be reported).
		clear(jb.eh)
		clear(jb.inS)
		jb.hmax = math.Inf(-1)
		jb.phase, jb.pos = phHSRScores, 0
	case phHSRScores:
		to := min(len(jb.ids), jb.pos+block)
		for _, id := range jb.ids[jb.pos:to] {
			s := hsr.Dot(q, ds.key_(id)) / sq
			jb.eh[id] = s
			jb.hmax = math.Max(jb.hmax, s)
		}
		jb.pos = to
		if to == len(jb.ids) {
			jb.zh = 0
			for t := range jb.oh {
				jb.oh[t] = 0
			}
			jb.phase, jb.pos = phHSRWeights, 0
		}
	case phHSRWeights:
		to := min(len(jb.ids), jb.pos+4*block)
		for _, id := range jb.ids[jb.pos:to] {
			w := jb.key.weight(jb.eh[id], jb.hmax)
			jb.eh[id] = w
			jb.inS[id] = true
			jb.zh += w
			v := ds.V[id*valueDim : (id+1)*valueDim]
			for t := range jb.oh {
				jb.oh[t] += w * v[t]
			}
		}
		jb.pos = to
		if to == len(jb.ids) {
			if jb.zh > 0 {
				for t := range jb.oh {
					jb.oh[t] /= jb.zh
				}
			}
			jb.phase, jb.pos = phScan, 0
		}
	case phScan:
		// The baseline: the linear scan answering the same query.
		c := jb.c
		hits := 0
		cs := c
		if jb.key.kind == "softmax" {
			cs = topRThreshold(ds.scan, ds.K, d, q, TopR(n, jb.key.gamma))
		}
		ds.scan.Query(q, cs, func(int) bool { hits++; return true })
		r.scanHits = hits
		jb.phase, jb.pos, jb.smax = phScores, 0, math.Inf(-1)
	case phScores:
		to := min(n, jb.pos+block)
		for j := jb.pos; j < to; j++ {
			s := hsr.Dot(q, ds.K[j*d:(j+1)*d]) / sq
			jb.s[j] = s
			jb.smax = math.Max(jb.smax, s)
		}
		jb.pos = to
		if to == n {
			jb.phase, jb.pos, jb.z = phWeight, 0, 0
			for t := range jb.o {
				jb.o[t] = 0
			}
		}
	case phWeight:
		to := min(n, jb.pos+4*block)
		for j := jb.pos; j < to; j++ {
			w := jb.key.weight(jb.s[j], jb.smax)
			jb.s[j] = w // s now holds the dense weights e_j
			if w != 0 {
				jb.z += w
				v := ds.V[j*valueDim : (j+1)*valueDim]
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
		inv, invh := 0.0, 0.0
		if jb.z > 0 {
			inv = 1 / jb.z
		}
		if jb.zh > 0 {
			invh = 1 / jb.zh
		}
		nb := jb.nb
		for j := jb.pos; j < to; j++ {
			b := binOf(j, n, nb)
			p := jb.s[j] * inv
			ph := jb.eh[j] * invh
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
	return true
}

// finishRow compares the two paths of row r and moves on to the next row.
func (a *App) finishRow(jb *rowsJob, r *rowResult) {
	ds := a.data
	r.maxErr = 0
	for t := range jb.o {
		r.maxErr = math.Max(r.maxErr, math.Abs(jb.o[t]-jb.oh[t]))
	}
	// Same key set: the dense nonzero set (relu) or the top set (softmax) vs the reported set.
	same := r.scanHits == r.count
	if jb.key.kind == "relu" {
		for j := 0; j < jb.n && same; j++ {
			if (jb.s[j] > 0) != jb.inS[j] {
				same = false
			}
		}
	}
	r.sameSet = same
	for b := range r.dense {
		r.wmax = math.Max(r.wmax, math.Max(float64(r.dense[b]), float64(r.sparse[b])))
		r.dabs = math.Max(r.dabs, math.Abs(float64(r.diff[b])))
	}
	r.z, r.smax = jb.z, jb.smax
	r.exact = same && r.maxErr <= 1e-12*math.Max(ds.vmax, 1e-300)
	if jb.key.kind == "softmax" {
		// Certified bound from the reported set alone (SPEC): every dropped key
		// has s < τ, so Z_tail ≤ (n−|S|)·e^τ; relative to the HSR path's max.
		if r.count > 0 && jb.zh > 0 {
			hmax := math.Inf(-1)
			for _, id := range jb.ids {
				hmax = math.Max(hmax, hsr.Dot(a.q[jb.next*ds.d:(jb.next+1)*ds.d], ds.key_(id))/math.Sqrt(float64(ds.d)))
			}
			r.bound = 2 * ds.vmax * float64(jb.n-r.count) * math.Exp(r.tau-hmax) / jb.zh
		} else {
			r.bound = 2 * ds.vmax
		}
	}
	r.done = true
	jb.next++
	jb.phase, jb.pos = phHSR, 0
	if jb.next == jb.m {
		jb.complete = true
		jb.s, jb.eh, jb.inS = nil, nil, nil
		a.rowsDone(jb)
	}
}

// topRThreshold is the offset c such that the query <q,x> > c reports the r
// largest dot products (ties included): just below the r-th largest.
// It costs one pass over the keys (a dense pass; hsr.TopR replaces it where
// the engine provides a tree-based search).
func topRThreshold(ix hsr.Index, K []float64, d int, q []float64, r int) float64 {
	if topRFn != nil {
		if c, ok := topRFn(ix, q, r); ok {
			return c
		}
	}
	n := len(K) / d
	v := make([]float64, n)
	for j := 0; j < n; j++ {
		v[j] = hsr.Dot(q, K[j*d:(j+1)*d])
	}
	k := kthLargest(v, r)
	return math.Nextafter(k, math.Inf(-1))
}

// topRFn is the engine's top-r threshold search when available.
var topRFn func(ix hsr.Index, q []float64, r int) (float64, bool)

// kthLargest returns the r-th largest of v (1-based), reordering v.
func kthLargest(v []float64, r int) float64 {
	sort.Float64s(v)
	return v[len(v)-r]
}
