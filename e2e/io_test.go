package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"gonum.org/v1/gonum/mat"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/internal/hsrattntest"
	"github.com/hsrviz/hsrviz/internal/npy"
	"github.com/hsrviz/hsrviz/viz"
)

var hsrattnBuild once

// hsrattnBin builds cmd/hsrattn once.
func hsrattnBin(t *testing.T) string {
	t.Helper()
	return hsrattnBuild.command(t, "hsrattn", "./cmd/hsrattn", "")
}

// tensorFiles writes Q (m×d), K (n×d) and V (n×dv) of known random values
// into dir as Q.npy, K.npy, V.npy and returns the matrices and the bytes.
func tensorFiles(t *testing.T, dir string, seed uint64, m, n, d, dv int) (Q, K, V *mat.Dense, raw [3][]byte) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 3))
	mk := func(r, c int) *mat.Dense {
		x := make([]float64, r*c)
		for i := range x {
			x[i] = rng.NormFloat64() * math.Exp(-float64(i%c)/5)
		}
		return mat.NewDense(r, c, x)
	}
	Q, K, V = mk(m, d), mk(n, d), mk(n, dv)
	for i, x := range []*mat.Dense{Q, K, V} {
		var b bytes.Buffer
		if err := npy.Write(&b, x); err != nil {
			t.Fatal(err)
		}
		raw[i] = b.Bytes()
	}
	if err := hsrattntest.WriteQKV(dir, raw[0], raw[1], raw[2]); err != nil {
		t.Fatal(err)
	}
	return Q, K, V, raw
}

