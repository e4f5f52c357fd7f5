package wasmbuild

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The files the second patch changes, with the SHA-256 of Ebiten v2.8.8's
// versions: RestorableFile compiles three built-in shaders from Kage in
// its init, RootShaderFile the other built-in ones when first drawn with,
// GameForUIFile the screen shader when the game starts, OpenGLShaderFile
// makes a program's GLSL (glsl.Compile) when the GPU shader is created,
// KageExprFile compiles a regexp at package initialisation though only
// the Kage compiler (ebiten.NewShader, never called by hsrviz) uses it.
const (
	GameForUIFile   = "gameforui.go"
	GameForUISHA256 = "49754a4a19b5e35d07640474110e5eee5c04716d76ffb618e68b24659b32a129"

	RestorableFile        = "internal/restorable/shader.go"
	RestorableSHA256      = "b23bb40e1b525144b584e35be11c1c11f249780afb2981db3a1172806ab0dad0"
	RootShaderFile        = "shader.go"
	RootShaderSHA256      = "b54c8515a1b70dcbd5522b56f7fb93ce80668eadc450136c668a173a64809e7b"
	OpenGLShaderFile      = "internal/graphicsdriver/opengl/shader.go"
	OpenGLShaderSHA256    = "849363a9d6b3ea3337abb617a67634bdf795704c2d126c05e083d574845a75ab"
	KageExprFile          = "internal/shader/expr.go"
	KageExprSHA256        = "62e8769226d1219c565fb133d9ddc18d788467f0cff93d7e68f886b7aefa4e60"
	precompiledPkg        = "internal/hsrvizshaders"
	genPkg, checkPkg      = "internal/hsrvizgen", "internal/hsrvizcheck"
	precompiledImportPath = EbitenPath + "/" + precompiledPkg
)

// The generator and the checker, written into the copy and run there
// (they import Ebiten's internal packages, which only code inside the
// module may).
var (
	//go:embed ebitengen/gen.go.txt
	genSource string
	//go:embed ebitengen/check.go.txt
	checkSource string
)

// replaceOnce replaces the one occurrence of old in s, or fails.
func replaceOnce(s, old, new, file string) (string, error) {
	if strings.Count(s, old) != 1 {
		return "", fmt.Errorf("wasmbuild: %s: the text to patch is not there once", file)
	}
	return strings.Replace(s, old, new, 1), nil
}

// edit is one replacement of a patch: old must occur exactly once.
type edit struct{ old, new string }

// replaceEach applies the edits to src in order, each to exactly one
// occurrence, or fails naming file.
func replaceEach(src []byte, file string, edits ...edit) ([]byte, error) {
	s := string(src)
	for _, e := range edits {
		var err error
		if s, err = replaceOnce(s, e.old, e.new, file); err != nil {
			return nil, err
		}
	}
	return []byte(s), nil
}

// PatchRestorable returns internal/restorable/shader.go with its init
// taking the three programs from hsrvizshaders instead of compiling them.
func PatchRestorable(src []byte) ([]byte, error) {
	s := string(src)
	var err error
	if s, err = replaceOnce(s, `import (
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/hajimehoshi/ebiten/v2/internal/builtinshader"
	"github.com/hajimehoshi/ebiten/v2/internal/graphics"
	"github.com/hajimehoshi/ebiten/v2/internal/graphicscommand"
	"github.com/hajimehoshi/ebiten/v2/internal/shaderir"
)`, `import (
	"github.com/hajimehoshi/ebiten/v2/internal/builtinshader"
	"github.com/hajimehoshi/ebiten/v2/internal/graphicscommand"
	"`+precompiledImportPath+`"
	"github.com/hajimehoshi/ebiten/v2/internal/shaderir"
)`, RestorableFile); err != nil {
		return nil, err
	}
	i := strings.Index(s, "func init() {\n\tvar wg errgroup.Group")
	if i < 0 || !strings.HasSuffix(s, "\tclearShader = NewShader(clearIR, \"clear\")\n}\n") {
		return nil, fmt.Errorf("wasmbuild: %s: the init to patch is not there", RestorableFile)
	}
	s = s[:i] + `// init takes the programs compiled at build time by Ebiten's own
// compiler (hsrviz's internal/wasmbuild), instead of compiling them from
// Kage source here.
func init() {
	NearestFilterShader = NewShader(hsrvizshaders.Builtin(builtinshader.FilterNearest, builtinshader.AddressUnsafe, false), "nearest")
	LinearFilterShader = NewShader(hsrvizshaders.Builtin(builtinshader.FilterLinear, builtinshader.AddressUnsafe, false), "linear")
	clearShader = NewShader(hsrvizshaders.Clear(), "clear")
}
`
	return []byte(s), nil
}

