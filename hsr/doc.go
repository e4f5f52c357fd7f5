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
//   - Tree, a box-bounded k-d tree: split the widest dimension of the
//     node's cell at the median, tight bounding boxes, points stored
//     contiguous in leaf order so that a subtree is a run of rows (reported
//     whole as a run of ids). A query prunes a node when
//     max_{box} <a, x> ≤ c, reports it whole (without a single dot product)
//     when min_{box} <a, x> > c, opens it otherwise, and scans straddling
//     leaves point by point. The walk is breadth first with prefetching a
//     few nodes ahead (PREFETCHT0 on amd64), because a query's nodes are
//     usually not in cache and their fetches are what it waits for; queries
//     read the boxes rounded outwards to float32 (half the bytes). Insert
//     uses the logarithmic method: static parts of geometrically
//     decreasing sizes and a small buffer (256 points, one bounding box)
//     scanned linearly, merged and rebuilt as it fills; O(log² n) amortised
//     per Insert, ids in insertion order.
//   - Auto, the tree with a per-query, per-part choice: it walks the top
//     levels down to nodes of FrontierSize(d) points, then processes those
//     straddling c in growing batches by the tree while the tree's work
//     (node bounds weighted by a measured per-node cost, plus dot products)
//     stays below 0.9 × the points covered, and scans the rest otherwise.
//     Its cost is at most about the scan of the frontier plus the top
//     levels plus one batch, so it is never much slower than Scan, and it
//     keeps most of the tree's wins.
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
// effective dimension and on the reported fraction. Measured at n = 2^20 on
// Gaussian keys against Scan for a fraction 10⁻⁴ (BenchmarkRatio,
// alternating queries, so mostly out of cache): ~55× in the plane, ~23× at
// d = 3, ~3× at d = 8, ~8× at d = 64 with spread e^(−t/4), and 0.6–0.9×
// at d ≥ 16 on isotropic keys, where a hyperplane crosses nearly every box
// (there Auto scans: 0.92–1.1× the scan). Repeating one index's queries
// (BenchmarkQuery, its nodes partly in cache) the low-dimensional ratios
// are several times larger (~200× in the plane, ~60× at d = 3). Building costs
// O(n log n + n·d); memory is the points (float64, one copy in leaf
// order), their ids (one int each, so that a subtree is reported by one
// copy), and per node 12 bytes plus 2d float64 and 2d
// float32 box values (≈ 2n/leaf nodes; leaf size 8 for d ≤ 3, 16 for
// d ≤ 8, else 32). The scan runs at about 1.45× the time of merely reading
// its bytes at d = 64: Go has no SIMD, scalar code issues two loads per
// product, and Dot's order of additions is fixed by the exactness contract.
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
// real Dot. The float32 boxes the queries read are rounded outwards, so
// they contain their points, and the margin's max|x_t| covers them too. A non-finite query or point disables the certificate (every
// node is opened), so the answer is still exactly Scan's, only slower.
// NaN offsets report nothing.
//
// # Traces
//
// Every query can be traced (Trace): the nodes entered in order with the
// part, parent step, depth, decision, the node's certified interval
// [Min, Max] of Dot (the bound on its float32 box widened by the margin,
// so every point below has Min ≤ Dot ≤ Max), its count,
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
//   - float64 points, float32 boxes: a float32 copy of the points would
//     halve the bytes a leaf scan reads, at the price of a second copy and
//     a re-check near the boundary; boxes in float32 cost nothing in
//     exactness (outward rounding) and halve the bytes per node.
//   - Median splits (not mid-range): balanced parts, height ⌈log2(n/leaf)⌉,
//     so a fixed-size stack serves every query.
//
// Points are identified by their insertion order: the i-th point given to a
// constructor or to Insert has id i. Queries may run concurrently with each
// other, never with Insert.
package hsr
