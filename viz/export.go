package viz

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/internal/npy"
)

// Export: the picture as PNG (the whole view and each panel, at the device
// pixel ratio), the data behind it as JSON and CSV, and Q, K, V as .npy so
// that cmd/hsrattn checks the same tensors. The bytes are built here, free
// of any platform; the platform reads the frame's pixels (ebitenview's
// AfterDraw) and delivers the files (a download in the browser, files in a
// directory on the desktop).
//
// Everything exported is the current picture: the rows of the current
// parameters, complete (ExportData refuses while they compute).

// ExportRow is one query row of the picture: the keys the engine reported
// (ascending), their scores s = ⟨q, k⟩/√d and their attention weights
// normalised over the row (they sum to 1; the output is Σ weight·v).
type ExportRow struct {
	Query      int       `json:"query"`
	Reported   []int     `json:"reported"`
	Scores     []float64 `json:"scores"`
	Weights    []float64 `json:"weights"`
	Threshold  *float64  `json:"threshold,omitempty"`   // b (ReLU^α) or the row's τ_i (softmax), score units
	ErrorBound *float64  `json:"error_bound,omitempty"` // softmax: the certified ‖o_i − ô_i‖∞
}

// ExportSource says where the data came from.
type ExportSource struct {
	Kind  string   `json:"kind"` // a generated kind or "custom"
	N     int      `json:"n"`
	D     int      `json:"d"`
	M     int      `json:"m"`
	DV    int      `json:"dv"`
	Files []string `json:"files,omitempty"` // custom: Q, K, V file names ("" for generated values)
	Note  string   `json:"note,omitempty"`
}

// ExportData is the data behind the picture (hsrviz.exportData()).
type ExportData struct {
	Params  Params       `json:"params"`
	Hash    string       `json:"hash"`
	Data    ExportSource `json:"data"`
	Numbers Numbers      `json:"numbers"`
	Rows    []ExportRow  `json:"rows"`
	// Hsrattn is the command that recomputes the rows' reported counts
	// from the exported q.npy, k.npy, v.npy.
	Hsrattn string `json:"hsrattn"`
}

// errComputing: the picture is not complete yet.
var errComputing = errors.New("the rows of the current parameters are still computing; export when the progress bar is gone")

// ExportData returns the data behind the current picture, or an error while
// it is computing.
func (a *App) ExportData() (ExportData, error) {
	jb := a.shownRows
	if !a.everReady || jb == nil || jb.key != a.rowsKey() || a.data == nil || !a.data.ready {
		return ExportData{}, errComputing
	}
	ds := a.data
	d := ds.d
	nums, _ := a.numbers()
	out := ExportData{Params: a.p, Hash: a.p.Hash(), Numbers: nums, Hsrattn: a.hsrattnCommand()}
	out.Data = ExportSource{Kind: a.p.Data.String(), N: ds.n, D: d, M: jb.m, DV: ds.dv}
	if t := a.p.customTensors(); t != nil {
		out.Data.Files = t.Names[:]
		out.Data.Note = t.Describe()
	}
	finite := func(x float64) *float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		return &x
	}
	out.Rows = make([]ExportRow, jb.m)
	for i := range jb.rows {
		r := &jb.rows[i].row
		q := a.q[i*d : (i+1)*d]
		row := ExportRow{Query: i, Reported: append([]int{}, r.Keys...), Scores: make([]float64, len(r.Keys)),
			Weights: make([]float64, len(r.Keys)), Threshold: finite(r.Threshold)}
		if a.p.Kind == attention.Softmax {
			row.ErrorBound = finite(r.ErrorBound)
		}
		var sum float64
		for _, w := range r.Weights {
			sum += w
		}
		// Keys are ascending (attention.Row); sort anyway with their weights.
		idx := make([]int, len(r.Keys))
		for x := range idx {
			idx[x] = x
		}
		sort.SliceStable(idx, func(u, v int) bool { return r.Keys[idx[u]] < r.Keys[idx[v]] })
		for x, y := range idx {
			j := r.Keys[y]
			row.Reported[x] = j
			_, row.Scores[x] = ds.score(q, j)
			if sum > 0 {
				row.Weights[x] = r.Weights[y] / sum
			}
		}
		out.Rows[i] = row
	}
	return out, nil
}

// hsrattnCommand is the hsrattn command line computing the current
// picture's rows from the exported files.
func (a *App) hsrattnCommand() string {
	p := a.p
	c := "hsrattn -q q.npy -k k.npy -v v.npy -out o.npy -stats stats.json -index " + p.Index.String()
	if p.Kind == attention.Softmax {
		if ap := p.attention(); ap.TopR == 0 {
			return c + " -kind softmax -tau " + strconv.FormatFloat(ap.Tau, 'g', -1, 64)
		}
		return c + " -kind softmax -topr " + strconv.Itoa(p.TopR())
	}
	return c + " -alpha " + strconv.Itoa(p.Alpha) + " -b " + strconv.FormatFloat(p.B, 'g', -1, 64)
}

