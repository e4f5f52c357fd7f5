package attention

import (
	"fmt"
	"math"
)

// safeDot bounds Σ_t |q_t|·max_j|k_jt| for a query whose scores every path
// may compute without a check: every partial sum of <q, k_j>, in any order
// and with any rounding (at most a factor 1 + d·2⁻⁵³), and every bound the
// tree derives from its boxes stay below it, far from float64's limit
// (about 2^1024). A query above it is checked key by key (checkScores).
const safeDot = 0x1p1020

// ScoreError is a query whose scores cannot be computed: <q_i, k_j>
// overflows float64 (not finite), or, when every score is finite,
// Σ_t |q_it·k_jt| comes within a factor 16 of overflow, where a summation in
// another order, or the tree's bounds, may overflow. Without this check an
// overflowing score is NaN, every comparison with it is false, and the row
// would silently come out empty (ReLU^α, a thresholded softmax) or keep
// nothing (top-r), with a "certified" bound. Every entry point checks
// before any work: Batch, HSR, Row, DenseRow, Cache.Attend, Dense, Prefill
// and Weights.
type ScoreError struct {
	Row int // the query's row (0-based); -1 for a single query (Cache.Attend)
	Key int // the key (0-based)
	// Dot is <q_i, k_j> as computed (±Inf or NaN), or Σ_t |q_it·k_jt| when
	// NearLimit.
	Dot       float64
	NearLimit bool
}

func (e *ScoreError) Error() string {
	who := fmt.Sprintf("query row %d and key %d (0-based)", e.Row, e.Key)
	if e.Row < 0 {
		who = fmt.Sprintf("the query and key %d (0-based)", e.Key)
	}
	if e.NearLimit {
		return fmt.Sprintf("attention: the score of %s cannot be computed reliably: Σ|q_t·k_t| = %.3g is within a factor 16 of float64's limit %.3g; rescale Q and K (divide both by a power of 2)",
			who, e.Dot, math.MaxFloat64)
	}
	return fmt.Sprintf("attention: the score of %s is not finite: <q, k> = %v overflows float64; rescale Q and K (divide both by a power of 2)", who, e.Dot)
}

// colAbsMax returns max_j |k_jt| for each column t of the n×d keys ks.
func colAbsMax(ks []float64, d int) []float64 {
	m := make([]float64, d)
	growColAbsMax(m, ks)
	return m
}

// growColAbsMax raises m to the column maxima of the rows in ks (stride
// len(m)).
func growColAbsMax(m, ks []float64) {
	d := len(m)
	for x, v := range ks {
		m[x%d] = math.Max(m[x%d], math.Abs(v))
	}
}

// checkScore checks the scores of query q against keys 0..lim−1 (row i of
// the batch, for the message): O(d) when Σ_t |q_t|·colMax_t ≤ safeDot,
// which holds unless the inputs are within a few hundred powers of ten of
// overflow; otherwise one dot product per key. Inputs are finite.
func checkScore(q []float64, i int, keys []float64, colMax []float64, lim int) error {
	d := len(q)
	b := 0.0
	for t, v := range q {
		b += math.Abs(v) * colMax[t]
	}
	if b <= safeDot {
		return nil
	}
	worst, wj := -1.0, 0
	for j := 0; j < lim; j++ {
		k := keys[j*d : (j+1)*d]
		if x := dot(q, k); math.IsNaN(x) || math.IsInf(x, 0) {
			return &ScoreError{Row: i, Key: j, Dot: x}
		}
		s := 0.0
		for t, v := range q {
			s += math.Abs(v * k[t])
		}
		if s > worst {
			worst, wj = s, j
		}
	}
	if worst > safeDot {
		return &ScoreError{Row: i, Key: wj, Dot: worst, NearLimit: true}
	}
	return nil
}

// checkScores checks every row of qs (m×d) against the keys it sees
// (vis(i) of them), before any work, so that a refused batch costs no
// more than the check.
func checkScores(qs []float64, d int, keys, colMax []float64, vis func(int) int) error {
	for i := 0; i*d < len(qs); i++ {
		if err := checkScore(qs[i*d:(i+1)*d], i, keys, colMax, vis(i)); err != nil {
			return err
		}
	}
	return nil
}

// visibleFunc is the number of keys row i sees among n: all, or i+1 under
// the causal mask.
func visibleFunc(n int, causal bool) func(i int) int {
	return func(i int) int {
		if causal && i+1 < n {
			return i + 1
		}
		return n
	}
}
