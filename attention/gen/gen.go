// Package gen makes the seeded, deterministic Q, K, V data of the paper's
// sparsity regime (docs/contract.md) and of the non-isotropic regimes real
// keys resemble.
//
// Every draw comes from math/rand/v2's PCG, seeded by (Spec.Seed, stream),
// with one stream per matrix (K, Q, V, cluster centres, cluster labels):
// changing M does not change K or V, and changing N does not change Q, so a
// visualizer can move one slider without reshuffling the rest.
//
// Distributions (σ = Spec.Sigma; t is the column, 0-based):
//
//   - Gaussian: every entry of Q, K and V is i.i.d. N(0, σ²). With the
//     1/sqrt(d) scale the scores have standard deviation σ_s = σ², and the
//     paper's threshold is attention.PaperThreshold(N, σ²).
//   - Decaying: Q and K column t is N(0, (σ·e^(−t/Tau))²) (Tau = Spec.Tau,
//     default 4): a low effective dimension, as in trained heads. V is
//     N(0, σ²). The scores then spread by σ²·sqrt(Σ_t e^(−4t/Tau)/d)
//     (about 0.16σ² at d = 64), not σ²: the paper's b needs it measured.
//   - Massive: like Gaussian, but the first Massive columns (default 2) of Q
//     and K are scaled by MassiveScale (default 10): a few "massive
//     activation" dimensions dominate the scores.
//   - Clustered: Clusters centres (default 8) c_1..c_C i.i.d. N(0, σ²I);
//     key j is c_z + N(0, (Spread·σ)²I) with z uniform on the centres
//     (Spread default 0.25); Q and V are N(0, σ²).
//
// Cost O((N+M)·D + N·DV) time and memory.
package gen

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/hsrviz/hsrviz/internal/enum"
)

// Kind is a data distribution.
type Kind uint8

const (
	Gaussian Kind = iota
	Decaying
	Massive
	Clustered
	// Custom names data the caller brings (the visualizer's loaded .npy
	// files). It is not generated: it is not in Kinds, and Spec refuses it.
	Custom
)

var kindNames = []string{Gaussian: "gaussian", Decaying: "decaying", Massive: "massive", Clustered: "clustered", Custom: "custom"}

func (k Kind) String() string { return enum.String(kindNames, "Kind", k) }

// Kinds lists every kind, in order: the one registry of data kinds (the
// command-line tools, the visualizer and its JavaScript API use it).
func Kinds() []Kind { return []Kind{Gaussian, Decaying, Massive, Clustered} }

// ParseKind parses a kind's name (case-insensitive).
func ParseKind(s string) (Kind, error) { return enum.Parse[Kind](kindNames, "data kind", s) }

// MarshalText writes the kind's name (JSON: "gaussian").
func (k Kind) MarshalText() ([]byte, error) { return enum.Text(kindNames, "data kind", k) }

// UnmarshalText parses a kind's name.
func (k *Kind) UnmarshalText(b []byte) error { return enum.Unmarshal(kindNames, "data kind", b, k) }

// Spec says what to generate. Zero optional fields take the defaults in
// the package comment.
type Spec struct {
	Kind  Kind
	N     int     // keys (and values), ≥ 1
	M     int     // queries, ≥ 0 (0 gives Q == nil)
	D     int     // key and query dimension, ≥ 1
	DV    int     // value dimension (0: D)
	Sigma float64 // σ > 0
	Seed  uint64

	Tau          float64 // Decaying: spread e^(−t/Tau) (0: 4)
	Massive      int     // Massive: how many massive columns (0: min(2, D); at most D)
	MassiveScale float64 // Massive: their scale (0: 10)
	Clusters     int     // Clustered: number of centres (0: 8)
	Spread       float64 // Clustered: key spread around a centre, in σ (0: 0.25)
}

// Defaults returns s with the zero optional fields filled in.
func (s Spec) Defaults() Spec {
	if s.DV == 0 {
		s.DV = s.D
	}
	if s.Tau == 0 {
		s.Tau = 4
	}
	if s.Massive == 0 {
		s.Massive = min(2, s.D) // d = 1 has one column to make massive
	}
	if s.MassiveScale == 0 {
		s.MassiveScale = 10
	}
	if s.Clusters == 0 {
		s.Clusters = 8
	}
	if s.Spread == 0 {
		s.Spread = 0.25
	}
	return s
}

// Validate returns an error naming the first bad field of s (after
// Defaults).
func (s Spec) Validate() error {
	s = s.Defaults()
	pos := func(name string, v float64) error {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("gen: %s must be a positive number (got %v)", name, v)
		}
		return nil
	}
	switch {
	case s.Kind == Custom:
		return fmt.Errorf("gen: data kind custom is the caller's own data, not generated")
	case s.Kind > Clustered:
		return fmt.Errorf("gen: unknown data kind %d", uint8(s.Kind))
	case s.N < 1:
		return fmt.Errorf("gen: n must be ≥ 1 (got %d)", s.N)
	case s.M < 0:
		return fmt.Errorf("gen: m must be ≥ 0 (got %d)", s.M)
	case s.D < 1:
		return fmt.Errorf("gen: d must be ≥ 1 (got %d)", s.D)
	case s.DV < 1:
		return fmt.Errorf("gen: dv must be ≥ 1 (got %d)", s.DV)
	case s.Massive < 0 || s.Massive > s.D:
		return fmt.Errorf("gen: massive must be in [1, d=%d] (got %d)", s.D, s.Massive)
	case s.Clusters < 1:
		return fmt.Errorf("gen: clusters must be ≥ 1 (got %d)", s.Clusters)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"sigma", s.Sigma}, {"tau", s.Tau}, {"massive scale", s.MassiveScale}, {"spread", s.Spread}} {
		if err := pos(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// Streams of the PCG, one per matrix.
const (
	streamK = iota + 1
	streamQ
	streamV
	streamCentres
	streamLabels
)

func rng(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15*stream))
}

