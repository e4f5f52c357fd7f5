package wasmbuild

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/template"
)

// EbitenPath is the module whose builtinshader package is patched.
const EbitenPath = "github.com/hajimehoshi/ebiten/v2"

// ShaderFile is the patched file, relative to the module's root.
const ShaderFile = "internal/builtinshader/shader.go"

// ShaderSHA256 is the SHA-256 of ShaderFile in Ebiten v2.8.8, the one file
// the patch was written and checked for: any other is left alone.
const ShaderSHA256 = "932a4a04d35a2bafa2272c9089f963ba5f189d855931af8fc049ead7360f6ebe"

// patchVersion names the patched copy's directory with the file's hash: a
// change of PatchShader changes it, so an older copy is never reused.
const patchVersion = "7"

// Options of Build.
type Options struct {
	Go    string       // the go command ("go" when empty)
	Root  string       // the module root (holds go.mod and cmd/wasm)
	Out   string       // the .wasm to write
	Cache string       // where the patched Ebiten copy is kept (os.UserCacheDir()/hsrviz, or os.TempDir()/hsrviz, when empty)
	Log   func(string) // notes (nil: none)

	// For measurements (internal/cmd/wasmsize): Symbols keeps the name
	// section (no -ldflags="-s -w"), NoPatch builds against Ebiten as it is.
	Symbols, NoPatch bool
}

// Build builds Root's cmd/wasm for GOOS=js GOARCH=wasm into Out, with
// -trimpath -ldflags="-s -w" and, when Ebiten's builtinshader is the known
// one, against a copy of Ebiten whose builtinshader has no text/template.
// It reports whether the patch was applied.
func Build(o Options) (patched bool, err error) {
	if o.Go == "" {
		o.Go = "go"
	}
	logf := func(format string, a ...any) {
		if o.Log != nil {
			o.Log(fmt.Sprintf(format, a...))
		}
	}
	args := []string{"build", "-trimpath"}
	if !o.Symbols {
		args = append(args, "-ldflags=-s -w")
	}
	dir, why := "", "NoPatch"
	if !o.NoPatch {
		var err error
		if dir, why, err = patchedEbiten(o); err != nil {
			return false, err
		}
	}
	if dir != "" {
		modfile, err := modfileWithReplace(o, dir)
		if err != nil {
			return false, err
		}
		args = append(args, "-modfile="+modfile)
		patched = true
	} else {
		logf("wasmbuild: Ebiten not patched (%s): the wasm is ~1.3 MB larger gzipped", why)
	}
	args = append(args, "-o", o.Out, "./cmd/wasm")
	cmd := exec.Command(o.Go, args...)
	cmd.Dir = o.Root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		return false, fmt.Errorf("wasmbuild: %s %s: %v\n%s", o.Go, strings.Join(args, " "), err, out)
	}
	return patched, nil
}

// module is what `go mod download -json` says of a module.
type module struct {
	Path, Version, Dir, Error string
}

// patchedEbiten returns the directory of the patched copy of the Ebiten
// module Root requires, making it if it is not there yet; "" and the
// reason when the patch does not apply.
func patchedEbiten(o Options) (dir, why string, err error) {
	cmd := exec.Command(o.Go, "mod", "download", "-json", EbitenPath)
	cmd.Dir = o.Root
	out, err := cmd.Output()
	var m module
	if jerr := json.Unmarshal(out, &m); jerr != nil || m.Dir == "" {
		return "", "", fmt.Errorf("wasmbuild: go mod download %s: %v %s", EbitenPath, err, m.Error)
	}
	src, err := os.ReadFile(filepath.Join(m.Dir, ShaderFile))
	if err != nil {
		return "", "", fmt.Errorf("wasmbuild: %v", err)
	}
	sum := sha256.Sum256(src)
	if hex.EncodeToString(sum[:]) != ShaderSHA256 {
		return "", fmt.Sprintf("%s@%s's %s is not the one the patch was made for", EbitenPath, m.Version, ShaderFile), nil
	}
	patchedSrc, err := PatchShader(src)
	if err != nil {
		return "", "", err
	}
	cache := o.Cache
	if cache == "" {
		if cache, err = os.UserCacheDir(); err != nil {
			cache = os.TempDir() // no $HOME: a CI runner, say
		}
		cache = filepath.Join(cache, "hsrviz")
	}
	// The second patch (the built-in shaders compiled at build time, see
	// precompile) applies when its two files are the known ones too.
	noPre, err := precompilable(m.Dir)
	if err != nil {
		return "", "", err
	}
	suffix := "-precompiled"
	if noPre != "" {
		suffix = ""
		if o.Log != nil {
			o.Log("wasmbuild: Ebiten's shaders are compiled in the browser at start-up (" + noPre + ")")
		}
	}
	dir = filepath.Join(cache, "ebiten-"+m.Version+"-builtinshader-"+ShaderSHA256[:12]+suffix+"-"+patchVersion)
	if _, err := os.Stat(filepath.Join(dir, ShaderFile)); err == nil {
		return dir, "", nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", "", fmt.Errorf("wasmbuild: %v", err)
	}
	// Copied aside and renamed into place, so that two builds at once (make
	// wasm and the browser tests) never see half a copy.
	tmp, err := os.MkdirTemp(cache, "tmp-ebiten-")
	if err != nil {
		return "", "", fmt.Errorf("wasmbuild: %v", err)
	}
	defer os.RemoveAll(tmp)
	if err := copyModule(m.Dir, tmp); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, ShaderFile), patchedSrc, 0o644); err != nil {
		return "", "", fmt.Errorf("wasmbuild: %v", err)
	}
	if noPre == "" {
		if err := precompile(o, tmp); err != nil {
			return "", "", err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, serr := os.Stat(filepath.Join(dir, ShaderFile)); serr != nil {
			return "", "", fmt.Errorf("wasmbuild: %v", err)
		}
		// Another build put it there first.
	}
	return dir, "", nil
}

