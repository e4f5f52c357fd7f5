package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// statsFile is the part of S.json the tests read.
type statsFile struct {
	N, M, D, DV        int
	Params             map[string]any `json:"params"`
	Index              map[string]string
	Reported           []int              `json:"reported"`
	EmptyRows          []int              `json:"empty_rows"`
	Visible            []int              `json:"visible"`
	Threshold          []float64          `json:"threshold"`
	ErrorBound         []float64          `json:"error_bound"`
	MeasuredError      []float64          `json:"measured_error"`
	BoundHoldsEveryRow *bool              `json:"bound_holds_every_row"`
	DenseReported      []int              `json:"dense_reported"`
	RowsWithDiffKeys   *int               `json:"rows_with_different_keys"`
	VInf               float64            `json:"v_inf"`
	Timings            map[string]float64 `json:"timings_ms"`
	Work               map[string]int     `json:"work"`
}

func readStats(t testing.TB, path string) statsFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s statsFile
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
	return s
}

// runTool runs the command in-process and returns status, stdout, stderr.
func runTool(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// allLayouts is every float storage layout (version, byte order, order),
// and the integer ones.
var allLayouts = []layout{
	{1, "<f8", false, false}, {2, ">f8", true, false}, {3, "<f8", true, false},
	{1, ">f4", false, false}, {3, "<f4", true, false}, {2, "<f4", false, false},
	{1, "<f2", true, false}, {3, ">f2", false, false},
	{1, "|i1", true, false}, {2, ">i2", false, false}, {3, "<i4", true, false}, {1, ">i8", false, false},
	{2, "|u1", false, false}, {1, "<u2", true, false}, {3, ">u4", false, false}, {2, "<u8", true, false},
	{1, "|b1", false, false},
}

// TestLayoutsReLU runs the tool on Q, K and V stored in every layout and
// compares with the dense loops to 1e-12 relative, and the key counts exactly.
func TestLayoutsReLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const m, n, d, dv = 5, 40, 6, 3
	for li, l := range allLayouts {
		// Each file in its own layout: Q in l, K and V in the next layouts.
		lq, lk, lv := l, allLayouts[(li+5)%len(allLayouts)], allLayouts[(li+11)%len(allLayouts)]
		Q, K, V := lq.values(rng, m, d), lk.values(rng, n, d), lv.values(rng, n, dv)
		dir := t.TempDir()
		qp, kp, vp := filepath.Join(dir, "Q.npy"), filepath.Join(dir, "K.npy"), filepath.Join(dir, "V.npy")
		writeNPY(t, qp, Q, lq)
		writeNPY(t, kp, K, lk)
		writeNPY(t, vp, V, lv)
		for _, o := range []oracleOpts{
			{relu: true, alpha: 1, b: 0, norm: "row"},
			{relu: true, alpha: 2, b: 0.3, norm: "none"},
			{relu: true, alpha: 3, b: -0.2, norm: "length", unscaled: true},
		} {
			name := fmt.Sprintf("Q %v, K %v, V %v, alpha %d b %v norm %s", lq, lk, lv, o.alpha, o.b, o.norm)
			op, sp := filepath.Join(dir, "O.npy"), filepath.Join(dir, "S.json")
			args := []string{"-q", qp, "-k", kp, "-v", vp, "-out", op, "-stats", sp,
				"-alpha", fmt.Sprint(o.alpha), "-b", fmt.Sprint(o.b), "-norm", o.norm, fmt.Sprintf("-scale=%v", !o.unscaled)}
			code, _, stderr := runTool(args...)
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", name, code, stderr)
			}
			want, mag, counts := dense(Q, K, V, o)
			checkClose(t, name, readOut(t, op), want, mag, 1e-12)
			st := readStats(t, sp)
			if !slices.Equal(st.Reported, counts) {
				t.Fatalf("%s: reported got:%v want:%v", name, st.Reported, counts)
			}
			var empty []int
			for i, c := range counts {
				if c == 0 {
					empty = append(empty, i)
				}
			}
			if !slices.Equal(st.EmptyRows, empty) && !(len(empty) == 0 && len(st.EmptyRows) == 0) {
				t.Fatalf("%s: empty_rows got:%v want:%v", name, st.EmptyRows, empty)
			}
			if st.N != n || st.M != m || st.D != d || st.DV != dv {
				t.Fatalf("%s: dims %+v", name, st)
			}
		}
	}
}

