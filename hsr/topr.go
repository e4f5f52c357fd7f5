package hsr

import "math"

// TopRer finds the top-r threshold of a query.
//
// TopR returns tau, the r-th largest value of Dot(a, x) over the stored
// points (r clamped to [1, Len()]), so that Query(a, math.Nextafter(tau,
// math.Inf(-1)), …) reports exactly the points with Dot(a, x) ≥ tau: the r
// largest, plus any that tie with the r-th. NaN dot products are ignored;
// if fewer than r values remain, or the index is empty, tau is −Inf.
// Stats counts the work (Reported stays 0: TopR reports nothing).
type TopRer interface {
	TopR(a []float64, r int) (tau float64, st Stats)
}

// topHeap is a min-heap of the r largest values seen so far: h[0] is the
// r-th largest once the heap is full.
type topHeap []float64

func (h *topHeap) offer(v float64, r int) {
	if math.IsNaN(v) {
		return
	}
	s := *h
	if len(s) < r {
		s = append(s, v)
		for i := len(s) - 1; i > 0; {
			p := (i - 1) / 2
			if s[p] <= s[i] {
				break
			}
			s[p], s[i] = s[i], s[p]
			i = p
		}
		*h = s
		return
	}
	if v <= s[0] {
		return
	}
	s[0] = v
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(s) {
			break
		}
		if l+1 < len(s) && s[l+1] < s[l] {
			l++
		}
		if s[i] <= s[l] {
			break
		}
		s[i], s[l] = s[l], s[i]
		i = l
	}
}

func clampR(r, n int) int {
	return min(max(r, 1), n)
}

// TopR on the scan computes every dot product once: O(n·d), plus
// O(n log r) heap work when r ≤ n/8 or an O(n) selection otherwise.
func (s *Scan) TopR(a []float64, r int) (float64, Stats) {
	checkDim("Scan.TopR", s.d, len(a))
	n, d := s.Len(), s.d
	st := Stats{NodesVisited: 1, LeavesScanned: 1, DotProducts: n}
	if n == 0 {
		return math.Inf(-1), st
	}
	r = clampR(r, n)
	if r <= n/8 {
		h := make(topHeap, 0, r)
		for i := 0; i < n; i++ {
			h.offer(dotRow(a, s.pts[i*d:(i+1)*d]), r)
		}
		if len(h) < r {
			return math.Inf(-1), st
		}
		return h[0], st
	}
	vals := make([]float64, 0, n)
	for i := 0; i < n; i++ {
		if v := dotRow(a, s.pts[i*d:(i+1)*d]); !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	if len(vals) < r {
		return math.Inf(-1), st
	}
	k := len(vals) - r
	selectK(vals, nil, k)
	return vals[k], st
}

// nodeItem is a node waiting in TopR's best-first queue.
type nodeItem struct {
	max        float64 // certified upper bound of Dot over the node
	part, node int32
}

// nodeHeap is a max-heap on max.
type nodeHeap []nodeItem

func (h *nodeHeap) push(it nodeItem) {
	s := append(*h, it)
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p].max >= s[i].max {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
	*h = s
}

func (h *nodeHeap) pop() nodeItem {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(s) {
			break
		}
		if l+1 < len(s) && s[l+1].max > s[l].max {
			l++
		}
		if s[i].max >= s[l].max {
			break
		}
		s[i], s[l] = s[l], s[i]
		i = l
	}
	*h = s
	return top
}

// TopR on the tree is best-first branch and bound: nodes are opened in
// decreasing order of their certified upper bound Max, leaves' points go
// into a heap of the r largest dot products, and the search stops when the
// r-th largest found is ≥ the best Max still queued (no point left can
// change it). Cost: about the nodes and leaf points whose Max exceeds tau,
// times O(log) for the heaps; that is O(r·d + (nodes straddling tau)·d)
// in the good case, and never worse than a full pass plus heap work.
// Stats: NodesVisited counts bounds computed, Opened internal nodes
// expanded, LeavesScanned leaves whose points were computed, Pruned nodes
// bounded but never expanded.
func (t *Tree) TopR(a []float64, r int) (float64, Stats) {
	checkDim("Tree.TopR", t.d, len(a))
	var st Stats
	if t.n == 0 {
		return math.Inf(-1), st
	}
	r = clampR(r, t.n)
	q := query{a: a, st: &st}
	q.setup(t.d)
	all := append(make([]*part, 0, len(t.parts)+1), t.parts...)
	if t.buf.len() > 0 {
		all = append(all, t.buf)
	}
	eps := make([]float64, len(all))
	var nodes nodeHeap
	top := make(topHeap, 0, min(r, 1<<16))
	bound := func(pi, node int) {
		_, hi := all[pi].bound(&q, node, eps[pi])
		if math.IsNaN(hi) {
			hi = math.Inf(1)
		}
		st.NodesVisited++
		if len(top) == r && hi <= top[0] {
			st.Pruned++
			return
		}
		nodes.push(nodeItem{hi, int32(pi), int32(node)})
	}
	for pi, p := range all {
		eps[pi] = p.margin(a)
		bound(pi, 0)
	}
	for len(nodes) > 0 {
		it := nodes.pop()
		if len(top) == r && it.max <= top[0] {
			st.Pruned += len(nodes) + 1
			break
		}
		p := all[it.part]
		nd := p.nodes[it.node]
		if nd.right == 0 {
			st.LeavesScanned++
			d := p.d
			for row := nd.start; row < nd.end; row++ {
				top.offer(dotRow(a, p.pts[int(row)*d:int(row+1)*d]), r)
			}
			st.DotProducts += int(nd.end - nd.start)
			continue
		}
		st.Opened++
		bound(int(it.part), int(it.node)+1)
		bound(int(it.part), int(nd.right))
	}
	if len(top) < r {
		return math.Inf(-1), st
	}
	return top[0], st
}
