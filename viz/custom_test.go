package viz

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/internal/hsrattntest"
	"github.com/hsrviz/hsrviz/internal/npy"
)

// npyBytes encodes r×c values as .npy with the given descr ('<f4', '<f8').
func npyBytes(r, c int, x []float64, descr string) []byte {
	var b bytes.Buffer
	h := []byte("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + npyItoa(r) + ", " + npyItoa(c) + "), }")
	for (10+len(h)+1)%64 != 0 {
		h = append(h, ' ')
	}
	h = append(h, '\n')
	b.WriteString("\x93NUMPY\x01\x00")
	_ = binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	b.Write(h)
	for _, v := range x {
		if descr == "|u1" {
			b.WriteByte(byte(v))
		} else if descr == "<f4" {
			_ = binary.Write(&b, binary.LittleEndian, float32(v))
		} else {
			_ = binary.Write(&b, binary.LittleEndian, v)
		}
	}
	return b.Bytes()
}

func npyItoa(i int) string { return strings.TrimSpace(strings.Replace(fmtInt(i), ",", "", -1)) }

// randMat is r×c N(0, σ²) values with a spread decaying over the columns
// (like a real head's keys), rounded to float32 so that a '<f4' file holds
// them exactly.
func randMat(rng *rand.Rand, r, c int, sigma float64) []float64 {
	x := make([]float64, r*c)
	for i := range x {
		x[i] = float64(float32(rng.NormFloat64() * sigma * math.Exp(-float64(i%c)/6)))
	}
	return x
}

type testFiles struct {
	q, k, v     []byte
	Q, K, V     []float64
	m, n, d, dv int
}

func makeFiles(seed uint64, m, n, d, dv int) testFiles {
	rng := rand.New(rand.NewPCG(seed, 7))
	f := testFiles{m: m, n: n, d: d, dv: dv}
	f.Q, f.K, f.V = randMat(rng, m, d, 1.3), randMat(rng, n, d, 1.1), randMat(rng, n, dv, 1)
	f.q, f.k, f.v = npyBytes(m, d, f.Q, "<f4"), npyBytes(n, d, f.K, "<f8"), npyBytes(n, dv, f.V, "<f4")
	return f
}

