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
	return alternateChecked(reps, minRun, fns, nil, wallTimer)
}

// alternateChecked is alternate with checks[i] (if non-nil) called after
// every run of fns[i], warm-up included, outside the timer, and every run
// (the calibrating ones too) timed by clock.
func alternateChecked(reps int, minRun time.Duration, fns []func() int, checks []func(), clock timer) []timing {
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
	for i, f := range fns {
		inner[i] = 1
		if warm[i] >= 20*minRun {
			continue // long enough either way: no second untimed run
		}
		stop := clock()
		f()
		el := stop()
		check(i)
		if el < minRun {
			inner[i] = min(1000, int(minRun/max(el, time.Microsecond))+1)
		}
	}
	ms := make([][]float64, len(fns))
	for r := 0; r < reps; r++ {
		for k := range fns {
			i := (r + k) % len(fns)
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