// TestNumPyFixtures checks the tool against inputs and outputs written and
// computed by NumPy itself (testdata/gen.py).
func TestNumPyFixtures(t *testing.T) {
	dir := t.TempDir()
	op, sp := filepath.Join(dir, "O.npy"), filepath.Join(dir, "S.json")
	in := []string{"-q", "testdata/q_v3_bef4_F.npy", "-k", "testdata/k_v2_lei2_C.npy", "-v", "testdata/v_v1_lef8_C.npy", "-out", op, "-stats", sp}
	code, _, stderr := runTool(append(in, "-alpha", "2", "-b", "0.75", "-dense")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := readOut(t, "testdata/want_relu2_b0.75.npy")
	ones := make(matrix, len(want))
	for i := range ones {
		ones[i] = []float64{1, 1, 1}
	}
	checkClose(t, "relu^2 vs NumPy", readOut(t, op), want, ones, 1e-12)
	st := readStats(t, sp)
	countsTxt, _ := os.ReadFile("testdata/want_relu2_b0.75_counts.txt")
	if got := strings.Trim(strings.ReplaceAll(fmt.Sprint(st.Reported), " ", "\n"), "[]"); got+"\n" != string(countsTxt) {
		t.Errorf("reported got:%v want:%q", st.Reported, countsTxt)
	}
	if st.RowsWithDiffKeys == nil || *st.RowsWithDiffKeys != 0 || !slices.Equal(st.DenseReported, st.Reported) {
		t.Errorf("dense key sets differ: %v vs %v", st.DenseReported, st.Reported)
	}
	// Softmax keeping every key (τ below every score) is the dense softmax.
	code, _, stderr = runTool(append(in, "-kind", "softmax", "-tau", "-1000")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checkClose(t, "softmax vs NumPy", readOut(t, op), readOut(t, "testdata/want_softmax_dense.npy"), ones, 1e-12)
	if st := readStats(t, sp); slices.Max(st.ErrorBound) != 0 || slices.Min(st.Reported) != 50 {
		t.Errorf("softmax keeping all keys: bound %v reported %v", st.ErrorBound, st.Reported)
	}
}

// gaussian draws an r×c matrix of N(0, σ²) entries.
func gaussian(rng *rand.Rand, r, c int, sigma float64) matrix {
	a := make(matrix, r)
	for i := range a {
		a[i] = make([]float64, c)
		for j := range a[i] {
			a[i][j] = sigma * rng.NormFloat64()
		}
	}
	return a
}

func maxAbsRowDiff(a, b []float64) float64 {
	e := 0.0
	for t := range a {
		e = math.Max(e, math.Abs(a[t]-b[t]))
	}
	return e
}

// TestSoftmaxBound runs thresholded softmax (-tau, -topr, -gamma) with
// -dense and checks, on every row, the measured error against the dense loops
// ≤ the certified bound in the stats, the output against a softmax over the
// kept keys, and the counts.
func TestSoftmaxBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const m, n, d, dv = 12, 300, 8, 4
	// Keys with a few massive directions so that some rows are dominated by a
	// handful of keys (small bound) and others are not (large bound).
	Q, K, V := gaussian(rng, m, d, 1.5), gaussian(rng, n, d, 1), gaussian(rng, n, dv, 1)
	for j := 0; j < 10; j++ {
		for t := range K[j] {
			K[j][t] *= 4
		}
	}
	dir := t.TempDir()
	qp, kp, vp := filepath.Join(dir, "Q.npy"), filepath.Join(dir, "K.npy"), filepath.Join(dir, "V.npy")
	writeNPY(t, qp, Q, layout{2, ">f8", true, false})
	writeNPY(t, kp, K, layout{1, "<f8", false, false})
	writeNPY(t, vp, V, layout{3, "<f8", true, false})
	full, _, _ := dense(Q, K, V, oracleOpts{})
	for _, c := range []struct {
		flags []string
		r     int
	}{
		{[]string{"-tau", "1.0"}, 0},
		{[]string{"-tau", "3.5"}, 0},
		{[]string{"-tau", "100"}, 0}, // nothing kept: every row empty
		{[]string{"-topr", "7"}, 7},
		{[]string{"-topr", "1"}, 1},
		{[]string{"-gamma", "0.5"}, 17}, // round(300^0.5) = 17
		{[]string{"-topr", "1000"}, n},
	} {
		op, sp := filepath.Join(dir, "O.npy"), filepath.Join(dir, "S.json")
		args := append([]string{"-q", qp, "-k", kp, "-v", vp, "-out", op, "-stats", sp, "-kind", "softmax", "-dense"}, c.flags...)
		code, _, stderr := runTool(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.flags, code, stderr)
		}
		st := readStats(t, sp)
		out := readOut(t, op)
		taus := st.Threshold
		if c.r > 0 {
			taus = topTau(Q, K, c.r, false)
			for i, tau := range st.Threshold {
				if math.Abs(tau-taus[i]) > 1e-12*math.Max(1, math.Abs(tau)) {
					t.Fatalf("%v: row %d threshold got:%v want:%v", c.flags, i, tau, taus[i])
				}
			}
		}
		want, mag, counts := dense(Q, K, V, oracleOpts{tau: taus})
		checkClose(t, fmt.Sprint(c.flags), out, want, mag, 1e-12)
		if !slices.Equal(st.Reported, counts) {
			t.Fatalf("%v: reported got:%v want:%v", c.flags, st.Reported, counts)
		}
		if c.r > 0 && slices.Min(st.Reported) != c.r {
			t.Fatalf("%v: reported %v, want %d per row", c.flags, st.Reported, c.r)
		}
		if len(st.ErrorBound) != m || len(st.MeasuredError) != m || st.BoundHoldsEveryRow == nil || !*st.BoundHoldsEveryRow {
			t.Fatalf("%v: stats %+v", c.flags, st)
		}
		for i := 0; i < m; i++ {
			measured := maxAbsRowDiff(out[i], full[i])
			if !(measured <= st.ErrorBound[i]+roundingSlack*st.VInf) {
				t.Fatalf("%v: row %d measured error %v > certified bound %v", c.flags, i, measured, st.ErrorBound[i])
			}
			if math.Abs(measured-st.MeasuredError[i]) > 1e-12 {
				t.Fatalf("%v: row %d measured_error in stats %v, ours %v", c.flags, i, st.MeasuredError[i], measured)
			}
			if c.flags[1] == "100" && (counts[i] != 0 || !slices.Contains(st.EmptyRows, i)) {
				t.Fatalf("%v: row %d should be empty", c.flags, i)
			}
		}
	}
}

