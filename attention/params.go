package attention

import (
	"fmt"
	"math"

	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/internal/enum"
)

// Kind is the attention function.
type Kind uint8

const (
	ReLU    Kind = iota // ReLU^α: a_ij = max(s_ij − b, 0)^α, exact with HSR
	Softmax             // softmax; the HSR path keeps only the keys with s_ij ≥ τ_i
)

var kindNames = []string{ReLU: "relu", Softmax: "softmax"}

// Kinds lists every attention kind: the one registry the command-line
// tools, the visualizer and its JavaScript API use.
func Kinds() []Kind { return []Kind{ReLU, Softmax} }

func (k Kind) String() string { return enum.String(kindNames, "Kind", k) }

// ParseKind parses "relu" or "softmax" (case-insensitive).
func ParseKind(s string) (Kind, error) { return enum.Parse[Kind](kindNames, "attention kind", s) }

// MarshalText writes the kind's name (JSON: "relu").
func (k Kind) MarshalText() ([]byte, error) { return enum.Text(kindNames, "attention kind", k) }

// UnmarshalText parses a kind's name.
func (k *Kind) UnmarshalText(b []byte) error {
	return enum.Unmarshal(kindNames, "attention kind", b, k)
}

// Norm is how a ReLU^α row is normalised (softmax rows are always
// normalised by their own sum).
type Norm uint8

const (
	NormRow    Norm = iota // o_i = Σ_j a_ij v_j / Σ_j a_ij (D⁻¹AV); an all-zero row gives 0
	NormNone               // o_i = Σ_j a_ij v_j
	NormLength             // o_i = Σ_j a_ij v_j / n (n = keys visible to the row)
)

var normNames = []string{NormRow: "row", NormNone: "none", NormLength: "length"}

func (n Norm) String() string { return enum.String(normNames, "Norm", n) }

// ParseNorm parses "row", "none" or "length" (case-insensitive).
func ParseNorm(s string) (Norm, error) { return enum.Parse[Norm](normNames, "norm", s) }

// IndexKind chooses the half-space reporting index built over the keys: it
// is hsr's registry of index kinds (one definition in the module).
type IndexKind = hsr.IndexKind

const (
	IndexAuto = hsr.IndexAuto // the tree where it can win, else the scan (see doc.go)
	IndexTree = hsr.IndexTree // always the tree
	IndexScan = hsr.IndexScan // always the linear scan
)

// ParseIndexKind parses "auto", "tree" or "scan" (case-insensitive).
func ParseIndexKind(s string) (IndexKind, error) { return hsr.ParseIndexKind(s) }

// Params selects the attention computed. The zero value is not valid
// (Alpha must be ≥ 1 for ReLU); DefaultParams gives a valid ReLU setting.
type Params struct {
	Kind  Kind
	Alpha int     // ReLU^α exponent, ≥ 1 (ReLU only)
	B     float64 // ReLU threshold b, in score units (ReLU only)
	// Tau is the softmax threshold τ in score units: the HSR path keeps the
	// keys with s_ij ≥ τ. Used when TopR == 0 (softmax only).
	Tau float64
	// TopR > 0 makes the softmax keep the TopR largest scores of each row
	// (τ_i = the TopR-th largest score; all visible keys when TopR ≥ n).
	TopR     int
	Norm     Norm // ReLU only
	Unscaled bool // false: s_ij = <q_i,k_j>/sqrt(d); true: s_ij = <q_i,k_j>
	Causal   bool // query i sees keys j ≤ i only
	Index    IndexKind
	// CountsOnly leaves Row.Keys and Row.Weights nil in batch results
	// (Dense, HSR, Prefill), keeping counts, thresholds and bounds: at
	// m = n = 2^14 the key lists alone would take hundreds of MB.
	CountsOnly bool
}

// DefaultParams is ReLU^1 with b = 0, row normalisation, the 1/sqrt(d)
// scale, no mask and the automatic index.
func DefaultParams() Params { return Params{Kind: ReLU, Alpha: 1} }

// MaxAlpha bounds α: a_ij^α overflows float64 long before, and a larger
// exponent is almost certainly a typo.
const MaxAlpha = 64

// Validate checks p for keys of dimension d and returns an error naming the
// first bad field.
func (p Params) Validate(d int) error {
	if d < 1 {
		return fmt.Errorf("attention: dimension d must be ≥ 1 (got %d)", d)
	}
	switch p.Kind {
	case ReLU:
		if p.Alpha < 1 {
			return fmt.Errorf("attention: alpha must be ≥ 1 (got %d)", p.Alpha)
		}
		if p.Alpha > MaxAlpha {
			return fmt.Errorf("attention: alpha must be ≤ %d (got %d)", MaxAlpha, p.Alpha)
		}
		if math.IsNaN(p.B) || math.IsInf(p.B, 0) {
			return fmt.Errorf("attention: threshold b must be finite (got %v)", p.B)
		}
		if p.Norm > NormLength {
			return fmt.Errorf("attention: unknown norm %d", uint8(p.Norm))
		}
	case Softmax:
		if p.TopR < 0 {
			return fmt.Errorf("attention: topr must be ≥ 0 (got %d)", p.TopR)
		}
		if p.TopR == 0 && (math.IsNaN(p.Tau) || math.IsInf(p.Tau, 0)) {
			return fmt.Errorf("attention: threshold tau must be finite (got %v)", p.Tau)
		}
	default:
		return fmt.Errorf("attention: unknown kind %d (want relu or softmax)", uint8(p.Kind))
	}
	if !p.Index.Valid() {
		return fmt.Errorf("attention: unknown index %d (want auto, tree or scan)", uint8(p.Index))
	}
	return nil
}

// scale is the divisor of <q,k> in a score: sqrt(d), or 1 when unscaled.
func (p Params) scale(d int) float64 {
	if p.Unscaled {
		return 1
	}
	return math.Sqrt(float64(d))
}

// Offset is the half-space query offset c of a row in dot-product units:
// sqrt(d)·b for ReLU^α, sqrt(d)·τ for softmax with a given τ (without the
// sqrt(d) when Unscaled). The keys with <q, k> > c are the row's keys; the
// visualizer traces Index().Trace(q, Offset(d), …). For top-r softmax, c
// depends on the row: sqrt(d)·Row.Threshold.
func (p Params) Offset(d int) float64 {
	t := p.B
	if p.Kind == Softmax {
		t = p.Tau
	}
	return p.scale(d) * t
}
