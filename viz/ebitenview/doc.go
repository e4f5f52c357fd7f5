// Package ebitenview is the only part of the visualizer that knows Ebiten: a
// thin ebiten.Game that turns mouse, touch, wheel and keys into an
// input.Input for the model (viz.App) and turns the model's scene.Scene into
// pixels (feathered triangles for shapes, glyphs of the Go Regular font from
// one sheet, cached raster uploads). It holds no state of its own besides
// caches: all behaviour lives in the model, which is tested without a display.
//
// Cost per frame: the screen is kept between frames and only the regions
// around the items that changed are redrawn, clipped (retain.go: a moved
// rectangle edge or polygon corner dirties only what it sweeps; the regions
// are kept disjoint, and two are joined only when their box adds under 16k
// pixels or a frame has more than 8, since each region costs draw calls
// again; past 32 regions in a group, as while a large index builds, they
// become their bounding box, since keeping them apart costs time cubic in
// their number); no frame is drawn at all while nothing animates or computes and no input arrives
// (Game.Update); shapes and text of a group go to the GPU in one
// draw call, because glyphs and the shapes' white pixel share one image; a
// Raster is uploaded only when its Key changes, and only its changed part
// when it says what changed. The Go time of Update and Draw is measured and
// reported to the model (Model.FrameWork) and, per part, by Breakdown and
// Recent, so the page can show its frame budget.
//
// Presenting: Ebiten's OpenGL driver fills the whole window every presented
// frame (a clear quad, then the copy of the offscreen image the Game draws
// on). Game.Present tells the platform, after each Draw, which rectangles
// of that image changed (Renderer.Painted), or that all may have: the
// browser page keeps the canvas's pixels (preserveDrawingBuffer) and cuts
// both quads to those rectangles with the scissor box (web/index.html's
// hsrvizPresent), which halves a drag's CPU time with a software GL. The
// desktop leaves Present unset (a swap chain's back buffer is not kept), so
// nothing changes there. The rectangles are exact only if Ebiten copies the
// image pixel for pixel, i.e. the window's size times the device scale is
// whole; otherwise, and whenever unsure, the present is whole.
//
// The scene is in logical (CSS) pixels; the screen is in device pixels, so
// on a high-DPI display shapes and text are drawn at full resolution and
// pointer positions are divided back to logical pixels.
package ebitenview