// TestCausalAndIndexes checks the causal mask (prefilling, m = n) and that
// every index gives the dense result.
func TestCausalAndIndexes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n, d, dv = 60, 4, 2
	Q, K, V := gaussian(rng, n, d, 1), gaussian(rng, n, d, 1), gaussian(rng, n, dv, 1)
	dir := t.TempDir()
	qp, kp, vp := filepath.Join(dir, "Q.npy"), filepath.Join(dir, "K.npy"), filepath.Join(dir, "V.npy")
	writeNPY(t, qp, Q, layout{1, "<f8", false, false})
	writeNPY(t, kp, K, layout{1, "<f8", true, false})
	writeNPY(t, vp, V, layout{1, ">f8", false, false})
	for _, index := range []string{"scan", "tree", "auto"} {
		for _, causal := range []bool{false, true} {
			for _, norm := range []string{"row", "length"} {
				o := oracleOpts{relu: true, alpha: 2, b: 0.1, norm: norm, causal: causal}
				op, sp := filepath.Join(dir, "O.npy"), filepath.Join(dir, "S.json")
				args := []string{"-q", qp, "-k", kp, "-v", vp, "-out", op, "-stats", sp, "-alpha", "2", "-b", "0.1",
					"-norm", norm, "-index", index, fmt.Sprintf("-causal=%v", causal)}
				code, _, stderr := runTool(args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				name := fmt.Sprintf("index %s causal %v norm %s", index, causal, norm)
				want, mag, counts := dense(Q, K, V, o)
				checkClose(t, name, readOut(t, op), want, mag, 1e-12)
				st := readStats(t, sp)
				if !slices.Equal(st.Reported, counts) {
					t.Fatalf("%s: reported got:%v want:%v", name, st.Reported, counts)
				}
				if st.Index["requested"] != index || st.Index["used"] == "" {
					t.Fatalf("%s: index %v", name, st.Index)
				}
				if causal && (len(st.Visible) != n || st.Visible[0] != 1 || st.Visible[n-1] != n) {
					t.Fatalf("%s: visible %v", name, st.Visible)
				}
			}
		}
	}
	// Causal softmax with top-r: the dense comparison still bounds every row.
	op, sp := filepath.Join(dir, "O.npy"), filepath.Join(dir, "S.json")
	code, _, stderr := runTool("-q", qp, "-k", kp, "-v", vp, "-out", op, "-stats", sp, "-kind", "softmax", "-topr", "5", "-causal", "-dense")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	st := readStats(t, sp)
	for i := 0; i < n; i++ {
		if st.Reported[i] != min(5, i+1) || !(st.MeasuredError[i] <= st.ErrorBound[i]+roundingSlack*st.VInf) {
			t.Fatalf("causal top-5 row %d: reported %d, error %v, bound %v", i, st.Reported[i], st.MeasuredError[i], st.ErrorBound[i])
		}
	}
}

