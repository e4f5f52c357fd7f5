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
// Cost and responsiveness: Update runs pending work in units (a block of
// generated keys, one index build, the traced query, one query or one block
// of a row, one scaling query, ~2 ms of the timing) for a time budget per tick: DefaultBudget
// (2 ms) while the user interacts, IdleBudget (10 ms) once the input has
// rested for half a second, and one unit only in a tick that changed the
// parameters (a drag moves b every tick: the picture needs the new trace,
// while rows for that b would be thrown away by the next tick). A unit
// runs after another only if its kind's recent cost fits in what is left;
// a kind never timed runs first in a tick (after a drawn frame, the header
// naming it), and while the user interacts a unit expected above 4 ms
// (an index build, a query reporting half the keys) waits until the input
// rests. Snapshot reports Busy and Progress. The units that cannot be split
// are the index builds (O(n log n), one call of package hsr: its public
// API has no resumable build, Tree.Insert's logarithmic method ends in a
// rebuild of all n points, and wasm goroutines only switch when they block)
// and the traced query. Changing b, α, the kind, γ, the index kind or the
// selected query reuses the keys and the indexes; only n, d, data, σ and
// seed regenerate and rebuild (tested by counting builds).
//
// Drawing costs little while b is dragged: each panel is a scene.Group, and
// a retained renderer (viz/ebitenview) redraws only the groups whose items
// changed; panels whose content did not change reuse last frame's items;
// the heatmaps repaint only finished rows, the geometry's reported keys
// only where keys changed sides, and tell the renderer which part of the
// raster to upload (scene.Raster Base/Changed). BenchmarkDragB measures a
// frame of the model while the slider is dragged; the browser measurement
// is e2e's TestBrowserFrameBudget (make measure-browser).
//
// Choices where the issue is silent: the heatmap colours each row relative
// to its own largest weight (attention rows differ by orders of magnitude);
// the difference map is signed (HSR − dense: kept keys gain, dropped keys
// lose) on a diverging map whose scale never drops below 1e-6 of the
// weights, so ReLU^α rounding noise stays neutral; the geometry panel draws
// at most 2000 keys (an even sample of ids, said in its legend); the
// scaling series uses prefixes of the current keys and the first 16
// queries.
//
// Timing (timing.go): "time, tree vs scan" is measured by its own job
// once the rows are in, never while the user interacts: the m queries
// answered by the chosen index (top-r search + query) and by the scan
// (same), in batches of whole passes of at least 2 ms each, alternating
// index, scan, scan, index, … over 5 to 15 rounds (as many as fit in about
// 0.4 s) after a warm-up pass; the panel shows each side's fastest round
// per query and their ratio, "measuring…" until then (why the fastest and
// not the median: timing.go). Timing each row's query alone, as
// before, was wrong twice: in a page that is not cross-origin isolated
// the clock has 100 µs steps for 3–30 µs queries, and the rows ran each
// query cold after dense passes over K and V (plus the growth of the ids
// buffer on the index side). internal/serve sends COOP/COEP, which makes
// the page cross-origin isolated: 5 µs clock steps in Chromium.
package viz