// sameAsHsrattn checks rows against hsrattn run on dir's Q, K, V with
// args: the sets of hsrattn's code path (internal/npy, attention.NewEngine,
// Batch with p) on the same files, and the binary's per-row counts.
func sameAsHsrattn(t *testing.T, what string, rows []viz.ExportRow, dir string, p attention.Params, args ...string) {
	t.Helper()
	counts, err := hsrattntest.Reported(hsrattnBin(t), dir, append([]string{"-q", "Q.npy", "-k", "K.npy", "-v", "V.npy", "-out", "O.npy", "-stats", "S.json"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	var ms [3]*mat.Dense
	for i, f := range hsrattntest.Names {
		if ms[i], err = npy.ReadFile(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	eng, err := attention.NewEngine(ms[1], ms[2], hsr.IndexScan)
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Batch(ms[0], p)
	if err != nil {
		t.Fatal(err)
	}
	var sets [][]int
	for _, r := range res.Rows {
		sets = append(sets, r.Keys)
	}
	sameSets(t, what+" vs hsrattn's path", rows, sets)
	if len(counts) != len(rows) {
		t.Fatalf("%s: %d rows, the hsrattn binary %d", what, len(rows), len(counts))
	}
	for i, r := range rows {
		if len(r.Reported) != counts[i] {
			t.Errorf("%s: row %d: %d keys, the hsrattn binary %d", what, i, len(r.Reported), counts[i])
		}
	}
}

// nativeSets is the reported sets of the native app on p, computed to the end.
func nativeSets(t *testing.T, p viz.Params) [][]int {
	t.Helper()
	native, err := viz.NewApp(p)
	if err != nil {
		t.Fatal(err)
	}
	native.Settle()
	ne, err := native.ExportData()
	if err != nil {
		t.Fatal(err)
	}
	var sets [][]int
	for _, r := range ne.Rows {
		sets = append(sets, r.Reported)
	}
	return sets
}

// evalAwait evaluates a JS expression whose value is a Promise, as a
// string: "ok:<value>" or "rejected:<message>".
func (p *page) evalAwait(expr string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`Promise.resolve().then(() => `+expr+`).then(v => "ok:" + (typeof v === "string" ? v : JSON.stringify(v)), e => "rejected:" + (e instanceof Error ? e.message : "not an Error: " + e))`, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func (p *page) exportData() viz.ExportData {
	p.t.Helper()
	raw, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]byte](`hsrviz.exportData()`))
	if err != nil {
		p.t.Fatal(err)
	}
	var e viz.ExportData
	if err := json.Unmarshal(raw, &e); err != nil {
		p.t.Fatalf("exportData() is not the data: %v\n%.300s", err, raw)
	}
	return e
}

func pngOf(t *testing.T, dataURL string) image.Image {
	t.Helper()
	const pre = "ok:data:image/png;base64,"
	if !strings.HasPrefix(dataURL, pre) {
		t.Fatalf("exportPNG: %.120s", dataURL)
	}
	b, err := base64.StdEncoding.DecodeString(dataURL[len(pre):])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

func sameSets(t *testing.T, what string, rows []viz.ExportRow, sets [][]int) {
	t.Helper()
	if len(rows) != len(sets) {
		t.Fatalf("%s: %d rows, want %d", what, len(rows), len(sets))
	}
	keys := 0
	for i, r := range rows {
		if fmt.Sprint(r.Reported) != fmt.Sprint(sets[i]) && !(len(r.Reported) == 0 && len(sets[i]) == 0) {
			t.Fatalf("%s: row %d: %v, want %v", what, i, r.Reported, sets[i])
		}
		keys += len(r.Reported)
	}
	if keys == 0 {
		t.Fatalf("%s: no key reported: the comparison tells nothing", what)
	}
}

// TestBrowserExportAndLoad: on one page at device pixel ratio 2, the PNG
// exports have the canvas's and a panel's size in device pixels, exportData
// equals the native engine's sets, hsrviz.load shows .npy files written
// here with n, d, m from them and hsrattn's sets, a bad file is refused
// with its message and changes nothing, a drop loads, and data "gaussian"
// goes back.
func TestBrowserExportAndLoad(t *testing.T) {
	p := openPageWith(t, "n=2048&m=12&d=3", false, 2)
	if e, null := p.call(`hsrviz.play(false)`); !null {
		t.Fatal(e)
	}
	s := p.waitSettled("!s.playing")

	view := pngOf(t, p.evalAwait(`hsrviz.exportPNG()`))
	if b := view.Bounds(); b.Dx() != 2*viewW || b.Dy() != 2*viewH {
		t.Errorf("exportPNG(): %v, want %d×%d (canvas × devicePixelRatio)", b, 2*viewW, 2*viewH)
	}
	savePNG(t, "io-export-view.png", view)
	heat, err := panelByName(s.Panels, viz.PanelHeatmap)
	if err != nil {
		t.Fatal(err)
	}
	img := pngOf(t, p.evalAwait(`hsrviz.exportPNG("heatmap")`))
	want := viz.PixelRect(heat, 2, image.Rect(0, 0, 2*viewW, 2*viewH))
	if b := img.Bounds(); b.Dx() != want.Dx() || b.Dy() != want.Dy() {
		t.Errorf("exportPNG(\"heatmap\"): %v, want the region's %d×%d", b, want.Dx(), want.Dy())
	}
	savePNG(t, "io-export-heatmap.png", img)
	if r := p.evalAwait(`hsrviz.exportPNG("nope")`); !strings.HasPrefix(r, "rejected:") || !strings.Contains(r, "heatmap") {
		t.Errorf("exportPNG(\"nope\"): %s (want a rejection naming the panels)", r)
	}

	e := p.exportData()
	sameSets(t, "exportData vs the native engine", e.Rows, nativeSets(t, s.Params))
	if e.Params != s.Params {
		t.Errorf("exportData params %+v, snapshot %+v", e.Params, s.Params)
	}

	// Valid files: shown as data custom with their n, d, m and hsrattn's sets.
	dir := t.TempDir()
	_, _, _, raw := tensorFiles(t, dir, 5, 20, 3000, 16, 4)
	js := func(b []byte) string {
		return `Uint8Array.from(atob("` + base64.StdEncoding.EncodeToString(b) + `"), c => c.charCodeAt(0))`
	}
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`(window.testQ = `+js(raw[0])+`, window.testK = `+js(raw[1])+`, window.testV = `+js(raw[2])+`.buffer, true)`)); err != nil {
		t.Fatal(err)
	}
	if r := p.evalAwait(`hsrviz.load({q: testQ, k: testK, v: testV})`); !strings.HasPrefix(r, "ok:") {
		t.Fatalf("load: %s", r)
	}
	if e, null := p.call(`hsrviz.set({b: 0.5, alpha: 2, index: "auto"})`); !null {
		t.Fatal(e)
	}
	s = p.waitSettled(`s.params.data === "custom" && s.params.b === 0.5`)
	if s.Params.N != 3000 || s.Params.D != 16 || s.Params.M != 20 || s.Numbers["n"] != 3000 || s.Numbers["d"] != 16 {
		t.Fatalf("after load: n %d d %d m %d, numbers n %v d %v", s.Params.N, s.Params.D, s.Params.M, s.Numbers["n"], s.Numbers["d"])
	}
	custom := p.screenshot("io-custom.png")
	checkDrawn(t, "custom data", custom, s.Panels, 2)
	e = p.exportData()
	sameAsHsrattn(t, "custom rows", e.Rows, dir, attention.Params{Kind: attention.ReLU, Alpha: 2, B: 0.5}, "-alpha", "2", "-b", "0.5")

	// A bad file: rejected naming the problem; nothing changes.
	bad := append([]byte(nil), raw[1]...)
	bad = bad[:len(bad)-3]
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`(window.testBad = `+js(bad)+`, true)`)); err != nil {
		t.Fatal(err)
	}
	hash := s.Hash
	if r := p.evalAwait(`hsrviz.load({q: testQ, k: testBad})`); !strings.HasPrefix(r, "rejected:") || !strings.Contains(r, "truncated") {
		t.Errorf("a truncated K: %s", r)
	}
	s2 := p.waitSettled("")
	if s2.Hash != hash || s2.Params != s.Params || !strings.Contains(s2.Error, "truncated") {
		t.Errorf("after a refused load: hash %q (was %q), error %q", s2.Hash, hash, s2.Error)
	}

	// A drop of Q and K (no V) with other shapes loads through index.html.
	_, _, _, raw2 := tensorFiles(t, t.TempDir(), 9, 7, 500, 5, 2)
	drop := `(() => { const dt = new DataTransfer();
		dt.items.add(new File([` + js(raw2[1]) + `], "layer0_k.npy"));
		dt.items.add(new File([` + js(raw2[0]) + `], "layer0_q.npy"));
		window.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true})); return true; })()`
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](drop)); err != nil {
		t.Fatal(err)
	}
	s = p.waitSettled(`s.params.n === 500`)
	if s.Params.D != 5 || s.Params.M != 7 || s.Params.Data.String() != "custom" {
		t.Errorf("after the drop: %+v", s.Params)
	}

	// Back to generated data: the picture before the first load.
	if e, null := p.call(`hsrviz.set({data: "gaussian"})`); !null {
		t.Fatal(e)
	}
	s = p.waitSettled(`s.params.data === "gaussian"`)
	if s.Params.N != 2048 || s.Params.D != 3 || s.Params.M != 12 {
		t.Errorf("back to gaussian: n %d d %d m %d, want 2048, 3, 12", s.Params.N, s.Params.D, s.Params.M)
	}
	// The export button downloads one zip.
	w, err := panelByName(s.Widgets, "export")
	if err != nil {
		t.Fatal(err)
	}
	p.focusCanvas()
	p.mouse("mousePressed", float64(w.X+w.W/2), float64(w.Y+w.H/2), 1)
	p.mouse("mouseReleased", float64(w.X+w.W/2), float64(w.Y+w.H/2), 0)
	p.waitJS("the export download", `!!window.hsrvizLastDownload && hsrvizLastDownload.name.endsWith(".zip") && hsrvizLastDownload.bytes > 1000`)
	s = p.waitSettled(`(s.status || "").includes(".zip")`)
	// Copy link: the page's link, copied (Clipboard API or the copy command).
	w, err = panelByName(s.Widgets, "copy_link")
	if err != nil {
		t.Fatal(err)
	}
	p.mouse("mousePressed", float64(w.X+w.W/2), float64(w.Y+w.H/2), 1)
	p.mouse("mouseReleased", float64(w.X+w.W/2), float64(w.Y+w.H/2), 0)
	s = p.waitSettled(`(s.status || "").startsWith("link copied") || s.error.includes("could not copy")`)
	if !strings.HasPrefix(s.Status, "link copied") {
		t.Errorf("copy link: status %q, error %q", s.Status, s.Error)
	}
	if link, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`hsrvizLastLink === location.href && location.hash === "#" + hsrviz.hash()`)); err != nil || !link {
		t.Errorf("the copied link is not the page's: %v", err)
	}
	p.checkConsoleClean()
}

