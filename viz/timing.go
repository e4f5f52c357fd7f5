package viz

import (
	"slices"
	"sort"
	"time"

	"github.com/hsrviz/hsrviz/hsr"
)

// The "time, index vs scan" line of the numbers panel, measured by its own
// job once the rows are in (the rows' queries are not timed: one query of
// 10–30 µs cannot be timed alone where the clock is coarse, and the rows
// run each query cold, after dense passes over all keys and values).
//
// The job answers the same m queries with the chosen index and with the
// scan, in batches: a batch is whole passes over the m queries, repeated
// until it has taken at least timingMinBatch, so that the clock's
// granularity (100 µs in a browser page that is not cross-origin isolated,
// 5 µs when it is) stays a few percent of it. After one untimed warm-up pass
// per side, the rounds alternate the order (index then scan, scan then
// index, …): as many as fit in timingSpend by the warm-up's cost, from
// timingMinRounds to timingMaxRounds, odd. Each side's number is its
// fastest round's time per query, and the ratio is the ratio of those
// (what the panel shows divides); the medians are kept beside them.
// Why the fastest and not the median: a batch averages ≥ 2 ms of queries,
// so what varies between batches of one side is interference, which only
// adds time; on a busy machine most batches can come out several times
// slow while the fastest agree run after run (docs/performance.md has the
// measurement). Both sides run exactly the same thing per query:
// hsr.Collect at the offset the engine's row sent its index
// (attention.Engine.Offset of the row's threshold; for top-r softmax the
// row's τ_i, so the top-r search itself is not timed) into a buffer
// allocated once. The job is spread over frames in units of about
// timingMinBatch and waits while the user interacts (Compute): a
// measurement taken while frames draw and input arrives is neither
// wanted (the parameters are changing) nor clean.

const (
	timingMinRounds = 5
	timingMaxRounds = 15
	timingSpend     = 400 * time.Millisecond
	timingMinBatch  = 2 * time.Millisecond
	// timingChunkMin: the clock is read after a chunk of queries whose
	// size doubles until a chunk takes at least this long, so clock
	// reads (a call into JavaScript in the browser) cost well under 1%.
	timingChunkMin = 250 * time.Microsecond
)

// timingJob measures the chosen index against the scan on the m queries of
// one rowsKey.
type timingJob struct {
	key      rowsKey
	m        int
	ix       [2]hsr.Index     // the chosen index and the scan
	round    int              // -1: the warm-up; then 0 … rounds-1
	rounds   int              // set after the warm-up
	warm     [2]time.Duration // per side: the warm-up pass
	second   bool
	qs       int              // queries run in the current batch
	dur      time.Duration    // their time
	chunk    [2]int           // per side (0 index, 1 scan): queries between clock reads
	perQ     [2]time.Duration // per side: the last chunk's time per query
	perQuery [2][]float64     // per side: seconds per query, one per round
	queries  [2][]int         // per side: queries in each round's batch (whole passes)
	reported [2]int           // per side: keys reported over the batches' first passes
	ids      []int
	c        []float64 // each row's offset, as the engine's row sent it
	complete bool
}

func (a *App) timingKey() rowsKey { return a.rowsKey() }

// startTiming starts the timing job of the current parameters (the rows
// for them are complete).
func (a *App) startTiming() {
	ds := a.data
	a.timing = &timingJob{key: a.timingKey(), m: a.p.M, round: -1, chunk: [2]int{1, 1}, c: make([]float64, a.p.M),
		ix: [2]hsr.Index{ds.engine(a.p.Index).Index(), ds.engine(hsr.IndexScan).Index()}, ids: make([]int, 0, ds.n)}
	for i := range a.timing.c {
		a.timing.c[i] = a.rows.rows[i].c
	}
}

// timingNow is the timing job's clock (tests replace it).
var timingNow = time.Now

// side is the index of the batch in progress: 0 the chosen index, 1 the scan.
// Rounds alternate which goes first: index, scan, scan, index, …
func (tj *timingJob) side() int {
	first := 0
	if tj.round >= 0 && tj.round%2 == 1 {
		first = 1
	}
	if tj.second {
		return 1 - first
	}
	return first
}

