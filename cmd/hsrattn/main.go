package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/internal/npy"
	"gonum.org/v1/gonum/mat"
)

func main() {
	// An interrupt must not leave temporary files behind: remove them, then
	// exit as a shell expects of a killed command.
	sig := make(chan os.Signal, 1)
	// SIGHUP (the terminal closed) and SIGQUIT too: every signal that ends
	// the command by default and can be caught.
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	go func() {
		s := <-sig
		if removePending() {
			fmt.Fprintf(os.Stderr, "hsrattn: %v: nothing written\n", s)
		} else {
			fmt.Fprintf(os.Stderr, "hsrattn: %v\n", s)
		}
		os.Exit(128 + int(s.(syscall.Signal)))
	}()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usageText = `usage: hsrattn -q Q.npy -k K.npy -v V.npy -out O.npy [-stats S.json]
               [-kind relu|softmax] [-alpha N] [-b B] [-tau T | -topr R | -gamma G]
               [-norm row|none|length] [-scale=true|false] [-causal]
               [-index tree|scan|auto] [-dense]

Computes HSR-accelerated attention of the queries Q (m×d) over the keys K (n×d)
and values V (n×dv), read from NumPy .npy files, and writes the m×dv output as a
float64 .npy file and, with -stats, the statistics as JSON.

flags:
`

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the inputs were refused or the work failed
	exitUsage = 2 // the command line is wrong
)

// usageError is a mistake on the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return usageError{fmt.Sprintf(format, args...)}
}

// config is the validated command line.
type config struct {
	q, k, v, out, stats string
	params              attention.Params
	gamma               float64 // > 0: r = round(n^γ), resolved once n is known
	dense               bool
	denseSoftmax        bool // -kind softmax without a threshold: every key
	set                 map[string]bool
}

// run is the whole command: it parses args, writes a one-line summary on
// stdout and any message on stderr, and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseArgs(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintf(stderr, "hsrattn: %v\nRun 'hsrattn -h' for usage.\n", err)
		return exitUsage
	}
	summary, err := execute(cfg)
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "hsrattn: %v\nRun 'hsrattn -h' for usage.\n", err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "hsrattn: %v\nhsrattn: nothing written\n", err)
		return exitError
	}
	fmt.Fprint(stdout, summary)
	return exitOK
}

