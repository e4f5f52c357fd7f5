package attention

import (
	"slices"
	"time"

	"github.com/hsrviz/hsrviz/hsr"
)

// RowStepper computes what Row computes, in steps that a caller with a
// frame to draw (the visualizer in a browser, one thread) spreads over
// ticks. A ReLU^α or τ-softmax row answered by the index (an engine with
// EngineOptions.IndexOnly, or one without a sketch) runs as: the
// half-space query and the sort of its ids (one step: the index's
// traversal, a call per reported id), then the exact dots and the ReLU^α
// sums rowSlice candidates per step, then the normalisation; a softmax
// row's weights in one step (O(|S|·dv)). Any other row (the sketch's
// filter, top-r) is one step, Row itself. The row is Row's bit for bit:
// the same operations in the same order (TestRowStepperSame).
type RowStepper struct {
	e     *Engine
	q     []float64
	p     Params
	out   []float64
	i     int
	lim   int
	w     *work
	phase int
	pos   int
	st    hsr.Stats
	rs    reluSums
	r     Row
	err   error
}

// rowSlice is the number of candidates a step re-scores (and sums).
const rowSlice = 1 << 14

// RowStepper phases.
const (
	rsQuery = iota
	rsDots
	rsSums
	rsDone
)

// RowStepper starts the row of query q at position i into out (len dv),
// as Row(q, i, p, out); q and out must not change until it is complete.
// An invalid row fails at once with Row's error.
func (e *Engine) RowStepper(q []float64, i int, p Params, out []float64) (*RowStepper, error) {
	if err := e.checkRow(q, i, p, out); err != nil {
		return nil, err
	}
	return &RowStepper{e: e, q: q, p: p, out: out, i: i, lim: e.visible(i, p)}, nil
}

// Step computes for about budget, at least one step, and reports whether
// the row is complete (then Row returns it).
func (rs *RowStepper) Step(budget time.Duration) bool {
	start := time.Now()
	for rs.phase != rsDone {
		rs.step()
		if time.Since(start) >= budget {
			break
		}
	}
	return rs.phase == rsDone
}

// Row returns the row and its error once Step has reported it complete.
func (rs *RowStepper) Row() (Row, error) { return rs.r, rs.err }

func (rs *RowStepper) step() {
	s := &rs.e.s
	switch rs.phase {
	case rsQuery:
		p := rs.p
		if s.sk != nil || (p.Kind == Softmax && p.TopR != 0) {
			// the sketch's filter (or its chooser), or top-r: Row in one step
			rs.r, rs.err = rs.e.Row(rs.q, rs.i, p, rs.out)
			rs.phase = rsDone
			return
		}
		rs.w = rs.e.pool.Get().(*work)
		c := p.scale(s.d) * p.B
		if p.Kind == Softmax {
			c = p.scale(s.d) * p.Tau
		}
		c -= margin(c, norm2(rs.q), s.kNorm)
		rs.st = s.queryIDs(rs.q, c, rs.lim, rs.w)
		rs.w.dots = rs.w.dots[:0]
		rs.phase = rsDots
	case rsDots:
		w := rs.w
		to := min(len(w.ids), len(w.dots)+rowSlice)
		s.appendDots(rs.q, w, to)
		if to < len(w.ids) {
			return
		}
		rs.st.DotProducts += len(w.ids)
		if rs.p.Kind != ReLU {
			r, err := s.finish(w.ids, w.dots, rs.lim, rs.p, rs.out, true, w)
			rs.done(r, err)
			return
		}
		clear(rs.out[:s.dv])
		rs.rs.start(s.dv, w)
		rs.phase, rs.pos = rsSums, 0
	case rsSums:
		w := rs.w
		to := min(len(w.ids), rs.pos+rowSlice)
		rs.rs.add(s, w.ids, w.dots, rs.pos, to, rs.p, rs.out[:s.dv])
		if rs.pos = to; to < len(w.ids) {
			return
		}
		out := rs.out[:s.dv]
		r := Row{Visible: rs.lim}
		err := rs.rs.complete(&r, out, rs.lim, rs.p)
		if err == nil && !finite(out) {
			err = errOverflow
		}
		if err == nil {
			k := rs.rs.k
			r.Keys = slices.Clone(w.ids[:k])
			r.Weights = slices.Clone(w.dots[:k])
		}
		rs.done(r, err)
	}
}

// done records the row with the query's work and returns the scratch.
func (rs *RowStepper) done(r Row, err error) {
	r.Stats = rs.st
	rs.r, rs.err = r, err
	rs.e.pool.Put(rs.w)
	rs.w, rs.phase = nil, rsDone
}