// TestOneDimensionalQuery: a single query saved as a 1-D array is one row.
func TestOneDimensionalQuery(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	Q, K, V := gaussian(rng, 1, 5, 1), gaussian(rng, 30, 5, 1), gaussian(rng, 30, 1, 1)
	dir := t.TempDir()
	qp, kp, vp, op := filepath.Join(dir, "Q.npy"), filepath.Join(dir, "K.npy"), filepath.Join(dir, "V.npy"), filepath.Join(dir, "O.npy")
	writeNPY(t, qp, Q, layout{1, "<f8", false, true})
	writeNPY(t, kp, K, layout{1, "<f8", false, false})
	writeNPY(t, vp, V, layout{1, "<f8", true, false})
	code, stdout, stderr := runTool("-q", qp, "-k", kp, "-v", vp, "-out", op)
	if code != 0 || stderr != "" || !strings.Contains(stdout, "wrote "+op+" (1×1 float64)") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	want, mag, _ := dense(Q, K, V, oracleOpts{relu: true, alpha: 1, norm: "row"})
	checkClose(t, "1-D Q", readOut(t, op), want, mag, 1e-12)
	if names := snapshot(t, dir); len(names) != 5 { // 4 files and the dir itself
		t.Errorf("dir holds %v", names)
	}
}

