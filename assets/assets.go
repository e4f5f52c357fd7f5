// Package assets holds what the apps ship that is not code, embedded in the
// binary so that the browser build (cmd/wasm) and the desktop build
// (cmd/desktop) take it from one place and need no files beside them:
//
//   - fonts/Go-Regular.ttf: the Go Regular font (Bigelow & Holmes, BSD
//     licence in fonts/LICENSE), which both the scene's text metrics
//     (viz/scene) and the Ebiten renderer (viz/ebitenview) use, so that
//     text is measured with the font it is drawn in.
//   - lessons/NN-id.txt: the guided lesson, one chapter a file, and
//     glossary.txt: what every control, panel and number is (format and
//     parser: package viz/lesson). A lecturer edits or adds a file and
//     rebuilds; no Go changes.
//
// Cost: the files are in the binary (the font is 145 KiB); reading one is
// a slice of the binary's data, no I/O. The returned bytes are shared:
// callers must not modify them.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed fonts/Go-Regular.ttf
var goRegular []byte

// Font returns the Go Regular font as TrueType bytes (read-only).
func Font() []byte { return goRegular }

//go:embed lessons/*.txt
var lessons embed.FS

//go:embed glossary.txt
var glossary []byte

// Lessons returns the chapter files: LessonsDir of the returned FS holds
// NN-id.txt files.
func Lessons() fs.FS { return lessons }

// LessonsDir is the directory of the chapter files in Lessons().
const LessonsDir = "lessons"

// Glossary returns glossary.txt (read-only).
func Glossary() []byte { return glossary }
