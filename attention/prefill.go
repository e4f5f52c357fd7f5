package attention

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/mat"
)

// Prefill is prompt prefilling: the m = n queries are the prompt's own
// positions (row i is position i; causal when p.Causal, the usual setting).
//
// With p.Index = IndexScan or IndexAuto, the half-space queries of a block
// of 256 rows are answered together by a batched filter: float32 scores of
// 256×512 tiles (tiles above the causal diagonal skipped); every score
// above c minus a certified float32 error margin is re-scored exactly in
// float64, and only the keys with a non-zero weight reach the value sum
// (ReLU^α: weighed and summed inside the tile, while its values are in
// cache). The margin is 2(d+2)·2⁻²⁴·‖q_i‖·max_tile‖k_j‖ plus an underflow
// term: the float32 rounding of the inputs and of any-order summation of d
// products, so no key is missed; at the paper's threshold a few percent of
// the scores are re-scored. The rows equal the per-row HSR rows bit for bit
// (same operations in the same order). The float32 scores come from a small
// AVX2/FMA kernel (4 queries × 16 keys per call, packed panels; ~33 GFLOP/s
// on one core here against 4–14 for gonum's Sgemm) where the CPU has it,
// else from gonum's Sgemm. Cost: ~n²·d/2 float32 multiply-adds plus
// O(Σ|S_i|·(d+dv)), against the dense path's n²·(d+dv)/2 in float64.
//
// With IndexTree, or for softmax top-r, each row is one query on the index
// over all keys (keys past i filtered), as HSR does. Auto does not pick the
// per-row tree even at d = 2: at the paper's threshold each row reports
// ~2.4% of the keys (n = 2^14), the reporting dominates, and measured at
// n = 2^14, d = 2..8 the per-row hsr.Auto queries were no faster than the
// batched filter (d = 2: 0.67–1.19 s vs 0.55–0.69 s, causal). Inputs too
// large for float32 (max|q|·max|k|·d > 1e30) use the same filter with
// Dgemm scores.
func Prefill(Q, K, V *mat.Dense, p Params) (*Result, error) {
	if err := checkShapes(Q, K, V, p); err != nil {
		return nil, err
	}
	m, _ := Q.Dims()
	n, _ := K.Dims()
	if m != n {
		return nil, fmt.Errorf("attention: prefill needs one query per key: Q has %d rows, K has %d", m, n)
	}
	perRow := p.Index == IndexTree || (p.Kind == Softmax && p.TopR > 0)
	if perRow {
		return HSR(Q, K, V, p)
	}
	return batched(Q, K, V, p)
}

const u32 = 0x1p-24

// filterRows is the row block of Prefill's filter: 256 rows × 512 keys of
// float32 scores is 512 KiB (half the L2), and each key's float64 row and
// value, fetched for the few rows that keep it, is reused by ~6 rows of the
// block at the paper's threshold instead of ~3 with 128.
const filterRows = 256

// useKernel selects the AVX2/FMA score kernel where the CPU has it (else
// gonum's Sgemm); the benchmarks switch it off to separate the kernel's
// share of the speed-up from the algorithm's.
var useKernel = hasKernel

