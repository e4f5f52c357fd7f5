// Command wasm is the browser build of the visualizer:
//
//	GOOS=js GOARCH=wasm go build -o web/hsrviz.wasm ./cmd/wasm
//
// works; `make wasm` (go run ./internal/cmd/wasmbuild) builds what is served,
// stripped and against Ebiten with its built-in shaders rendered, compiled
// and turned into GLSL at build time: 2.7 MB gzipped instead of 4.3, and
// no shader compiled at start (package internal/wasmbuild says why).
//
// web/index.html loads it. The URL hash holds the whole state (viz.Params):
// a link reproduces the picture, a bad hash shows an error naming the bad
// field and starts from the defaults, and the hash follows the parameters
// as they change. A small JavaScript API lets lesson pages and tests drive it:
//
//	hsrviz.get()      the current snapshot (params, numbers, panels, widgets, frame stats)
//	hsrviz.set(obj)   change parameters, e.g. {b: 1.2}; null, or an error string (nothing changed)
//	hsrviz.step(n)    step the query trace animation by n (negative: back)
//	hsrviz.play(on)   play / pause the animation
//	hsrviz.hash()     the current URL-hash encoding of the parameters
//	hsrviz.metrics()  load and frame budget: firstFrameMs, readyMs, wasm bytes; the Go work per
//	                  frame (Update+Draw) and its parts, p50/p95 of the last 240 frames; the
//	                  whole animation-frame callbacks (rafCallback, rafInterval); and the last
//	                  1024 frames one by one (recent.work/update/scene/render/raf/rafGap, with
//	                  the counts frames and rafFrames), to measure exactly an interaction;
//	                  asleep: no frames are drawn until input or a set/step/play call
//	                  longUnits: the last 1024 units of compute over 10 ms {kind, at, ms} and
//	                  gc: {num, pauseTotalMs, pauses: [{end, ms}]}, on the page's clock
//	                  (performance.now): what a long frame gap held
//	hsrviz.inspect(x, y)  what hovering at canvas point (x, y) (CSS pixels) shows: {panel, kind,
//	                  query, key, step, dot, score, weight, dense_weight, reported, text}, or null
//	                  (viz.App.Inspect, the tooltip's own hit test; api_inspect_js.go)
//	hsrviz.ready      true once the first full compute is done
//	hsrviz.exportPNG(panel?)  a Promise of a PNG data URL of the view or a panel (api_io_js.go)
//	hsrviz.exportData()       the picture's rows, numbers and parameters (viz.ExportData)
//	hsrviz.load({q, k, v})    show your own .npy files; a Promise (rejected: nothing changed)
//	hsrviz.lesson()   {chapters: [{id, title}], current}; lesson(k) or lesson(id) opens a
//	                  chapter with its parameters, lesson(-1) leaves the lesson (api_lesson_js.go)
//
// Bad calls (wrong types, unknown fields) return an error string (the
// Promise-returning calls reject with an Error); they never throw.
package main
