package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/hsrviz/hsrviz/attention"
	"gonum.org/v1/gonum/mat"
)

// roundingSlack is the relative float64 rounding allowed between the dense
// and the HSR softmax beyond the certified bound (see BoundHoldsEveryRow).
const roundingSlack = 1e-12

// stats is the JSON written by -stats. Every number is measured in this run.
type stats struct {
	Tool   string               `json:"tool"`
	Inputs map[string]inputJSON `json:"inputs"`
	N      int                  `json:"n"`
	M      int                  `json:"m"`
	D      int                  `json:"d"`
	DV     int                  `json:"dv"`
	Params paramsJSON           `json:"params"`
	Index  indexJSON            `json:"index"`

	// Reported[i] is the number of keys row i used: its non-zero ReLU^α
	// weights, or its kept softmax set S_i.
	Reported      []int   `json:"reported"`
	ReportedTotal int     `json:"reported_total"`
	ReportedMean  float64 `json:"reported_mean"`
	ReportedMin   int     `json:"reported_min"`
	ReportedMax   int     `json:"reported_max"`
	// Visible[i] is the number of keys row i may see (i+1 under -causal);
	// written only with -causal, since it is n otherwise.
	Visible []int `json:"visible,omitempty"`
	// EmptyRows lists the rows with no weight at all (output 0).
	EmptyRows []int `json:"empty_rows"`

	// Thresholded softmax only: τ_i and the certified ‖o_i − ô_i‖_∞ bound.
	Threshold     []float64 `json:"threshold,omitempty"`
	ErrorBound    []float64 `json:"error_bound,omitempty"`
	MaxErrorBound *float64  `json:"max_error_bound,omitempty"`

	// With -dense: max_t |o_it − ô_it| per row between the dense reference
	// and the HSR output.
	MeasuredError    []float64 `json:"measured_error,omitempty"`
	MaxMeasuredError *float64  `json:"max_measured_error,omitempty"`
	// Softmax with -dense: measured_error ≤ error_bound + roundingSlack·‖V‖_∞
	// on every row. The bound is exact arithmetic's; the slack admits the
	// float64 rounding of two different summations (a row that keeps every
	// key has bound 0 and a measured error of a few ulps).
	BoundHoldsEveryRow *bool `json:"bound_holds_every_row,omitempty"`
	// ReLU^α with -dense: the dense path's key counts, and how many rows'
	// key sets differ from HSR's (only keys whose score is within rounding of
	// b can differ, with a weight of order 1e-16; see package attention).
	DenseReported         []int `json:"dense_reported,omitempty"`
	RowsWithDifferentKeys *int  `json:"rows_with_different_keys,omitempty"`

	// VInf is ‖V‖_∞, the max |v_jt|, which scales the softmax bound.
	VInf    float64            `json:"v_inf"`
	Work    map[string]int     `json:"work"`
	Timings map[string]float64 `json:"timings_ms"`
	// Memory: the run's estimate (from the headers, checked against the
	// memory available before any data was read) and the measured peak
	// resident size of the process (VmHWM; Linux only), in bytes.
	MemoryEstimate int64 `json:"memory_estimate_bytes,omitempty"`
	MemoryPeak     int64 `json:"memory_peak_bytes,omitempty"`

	visible []int
}

type inputJSON struct {
	Path         string `json:"path"`
	Shape        []int  `json:"shape"`
	Descr        string `json:"descr"`
	Version      string `json:"version"`
	FortranOrder bool   `json:"fortran_order"`
}

type paramsJSON struct {
	Kind  string   `json:"kind"`
	Alpha int      `json:"alpha,omitempty"`
	B     *float64 `json:"b,omitempty"`
	Norm  string   `json:"norm,omitempty"`
	Tau   *float64 `json:"tau,omitempty"`
	// Threshold says why there is none: softmax without -tau, -topr or
	// -gamma is the dense softmax.
	Threshold string   `json:"threshold,omitempty"`
	TopR      *int     `json:"topr,omitempty"`
	Gamma     *float64 `json:"gamma,omitempty"`
	Scale     bool     `json:"scale"`
	Causal    bool     `json:"causal"`
	Dense     bool     `json:"dense"`
}

type indexJSON struct {
	Requested string `json:"requested"`
	Used      string `json:"used"`
}

