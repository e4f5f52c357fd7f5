package wasmbuild

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestPrecompiledShaders makes the patched copy of Ebiten in a fresh
// cache, which compiles the built-in shaders with Ebiten's own compiler
// and fails unless hsrvizcheck finds every precompiled program equal to a
// fresh compilation (fields, exact constants, the GLSL). Then it swaps
// two programs in the generated file and checks that hsrvizcheck fails:
// the check is not vacuous. And the three patched files no longer compile
// Kage at run time.
func TestPrecompiledShaders(t *testing.T) {
	ebitenShader(t) // skips unless Ebiten is the version the patches were made for
	if testing.Short() {
		t.Skip("builds Ebiten's shader compiler natively (~10 s)")
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Go: goTool, Root: root, Cache: t.TempDir()}
	dir, why, err := patchedEbiten(o)
	if err != nil {
		t.Fatal(err)
	}
	if dir == "" || !strings.Contains(filepath.Base(dir), "-precompiled-") {
		t.Fatalf("not precompiled: dir %q, %s", dir, why)
	}
	for _, f := range []string{RestorableFile, RootShaderFile, GameForUIFile, OpenGLShaderFile} {
		src, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		// (shader.go keeps newShader for ebiten.NewShader, which hsrviz never calls.)
		if strings.Contains(string(src), "CompileShader([]byte(builtinshader") || strings.Contains(string(src), "newShader(src, name)") ||
			strings.Contains(string(src), "newShader(builtinshader") {
			t.Errorf("%s still compiles a built-in shader at run time", f)
		}
		if !strings.Contains(string(src), "hsrvizshaders.") {
			t.Errorf("%s does not use the precompiled shaders", f)
		}
	}

	expr, err := os.ReadFile(filepath.Join(dir, KageExprFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(expr), "var textureVariableRe = sync.OnceValue(") {
		t.Errorf("%s still compiles its regexp at package initialisation", KageExprFile)
	}

	// Swap the clear and screen programs: the checker must object.
	gen := filepath.Join(dir, precompiledPkg, "shaders.go")
	src, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	swapped := strings.NewReplacer("var clearData =", "var screenData =", "var screenData =", "var clearData =").Replace(string(src))
	if swapped == string(src) {
		t.Fatal("the generated file has no clearData/screenData to swap")
	}
	if err := os.WriteFile(gen, []byte(swapped), 0o644); err != nil {
		t.Fatal(err)
	}
	modfile, err := modfileWithReplace(o, dir)
	if err != nil {
		t.Fatal(err)
	}
	check := func() (string, error) {
		cmd := exec.Command(goTool, "run", "-modfile="+modfile, EbitenPath+"/"+checkPkg)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=", "CGO_ENABLED=0")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := check()
	if err == nil {
		t.Fatalf("hsrvizcheck passed with two programs swapped:\n%s", out)
	}
	if !strings.Contains(out, "clear") {
		t.Errorf("hsrvizcheck failed, but not on the clear program:\n%s", out)
	}

	// One more blank line in the first stored GLSL (the clear program's
	// vertex shader): the checker must object to the GLSL.
	changed := strings.Replace(string(src), `"#version 300 es\n\n`, `"#version 300 es\n\n\n`, 1)
	if changed == string(src) {
		t.Fatal("the generated file has no GLSL ES 3.00 to change")
	}
	if err := os.WriteFile(gen, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err = check(); err == nil {
		t.Fatalf("hsrvizcheck passed with a stored GLSL changed:\n%s", out)
	}
	if !strings.Contains(out, "GLSL") {
		t.Errorf("hsrvizcheck failed, but not on the GLSL:\n%s", out)
	}
}