// copyModule copies the module at src to dst, without its examples (not
// part of any build).
func copyModule(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			if rel == "examples" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
}

// modfileWithReplace returns a go.mod (with its go.sum beside it): Root's,
// with Ebiten replaced by dir. It lives beside dir, named by a hash of its
// contents, so that the same sources build the same bytes (the build ID
// depends on the file's path) and the link step is cached.
func modfileWithReplace(o Options, dir string) (string, error) {
	mod, err := os.ReadFile(filepath.Join(o.Root, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("wasmbuild: %v", err)
	}
	sum, err := os.ReadFile(filepath.Join(o.Root, "go.sum"))
	if err != nil {
		return "", fmt.Errorf("wasmbuild: %v", err)
	}
	h := sha256.New()
	for _, b := range [][]byte{mod, {0}, sum, {0}, []byte(dir)} {
		h.Write(b)
	}
	final := filepath.Join(filepath.Dir(dir), "modfile-"+hex.EncodeToString(h.Sum(nil))[:16])
	if _, err := os.Stat(filepath.Join(final, "go.sum")); err == nil {
		return filepath.Join(final, "go.mod"), nil
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "tmp-modfile-")
	if err != nil {
		return "", fmt.Errorf("wasmbuild: %v", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), mod, 0o644); err != nil {
		return "", fmt.Errorf("wasmbuild: %v", err)
	}
	cmd := exec.Command(o.Go, "mod", "edit", "-modfile="+filepath.Join(tmp, "go.mod"), "-replace="+EbitenPath+"="+dir)
	cmd.Dir = o.Root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("wasmbuild: go mod edit: %v\n%s", err, out)
	}
	// go.sum last: its presence says the directory is whole.
	if err := os.WriteFile(filepath.Join(tmp, "go.sum"), sum, 0o644); err != nil {
		return "", fmt.Errorf("wasmbuild: %v", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		if _, serr := os.Stat(filepath.Join(final, "go.sum")); serr != nil {
			return "", fmt.Errorf("wasmbuild: %v", err)
		}
	}
	return filepath.Join(final, "go.mod"), nil
}

// The template's parameters (builtinshader's Filter and Address values,
// which the checked file defines as iota constants in this order).
const (
	filterCount  = 2 // FilterNearest, FilterLinear
	addressCount = 3 // AddressUnsafe, AddressClampToZero, AddressRepeat
)

// Rendered executes builtinshader's template (the string literal passed to
// template.Parse in src) for every filter, address and colour-matrix
// choice, with the fields ShaderSource passes it, as ShaderSource would.
func Rendered(src []byte) ([filterCount][addressCount][2]string, error) {
	var out [filterCount][addressCount][2]string
	f, _, err := parseShader(src)
	if err != nil {
		return out, err
	}
	lit, err := templateLiteral(f)
	if err != nil {
		return out, err
	}
	tmpl, err := template.New("tmpl").Parse(lit)
	if err != nil {
		return out, fmt.Errorf("wasmbuild: builtinshader's template: %v", err)
	}
	for fi := 0; fi < filterCount; fi++ {
		for ai := 0; ai < addressCount; ai++ {
			for c := 0; c < 2; c++ {
				var b bytes.Buffer
				if err := tmpl.Execute(&b, struct {
					Filter, FilterNearest, FilterLinear                       int
					Address, AddressUnsafe, AddressClampToZero, AddressRepeat int
					UseColorM                                                 bool
				}{fi, 0, 1, ai, 0, 1, 2, c == 1}); err != nil {
					return out, fmt.Errorf("wasmbuild: builtinshader's template: %v", err)
				}
				out[fi][ai][c] = b.String()
			}
		}
	}
	return out, nil
}

func parseShader(src []byte) (*ast.File, *token.FileSet, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, ShaderFile, src, parser.ParseComments)
	if err != nil {
		return nil, nil, fmt.Errorf("wasmbuild: %v", err)
	}
	return f, fset, nil
}