// stepTiming runs one unit of the timing job: queries of the current batch
// for about timingMinBatch, or to the end of the batch. A chunk that the
// last chunk's time per query says would take the unit past
// timingMinBatch waits for the next unit (at least one chunk runs): at
// n = 2^20 a query takes 1–3 ms natively and 5–15 ms in the page, and a
// unit that ran queries until 2 ms had passed took 22–34 ms there
// (docs/performance.md, "Large n in the browser"). Only the units'
// boundaries move: a batch's time is the sum of its chunks' times, as before.
func (a *App) stepTiming() {
	tj := a.timing
	ds := a.data
	d := ds.d
	side := tj.side()
	ix := tj.ix[side]
	m := tj.m
	var unit time.Duration
	for {
		k := tj.chunk[side]
		if rem := m - tj.qs%m; rem < m {
			k = min(k, rem) // finish the pass first
		} else if k > m {
			k = k / m * m // whole passes
		}
		if unit > 0 && unit+time.Duration(k)*tj.perQ[side] > timingMinBatch {
			return
		}
		t0 := timingNow()
		for j := 0; j < k; j++ {
			i := (tj.qs + j) % m
			q := a.q[i*d : (i+1)*d]
			tj.ids, _ = hsr.Collect(ix, q, tj.c[i], tj.ids[:0])
			if tj.qs+j < m {
				tj.reported[side] += len(tj.ids)
			}
		}
		el := timingNow().Sub(t0)
		tj.qs += k
		tj.dur += el
		tj.perQ[side] = el / time.Duration(k)
		unit += el
		if el < timingChunkMin && tj.chunk[side] < 1<<20 {
			tj.chunk[side] *= 2
		}
		if tj.qs%m == 0 && (tj.round < 0 && tj.qs == m || tj.round >= 0 && tj.dur >= timingMinBatch) {
			tj.endBatch(side)
			return
		}
		if unit >= timingMinBatch {
			return
		}
	}
}

// endBatch records the finished batch and moves to the next.
func (tj *timingJob) endBatch(side int) {
	if tj.round >= 0 {
		tj.perQuery[side] = append(tj.perQuery[side], tj.dur.Seconds()/float64(tj.qs))
		tj.queries[side] = append(tj.queries[side], tj.qs)
	} else {
		tj.reported[side] = 0 // counted again over the timed batches' first passes
		tj.warm[side] = tj.dur
	}
	tj.qs, tj.dur = 0, 0
	if !tj.second {
		tj.second = true
		return
	}
	tj.second = false
	if tj.round < 0 {
		tj.rounds = roundsFor(tj.warm)
	}
	tj.round++
	if tj.round == tj.rounds {
		tj.complete = true
		tj.ids = nil
	}
}

// roundsFor is the number of rounds whose batches (one pass, or more to
// reach timingMinBatch) fit in timingSpend, given each side's pass time:
// odd, within timingMinRounds … timingMaxRounds.
func roundsFor(pass [2]time.Duration) int {
	round := max(pass[0], timingMinBatch) + max(pass[1], timingMinBatch)
	r := int(timingSpend / round)
	r = max(timingMinRounds, min(timingMaxRounds, r))
	if r%2 == 0 {
		r--
	}
	return r
}

// timingResult is what the panel shows: per-query medians and the ratio.
type timingResult struct {
	index, scan   time.Duration // per query, the fastest round
	ratio         float64       // scan / index of those
	indexMedian   time.Duration // per query, the median round
	scanMedian    time.Duration
	rounds        int
	queries       [2]int // median queries per batch (whole passes of m)
	m             int
	sameReported  bool // both sides reported the same keys in total
	indexReported int
}

// result summarises a complete job (ok false before).
func (tj *timingJob) result() (timingResult, bool) {
	if tj == nil || !tj.complete {
		return timingResult{}, false
	}
	secs := func(s float64) time.Duration { return time.Duration(s * 1e9) }
	bi, bs := slices.Min(tj.perQuery[0]), slices.Min(tj.perQuery[1])
	return timingResult{
		index:         secs(bi),
		scan:          secs(bs),
		ratio:         bs / bi,
		indexMedian:   secs(median(tj.perQuery[0])),
		scanMedian:    secs(median(tj.perQuery[1])),
		rounds:        tj.rounds,
		queries:       [2]int{medianInt(tj.queries[0]), medianInt(tj.queries[1])},
		m:             tj.m,
		sameReported:  tj.reported[0] == tj.reported[1],
		indexReported: tj.reported[0],
	}, true
}

// shownTiming is the timing of the shown summary, if measured.
func (a *App) shownTiming() (timingResult, bool) {
	if a.sum == nil || a.timing == nil || a.timing.key != a.sum.key {
		return timingResult{}, false
	}
	return a.timing.result()
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	k := len(s)
	if k%2 == 1 {
		return s[k/2]
	}
	return (s[k/2-1] + s[k/2]) / 2
}

func medianInt(v []int) int {
	s := append([]int(nil), v...)
	sort.Ints(s)
	return s[len(s)/2]
}

// fraction is the share of the job done (for the header's progress).
func (tj *timingJob) fraction() float64 {
	if tj.complete {
		return 1
	}
	if tj.round < 0 {
		return 0.1 * float64(btoi(tj.second)) / 2
	}
	b := 2*tj.round + btoi(tj.second)
	return 0.1 + 0.9*float64(b)/float64(2*tj.rounds)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
