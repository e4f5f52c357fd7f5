package viz

import (
	"math"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/hsr"
)

// summary is the numbers panel: everything measured over the m rows of the
// last complete rows job, plus the theory lines.
type summary struct {
	key                     rowsKey
	n, m, d                 int
	total                   int
	mean                    float64
	minC, maxC              int
	emptyRows               int       // rows with no key reported (output 0)
	stats                   hsr.Stats // summed over rows
	dotsDense               int       // n·m: a dense pass computes every score
	maxErr, bound           float64
	boundOK                 bool // bound ≥ measured error on every row (softmax)
	exact                   bool // every row exact (relu)
	exactRows               int
	countBound, gaussExpect float64
	gaussNone               string // why there is no Gaussian expectation ("" when there is)
	topR                    int
	counts                  []int
	// The work model (docs/contract.md, "Work"), mean per query in
	// multiply-adds: the search, the attention over the reported keys, the
	// dense row.
	workSearch, workAttn, workDense float64
}

// Work model (docs/contract.md, "Work"): one query's cost in multiply-adds.
// The search is the index's own count, weighed as hsr.Auto weighs tree
// against scan (hsr.Stats.Work: a dot product costs 1, a node's bound
// nodeWeight(d) dot products), times d; the attention computes one score
// (d) and adds one row of V (dv) per reported key; the dense row does that
// for all n keys.
func searchWork(st hsr.Stats, d int) float64 { return float64(d) * st.Work(d) }
func attnWork(count, d, dv int) float64      { return float64(count) * float64(d+dv) }
func denseWork(n, d, dv int) float64         { return float64(n) * float64(d+dv) }

// slopeWord says what a fitted slope of work against n means, over the
// scaling sizes (a range of 16× at the default n, so a few hundredths are
// noise and overheads): below 0.9 "sublinear" (scaling_work_sublinear),
// up to 1.1 "about linear, like dense", above "superlinear".
const sublinearSlope = 0.9

func slopeWord(slope float64) string {
	switch {
	case slope < sublinearSlope:
		return "sublinear"
	case slope <= 1.1:
		return "about linear, like dense"
	}
	return "superlinear"
}

// gaussianExpected is the exact expected number of keys reported per row,
// averaged over the rows, when the keys' columns are independent N(0, σ_t²)
// (attention/gen's ColumnSigmas): given q_i the score <q_i,k>/√d is
// N(0, Σ_t q_t²σ_t²/d), so row i expects n·P(N(0, that) > b)
// (attention.GaussianExpectedCount at that row's spread). It is NaN, with
// the reason, when the keys are not Gaussian or the kind is not ReLU^α.
func (a *App) gaussianExpected(jb *rowsJob) (float64, string) {
	ds := a.data
	if jb.key.kind != attention.ReLU {
		return math.NaN(), "softmax keeps the top r keys: no threshold to expect a count at"
	}
	sig := ds.ks.ColumnSigmas()
	if sig == nil {
		return math.NaN(), "the keys are " + ds.key.data.String() + ", not Gaussian: no closed form"
	}
	d := ds.d
	sum := 0.0
	for i := range jb.m {
		q := a.q[i*d : (i+1)*d]
		v := 0.0
		for t, x := range q {
			v += x * x * sig[t] * sig[t]
		}
		// The score's spread: the engine's Score is linear in <q,k>.
		sd := jb.ap.Score(math.Sqrt(v), d)
		sum += attention.GaussianExpectedCount(ds.n, jb.key.b, sd)
	}
	return sum / float64(jb.m), ""
}

func (a *App) rowsDone(jb *rowsJob) {
	ds := a.data
	s := &summary{key: jb.key, n: jb.n, m: jb.m, d: ds.d, minC: math.MaxInt, boundOK: true, exact: true}
	s.counts = make([]int, jb.m)
	for i := range jb.rows {
		r := &jb.rows[i]
		s.counts[i] = r.count
		s.total += r.count
		s.minC = min(s.minC, r.count)
		s.maxC = max(s.maxC, r.count)
		if r.count == 0 {
			s.emptyRows++
		}
		s.stats.Add(r.row.Stats)
		s.workSearch += searchWork(r.row.Stats, ds.d)
		s.workAttn += attnWork(r.count, ds.d, ds.dv)
		s.maxErr = math.Max(s.maxErr, r.maxErr)
		if jb.key.kind == attention.Softmax {
			s.bound = math.Max(s.bound, r.bound)
			// The bound is on exact arithmetic; the measured error also
			// holds the rounding of the two outputs, ~1e-16·‖V‖∞: the
			// engine's own tests allow 1e-13·‖V‖∞ (a row whose bound is
			// 1e-21 measured 1e-16 and showed ✗).
			if !(r.maxErr <= r.bound+1e-13*ds.vmax()) {
				s.boundOK = false
			}
		}
		if r.exact {
			s.exactRows++
		} else {
			s.exact = false
		}
	}
	s.mean = float64(s.total) / float64(jb.m)
	s.workSearch /= float64(jb.m)
	s.workAttn /= float64(jb.m)
	s.workDense = denseWork(jb.n, ds.d, ds.dv)
	s.dotsDense = jb.n * jb.m
	s.countBound = attention.CountBound(jb.n)
	s.gaussExpect, s.gaussNone = a.gaussianExpected(jb)
	s.topR = jb.ap.TopR
	a.sum = s
	a.shownRows = jb
	a.everReady = true
}

