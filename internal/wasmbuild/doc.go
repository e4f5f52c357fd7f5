// Package wasmbuild builds the browser app, cmd/wasm, the one way both
// `make wasm` (through internal/cmd/wasmbuild) and the browser tests (e2e)
// build it, so that what the tests measure is what users download.
//
// The build is `GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w"`,
// against a copy of Ebiten in which six files differ, each patched only
// if its SHA-256 is the one the patch was made for. First, its
// internal/builtinshader makes the source of its built-in shaders with
// text/template, and text/template calls reflect.Value.MethodByName with
// names it learns at run time. When such a call is linked, the Go linker
// must keep every exported method of every type that is ever converted to
// an interface, in the whole program: all of gonum's BLAS (complex kinds
// too) and LAPACK and mat's methods came along with the engine's *mat.Dense
// (measured: 18.0 MB raw, 4.29 MB gzip -9 with the template; 11.5 MB and
// 3.01 MB without it; docs/performance.md). The copy's
// builtinshader returns the same sources, rendered ahead of time by
// executing Ebiten's own template (PatchShader): the bytes are equal by
// construction, and the package's test checks them against the template.
//
// A second patch (precompile.go) compiles Ebiten's built-in shaders at
// build time. Ebiten compiles them from Kage source in the browser: three
// in internal/restorable's init, the screen shader when the game starts,
// the others when first drawn with; that is go/parser, go/ast and Ebiten's
// internal/shader in the wasm and ~250 ms of the start on the 2-core
// development machine (docs/performance.md). The build writes two small
// programs into the copy (ebitengen/*.go.txt; they import Ebiten's
// internal packages, which only code inside the module may), runs the
// generator natively with the copy's own compiler (graphics.CompileShader,
// the function Ebiten calls) and writes the 14 shaderir.Programs, encoded,
// with a decoder generated for shaderir's types (a function per struct
// type; walking them by reflection took 24-60 ms of the browser's start),
// as the package internal/hsrvizshaders;
// then it runs the checker, which compiles every shader again and fails
// the build unless each decoded program equals it (every field, nil and
// empty slices apart, constants by kind and exact value) and Ebiten's GLSL
// of both is the same text. Then restorable/shader.go, shader.go and
// gameforui.go take their programs from hsrvizshaders (ebiten.NewShader,
// which hsrviz never calls, still compiles). An encoding, not composite
// literals: 14 programs as Go literals were ~126 KB of init code in the
// wasm (the wasm grew), the encoding is data and a decoder of a few KB.
// The generator also stores each program's GLSL ES 3.00, made by
// glsl.Compile, and the OpenGL driver's shader.go is patched to take it
// from hsrvizshaders.GLSL instead of running glsl.Compile (with its
// regexp) when the GPU shader is created; other programs still go through
// glsl.Compile, and the checker fails unless the stored GLSL equals
// glsl.Compile's output for every shader. The Kage compiler's expr.go is
// patched to compile its one package-level regexp when first used: the
// package stays linked (ebiten.NewShader), and its initialisation ran the
// regexp compiler at every start (18-29 ms in a profile). The checker
// runs after the patches, so it compiles with the patched compiler. This
// patch, too, applies only to the files with the known SHA-256s
// (RestorableSHA256, RootShaderSHA256, GameForUISHA256,
// OpenGLShaderSHA256, KageExprSHA256); otherwise the shaders are compiled
// in the browser as before, with a note.
//
// Choices. The patch applies only to the file whose SHA-256 it was made
// for (Ebiten v2.8.8's, ShaderSHA256); any other Ebiten is built as it
// is, with a note, so an upgrade never breaks the build, only grows the
// wasm until the patch is redone. The copy lives in the user's cache
// directory (os.UserCacheDir()/hsrviz), made once and renamed into place
// whole; the build points at it through a go.mod of its own beside it
// (-modfile; named by a hash of its contents, so the same sources build
// the same bytes and the link is cached), so the repository's go.mod, the
// desktop build, go vet and the tests of the other packages keep the
// Ebiten of the module cache. No Ebiten code is
// kept in the repository.
//
// Cost: the first build copies the module (9 MB, without examples),
// builds and runs the generator and the checker natively (~5-10 s) and
// compiles Ebiten's packages once; later builds are cached like any other.
package wasmbuild
