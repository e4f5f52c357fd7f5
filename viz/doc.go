// Package viz is the visualizer's drawing model, free of Ebiten: Params in,
// the engine's results and the real query trace out, as a scene.Scene
// display list for any window size.
//
// Data flows one way: Params → data (seeded generators) and indexes (hsr:
// scan, tree, auto) → per-row HSR vs dense attention, the selected query's
// hsr.Trace, the scaling series → panels → scene. Input flows back through
// App.Update (widgets from viz/widget, the key map in keys.go, hover).
//
// The panels: 1 geometry (d = 2 exact; d > 2 drawn along q/|q| and the
// keys' first principal direction orthogonal to q, so the boundary is
// exactly the vertical line x = c/|q|), 2 the tree at work (the trace
// played step by step: an interval view for every d, the k-d boxes for
// d = 2), 3 attention heatmaps (dense, HSR-sparse, difference; max-
// aggregated columns; reported cells dotted, or blank-vs-filled when
// aggregated), 4 numbers (every one in Snapshot().Numbers), 5 scaling
// (log-log with fitted slopes vs 4/5), 6 the per-row count histogram.
//
// Cost and responsiveness: no work happens in Scene beyond drawing and
// repainting cached rasters whose content changed. Update runs pending work
// in units (a block of generated keys, one index build, one query, one block
// of a dense row, one scaling query) until DefaultBudget is spent, skipping
// a unit that would likely overrun it; Snapshot reports Busy and Progress
// and the header shows a progress bar. The one unit that cannot be split is
// an index build (O(n log n)), which runs in a single tick. Changing b, α,
// the kind, γ, the index kind or the selected query reuses the keys and the
// indexes; only n, d, data, σ and seed regenerate and rebuild (tested by
// counting builds).
//
// Choices where the issue is silent: the heatmap colours each row relative
// to its own largest weight (attention rows differ by orders of magnitude);
// the difference map is signed (HSR − dense: kept keys gain, dropped keys
// lose) on a diverging map whose scale never drops below 1e-6 of the
// weights, so ReLU^α rounding noise stays neutral; the geometry panel draws
// at most 2000 keys (an even sample of ids, said in its legend); the
// scaling series uses prefixes of the current keys and the first 16
// queries; timings compare the index's own work (top-r search + query) with
// the scan answering the same query, per row, in the same tick.
package viz
