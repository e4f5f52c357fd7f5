package viz

import (
	"strings"
	"testing"
	"time"

	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/viz/input"
)

// fakeClock is a clock that only moves when a clockIndex answers a query.
type fakeClock struct{ t time.Time }

// clockIndex answers queries with a real index and advances the fake clock
// by a fixed cost per query; it logs which side ran.
type clockIndex struct {
	hsr.Index
	clk   *fakeClock
	cost  time.Duration
	extra func() time.Duration // interference, if not nil
	side  int
	log   *[]int
}

func (c clockIndex) Query(a []float64, t float64, visit func(int) bool) hsr.Stats {
	c.clk.t = c.clk.t.Add(c.cost)
	if c.extra != nil {
		c.clk.t = c.clk.t.Add(c.extra())
	}
	if l := *c.log; len(l) == 0 || l[len(l)-1] != c.side {
		*c.log = append(*c.log, c.side)
	}
	return c.Index.Query(a, t, visit)
}

// atTiming is a new app for hash run until its next unit is the timing's.
func atTiming(t *testing.T, hash string) *App {
	t.Helper()
	a := appFromHash(t, hash)
	runUntilTiming(t, a)
	return a
}

// fakeTiming starts a's timing job with its two sides (index, scan) timed
// on a fake clock that advances costs[s] per query of side s, and
// timingNow reading that clock until the test ends; order logs the sides
// as their queries ran.
func fakeTiming(t *testing.T, a *App, costs [2]time.Duration) (tj *timingJob, clk *fakeClock, order *[]int) {
	a.startTiming()
	tj = a.timing
	clk = &fakeClock{t: time.Unix(0, 0)}
	order = new([]int)
	for s := range tj.ix {
		tj.ix[s] = clockIndex{Index: tj.ix[s], clk: clk, cost: costs[s], side: s, log: order}
	}
	timingNow = func() time.Time { return clk.t }
	t.Cleanup(func() { timingNow = time.Now })
	return tj, clk, order
}

// runUntilTiming runs units until the next one is the timing's.
func runUntilTiming(t *testing.T, a *App) {
	t.Helper()
	for i := 0; ; i++ {
		k := a.nextUnit()
		if k == uTiming {
			return
		}
		if k == uNone || i > 1e6 {
			t.Fatalf("no timing unit came (next %d)", k)
		}
		a.runUnit(k)
	}
}

