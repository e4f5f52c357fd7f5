package hsr

import (
	"math"
	"time"
)

// TreeBuilder builds what NewTree builds, in steps that a caller with a
// frame to draw (the visualizer in a browser, one thread) spreads over
// ticks: at most 2^15 rows of a pass over the points, or about 2^16 key
// visits of one node's split (its keys, its median selection's partition
// passes), per step: well under a millisecond natively, whatever n. The
// tree is the same, node for node, as NewTree's over the same points and
// options.
//
// The points are read until the build is complete: they must not change
// meanwhile (NewTree copies them at once; the builder copies them in leaf
// order in one of its steps).
type TreeBuilder struct {
	t  *Tree
	pb *partBuild // nil: complete
}

// NewTreeBuilder starts building a tree over the n = len(points)/d rows of
// points; it panics as NewTree does.
func NewTreeBuilder(d int, points []float64, opt TreeOptions) *TreeBuilder {
	if d < 1 || len(points)%d != 0 {
		panic("hsr: NewTreeBuilder: bad dimension or length")
	}
	n := len(points) / d
	if n >= math.MaxInt32 {
		panic("hsr: NewTreeBuilder: too many points")
	}
	t := &Tree{d: d, n: n, opt: opt.withDefaults(d)}
	t.buf = newBuffer(d)
	b := &TreeBuilder{t: t}
	if n > 0 {
		ids := make([]int32, n)
		for i := range ids {
			ids[i] = int32(i)
		}
		b.pb = newPartBuild(d, points, ids, t.opt.LeafSize, t.opt.Shells > 0)
	}
	return b
}

// Step builds for about budget, at least one step (which may take longer:
// a step is not interrupted), and reports whether the tree is complete.
func (b *TreeBuilder) Step(budget time.Duration) bool {
	if b.pb == nil {
		return true
	}
	start := time.Now()
	if b.pb.step(func() bool { return time.Since(start) < budget }) {
		b.t.parts = append(b.t.parts, b.pb.p)
		b.pb = nil
	}
	return b.pb == nil
}

// Tree returns the tree once Step has reported it complete, else nil.
func (b *TreeBuilder) Tree() *Tree {
	if b.pb != nil {
		return nil
	}
	return b.t
}
