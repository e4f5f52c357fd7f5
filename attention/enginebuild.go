package attention

import (
	"fmt"
	"math"
	"time"

	"github.com/hsrviz/hsrviz/hsr"
	"gonum.org/v1/gonum/mat"
)

// EngineBuilder builds what NewEngineWith(K, V, IndexScan, opt) builds, in
// steps that a caller with a frame to draw (the visualizer in a browser,
// one thread) spreads over ticks: the same passes as the one call — the
// finiteness checks of K and of V, the column maxima, norms and sketch
// codes of the keys, ‖V‖_∞, the scan's copy of the keys — each cut into
// slices of at most buildSlice entries (2^16, well under a millisecond
// natively). The engine is the same, field for field, as the one call's:
// the passes visit the entries in the same order (TestEngineBuilderSame).
// The other indexes derive from it (Engine.TreeBuilder, WithTree,
// WithIndex).
//
// K and V are read until the build is complete: they must not change
// meanwhile (the engine keeps a reference to them afterwards anyway).
type EngineBuilder struct {
	e     *Engine
	keys  []float64
	vals  []float64
	pts   []float64 // the scan's copy of the keys, filled a slice at a time
	phase int
	pos   int // next entry of the phase's array
	err   error
}

// Phases of an EngineBuilder, in the one call's order.
const (
	ebCheckK = iota // K finite
	ebCheckV        // V finite
	ebKeys          // column maxima, then norms and sketch codes
	ebNorms
	ebVInf // ‖V‖_∞
	ebCopy // the scan's copy of the keys
	ebDone
)

// buildSlice is the number of entries one slice of a pass visits.
const buildSlice = 1 << 16

// NewEngineBuilder starts building the scan engine over K and V with the
// given options; shapes are checked at once, the entries' finiteness in
// the steps (Step returns NewEngineWith's error).
func NewEngineBuilder(K, V *mat.Dense, opt EngineOptions) (*EngineBuilder, error) {
	n, d, dv, err := kvDims(K, V)
	if err != nil {
		return nil, err
	}
	e := &Engine{s: newStore(d, dv, IndexScan, nil), opt: opt}
	if opt.IndexOnly {
		e.s.sk, e.s.auto = nil, nil
	}
	b := &EngineBuilder{e: e, keys: contiguous(K), vals: contiguous(V)}
	e.s.n, e.s.keys, e.s.vals = n, b.keys, b.vals
	return b, nil
}

// Step builds for about budget, at least one slice, and reports whether
// the engine is complete (or the build failed: then err is the one call's
// error, and every later Step returns it).
func (b *EngineBuilder) Step(budget time.Duration) (bool, error) {
	start := time.Now()
	for b.err == nil && b.phase != ebDone {
		b.slice()
		if time.Since(start) >= budget {
			break
		}
	}
	return b.err != nil || b.phase == ebDone, b.err
}

// Engine returns the engine once Step has reported it complete without an
// error, else nil.
func (b *EngineBuilder) Engine() *Engine {
	if b.err != nil || b.phase != ebDone {
		return nil
	}
	return b.e
}

// slice does one slice of the current pass.
func (b *EngineBuilder) slice() {
	s := &b.e.s
	d, dv := s.d, s.dv
	// next is the end of the slice starting at b.pos in an array of length
	// size with rows of cols entries: whole rows, at least one.
	next := func(size, cols int) int {
		cols = max(1, cols)
		return min(size, b.pos+max(cols, buildSlice/cols*cols))
	}
	advance := func(to, size int) {
		b.pos = to
		if to >= size {
			b.phase, b.pos = b.phase+1, 0
		}
	}
	switch b.phase {
	case ebCheckK:
		to := next(len(b.keys), d)
		if err := checkFiniteFrom("K", b.keys, b.pos, to, d); err != nil {
			b.err = err
			return
		}
		advance(to, len(b.keys))
	case ebCheckV:
		to := next(len(b.vals), dv)
		if err := checkFiniteFrom("V", b.vals, b.pos, to, dv); err != nil {
			b.err = err
			return
		}
		advance(to, len(b.vals))
	case ebKeys:
		to := next(len(b.keys), d)
		growColAbsMax(s.kCol, b.keys[b.pos:to])
		advance(to, len(b.keys))
	case ebNorms:
		to := next(len(b.keys), d)
		for j := b.pos / d; j < to/d; j++ {
			k := s.key(j)
			s.kNorm = math.Max(s.kNorm, norm2(k))
			if s.sk != nil {
				s.sk.add(k)
			}
		}
		advance(to, len(b.keys))
	case ebVInf:
		to := next(len(b.vals), dv)
		for _, v := range b.vals[b.pos:to] {
			s.vInf = math.Max(s.vInf, math.Abs(v))
		}
		advance(to, len(b.vals))
	case ebCopy:
		if b.pts == nil {
			b.pts = make([]float64, len(b.keys))
		}
		to := next(len(b.keys), d)
		copy(b.pts[b.pos:to], b.keys[b.pos:to])
		advance(to, len(b.keys))
		if b.phase == ebDone {
			b.finish()
		}
	}
}

// finish makes the index from the copied keys.
func (b *EngineBuilder) finish() {
	e := b.e
	e.s.ix = hsr.ScanOf(e.s.d, b.pts)
	e.pool.New = func() any { return new(work) }
	b.phase, b.pts = ebDone, nil
}

// checkFiniteFrom is checkFinite over x[from:to], which starts a row: the
// same message for the same first non-finite entry.
func checkFiniteFrom(name string, x []float64, from, to, cols int) error {
	for i := from; i < to; i++ {
		if v := x[i]; math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("attention: %s has a non-finite value %v at row %d, column %d", name, v, i/cols, i%cols)
		}
	}
	return nil
}
