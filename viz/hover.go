package viz

import (
	"fmt"
	"image/color"
	"strings"

	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// Hover, tap and inspection. What the pointer points at is found by one
// function, App.inspectAt, from the places the panels drew things at in
// the last frame (the heatmap's maps, the geometry's view, the tree's
// bars); the tooltip of the next frame, the highlights in the other panels
// and the JS API's hsrviz.inspect (App.Inspect) all take its answer, so
// what a test inspects is what a user sees.
//
// A heatmap cell (query i, key j) also rings key j's point in the geometry
// panel and marks the deepest node of the shown trace whose box holds k_j
// (its leaf, or the pruned or reported-whole node that decided it) in the
// tree panel. A touch is a hover that stays where the finger lifted: a tap
// shows the tooltip, a tap elsewhere moves it (the mouse position, which a
// touch screen leaves stale, is ignored until the mouse moves).

// Inspection is what hovering at one point of the canvas shows.
type Inspection struct {
	Panel string `json:"panel"`
	// Kind is "cell" (a heatmap cell), "point" (a key in the geometry
	// panel), "bar" (a node of the trace in the tree panel) or "query"
	// (the query arrow's draggable head, d = 2).
	Kind  string `json:"kind"`
	Query int    `json:"query"` // the query row i (−1: none)
	Key   int    `json:"key"`   // the key id j (−1: none)
	Step  int    `json:"step"`  // "bar": the trace step, from 1 (0: none)
	// Dot and Score are q_i·k_j and s = q_i·k_j/√d; Weight is the
	// engine's normalised weight of key j in row i (0 when not reported),
	// DenseWeight the dense row's; Reported whether the engine's row
	// reported key j. Present only for a cell or a point whose row is
	// computed.
	Dot         *float64 `json:"dot,omitempty"`
	Score       *float64 `json:"score,omitempty"`
	Weight      *float64 `json:"weight,omitempty"`
	DenseWeight *float64 `json:"dense_weight,omitempty"`
	Reported    *bool    `json:"reported,omitempty"`
	// Text is the tooltip, one line per line.
	Text string `json:"text"`

	lines  []string
	ax, ay float32 // the tooltip's anchor
	hi     func(p painter)
}

// Inspect returns what hovering at (x, y) (logical pixels, as
// Snapshot().Panels) shows, or nil where hovering shows nothing. It reads
// the last drawn frame: call it after Scene.
func (a *App) Inspect(x, y float32) *Inspection {
	if a.ui.scenes == 0 || a.ui.help {
		return nil
	}
	return a.inspectAt(x, y)
}

// inspectAt is the one hit test of hover, tap and Inspect.
func (a *App) inspectAt(x, y float32) *Inspection {
	for _, pn := range a.panels {
		r, ok := a.ui.lay.panels[pn.name()]
		if !ok || !r.contains(x, y) {
			continue
		}
		var in *Inspection
		switch t := pn.(type) {
		case *heatmapPanel:
			in = t.hit(a, x, y)
		case *geometryPanel:
			in = a.geometryHit(x, y)
		case *treePanel:
			in = t.hit(a, x, y)
		}
		if in != nil {
			in.Panel = pn.name()
			in.Text = strings.Join(in.lines, "\n")
		}
		return in
	}
	return nil
}

// hoverHit is the inspection under the pointer this frame (nil: none).
func (a *App) hoverHit() *Inspection {
	if !a.ui.hasPtr || a.ui.help || a.ui.qdrag.active || !a.ui.lesson.moved {
		// (moved: a pointer nobody moved, as under Xvfb, shows nothing;
		// lesson_ui.go)
		return nil
	}
	return a.inspectAt(a.ui.pointer.X, a.ui.pointer.Y)
}

// drawHover draws the hovered thing's highlight and tooltip over panel r.
func (a *App) drawHover(p painter, name string, r rect) {
	h := a.ui.hover
	if h == nil || h.Panel != name {
		return
	}
	if h.hi != nil {
		h.hi(p)
	}
	p.tooltip(h.ax, h.ay, h.lines, r)
}

// hoveredKey is the key a hovered heatmap cell or point names (−1: none).
func (a *App) hoveredKey() int {
	if h := a.ui.hover; h != nil && (h.Kind == "cell" || h.Kind == "point") {
		return h.Key
	}
	return -1
}

// primary is the pointer of this tick, touch-aware: a finger down or just
// lifted (the tick it lifts) before the mouse, whose position a touch
// screen leaves where it was.
func (a *App) primary(in *input.Input) (input.Pointer, bool) {
	var touch *input.Pointer
	for i := range in.Pointers {
		p := &in.Pointers[i]
		if p.ID != 0 && (touch == nil || p.Down) {
			touch = p
		}
	}
	if touch != nil {
		return *touch, true
	}
	return in.Primary()
}

// trackPointer sets the hover point: the mouse, or the last touch (which
// stays after the finger lifts, until the mouse moves).
func (a *App) trackPointer(in *input.Input) {
	for _, p := range in.Pointers {
		if p.ID != 0 {
			t, _ := a.primary(in)
			a.ui.pointer, a.ui.hasPtr = t, true
			a.ui.touched = true
			if m, ok := in.Primary(); ok && m.ID == 0 {
				a.ui.staleMouse = [2]float32{m.X, m.Y}
			}
			return
		}
	}
	p, ok := in.Primary()
	if !ok {
		return
	}
	if a.ui.touched && p.ID == 0 && !p.Down && p.X == a.ui.staleMouse[0] && p.Y == a.ui.staleMouse[1] {
		a.ui.pointer.Down = false
		return // the mouse has not moved since the touch: keep the tap's point
	}
	a.ui.touched = false
	a.ui.pointer, a.ui.hasPtr = p, true
}

// --- the help button (the header's "? help", tappable) ---

// helpButton is the header's help button where it was last drawn.
func (a *App) helpButton() rect { return a.ui.helpBtn }

// handleHelpTap opens the help on a click or tap of the help button and
// closes the open help on any click or tap. It reports whether it took
// the click.
func (a *App) handleHelpTap(x, y float32) bool {
	if a.ui.help {
		a.ui.help = false
		return true
	}
	if a.ui.helpBtn.W > 0 && a.ui.helpBtn.contains(x, y) {
		a.ui.help = true
		return true
	}
	if a.ui.textBtn.W > 0 && a.ui.textBtn.contains(x, y) {
		p := a.p
		p.Text = nextTextSize(p.Text, 1)
		_ = a.SetParams(p)
		return true
	}
	return false
}

// --- panels' hit tests ---

// hit is the heatmap cell at (x, y): the row, and the key of the largest
// dense weight among the keys the cell's column covers.
func (hp *heatmapPanel) hit(a *App, x, y float32) *Inspection {
	if hp.cols <= 0 {
		return nil
	}
	m := a.p.M
	rows, _ := hp.heatRows(a)
	for _, mr := range hp.maps {
		if !mr.contains(x, y) {
			continue
		}
		i := min(m-1, int((y-mr.Y)/mr.H*float32(m)))
		c := min(hp.cols-1, int((x-mr.X)/mr.W*float32(hp.cols)))
		in := &Inspection{Kind: "cell", Query: i, Key: -1, ax: x, ay: y}
		maps := hp.maps
		cols := hp.cols
		in.hi = func(p painter) {
			for _, o := range maps {
				p.rect(rect{o.X, o.Y + o.H*float32(i)/float32(m), o.W, max(1, o.H/float32(m))}, colTransparent, colHover, 1.5)
				p.rect(rect{o.X + o.W*float32(c)/float32(cols), o.Y, max(1, o.W/float32(cols)), o.H}, colTransparent, colHover, 1.5)
			}
		}
		if i >= len(rows) || rows[i] == nil {
			in.lines = []string{fmt.Sprintf("row q%d: not computed yet", i)}
			return in
		}
		rr := rows[i]
		j, lines := a.cellInfo(i, c, hp.cols, rr)
		if j < 0 {
			return nil
		}
		in.Key, in.lines = j, lines
		a.fillNumbers(in, rr)
		if in.Weight != nil && in.DenseWeight != nil && len(in.lines) > 2 {
			// the key's own weights (a column may cover several keys)
			in.lines[2] = fmt.Sprintf("weight of k%d: dense %.4g   HSR %.4g", j, *in.DenseWeight, *in.Weight)
		}
		return in
	}
	return nil
}

// fillNumbers adds the dot product, score and weights of (in.Query,
// in.Key) to in, from row result rr (nil: the row is not computed).
func (a *App) fillNumbers(in *Inspection, rr *rowResult) {
	ds := a.data
	d := ds.d
	i, j := in.Query, in.Key
	qk, s := ds.score(a.q[i*d:(i+1)*d], j)
	in.Dot, in.Score = &qk, &s
	if rr == nil {
		return
	}
	w, rep := 0.0, false
	sum := 0.0
	for _, x := range rr.row.Weights {
		sum += x
	}
	for x, id := range rr.row.Keys {
		if id == j {
			rep = true
			if sum > 0 {
				w = rr.row.Weights[x] / sum
			}
		}
	}
	in.Weight, in.Reported = &w, &rep
	if jb := a.jobOf(rr); jb != nil {
		dw := 0.0
		if rr.z > 0 {
			dw = jb.ap.Weight(s, rr.smax) / rr.z
		}
		in.DenseWeight = &dw
	}
}

// jobOf is the rows job that holds row result rr.
func (a *App) jobOf(rr *rowResult) *rowsJob {
	for _, jb := range []*rowsJob{a.rows, a.shownRows} {
		if jb != nil {
			for k := range jb.rows {
				if &jb.rows[k] == rr {
					return jb
				}
			}
		}
	}
	return nil
}

// rowOf is the computed row i of the current parameters, or nil.
func (a *App) rowOf(i int) *rowResult {
	if jb := a.rows; jb != nil && jb.key == a.rowsKey() && i < len(jb.rows) && jb.rows[i].done {
		return &jb.rows[i]
	}
	return nil
}

// geometryHit is the drawn key nearest to (x, y) within 8 pixels, or the
// query arrow's head (d = 2) when it is nearer.
func (a *App) geometryHit(x, y float32) *Inspection {
	g := a.ui.geo
	gd := &a.ui.geoDrawn
	if g == nil || !gd.ok || !gd.plot.contains(x, y) {
		return nil
	}
	v := gd.v
	best, bd := -1, float32(8*8)
	for i := range g.xs {
		dx, dy := v.X(g.xs[i])-x, v.Y(g.ys[i])-y
		if dd := dx*dx + dy*dy; dd < bd {
			best, bd = i, dd
		}
	}
	qd := &a.ui.qdrag
	if qd.tipOK && a.p.D == 2 {
		dx, dy := qd.tipX-x, qd.tipY-y
		if dd := dx*dx + dy*dy; dd <= dragGrab*dragGrab && (best < 0 || dd < bd) {
			in := &Inspection{Kind: "query", Query: a.p.Query, Key: -1, ax: qd.tipX, ay: qd.tipY,
				lines: []string{fmt.Sprintf("query q%d: drag to move it", a.p.Query)}}
			tx, ty := qd.tipX, qd.tipY
			in.hi = func(p painter) { p.circle(tx, ty, 9, colTransparent, colHover, 2) }
			return in
		}
	}
	if best < 0 {
		return nil
	}
	X, Y := v.X(g.xs[best]), v.Y(g.ys[best])
	j := g.ids[best]
	in := &Inspection{Kind: "point", Query: a.p.Query, Key: j, ax: X, ay: Y, lines: a.keyInfo(j)}
	in.hi = func(p painter) { p.circle(X, Y, 7, colTransparent, colHover, 2) }
	a.fillNumbers(in, a.rowOf(a.p.Query))
	return in
}

// geoDrawn is where the geometry panel last drew its plot.
type geoDrawn struct {
	ok   bool
	v    view
	plot rect
}

// hit is the bar of the trace under (x, y) (the latest step drawn there).
func (tp *treePanel) hit(a *App, x, y float32) *Inspection {
	t := a.trace
	if t == nil || !tp.plot.contains(x, y) {
		return nil
	}
	k := min(a.step, len(tp.bars), len(t.Steps))
	for i := k - 1; i >= 0; i-- {
		b := tp.bars[i]
		if x >= b.x0-1 && x <= b.x1+1 && y >= b.y-1 && y <= b.y+b.h+1 {
			s := t.Steps[i]
			in := &Inspection{Kind: "bar", Query: a.p.Query, Key: -1, Step: i + 1, ax: x, ay: y,
				lines: []string{fmt.Sprintf("step %d: level %d, %d keys below", i+1, s.Depth, s.Count),
					fmt.Sprintf("q·x over the box ∈ [%.4g, %.4g]", s.Min, s.Max),
					fmt.Sprintf("→ %s (%d reported, %d dot products)", s.Decision, s.Reported, s.DotProducts)}}
			in.hi = func(p painter) {
				p.rect(rect{b.x0 - 1, b.y - 1, b.x1 - b.x0 + 2, b.h + 2}, colTransparent, colHover, 2)
			}
			return in
		}
	}
	return nil
}

// stepOfKey is the index in the trace of the deepest step among the first
// k whose box holds key j (−1: none): the node where the query decided
// key j. A step without a box (a scan) holds every key.
func stepOfKey(t *hsr.Trace, k int, key []float64) int {
	best, depth := -1, -1
	for i, s := range t.Steps[:min(k, len(t.Steps))] {
		if s.Depth <= depth || !boxHolds(s, key) {
			continue
		}
		best, depth = i, s.Depth
	}
	return best
}

func boxHolds(s hsr.Step, x []float64) bool {
	if len(s.Lo) != len(x) || len(s.Hi) != len(x) {
		return len(s.Lo) == 0
	}
	for t := range x {
		if x[t] < s.Lo[t] || x[t] > s.Hi[t] {
			return false
		}
	}
	return true
}

// hoverState is what hover, taps, the help button and the query drag keep
// between ticks (part of uiState).
type hoverState struct {
	hover        *Inspection // under the pointer this frame
	touched      bool        // the pointer is the last touch, not the mouse
	staleMouse   [2]float32  // the mouse's position when the touch came
	helpBtn      rect        // the header's help button as last drawn
	textBtn      rect        // the header's text-size button as last drawn
	qdrag        queryDrag
	qdragWasDown bool // the pointer was down at the last tick
	geoDrawn     geoDrawn
	tapBefore    inspectID     // what was hovered when the last press began
	rawPtr       input.Pointer // the primary pointer as polled last tick (App.noteActivity)
	hasRaw       bool
	qlabel       struct { // the query label's place (panel_geometry.go)
		key  any
		x, y float32
	}
}

// inspectID identifies what an Inspection is about.
type inspectID struct {
	panel, kind      string
	query, key, step int
}

func (in *Inspection) id() inspectID {
	if in == nil {
		return inspectID{}
	}
	return inspectID{in.Panel, in.Kind, in.Query, in.Key, in.Step}
}

// tapClicks reports whether a press and release at p is a click for the
// panels: always for the mouse; for a finger, only a tap on what the
// previous tap already shows (the first tap shows the tooltip, as a
// hover; the second acts, as a click).
func (a *App) tapClicks(p input.Pointer) bool {
	if p.ID == 0 {
		return true
	}
	now := a.inspectAt(p.X, p.Y)
	return now != nil && now.id() == a.ui.tapBefore
}

// noteDown remembers whether the pointer is down (a drag starts on a press).
func (u *uiState) noteDown(a *App, in *input.Input) {
	p, ok := a.primary(in)
	u.qdragWasDown = ok && p.Down
}

var colTransparent = color.RGBA{}

// helpLabel is the header's help button.
const helpLabel = "? help"

// drawHelpButton draws the header's tappable buttons at the right of r,
// the help and the text size, and returns the width they take.
func (a *App) drawHelpButton(p painter, r rect) float32 {
	h := min(r.H-8, lineHeight(sizeCaption)+10)
	x := r.X + r.W - 8
	button := func(label string, on bool) rect {
		w := textWidth(label, sizeCaption) + 18
		x -= w
		b := rect{x, r.Y + (r.H-h)/2, w, h}
		x -= 6
		fill := colPanel
		if on {
			fill = colGrid
		}
		p.rect(b, fill, colBorder, 1)
		p.text(b.X+b.W/2, b.Y+(b.H-lineHeight(sizeCaption))/2, label, sizeCaption, colAccent, scene.AlignCenter)
		return b
	}
	a.ui.helpBtn = button(helpLabel, a.ui.help)
	a.ui.textBtn = button(textLabel(a.p.Text), false)
	return r.X + r.W - x
}

// helpRegions is the header buttons' regions ("help", "text") and the
// query handle's (a square around the arrow's head, "query") for
// Snapshot().Buttons.
func (a *App) helpRegions() []Region {
	b := a.ui.helpBtn
	if b.W == 0 {
		return nil
	}
	t := a.ui.textBtn
	out := []Region{{Name: "help", X: b.X, Y: b.Y, W: b.W, H: b.H}, {Name: "text", X: t.X, Y: t.Y, W: t.W, H: t.H}}
	if qd := &a.ui.qdrag; qd.tipOK && a.p.D == 2 {
		out = append(out, Region{Name: "query", X: qd.tipX - dragGrab/2, Y: qd.tipY - dragGrab/2, W: dragGrab, H: dragGrab})
	}
	return out
}
