package hsr

import "math"

// Scan is the linear-scan index: every query computes every dot product.
// It is the oracle for every other index and the fallback where no tree
// can beat it (high effective dimension, large reported fractions).
type Scan struct {
	d   int
	pts []float64 // row-major, n×d
}

// NewScan returns a scan over the n = len(points)/d rows of points (copied).
// It panics if d < 1 or len(points) is not a multiple of d.
func NewScan(d int, points []float64) *Scan {
	if d < 1 || len(points)%d != 0 {
		panic("hsr: NewScan: bad dimension or length")
	}
	return &Scan{d: d, pts: append([]float64(nil), points...)}
}

// ScanOf is NewScan without the copy: the scan keeps points (which must
// not change afterwards). A caller that copied them itself, in slices,
// uses it (attention.EngineBuilder).
func ScanOf(d int, points []float64) *Scan {
	if d < 1 || len(points)%d != 0 {
		panic("hsr: ScanOf: bad dimension or length")
	}
	return &Scan{d: d, pts: points[:len(points):len(points)]}
}

func (s *Scan) Dim() int { return s.d }
func (s *Scan) Len() int { return len(s.pts) / s.d }

// Point returns the stored point with the given id (read-only).
func (s *Scan) Point(id int) []float64 { return s.pts[id*s.d : (id+1)*s.d] }

// Points returns all stored points, row-major (read-only).
func (s *Scan) Points() []float64 { return s.pts }

func (s *Scan) Insert(x []float64) int {
	checkDim("Scan.Insert", s.d, len(x))
	id := s.Len()
	s.pts = append(s.pts, x...)
	return id
}

func (s *Scan) Query(a []float64, c float64, visit func(id int) bool) Stats {
	checkDim("Scan.Query", s.d, len(a))
	return s.query(a, c, visit, nil)
}

// AppendQuery appends the ids Query would visit to dst, without a call
// per reported id (Collect uses it).
func (s *Scan) AppendQuery(dst []int, a []float64, c float64) ([]int, Stats) {
	checkDim("Scan.AppendQuery", s.d, len(a))
	n, k := s.Len(), len(dst)
	if !math.IsNaN(c) {
		dst = appendAbove(dst, a, c, s.pts, 0, n, nil)
	}
	return dst, Stats{NodesVisited: 1, LeavesScanned: 1, DotProducts: n, Reported: len(dst) - k}
}

func (s *Scan) Trace(a []float64, c float64, t *Trace) {
	checkDim("Scan.Trace", s.d, len(a))
	t.Reset(a, c)
	s.query(a, c, nil, t)
}

func (s *Scan) query(a []float64, c float64, visit func(id int) bool, t *Trace) Stats {
	n, d := s.Len(), s.d
	st := Stats{NodesVisited: 1, LeavesScanned: 1}
	if t == nil {
		// The fast path: a kernel that computes exactly Dot and only
		// returns at a hit (kernel.go), so no call per point.
		for i := 0; i < n; i++ {
			i = nextAbove(a, c, s.pts, i, n)
			if i == n {
				break
			}
			st.Reported++
			if !visit(i) {
				st.DotProducts = i + 1
				return st
			}
		}
		st.DotProducts = n
		return st
	}
	// Traced: one step, the whole scan, with the exact range of <a, x>.
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i < n; i++ {
		v := Dot(a, s.pts[i*d:(i+1)*d])
		st.DotProducts++
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		if v > c {
			st.Reported++
			t.IDs = append(t.IDs, i)
		}
	}
	if n == 0 {
		lo, hi = 0, 0
	}
	t.Steps = append(t.Steps, Step{Parent: -1, Decision: LeafScanned, Min: lo, Max: hi,
		Count: n, Reported: st.Reported, DotProducts: st.DotProducts})
	t.Stats = st
	return st
}
