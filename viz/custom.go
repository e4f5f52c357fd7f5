package viz

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"strings"

	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/internal/npy"
)

// Your own tensors: Q, K and optionally V loaded from .npy files (dropped on
// the page, picked with the file dialog, hsrviz.load, the desktop's -q -k
// -v or dropped on its window) and shown through the same panels as data
// kind "custom" (gen.Custom, which attention/gen never generates).
//
// Rules (those of cmd/hsrattn, package internal/npy): Q is m×d, K is n×d,
// V is n×dv; every .npy dtype NumPy writes for numbers, C or Fortran order,
// format 1–3; non-finite values, truncated files, trailing bytes, a shape
// mismatch are refused naming the file. The browser's caps: n ≤ MaxN,
// d ≤ MaxD and n·d ≤ MaxND (and the same cap on each file's entries); Q's
// rows beyond MaxM are cut (said on screen). Without V the values are
// attention/gen's Gaussian values (σ = 1, seed 1), valueDim columns: values
// change the outputs, never which keys are reported.
//
// Params: Data = custom is valid only while tensors are loaded
// (Params.custom, which no link or JSON carries); n and d are the files',
// m at most their rows; b, the kind, α, γ, the index and the query stay
// live. Leaving custom (set({data: "gaussian"})) restores the n, d, m and
// query of the generated picture before the load unless they are given.
// A link of a custom picture cannot reproduce its data: the app says so.

// Tensors are loaded Q, K, V, row-major float64, immutable once made.
type Tensors struct {
	Q, K, V     []float64 // Q cut to M rows
	M, N, D, DV int
	MFile       int       // the rows of Q's file (M < MFile: cut to MaxM)
	Names       [3]string // the files' names (V: "" when generated)
	VGenerated  bool      // no V file: attention/gen's values
	gen         Params    // the generated picture before the load
}

// maxFileBytes bounds a file before it is decoded: MaxND float64 entries
// and the largest header npy accepts.
const maxFileBytes = MaxND*8 + npy.MaxHeaderBytes + 128

// ParseTensors reads and checks Q, K and V (.npy bytes; v may be nil).
// names are the files' names for messages ("Q.npy"); an empty name is
// "Q", "K", "V". Nothing is kept on error.
func ParseTensors(q, k, v []byte, names [3]string) (*Tensors, error) {
	for i, def := range []string{"Q", "K", "V"} {
		if names[i] == "" {
			names[i] = def
		}
	}
	if q == nil || k == nil {
		return nil, errors.New("needs Q and K .npy files (V is optional)")
	}
	type mat struct {
		rows, cols int
		data       []float64
	}
	read := func(b []byte, name, role string) (mat, error) {
		if len(b) > maxFileBytes {
			return mat{}, fmt.Errorf("%s (%s) is %s bytes: more than the app's cap (n·d ≤ %s entries, %s bytes as float64); cut it, or use the command line hsrattn",
				name, role, fmtInt(len(b)), fmtInt(MaxND), fmtInt(MaxND*8))
		}
		m, err := npy.Read(bytes.NewReader(b), name)
		if err != nil {
			return mat{}, fmt.Errorf("%s (%s): %v", name, role, trimName(err, name))
		}
		r, c := m.Dims()
		if r*c > MaxND {
			return mat{}, fmt.Errorf("%s (%s) has %d×%d = %s entries: more than the app's cap of %s; cut it, or use the command line hsrattn",
				name, role, r, c, fmtInt(r*c), fmtInt(MaxND))
		}
		return mat{r, c, m.RawMatrix().Data}, nil
	}
	Q, err := read(q, names[0], "Q, m×d")
	if err != nil {
		return nil, err
	}
	K, err := read(k, names[1], "K, n×d")
	if err != nil {
		return nil, err
	}
	t := &Tensors{N: K.rows, D: K.cols, MFile: Q.rows, M: min(Q.rows, MaxM), Names: names}
	switch {
	case Q.cols != K.cols:
		return nil, fmt.Errorf("%s has %d columns but %s has %d (keys and queries need the same dimension d)", names[1], K.cols, names[0], Q.cols)
	case t.D > MaxD:
		return nil, fmt.Errorf("d = %d (the columns of %s and %s) is more than the app's %d; use the command line hsrattn", t.D, names[0], names[1], MaxD)
	case t.N > MaxN:
		return nil, fmt.Errorf("n = %s (the rows of %s) is more than the app's %s", fmtInt(t.N), names[1], fmtInt(MaxN))
	}
	t.Q = Q.data[: t.M*t.D : t.M*t.D]
	t.K = K.data
	if v != nil {
		V, err := read(v, names[2], "V, n×dv")
		if err != nil {
			return nil, err
		}
		if V.rows != K.rows {
			return nil, fmt.Errorf("%s has %d rows but %s has %d (one value row per key)", names[2], V.rows, names[1], K.rows)
		}
		t.V, t.DV = V.data, V.cols
	} else {
		st, err := gen.NewStream(gen.Spec{Kind: gen.Gaussian, N: t.N, D: t.D, DV: valueDim, Sigma: 1, Seed: 1}, gen.MatrixV)
		if err != nil {
			return nil, err
		}
		t.V, t.DV, t.VGenerated, t.Names[2] = make([]float64, t.N*valueDim), valueDim, true, ""
		st.Fill(t.V)
	}
	// A score ⟨q, k⟩ must stay finite: the engine would refuse the row
	// later, after the picture had switched.
	if qm, km := maxAbs(t.Q), maxAbs(t.K); math.IsInf(qm*km*float64(t.D), 0) {
		return nil, fmt.Errorf("scores would overflow float64: max |%s| = %g, max |%s| = %g, d = %d", names[0], qm, names[1], km, t.D)
	}
	return t, nil
}