// PatchRootShader returns Ebiten's shader.go with builtinShader taking
// its program from hsrvizshaders instead of compiling the source.
func PatchRootShader(src []byte) ([]byte, error) {
	return replaceEach(src, RootShaderFile,
		edit{`import (
	"fmt"
	"sync"

	"github.com/hajimehoshi/ebiten/v2/internal/builtinshader"
	"github.com/hajimehoshi/ebiten/v2/internal/graphics"
`, `import (
	"sync"

	"github.com/hajimehoshi/ebiten/v2/internal/builtinshader"
	"github.com/hajimehoshi/ebiten/v2/internal/graphics"
	"` + precompiledImportPath + `"
`},
		edit{"\t\tsrc := builtinshader.ShaderSource(filter, address, useColorM)\n",
			"\t\tir := hsrvizshaders.Builtin(filter, address, useColorM) // compiled at build time\n"},
		edit{`		s, err := newShader(src, name)
		if err != nil {
			panic(fmt.Sprintf("ebiten: NewShader for a built-in shader failed: %v", err))
		}
		shader = s
`, `		shader = &Shader{shader: ui.NewShader(ir, name), unit: ir.Unit}
`},
	)
}

// PatchGameForUI returns Ebiten's gameforui.go with the screen shader
// taken from hsrvizshaders instead of compiled when the game starts.
func PatchGameForUI(src []byte) ([]byte, error) {
	return replaceEach(src, GameForUIFile,
		edit{`import (
	"fmt"
	"image"
`, `import (
	"image"
`},
		edit{`	"github.com/hajimehoshi/ebiten/v2/internal/builtinshader"
	"github.com/hajimehoshi/ebiten/v2/internal/ui"
`, `	"` + precompiledImportPath + `"
	"github.com/hajimehoshi/ebiten/v2/internal/ui"
`},
		edit{`	s, err := newShader(builtinshader.ScreenShaderSource, "screen")
	if err != nil {
		panic(fmt.Sprintf("ebiten: compiling the screen shader failed: %v", err))
	}
	g.screenShader = s
`, `	ir := hsrvizshaders.Screen() // compiled at build time
	g.screenShader = &Shader{shader: ui.NewShader(ir, "screen"), unit: ir.Unit}
`},
	)
}

// PatchOpenGLShader returns the OpenGL driver's shader.go with the GLSL of
// a precompiled program taken from hsrvizshaders (made at build time by
// glsl.Compile) instead of made when the shader is created; any other
// program, or another GLSL version, still goes through glsl.Compile.
func PatchOpenGLShader(src []byte) ([]byte, error) {
	return replaceEach(src, OpenGLShaderFile,
		edit{`	"github.com/hajimehoshi/ebiten/v2/internal/graphicsdriver/opengl/gl"
`, `	"github.com/hajimehoshi/ebiten/v2/internal/graphicsdriver/opengl/gl"
	"` + precompiledImportPath + `"
`},
		edit{"\tvssrc, fssrc := glsl.Compile(s.ir, s.graphics.context.glslVersion())\n",
			`	// A built-in shader's GLSL was made at build time (hsrviz's internal/wasmbuild).
	vssrc, fssrc, ok := hsrvizshaders.GLSL(s.ir, s.graphics.context.glslVersion())
	if !ok {
		vssrc, fssrc = glsl.Compile(s.ir, s.graphics.context.glslVersion())
	}
`},
	)
}

