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
	stats                   hsr.Stats // summed over rows
	dotsDense               int       // n·m: a dense pass computes every score
	maxErr, bound           float64
	boundOK                 bool // bound ≥ measured error on every row (softmax)
	exact                   bool // every row exact (relu)
	exactRows               int
	countBound, gaussExpect float64
	topR                    int
	counts                  []int
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
		s.stats.Add(r.row.Stats)
		s.maxErr = math.Max(s.maxErr, r.maxErr)
		if jb.key.kind == attention.Softmax {
			s.bound = math.Max(s.bound, r.bound)
			if !(r.bound >= r.maxErr) {
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
	s.dotsDense = jb.n * jb.m
	s.countBound = attention.CountBound(jb.n)
	// The expected count per row if scores were Gaussian with the spread
	// σ_s = σ² of isotropic data (theory: close only for large d, where
	// ‖q‖ varies little).
	s.gaussExpect = attention.GaussianExpectedCount(jb.n, jb.key.b, attention.ScoreSigma(ds.key.sigma, ds.d, false))
	s.topR = jb.ap.TopR
	a.sum = s
	a.shownRows = jb
	a.everReady = true
}

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
		out["top_r"] = float64(s.topR)
		out["error_bound"] = s.bound
		out["bound_holds"] = b(s.boundOK)
	} else {
		out["gaussian_expected"] = s.gaussExpect
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
		out["scaling_points"] = float64(len(sc.points))
		if why := sc.noSlope(); why != "" {
			for _, k := range []string{"scaling_slope_reported", "scaling_slope_dots"} {
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