// aboveBound reports whether the mean count exceeds the paper's n^(4/5)
// (ReLU^α: the bound is on the mean count at the paper's threshold).
func (s *summary) aboveBound() bool {
	return s.key.kind == attention.ReLU && s.mean > s.countBound
}

// allEmpty reports whether no row reported a key (an empty heatmap):
// nothing was computed, so no speed-up is claimed.
func (s *summary) allEmpty() bool { return s.total == 0 }

// workRatio is the dense work over the HSR work (search + attention), per
// query: above 1 the HSR path does less.
func (s *summary) workRatio() float64 { return s.workDense / (s.workSearch + s.workAttn) }

// numbers is every number on screen, by name (Snapshot().Numbers), and
// for each that is none (NaN) the reason.
func (a *App) numbers() (Numbers, map[string]string) {
	out := Numbers{}
	none := map[string]string{}
	s := a.sum
	if s == nil {
		return out, nil
	}
	b := func(x bool) float64 {
		if x {
			return 1
		}
		return 0
	}
	out["n"] = float64(s.n)
	out["m"] = float64(s.m)
	out["d"] = float64(s.d)
	out["b"] = s.key.b
	out["reported_total"] = float64(s.total)
	out["reported_mean"] = s.mean
	out["reported_min"] = float64(s.minC)
	out["reported_max"] = float64(s.maxC)
	out["count_bound"] = s.countBound
	// The flags: rows with no key (all of them: an empty heatmap) and a
	// mean above the paper's n^(4/5).
	out["empty_rows"] = float64(s.emptyRows)
	out["work_search"] = s.workSearch
	out["work_attention"] = s.workAttn
	out["work_hsr"] = s.workSearch + s.workAttn
	out["work_dense"] = s.workDense
	out["work_dense_over_hsr"] = s.workRatio()
	out["nodes_visited"] = float64(s.stats.NodesVisited)
	out["nodes_pruned"] = float64(s.stats.Pruned)
	out["nodes_reported_whole"] = float64(s.stats.ReportedWhole)
	out["nodes_opened"] = float64(s.stats.Opened)
	out["leaves_scanned"] = float64(s.stats.LeavesScanned)
	out["dots"] = float64(s.stats.DotProducts)
	out["dots_dense"] = float64(s.dotsDense)
	// Timings (timing.go), once measured: per query, the fastest round (and the median).
	// e2e leaves them out of the comparison with the native oracle by name
	// (suffix _ms, "time", "speedup").
	if t, ok := a.shownTiming(); ok {
		out["index_query_ms"] = t.index.Seconds() * 1000
		out["scan_query_ms"] = t.scan.Seconds() * 1000
		out["speedup"] = t.ratio
		out["index_query_median_ms"] = t.indexMedian.Seconds() * 1000
		out["scan_query_median_ms"] = t.scanMedian.Seconds() * 1000
		out["time_rounds"] = float64(t.rounds)
		out["time_batch_queries_index"] = float64(t.queries[0])
		out["time_batch_queries_scan"] = float64(t.queries[1])
	}
	out["max_error"] = s.maxErr
	if s.key.kind == attention.Softmax {
		if s.key.tau == TauTopR { // tau = paper keeps every score ≥ b: no r
			out["top_r"] = float64(s.topR)
		}
		out["error_bound"] = s.bound
		out["bound_holds"] = b(s.boundOK)
	} else {
		out["gaussian_expected"] = s.gaussExpect
		if s.gaussNone != "" {
			none["gaussian_expected"] = s.gaussNone
		}
		out["mean_above_bound"] = b(s.aboveBound())
		out["exact"] = b(s.exact)
		out["exact_rows"] = float64(s.exactRows)
	}
	if t := a.trace; t != nil {
		c := a.stepCounters()
		out["step"] = float64(a.step)
		out["steps"] = float64(len(t.Steps))
		out["step_nodes_visited"] = float64(c.NodesVisited)
		out["step_nodes_pruned"] = float64(c.Pruned)
		out["step_nodes_reported_whole"] = float64(c.ReportedWhole)
		out["step_dots"] = float64(c.DotProducts)
		out["step_reported"] = float64(c.Reported)
		out["trace_reported"] = float64(t.Stats.Reported)
	}
	if sc := a.scaling; sc != nil && sc.complete {
		out["scaling_slope_reported"] = sc.slopeReported
		out["scaling_slope_dots"] = sc.slopeDots
		// The work's slope says something only where keys were reported
		// (an empty series' work is the pruned root's, flat).
		out["scaling_slope_work"] = math.NaN()
		out["scaling_work_sublinear"] = math.NaN()
		if sc.noSlope() == "" && !math.IsNaN(sc.slopeWork) {
			out["scaling_slope_work"] = sc.slopeWork
			out["scaling_work_sublinear"] = b(sc.slopeWork < sublinearSlope)
		}
		out["scaling_theory_slope"] = sc.theorySlope()
		out["scaling_queries"] = float64(sc.mq)
		out["scaling_points"] = float64(len(sc.points))
		if why := sc.noSlope(); why != "" {
			for _, k := range []string{"scaling_slope_reported", "scaling_slope_dots", "scaling_slope_work", "scaling_work_sublinear"} {
				if math.IsNaN(out[k]) {
					none[k] = why
				}
			}
		}
	}
	for k, v := range out {
		if _, ok := none[k]; !ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			none[k] = "not defined for this setting"
		}
	}
	if len(none) == 0 {
		none = nil
	}
	return out, none
}