// With a clock that advances 3 µs per index query and 20 µs per scan query,
// the job reports exactly those per-query times and their ratio, over
// batches of whole passes of at least timingMinBatch, in alternating order;
// interference (1 ms more in most of the index's batches) moves the median,
// not the fastest round, which the panel shows.
func TestTimingPerQueryWithFakeClock(t *testing.T) {
	a := atTiming(t, "n=4096&d=2&m=7")
	if _, ok := a.shownTiming(); ok {
		t.Fatal("a timing is shown before the job ran")
	}
	costs := [2]time.Duration{3 * time.Microsecond, 20 * time.Microsecond}
	tj, _, order := fakeTiming(t, a, costs)
	ci := tj.ix[0].(clockIndex)
	hit := map[int]bool{}
	ci.extra = func() time.Duration { // once in each of the first 10 timed batches
		if tj.round >= 0 && tj.round < 10 && !hit[tj.round] {
			hit[tj.round] = true
			return time.Millisecond
		}
		return 0
	}
	tj.ix[0] = ci
	units := 0
	var batches []int // the side of each batch, in order
	last := [2]int{-2, -1}
	for a.nextUnit() == uTiming && units < 10000 {
		side := tj.side()
		if b := [2]int{tj.round, btoi(tj.second)}; b != last {
			batches = append(batches, side)
			last = b
		}
		a.runUnit(uTiming)
		units++
		if last := (*order)[len(*order)-1]; last != side {
			t.Fatalf("unit %d: the job said side %d, queried %d", units, side, last)
		}
	}
	res, ok := a.shownTiming()
	if !ok {
		t.Fatalf("timing not complete after %d units", units)
	}
	if res.index != costs[0] || res.scan != costs[1] {
		t.Errorf("per query: index %v, scan %v; want %v, %v", res.index, res.scan, costs[0], costs[1])
	}
	if want := 20.0 / 3; res.ratio < want*(1-1e-9) || res.ratio > want*(1+1e-9) {
		t.Errorf("ratio %v, want %v", res.ratio, want)
	}
	// passes of 21 µs and 140 µs: batches of 2 ms, the most rounds
	if tj.rounds != timingMaxRounds || res.rounds != tj.rounds {
		t.Errorf("%d rounds (result %d), want %d", tj.rounds, res.rounds, timingMaxRounds)
	}
	for s := range 2 {
		if len(tj.queries[s]) != tj.rounds {
			t.Fatalf("side %d: %d batches, want %d", s, len(tj.queries[s]), tj.rounds)
		}
		for r, q := range tj.queries[s] {
			if s == 0 && r < 10 {
				continue // slowed by 1 ms
			}
			if q%7 != 0 || time.Duration(q)*costs[s] < timingMinBatch {
				t.Errorf("side %d: a batch of %d queries (%v): want whole passes of 7 taking ≥ %v",
					s, q, time.Duration(q)*costs[s], timingMinBatch)
			}
			// chunks double: a batch overshoots by less than its own length
			if time.Duration(q)*costs[s] > 2*timingMinBatch+7*costs[s] {
				t.Errorf("side %d: a batch of %d queries: far more than needed", s, q)
			}
		}
	}
	if !res.sameReported || res.indexReported == 0 {
		t.Errorf("both sides must answer the same queries: reported %v", tj.reported)
	}
	// warm-up (index, scan), then index, scan, scan, index, … by batches
	want := []int{0, 1}
	for r := range tj.rounds {
		want = append(want, r%2, 1-r%2)
	}
	if len(batches) != len(want) {
		t.Fatalf("sides of the batches %v, want %v", batches, want)
	}
	for i := range want {
		if batches[i] != want[i] {
			t.Fatalf("sides of the batches %v, want %v", batches, want)
		}
	}
	num, _ := a.numbers()
	if num["index_query_ms"] != 0.003 || num["scan_query_ms"] != 0.020 || num["time_rounds"] != timingMaxRounds {
		t.Errorf("Numbers: index %v ms, scan %v ms, rounds %v", num["index_query_ms"], num["scan_query_ms"], num["time_rounds"])
	}
	if num["index_query_median_ms"] <= 0.003 || num["scan_query_median_ms"] != 0.020 {
		t.Errorf("Numbers: medians index %v ms (10 of 15 batches were slowed), scan %v ms",
			num["index_query_median_ms"], num["scan_query_median_ms"])
	}
	l := a.timingLine()
	if l.value != "3 vs 20 µs (6.7×)" || l.ok != 1 || !strings.Contains(l.note, "fastest of 15 alternating rounds of 7 queries") {
		t.Errorf("panel line %+v", l)
	}
	for _, c := range []struct {
		x, y time.Duration
		want string
	}{
		{2910 * time.Nanosecond, 8170 * time.Nanosecond, "2.91 vs 8.17 µs"},
		{250 * time.Microsecond, 1234 * time.Microsecond, "250 µs vs 1.23 ms"},
		{3 * time.Millisecond, 2 * time.Second, "3 ms vs 2 s"},
	} {
		if got := fmtDurs(c.x, c.y); got != c.want {
			t.Errorf("fmtDurs(%v, %v) = %q, want %q", c.x, c.y, got, c.want)
		}
	}
}

// Until the timing of the shown rows is done, the panel says "measuring…"
// and Numbers has no times; a change of b (same data) or of n (new data)
// starts a new timing, and the old one is not shown with the new rows.
func TestTimingMeasuringAndReset(t *testing.T) {
	a := atTiming(t, "n=4096&d=2&m=8")
	check := func(when string) {
		t.Helper()
		if l := a.timingLine(); l.value != "measuring…" {
			t.Errorf("%s: the panel shows %q, want measuring…", when, l.value)
		}
		num, _ := a.numbers()
		for _, k := range []string{"index_query_ms", "scan_query_ms", "speedup"} {
			if _, ok := num[k]; ok {
				t.Errorf("%s: Numbers has %s before the timing is done", when, k)
			}
		}
		if !a.Snapshot().Busy {
			t.Errorf("%s: not busy while timing", when)
		}
	}
	check("rows done")
	a.runUnit(uTiming)
	check("after one timing unit")
	a.Settle()
	if num, _ := a.numbers(); !hasKey(num, "index_query_ms") {
		t.Fatal("settled without the timing")
	}
	old := a.timing
	if err := a.SetParamsJSON([]byte(`{"b":1.3}`)); err != nil {
		t.Fatal(err)
	}
	// the old rows are still shown, with their own timing
	if _, ok := a.shownTiming(); !ok || a.sum.key == a.rowsKey() {
		t.Fatal("while the new rows compute, the old rows and their timing should stay")
	}
	runUntilTiming(t, a)
	check("b changed, new rows done")
	a.Settle()
	if a.timing == old || a.timing.key != a.rowsKey() {
		t.Error("b changed: the timing was not redone")
	}
	if err := a.SetParamsJSON([]byte(`{"n":2048}`)); err != nil {
		t.Fatal(err)
	}
	if a.timing != nil {
		t.Error("n changed: the old timing survives")
	}
	runUntilTiming(t, a)
	check("n changed, new rows done")
	a.Settle()
	if res, ok := a.shownTiming(); !ok || res.index <= 0 || res.scan <= 0 || !res.sameReported {
		t.Errorf("n changed: timing %+v ok=%v", res, ok)
	}
}