func parseArgs(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("hsrattn", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by run
	cfg := &config{}
	fs.StringVar(&cfg.q, "q", "", "read the queries Q (m×d) from `Q.npy` (required)")
	fs.StringVar(&cfg.k, "k", "", "read the keys K (n×d) from `K.npy` (required)")
	fs.StringVar(&cfg.v, "v", "", "read the values V (n×dv) from `V.npy` (required)")
	fs.StringVar(&cfg.out, "out", "", "write the output O (m×dv, float64) to `O.npy` (required)")
	fs.StringVar(&cfg.stats, "stats", "", "write the statistics as JSON to `S.json`")
	kind := fs.String("kind", "relu", "attention `kind`: relu (ReLU^α, exact) or softmax (dense; with -tau, -topr or -gamma thresholded, with a certified bound)")
	alpha := fs.Int("alpha", 1, "ReLU^α exponent `N`, an integer from 1 to 64 (relu only)")
	b := fs.Float64("b", 0, "ReLU threshold `B` in score units: weights max(s−B, 0)^α (relu only; default 0)")
	tau := fs.Float64("tau", 0, "softmax threshold `T` in score units: keep keys with s ≥ T (softmax only)")
	topr := fs.Int("topr", 0, "softmax: keep the `R` highest-scoring keys of each row (R ≥ 1)")
	gamma := fs.Float64("gamma", 0, "softmax: keep the r = round(n^`G`) highest-scoring keys, 0 < G ≤ 1")
	norm := fs.String("norm", "row", "ReLU normalisation `mode`: row (divide by the row's weight sum), none, or length (divide by n) (relu only)")
	scale := fs.Bool("scale", true, "divide scores by sqrt(d); -scale=false uses <q,k>")
	fs.BoolVar(&cfg.params.Causal, "causal", false, "causal mask: query i sees keys 0..i (needs m = n)")
	index := fs.String("index", "auto", "half-space reporting `index`: tree, scan or auto")
	fs.BoolVar(&cfg.dense, "dense", false, "also compute the dense reference and record each row's measured error")
	fs.Usage = func() {} // the full text only for -h; errors get one line
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usageText)
			fs.SetOutput(stderr)
			fs.PrintDefaults()
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q (every input is given by a flag)", fs.Arg(0))
	}
	cfg.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { cfg.set[f.Name] = true })

	for _, req := range []struct{ name, val string }{{"q", cfg.q}, {"k", cfg.k}, {"v", cfg.v}, {"out", cfg.out}} {
		if req.val == "" {
			return nil, usagef("missing required flag -%s", req.name)
		}
	}
	if cfg.stats != "" && samePath(cfg.stats, cfg.out) {
		return nil, usagef("-out and -stats name the same file %q", cfg.out)
	}
	p := &cfg.params
	var err error
	if p.Kind, err = attention.ParseKind(*kind); err != nil {
		return nil, usagef("-kind %q: want relu or softmax", *kind)
	}
	if p.Norm, err = attention.ParseNorm(*norm); err != nil {
		return nil, usagef("-norm %q: want row, none or length", *norm)
	}
	if p.Index, err = attention.ParseIndexKind(*index); err != nil {
		return nil, usagef("-index %q: want tree, scan or auto", *index)
	}
	p.Unscaled = !*scale
	p.Alpha, p.B, p.Tau, p.TopR = *alpha, *b, *tau, *topr
	cfg.gamma = *gamma

	switch p.Kind {
	case attention.ReLU:
		for _, f := range []string{"tau", "topr", "gamma"} {
			if cfg.set[f] {
				return nil, usagef("-%s applies to -kind softmax only (relu uses -b)", f)
			}
		}
		if p.Alpha < 1 || p.Alpha > attention.MaxAlpha {
			return nil, usagef("-alpha %d: want an integer from 1 to %d", p.Alpha, attention.MaxAlpha)
		}
		if math.IsNaN(p.B) || math.IsInf(p.B, 0) {
			return nil, usagef("-b %v: the threshold must be finite", p.B)
		}
	case attention.Softmax:
		for _, f := range []string{"alpha", "b", "norm"} {
			if cfg.set[f] {
				return nil, usagef("-%s applies to -kind relu only (softmax uses -tau, -topr or -gamma)", f)
			}
		}
		given := 0
		for _, f := range []string{"tau", "topr", "gamma"} {
			if cfg.set[f] {
				given++
			}
		}
		switch {
		case given == 0:
			// No threshold asked for: the plain dense softmax over every
			// key (bound 0), as a user who asks for softmax expects.
			cfg.denseSoftmax = true
		case given > 1:
			return nil, usagef("give only one of -tau, -topr and -gamma")
		case cfg.set["tau"] && (math.IsNaN(p.Tau) || math.IsInf(p.Tau, 0)):
			return nil, usagef("-tau %v: the threshold must be finite", p.Tau)
		case cfg.set["topr"] && p.TopR < 1:
			return nil, usagef("-topr %d: want at least 1 key per row", p.TopR)
		case cfg.set["gamma"] && !(cfg.gamma > 0 && cfg.gamma <= 1):
			return nil, usagef("-gamma %v: want 0 < G ≤ 1 (r = round(n^G) keys per row)", cfg.gamma)
		}
	}
	return cfg, nil
}

