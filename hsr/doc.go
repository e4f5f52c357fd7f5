// Package hsr is half-space reporting: given a set of points in R^d, report
// every point x with <a, x> > c for a query direction a and offset c.
//
// This is the data structure at the heart of "HSR-Enhanced Sparse Attention
// Acceleration" (Chen, Liang, Sha, Shi, Song; arXiv 2410.10165): with a = q
// (a query) and c = sqrt(d)·b, the reported keys are exactly the non-zero
// entries of a ReLU^α attention row, and the "massively activated" entries
// of a softmax row.
//
// Two implementations satisfy Index:
//
//   - Scan, a linear scan: O(n·d) per query, O(1) per Insert. It is the
//     oracle every other index is tested against, and the fallback.
//   - Tree (see tree.go), a box-bounded space-partitioning tree that prunes
//     a node when the exact box bound max_{x∈box} <a, x> ≤ c and reports a
//     node whole, without a single dot product, when min_{x∈box} <a, x> > c.
//
// Every query can be traced (Trace): the nodes entered in order with the
// decision taken and the node's exact interval [min, max] of <a, x>. The
// visualizer animates that trace, so it comes from the real query code.
//
// Points are identified by their insertion order: the i-th point given to a
// constructor or to Insert has id i.
package hsr