// TestRefusals runs every bad input and command line we know of:
// each exits with the right status, names the problem on stderr, and leaves
// the directory exactly as it was, including existing outputs.
func TestRefusals(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	Q, K, V := gaussian(rng, 4, 8, 1), gaussian(rng, 20, 8, 1), gaussian(rng, 20, 3, 1)
	f8 := layout{1, "<f8", false, false}
	nan := gaussian(rng, 20, 8, 1)
	nan[3][5] = math.NaN()
	inf := gaussian(rng, 20, 3, 1)
	inf[19][2] = math.Inf(-1)
	good := encodeNPY(t, Q, f8)
	files := map[string][]byte{
		"Q.npy":         good,
		"K.npy":         encodeNPY(t, K, f8),
		"V.npy":         encodeNPY(t, V, f8),
		"K7.npy":        encodeNPY(t, gaussian(rng, 20, 7, 1), layout{2, ">f4", true, false}),
		"V19.npy":       encodeNPY(t, gaussian(rng, 19, 3, 1), f8),
		"Q1d.npy":       encodeNPY(t, gaussian(rng, 1, 6, 1), layout{1, "<f8", false, true}),
		"Knan.npy":      encodeNPY(t, nan, layout{3, ">f8", true, false}),
		"Vinf.npy":      encodeNPY(t, inf, f8),
		"bigK.npy":      encodeNPY(t, gaussian(rng, 20, 8, 1e5), f8),
		"trunc.npy":     good[:len(good)-3],
		"trailing.npy":  append(slices.Clone(good), 0, 0),
		"magic.npy":     []byte("not a numpy file at all"),
		"version.npy":   append([]byte("\x93NUMPY\x05\x00"), good[8:]...),
		"header.npy":    bytes.Replace(good, []byte("'fortran_order': False"), []byte("'fortran_order': Maybe"), 1),
		"3d.npy":        bytes.Replace(good, []byte("(4, 8)"), []byte("(2, 2, 8)"), 1),
		"complex.npy":   bytes.Replace(good, []byte("<f8"), []byte("<c8"), 1),
		"empty.npy":     nil,
		"out/keep.txt":  []byte("not a directory to write in"),
		"O.npy":         []byte("previous output"),
		"S.json":        []byte("previous stats"),
		"dir.npy/x.txt": []byte("a directory named like an output"),
	}
	ints := make(matrix, 4)
	for i := range ints {
		ints[i] = make([]float64, 8)
	}
	bigInt := encodeNPY(t, ints, layout{1, "<i8", false, false})
	at := len(bigInt) - 8*(4*8-(1*8+1))                  // element (1, 1)
	copy(bigInt[at:], []byte{1, 0, 0, 0, 0, 0, 0x20, 0}) // 2^53 + 1 at row 1, column 1
	files["bigint.npy"] = bigInt

	base := []string{"-q", "Q.npy", "-k", "K.npy", "-v", "V.npy", "-out", "O.npy", "-stats", "S.json"}
	with := func(extra ...string) []string { return append(slices.Clone(base), extra...) }
	replace := func(flag, val string) []string {
		a := slices.Clone(base)
		a[slices.Index(a, flag)+1] = val
		return a
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		// Usage errors: exit 2.
		{nil, 2, "missing required flag -q"},
		{[]string{"-q", "Q.npy", "-k", "K.npy", "-v", "V.npy"}, 2, "missing required flag -out"},
		{[]string{"-q", "Q.npy", "-v", "V.npy", "-out", "O.npy"}, 2, "missing required flag -k"},
		{with("-frobnicate"), 2, "flag provided but not defined: -frobnicate"},
		{with("extra.npy"), 2, `unexpected argument "extra.npy"`},
		{with("-kind", "linear"), 2, `-kind "linear": want relu or softmax`},
		{with("-norm", "l2"), 2, `-norm "l2": want row, none or length`},
		{with("-index", "btree"), 2, `-index "btree": want tree, scan or auto`},
		{with("-alpha", "0"), 2, "-alpha 0: want an integer from 1 to 64"},
		{with("-alpha", "-3"), 2, "-alpha -3: want an integer"},
		{with("-alpha", "65"), 2, "-alpha 65: want an integer from 1 to 64"},
		{with("-alpha", "1.5"), 2, `invalid value "1.5" for flag -alpha`},
		{with("-b", "NaN"), 2, "-b NaN: the threshold must be finite"},
		{with("-b", "x"), 2, `invalid value "x" for flag -b`},
		{with("-tau", "1"), 2, "-tau applies to -kind softmax only"},
		{with("-topr", "3"), 2, "-topr applies to -kind softmax only"},
		{with("-kind", "softmax", "-tau", "1", "-topr", "3"), 2, "give only one of -tau, -topr and -gamma"},
		{with("-kind", "softmax", "-topr", "0"), 2, "-topr 0: want at least 1 key per row"},
		{with("-kind", "softmax", "-topr", "-2"), 2, "-topr -2: want at least 1"},
		{with("-kind", "softmax", "-gamma", "1.5"), 2, "-gamma 1.5: want 0 < G ≤ 1"},
		{with("-kind", "softmax", "-tau", "+Inf"), 2, "-tau +Inf: the threshold must be finite"},
		{with("-kind", "softmax", "-tau", "1", "-b", "0.5"), 2, "-b applies to -kind relu only"},
		{with("-kind", "softmax", "-tau", "1", "-alpha", "2"), 2, "-alpha applies to -kind relu only"},
		{with("-kind", "softmax", "-tau", "1", "-norm", "none"), 2, "-norm applies to -kind relu only"},
		{replace("-stats", "./O.npy"), 2, `-out and -stats name the same file "O.npy"`},
		// Bad files and shapes: exit 1, the file named.
		{replace("-q", "missing.npy"), 1, "missing.npy: no such file or directory"},
		{replace("-q", "magic.npy"), 1, `magic.npy: not a .npy file (bad magic: starts with "not a "`},
		{replace("-q", "empty.npy"), 1, "empty.npy: file is empty"},
		{replace("-q", "version.npy"), 1, "version.npy: unsupported .npy format version 5.0"},
		{replace("-q", "header.npy"), 1, `header.npy: malformed header at byte 35: unexpected name "Maybe"`},
		{replace("-q", "trunc.npy"), 1, "trunc.npy: truncated data: shape (4, 8) of <f8 needs 256 bytes, file has 253"},
		{replace("-q", "trailing.npy"), 1, "trailing.npy: 2 bytes of trailing data after the array"},
		{replace("-q", "3d.npy"), 1, "3d.npy: 3-D array of shape (2, 2, 8): expected a 2-D array"},
		{replace("-q", "complex.npy"), 1, `complex.npy: dtype "<c8" (complex) is not supported`},
		{replace("-q", "bigint.npy"), 1, "bigint.npy: integer 9007199254740993 at row 1, column 1 (0-based) is beyond ±2^53"},
		{replace("-k", "Knan.npy"), 1, "Knan.npy: non-finite value NaN at row 3, column 5 (0-based)"},
		{replace("-v", "Vinf.npy"), 1, "Vinf.npy: non-finite value -Inf at row 19, column 2 (0-based)"},
		{replace("-k", "K7.npy"), 1, "K7.npy has 7 columns but Q.npy has 8 columns (keys and queries need the same dimension d)"},
		{replace("-v", "V19.npy"), 1, "V19.npy has 19 rows but K.npy has 20 rows (one value row per key)"},
		{replace("-q", "Q1d.npy"), 1, "K.npy has 8 columns but Q1d.npy (1-D of shape (6,), read as one row) has 6 columns"},
		{with("-causal"), 1, "-causal needs one query per key (prefilling, m = n), but Q.npy has 4 rows and K.npy has 20 rows"},
		{append(replace("-k", "bigK.npy"), "-alpha", "64"), 1, "overflow"},
		// Outputs that cannot be written: exit 1, before any work.
		{replace("-out", "nodir/O.npy"), 1, "nodir/O.npy: cannot write in nodir: no such file or directory"},
		{replace("-out", "out/keep.txt/O.npy"), 1, "out/keep.txt/O.npy: cannot write in out/keep.txt: not a directory"},
		{replace("-stats", "dir.npy"), 1, "dir.npy: is a directory"},
		{replace("-out", "pipe"), 1, "pipe: is not a regular file"},
	}
	for _, c := range cases {
		dir := t.TempDir()
		if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
			t.Fatal(err)
		}
		for name, b := range files {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		before := snapshot(t, dir)
		t.Chdir(dir)
		code, stdout, stderr := runTool(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("hsrattn %s\n exit %d (want %d)\n stderr: %s\n want: %s\n stdout: %q",
				strings.Join(c.args, " "), code, c.code, stderr, c.want, stdout)
		}
		if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
			t.Errorf("hsrattn %s: the directory changed: %s", strings.Join(c.args, " "), d)
		}
	}
}

