package main

import (
	"runtime"
	"slices"
	"time"
)

// timing is the summary of repeated runs of one contender, in milliseconds
// per unit (per query, per decode, per prefill).
type timing struct {
	Med, Min, Max float64
	Runs          []float64
}

// pairedRatio is the median over rounds of base's time / t's time in the
// same round (0 if they ran a different number of rounds): each round's
// two runs are at most a contender apart, so a change in the machine's
// load over seconds (other tenants' memory traffic) moves both, where the
// ratio of the two medians takes each side's median from different
// rounds. Measured at d = 64 gaussian (-reps 18, load 5–15) for Auto and
// the scan doing the same work: paired 0.98–1.04 over the five cells,
// ratio of medians 0.97–1.09 (docs/performance.md).
func pairedRatio(base, t timing) float64 {
	if len(base.Runs) == 0 || len(base.Runs) != len(t.Runs) {
		return 0
	}
	r := make([]float64, len(t.Runs))
	for i, x := range t.Runs {
		r[i] = base.Runs[i] / x
	}
	return summarize(r).Med
}

func summarize(ms []float64) timing {
	s := slices.Clone(ms)
	slices.Sort(s)
	t := timing{Runs: ms}
	if len(s) == 0 {
		return t
	}
	t.Min, t.Max = s[0], s[len(s)-1]
	if len(s)%2 == 1 {
		t.Med = s[len(s)/2]
	} else {
		t.Med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return t
}

// defaultMinRun is the shortest timed run: a contender faster than this
// repeats its batch within one run (so that microsecond-scale tree queries
// are not timed at the mercy of one scheduler tick).
const defaultMinRun = 5 * time.Millisecond

// defaultCellTotal is the least measured time of a grid or scaling cell's
// rounds: a cell whose round is short (d ≤ 3: tree queries of tens of µs,
// scans of 1–3 ms) runs more rounds, up to 4·cellReps, for little time. Such
// cells are the noisiest for their size: at d = 2, k/n = 10⁻² the tree's
// runs spread over 35–68 µs per query and the scan's over 1.6–3.6 ms in one
// run, and the 5-round median ratio moved between 38 and 46 from run to
// run (docs/performance.md).
const defaultCellTotal = 500 * time.Millisecond

// timer starts timing a run; the function it returns stops it and gives
// the time the run took.
type timer func() func() time.Duration

// wallTimer times a run by the wall clock (time.Now).
func wallTimer() func() time.Duration {
	t0 := time.Now()
	return func() time.Duration { return time.Since(t0) }
}

// alternate times the contenders side by side: each runs once untimed (warm-up,
// and its correctness check runs too), then (if that was shorter than 20·minRun)
// once more untimed in the same order, whose time sets how many batches make one run of at least minRun (so
// that contenders sharing a structure, such as the tree and Auto, are both
// calibrated warm, whoever ran first), then reps rounds in which every contender runs once,
// starting at a different contender each round so that no one always runs
// first or right after the same neighbour. Each fn performs one batch and
// returns how many units (queries) it performed; the result is milliseconds
// per unit. A GC runs before every timed run so that garbage from one
// contender is not collected on another's clock. Runs are timed by the wall
// clock.
func alternate(reps int, minRun time.Duration, fns []func() int) []timing {
	return alternateChecked(reps, minRun, 0, fns, nil, wallTimer)
}

// alternateChecked is alternate with checks[i] (if non-nil) called after
// every run of fns[i], warm-up included, outside the timer, every run (the
// calibrating ones too) timed by clock, and more rounds where they are
// cheap: as many as fill minTotal at the calibrated time of a round, at
// least reps and at most 4·reps (0: reps).
func alternateChecked(reps int, minRun, minTotal time.Duration, fns []func() int, checks []func(), clock timer) []timing {
	check := func(i int) {
		if checks != nil && checks[i] != nil {
			checks[i]()
		}
	}
	warm := make([]time.Duration, len(fns))
	for i, f := range fns {
		stop := clock()
		f()
		warm[i] = stop()
		check(i)
	}
	inner := make([]int, len(fns))
	var round time.Duration // the calibrated time of one round
	for i, f := range fns {
		inner[i] = 1
		if warm[i] >= 20*minRun {
			round += warm[i]
			continue // long enough either way: no second untimed run
		}
		stop := clock()
		f()
		el := stop()
		check(i)
		if el < minRun {
			inner[i] = min(1000, int(minRun/max(el, time.Microsecond))+1)
		}
		round += el * time.Duration(inner[i])
	}
	rounds := reps
	if minTotal > 0 && round > 0 {
		rounds = min(4*reps, max(reps, int((minTotal+round-1)/round)))
	}
	ms := make([][]float64, len(fns))
	for r := 0; r < rounds; r++ {
		for k := range fns {
			i := roundOrder(r, k, len(fns))
			runtime.GC()
			stop := clock()
			units := 0
			for range inner[i] {
				units += fns[i]()
			}
			el := stop()
			check(i)
			ms[i] = append(ms[i], float64(el.Nanoseconds())/1e6/float64(max(units, 1)))
		}
	}
	out := make([]timing, len(fns))
	for i := range fns {
		out[i] = summarize(ms[i])
	}
	return out
}

// roundOrder is the contender that runs k-th in round r of n contenders.
// Rounds go in blocks of n: in even blocks contender i is followed by
// i+1 (mod n) and round r starts at r mod n; in odd blocks the order is
// reversed (i followed by i−1) and each round starts one lower. So every
// contender runs first equally often, and, for n ≤ 3, over 2n rounds
// each runs right after each other one equally often, the boundaries
// between rounds included.
//
// Why: a run may leave part of its data in the processor's caches (an L3
// of 260 MiB here can keep part of a 512 MiB scan's rows), which would
// help the next run where it reads the same bytes: Auto and the scan read
// the same rows in the grid at d ≥ 16. With rotations alone, of 3
// contenders scan → tree → auto, the scan ran right after Auto in 2 of
// every 3 rounds and Auto after the scan in 1. Measured at d = 64
// gaussian (-reps 18, 90 rounds over five cells, load 5–15) the per-round
// auto/scan averaged 1.00, 1.03 and 1.03 over the three rotations: no
// carry-over stands out of the noise, but the balance costs nothing.
func roundOrder(r, k, n int) int {
	j := r % n
	if (r/n)%2 == 0 {
		return (j + k) % n
	}
	return ((-j-k)%n + 2*n) % n
}