// TestDesktopExportFlags: -export-png and -export-json write once the
// picture is computed and exit 0; with -q -k -v the JSON is the files'
// picture with hsrattn's sets; a bad path exits 2 and a bad file 1, each
// with its message, writing nothing.
func TestDesktopExportFlags(t *testing.T) {
	bin := desktopBin(t)
	disp := display(t)
	run := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"-width", "1024", "-height", "700"}, args...)...)
		cmd.Env = append(os.Environ(), "DISPLAY="+disp)
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return string(out), ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), 0
	}
	readJSON := func(path string) viz.ExportData {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var e viz.ExportData
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return e
	}
	dir := t.TempDir()
	pngPath, jsonPath := filepath.Join(dir, "view.png"), filepath.Join(dir, "data.json")
	if out, code := run("-n", "1024", "-m", "8", "-d", "3", "-export-png", pngPath, "-export-json", jsonPath); code != 0 ||
		!strings.Contains(out, "wrote "+pngPath) || !strings.Contains(out, "wrote "+jsonPath) {
		t.Fatalf("export flags: exit %d\n%s", code, out)
	}
	img := readPNG(t, pngPath)
	if b := img.Bounds(); b.Dx() != 1024 || b.Dy() != 700 {
		t.Errorf("-export-png: %v, want the 1024×700 window", b)
	}
	e := readJSON(jsonPath)
	sameSets(t, "desktop -export-json vs the native engine", e.Rows, nativeSets(t, e.Params))

	// Your own tensors.
	tdir := t.TempDir()
	_, _, _, raw := tensorFiles(t, tdir, 21, 9, 1500, 6, 3)
	cj := filepath.Join(tdir, "custom.json")
	if out, code := run("-q", filepath.Join(tdir, "Q.npy"), "-k", filepath.Join(tdir, "K.npy"), "-v", filepath.Join(tdir, "V.npy"),
		"-b", "0.4", "-alpha", "3", "-export-json", cj); code != 0 {
		t.Fatalf("-q -k -v: exit %d\n%s", code, out)
	}
	e = readJSON(cj)
	if e.Data.Kind != "custom" || e.Data.N != 1500 || e.Data.D != 6 || e.Data.M != 9 || e.Data.DV != 3 {
		t.Fatalf("custom export: %+v", e.Data)
	}
	sameAsHsrattn(t, "desktop custom", e.Rows, tdir, attention.Params{Kind: attention.ReLU, Alpha: 3, B: 0.4}, "-alpha", "3", "-b", "0.4")

	// Bad path, bad file: an exit status, a message, no file.
	missing := filepath.Join(dir, "nodir", "x.json")
	if out, code := run("-export-json", missing); code != 2 || !strings.Contains(out, "flag -export-json") || !strings.Contains(out, "no such file") {
		t.Errorf("-export-json into a missing directory: exit %d\n%s", code, out)
	}
	bad := filepath.Join(tdir, "bad_k.npy")
	if err := os.WriteFile(bad, raw[1][:len(raw[1])-1], 0o644); err != nil {
		t.Fatal(err)
	}
	never := filepath.Join(tdir, "never.json")
	if out, code := run("-q", filepath.Join(tdir, "Q.npy"), "-k", bad, "-export-json", never); code != 1 || !strings.Contains(out, "truncated") {
		t.Errorf("a truncated K: exit %d\n%s", code, out)
	}
	if out, code := run("-k", bad); code != 2 || !strings.Contains(out, "-q and -k go together") {
		t.Errorf("-k alone: exit %d\n%s", code, out)
	}
	if fileExists(never) || fileExists(missing) {
		t.Error("a refused run wrote a file")
	}
}
