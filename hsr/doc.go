// Package hsr is half-space reporting: given a set of points in R^d, report
// every point x with <a, x> > c for a query direction a and offset c.
//
// This is the data structure at the heart of "HSR-Enhanced Sparse Attention
// Acceleration" (Chen, Liang, Sha, Shi, Song; arXiv 2410.10165): with a = q
// (a query) and c = sqrt(d)·b, the reported keys are exactly the non-zero
// entries of a ReLU^α attention row, and the "massively activated" entries
// of a softmax row.
//
// # Indexes
//
// Three implementations satisfy Index (New builds one by name):
//
//   - Scan, a linear scan: O(n·d) per query, O(1) per Insert. It is the
//     oracle every other index is tested against, and the fallback. Its
//     inner loop (kernel.go) is specialised per dimension and calls nothing
//     per point, so it runs at memory speed.
//   - Tree, a box-bounded k-d tree: split the widest dimension at the
//     median, tight bounding boxes, points stored contiguous in leaf order
//     so that a subtree is a run of rows. A query prunes a node when
//     max_{box} <a, x> ≤ c, reports it whole (its run of ids, without a
//     single dot product) when min_{box} <a, x> > c, opens it otherwise,
//     and scans straddling leaves point by point. Insert uses the
//     logarithmic method: static parts of geometrically decreasing sizes and
//     a small buffer (256 points) scanned linearly, merged and rebuilt as it
//     fills; O(log² n) amortised per Insert, ids in insertion order.
//   - Auto, the tree with a per-query, per-part choice: it walks the top
//     levels, then processes the straddling nodes of ~1024 points by the tree
//     while the tree's measured work stays below the scan's, and scans them
//     otherwise. It is never much slower than Scan and keeps the tree's wins.
//
// Tree and Scan also implement TopRer: TopR(a, r) is the r-th largest Dot,
// the threshold of top-r softmax attention. The tree finds it best-first
// (branch and bound on node upper bounds): the cost is about the nodes and
// leaves whose upper bound exceeds the answer, not a full pass, when the
// geometry allows (in the plane, the top 10 of 10^5 points take ~10^2 dot
// products); the scan computes every dot product once.
//
// # Cost
//
// Theory (display as theory): a partition tree answers a half-space query
// in O(n^(1−1/⌊d/2⌋) + k) after O(n log n) preprocessing (k reported); the
// other end of the trade-off is O(log n + k) after O(n^⌊d/2⌋) preprocessing;
// a k-d tree gives O(n^(1−1/d) + k) for a query hyperplane, because a
// hyperplane crosses that many cells. These are worst cases over query
// directions. What this tree does in practice depends on the data's
// effective dimension and on the reported fraction: on Gaussian keys at
// n = 2^20 it is two to three orders of magnitude faster than the scan in
// the plane for small fractions, a few times faster at d = 8 or at d = 64
// with quickly decaying spread, and no faster than the scan at d ≥ 16 on
// isotropic keys, where a hyperplane crosses nearly every box (there Auto
// scans). Building costs O(n log n · d); memory is the points (float64,
// one copy in leaf order), their int32 ids, and 2d float64 per node
// (≈ 2n/leaf nodes; leaf size 8 for d ≤ 3, 16 for d ≤ 8, else 32).
//
// # Exactness
//
// Every index reports exactly {id : Dot(a, x_id) > c}, bit for bit the set
// Scan reports: the same Dot on the same float64 values (the kernels
// reproduce Dot's order of operations; Dot rounds every product on its own,
// so no platform fuses them). A box bound computed in floating point can
// disagree with Dot at the last bits, so every decision uses a certified
// margin eps ≥ |rounding error of the bound| + |rounding error of Dot|,
// from the standard bound γ_d·Σ_t |a_t|·max|x_t| (γ_d = d·u/(1−d·u),
// u = 2⁻⁵³) with a factor of two to spare: a node is pruned only if
// Max = fl(max + eps) ≤ c and reported whole only if Min = fl(min − eps) > c;
// nodes within the margin are opened and their points checked with the
// real Dot. A non-finite query or point disables the certificate (every
// node is opened), so the answer is still exactly Scan's, only slower.
// NaN offsets report nothing.
//
// # Traces
//
// Every query can be traced (Trace): the nodes entered in order with the
// part, parent step, depth, decision, the node's certified interval
// [Min, Max] of Dot (every point below has Min ≤ Dot ≤ Max), its count,
// what it reported and the dot products it cost, and its box (Lo, Hi, in
// the original coordinates: the tree never rotates, so for d = 2 the boxes
// can be drawn in the plane). The trace is recorded by the query code
// itself (a nil-checked recorder), not re-enacted; tests check that it
// reports the same ids with the same Stats as Query.
//
// # Design trade-offs
//
//   - Boxes rather than balls or partition-tree simplices: a box bound is
//     2d multiply-adds, exact up to the certified margin, and drawable; in
//     low effective dimension boxes are tight.
//   - No rotation to principal axes: it would make the exact contract
//     depend on re-checking every borderline point in the original
//     coordinates, and the anisotropic data this package targets (decaying
//     spread along the coordinate axes) is already axis-aligned.
//   - float64 points only: a float32 filter would halve the bytes scanned,
//     at the price of a second copy and a re-check near the boundary.
//   - Median splits (not mid-range): balanced parts, height ⌈log2(n/leaf)⌉,
//     so a fixed-size stack serves every query.
//
// Points are identified by their insertion order: the i-th point given to a
// constructor or to Insert has id i. Queries may run concurrently with each
// other, never with Insert.
package hsr