func TestLoadCustomMatchesHsrattnPath(t *testing.T) {
	f := makeFiles(3, 40, 3000, 16, 5)
	a, err := NewApp(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	a.Settle()
	tens, err := a.LoadNPY(f.q, f.k, f.v, [3]string{"Q.npy", "K.npy", "V.npy"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetParamsJSON([]byte(`{"b": 0.6, "alpha": 3}`)); err != nil {
		t.Fatal(err)
	}
	a.Settle()
	if done, err := a.LoadState(tens); !done || err != nil {
		t.Fatalf("LoadState: %v %v", done, err)
	}
	p := a.Params()
	if p.Data != gen.Custom || p.N != f.n || p.D != f.d || p.M != f.m {
		t.Fatalf("params after load: data %v n %d d %d m %d", p.Data, p.N, p.D, p.M)
	}
	s := a.Snapshot()
	if s.Numbers["n"] != float64(f.n) || s.Numbers["d"] != float64(f.d) || s.Numbers["m"] != float64(f.m) {
		t.Fatalf("numbers n, d, m: %v %v %v", s.Numbers["n"], s.Numbers["d"], s.Numbers["m"])
	}
	e, err := a.ExportData()
	if err != nil {
		t.Fatal(err)
	}
	// hsrattn's code path on the same bytes: internal/npy, then
	// attention.NewEngine and Batch (cmd/hsrattn/main.go's execute).
	Q, _, err := npy.ReadInfo(bytes.NewReader(f.q), "Q.npy")
	if err != nil {
		t.Fatal(err)
	}
	K, V := readNPY(t, f.k, "K.npy"), readNPY(t, f.v, "V.npy")
	for _, kind := range []attention.Kind{attention.ReLU, attention.Softmax} {
		if kind == attention.Softmax {
			if err := a.SetParamsJSON([]byte(`{"kind": "softmax", "gamma": 0.5}`)); err != nil {
				t.Fatal(err)
			}
			a.Settle()
			if e, err = a.ExportData(); err != nil {
				t.Fatal(err)
			}
			p = a.Params()
		}
		eng, err := attention.NewEngine(K, V, hsr.IndexTree)
		if err != nil {
			t.Fatal(err)
		}
		res, err := eng.Batch(Q, p.attention())
		if err != nil {
			t.Fatal(err)
		}
		keys := 0
		for i, r := range e.Rows {
			want := res.Rows[i].Keys
			if len(want) != len(r.Reported) {
				t.Fatalf("%v row %d: app %d keys, hsrattn's path %d", kind, i, len(r.Reported), len(want))
			}
			for x := range want {
				if want[x] != r.Reported[x] {
					t.Fatalf("%v row %d: key %d vs %d", kind, i, r.Reported[x], want[x])
				}
			}
			keys += len(want)
		}
		if keys == 0 || keys == f.m*f.n {
			t.Fatalf("%v: %d keys in all: the comparison tells nothing", kind, keys)
		}
		checkRowsAgainst(t, e.Rows, Q, K, p)
	}
	// The exported .npy are the loaded matrices (Q from float32, exactly).
	q, k, v, err := a.ExportNPY()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		b    []byte
		want []float64
	}{{q, f.Q}, {k, f.K}, {v, f.V}} {
		got := readNPY(t, c.b, "x").RawMatrix().Data
		if len(got) != len(c.want) {
			t.Fatalf("exported %d entries, loaded %d", len(got), len(c.want))
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Fatalf("entry %d: %v vs %v", i, got[i], c.want[i])
			}
		}
	}
}

// TestLoadCustomAgainstHsrattnBinary runs the real hsrattn on the files
// and compares its per-row counts with the app's rows.
func TestLoadCustomAgainstHsrattnBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/hsrattn")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "hsrattn")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/hsrattn").CombinedOutput(); err != nil {
		t.Fatalf("building hsrattn: %v\n%s", err, out)
	}
	f := makeFiles(11, 300, 2000, 8, 3) // 300 query rows: the app shows the first MaxM
	if err := hsrattntest.WriteQKV(dir, f.q, f.k, f.v); err != nil {
		t.Fatal(err)
	}
	a, err := NewApp(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.LoadNPY(f.q, f.k, f.v, [3]string{"Q.npy", "K.npy", "V.npy"}); err != nil {
		t.Fatal(err)
	}
	if a.Params().M != MaxM || !strings.Contains(a.Tensors().Describe(), "first 256 of 300 rows") ||
		!strings.Contains(a.Snapshot().Status, "first 256 of 300 rows") {
		t.Fatalf("m = %d, %q: Q's rows must be cut to MaxM and the cut said", a.Params().M, a.Tensors().Describe())
	}
	if err := a.SetParamsJSON([]byte(`{"b": 0.4, "alpha": 2, "index": "auto"}`)); err != nil {
		t.Fatal(err)
	}
	a.Settle()
	e, err := a.ExportData()
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Fields(e.Hsrattn)[1:]
	for i, x := range args {
		if strings.HasSuffix(x, ".npy") && x != "o.npy" {
			args[i] = strings.ToUpper(x[:1]) + ".npy"
		}
	}
	counts, err := hsrattntest.Reported(bin, dir, args...)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 300 {
		t.Fatalf("hsrattn: %d rows", len(counts))
	}
	for i, r := range e.Rows {
		if len(r.Reported) != counts[i] {
			t.Errorf("row %d: app %d keys, hsrattn %d", i, len(r.Reported), counts[i])
		}
	}
}

