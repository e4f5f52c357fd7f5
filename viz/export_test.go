package viz

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math"
	"sort"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/internal/npy"
)

// settledApp returns an App of p with every result computed.
func settledApp(t *testing.T, p Params) *App {
	t.Helper()
	a := newSettled(t, p)
	if a.failed != nil {
		t.Fatal(a.failed)
	}
	return a
}

// readNPY decodes .npy bytes.
func readNPY(t *testing.T, b []byte, name string) *mat.Dense {
	t.Helper()
	m, err := npy.Read(bytes.NewReader(b), name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// bruteRows recomputes every row's reported set and normalised weights
// from Q and K alone, by a plain loop: ReLU^α keys with s > b, softmax the
// keys scoring at least the r-th largest score. amb marks keys within
// rounding of the threshold (either answer is right).
func bruteRows(Q, K *mat.Dense, p Params) (sets [][]int, weights []map[int]float64, amb []map[int]bool) {
	m, d := Q.Dims()
	n, _ := K.Dims()
	for i := 0; i < m; i++ {
		s := make([]float64, n)
		for j := 0; j < n; j++ {
			var dot float64
			for t := 0; t < d; t++ {
				dot += Q.At(i, t) * K.At(j, t)
			}
			s[j] = dot / math.Sqrt(float64(d))
		}
		thr := p.B
		if p.Kind == attention.Softmax && p.Tau == TauPaper {
			// every key scoring ≥ b
		} else if p.Kind == attention.Softmax {
			sorted := append([]float64(nil), s...)
			sort.Sort(sort.Reverse(sort.Float64Slice(sorted)))
			thr = sorted[p.TopR()-1]
		}
		var set []int
		w := map[int]float64{}
		a := map[int]bool{}
		var sum float64
		smax := math.Inf(-1)
		for j := range s {
			smax = math.Max(smax, s[j])
		}
		for j := range s {
			if math.Abs(s[j]-thr) < 1e-9*math.Max(1, math.Abs(thr)) {
				a[j] = true
			}
			in := s[j] > thr
			if p.Kind == attention.Softmax {
				in = s[j] >= thr
			}
			if in {
				set = append(set, j)
				x := math.Pow(s[j]-p.B, float64(p.Alpha))
				if p.Kind == attention.Softmax {
					x = math.Exp(s[j] - smax)
				}
				w[j] = x
				sum += x
			}
		}
		for j := range w {
			w[j] /= sum
		}
		sets = append(sets, set)
		weights = append(weights, w)
		amb = append(amb, a)
	}
	return sets, weights, amb
}

// checkRowsAgainst compares exported rows with a brute-force recomputation
// from the exported Q and K.
func checkRowsAgainst(t *testing.T, rows []ExportRow, Q, K *mat.Dense, p Params) {
	t.Helper()
	sets, weights, amb := bruteRows(Q, K, p)
	if len(rows) != len(sets) {
		t.Fatalf("%d rows exported, %d queries", len(rows), len(sets))
	}
	for i, r := range rows {
		if r.Query != i {
			t.Fatalf("row %d has query %d", i, r.Query)
		}
		if !sort.IntsAreSorted(r.Reported) {
			t.Fatalf("row %d: reported ids not ascending", i)
		}
		got := map[int]bool{}
		for _, j := range r.Reported {
			got[j] = true
		}
		want := map[int]bool{}
		for _, j := range sets[i] {
			want[j] = true
		}
		for j := range got {
			if !want[j] && !amb[i][j] {
				t.Errorf("row %d: key %d reported, brute force says no", i, j)
			}
		}
		for j := range want {
			if !got[j] && !amb[i][j] {
				t.Errorf("row %d: key %d not reported, brute force says yes", i, j)
			}
		}
		if len(amb[i]) == 0 {
			for x, j := range r.Reported {
				if w := weights[i][j]; math.Abs(r.Weights[x]-w) > 1e-9*math.Max(w, 1e-300)+1e-15 {
					t.Errorf("row %d key %d: weight %v, brute force %v", i, j, r.Weights[x], w)
				}
			}
		}
	}
}

func TestExportDataEqualsBruteForce(t *testing.T) {
	for _, patch := range []string{`{}`, `{"d": 8, "n": 2048, "b": 0.5}`, `{"kind": "softmax", "gamma": 0.4, "d": 3}`,
		`{"kind": "softmax", "tau": "paper", "b": 1.2, "paper_b": false, "d": 4}`, `{"share": 0.05, "d": 16}`} {
		p := DefaultParams()
		p.N, p.M = 2048, 24
		p, err := p.applyPatch([]byte(patch))
		if err != nil {
			t.Fatal(err)
		}
		a := settledApp(t, p)
		p = a.Params() // b as the app chose it (the paper's b follows the measured spread)
		e, err := a.ExportData()
		if err != nil {
			t.Fatal(err)
		}
		q, k, v, err := a.ExportNPY()
		if err != nil {
			t.Fatal(err)
		}
		Q, K, V := readNPY(t, q, "q.npy"), readNPY(t, k, "k.npy"), readNPY(t, v, "v.npy")
		// The .npy files are exactly the engine's matrices.
		for _, c := range []struct {
			name string
			m    *mat.Dense
			want []float64
			r, c int
		}{{"Q", Q, a.q, p.M, p.D}, {"K", K, a.data.K, p.N, p.D}, {"V", V, a.data.V, p.N, a.data.dv}} {
			r, cc := c.m.Dims()
			if r != c.r || cc != c.c {
				t.Fatalf("%s: %d×%d, want %d×%d", c.name, r, cc, c.r, c.c)
			}
			for x, w := range c.want {
				if g := c.m.RawMatrix().Data[x]; math.Float64bits(g) != math.Float64bits(w) {
					t.Fatalf("%s entry %d: %v, engine %v", c.name, x, g, w)
				}
			}
		}
		checkRowsAgainst(t, e.Rows, Q, K, p)
		// The reported counts are the numbers panel's.
		total := 0
		for _, r := range e.Rows {
			total += len(r.Reported)
		}
		if float64(total) != e.Numbers["reported_total"] {
			t.Errorf("%s: rows hold %d keys, numbers say %v", patch, total, e.Numbers["reported_total"])
		}
		if e.Params != a.Params() {
			t.Errorf("params differ")
		}
	}
}

func TestExportCSVEqualsJSON(t *testing.T) {
	p := DefaultParams()
	p.N, p.M, p.PaperB, p.B = 1024, 16, false, 1.2
	a := settledApp(t, p)
	e, err := a.ExportData()
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back ExportData
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(e.RowsCSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 || recs[0][0] != "query" || recs[0][3] != "weight" {
		t.Fatalf("header %v", recs[:1])
	}
	rows := make([]ExportRow, len(back.Rows))
	for i := range rows {
		rows[i] = ExportRow{Query: i, Reported: []int{}, Scores: []float64{}, Weights: []float64{}}
	}
	for _, r := range recs[1:] {
		i, _ := strconv.Atoi(r[0])
		j, _ := strconv.Atoi(r[1])
		s, _ := strconv.ParseFloat(r[2], 64)
		w, _ := strconv.ParseFloat(r[3], 64)
		rows[i].Reported = append(rows[i].Reported, j)
		rows[i].Scores = append(rows[i].Scores, s)
		rows[i].Weights = append(rows[i].Weights, w)
	}
	keys := 0
	for i, r := range back.Rows {
		keys += len(r.Reported)
		c := rows[i]
		if len(c.Reported) != len(r.Reported) {
			t.Fatalf("row %d: CSV %d keys, JSON %d", i, len(c.Reported), len(r.Reported))
		}
		for x := range r.Reported {
			if c.Reported[x] != r.Reported[x] || c.Scores[x] != r.Scores[x] || c.Weights[x] != r.Weights[x] {
				t.Fatalf("row %d entry %d: CSV %d %v %v, JSON %d %v %v", i, x, c.Reported[x], c.Scores[x], c.Weights[x],
					r.Reported[x], r.Scores[x], r.Weights[x])
			}
		}
	}
	if keys == 0 {
		t.Fatal("no keys reported: the comparison checked nothing")
	}
	// numbers.csv: the parameters and every number, as in the JSON.
	nrec, err := csv.NewReader(bytes.NewReader(e.NumbersCSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range nrec[1:] {
		if len(r[0]) > 6 && r[0][:6] == "param." {
			if f := p.fields(); f[r[0][6:]] != r[1] && r[0] != "param.b" {
				t.Errorf("%s = %q, params say %q", r[0], r[1], f[r[0][6:]])
			}
			continue
		}
		want, ok := back.Numbers[r[0]]
		if !ok {
			t.Errorf("numbers.csv has %q, the JSON not", r[0])
			continue
		}
		seen++
		if r[1] == "" {
			if !math.IsNaN(want) {
				t.Errorf("%s empty in CSV, %v in JSON", r[0], want)
			}
			continue
		}
		if got, _ := strconv.ParseFloat(r[1], 64); got != want {
			t.Errorf("%s: CSV %v, JSON %v", r[0], got, want)
		}
	}
	if seen != len(back.Numbers) {
		t.Errorf("numbers.csv has %d numbers, the JSON %d", seen, len(back.Numbers))
	}
}

func TestCropPNG(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 200, 120))
	for y := 0; y < 120; y++ {
		for x := 0; x < 200; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 7, 255})
		}
	}
	for _, c := range []struct {
		r     Region
		scale float64
		want  image.Rectangle
	}{
		{Region{Name: "a", X: 10, Y: 5, W: 30, H: 20}, 2, image.Rect(20, 10, 80, 50)},
		{Region{Name: "b", X: 10.3, Y: 5.6, W: 30.2, H: 20}, 1.5, image.Rect(15, 8, 61, 39)},
		{Region{Name: "c", X: 90, Y: 50, W: 100, H: 100}, 1, image.Rect(90, 50, 190, 120)}, // clipped
	} {
		b, err := CropPNG(img, c.scale, c.r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if got.Bounds().Dx() != c.want.Dx() || got.Bounds().Dy() != c.want.Dy() {
			t.Fatalf("%s: %v, want size of %v", c.r.Name, got.Bounds(), c.want)
		}
		r, g, _, _ := got.At(got.Bounds().Min.X, got.Bounds().Min.Y).RGBA()
		if int(r>>8) != c.want.Min.X || int(g>>8) != c.want.Min.Y {
			t.Errorf("%s: top left pixel is the frame's (%d, %d), want (%d, %d)", c.r.Name, r>>8, g>>8, c.want.Min.X, c.want.Min.Y)
		}
	}
	if _, err := CropPNG(img, 1, Region{Name: "off", X: 300, Y: 0, W: 10, H: 10}); err == nil {
		t.Error("a region off the frame gave a picture")
	}
}

func TestExportPanelNames(t *testing.T) {
	a := settledApp(t, DefaultParams())
	a.Scene(1280, 800)
	if _, err := a.PanelRegion("nope"); err == nil || !bytes.Contains([]byte(err.Error()), []byte("heatmap")) {
		t.Fatalf("unknown panel: %v (want the valid names)", err)
	}
	r, err := a.PanelRegion(PanelHeatmap)
	if err != nil || r.W <= 0 {
		t.Fatalf("heatmap: %v %v", r, err)
	}
	files, err := a.ExportFiles(image.NewRGBA(image.Rect(0, 0, 2560, 1600)), 2)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string][]byte{}
	for _, f := range files {
		names[f.Name] = f.Data
	}
	for _, want := range []string{"view.png", "panel-heatmap.png", "panel-numbers.png", "data.json", "rows.csv", "numbers.csv", "q.npy", "k.npy", "v.npy", "README.txt"} {
		if names[want] == nil {
			t.Errorf("export lacks %s", want)
		}
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(names["panel-heatmap.png"]))
	if err != nil {
		t.Fatal(err)
	}
	if px := PixelRect(r, 2, image.Rect(0, 0, 2560, 1600)); cfg.Width != px.Dx() || cfg.Height != px.Dy() {
		t.Errorf("heatmap PNG %d×%d, region at scale 2 %v", cfg.Width, cfg.Height, px)
	}
	if _, err := Zip(files); err != nil {
		t.Fatal(err)
	}
}

func TestExportWaitsWhileComputing(t *testing.T) {
	a, err := NewApp(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ExportData(); err == nil {
		t.Fatal("ExportData before any result")
	}
	a.Request(RequestExport)
	a.Request(RequestCopyLink)
	if got := a.TakeRequests(); len(got) != 1 || got[0] != RequestCopyLink {
		t.Fatalf("while computing: %v (the export must wait)", got)
	}
	a.Settle()
	if got := a.TakeRequests(); len(got) != 1 || got[0] != RequestExport {
		t.Fatalf("once done: %v", got)
	}
}
