package hsr

import "fmt"

// Index is a half-space reporting structure over points in R^Dim().
//
// Query calls visit(id) exactly once for every stored point x with
// <a, x> > c, in no particular order, and stops early when visit returns
// false. It returns the work done. len(a) must equal Dim().
type Index interface {
	Dim() int
	Len() int
	// Insert adds x (copied) and returns its id, which is Len() before the call.
	Insert(x []float64) int
	Query(a []float64, c float64, visit func(id int) bool) Stats
	// Trace runs the same query as Query, reporting nothing, and records
	// every node entered into t (t is reset first).
	Trace(a []float64, c float64, t *Trace)
}

// Stats counts the work of one query.
type Stats struct {
	NodesVisited  int // nodes entered (a scan counts as one leaf)
	Pruned        int // nodes skipped because max <a,x> over the node ≤ c
	ReportedWhole int // nodes reported without a dot product: min <a,x> > c
	Opened        int // internal nodes whose interval straddles c
	LeavesScanned int // leaves whose points were each tested with a dot product
	DotProducts   int // point dot products computed (box bounds not counted)
	Reported      int // points reported
}

// Work is the query's cost in units of one point dot product, as Auto
// weighs tree against scan: nodeWeight(d) per node entered plus the dot
// products (callers that choose between hsr and another path use it, so
// that there is one calibration).
func (s Stats) Work(d int) float64 {
	return nodeWeight(d)*float64(s.NodesVisited) + float64(s.DotProducts)
}

// Add accumulates o into s.
func (s *Stats) Add(o Stats) {
	s.NodesVisited += o.NodesVisited
	s.Pruned += o.Pruned
	s.ReportedWhole += o.ReportedWhole
	s.Opened += o.Opened
	s.LeavesScanned += o.LeavesScanned
	s.DotProducts += o.DotProducts
	s.Reported += o.Reported
}

// Decision is what a query did at a node.
type Decision uint8

const (
	Pruned        Decision = iota // max <a,x> ≤ c: nothing below is reported
	ReportedWhole                 // min <a,x> > c: everything below is reported
	Opened                        // min ≤ c < max: children are entered
	LeafScanned                   // a leaf straddling c: each point is tested
)

func (d Decision) String() string {
	switch d {
	case Pruned:
		return "pruned"
	case ReportedWhole:
		return "reported whole"
	case Opened:
		return "opened"
	case LeafScanned:
		return "leaf scanned"
	}
	return fmt.Sprintf("Decision(%d)", uint8(d))
}

// Step is one node entered by a query, in the order the query entered it.
type Step struct {
	Part     int // which static part of the index (logarithmic method); 0 for a single tree
	Node     int // node number within its part
	Parent   int // index in Trace.Steps of the step that opened this node, -1 for a root
	Depth    int // 0 at a root
	Decision Decision
	// Min, Max is the node's certified interval of <a, x>: its bound
	// widened by the rounding margin, so every point below has
	// Min ≤ Dot ≤ Max (a scan's step: the exact range over its points).
	Min, Max    float64
	Count       int       // points stored below the node
	Reported    int       // points reported at this step (Count when ReportedWhole, hits when LeafScanned)
	DotProducts int       // point dot products computed at this step
	Lo, Hi      []float64 // the node's bounding box (read-only, shared with the index)
}

// Trace records a traced query.
type Trace struct {
	A     []float64 // query direction (copy)
	C     float64   // offset: report <a, x> > C
	Steps []Step
	Stats Stats
	IDs   []int // every reported id, in report order
}

// Reset clears t for reuse, keeping its storage.
func (t *Trace) Reset(a []float64, c float64) {
	t.A = append(t.A[:0], a...)
	t.C = c
	t.Steps = t.Steps[:0]
	t.Stats = Stats{}
	t.IDs = t.IDs[:0]
}

// Collect runs a query and returns the reported ids appended to dst.
// Indexes that implement Appender append directly (no call per id).
func Collect(ix Index, a []float64, c float64, dst []int) ([]int, Stats) {
	if ap, ok := ix.(Appender); ok {
		return ap.AppendQuery(dst, a, c)
	}
	st := ix.Query(a, c, func(id int) bool { dst = append(dst, id); return true })
	return dst, st
}

// Appender is implemented by indexes that can append the ids of a query
// to a slice directly: the same set as Query, in the same order, faster
// when many points are reported.
type Appender interface {
	AppendQuery(dst []int, a []float64, c float64) ([]int, Stats)
}

// Dot is <a, b> with four accumulators (twice the single-accumulator speed
// out of cache on this class of machine, see docs/performance.md).
func Dot(a, b []float64) float64 {
	n := len(a)
	b = b[:n]
	var s0, s1, s2, s3 float64
	i := 0
	// The explicit float64 conversions round every product on its own, so
	// no platform may fuse them into FMAs: the value is the same everywhere,
	// and the specialised kernels of kernel.go reproduce it bit for bit.
	for ; i+4 <= n; i += 4 {
		s0 += float64(a[i] * b[i])
		s1 += float64(a[i+1] * b[i+1])
		s2 += float64(a[i+2] * b[i+2])
		s3 += float64(a[i+3] * b[i+3])
	}
	for ; i < n; i++ {
		s0 += float64(a[i] * b[i])
	}
	return (s0 + s1) + (s2 + s3)
}

func checkDim(where string, want, got int) {
	if want != got {
		panic(fmt.Sprintf("hsr: %s: dimension mismatch: index has d=%d, got %d", where, want, got))
	}
}