func TestLoadBadFilesKeepState(t *testing.T) {
	good := makeFiles(5, 10, 500, 4, 2)
	wrongD := makeFiles(5, 10, 500, 3, 2)
	wrongN := makeFiles(5, 10, 499, 4, 2)
	nan := append([]float64(nil), good.K...)
	nan[4*7+2] = math.NaN()
	trunc := good.k[:len(good.k)-5]
	trailing := append(append([]byte(nil), good.k...), 0, 0, 0, 0, 0, 0, 0, 0)
	complexK := bytes.Replace(good.k, []byte("'<f8'"), []byte("'<c8'"), 1)
	strK := bytes.Replace(good.k, []byte("'<f8'"), []byte("'<U2'"), 1)
	wide := npyBytes(3, MaxD+1, make([]float64, 3*(MaxD+1)), "<f4")
	huge := npyBytes(MaxND/2+1, 2, make([]float64, MaxND+2), "|u1") // 4 MB of bytes, more entries than the cap
	claims := npyBytes(MaxND/2+1, 2, nil, "<f4")                    // a header claiming more than the data
	for _, c := range []struct {
		name    string
		q, k, v []byte
		want    string
	}{
		{"d mismatch", good.q, wrongD.k, nil, "K.npy has 3 columns but Q.npy has 4"},
		{"n mismatch", good.q, good.k, wrongN.v, "V.npy has 499 rows but K.npy has 500"},
		{"NaN", good.q, npyBytes(500, 4, nan, "<f8"), nil, "row 7, column 2"},
		{"truncated", good.q, trunc, nil, "K.npy"},
		{"trailing bytes", good.q, trailing, nil, "K.npy"},
		{"complex dtype", good.q, complexK, nil, "c8"},
		{"string dtype", good.q, strK, nil, "U2"},
		{"not npy", good.q, []byte("hello, this is not a numpy file"), nil, "K.npy"},
		{"missing K", good.q, nil, nil, "Q and K"},
		{"d too large", wide, wide, nil, "more than the app's 128"},
		{"too many entries", good.q, huge, nil, "more than the app's cap"},
		{"header claims more", good.q, claims, nil, "K.npy"},
		{"empty", good.q, []byte{}, nil, "K.npy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := settledApp(t, func() Params { p := DefaultParams(); p.N = 512; return p }())
			before, ds, q := a.Params(), a.data, a.Snapshot().Numbers
			_, err := a.LoadNPY(c.q, c.k, c.v, [3]string{"Q.npy", "K.npy", "V.npy"})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to name %q", err, c.want)
			}
			t.Log(err)
			if !strings.Contains(a.Snapshot().Error, c.want) {
				t.Errorf("on screen: %q", a.Snapshot().Error)
			}
			if a.Params() != before || a.data != ds || a.Tensors() != nil {
				t.Fatalf("a refused load changed the state")
			}
			a.Settle()
			if after := a.Snapshot().Numbers; after["reported_total"] != q["reported_total"] || after["n"] != q["n"] {
				t.Errorf("numbers changed: %v → %v", q["reported_total"], after["reported_total"])
			}
		})
	}
}

