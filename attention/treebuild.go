package attention

import (
	"fmt"

	"github.com/hsrviz/hsrviz/hsr"
)

// TreeBuilder starts building, in steps (hsr.TreeBuilder), the tree that
// WithIndex(IndexAuto) builds in one call: over the engine's keys with the
// default options. A caller that must not block for the O(n log n) build
// (the visualizer, one thread in a browser) steps it between frames and
// then calls WithTree.
func (e *Engine) TreeBuilder() *hsr.TreeBuilder {
	return hsr.NewTreeBuilder(e.s.d, e.s.keys[:e.s.n*e.s.d], hsr.TreeOptions{})
}

// WithTree is WithIndex(IndexAuto) with its tree built already: t must
// come from e.TreeBuilder() (or be NewTree's over the same keys with the
// default options); the engine is then the one WithIndex(IndexAuto)
// returns, and WithIndex(IndexTree) on it shares t.
func (e *Engine) WithTree(t *hsr.Tree) (*Engine, error) {
	s := &e.s
	if t == nil || t.Dim() != s.d || t.Len() != s.n || t.Options() != hsr.NewTree(s.d, nil, hsr.TreeOptions{}).Options() {
		return nil, fmt.Errorf("attention: WithTree: the tree is not one over the engine's %d keys of dimension %d with the default options", s.n, s.d)
	}
	return e.withIndex(IndexAuto, hsr.AutoOver(t, s.keys[:s.n*s.d]))
}