// fmtCSVFloat writes a float exactly (shortest round-trip form).
func fmtCSVFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// RowsCSV is the rows as CSV: a header "query,key,score,weight" and one
// line per reported key, rows in query order, keys ascending (a row with no
// key has no line). Floats in their shortest exact form.
func (e ExportData) RowsCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"query", "key", "score", "weight"})
	for _, r := range e.Rows {
		for x, j := range r.Reported {
			_ = w.Write([]string{strconv.Itoa(r.Query), strconv.Itoa(j), fmtCSVFloat(r.Scores[x]), fmtCSVFloat(r.Weights[x])})
		}
	}
	w.Flush()
	return b.Bytes()
}

// NumbersCSV is the parameters and the numbers panel as CSV lines
// "name,value" (parameters first, as "param.<name>"; a number that does
// not exist for the setting shown has an empty value).
func (e ExportData) NumbersCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"name", "value"})
	f := e.Params.fields()
	for _, k := range hashOrder {
		if v, ok := f[k]; ok {
			_ = w.Write([]string{"param." + k, v})
		}
	}
	for _, k := range sortedKeys(e.Numbers) {
		v := ""
		if x := e.Numbers[k]; !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = fmtCSVFloat(x)
		}
		_ = w.Write([]string{k, v})
	}
	w.Flush()
	return b.Bytes()
}

// ExportNPY returns Q (the m queries shown), K and V as float64 .npy
// files: exactly the matrices the engine used.
func (a *App) ExportNPY() (q, k, v []byte, err error) {
	ds := a.data
	if ds == nil || !ds.ready || len(a.q) != a.p.M*ds.d {
		return nil, nil, nil, errComputing
	}
	enc := func(r, c int, x []float64) ([]byte, error) {
		var b bytes.Buffer
		if err := npy.Write(&b, mat.NewDense(r, c, x)); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	if q, err = enc(a.p.M, ds.d, a.q); err != nil {
		return
	}
	if k, err = enc(ds.n, ds.d, ds.K); err != nil {
		return
	}
	v, err = enc(ds.n, ds.dv, ds.V)
	return
}

// PanelNames are the names exportPNG takes: the panels (and the control
// column) of the last laid-out scene, as in Snapshot().Panels.
func (a *App) PanelNames() []string {
	out := make([]string, len(a.ui.panels))
	for i, r := range a.ui.panels {
		out[i] = r.Name
	}
	return out
}

// PanelRegion is the region of the named panel in the last laid-out scene
// (logical pixels); "" is the whole view. An unknown name is an error
// naming the valid ones.
func (a *App) PanelRegion(name string) (Region, error) {
	if name == "" {
		return Region{Name: "view", W: float32(a.ui.w), H: float32(a.ui.h)}, nil
	}
	for _, r := range a.ui.panels {
		if r.Name == name {
			return r, nil
		}
	}
	return Region{}, fmt.Errorf("exportPNG: unknown panel %q (panels: %s; none for the whole view)", name, strings.Join(a.PanelNames(), ", "))
}

// PixelRect is region r (logical pixels) in device pixels at scale: the
// smallest whole-pixel rectangle holding it (floor of the top left, ceil of
// the bottom right), clipped to bounds.
func PixelRect(r Region, scale float64, bounds image.Rectangle) image.Rectangle {
	x0 := int(math.Floor(float64(r.X) * scale))
	y0 := int(math.Floor(float64(r.Y) * scale))
	x1 := int(math.Ceil(float64(r.X+r.W) * scale))
	y1 := int(math.Ceil(float64(r.Y+r.H) * scale))
	return image.Rect(x0, y0, x1, y1).Intersect(bounds)
}

// CropPNG encodes the part of img (the frame, device pixels) under region
// r (logical pixels) at scale as PNG. A region entirely off the frame (a
// panel scrolled away in the narrow layout) is an error.
func CropPNG(img *image.RGBA, scale float64, r Region) ([]byte, error) {
	px := PixelRect(r, scale, img.Bounds())
	if px.Empty() {
		return nil, fmt.Errorf("exportPNG: %s is not on screen (scroll to it)", r.Name)
	}
	sub := img.SubImage(px).(*image.RGBA)
	// Opaque: the frame is opaque, but keep the file so whatever the GPU
	// left in alpha.
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, sub); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ExportFile is one exported file.
type ExportFile struct {
	Name string
	Data []byte
}

// ExportFiles is everything the export button writes: view.png and
// panel-<name>.png (from frame, the last drawn frame in device pixels at
// scale; nil: no pictures), data.json, rows.csv, numbers.csv, q.npy, k.npy,
// v.npy and README.txt (what each file is and the hsrattn check).
func (a *App) ExportFiles(frame *image.RGBA, scale float64) ([]ExportFile, error) {
	data, err := a.ExportData()
	if err != nil {
		return nil, err
	}
	var files []ExportFile
	var skipped []string
	if frame != nil {
		view, err := CropPNG(frame, scale, Region{Name: "view", W: float32(frame.Bounds().Dx()) / float32(scale), H: float32(frame.Bounds().Dy()) / float32(scale)})
		if err != nil {
			return nil, err
		}
		files = append(files, ExportFile{"view.png", view})
		for _, r := range a.ui.panels {
			b, err := CropPNG(frame, scale, r)
			if err != nil {
				skipped = append(skipped, r.Name)
				continue
			}
			files = append(files, ExportFile{"panel-" + r.Name + ".png", b})
		}
	}
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false) // the hash's '&' stays readable
	enc.SetIndent("", " ")
	if err := enc.Encode(data); err != nil {
		return nil, err
	}
	q, k, v, err := a.ExportNPY()
	if err != nil {
		return nil, err
	}
	files = append(files, ExportFile{"data.json", js.Bytes()}, ExportFile{"rows.csv", data.RowsCSV()},
		ExportFile{"numbers.csv", data.NumbersCSV()}, ExportFile{"q.npy", q}, ExportFile{"k.npy", k}, ExportFile{"v.npy", v})
	var readme strings.Builder
	fmt.Fprintf(&readme, "hsrviz export of the picture #%s\n\n", data.Hash)
	if data.Data.Note != "" {
		fmt.Fprintf(&readme, "Data: %s.\n\n", data.Data.Note)
	}
	readme.WriteString("view.png, panel-*.png  the picture at the device pixel ratio\n" +
		"data.json              parameters, the numbers panel, per query row the reported keys (ascending)\n" +
		"                       with their scores <q,k>/sqrt(d) and weights normalised over the row\n" +
		"rows.csv               the same rows: query,key,score,weight\n" +
		"numbers.csv            the parameters (param.*) and the numbers panel\n" +
		"q.npy k.npy v.npy      Q (m×d), K (n×d), V (n×dv) as the engine used them (float64)\n\n" +
		"Check the reported sets with the command-line tool (go build -o hsrattn ./cmd/hsrattn):\n\n  " +
		data.Hsrattn + "\n\nstats.json's \"reported\" is then each row's number of keys in data.json.\n")
	if len(skipped) > 0 {
		fmt.Fprintf(&readme, "\nNot on screen when exported (no picture): %s.\n", strings.Join(skipped, ", "))
	}
	files = append(files, ExportFile{"README.txt", []byte(readme.String())})
	return files, nil
}