// newStats gathers the statistics of res; eng is nil for the dense softmax
// (no threshold), which builds no index.
func newStats(cfg *config, p attention.Params, ins []*input, res *attention.Result, eng *attention.Engine, vInf float64) *stats {
	m, d := ins[0].m.Dims()
	n, _ := ins[1].m.Dims()
	_, dv := ins[2].m.Dims()
	st := &stats{
		Tool:   "hsrattn",
		Inputs: map[string]inputJSON{},
		N:      n, M: m, D: d, DV: dv,
		Index: indexJSON{Requested: p.Index.String(), Used: "none (dense softmax)"},
	}
	if eng != nil {
		st.Index.Used = indexName(eng)
	}
	for _, in := range ins {
		st.Inputs[in.flag] = inputJSON{
			Path: in.path, Shape: in.h.Shape, Descr: in.h.Descr,
			Version: fmt.Sprintf("%d.%d", in.h.Major, in.h.Minor), FortranOrder: in.h.Fortran,
		}
	}
	pj := paramsJSON{Kind: p.Kind.String(), Scale: !p.Unscaled, Causal: p.Causal, Dense: cfg.dense}
	if p.Kind == attention.ReLU {
		b := p.B
		pj.Alpha, pj.B, pj.Norm = p.Alpha, &b, p.Norm.String()
	} else {
		switch {
		case cfg.denseSoftmax:
			pj.Threshold = "none (dense softmax over every key)"
		case cfg.gamma > 0:
			g, r := cfg.gamma, p.TopR
			pj.Gamma, pj.TopR = &g, &r
		case p.TopR > 0:
			r := p.TopR
			pj.TopR = &r
		default:
			t := p.Tau
			pj.Tau = &t
		}
	}
	st.Params = pj
	st.VInf = vInf

	st.Reported = make([]int, m)
	st.EmptyRows = []int{}
	st.visible = make([]int, m)
	st.ReportedMin = math.MaxInt
	for i, r := range res.Rows {
		st.Reported[i] = r.Count
		st.visible[i] = r.Visible
		st.ReportedTotal += r.Count
		st.ReportedMin = min(st.ReportedMin, r.Count)
		st.ReportedMax = max(st.ReportedMax, r.Count)
		if r.Empty {
			st.EmptyRows = append(st.EmptyRows, i)
		}
	}
	st.ReportedMean = float64(st.ReportedTotal) / float64(m)
	if p.Causal {
		st.Visible = st.visible
	}
	if p.Kind == attention.Softmax {
		st.Threshold = make([]float64, m)
		st.ErrorBound = make([]float64, m)
		worst := 0.0
		for i, r := range res.Rows {
			st.Threshold[i] = r.Threshold
			st.ErrorBound[i] = r.ErrorBound
			worst = max(worst, r.ErrorBound)
		}
		st.MaxErrorBound = &worst
		if cfg.denseSoftmax {
			st.Threshold = nil // −Inf: nothing is dropped (JSON has no −Inf)
		}
	}
	w := res.Stats
	st.Work = map[string]int{
		"nodes_visited": w.NodesVisited, "pruned": w.Pruned, "reported_whole": w.ReportedWhole,
		"opened": w.Opened, "leaves_scanned": w.LeavesScanned, "dot_products": w.DotProducts,
		"reported": w.Reported,
	}
	return st
}

// addDense records the comparison of the HSR result with the dense
// reference output ref; for ReLU^α also the dense key counts and how many
// rows' key sets differ (compared row by row, see compareReLURows).
func (st *stats) addDense(p attention.Params, res *attention.Result, ref *mat.Dense, denseCounts []int, differ int) {
	st.MeasuredError = attention.RowError(ref, res.Out)
	worst := 0.0
	for _, e := range st.MeasuredError {
		worst = max(worst, e)
	}
	st.MaxMeasuredError = &worst
	if p.Kind == attention.Softmax {
		holds := true
		for i, e := range st.MeasuredError {
			holds = holds && e <= st.ErrorBound[i]+roundingSlack*st.VInf
		}
		st.BoundHoldsEveryRow = &holds
		return
	}
	st.DenseReported = denseCounts
	st.RowsWithDifferentKeys = &differ
}

// indexName is the index the engine built ("scan", "tree"), which for
// -index auto is the one chosen.
func indexName(e *attention.Engine) string {
	name := fmt.Sprintf("%T", e.Index())
	name = name[strings.LastIndex(name, ".")+1:]
	return strings.ToLower(name)
}

// marshal writes st as JSON with one top-level key per line, in the order of
// the struct, and each value compact: per-row arrays stay one line each, so a
// file for m = 10^4 rows is still readable with head or grep.
func (st *stats) marshal() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{")
	v := reflect.ValueOf(st).Elem()
	first := true
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		tag := f.Tag.Get("json")
		if tag == "" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		fv := v.Field(i)
		if opts == "omitempty" && fv.IsZero() {
			continue
		}
		val, err := marshalCompact(fv.Interface())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if !first {
			b.WriteString(",")
		}
		first = false
		fmt.Fprintf(&b, "\n  %q: %s", name, val)
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

func marshalCompact(x any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}