// TestHelp: -h prints the usage text and exits 0.
func TestHelp(t *testing.T) {
	code, stdout, stderr := runTool("-h")
	if code != 0 || stdout != "" || !strings.HasPrefix(stderr, usageText) || !strings.Contains(stderr, "-topr R") {
		t.Fatalf("exit %d\nstderr: %s", code, stderr)
	}
}

// TestBinary builds the real command and runs it: a good run writes the
// outputs and exits 0; a bad one exits 1 with the message and writes nothing.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "hsrattn")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	Q, K, V := gaussian(rng, 3, 4, 1), gaussian(rng, 25, 4, 1), gaussian(rng, 25, 2, 1)
	writeNPY(t, filepath.Join(dir, "Q.npy"), Q, layout{3, ">f4", true, false})
	writeNPY(t, filepath.Join(dir, "K.npy"), K, layout{2, "<f8", true, false})
	writeNPY(t, filepath.Join(dir, "V.npy"), V, layout{1, ">f8", false, false})
	Q = readBackF4(Q)
	cmd := exec.Command(bin, "-q", "Q.npy", "-k", "K.npy", "-v", "V.npy", "-out", "O.npy", "-stats", "S.json", "-alpha", "2", "-b", "-0.1")
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	want, mag, counts := dense(Q, K, V, oracleOpts{relu: true, alpha: 2, b: -0.1, norm: "row"})
	checkClose(t, "binary", readOut(t, filepath.Join(dir, "O.npy")), want, mag, 1e-12)
	if st := readStats(t, filepath.Join(dir, "S.json")); !slices.Equal(st.Reported, counts) {
		t.Errorf("reported got:%v want:%v", st.Reported, counts)
	}
	if !strings.Contains(stdout.String(), "wrote O.npy (3×2 float64) and S.json") {
		t.Errorf("stdout: %s", stdout.String())
	}

	before := snapshot(t, dir)
	cmd = exec.Command(bin, "-q", "Q.npy", "-k", "V.npy", "-v", "V.npy", "-out", "O2.npy")
	cmd.Dir = dir
	stderr.Reset()
	cmd.Stderr = &stderr
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "V.npy has 2 columns but Q.npy has 4") {
		t.Errorf("bad shapes: %v\n%s", err, stderr.String())
	}
	cmd = exec.Command(bin, "-q", "Q.npy")
	cmd.Dir = dir
	stderr.Reset()
	cmd.Stderr = &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(stderr.String(), "missing required flag -k") {
		t.Errorf("usage: %v\n%s", err, stderr.String())
	}
	if d := diffSnapshots(before, snapshot(t, dir)); d != "" {
		t.Errorf("refused runs changed the directory: %s", d)
	}
}

// readBackF4 rounds through float32, as a '>f4' file stores the values.
func readBackF4(a matrix) matrix {
	out := make(matrix, len(a))
	for i := range a {
		out[i] = make([]float64, len(a[i]))
		for j, v := range a[i] {
			out[i][j] = float64(float32(v))
		}
	}
	return out
}
