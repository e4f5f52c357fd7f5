// Package viz is the visualizer's model, free of Ebiten: Params in, the
// engine's results and the real query trace computed a slice per frame, a
// scene.Scene display list out, for any window size. viz/ebitenview turns
// the scene into pixels and input into input.Input; cmd/wasm and
// cmd/desktop wrap both.
//
// # Data flow
//
// Params → the compute jobs → read-only results → the panels → the scene.
//
//   - The compute jobs (engine.go, scaling.go, timing.go) call the engine
//     and change nothing else: the keys, values and queries are
//     attention/gen's streams (the same data as hsrbench and the tests for
//     the same kind, n, d, σ and seed); the rows are attention.Engine.Row
//     beside a dense row built from the engine's own Dots, Score and
//     Weight; the certified softmax bound is the row's ErrorBound; the
//     trace is the engine's index traced at Engine.Offset, the offset the
//     row's own query used; the scaling series runs engines on prefixes of
//     the keys; the score sample (thresholds.go) is the engine's Dots
//     and Score for the m queries against an even sample of the keys; the
//     theory (PaperThreshold, GaussianExpectedCount,
//     CountBound, FitPowerLaw, TopRFromGamma) is package attention's.
//     Engines are built with attention.EngineOptions.IndexOnly, so the
//     work counted is the traced index's, on every platform.
//   - The panels (panel.go and panel_*.go) read those results (App.sum,
//     App.rows, App.trace, App.scaling, App.timing, App.geometry) and draw;
//     each owns what it keeps between frames.
//   - Input flows back through App.Update: widgets (viz/widget), the key
//     map (keys.go), clicks (ui.go, clicker), the query's drag at d = 2
//     (querydrag.go: a parameter, qvec, so a link keeps it). Hover, a tap
//     and App.Inspect (the JS API's inspect) share one hit test,
//     App.inspectAt (hover.go), over where the panels drew last frame; a
//     hovered cell's key is also marked in the geometry and tree panels.
//   - Text sizes are the style.go sizes times Params.Text (textscale.go):
//     textWidth, lineHeight and painter.text apply the scale, so layouts
//     measured with them adapt; captions and status lines wrap or take a
//     shorter wording instead of "…" (textfit.go).
//
// # Cost and responsiveness
//
// Update runs pending work in units — a block of 2^15 generated key
// and value entries, a slice of treeSlice (4 ms) of the scan engine's
// build (O(n·d) in all; attention.EngineBuilder) or of the automatic
// index's tree
// (O(n log n) in all, shared by the tree engine; hsr.TreeBuilder: at most
// 2^15 rows of a pass or ~2^16 key visits of a node's split at a time),
// one query row of the score sample (min(n, 4096) dot products and a
// sort), a slice of an attention row (attention.RowStepper: the
// half-space query, then O(|S|·(d+dv)) in slices of 2^14 keys), one block
// of a dense row (2^15 key entries of scores, 4× the keys of weights or
// bins), a slice of a scaling row, ~2 ms of timing — every result the same
// as one call's — for a budget per tick: DefaultBudget while the user
// interacts, IdleBudget once the input has rested idleAfter, and a single
// unit in a tick that changed the parameters (a drag moves b every tick;
// the picture needs the new trace, rows for that b would be thrown away).
// A unit runs after another only if its kind's recent cost fits in what is
// left; a kind never timed runs first in a tick; while the user interacts
// a unit expected above maxInteractiveUnit waits until the input rests.
// The units that cannot be split: the traced query (one call into
// package hsr, O(nodes + |S|)), a row's half-space query (the index's
// traversal, a call per reported key) and the allocation of the rows'
// per-key scratch (rows start); TestUnitCostsLargeN logs each kind's
// longest unit at n = 2^20 (docs/performance.md). Changing b,
// α, the kind, γ, the index kind or the selected query reuses the keys and
// the engines; only n, d, data, σ and seed regenerate and rebuild (tested
// by counting builds). Memory: the keys three times (gen's, the scan's
// copy, the tree's copy in leaf order), bounded by MaxND.
//
// Drawing costs little while b is dragged: each panel is a scene.Group,
// and the retained renderer redraws only the groups whose items changed;
// panels whose content did not change reuse last frame's items (panelMemo);
// the heatmaps repaint only finished rows and the geometry's reported keys
// only where keys changed sides, telling the renderer which part of the
// raster to upload (scene.Raster Base/Changed).
//
// # Invariants
//
//   - Every number in Snapshot().Numbers was computed in this run, for the
//     parameters shown or, while new ones compute, for the last complete
//     ones (the header says what is pending). A compute error (the engine
//     refuses) stops the pipeline with the message shown until the
//     parameters change.
//   - A panel showing results of older parameters is stale: an amber
//     "stale · computing N%" tag in its title row and its name in
//     Snapshot().Stale until its own results are current (stale.go). Each
//     panel compares the key of what it draws (App.sum's, the trace's, the
//     heatmap's rows', the scaling job's) with the key the current
//     parameters want, so Numbers are of other parameters exactly when
//     "numbers" is stale, and a new selected query marks only the trace's
//     panels. Snapshot().Computing lists the panels still waiting for
//     (part of) their results; both empty: every panel is current.
//   - The HSR row and the dense row of a query use the same dot products,
//     so their key sets agree exactly (ReLU^α: positive weight; softmax: a
//     score ≥ the row's τ_i) and "exact" is checked, not assumed.
//   - Params.Hash round-trips every field, seed included.
//
// # Choices
//
// How b is chosen (thresholds.go; Params.PaperB, Share; shown on screen
// and in Snapshot().Threshold): fixed, the paper's b = σ_s·√(0.4 ln n)
// with the MEASURED spread σ_s, or the share s of keys reported per row.
// σ_s is the standard deviation (population, about the mean) of the
// scores s_ij = <q_i, k_j>/√d of the m queries shown against every key
// when n ≤ 4096, else 4096 evenly spaced keys j = ⌊t·n/4096⌋: isotropic
// Gaussian data gives σ_s ≈ σ², decaying keys at d = 64 about 0.16σ²,
// where σ² reported no key at all. The share's b is the midpoint between
// the k-th and (k+1)-th largest sample score, k = round(s·m·S): with
// n ≤ 4096 the rows report exactly k keys in all (ties apart). Both are
// known once the keys and queries exist: the sample runs a query row per
// unit before the trace and the rows (in every mode: panel 6 shows it),
// and its b is written into Params.B, so Snapshot().Params.B is the b
// used; until then B is a placeholder nothing is computed with. Changing
// b, the share or the mode reuses the sample; n, d, data, σ, seed and m
// redo it. Softmax keeps its keys by tau: topr (the top r = n^γ of each
// row) or paper (every key scoring ≥ b, b chosen as above); both are
// checked against the dense pass, with the certified bound. Panel 6
// shows the counts per row or (hist = scores) the sample's score
// distribution with b, the weight curve and, for softmax, the share of
// the dense exp-mass the kept keys hold.
//
// The heatmap colours each row relative to its own largest weight
// (attention rows differ by orders of magnitude); the difference map is
// signed (HSR − dense) on a diverging map whose scale never drops below
// 1e-6 of the weights, so ReLU^α rounding noise stays neutral; the
// geometry panel draws at most 2000 keys (an even sample of ids, said in
// its legend); the scaling series averages the same m queries as the
// Numbers panel (its point at n' = n is the Numbers mean); the work shown
// is a counted model, search plus attention against dense
// (docs/contract.md, "What the visualizer's Numbers and Scaling panels
// count"); the numbers panel picks the first of three layouts in which
// every line fits whole (numbersLayout) and reports where each line went
// (Snapshot.NumberLines). "time, index vs scan" is
// measured by its own job once the rows are in, never while the user
// interacts: batches of whole passes over the m queries, alternating
// sides, each side's fastest round (timing.go says why the fastest).
//
// # Your own data and the export
//
// Data kind custom (custom.go) shows loaded .npy files through the same
// jobs: the dataset fills from them a block per unit as it does from
// attention/gen's streams; Params.custom holds them, so data custom is
// valid only while they are loaded and no link carries them. The export
// (export.go) builds the files from the current, complete picture: the
// rows' reported keys, scores and weights as JSON and CSV, Q, K, V as
// .npy, and PNG crops of a frame the platform read; the platform delivers
// them (TakeRequests).
//
// # Where to add things
//
//   - A panel: a new file panel_<name>.go with a type implementing panel
//     (name, title, draw; clicker to take clicks), and one line in
//     newPanels (panel.go). The layout, the numbering, the snapshot and
//     the retained drawing follow (TestAddingAPanel). If it can show
//     results of older parameters, a case in panelFreshness (stale.go).
//   - A data kind: attention/gen (Kind, kindNames, the Stream's rows); the
//     app, the flags, the URL hash and the JS API take it from gen.Kinds.
//   - An index kind: package hsr (IndexKind, indexKindNames, New) and
//     attention's newIndex; everything else takes it from hsr.IndexKinds.
//   - Hover for a new panel: a hit method returning an *Inspection and a
//     case in App.inspectAt (hover.go); draw with a.drawHover at the end.
//   - A lesson chapter or a glossary entry: a text file in assets/lessons
//     or a few lines of assets/glossary.txt (docs/lessons.md); no Go. The
//     lesson (lesson_app.go: Params.Lesson, chapters applied over the
//     defaults; lesson_ui.go: the card, the outline and dimming, panel=,
//     freeze=, the glossary's tooltips) reads them through Chapters.
//   - A glossary tooltip on something a panel draws: a.explain(owner, r,
//     key) where the panel draws it, after a.explainReset(owner).
//   - A JS API call: cmd/wasm/api_js.go (bridge.install), with its Go side
//     as an App method here so it is testable without a browser.
package viz
