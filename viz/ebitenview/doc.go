// Package ebitenview is the only part of the visualizer that knows Ebiten: a
// thin ebiten.Game that turns mouse, touch, wheel and keys into an
// input.Input for the model (viz.App) and turns the model's scene.Scene into
// pixels (vector shapes, text/v2 with the Go Regular font, cached raster
// uploads). It holds no state of its own besides caches: all behaviour lives
// in the model, which is tested without a display.
//
// Cost per frame: one Scene call plus one draw call per item (Ebiten batches
// consecutive ones); a Raster is uploaded to the GPU only when its Key
// changes. The Go time of Update+Draw is measured and reported to the model
// (Model.FrameWork) so the page can show its frame budget.
//
// The scene is in logical (CSS) pixels; the screen is in device pixels, so
// on a high-DPI display shapes and text are drawn at full resolution and
// pointer positions are divided back to logical pixels.
package ebitenview
