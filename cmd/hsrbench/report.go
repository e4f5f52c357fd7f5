package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
)

// row is one measured comparison: ours (Contender) against Baseline in one
// cell. Times are milliseconds per unit (query, decode or prefill) and
// Ratio = BaselineMs / Ms (> 1: ours is faster), but where Paired is set
// (grid and scaling cells): then Ratio = Paired, the median over rounds
// of the two sides' ratio in the same round (see pairedRatio).
type row struct {
	Case       string  `json:"case"`
	D          int     `json:"d"`
	N          int     `json:"n"`
	Frac       float64 `json:"frac"`
	Data       string  `json:"data"`
	BaselineMs float64 `json:"baseline_ms"`
	Ms         float64 `json:"ms"`
	Ratio      float64 `json:"ratio"`
	Paired     float64 `json:"paired_ratio,omitempty"`     // median of per-round ratios (grid, scaling)
	MedRatio   float64 `json:"ratio_of_medians,omitempty"` // BaselineMs / Ms
	OK         bool    `json:"ok"`                         // output checked equal to the oracle in every run

	Contender string  `json:"contender"`
	Baseline  string  `json:"baseline"`
	BaseMin   float64 `json:"baseline_min_ms"`
	BaseMax   float64 `json:"baseline_max_ms"`
	Min       float64 `json:"min_ms"`
	Max       float64 `json:"max_ms"`
	Reps      int     `json:"reps"`
	Units     int     `json:"units"` // queries (or decodes) per timed batch

	Reported   float64 `json:"reported,omitempty"`     // mean points (keys) reported per query
	Dots       float64 `json:"dots,omitempty"`         // mean point dot products per query (ours)
	Nodes      float64 `json:"nodes,omitempty"`        // mean nodes visited per query (ours)
	BuildMs    float64 `json:"build_ms,omitempty"`     // building ours (once, not in ms)
	MaxRelDiff float64 `json:"max_rel_diff,omitempty"` // attention: max |ours−dense| / row ∞-norm
	GBps       float64 `json:"gbps,omitempty"`         // stream: bytes read per second by ours
	BaseGBps   float64 `json:"baseline_gbps,omitempty"`
	Info       string  `json:"info,omitempty"`
}

// fit is a fitted log-log slope (scaling section).
type fit struct {
	Case   string  `json:"case"` // "scaling-fit"
	D      int     `json:"d"`
	Data   string  `json:"data"`
	Index  string  `json:"contender"`
	What   string  `json:"what"` // reported, expected, dots, nodes, ms
	Slope  float64 `json:"slope"`
	Theory float64 `json:"theory"`
	NLo    int     `json:"n_lo"`
	NHi    int     `json:"n_hi"`
}

// verdict is one target of issue 4 with the figure measured in this run.
type verdict struct {
	Case   string  `json:"case"` // "target"
	Target string  `json:"target"`
	Want   string  `json:"want"`
	Got    float64 `json:"got"`
	Where  string  `json:"where"`
	Pass   bool    `json:"pass"`
	Status string  `json:"status"` // holds, MISSED, indicative (measured at a smaller n), not run
}

// reporter prints rows as they are measured (tables are fixed-width so that
// long runs show progress) and keeps them for the targets.
type reporter struct {
	w        io.Writer
	json     bool
	section  string
	rows     []row
	fits     []fit
	failures int
}

func newReporter(w io.Writer, js bool) *reporter { return &reporter{w: w, json: js} }

// emitJSON writes v as one line. A value JSON cannot hold is a bug of this
// program, reported as a failure line (the exit status says so), not a panic.
func (r *reporter) emitJSON(v any) {
	b, err := marshal(v)
	if err != nil {
		r.failures++
		b, _ = marshal(map[string]any{"case": "error", "ok": false, "text": "hsrbench: cannot encode a line: " + err.Error()})
	}
	fmt.Fprintf(r.w, "%s\n", b)
}

// marshal is json.Marshal without HTML escaping ("<= 1.1" stays readable).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// MarshalJSON writes a target that was not measured in this run (Got is NaN)
// with "got": null: JSON has no NaN.
func (v verdict) MarshalJSON() ([]byte, error) {
	type plain verdict
	var got any = v.Got
	if math.IsNaN(v.Got) || math.IsInf(v.Got, 0) {
		got = nil
	}
	return marshal(struct {
		plain
		Got any `json:"got"`
	}{plain(v), got})
}

