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
//     oracle every other index is tested against, and the fallback. For d
//     a multiple of 4 on amd64 with AVX2 its inner loop is an assembly
//     kernel (kernel_amd64.s: four rows at a time, VMULPD then VADDPD in
//     Dot's lane order, so bit for bit Dot; AppendQuery gets a bit per row
//     for 512 rows per call, so a large reported fraction costs little per
//     report); elsewhere (other d, other platforms, wasm) the portable
//     kernels of kernel.go, specialised per dimension, calling nothing per
//     point.
//   - Tree, a box-bounded k-d tree: split the widest dimension of the
//     node's cell at the median, tight bounding boxes, points stored
//     contiguous in leaf order so that a subtree is a run of rows (reported
//     whole as a run of ids). For 4 ≤ d ≤ 12 (DefaultShells; see
//     TreeOptions.Shells) the top of the tree splits by distance from the
//     points' mean instead: the inner half, then the inner half of the
//     rest, … down to an outer shell of 1024 points, each inner piece an
//     ordinary k-d subtree; every node then also carries a certified
//     radius, and its interval is the intersection of the box bound and
//     the ball bound <a, μ> ± ‖a‖·r. A query far in the tail (the regime
//     of sparse attention) prunes whole inner shells with one ball test
//     each, where a box-only k-d tree at d = 8 has split each coordinate
//     only about twice and its outer boxes all straddle the hyperplane.
//     TreeBuilder builds the same tree, bit for bit, in steps of bounded
//     cost (at most 2^15 rows of a pass, or about 2^16 key visits of one
//     node's split: the root's median selection, O(n), takes ~50 steps at
//     n = 2^20), for a caller that must draw frames meanwhile.
//     A query prunes a node when
//     max_{box} <a, x> ≤ c, reports it whole (without a single dot product)
//     when min_{box} <a, x> > c, opens it otherwise, and scans straddling
//     leaves point by point. The walk is breadth first with prefetching a
//     few nodes ahead (PREFETCHT0 on amd64), because a query's nodes are
//     usually not in cache and their fetches are what it waits for (every
//     cache line of a look-ahead box at d > 16); queries read the boxes
//     rounded outwards to float32 (half the bytes), and bound them with an
//     AVX2 kernel for d a multiple of 4, d ≥ 8. Insert
//     uses the logarithmic method: static parts of geometrically
//     decreasing sizes and a small buffer (256 points, one bounding box)
//     scanned linearly, merged and rebuilt as it fills; O(log² n) amortised
//     per Insert, ids in insertion order.
//   - Auto, the tree with a per-query, per-part choice. On a part of at
//     least 16384 points it first counts the hits among 256 rows spread
//     over the part's leaf order (a contiguous copy: one short scan); at
//     4 ≤ d ≤ 12, if 20% or more are above c, the tree cannot win and it
//     scans the part whole in memory order, with nothing else. Otherwise
//     it walks the top levels down to nodes of FrontierSize(d) points,
//     sorts those straddling c by how deep c cuts into their interval (a hyperplane
//     clipping a corner is cheap for the tree), runs them in that order in
//     growing batches by the tree while a batch's work (node bounds
//     weighted by a per-node cost, plus dot products) stays below 0.7 × its
//     points, and scans the rest in memory order from the first batch that
//     does not (a batch that passes its budget mid-walk scans what is left
//     of it). Its cost is at most about the scan of the frontier plus the
//     top levels plus one batch, and it often beats the tree, which pays
//     for its worst nodes.
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
// effective dimension and on the reported fraction: in the plane it beats
// the scan by two orders of magnitude at small reported fractions, at
// d = 8 by several times, on keys of decaying spread even at d = 64; on
// isotropic keys at d ≥ 16 a hyperplane crosses nearly every box and the
// tree runs at about the scan's speed, so Auto scans. The measured grid,
// with the command that reproduces it, is in docs/performance.md.
// Building costs O(n log n + n·d); memory is the points (float64, one copy
// in leaf order), their ids (one int32 each; a subtree reported whole is
// widened to int by an AVX2 kernel as fast as a copy), and per node 16
// bytes plus 2d float64 and 2d float32 box values (≈ 2n/leaf nodes; leaf
// size 8 for d ≤ 3, 16 for d ≤ 8, else 32). int32 ids, not int: a scan of
// many leaves reads 4 bytes per row beside its points instead of 8. A
// float32 copy of the points would halve the bytes but needs a second copy
// and a float64 re-check near c, and is not used.
//
// # Exactness
//
// Every index reports exactly {id : Dot(a, x_id) > c}, bit for bit the set
// Scan reports: the same Dot on the same float64 values (the kernels,
// portable and AVX2, reproduce Dot's order of operations; Dot rounds every
// product on its own, so no platform fuses them, and the AVX2 kernel uses
// VMULPD then VADDPD, never FMA; tests compare them with a loop of Dot at
// c equal to each row's Dot and its neighbours). A box bound computed in
// floating point (in any order of summation, so the AVX2 bound too) can
// disagree with Dot at the last bits, so every decision uses a certified
// margin eps ≥ |rounding error of the bound| + |rounding error of Dot|,
// from the standard bound γ_d·Σ_t |a_t|·max|x_t| (γ_d = d·u/(1−d·u),
// u = 2⁻⁵³) with a factor of two to spare: a node is pruned only if
// Max = fl(max + eps) ≤ c and reported whole only if Min = fl(min − eps) > c;
// nodes within the margin are opened and their points checked with the
// real Dot. The float32 boxes the queries read are rounded outwards, so
// they contain their points, and the margin's max|x_t| covers them too.
// The ball bound is certified the same way: each node's radius is the
// computed ‖x − μ‖ of its farthest point times 1 + 4(d+4)·u (rounded up
// to float32), ‖a‖ is bounded from above likewise, fl(<a, μ>) is widened
// by its own error bound and by the margin for Dot, with slack for the
// roundings of the interval itself. A non-finite query or point disables
// the certificates (every
// node is opened), so the answer is still exactly Scan's, only slower.
// NaN offsets report nothing.
//
// # Traces
//
// Every query can be traced (Trace): the nodes entered in order with the
// part, parent step, depth, decision, the node's certified interval
// [Min, Max] of Dot (the bound on its float32 box widened by the margin,
// intersected with its ball bound where the tree has shells, so every
// point below has Min ≤ Dot ≤ Max), its count,
// what it reported and the dot products it cost, and its box (Lo, Hi, in
// the original coordinates: the tree never rotates, so for d = 2 the boxes
// can be drawn in the plane). The trace is recorded by the query code
// itself (a nil-checked recorder), not re-enacted; tests check that it
// reports the same ids with the same Stats as Query.
//
// # Design trade-offs
//
//   - Boxes rather than partition-tree simplices: a box bound is 2d
//     multiply-adds, exact up to the certified margin, and drawable; in
//     low effective dimension boxes are tight. One ball per node (around
//     the part's mean) is added where it prunes: for 4 ≤ d ≤ 12, with the
//     radius splits that make inner shells prunable as a whole.
//   - No rotation to principal axes: it would make the exact contract
//     depend on re-checking every borderline point in the original
//     coordinates, and the anisotropic data this package targets (decaying
//     spread along the coordinate axes) is already axis-aligned.
//   - float64 points, float32 boxes: a float32 copy of the points would
//     halve the bytes a leaf scan reads, at the price of a second copy and
//     a re-check near the boundary; boxes in float32 cost nothing in
//     exactness (outward rounding) and halve the bytes per node.
//   - Median splits (not mid-range): balanced parts, height ⌈log2(n/leaf)⌉
//     (plus the radius-split chain, ≤ log2(n/1024) more, with shells).
//
// Points are identified by their insertion order: the i-th point given to a
// constructor or to Insert has id i. Queries may run concurrently with each
// other, never with Insert.
package hsr
