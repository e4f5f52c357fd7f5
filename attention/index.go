package attention

import "github.com/hsrviz/hsrviz/hsr"

// newIndex builds the half-space reporting index of the given kind over the
// n = len(points)/d rows of points. It is the one place that knows which
// constructors package hsr offers.
func newIndex(kind IndexKind, d int, points []float64) hsr.Index {
	switch kind {
	case IndexScan:
		return hsr.NewScan(d, points)
	case IndexTree:
		return hsr.NewTree(d, points, hsr.TreeOptions{})
	}
	// Automatic: the tree, switching to a scan per query and per part
	// wherever its measured work would exceed the scan's (hsr.Auto).
	return hsr.NewAuto(d, points, hsr.TreeOptions{})
}

// reportsAscending says whether ix promises ids in increasing order
// (hsr.Ascending), which lets a causal query stop at the first id past the
// visible prefix.
func reportsAscending(ix hsr.Index) bool {
	a, ok := ix.(hsr.Ascending)
	return ok && a.ReportsAscending()
}

// concurrentSafe says whether Query may be called from several goroutines
// at once on ix (both documented so).
func concurrentSafe(ix hsr.Index) bool {
	switch ix.(type) {
	case *hsr.Scan, *hsr.Tree, *hsr.Auto:
		return true
	}
	return false
}

// indexTopR returns the index's own top-r search when it can beat one pass
// over the keys: the scan's TopR is a full pass followed by a query, worse
// than the single pass of store.topR.
func indexTopR(ix hsr.Index) (hsr.TopRer, bool) {
	if _, scan := ix.(*hsr.Scan); scan {
		return nil, false
	}
	t, ok := ix.(hsr.TopRer)
	return t, ok
}
