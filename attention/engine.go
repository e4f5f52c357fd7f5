package attention

import (
	"fmt"
	"math"
	"sync"

	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/internal/hugepage"
	"gonum.org/v1/gonum/mat"
)

// Engine is the HSR attention over fixed keys K and values V: the index is
// built once, and each Row is one half-space query plus O(|S|·(d+dv))
// work, so a caller can compute a few rows at a time (the visualizer
// spreads big work over frames) and change b, τ, α or the norm without
// rebuilding anything.
//
// An Engine is safe for concurrent Row calls when its index is (the scan
// is). It keeps a reference to K's and V's storage when they are
// contiguous; do not modify them while the Engine is in use.
type Engine struct {
	s    store
	opt  EngineOptions
	pool sync.Pool

	once   sync.Once // builds kT, vT for DenseRow
	kT, vT []float64 // Kᵀ (d×n), Vᵀ (dv×n)
}

// EngineOptions are the choices of NewEngineWith.
type EngineOptions struct {
	// IndexOnly answers every half-space query with the index itself, never
	// with the int8 sketch (doc.go: "Decoding: the sketch"). Results are the
	// same either way (both paths are exact); the work counted in Row.Stats
	// is then the index's own, node for node what its Trace shows, and the
	// same on every platform (the sketch exists only where its AVX2 kernel
	// runs). The visualizer uses it: what it counts is what it animates.
	IndexOnly bool
}

// kvDims checks that K and V are given and hold one value row per key,
// and returns n, d and dv.
func kvDims(K, V *mat.Dense) (n, d, dv int, err error) {
	if K == nil || V == nil {
		return 0, 0, 0, fmt.Errorf("attention: K and V must not be nil")
	}
	n, d = K.Dims()
	nv, dv := V.Dims()
	if nv != n {
		return 0, 0, 0, fmt.Errorf("attention: K has %d rows but V has %d (one value per key)", n, nv)
	}
	return n, d, dv, nil
}

// NewEngine builds the index of the given kind over the rows of K; V holds
// the values (same number of rows). Non-finite entries are refused.
func NewEngine(K, V *mat.Dense, kind IndexKind) (*Engine, error) {
	return NewEngineWith(K, V, kind, EngineOptions{})
}

// NewEngineWith is NewEngine with options.
func NewEngineWith(K, V *mat.Dense, kind IndexKind, opt EngineOptions) (*Engine, error) {
	n, d, dv, err := kvDims(K, V)
	if err != nil {
		return nil, err
	}
	if !kind.Valid() {
		return nil, fmt.Errorf("attention: unknown index %d", uint8(kind))
	}
	keys, vals := contiguous(K), contiguous(V)
	if err := checkFinite("K", keys, d); err != nil {
		return nil, err
	}
	if err := checkFinite("V", vals, dv); err != nil {
		return nil, err
	}
	e := &Engine{s: newStore(d, dv, kind, nil), opt: opt}
	if opt.IndexOnly {
		e.s.sk, e.s.auto = nil, nil
	}
	e.s.n, e.s.keys, e.s.vals = n, keys, vals
	if e.s.sk != nil {
		// The sketch's survivors are re-checked by reading scattered
		// rows of K and V: huge pages spare those reads a TLB miss each.
		hugepage.Advise(keys)
		hugepage.Advise(vals)
	}
	growColAbsMax(e.s.kCol, keys)
	for j := 0; j < n; j++ {
		k := e.s.key(j)
		e.s.kNorm = math.Max(e.s.kNorm, norm2(k))
		if e.s.sk != nil {
			e.s.sk.add(k)
		}
	}
	for _, v := range vals {
		e.s.vInf = math.Max(e.s.vInf, math.Abs(v))
	}
	e.s.ix = newIndex(kind, d, keys)
	e.pool.New = func() any { return new(work) }
	return e, nil
}

// contiguous returns m's data row-major with stride = columns, without a
// copy when it already is.
func contiguous(m *mat.Dense) []float64 {
	raw := m.RawMatrix()
	if raw.Stride == raw.Cols || raw.Rows <= 1 {
		return raw.Data[:raw.Rows*raw.Cols]
	}
	out := make([]float64, 0, raw.Rows*raw.Cols)
	for i := 0; i < raw.Rows; i++ {
		out = append(out, raw.Data[i*raw.Stride:i*raw.Stride+raw.Cols]...)
	}
	return out
}

// Dims returns n (keys), d (key dimension) and dv (value dimension).
func (e *Engine) Dims() (n, d, dv int) { return e.s.n, e.s.d, e.s.dv }

// Index returns the index over the keys (for tracing by the visualizer).
// Query it with c = sqrt(d)·b (or b unscaled) to see a ReLU^α row's keys.
func (e *Engine) Index() hsr.Index { return e.s.ix }

