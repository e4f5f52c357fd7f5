// Package gen makes the seeded, deterministic Q, K, V data of SPEC's
// sparsity regime and of the non-isotropic regimes real keys resemble.
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
//     N(0, σ²).
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
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Kind is a data distribution.
type Kind uint8

const (
	Gaussian Kind = iota
	Decaying
	Massive
	Clustered
)

var kindNames = [...]string{"gaussian", "decaying", "massive", "clustered"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Kinds lists every kind, in order.
func Kinds() []Kind { return []Kind{Gaussian, Decaying, Massive, Clustered} }

// ParseKind parses a kind's name (case-insensitive).
func ParseKind(s string) (Kind, error) {
	for i, n := range kindNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("gen: unknown data kind %q (want gaussian, decaying, massive or clustered)", s)
}

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
	Massive      int     // Massive: how many massive columns (0: 2; at most D)
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
		s.Massive = 2
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

// Generate returns Q (M×D; nil when M = 0), K (N×D) and V (N×DV).
func Generate(s Spec) (Q, K, V *mat.Dense, err error) {
	if err := s.Validate(); err != nil {
		return nil, nil, nil, err
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
	gauss := func(r *rand.Rand, rows int, scale []float64) *mat.Dense {
		m := mat.NewDense(rows, len(scale), nil)
		data := m.RawMatrix().Data
		for i := range data {
			data[i] = scale[i%len(scale)] * r.NormFloat64()
		}
		return m
	}
	if s.Kind == Clustered {
		rc := rng(s.Seed, streamCentres)
		centres := make([]float64, s.Clusters*s.D)
		for i := range centres {
			centres[i] = s.Sigma * rc.NormFloat64()
		}
		rl, rk := rng(s.Seed, streamLabels), rng(s.Seed, streamK)
		K = mat.NewDense(s.N, s.D, nil)
		for j := 0; j < s.N; j++ {
			z := rl.IntN(s.Clusters)
			row := K.RawRowView(j)
			for t := range row {
				row[t] = centres[z*s.D+t] + s.Spread*s.Sigma*rk.NormFloat64()
			}
		}
	} else {
		K = gauss(rng(s.Seed, streamK), s.N, colScale)
	}
	if s.M > 0 {
		Q = gauss(rng(s.Seed, streamQ), s.M, colScale)
	}
	vs := make([]float64, s.DV)
	for t := range vs {
		vs[t] = s.Sigma
	}
	V = gauss(rng(s.Seed, streamV), s.N, vs)
	return Q, K, V, nil
}
