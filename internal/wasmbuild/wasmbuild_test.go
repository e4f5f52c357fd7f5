package wasmbuild

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// ebitenShader reads builtinshader/shader.go of the Ebiten this module
// requires, from the module cache.
func ebitenShader(t *testing.T) []byte {
	t.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	cmd := exec.Command(goTool, "mod", "download", "-json", EbitenPath)
	out, err := cmd.Output()
	var m module
	if jerr := json.Unmarshal(out, &m); jerr != nil || m.Dir == "" {
		t.Fatalf("go mod download %s: %v %v %s", EbitenPath, err, jerr, m.Error)
	}
	src, err := os.ReadFile(filepath.Join(m.Dir, ShaderFile))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(src)
	if hex.EncodeToString(sum[:]) != ShaderSHA256 {
		t.Skipf("%s@%s's %s is not the file the patch was made for: the build leaves it alone", EbitenPath, m.Version, ShaderFile)
	}
	return src
}

// TestPatchShaderSameSources: the patched file returns, for every choice,
// the bytes Ebiten's template makes; it no longer imports text/template,
// and everything but tmpl and ShaderSource's body is unchanged.
func TestPatchShaderSameSources(t *testing.T) {
	src := ebitenShader(t)
	want, err := Rendered(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := PatchShader(src)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "shader.go", got, 0)
	if err != nil {
		t.Fatalf("the patched file does not parse: %v", err)
	}
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "text/template" || p == "reflect" {
			t.Errorf("the patched file still imports %s", p)
		}
	}
	// The table's 12 literals, in order: [filter][address][colorM].
	var lits []string
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Names) == 1 && vs.Names[0].Name == "renderedShaders" {
			ast.Inspect(vs, func(n ast.Node) bool {
				if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
					s, _ := strconv.Unquote(bl.Value)
					lits = append(lits, s)
				}
				return true
			})
			return false
		}
		return true
	})
	if len(lits) != filterCount*addressCount*2 {
		t.Fatalf("renderedShaders has %d sources, want %d", len(lits), filterCount*addressCount*2)
	}
	i := 0
	for fi := range want {
		for ai := range want[fi] {
			for c := range want[fi][ai] {
				if lits[i] != want[fi][ai][c] {
					t.Errorf("filter %d, address %d, colorM %d: the patched source differs from the template's", fi, ai, c)
				}
				if !strings.Contains(lits[i], "func Fragment(") {
					t.Errorf("filter %d, address %d, colorM %d: no Fragment in %q", fi, ai, c, lits[i])
				}
				i++
			}
		}
	}
	// The rest of the file: every declaration but tmpl is still there.
	orig, _ := parser.ParseFile(token.NewFileSet(), "shader.go", src, 0)
	names := func(f *ast.File) map[string]bool {
		m := map[string]bool{}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				m[d.Name.Name] = true
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							m[n.Name] = true
						}
					case *ast.TypeSpec:
						m[s.Name.Name] = true
					}
				}
			}
		}
		return m
	}
	after := names(f)
	for n := range names(orig) {
		if n != "tmpl" && !after[n] {
			t.Errorf("the patched file lost %s", n)
		}
	}
	if after["tmpl"] {
		t.Error("the patched file still has tmpl")
	}
}
