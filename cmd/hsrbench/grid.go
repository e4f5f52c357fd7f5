package main

import (
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/hsrviz/hsrviz/hsr"
)

// maker builds one contender index over n = len(pts)/d points; prior holds
// the contenders built before it in the same cell (auto reuses the tree).
type maker struct {
	name  string
	build func(d int, pts []float64, prior map[string]hsr.Index) hsr.Index
}

// built is a contender ready to query.
type built struct {
	name    string
	ix      hsr.Index
	buildMs float64
}

func buildAll(ms []maker, d int, pts []float64) []built {
	out := make([]built, 0, len(ms))
	prior := map[string]hsr.Index{}
	for _, m := range ms {
		runtime.GC()
		t0 := time.Now()
		ix := m.build(d, pts, prior)
		prior[m.name] = ix
		out = append(out, built{name: m.name, ix: ix, buildMs: float64(time.Since(t0).Nanoseconds()) / 1e6})
	}
	return out
}

// gridContenders: the scan first (the baseline), then every index that exists.
func gridContenders(c config) []maker {
	ms := []maker{{"scan", func(d int, p []float64, _ map[string]hsr.Index) hsr.Index { return hsr.NewScan(d, p) }}}
	ms = append(ms, engineContenders()...)
	return append(ms, c.extra...)
}

// cell is one grid cell: queries with their offsets and the oracle's sets.
type cell struct {
	section string // the row's case: grid or scaling
	data    string
	d, n    int
	frac    float64
	qs      [][]float64
	cs      []float64
	want    []setSum
}

// runGrid times tree and auto (and any other contender) against the scan.
func runGrid(c config, out *reporter, log io.Writer) {
	n := c.gridN
	ms := gridContenders(c)
	out.header("grid", fmt.Sprintf("indexes vs hsr.Scan, n=%d, %d Gaussian queries per cell (%d at d >= 64), every set checked; ms per query", n, c.gridQ, max(2, c.gridQ/2)))
	if len(ms) == 1 {
		out.comment("grid: no index other than the scan exists yet (hsr.NewTree / hsr.NewAuto missing): nothing to compare")
	}
	for di, data := range c.gridData {
		for _, d := range c.gridDims {
			t0 := time.Now()
			rng := newRand(c.seed, uint64(1000+100*di+d))
			pts := genPoints(data, n, d, c.seed+uint64(1000+100*di+d))
			// At d ≥ 64 a scan of 2^20 points takes 20–100 ms: half the queries
			// keep -full within its budget (the medians are over rounds anyway).
			nq := c.gridQ
			if d >= 64 {
				nq = max(2, nq/2)
			}
			qs := make([][]float64, nq)
			cs := make([][]float64, len(c.gridFracs)) // [frac][query]
			want := make([][]setSum, len(c.gridFracs))
			for f := range cs {
				cs[f] = make([]float64, nq)
				want[f] = make([]setSum, nq)
			}
			dots := make([]float64, n)
			for i := range qs {
				qs[i] = gaussian(d, 1, rng)
				for j := 0; j < n; j++ {
					dots[j] = hsr.Dot(qs[i], pts[j*d:(j+1)*d])
				}
				off := offsetsFor(dots, c.gridFracs)
				for f := range off {
					cs[f][i] = off[f]
					want[f][i] = sumAbove(dots, off[f])
				}
			}
			dots = nil
			bs := buildAll(ms, d, pts)
			pts = nil
			for f, frac := range c.gridFracs {
				runCell(c, out, cell{section: "grid", data: data, d: d, n: n, frac: frac, qs: qs, cs: cs[f], want: want[f]}, bs)
			}
			fmt.Fprintf(log, "hsrbench: grid %s d=%d done in %.1fs\n", data, d, time.Since(t0).Seconds())
		}
	}
}

// runCell times every contender on the cell's queries, side by side, checks
// every reported set in every run against the oracle, and adds one row per
// contender after the first (the baseline). Queries go through hsr.Collect
// (what the attention engine calls: indexes with AppendQuery append ids
// without a call per id), or with -visit through Query and a callback that
// appends. The check runs after each timed run, off the clock.
func runCell(c config, out *reporter, k cell, bs []built) {
	type tally struct {
		bad   int
		stats hsr.Stats
		ids   [][]int
	}
	ts := make([]tally, len(bs))
	fns := make([]func() int, len(bs))
	checks := make([]func(), len(bs))
	for b := range bs {
		ts[b].ids = make([][]int, len(k.qs))
		var cur []int
		visit := func(id int) bool { cur = append(cur, id); return true }
		fns[b] = func() int {
			var st hsr.Stats
			for i, q := range k.qs {
				if c.visit {
					cur = ts[b].ids[i][:0]
					st.Add(bs[b].ix.Query(q, k.cs[i], visit))
					ts[b].ids[i] = cur
				} else {
					var s hsr.Stats
					ts[b].ids[i], s = hsr.Collect(bs[b].ix, q, k.cs[i], ts[b].ids[i][:0])
					st.Add(s)
				}
			}
			ts[b].stats = st
			return len(k.qs)
		}
		checks[b] = func() {
			for i, ids := range ts[b].ids {
				var got setSum
				for _, id := range ids {
					got.add(id)
				}
				if got != k.want[i] {
					if ts[b].bad < 3 {
						out.mismatch(fmt.Sprintf("%s %s d=%d n=%d frac=%g: %s query %d reported %v, oracle %v",
							k.section, k.data, k.d, k.n, k.frac, bs[b].name, i, got, k.want[i]))
					}
					ts[b].bad++
				}
			}
		}
	}
	tm := alternateChecked(c.cellReps, c.minRun, c.cellTotal, fns, checks, c.soloTimer())
	nq := float64(len(k.qs))
	var rep float64
	for _, w := range k.want {
		rep += float64(w.N)
	}
	for b := 1; b < len(bs); b++ {
		st := ts[b].stats
		out.add(row{Case: k.section, D: k.d, N: k.n, Frac: k.frac, Data: k.data,
			Contender: bs[b].name, Baseline: bs[0].name,
			BaselineMs: tm[0].Med, BaseMin: tm[0].Min, BaseMax: tm[0].Max,
			Ms: tm[b].Med, Min: tm[b].Min, Max: tm[b].Max, Paired: pairedRatio(tm[0], tm[b]),
			OK: ts[b].bad == 0 && ts[0].bad == 0, Reps: len(tm[b].Runs), Units: len(k.qs),
			Reported: rep / nq, Dots: float64(st.DotProducts) / nq, Nodes: float64(st.NodesVisited) / nq,
			BuildMs: bs[b].buildMs,
			Info: fmt.Sprintf("dots/n=%.3g nodes=%.0f build=%.0fms", float64(st.DotProducts)/nq/float64(k.n),
				float64(st.NodesVisited)/nq, bs[b].buildMs)})
	}
}
