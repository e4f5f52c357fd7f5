package attention

import (
	"fmt"
	"math"

	"github.com/hsrviz/hsrviz/hsr"
)

// The pieces of a row, for a caller that schedules the work itself: the
// visualizer computes a few rows per frame with Engine.Row, and slices the
// dense baseline of each row into blocks of keys with Dots, Params.Score
// and Params.Weight, the very operations DenseRow and Row use, so that its
// dense weights are bit for bit the engine's.

// Dots writes <q, k_j> for the keys j = lo … hi−1 into dst[0 : hi−lo],
// with the dot product every row of the engine re-scores with. Cost
// O((hi−lo)·d).
func (e *Engine) Dots(q []float64, lo, hi int, dst []float64) error {
	if len(q) != e.s.d {
		return fmt.Errorf("attention: query has length %d, keys have d = %d", len(q), e.s.d)
	}
	if lo < 0 || hi > e.s.n || lo > hi {
		return fmt.Errorf("attention: key range [%d, %d) outside [0, %d)", lo, hi, e.s.n)
	}
	if len(dst) < hi-lo {
		return fmt.Errorf("attention: dst has length %d, want %d", len(dst), hi-lo)
	}
	for j := lo; j < hi; j++ {
		dst[j-lo] = dot(q, e.s.key(j))
	}
	return nil
}

// Key returns key j (read-only; it aliases the engine's storage).
func (e *Engine) Key(j int) []float64 { return e.s.key(j) }

// Value returns value j (read-only; it aliases the engine's storage).
func (e *Engine) Value(j int) []float64 { return e.s.val(j) }

// Score is s = dot/sqrt(d), or dot when p.Unscaled: a key's score from its
// dot product, rounded as every path of the engine rounds it.
func (p Params) Score(dot float64, d int) float64 {
	return score(dot, p.scale(d), !p.Unscaled)
}

// Weight is the unnormalised dense weight of a score s: max(s − b, 0)^α
// for ReLU^α (bit-equal to Row.Weights for the same score), exp(s − smax)
// for softmax, smax being the row's largest score (so that no weight
// overflows). Normalising is the caller's: divide by the sum of the
// weights of the row (softmax always; ReLU^α with NormRow).
func (p Params) Weight(s, smax float64) float64 {
	if p.Kind == Softmax {
		return math.Exp(s - smax)
	}
	x := s - p.B
	if x > 0 {
		return powi(x, p.Alpha)
	}
	return 0
}

// Offset is the offset c of the half-space query <q, k> > c that Row sends
// to the index for a row whose threshold (Row.Threshold, score units) is
// t: scale·t lowered by the engine's safety margin (doc.go: "Exactness of
// the ReLU^α path"), so that a key scoring exactly t, or rounding onto it,
// is reported. Tracing Index() at this offset replays the row's query.
func (e *Engine) Offset(q []float64, t float64, p Params) float64 {
	c := p.scale(e.s.d) * t
	return c - margin(c, norm2(q), e.s.kNorm)
}

// WithIndex returns an engine over the same keys and values with an index
// of another kind, sharing the storage and what is already built: the
// tree of an IndexAuto engine serves as the IndexTree engine's index (hsr.Auto
// embeds its Tree), so one O(n log n) build serves both. Other kinds build
// their index (O(n·d) for the scan, O(n log n) for a tree). The options
// are e's.
func (e *Engine) WithIndex(kind IndexKind) (*Engine, error) {
	if !kind.Valid() {
		return nil, fmt.Errorf("attention: unknown index %d", uint8(kind))
	}
	return e.withIndex(kind, nil)
}

// withIndex is WithIndex with the index ix if not nil (built already over
// the keys, of kind kind).
func (e *Engine) withIndex(kind IndexKind, ix hsr.Index) (*Engine, error) {
	s := &e.s
	f := &Engine{s: newStore(s.d, s.dv, kind, nil), opt: e.opt}
	if e.opt.IndexOnly {
		f.s.sk, f.s.auto = nil, nil
	}
	f.s.n, f.s.keys, f.s.vals, f.s.kNorm, f.s.vInf = s.n, s.keys, s.vals, s.kNorm, s.vInf
	if f.s.sk != nil {
		for j := 0; j < s.n; j++ {
			f.s.sk.add(s.key(j))
		}
	}
	switch au, isAuto := s.ix.(*hsr.Auto); {
	case ix != nil:
		f.s.ix = ix
	case kind == IndexTree && isAuto:
		f.s.ix = au.Tree
	default:
		f.s.ix = newIndex(kind, s.d, s.keys[:s.n*s.d])
	}
	f.pool.New = func() any { return new(work) }
	return f, nil
}
