package attention

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// denseKernel makes Dense score its tiles with the float64 AVX2/FMA kernel
// (ddot4x8) instead of gonum's Dgemm. Off by default: the baseline of issue
// 4 is the gonum path; the benchmarks switch it on to report the speed-up
// against a dense path with the same class of hand-written kernel.
var denseKernel = false

// Tile sizes of the dense path (and the columns of Prefill's filter): a
// 128×512 float64 score tile is 512 KiB, half the L2 of this class of
// machine, and gives Dgemm 16 64×64 blocks to spread over the cores.
const (
	tileRows = 128
	tileCols = 512
)

// Dense is the reference: every score s_ij of every visible key, through
// gonum's Dgemm in 128×512 tiles (tiles wholly above the causal diagonal
// are skipped, and the masked corner of a diagonal tile is zeroed), then
// the full weight matrix times V through Dgemm. Cost O(m·n·(d+dv)).
//
// For ReLU^α, Rows[i].Keys are the keys with a non-zero weight (the set
// HSR must report). For softmax nothing is dropped: Keys is nil, Count is
// the number of visible keys, Threshold −Inf and ErrorBound 0. p.Tau and
// p.TopR are ignored (they define the approximation, not the reference).
func Dense(Q, K, V *mat.Dense, p Params) (*Result, error) {
	if err := checkShapes(Q, K, V, p); err != nil {
		return nil, err
	}
	m, d := Q.Dims()
	n, _ := K.Dims()
	_, dv := V.Dims()
	qs, ks, vs := contiguous(Q), contiguous(K), contiguous(V)
	for _, x := range []struct {
		name string
		data []float64
		cols int
	}{{"Q", qs, d}, {"K", ks, d}, {"V", vs, dv}} {
		if err := checkFinite(x.name, x.data, x.cols); err != nil {
			return nil, err
		}
	}
	visible := visibleFunc(n, p.Causal)
	if err := checkScores(qs, d, ks, colAbsMax(ks, d), visible); err != nil {
		return nil, err
	}
	res := &Result{Out: mat.NewDense(m, dv, nil), Rows: make([]Row, m)}
	out := res.Out.RawMatrix().Data
	inv := 1 / p.scale(d)
	keep := !p.CountsOnly && p.Kind == ReLU
	impl := blas64Impl()
	var qk, kk []float64 // packed panels when the optional kernel scores the tiles
	if denseKernel && hasKernel {
		qk, kk = packRows64(qs, m, d, 4, inv), packRows64(ks, n, d, 8, 1)
	}
	ld, br := tileDims(m, n)
	err := parallelChunks(m, tileRows, maxWorkers(), func(lo, hi int, w *work) error {
		rows := hi - lo
		if cap(w.sel) < br*ld+2*br {
			w.sel = make([]float64, br*ld+2*br)
		}
		S := w.sel[:br*ld]
		sum := w.sel[br*ld : br*ld+br] // Σ a (ReLU) or Z (softmax)
		mx := w.sel[br*ld+br : br*ld+2*br]
		for r := 0; r < rows; r++ {
			sum[r] = 0
			mx[r] = math.Inf(-1)
		}
		lastCol := visible(hi - 1) // the widest row of the block
		for c0 := 0; c0 < lastCol; c0 += tileCols {
			c1 := min(c0+tileCols, lastCol)
			cols := c1 - c0
			// Scores come out scaled (alpha = 1/scale): one multiply less per
			// entry than dividing afterwards; within the 1e-12 tolerance.
			if qk != nil {
				kernelTile64(qk, kk, d, lo, hi, c0, c1, S, ld)
			} else {
				impl.Dgemm(blas.NoTrans, blas.Trans, rows, cols, d, inv, qs[lo*d:], d, ks[c0*d:], d, 0, S, ld)
			}
			for r := 0; r < rows; r++ {
				i := lo + r
				lim := visible(i)
				st := &res.Rows[i].Stats
				st.NodesVisited++
				st.LeavesScanned++
				st.DotProducts += cols
				srow := S[r*ld : r*ld+cols]
				jmax := min(c1, lim) - c0 // entries at or past jmax are masked
				if p.Kind == ReLU {
					for x := range srow {
						a := 0.0
						if x < jmax {
							if y := srow[x] - p.B; y > 0 {
								a = powi(y, p.Alpha)
							}
						}
						srow[x] = a
						if a != 0 {
							sum[r] += a
							if keep {
								res.Rows[i].Keys = append(res.Rows[i].Keys, c0+x)
								res.Rows[i].Weights = append(res.Rows[i].Weights, a)
							}
							res.Rows[i].Count++
						}
					}
					continue
				}
				// Softmax, online: rescale what is accumulated when the row
				// max grows, so every exponent is ≤ 0.
				tm := math.Inf(-1)
				for x := 0; x < jmax; x++ {
					tm = math.Max(tm, srow[x])
				}
				if tm > mx[r] {
					if sum[r] != 0 {
						f := math.Exp(mx[r] - tm)
						sum[r] *= f
						orow := out[i*dv : (i+1)*dv]
						for t := range orow {
							orow[t] *= f
						}
					}
					mx[r] = tm
				}
				for x := range srow {
					e := 0.0
					if x < jmax {
						e = math.Exp(srow[x] - mx[r])
					}
					srow[x] = e
					sum[r] += e
				}
			}
			impl.Dgemm(blas.NoTrans, blas.NoTrans, rows, dv, cols, 1, S, ld, vs[c0*dv:], dv, 1, out[lo*dv:], dv)
		}
		for r := 0; r < rows; r++ {
			i := lo + r
			lim := visible(i)
			row := &res.Rows[i]
			row.Visible = lim
			orow := out[i*dv : (i+1)*dv]
			if math.IsInf(sum[r], 0) {
				return errOverflow
			}
			if p.Kind == Softmax {
				row.Count = lim
				row.Threshold = math.Inf(-1)
				for t := range orow {
					orow[t] /= sum[r]
				}
				row.Stats.Reported = lim
				continue
			}
			row.Threshold = p.B
			row.ErrorBound = math.NaN()
			row.Empty = row.Count == 0
			row.Stats.Reported = row.Count
			switch {
			case row.Count == 0:
				clear(orow) // an all-zero row is 0 whatever the norm
			case p.Norm == NormRow:
				for t := range orow {
					orow[t] /= sum[r]
				}
			case p.Norm == NormLength:
				for t := range orow {
					orow[t] /= float64(lim)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !finite(out) {
		return nil, errOverflow
	}
	for i := range res.Rows {
		res.Stats.Add(res.Rows[i].Stats)
	}
	return res, nil
}

// Weights returns the m×n matrix of unnormalised weights of the dense
// reference (for heatmaps): a_ij for ReLU^α, exp(s_ij − max_j s_ij) for
// softmax, 0 for keys hidden by the causal mask. Cost O(m·n·d) and m·n
// float64 of memory: meant for the sizes a screen shows.
func Weights(Q, K *mat.Dense, p Params) (*mat.Dense, error) {
	if Q == nil || K == nil {
		return nil, fmt.Errorf("attention: Q and K must not be nil")
	}
	m, d := Q.Dims()
	n, dk := K.Dims()
	if d != dk {
		return nil, fmt.Errorf("attention: Q has %d columns, K has %d (d must match)", d, dk)
	}
	if err := p.Validate(d); err != nil {
		return nil, err
	}
	if err := checkFinite("Q", contiguous(Q), d); err != nil {
		return nil, err
	}
	ks := contiguous(K)
	if err := checkFinite("K", ks, d); err != nil {
		return nil, err
	}
	if err := checkScores(contiguous(Q), d, ks, colAbsMax(ks, d), func(i int) int {
		if p.Causal && i+1 < n {
			return i + 1
		}
		return n
	}); err != nil {
		return nil, err
	}
	W := mat.NewDense(m, n, nil)
	W.Mul(Q, K.T())
	scale := p.scale(d)
	for i := 0; i < m; i++ {
		row := W.RawRowView(i)
		lim := n
		if p.Causal && i+1 < n {
			lim = i + 1
		}
		if p.Kind == ReLU {
			for j := range row {
				a := 0.0
				if j < lim {
					a = reluWeight(row[j], scale, p.B, p.Alpha, !p.Unscaled)
				}
				row[j] = a
			}
			continue
		}
		mx := math.Inf(-1)
		for j := 0; j < lim; j++ {
			row[j] = score(row[j], scale, !p.Unscaled)
			mx = math.Max(mx, row[j])
		}
		for j := range row {
			e := 0.0
			if j < lim {
				e = math.Exp(row[j] - mx)
			}
			row[j] = e
		}
	}
	return W, nil
}

// RowError returns the max-abs difference of each row of a and b (same
// shape), e.g. ‖o_i − ô_i‖_∞ between Dense and HSR outputs. It panics if
// the shapes differ (programmer error).
func RowError(a, b *mat.Dense) []float64 {
	m, c := a.Dims()
	mb, cb := b.Dims()
	if m != mb || c != cb {
		panic(fmt.Sprintf("attention: RowError: shapes %d×%d and %d×%d differ", m, c, mb, cb))
	}
	e := make([]float64, m)
	for i := 0; i < m; i++ {
		ra, rb := a.RawRowView(i), b.RawRowView(i)
		for t := range ra {
			e[i] = math.Max(e[i], math.Abs(ra[t]-rb[t]))
		}
	}
	return e
}

// tileDims returns the score buffer's stride and rows for m queries and n
// keys: the full tile, or less for small problems (padded to the kernels'
// panels of 4 rows and 16 columns).
func tileDims(m, n int) (ld, rows int) {
	return min(tileCols, (n+15)/16*16), min(tileRows, (m+3)/4*4)
}

func blas64Impl() blas.Float64 { return blas64.Implementation() }