// Matrix names one of the three matrices of a Spec.
type Matrix uint8

const (
	MatrixK Matrix = iota // N×D keys
	MatrixQ               // M×D queries
	MatrixV               // N×DV values
)

func (m Matrix) String() string {
	switch m {
	case MatrixK:
		return "K"
	case MatrixQ:
		return "Q"
	case MatrixV:
		return "V"
	}
	return fmt.Sprintf("Matrix(%d)", uint8(m))
}

// Stream produces the rows of one matrix of a Spec in order, a block at a
// time: the rows are those of Generate's matrix bit for bit, whatever the
// block sizes (each matrix draws from its own PCG streams, row after row).
// A caller that cannot afford the whole matrix in one go (the visualizer
// fills a few thousand keys per frame) gets the same data as one that can.
// A Stream is not safe for concurrent use.
type Stream struct {
	rows, cols int
	next       int
	scale      []float64  // per-column σ (Gaussian-type rows)
	r          *rand.Rand // entries
	labels     *rand.Rand // Clustered keys: the centre of each row
	centres    []float64  // Clustered keys: Clusters×D
	spread     float64    // Clustered keys: σ·Spread
	clusters   int
}

// NewStream returns the stream of matrix which of s (after Defaults). It
// costs O(Clusters·D) for clustered keys, O(D) otherwise.
func NewStream(s Spec, which Matrix) (*Stream, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s = s.Defaults()
	colScale := make([]float64, s.D) // per-column σ of Q and K
	for t := range colScale {
		colScale[t] = s.Sigma
		switch s.Kind {
		case Decaying:
			colScale[t] = s.Sigma * math.Exp(-float64(t)/s.Tau)
		case Massive:
			if t < s.Massive {
				colScale[t] = s.Sigma * s.MassiveScale
			}
		}
	}
	switch which {
	case MatrixK:
		st := &Stream{rows: s.N, cols: s.D, r: rng(s.Seed, streamK)}
		if s.Kind != Clustered {
			st.scale = colScale
			return st, nil
		}
		rc := rng(s.Seed, streamCentres)
		st.centres = make([]float64, s.Clusters*s.D)
		for i := range st.centres {
			st.centres[i] = s.Sigma * rc.NormFloat64()
		}
		st.labels, st.spread, st.clusters = rng(s.Seed, streamLabels), s.Spread*s.Sigma, s.Clusters
		return st, nil
	case MatrixQ:
		return &Stream{rows: s.M, cols: s.D, r: rng(s.Seed, streamQ), scale: colScale}, nil
	case MatrixV:
		vs := make([]float64, s.DV)
		for t := range vs {
			vs[t] = s.Sigma
		}
		return &Stream{rows: s.N, cols: s.DV, r: rng(s.Seed, streamV), scale: vs}, nil
	}
	return nil, fmt.Errorf("gen: unknown matrix %d", uint8(which))
}

// Rows is the number of rows of the matrix, Cols its number of columns.
func (st *Stream) Rows() int { return st.rows }
func (st *Stream) Cols() int { return st.cols }

// Done is the number of rows produced so far.
func (st *Stream) Done() int { return st.next }

// Fill writes the next rows of the matrix into dst, row-major: as many
// whole rows as fit in len(dst), at most the rows left. It returns how many
// rows it wrote. Cost O(rows·Cols).
func (st *Stream) Fill(dst []float64) int {
	k := min(len(dst)/st.cols, st.rows-st.next)
	for i := 0; i < k; i++ {
		row := dst[i*st.cols : (i+1)*st.cols]
		if st.centres != nil {
			z := st.labels.IntN(st.clusters)
			c := st.centres[z*st.cols : (z+1)*st.cols]
			for t := range row {
				row[t] = c[t] + st.spread*st.r.NormFloat64()
			}
			continue
		}
		for t := range row {
			row[t] = st.scale[t] * st.r.NormFloat64()
		}
	}
	st.next += k
	return k
}

// Generate returns Q (M×D; nil when M = 0), K (N×D) and V (N×DV).
func Generate(s Spec) (Q, K, V *mat.Dense, err error) {
	if err := s.Validate(); err != nil {
		return nil, nil, nil, err
	}
	s = s.Defaults()
	whole := func(which Matrix) *mat.Dense {
		st, err := NewStream(s, which)
		if err != nil {
			panic("gen: " + err.Error()) // s was validated
		}
		m := mat.NewDense(st.Rows(), st.Cols(), nil)
		st.Fill(m.RawMatrix().Data)
		return m
	}
	K = whole(MatrixK)
	if s.M > 0 {
		Q = whole(MatrixQ)
	}
	V = whole(MatrixV)
	return Q, K, V, nil
}