// samePath says whether a and b name the same file, as far as can be told
// without creating them.
func samePath(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && aa == bb {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// input is one .npy file: opened (header read) first, decoded later.
type input struct {
	flag, path string
	f          *npy.File
	m          *mat.Dense
	h          npy.Header
}

// describe says how a file was read, for shape messages: "Q.npy (1-D of shape
// (8,), read as one row)" makes a 1-D surprise obvious.
func (in input) describe() string {
	if len(in.h.Shape) == 1 {
		return fmt.Sprintf("%s (1-D of shape %s, read as one row)", in.path, npy.FormatShape(in.h.Shape))
	}
	return in.path
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// execute does the work once the command line is valid. Nothing is renamed
// into place unless every step succeeded.
func execute(cfg *config) (string, error) {
	outs := []string{cfg.out}
	if cfg.stats != "" {
		outs = append(outs, cfg.stats)
	}
	ins := []*input{{flag: "q", path: cfg.q}, {flag: "k", path: cfg.k}, {flag: "v", path: cfg.v}}
	// Where each output will go (refusing what must not be replaced), and
	// that it is neither an input nor a standard stream.
	dests := make([]string, len(outs))
	for i, o := range outs {
		d, err := npy.Destination(o)
		if err != nil {
			return "", err
		}
		dests[i] = d
		if err := notAnInput(o, d, ins); err != nil {
			return "", err
		}
	}
	// Create the temporary output files first: an unwritable destination is
	// found before any work, and they are removed on every failure.
	pend, err := newPending(dests)
	if err != nil {
		return "", err
	}
	defer pend.discard()

	// Every header first: the shapes and the memory the run needs are
	// checked before any data is read.
	t0 := time.Now()
	defer func() {
		for _, in := range ins {
			if in.f != nil && in.m == nil {
				in.f.Close()
			}
		}
	}()
	for _, in := range ins {
		if in.f, err = npy.Open(in.path); err != nil {
			return "", err
		}
		in.h = in.f.Header()
	}
	Q, K, V := ins[0], ins[1], ins[2]
	m, d := Q.f.Dims()
	n, dk := K.f.Dims()
	nv, dv := V.f.Dims()
	if dk != d {
		return "", fmt.Errorf("%s has %s but %s has %s (keys and queries need the same dimension d)",
			K.describe(), plural(dk, "column"), Q.describe(), plural(d, "column"))
	}
	if nv != n {
		return "", fmt.Errorf("%s has %s but %s has %s (one value row per key)",
			V.describe(), plural(nv, "row"), K.describe(), plural(n, "row"))
	}
	p := cfg.params
	if p.Causal && m != n {
		return "", fmt.Errorf("-causal needs one query per key (prefilling, m = n), but %s has %s and %s has %s",
			Q.describe(), plural(m, "row"), K.describe(), plural(n, "row"))
	}
	memEstimate, err := checkMemory(cfg, ins, m, n, d, dv)
	if err != nil {
		return "", err
	}
	for _, in := range ins {
		if in.m, err = in.f.Read(); err != nil {
			return "", err
		}
	}
	readTime := time.Since(t0)
	if cfg.gamma > 0 {
		p.TopR = attention.TopRFromGamma(n, cfg.gamma)
	}
	// The batch keeps counts only: key lists would cost O(m·n) memory.
	// -dense compares ReLU^α key sets row by row instead.
	p.CountsOnly = true

	var (
		res       *attention.Result
		eng       *attention.Engine
		buildTime time.Duration
	)
	t2 := time.Now()
	if cfg.denseSoftmax {
		// No threshold: the plain softmax over every key, bound 0.
		if res, err = attention.Dense(Q.m, K.m, V.m, p); err != nil {
			return "", err
		}
	} else {
		t1 := time.Now()
		if eng, err = attention.NewEngine(K.m, V.m, p.Index); err != nil {
			return "", err
		}
		buildTime = time.Since(t1)
		t2 = time.Now()
		if res, err = eng.Batch(Q.m, p); err != nil {
			return "", err
		}
	}
	hsrTime := time.Since(t2)
	if i, j, ok := firstNonFinite(res.Out); !ok {
		return "", fmt.Errorf("the output has a non-finite value at row %d, column %d (0-based): the weights overflowed float64", i, j)
	}

	st := newStats(cfg, p, ins, res, eng, vInf(V.m))
	st.Timings = map[string]float64{"read_inputs": ms(readTime), "build_index": ms(buildTime), "hsr": ms(hsrTime)}
	if cfg.dense {
		t3 := time.Now()
		switch {
		case cfg.denseSoftmax:
			st.addDense(p, res, res.Out, nil, 0) // the output is the dense reference
		case p.Kind == attention.ReLU:
			ref, counts, differ, err := compareReLURows(eng, Q.m, p)
			if err != nil {
				return "", err
			}
			st.addDense(p, res, ref, counts, differ)
		default:
			ref, err := attention.Dense(Q.m, K.m, V.m, p)
			if err != nil {
				return "", err
			}
			st.addDense(p, res, ref.Out, nil, 0)
		}
		st.Timings["dense"] = ms(time.Since(t3))
	}

	t4 := time.Now()
	if err := pend.write(0, func(w io.Writer) error { return npy.Write(w, res.Out) }); err != nil {
		return "", err
	}
	st.Timings["write_output"] = ms(time.Since(t4))
	st.MemoryEstimate = memEstimate
	st.MemoryPeak = peakRSS()
	if cfg.stats != "" {
		js, err := st.marshal()
		if err != nil {
			return "", fmt.Errorf("%s: %w", cfg.stats, err)
		}
		if err := pend.write(1, func(w io.Writer) error { _, err := w.Write(js); return err }); err != nil {
			return "", err
		}
	}
	if err := pend.commit(); err != nil {
		return "", err
	}
	return st.summary(cfg), nil
}

// compareReLURows computes the dense reference of every ReLU^α row and
// compares its key set with HSR's, one row at a time: memory O(n) for the
// key lists, where two whole batches with keys took O(m·n) (m = n = 2^18
// headed for hundreds of GB). It returns the dense output, the dense key
// counts and the number of rows whose key sets differ.
func compareReLURows(eng *attention.Engine, Q *mat.Dense, p attention.Params) (*mat.Dense, []int, int, error) {
	m, _ := Q.Dims()
	_, _, dv := eng.Dims()
	p.CountsOnly = false
	ref := mat.NewDense(m, dv, nil)
	counts := make([]int, m)
	scratch := make([]float64, dv)
	differ := 0
	for i := 0; i < m; i++ {
		q := Q.RawRowView(i)
		dr, err := eng.DenseRow(q, i, p, ref.RawRowView(i))
		if err != nil {
			return nil, nil, 0, err
		}
		hr, err := eng.Row(q, i, p, scratch)
		if err != nil {
			return nil, nil, 0, err
		}
		counts[i] = dr.Count
		if !slices.Equal(dr.Keys, hr.Keys) {
			differ++
		}
	}
	return ref, counts, differ, nil
}

func vInf(V *mat.Dense) float64 {
	x := 0.0
	r, c := V.Dims()
	for i := 0; i < r; i++ {
		for _, v := range V.RawRowView(i)[:c] {
			x = math.Max(x, math.Abs(v))
		}
	}
	return x
}

// notAnInput refuses an output (path o, to be replaced at dest) that is the
// same file as an input or as this process's standard input, output or
// error: renaming over it would destroy the input (-out Q.npy, or a link to
// it) or what a redirection appends to (-stats err.log 2>>err.log).
// Files are compared by device and inode, so links of any kind count.
func notAnInput(o, dest string, ins []*input) error {
	ds, err := os.Stat(dest)
	if err != nil {
		return nil // it does not exist yet: it is nothing else
	}
	for _, in := range ins {
		if is, err := os.Stat(in.path); err == nil && os.SameFile(ds, is) {
			return usagef("the output %s is the input -%s %s (the same file): it would be overwritten; choose another output name", o, in.flag, in.path)
		}
	}
	for _, s := range []struct {
		f    *os.File
		name string
	}{{os.Stdin, "standard input"}, {os.Stdout, "standard output"}, {os.Stderr, "standard error"}} {
		if fs, err := s.f.Stat(); err == nil && os.SameFile(ds, fs) {
			return usagef("the output %s is this command's %s (the same file): it would be replaced; choose another output name", o, s.name)
		}
	}
	return nil
}

func firstNonFinite(m *mat.Dense) (int, int, bool) {
	r, c := m.Dims()
	for i := 0; i < r; i++ {
		for j, v := range m.RawRowView(i)[:c] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return i, j, false
			}
		}
	}
	return 0, 0, true
}

// pending holds the temporary files of the outputs until commit renames them
// into place. Every live pending is registered so that a signal handler can
// remove its files.
type pending struct {
	finals, tmps []string
	files        []*os.File
	committed    bool
}

var (
	pendingMu  sync.Mutex
	pendingAll = map[*pending]bool{}
)

// rename is os.Rename; tests replace it to make a rename fail.
var rename = os.Rename

// tmpPattern names the temporary files: short, so that an output name of
// up to 255 bytes (the usual limit) still has a temporary beside it.
const tmpPattern = ".hsrattn-*.tmp"

// removePending removes every uncommitted temporary file and says whether
// there were any (none once the outputs are committed).
func removePending() bool {
	pendingMu.Lock()
	defer pendingMu.Unlock()
	had := len(pendingAll) > 0
	defer func() { pendingAll = map[*pending]bool{} }()
	for p := range pendingAll {
		for i, f := range p.files {
			if f != nil {
				f.Close()
			}
			os.Remove(p.tmps[i])
		}
	}
	return had
}

// newPending creates a temporary file beside each destination (see
// npy.Destination).
func newPending(dests []string) (*pending, error) {
	p := &pending{}
	pendingMu.Lock()
	pendingAll[p] = true
	pendingMu.Unlock()
	for _, path := range dests {
		pendingMu.Lock()
		f, err := os.CreateTemp(filepath.Dir(path), tmpPattern)
		if err == nil {
			p.finals = append(p.finals, path)
			p.tmps = append(p.tmps, f.Name())
			p.files = append(p.files, f)
		}
		pendingMu.Unlock()
		if err != nil {
			p.discard()
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("%s: cannot write in %s: %w", path, filepath.Dir(path), err)
		}
	}
	return p, nil
}

// write puts what fill writes into the i-th temporary file, syncs and
// closes it.
func (p *pending) write(i int, fill func(io.Writer) error) error {
	f := p.files[i]
	err := f.Chmod(0o644)
	if err == nil {
		err = fill(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	pendingMu.Lock()
	p.files[i] = nil
	pendingMu.Unlock()
	if err != nil {
		return fmt.Errorf("%s: %w", p.finals[i], err)
	}
	return nil
}

// commit renames every temporary file into place. Each file it replaces is
// kept under a second name (a hard link) until every new file is in place:
// should a later rename fail (the files share directories with their
// temporaries, so this means the directory changed under us), the outputs
// already renamed are put back as they were, old files included.
func (p *pending) commit() error {
	pendingMu.Lock()
	defer pendingMu.Unlock()
	olds := make([]string, len(p.finals))
	defer func() {
		for _, o := range olds {
			if o != "" {
				os.Remove(o)
			}
		}
	}()
	for i, final := range p.finals {
		if _, err := os.Lstat(final); err == nil {
			olds[i] = keepOld(final)
		}
	}
	for i := range p.finals {
		if err := rename(p.tmps[i], p.finals[i]); err != nil {
			for j := i - 1; j >= 0; j-- {
				if olds[j] != "" && rename(olds[j], p.finals[j]) == nil {
					olds[j] = ""
				} else if olds[j] == "" {
					os.Remove(p.finals[j]) // it did not exist before
				}
			}
			return fmt.Errorf("%s: %w (the outputs were left as they were)", p.finals[i], err)
		}
	}
	p.committed = true
	delete(pendingAll, p)
	return nil
}

// keepOld links a second name to the file at path and returns it, or ""
// when the file system cannot (the old file is then not restorable).
func keepOld(path string) string {
	dir := filepath.Dir(path)
	for try := 0; try < 100; try++ {
		name := filepath.Join(dir, fmt.Sprintf(".hsrattn-%d.old", rand.Uint32()))
		err := os.Link(path, name)
		if err == nil {
			return name
		}
		if !errors.Is(err, fs.ErrExist) {
			return ""
		}
	}
	return ""
}

// discard removes the temporary files unless they were committed.
func (p *pending) discard() {
	pendingMu.Lock()
	defer pendingMu.Unlock()
	if p.committed {
		return
	}
	for i, f := range p.files {
		if f != nil {
			f.Close()
		}
		os.Remove(p.tmps[i])
	}
	p.files = nil
	delete(pendingAll, p)
}

func (st *stats) summary(cfg *config) string {
	var b strings.Builder
	used, total := 0, 0
	for i, c := range st.Reported {
		used += c
		total += st.visible[i]
	}
	var what string
	switch pj := st.Params; {
	case pj.B != nil:
		what = fmt.Sprintf("relu^%d b=%g norm=%s", pj.Alpha, *pj.B, pj.Norm)
	case pj.Threshold != "":
		what = "softmax, dense (no -tau, -topr or -gamma given: every key, bound 0)"
	case pj.Tau != nil:
		what = fmt.Sprintf("softmax tau=%g", *pj.Tau)
	case pj.Gamma != nil:
		what = fmt.Sprintf("softmax top-%d (gamma=%g)", *pj.TopR, *pj.Gamma)
	default:
		what = fmt.Sprintf("softmax top-%d", *pj.TopR)
	}
	if st.Params.Causal {
		what += " causal"
	}
	fmt.Fprintf(&b, "hsrattn: %s, m=%d n=%d d=%d dv=%d, index %s: %d of %d keys used (%.3g%%), %d empty rows\n",
		what, st.M, st.N, st.D, st.DV, st.Index.Used, used, total, 100*float64(used)/float64(max(total, 1)), len(st.EmptyRows))
	if st.MaxErrorBound != nil {
		fmt.Fprintf(&b, "hsrattn: max certified error bound %.3g\n", *st.MaxErrorBound)
	}
	if st.MaxMeasuredError != nil {
		fmt.Fprintf(&b, "hsrattn: dense reference: max |HSR - dense| = %.3g (dense %.3g ms, HSR %.3g ms + index build %.3g ms)\n",
			*st.MaxMeasuredError, st.Timings["dense"], st.Timings["hsr"], st.Timings["build_index"])
	}
	fmt.Fprintf(&b, "hsrattn: wrote %s (%d×%d float64)", cfg.out, st.M, st.DV)
	if cfg.stats != "" {
		fmt.Fprintf(&b, " and %s", cfg.stats)
	}
	b.WriteString("\n")
	return b.String()
}