// VInf returns ‖V‖_∞, the max |v_jt| used by the certified softmax bound.
func (e *Engine) VInf() float64 { return e.s.vInf }

// Row computes the attention row of query q into out (len dv) and returns
// its keys, weights, threshold, bound and work. i is the query's position,
// used only when p.Causal (it then sees keys 0..i). p.Index is ignored: the
// index was chosen by NewEngine.
func (e *Engine) Row(q []float64, i int, p Params, out []float64) (Row, error) {
	if err := e.checkRow(q, i, p, out); err != nil {
		return Row{}, err
	}
	w := e.pool.Get().(*work)
	defer e.pool.Put(w)
	return e.s.row(q, e.visible(i, p), p, out, w, true, maxWorkers())
}

func (e *Engine) visible(i int, p Params) int {
	if p.Causal && i+1 < e.s.n {
		return i + 1
	}
	return e.s.n
}

func (e *Engine) checkRow(q []float64, i int, p Params, out []float64) error {
	if err := p.Validate(e.s.d); err != nil {
		return err
	}
	if len(q) != e.s.d {
		return fmt.Errorf("attention: query has length %d, keys have d = %d", len(q), e.s.d)
	}
	if len(out) < e.s.dv {
		return fmt.Errorf("attention: output has length %d, values have dv = %d", len(out), e.s.dv)
	}
	if p.Causal && i < 0 {
		return fmt.Errorf("attention: causal row position must be ≥ 0 (got %d)", i)
	}
	if err := checkFinite("query", q, len(q)); err != nil {
		return err
	}
	return checkScore(q, i, e.s.keys, e.s.kCol, e.visible(i, p))
}

// Result is a batch of attention rows.
type Result struct {
	Out   *mat.Dense // m×dv
	Rows  []Row
	Stats hsr.Stats // summed over the rows
}

// HSR computes the attention of every row of Q by one half-space query per
// row against an index built over K (p.Index). With p.Causal, row i uses
// keys 0..i (the index holds all keys; a scan stops at the first id past
// i, another index filters). Cost: the build, then per row one query plus
// O(|S_i|·(d+dv)).
func HSR(Q, K, V *mat.Dense, p Params) (*Result, error) {
	if err := checkShapes(Q, K, V, p); err != nil {
		return nil, err
	}
	e, err := NewEngine(K, V, p.Index)
	if err != nil {
		return nil, err
	}
	return e.Batch(Q, p)
}

// Batch computes every row of Q (row i at position i) with the engine.
func (e *Engine) Batch(Q *mat.Dense, p Params) (*Result, error) {
	m, d := Q.Dims()
	if err := p.Validate(e.s.d); err != nil {
		return nil, err
	}
	if d != e.s.d {
		return nil, fmt.Errorf("attention: Q has %d columns, K has %d (d must match)", d, e.s.d)
	}
	qs := contiguous(Q)
	if err := checkFinite("Q", qs, d); err != nil {
		return nil, err
	}
	if err := checkScores(qs, d, e.s.keys, e.s.kCol, func(i int) int { return e.visible(i, p) }); err != nil {
		return nil, err
	}
	res := &Result{Out: mat.NewDense(max(m, 1), e.s.dv, nil), Rows: make([]Row, m)}
	if m == 0 {
		res.Out = &mat.Dense{}
	}
	out := res.Out.RawMatrix().Data
	workers := 1
	if concurrentSafe(e.s.ix) {
		workers = maxWorkers()
	}
	errs := parallelRows(m, workers, func(i int, w *work) error {
		// Rows run in parallel: each row's query stays on one goroutine.
		r, err := e.s.row(qs[i*d:(i+1)*d], e.visible(i, p), p, out[i*e.s.dv:(i+1)*e.s.dv], w, !p.CountsOnly, 1)
		res.Rows[i] = r
		return err
	})
	if errs != nil {
		return nil, errs
	}
	for i := range res.Rows {
		res.Stats.Add(res.Rows[i].Stats)
	}
	return res, nil
}

// checkShapes checks Q (m×d), K (n×d), V (n×dv) and p.
func checkShapes(Q, K, V *mat.Dense, p Params) error {
	if Q == nil || K == nil || V == nil {
		return fmt.Errorf("attention: Q, K and V must not be nil")
	}
	_, d := Q.Dims()
	n, dk := K.Dims()
	nv, _ := V.Dims()
	if d != dk {
		return fmt.Errorf("attention: Q has %d columns, K has %d (d must match)", d, dk)
	}
	if n != nv {
		return fmt.Errorf("attention: K has %d rows but V has %d (one value per key)", n, nv)
	}
	if n == 0 {
		return fmt.Errorf("attention: K has no rows (attention needs at least one key)")
	}
	return p.Validate(d)
}