// batched answers the half-space queries of all rows of Q by tiles of
// scores, see Prefill. Q may have any number of rows (row i at position i).
func batched(Q, K, V *mat.Dense, p Params) (*Result, error) {
	m, d := Q.Dims()
	n, _ := K.Dims()
	_, dv := V.Dims()
	qs, ks, vs := contiguous(Q), contiguous(K), contiguous(V)
	if err := checkFinite("Q", qs, d); err != nil {
		return nil, err
	}
	s := store{d: d, dv: dv, n: n, keys: ks, vals: vs}
	if err := checkFinite("K", ks, d); err != nil {
		return nil, err
	}
	if err := checkFinite("V", vs, dv); err != nil {
		return nil, err
	}
	for _, v := range vs {
		s.vInf = math.Max(s.vInf, math.Abs(v))
	}
	kn := make([]float64, n)
	var qInf, kInf float64
	for j := range kn {
		kn[j] = norm2(s.key(j))
	}
	for _, v := range ks {
		kInf = math.Max(kInf, math.Abs(v))
	}
	for _, v := range qs {
		qInf = math.Max(qInf, math.Abs(v))
	}
	ntiles := (n + tileCols - 1) / tileCols
	tileKNorm := make([]float64, ntiles)
	for j, x := range kn {
		tileKNorm[j/tileCols] = math.Max(tileKNorm[j/tileCols], x)
	}
	// float32 scores unless they could overflow; the underflow term covers
	// products that become float32 subnormals.
	use32 := qInf*kInf*float64(d) < 1e30
	var q32, k32 []float32
	kernel := use32 && useKernel
	switch {
	case kernel:
		q32, k32 = packRows(qs, m, d, 4), packRows(ks, n, d, 16)
	case use32:
		q32, k32 = toFloat32(qs), toFloat32(ks)
	}
	relErr, absErr := 0.0, 0.0
	if use32 {
		relErr = 2 * float64(d+2) * u32
		absErr = 4 * float64(d) * 0x1p-149 * (2 + qInf + kInf)
	}
	scale := p.scale(d)
	thr := p.B
	if p.Kind == Softmax {
		thr = p.Tau
	}
	c := scale * thr

	res := &Result{Out: mat.NewDense(m, dv, nil), Rows: make([]Row, m)}
	out := res.Out.RawMatrix().Data
	visible := visibleFunc(n, p.Causal)
	if err := checkScores(qs, d, ks, colAbsMax(ks, d), visible); err != nil {
		return nil, err
	}
	relu := p.Kind == ReLU
	scaled := !p.Unscaled
	ld, br := tileDims(m, n)
	br = min(filterRows, (m+3)/4*4)
	err := parallelChunks(m, filterRows, maxWorkers(), func(lo, hi int, w *work) error {
		rows := hi - lo
		bw := &w.block
		if len(bw.ids) < rows {
			bw.ids, bw.dots = make([][]int, rows), make([][]float64, rows)
		}
		if len(bw.sums) < rows {
			bw.sums, bw.cands = make([]float64, rows), make([]int, rows)
			bw.psums, bw.pk = make([]float64, rows), make([]int, rows)
		}
		if len(bw.part) < rows*dv {
			bw.part = make([]float64, rows*dv)
		}
		for r := 0; r < rows; r++ {
			bw.ids[r], bw.dots[r] = bw.ids[r][:0], bw.dots[r][:0]
			bw.sums[r], bw.cands[r], bw.psums[r], bw.pk[r] = 0, 0, 0, 0
		}
		clear(bw.part[:rows*dv])
		// ReLU sums go to per-segment partial sums, added to the row at
		// each segment's end: finish's order (bit-equal rows).
		flush := func() {
			for r := 0; r < rows; r++ {
				if bw.pk[r] == 0 {
					continue
				}
				o, part := out[(lo+r)*dv:(lo+r+1)*dv], bw.part[r*dv:(r+1)*dv]
				for t, v := range part {
					o[t] += v
				}
				clear(part)
				bw.sums[r] += bw.psums[r]
				bw.psums[r], bw.pk[r] = 0, 0
			}
		}
		if use32 && len(bw.s32) < br*ld {
			bw.s32 = make([]float32, br*ld)
		} else if !use32 && len(bw.s64) < br*ld {
			bw.s64 = make([]float64, br*ld)
		}
		qn := make([]float64, rows)
		for r := range qn {
			qn[r] = norm2(qs[(lo+r)*d : (lo+r+1)*d])
		}
		lastCol := visible(hi - 1)
		for c0 := 0; c0 < lastCol; c0 += tileCols {
			if relu && c0 > 0 && c0%sketchSegment == 0 {
				flush()
			}
			c1 := min(c0+tileCols, lastCol)
			cols := c1 - c0
			switch {
			case kernel:
				kernelTile(q32, k32, d, lo, hi, c0, c1, bw.s32, ld)
			case use32:
				blas32.Implementation().Sgemm(blas.NoTrans, blas.Trans, rows, cols, d, 1, q32[lo*d:], d, k32[c0*d:], d, 0, bw.s32, ld)
			default:
				blas64Impl().Dgemm(blas.NoTrans, blas.Trans, rows, cols, d, 1, qs[lo*d:], d, ks[c0*d:], d, 0, bw.s64, ld)
			}
			kmax := tileKNorm[c0/tileCols]
			for r := 0; r < rows; r++ {
				i := lo + r
				jmax := min(c1, visible(i)) - c0
				st := &res.Rows[i].Stats
				st.NodesVisited++
				st.LeavesScanned++
				st.DotProducts += cols
				if jmax <= 0 {
					continue
				}
				t := c - (relErr*qn[r]*kmax + absErr + margin(c, qn[r], kmax))
				q := qs[i*d : (i+1)*d]
				ids, dots := bw.ids[r], bw.dots[r]
				if use32 {
					// float32 compare first: t32 rounded down keeps every
					// entry whose float64 value exceeds t.
					t32 := float32(t)
					if float64(t32) > t {
						t32 = math.Nextafter32(t32, float32(math.Inf(-1)))
					}
					for x, v := range bw.s32[r*ld : r*ld+jmax] {
						if v > t32 {
							j := c0 + x
							dt := dot(q, ks[j*d:(j+1)*d])
							bw.cands[r]++
							if relu {
								// Weigh and sum now, while the tile's values
								// are in cache; finish would do the same
								// operations in the same (ascending) order.
								a := reluWeight(dt, scale, p.B, p.Alpha, scaled)
								if a == 0 {
									continue
								}
								dt = a
								bw.psums[r] += a
								bw.pk[r]++
								axpy(a, vs[j*dv:(j+1)*dv], bw.part[r*dv:(r+1)*dv])
							}
							ids = append(ids, j)
							dots = append(dots, dt)
						}
					}
				} else {
					for x, v := range bw.s64[r*ld : r*ld+jmax] {
						if v > t {
							j := c0 + x
							dt := dot(q, ks[j*d:(j+1)*d])
							bw.cands[r]++
							if relu {
								a := reluWeight(dt, scale, p.B, p.Alpha, scaled)
								if a == 0 {
									continue
								}
								dt = a
								bw.psums[r] += a
								bw.pk[r]++
								axpy(a, vs[j*dv:(j+1)*dv], bw.part[r*dv:(r+1)*dv])
							}
							ids = append(ids, j)
							dots = append(dots, dt)
						}
					}
				}
				bw.ids[r], bw.dots[r] = ids, dots
			}
		}
		if relu {
			flush()
		}
		for r := 0; r < rows; r++ {
			i := lo + r
			st := res.Rows[i].Stats
			st.Reported = bw.cands[r]
			st.DotProducts += bw.cands[r]
			o := out[i*dv : (i+1)*dv]
			var row Row
			var err error
			if relu {
				row = Row{Visible: visible(i)}
				k := len(bw.ids[r])
				err = completeReLU(&row, o, bw.sums[r], k, visible(i), p)
				if err == nil && !finite(o) {
					err = errOverflow
				}
				if !p.CountsOnly {
					row.Keys, row.Weights = slices.Clone(bw.ids[r][:k]), slices.Clone(bw.dots[r][:k])
				}
			} else {
				row, err = s.finish(bw.ids[r], bw.dots[r], visible(i), p, o, !p.CountsOnly, w)
			}
			if err != nil {
				return err
			}
			row.Stats = st
			res.Rows[i] = row
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range res.Rows {
		res.Stats.Add(res.Rows[i].Stats)
	}
	return res, nil
}

func toFloat32(x []float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(v)
	}
	return y
}
