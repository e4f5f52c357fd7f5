package main

import (
	"fmt"
	"math"
	"runtime"
	"strings"
)

// target is one figure issues 4 and 11 ask for, read off the rows of this
// run.
type target struct {
	name string
	want string
	n    int // the size the target is defined at
	// got returns the figure, where it was measured, its n, and whether it was found.
	got  func(rows []row) (v float64, where string, n int, ok bool)
	pass func(v float64) bool
}

func findRow(rows []row, match func(r row) bool) (row, bool) {
	for _, r := range rows {
		if match(r) {
			return r, true
		}
	}
	return row{}, false
}

func treeTarget(d int, data string, frac, want float64) target {
	return target{
		name: fmt.Sprintf("tree vs scan, d=%d %s, k/n=%s", d, data, fmtFrac(frac)),
		want: fmt.Sprintf(">= %gx", want), n: 1 << 20,
		got: func(rows []row) (float64, string, int, bool) {
			r, ok := findRow(rows, func(r row) bool {
				return r.Case == "grid" && r.Contender == "tree" && r.D == d && r.Data == data && r.Frac == frac
			})
			return r.Ratio, "", r.N, ok && r.OK
		},
		pass: func(v float64) bool { return v >= want },
	}
}

// oursRow finds the HSR row of an attention section (a contender that is not a dense path).
func oursRow(rows []row, section string) (row, bool) {
	return findRow(rows, func(r row) bool { return r.Case == section && !strings.HasPrefix(r.Contender, "dense") })
}

var targetList = []target{
	{name: "scan time / streaming-read time, d=64", want: "<= 1.15", n: 1 << 20,
		got: func(rows []row) (float64, string, int, bool) {
			r, ok := findRow(rows, func(r row) bool { return r.Case == "stream" && r.Contender == "scan" })
			return r.Ms / r.BaselineMs, "", r.N, ok && r.OK
		},
		pass: func(v float64) bool { return v <= 1.15 }},
	{name: "auto time / scan time, worst grid cell", want: "<= 1.1", n: 1 << 20,
		got: func(rows []row) (float64, string, int, bool) {
			worst, where, n, found := 0.0, "", 0, false
			over, cells := 0, 0
			for _, r := range rows {
				if r.Case == "grid" && r.Contender == "auto" {
					found = true
					if !r.OK {
						return math.NaN(), "", r.N, false
					}
					cells++
					x := r.Ms / r.BaselineMs
					if r.Paired > 0 {
						x = 1 / r.Paired // the rounds paired (see row)
					}
					if x > 1.1 {
						over++
					}
					if x > worst {
						worst, n = x, r.N
						where = fmt.Sprintf("d=%d %s k/n=%s", r.D, r.Data, fmtFrac(r.Frac))
					}
				}
			}
			return worst, fmt.Sprintf("worst at %s; %d of %d cells over 1.1", where, over, cells), n, found
		},
		pass: func(v float64) bool { return v <= 1.1 }},
	treeTarget(2, "gaussian", 1e-4, 200),
	treeTarget(2, "gaussian", 1e-2, 40),
	treeTarget(3, "gaussian", 1e-4, 60),
	treeTarget(8, "gaussian", 1e-4, 4),
	treeTarget(64, "decaying", 1e-4, 5),
	// Issue 4 asked for >= 1x; issue 11 for 6x, at both settings.
	{name: "ReLU decoding: HSR vs fastest dense, exact", want: ">= 6x, ok", n: 1 << 20,
		got: func(rows []row) (float64, string, int, bool) {
			r, ok := oursRow(rows, "decode")
			v, where := r.Ratio, fmt.Sprintf("%s %.2fx at GOMAXPROCS=%d", r.Contender, r.Ratio, runtime.GOMAXPROCS(0))
			// The engine splits a decode over GOMAXPROCS goroutines, as the
			// fastest dense paths do; the one-thread comparison counts too:
			// the figure is the worse of the two.
			if one, found := oursRow(rows, "decode-1t"); found && one.Contender == r.Contender {
				v = min(v, one.Ratio)
				where += fmt.Sprintf(", %.2fx on one thread each (vs %s)", one.Ratio, one.Baseline)
				ok = ok && one.OK
			}
			return v, where, r.N, ok && r.OK
		},
		pass: func(v float64) bool { return v >= 6 }},
	{name: "prefill m=n, causal: HSR vs dense gonum", want: ">= 1.7x, ok", n: 1 << 14,
		got: func(rows []row) (float64, string, int, bool) {
			r, ok := oursRow(rows, "prefill")
			return r.Ratio, r.Contender, r.N, ok && r.OK
		},
		pass: func(v float64) bool { return v >= 1.7 }},
}

// verdicts evaluates every target on the rows measured in this run. A target
// whose cell ran at a smaller n than it is defined at is "indicative".
func verdicts(rows []row) []verdict {
	var vs []verdict
	for _, t := range targetList {
		v, where, n, found := t.got(rows)
		vd := verdict{Case: "target", Target: t.name, Want: t.want, Got: v, Where: where}
		switch {
		case !found && n == 0:
			// Nothing measured: no figure, whatever got made of the
			// missing row (a zero ratio, "0.00x" in where).
			vd.Status, vd.Got, vd.Where = "not run", math.NaN(), ""
		case !found:
			vd.Status = "FAILED CHECK"
			vd.Where = strings.TrimSpace(where + " (output differs from the oracle)")
		default:
			vd.Pass = t.pass(v)
			vd.Status = map[bool]string{true: "holds", false: "MISSED"}[vd.Pass]
			if n != t.n {
				vd.Status = fmt.Sprintf("indicative (n=%d, target at n=%d): %s", n, t.n, map[bool]string{true: "holds", false: "missed"}[vd.Pass])
			}
		}
		vs = append(vs, vd)
	}
	return vs
}

func (r *reporter) targets(c config) {
	vs := verdicts(r.rows)
	if !r.json {
		fmt.Fprintf(r.w, "\n== targets (issues 4 and 11)\n")
	}
	for _, v := range vs {
		if r.json {
			r.emitJSON(v)
			continue
		}
		got := "-"
		if v.Status != "not run" && !math.IsNaN(v.Got) {
			got = fmt.Sprintf("%.3g", v.Got)
		}
		fmt.Fprintf(r.w, "%-46s want %-11s got %-8s %s %s\n", v.Target, v.Want, got, v.Status, v.Where)
	}
}