// Zip packs files into one .zip (the browser's single download).
func Zip(files []ExportFile) ([]byte, error) {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, f := range files {
		w, err := z.Create(f.Name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.Data); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Request is something the user asked for that the platform does: the
// browser downloads or copies, the desktop writes files.
type Request uint8

const (
	RequestExport    Request = iota + 1 // every export file (ExportFiles)
	RequestCopyLink                     // the link of the picture
	RequestOpenFiles                    // pick Q, K, V .npy files
)

// ioState is the export's and the loader's state between ticks.
type ioState struct {
	requests []Request
	status   string // the last result ("wrote 13 files to …"), shown in the header
}

// Request queues r for the platform (TakeRequests).
func (a *App) Request(r Request) {
	for _, x := range a.io.requests {
		if x == r {
			return
		}
	}
	a.io.requests = append(a.io.requests, r)
	if r == RequestExport && !a.exportReady() {
		a.io.status = "export waits for the computation…"
	}
}

// exportReady reports whether the current picture is complete.
func (a *App) exportReady() bool {
	jb := a.shownRows
	return a.everReady && jb != nil && jb.key == a.rowsKey() && a.data != nil && a.data.ready
}

// TakeRequests returns the queued requests and forgets them; an export
// stays queued until the current picture is complete.
func (a *App) TakeRequests() []Request {
	var out, keep []Request
	for _, r := range a.io.requests {
		if r == RequestExport && !a.exportReady() {
			keep = append(keep, r)
			continue
		}
		out = append(out, r)
	}
	a.io.requests = keep
	return out
}

// PendingRequests is the number of queued requests (an export waiting
// for the computation keeps the platform's frames coming).
func (a *App) PendingRequests() int { return len(a.io.requests) }

// SetStatus shows a platform's result (files written, link copied) in the
// header until the next one.
func (a *App) SetStatus(msg string) { a.io.status = msg }

// Status is the message SetStatus or a queued export shows.
func (a *App) Status() string { return a.io.status }
