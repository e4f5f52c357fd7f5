// Package assets holds what the apps ship that is not code, embedded in the
// binary so that the browser build (cmd/wasm) and the desktop build
// (cmd/desktop) take it from one place and need no files beside them:
//
//   - fonts/Go-Regular.ttf: the Go Regular font (Bigelow & Holmes, BSD
//     licence in fonts/LICENSE), which both the scene's text metrics
//     (viz/scene) and the Ebiten renderer (viz/ebitenview) use, so that
//     text is measured with the font it is drawn in.
//
// Cost: the files are in the binary (the font is 145 KiB); reading one is
// a slice of the binary's data, no I/O. The returned bytes are shared:
// callers must not modify them.
package assets

import _ "embed"

//go:embed fonts/Go-Regular.ttf
var goRegular []byte

// Font returns the Go Regular font as TrueType bytes (read-only).
func Font() []byte { return goRegular }