// tmplDecl is the declaration `var tmpl = template.Must(...Parse(lit))`.
func tmplDecl(f *ast.File) *ast.GenDecl {
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR && len(g.Specs) == 1 {
			if vs, ok := g.Specs[0].(*ast.ValueSpec); ok && len(vs.Names) == 1 && vs.Names[0].Name == "tmpl" {
				return g
			}
		}
	}
	return nil
}

func templateLiteral(f *ast.File) (string, error) {
	g := tmplDecl(f)
	if g == nil {
		return "", errors.New("wasmbuild: builtinshader has no var tmpl")
	}
	var lit string
	ast.Inspect(g, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Parse" && len(call.Args) == 1 {
				if bl, ok := call.Args[0].(*ast.BasicLit); ok && bl.Kind == token.STRING {
					lit, _ = strconv.Unquote(bl.Value)
				}
			}
		}
		return true
	})
	if lit == "" {
		return "", errors.New("wasmbuild: builtinshader's tmpl is not template.Parse of a string literal")
	}
	return lit, nil
}

// PatchShader returns builtinshader's shader.go with the template rendered
// ahead of time: the tmpl variable is gone, ShaderSource returns the
// rendered source of its arguments (the same bytes the template made, one
// slice per choice as before), and the imports only the template used are
// dropped. Everything else is the file as it was.
func PatchShader(src []byte) ([]byte, error) {
	rendered, err := Rendered(src)
	if err != nil {
		return nil, err
	}
	f, fset, err := parseShader(src)
	if err != nil {
		return nil, err
	}
	var fn *ast.FuncDecl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "ShaderSource" {
			fn = fd
		}
	}
	g := tmplDecl(f)
	if fn == nil || fn.Body == nil || g == nil {
		return nil, errors.New("wasmbuild: builtinshader has no ShaderSource or tmpl")
	}
	type edit struct {
		from, to int
		text     string
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	body := "{\n\tvar c int\n\tif useColorM {\n\t\tc = 1\n\t}\n\treturn renderedShaders[filter][address][c]\n}"
	var table strings.Builder
	table.WriteString("\n\n// renderedShaders is tmpl executed for every choice, by hsrviz's\n" +
		"// internal/wasmbuild, so that text/template (whose reflection keeps every\n" +
		"// exported method of the program in the wasm) is not linked.\n" +
		"var renderedShaders = [FilterCount][AddressCount][2][]byte{\n")
	for fi := range rendered {
		table.WriteString("\t{\n")
		for ai := range rendered[fi] {
			table.WriteString("\t\t{" + "[]byte(" + strconv.Quote(rendered[fi][ai][0]) + "), []byte(" + strconv.Quote(rendered[fi][ai][1]) + ")},\n")
		}
		table.WriteString("\t},\n")
	}
	table.WriteString("}\n")
	edits := []edit{
		{off(g.Pos()), off(g.End()), ""},
		{off(fn.Body.Lbrace), off(fn.Body.Rbrace) + 1, body + table.String()},
	}
	// Imports that nothing else uses once the template is gone.
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if n == g || n == fn.Body {
			return false
		}
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if !used[name] {
			edits = append(edits, edit{off(imp.Pos()), off(imp.End()), ""})
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	out := append([]byte(nil), src...)
	for _, e := range edits {
		out = append(out[:e.from], append([]byte(e.text), out[e.to:]...)...)
	}
	res, err := format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("wasmbuild: the patched shader.go: %v", err)
	}
	return res, nil
}
