package attention

import (
	"fmt"
	"math"

	"github.com/hsrviz/hsrviz/hsr"
)

// Cache is the KV cache of generation decoding: keys and values arrive one
// token at a time (Append inserts the key into the index without a
// rebuild), and each new query attends to every cached key (Attend), at
// the cost of one half-space query plus O(|S|·(d+dv)).
type Cache struct {
	s store
	w work
}

// NewCache returns an empty cache for keys of dimension d and values of
// dimension dv, indexed by the given kind. It panics if d or dv < 1
// (programmer error).
func NewCache(d, dv int, kind IndexKind) *Cache {
	if d < 1 || dv < 1 {
		panic(fmt.Sprintf("attention: NewCache: d and dv must be ≥ 1 (got %d, %d)", d, dv))
	}
	return &Cache{s: newStore(d, dv, kind, newIndex(kind, d, nil))}
}

// Append adds one token's key k (len d) and value v (len dv).
func (c *Cache) Append(k, v []float64) error {
	if len(k) != c.s.d {
		return fmt.Errorf("attention: key has length %d, cache has d = %d", len(k), c.s.d)
	}
	if len(v) != c.s.dv {
		return fmt.Errorf("attention: value has length %d, cache has dv = %d", len(v), c.s.dv)
	}
	if err := checkFinite("key", k, len(k)); err != nil {
		return err
	}
	if err := checkFinite("value", v, len(v)); err != nil {
		return err
	}
	// grow, not append: past 4 MiB it asks for huge pages (the sketch's
	// scattered re-checks read rows of K and V).
	c.s.keys = grow(c.s.keys, len(k))
	copy(c.s.keys[len(c.s.keys)-len(k):], k)
	c.s.vals = grow(c.s.vals, len(v))
	copy(c.s.vals[len(c.s.vals)-len(v):], v)
	c.s.ix.Insert(k)
	growColAbsMax(c.s.kCol, k)
	if c.s.sk != nil {
		c.s.sk.add(k)
	}
	c.s.n++
	c.s.kNorm = math.Max(c.s.kNorm, norm2(k))
	for _, x := range v {
		c.s.vInf = math.Max(c.s.vInf, math.Abs(x))
	}
	return nil
}

// Len is the number of cached tokens.
func (c *Cache) Len() int { return c.s.n }

// Index returns the index over the cached keys (for tracing).
func (c *Cache) Index() hsr.Index { return c.s.ix }

// Attend computes the attention of q over every cached key (p.Causal is
// irrelevant: the cache holds the past) and returns the output (len dv)
// and the row. Not safe for concurrent use with itself or Append.
func (c *Cache) Attend(q []float64, p Params) ([]float64, Row, error) {
	if err := p.Validate(c.s.d); err != nil {
		return nil, Row{}, err
	}
	if len(q) != c.s.d {
		return nil, Row{}, fmt.Errorf("attention: query has length %d, cache has d = %d", len(q), c.s.d)
	}
	if err := checkFinite("query", q, len(q)); err != nil {
		return nil, Row{}, err
	}
	if c.s.n == 0 {
		return nil, Row{}, fmt.Errorf("attention: the cache is empty (Append a key first)")
	}
	if err := checkScore(q, -1, c.s.keys, c.s.kCol, c.s.n); err != nil {
		return nil, Row{}, err
	}
	out := make([]float64, c.s.dv)
	r, err := c.s.row(q, c.s.n, p, out, &c.w, true, maxWorkers())
	if err != nil {
		return nil, Row{}, err
	}
	return out, r, nil
}