// trimName drops a leading "name: " that npy's messages start with.
func trimName(err error, name string) string {
	return strings.TrimPrefix(err.Error(), name+": ")
}

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

// Describe is the one line the controls show for the loaded files.
func (t *Tensors) Describe() string { return "a link cannot carry your files: " + t.shapes() }

// shapes says the matrices' shapes and the cut of Q.
func (t *Tensors) shapes() string {
	q := fmt.Sprintf("Q %d×%d", t.M, t.D)
	if t.M < t.MFile {
		q = fmt.Sprintf("Q %d×%d (first %d of %d rows)", t.M, t.D, t.M, t.MFile)
	}
	v := fmt.Sprintf("V %d×%d", t.N, t.DV)
	if t.VGenerated {
		v = "V generated"
	}
	return fmt.Sprintf("%s, K %d×%d, %s", q, t.N, t.D, v)
}

// ClassifyNPY assigns dropped or picked files to Q, K and V by name: a
// word (letters and digits between other characters) q, query or queries
// names Q; k, key or keys K; v, value or values V ("Q.npy", "layer3_k.npy",
// "values-head0.npy"). It returns the index of each in names (V −1 when
// absent), or an error naming the files it cannot place.
func ClassifyNPY(names []string) (q, k, v int, err error) {
	q, k, v = -1, -1, -1
	roles := map[string]*int{"q": &q, "query": &q, "queries": &q, "k": &k, "key": &k, "keys": &k, "v": &v, "value": &v, "values": &v}
	for i, n := range names {
		base := strings.ToLower(strings.TrimSuffix(path.Base(strings.ReplaceAll(n, "\\", "/")), ".npy"))
		words := strings.FieldsFunc(base, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
		var found *int
		for _, w := range words {
			if p, ok := roles[w]; ok {
				if found != nil && found != p {
					return -1, -1, -1, fmt.Errorf("%q names more than one of Q, K, V", n)
				}
				found = p
			}
		}
		switch {
		case found == nil:
			return -1, -1, -1, fmt.Errorf("%q: cannot tell whether it is Q, K or V (name the files Q.npy, K.npy and V.npy, or with a word q, k, v, query, key, value)", n)
		case *found >= 0:
			return -1, -1, -1, fmt.Errorf("%q and %q are both the same one of Q, K, V", names[*found], n)
		}
		*found = i
	}
	if q < 0 || k < 0 {
		return -1, -1, -1, fmt.Errorf("need at least Q and K .npy files (got %s)", strings.Join(quoteAll(names), ", "))
	}
	return q, k, v, nil
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = fmt.Sprintf("%q", x)
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

// customTensors is p's loaded files when p shows them, else nil.
func (p Params) customTensors() *Tensors {
	if p.Data == gen.Custom {
		return p.custom
	}
	return nil
}

// validateCustom is Validate for data custom: n and d the files', m at
// most their rows, every other field as for generated data.
func (p Params) validateCustom() error {
	t := p.custom
	switch {
	case t == nil:
		return errors.New("data custom needs your own tensors: load Q, K (and V) .npy files first (drop them on the page, the load button, hsrviz.load, or the desktop's -q -k -v); a link cannot carry them")
	case p.N != t.N || p.D != t.D:
		return fmt.Errorf("with data custom n and d come from the files (n=%d, d=%d; got n=%d, d=%d); choose a generated data kind to change them", t.N, t.D, p.N, p.D)
	case p.M < 1 || p.M > t.M:
		return fmt.Errorf("m must be in 1…%d, the rows of the loaded Q (got %d)", t.M, p.M)
	}
	q := p
	q.Data, q.custom, q.N, q.D = gen.Gaussian, nil, MinN, 1
	return q.Validate()
}

// customSwitch fixes n, d, m and the query when p's data kind enters or
// leaves custom from old's: entering takes the files' n, d and m, leaving
// returns to the generated picture before the load; a field given (by the
// patch or the hash) stays as given.
func (p Params) customSwitch(old Params, given func(string) bool) Params {
	t := p.custom
	if t == nil || (p.Data == gen.Custom) == (old.Data == gen.Custom) {
		return p
	}
	n, d, m := t.N, t.D, t.M
	if p.Data != gen.Custom {
		n, d, m = t.gen.N, t.gen.D, t.gen.M
	}
	if !given("n") {
		p.N = n
	}
	if !given("d") {
		p.D = d
	}
	if !given("m") {
		p.M = m
	}
	if !given("query") {
		p.Query = min(p.Query, p.M-1)
	}
	return p
}

// LoadTensors shows t: data custom with n, d and m from the files, the
// other parameters as they are. On error (say, a parameter the files make
// invalid) nothing changes and the message is shown.
func (a *App) LoadTensors(t *Tensors) error {
	p := a.p
	t.gen = p
	if old := p.custom; old != nil && p.Data == gen.Custom {
		t.gen = old.gen // the generated picture before the first load
	}
	p.custom, p.Data = t, gen.Custom
	p.N, p.D, p.M = t.N, t.D, t.M
	p.Query = min(p.Query, p.M-1)
	return a.SetParams(p)
}

// LoadNPY parses the .npy bytes (v may be nil) and shows them
// (ParseTensors, LoadTensors). On error nothing changes and the message is
// shown and returned.
func (a *App) LoadNPY(q, k, v []byte, names [3]string) (*Tensors, error) {
	t, err := ParseTensors(q, k, v, names)
	if err == nil {
		err = a.LoadTensors(t)
	}
	if err != nil {
		a.errMsg = "load: " + err.Error()
		return nil, fmt.Errorf("load: %w", err)
	}
	a.io.status = "loaded " + t.shapes() + " (a link cannot carry them)"
	return t, nil
}

// maxRead bounds what LoadFS reads of a file: more than a file the app
// accepts, so that ParseTensors names a file that is too large.
const maxRead = maxFileBytes + 1

// LoadFS loads the .npy files at the root of fsys (files dropped on the
// desktop window: ebiten.DroppedFiles), told apart by name (ClassifyNPY).
// On error nothing changes and the message is shown and returned.
func (a *App) LoadFS(fsys fs.FS) (*Tensors, error) {
	fail := func(err error) (*Tensors, error) {
		a.errMsg = "load: " + err.Error()
		return nil, fmt.Errorf("load: %w", err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return fail(err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(strings.ToLower(e.Name()), ".npy") {
			names = append(names, e.Name())
		}
	}
	q, k, v, err := ClassifyNPY(names)
	if err != nil {
		return fail(err)
	}
	var data [3][]byte
	var files [3]string
	for i, x := range []int{q, k, v} {
		if x < 0 {
			continue
		}
		f, err := fsys.Open(names[x])
		if err != nil {
			return fail(err)
		}
		b, err := io.ReadAll(io.LimitReader(f, maxRead))
		f.Close()
		if err != nil {
			return fail(fmt.Errorf("%s: %v", names[x], err))
		}
		data[i], files[i] = b, names[x]
	}
	return a.LoadNPY(data[0], data[1], data[2], files)
}

// Tensors returns the loaded files (nil if none), shown or not.
func (a *App) Tensors() *Tensors { return a.p.custom }

// LoadState says whether the loaded t is shown (done: every attention row
// of the current parameters is in; the scaling series and the timing may
// still run), or the computation failed (err); neither: still computing.
func (a *App) LoadState(t *Tensors) (done bool, err error) {
	if a.p.customTensors() != t {
		return false, errors.New("load: other data were chosen before these were shown")
	}
	if a.failed != nil {
		return false, fmt.Errorf("load: %v", a.failed)
	}
	return a.sum != nil && a.sum.key == a.rowsKey(), nil
}

// filler is a source of rows filled a block per unit: attention/gen's
// *Stream, or copyFiller over loaded files.
type filler interface {
	Done() int
	Fill(dst []float64) int
	ColumnSigmas() []float64 // nil: not independent Gaussian columns
}

// copyFiller hands out the rows of a loaded matrix.
type copyFiller struct {
	src        []float64
	cols, next int
}

func (c *copyFiller) Done() int { return c.next }

// ColumnSigmas is nil: loaded data have no known distribution.
func (c *copyFiller) ColumnSigmas() []float64 { return nil }

func (c *copyFiller) Fill(dst []float64) int {
	k := min(len(dst)/c.cols, len(c.src)/c.cols-c.next)
	copy(dst[:k*c.cols], c.src[c.next*c.cols:])
	c.next += k
	return k
}

// dataset is the dataset of p (data custom) over t, filled a block per
// unit like generated data.
func (t *Tensors) dataset(p Params, version int) *dataset {
	return &dataset{key: p.dataKey(), version: version, n: t.N, d: t.D, dv: t.DV,
		K: make([]float64, t.N*t.D), V: make([]float64, t.N*t.DV),
		ks: &copyFiller{src: t.K, cols: t.D}, vs: &copyFiller{src: t.V, cols: t.DV}}
}
