package attention

import "github.com/hsrviz/hsrviz/hsr"

// newIndex builds the half-space reporting index of the given kind over the
// n = len(points)/d rows of points. It is the one place that knows which
// constructors package hsr offers.
func newIndex(kind IndexKind, d int, points []float64) hsr.Index {
	switch kind {
	case IndexScan:
		return hsr.NewScan(d, points)
	}
	// The tree and the automatic index are not in package hsr yet; the scan
	// is the exact fallback (same reported set by contract).
	return hsr.NewScan(d, points)
}

// reportsAscending says whether ix reports ids in increasing order, which
// lets a causal query stop at the first id past the visible prefix.
func reportsAscending(ix hsr.Index) bool {
	_, ok := ix.(*hsr.Scan)
	return ok
}

// concurrentSafe says whether Query may be called from several goroutines
// at once on ix.
func concurrentSafe(ix hsr.Index) bool {
	_, ok := ix.(*hsr.Scan)
	return ok
}

// topRer is the optional r-th-largest-dot operation of an index:
// TopR(a, r) returns the r-th largest <a, x> over the stored points.
type topRer interface {
	TopR(a []float64, r int) (float64, hsr.Stats)
}