// The timing waits while the user interacts (the scaling series goes on)
// and runs once the input rests.
func TestTimingWaitsWhileInteracting(t *testing.T) {
	a := settled(t, "n=4096&d=4&m=8")
	a.Scene(1280, 800)
	if err := a.SetParamsJSON([]byte(`{"alpha":3}`)); err != nil {
		t.Fatal(err)
	}
	runUntilTiming(t, a) // the new rows, computed while nobody interacts
	var ran []unitKind
	unitHook = func(k unitKind) { ran = append(ran, k) }
	defer func() { unitHook = nil }()
	for i := 0; i < 50; i++ {
		a.Update(input.Input{DT: 0.01, Pointers: []input.Pointer{{X: float32(20 + i), Y: 10}}}) // moving
	}
	for _, k := range ran {
		if k == uTiming {
			t.Fatal("a timing unit ran while the pointer moved")
		}
	}
	if !a.timingDue() {
		t.Fatal("the timing of the new rows is not pending")
	}
	for i := 0; i < 500 && a.timingDue(); i++ {
		a.Update(input.Input{DT: 0.1, Pointers: []input.Pointer{{X: 100, Y: 10}}}) // rests
	}
	if a.timingDue() {
		t.Error("the timing did not run once the input rested")
	}
}

// The number of rounds: as many as fit in timingSpend, odd, 5 to 15.
func TestRoundsFor(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		i, s time.Duration
		want int
	}{
		{10 * time.Microsecond, 50 * time.Microsecond, 15}, // batches of 2 ms: 100 rounds fit
		{20 * ms, 20 * ms, 9},                              // 10 fit: odd
		{30 * ms, 30 * ms, 5},                              // 6 fit
		{50 * ms, 150 * ms, 5},                             // 2 fit: at least 5
		{2 * ms, 38 * ms, 9},                               // 10 fit
	} {
		if got := roundsFor([2]time.Duration{c.i, c.s}); got != c.want {
			t.Errorf("roundsFor(%v, %v) = %d, want %d", c.i, c.s, got, c.want)
		}
	}
}

func hasKey(n Numbers, k string) bool { _, ok := n[k]; return ok }

// Where one query is long (n = 2^20 in a page: 10-30 ms), a timing unit
// runs one chunk, not queries until timingMinBatch has passed: no unit
// takes longer than timingMinBatch or one query, whichever is longer, and
// the per-query times are still exact.
func TestTimingUnitsStopBeforeOverrun(t *testing.T) {
	a := atTiming(t, "n=4096&d=2&m=5")
	costs := [2]time.Duration{700 * time.Microsecond, 1500 * time.Microsecond}
	tj, clk, _ := fakeTiming(t, a, costs)
	units := 0
	for a.nextUnit() == uTiming && units < 10000 {
		side := tj.side()
		t0 := clk.t
		a.runUnit(uTiming)
		units++
		if el := clk.t.Sub(t0); el > max(timingMinBatch, costs[side]) {
			t.Fatalf("unit %d (side %d): %v of queries, want ≤ %v", units, side, el, max(timingMinBatch, costs[side]))
		}
	}
	res, ok := a.shownTiming()
	if !ok {
		t.Fatalf("timing not complete after %d units", units)
	}
	if res.index != costs[0] || res.scan != costs[1] {
		t.Errorf("per query: index %v, scan %v; want %v, %v", res.index, res.scan, costs[0], costs[1])
	}
}