// PatchKageExpr returns the Kage compiler's expr.go with its package-level
// regexp compiled when first used instead of at every start (18-29 ms of
// the browser app's start in a CPU profile, docs/performance.md): the same
// expression, the same calls.
func PatchKageExpr(src []byte) ([]byte, error) {
	return replaceEach(src, KageExprFile,
		edit{"\t\"strings\"\n", "\t\"strings\"\n\t\"sync\"\n"},
		edit{"var textureVariableRe = regexp.MustCompile(`\\A__t(\\d+)\\z`)\n",
			"// Compiled when first used (hsrviz's internal/wasmbuild), not at every start.\n" +
				"var textureVariableRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\\A__t(\\d+)\\z`) })\n"},
		edit{"textureVariableRe.FindStringSubmatch(", "textureVariableRe().FindStringSubmatch("},
	)
}

// precompilable says whether the two files are the ones the second patch
// was made for, and if not, why.
func precompilable(moduleDir string) (string, error) {
	for _, f := range []struct{ name, sum string }{{RestorableFile, RestorableSHA256}, {RootShaderFile, RootShaderSHA256}, {GameForUIFile, GameForUISHA256}, {OpenGLShaderFile, OpenGLShaderSHA256}, {KageExprFile, KageExprSHA256}} {
		src, err := os.ReadFile(filepath.Join(moduleDir, f.name))
		if err != nil {
			return "", fmt.Errorf("wasmbuild: %v", err)
		}
		sum := sha256.Sum256(src)
		if hex.EncodeToString(sum[:]) != f.sum {
			return f.name + " is not the one the precompiled-shader patch was made for", nil
		}
	}
	return "", nil
}

// precompile patches the copy at dir (a whole copy of the module, with
// builtinshader patched already) so that Ebiten's built-in shaders are
// compiled here, at build time: it writes hsrvizgen and hsrvizcheck into
// it, runs the generator natively with Ebiten's own compiler (writing
// hsrvizshaders), patches the files that compiled them or their GLSL at
// run time and the Kage compiler's package-level regexp, then runs the
// checker on the patched copy (every program equal to a fresh compilation
// by the patched compiler, and its GLSL). Any failure fails the build.
func precompile(o Options, dir string) error {
	for _, p := range []struct{ pkg, src string }{{genPkg, genSource}, {checkPkg, checkSource}} {
		if err := os.MkdirAll(filepath.Join(dir, p.pkg), 0o755); err != nil {
			return fmt.Errorf("wasmbuild: %v", err)
		}
		if err := os.WriteFile(filepath.Join(dir, p.pkg, "main.go"), []byte(p.src), 0o644); err != nil {
			return fmt.Errorf("wasmbuild: %v", err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, precompiledPkg), 0o755); err != nil {
		return fmt.Errorf("wasmbuild: %v", err)
	}
	modfile, err := modfileWithReplace(o, dir)
	if err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Dir(modfile))
	run := func(args ...string) error {
		cmd := exec.Command(o.Go, append([]string{"run", "-modfile=" + modfile}, args...)...)
		cmd.Dir = o.Root
		cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=", "CGO_ENABLED=0") // native
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("wasmbuild: go run %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	if err := run(EbitenPath+"/"+genPkg, filepath.Join(dir, precompiledPkg, "shaders.go")); err != nil {
		return err
	}
	for _, f := range []struct {
		name  string
		patch func([]byte) ([]byte, error)
	}{{RestorableFile, PatchRestorable}, {RootShaderFile, PatchRootShader}, {GameForUIFile, PatchGameForUI}, {OpenGLShaderFile, PatchOpenGLShader}, {KageExprFile, PatchKageExpr}} {
		path := filepath.Join(dir, f.name)
		src, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("wasmbuild: %v", err)
		}
		out, err := f.patch(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, out, 0o644); err != nil {
			return fmt.Errorf("wasmbuild: %v", err)
		}
	}
	// The checker runs on the patched copy: the Kage compiler it compiles
	// with is the patched one, so its programs equal the generator's too.
	if err := run(EbitenPath + "/" + checkPkg); err != nil {
		return err
	}
	return nil
}