func TestCustomParamsRules(t *testing.T) {
	f := makeFiles(9, 20, 50, 8, 0) // n = 50 < MinN: allowed for files; no V
	a, err := NewApp(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	gen0 := a.Params()
	tens, err := a.LoadNPY(f.q, f.k, nil, [3]string{"q.npy", "k.npy", ""})
	if err != nil {
		t.Fatal(err)
	}
	if !tens.VGenerated || tens.DV != valueDim {
		t.Fatalf("no V: generated %v dv %d", tens.VGenerated, tens.DV)
	}
	a.Settle()
	if a.failed != nil {
		t.Fatal(a.failed)
	}
	// n and d are the files'.
	if err := a.SetParamsJSON([]byte(`{"n": 4096}`)); err == nil || !strings.Contains(err.Error(), "come from the files") {
		t.Fatalf("n with custom data: %v", err)
	}
	if err := a.SetParamsJSON([]byte(`{"m": 21}`)); err == nil {
		t.Fatal("m beyond Q's rows accepted")
	}
	if err := a.SetParamsJSON([]byte(`{"m": 5, "query": 4, "b": 0.3, "kind": "softmax"}`)); err != nil {
		t.Fatal(err)
	}
	// The hash says custom, and a fresh page cannot reproduce it.
	h := a.Params().Hash()
	if !strings.Contains(h, "data=custom") {
		t.Fatalf("hash %q", h)
	}
	if _, err := ParseHash(h); err == nil || !strings.Contains(err.Error(), "load Q, K") {
		t.Fatalf("ParseHash of a custom link: %v", err)
	}
	// Back to generated data: n, d, m of the picture before the load.
	if err := a.SetParamsJSON([]byte(`{"data": "gaussian"}`)); err != nil {
		t.Fatal(err)
	}
	p := a.Params()
	if p.Data != gen.Gaussian || p.N != gen0.N || p.D != gen0.D || p.M != gen0.M || p.B != 0.3 {
		t.Fatalf("leaving custom: %+v", p)
	}
	// And back to the files, still loaded.
	if err := a.SetParamsJSON([]byte(`{"data": "custom"}`)); err != nil {
		t.Fatal(err)
	}
	if p := a.Params(); p.N != 50 || p.D != 8 || p.M != 20 {
		t.Fatalf("entering custom: n %d d %d m %d", p.N, p.D, p.M)
	}
	a.Settle()
	if a.failed != nil {
		t.Fatal(a.failed)
	}
	// A pasted link naming data=gaussian leaves too.
	p2, err := PatchHash(a.Params(), "data=decaying")
	if err != nil || p2.Data != gen.Decaying || p2.N != gen0.N {
		t.Fatalf("PatchHash leaving custom: %v %+v", err, p2)
	}
	// A fresh App refuses data custom.
	if _, err := NewApp(Params{Data: gen.Custom}); err == nil {
		t.Fatal("custom without files accepted")
	}
	// The select offers custom while files are loaded.
	a.Scene(1280, 800)
	a.ui.ctl.sync(a.Params(), false)
	if opts := a.ui.ctl.data.Options; opts[len(opts)-1] != "custom" || a.ui.ctl.data.Value() != "custom" {
		t.Fatalf("data options %v value %q", opts, a.ui.ctl.data.Value())
	}
}

func TestClassifyNPY(t *testing.T) {
	for _, c := range []struct {
		names   []string
		q, k, v int
		err     string
	}{
		{[]string{"Q.npy", "K.npy", "V.npy"}, 0, 1, 2, ""},
		{[]string{"layer3_v.npy", "layer3_k.npy", "layer3_q.npy"}, 2, 1, 0, ""},
		{[]string{"keys-head0.npy", "queries-head0.npy"}, 1, 0, -1, ""},
		{[]string{"a.npy", "K.npy"}, 0, 0, 0, "cannot tell"},
		{[]string{"q.npy", "Q.npy", "k.npy"}, 0, 0, 0, "both"},
		{[]string{"k.npy", "v.npy"}, 0, 0, 0, "at least Q and K"},
		{[]string{"q_k.npy", "k.npy"}, 0, 0, 0, "more than one"},
	} {
		q, k, v, err := ClassifyNPY(c.names)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v: %v, want %q", c.names, err, c.err)
			}
			continue
		}
		if err != nil || q != c.q || k != c.k || v != c.v {
			t.Errorf("%v: %d %d %d %v", c.names, q, k, v, err)
		}
	}
}

// LoadFS reads dropped files (the desktop window's ebiten.DroppedFiles)
// by name, and a folder without Q and K is refused, changing nothing.
func TestLoadFS(t *testing.T) {
	f := makeFiles(13, 6, 300, 5, 2)
	a, err := NewApp(DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	before := a.Params()
	if _, err := a.LoadFS(fstest.MapFS{"k.npy": {Data: f.k}, "notes.txt": {Data: []byte("x")}}); err == nil ||
		!strings.Contains(err.Error(), "at least Q and K") || a.Params() != before {
		t.Fatalf("K alone: %v", err)
	}
	tens, err := a.LoadFS(fstest.MapFS{"head0_q.npy": {Data: f.q}, "head0_k.npy": {Data: f.k}, "head0_v.npy": {Data: f.v}, "notes.txt": {Data: []byte("x")}})
	if err != nil {
		t.Fatal(err)
	}
	if tens.Names != [3]string{"head0_q.npy", "head0_k.npy", "head0_v.npy"} || a.Params().N != 300 || a.Params().D != 5 || tens.DV != 2 {
		t.Fatalf("loaded %v n %d d %d dv %d", tens.Names, a.Params().N, a.Params().D, tens.DV)
	}
}