func (r *reporter) comment(s string) {
	if r.json {
		r.emitJSON(map[string]string{"case": "info", "text": s})
		return
	}
	fmt.Fprintf(r.w, "# %s\n", s)
}

// mismatch reports a result that differs from its oracle: loud, and fatal for the exit status.
func (r *reporter) mismatch(s string) {
	r.failures++
	if r.json {
		r.emitJSON(map[string]any{"case": "mismatch", "ok": false, "text": s})
		return
	}
	fmt.Fprintf(r.w, "!!!! MISMATCH: %s\n", s)
}

// Column layout of the table. Every line of a section uses the same widths.
const rowHeader = "%-8s %-9s %4s %8s %7s %-13s %-10s %26s %26s %9s %-4s %s\n"

// header starts a section's table.
func (r *reporter) header(section, title string) {
	r.section = section
	if r.json {
		return
	}
	fmt.Fprintf(r.w, "\n== %s: %s\n", section, title)
	fmt.Fprintf(r.w, rowHeader, "case", "data", "d", "n", "frac", "contender", "baseline",
		"baseline ms (min-max)", "ms (min-max)", "ratio", "ok", "info")
}

func (r *reporter) add(x row) {
	if x.BaselineMs > 0 && x.Ms > 0 {
		x.Ratio = x.BaselineMs / x.Ms
		x.MedRatio = x.Ratio
	}
	if x.Paired > 0 {
		x.Ratio = x.Paired
	}
	r.rows = append(r.rows, x)
	if r.json {
		r.emitJSON(x)
		return
	}
	ok := "ok"
	if !x.OK {
		ok = "FAIL"
	}
	frac := ""
	if x.Frac != 0 {
		frac = fmtFrac(x.Frac)
	}
	fmt.Fprintf(r.w, rowHeader, x.Case, x.Data, itoa(x.D), itoa(x.N), frac, x.Contender, x.Baseline,
		fmtSpread(x.BaselineMs, x.BaseMin, x.BaseMax), fmtSpread(x.Ms, x.Min, x.Max),
		fmtRatio(x.Ratio), ok, x.Info)
}

func (r *reporter) addFit(f fit) {
	r.fits = append(r.fits, f)
	if r.json {
		r.emitJSON(f)
		return
	}
	fmt.Fprintf(r.w, "   slope %-8s d=%-3d %-9s %-8s n=%d..%d: %6.3f   (theory %s)\n",
		f.What, f.D, f.Data, f.Index, f.NLo, f.NHi, f.Slope, fmtTheory(f.Theory))
}

func fmtTheory(t float64) string {
	switch {
	case math.Abs(t-0.8) < 1e-9:
		return "4/5"
	case math.Abs(t-1) < 1e-9:
		return "1 (scan)"
	case math.IsNaN(t):
		return "-"
	}
	return fmt.Sprintf("%.3f", t)
}

func itoa(v int) string {
	if v == 0 {
		return ""
	}
	return fmt.Sprint(v)
}

func fmtFrac(f float64) string {
	if f >= 0.01 {
		return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", f), "0"), ".")
	}
	return fmt.Sprintf("%.0e", f)
}

// fmtMs prints a time with 4 significant digits.
func fmtMs(v float64) string {
	switch {
	case v == 0:
		return "-"
	case v >= 1000:
		return fmt.Sprintf("%.0f", v)
	case v >= 100:
		return fmt.Sprintf("%.1f", v)
	case v >= 10:
		return fmt.Sprintf("%.2f", v)
	case v >= 1:
		return fmt.Sprintf("%.3f", v)
	}
	return fmt.Sprintf("%.4g", v)
}

func fmtSpread(med, lo, hi float64) string {
	if med == 0 {
		return "-"
	}
	return fmt.Sprintf("%s (%s-%s)", fmtMs(med), fmtMs(lo), fmtMs(hi))
}

func fmtRatio(r float64) string {
	switch {
	case r == 0:
		return "-"
	case r >= 100:
		return fmt.Sprintf("%.0fx", r)
	case r >= 10:
		return fmt.Sprintf("%.1fx", r)
	}
	return fmt.Sprintf("%.2fx", r)
}
