package hsr

import (
	"fmt"

	"github.com/hsrviz/hsrviz/internal/enum"
)

// IndexKind names one of the index constructors of this package. It is the
// one registry of index kinds in the module: attention, the visualizer, the
// command-line tools and the JavaScript API all parse and print index kinds
// through it (String, ParseIndexKind, and the text form in JSON).
type IndexKind uint8

const (
	// IndexAuto is a Tree that chooses per query and per part between its
	// walk and a plain scan (NewAuto).
	IndexAuto IndexKind = iota
	// IndexTree is the k-d tree alone (NewTree).
	IndexTree
	// IndexScan is the linear scan (NewScan): the oracle and the fallback.
	IndexScan
)

var indexKindNames = []string{IndexAuto: "auto", IndexTree: "tree", IndexScan: "scan"}

// IndexKinds lists every index kind, in the order a user interface offers
// them.
func IndexKinds() []IndexKind { return []IndexKind{IndexTree, IndexScan, IndexAuto} }

// Valid reports whether k is one of the defined kinds.
func (k IndexKind) Valid() bool { return int(k) < len(indexKindNames) }

func (k IndexKind) String() string { return enum.String(indexKindNames, "IndexKind", k) }

// ParseIndexKind parses "auto", "tree" or "scan" (case-insensitive,
// surrounding space ignored).
func ParseIndexKind(s string) (IndexKind, error) {
	return enum.Parse[IndexKind](indexKindNames, "index", s)
}

// MarshalText writes the kind's name (JSON: "tree").
func (k IndexKind) MarshalText() ([]byte, error) { return enum.Text(indexKindNames, "index kind", k) }

// UnmarshalText parses a kind's name.
func (k *IndexKind) UnmarshalText(b []byte) error {
	return enum.Unmarshal(indexKindNames, "index", b, k)
}

// New builds an index of the given kind over the n = len(points)/d rows of
// points, with default options. Bad arguments are an error, not a panic.
func New(kind IndexKind, d int, points []float64) (Index, error) {
	if d < 1 {
		return nil, fmt.Errorf("hsr: dimension %d < 1", d)
	}
	if len(points)%d != 0 {
		return nil, fmt.Errorf("hsr: %d coordinates is not a whole number of points of dimension %d", len(points), d)
	}
	if len(points)/d >= 1<<31-1 {
		return nil, fmt.Errorf("hsr: %d points is too many (at most 2^31-2)", len(points)/d)
	}
	switch kind {
	case IndexTree:
		return NewTree(d, points, TreeOptions{}), nil
	case IndexScan:
		return NewScan(d, points), nil
	case IndexAuto:
		return NewAuto(d, points, TreeOptions{}), nil
	}
	return nil, fmt.Errorf("hsr: unknown index kind %d", uint8(kind))
}

// Ascending is implemented by indexes that can promise to report ids in
// increasing order. A caller that needs only the ids below some limit (a
// causal attention row sees a prefix of the keys) may then stop at the
// first id past it.
type Ascending interface {
	// ReportsAscending reports whether every Query visits ids in
	// increasing order.
	ReportsAscending() bool
}

// ReportsAscending is true: Scan tests the points in id order and reports
// each hit as it finds it (Query, AppendQuery and Trace alike).
func (s *Scan) ReportsAscending() bool { return true }
