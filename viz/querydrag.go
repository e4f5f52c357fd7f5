package viz

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hsrviz/hsrviz/viz/input"
)

// Dragging the query (d = 2). In the geometry panel at d = 2 the arrow's
// head is a handle: pressing on it and moving drags the query q_i, and the
// half-plane, the reported keys, the trace, the heatmap row and the numbers
// follow through the normal pipeline (the rows, the trace and the series
// recompute as for any new parameter, a unit per tick while the pointer
// moves, so no frame stalls).
//
// While the pointer drags the query, a b measured from the scores (paper
// b, share) stays as last measured, so that every tick's unit goes to the
// trace of the moved query; the sample of the scores is taken again when
// the pointer lets go, and b, the rows and the numbers follow.
//
// Choice: the dragged query is a parameter, Params.QVec = "i:x,y" (row i
// of Q replaced by (x, y), written with 4 significant digits), so a link
// reproduces it and the JS API can set it. One row at a time: dragging
// another row's arrow moves the override there. It exists at d = 2 only
// (normalize drops it at any other d, or when m no longer has row i), and
// "" is the generated queries.

// maxQVec bounds a dragged query's entries.
const maxQVec = 1e6

// parseQVec reads "i:x,y".
func parseQVec(s string) (row int, x, y float64, err error) {
	rs, xy, ok := strings.Cut(s, ":")
	xs, ys, ok2 := strings.Cut(xy, ",")
	if !ok || !ok2 {
		return 0, 0, 0, fmt.Errorf("qvec must be \"i:x,y\" (row i of Q replaced by the vector (x, y)), got %q", s)
	}
	row, err = strconv.Atoi(strings.TrimSpace(rs))
	if err != nil {
		return 0, 0, 0, fmt.Errorf("qvec %q: the row i is not an integer", s)
	}
	x, err1 := strconv.ParseFloat(strings.TrimSpace(xs), 64)
	y, err2 := strconv.ParseFloat(strings.TrimSpace(ys), 64)
	if err1 != nil || err2 != nil || math.IsNaN(x) || math.IsNaN(y) || math.Abs(x) > maxQVec || math.Abs(y) > maxQVec {
		return 0, 0, 0, fmt.Errorf("qvec %q: x and y must be finite numbers of magnitude ≤ %g", s, float64(maxQVec))
	}
	return row, x, y, nil
}

// formatQVec writes row i's dragged query.
func formatQVec(i int, x, y float64) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
	return fmt.Sprintf("%d:%s,%s", i, f(x), f(y))
}

// validQVec checks Params.QVec (after normalize).
func (p Params) validQVec() error {
	if p.QVec == "" {
		return nil
	}
	row, _, _, err := parseQVec(p.QVec)
	switch {
	case err != nil:
		return err
	case p.D != 2:
		return fmt.Errorf("qvec is for d = 2 only (got d = %d)", p.D)
	case row < 0 || row >= p.M:
		return fmt.Errorf("qvec: row %d is not a query (0…%d)", row, p.M-1)
	}
	return nil
}

// normalizeHover keeps the text scale and the dragged query consistent:
// an unset text scale (0, a Params literal) is 1; a dragged query is
// dropped when d is no longer 2 or m no longer has its row.
func (p *Params) normalizeHover() {
	if p.Text == 0 {
		p.Text = 1
	}
	if p.QVec != "" {
		if row, _, _, err := parseQVec(p.QVec); err == nil && (p.D != 2 || row >= p.M) {
			p.QVec = ""
		}
	}
}

// applyQVec writes the dragged query of p into Q (m×d, row-major).
func applyQVec(p Params, q []float64) {
	if p.QVec == "" || p.D != 2 {
		return
	}
	row, x, y, err := parseQVec(p.QVec)
	if err != nil || row < 0 || row >= p.M {
		return
	}
	q[2*row], q[2*row+1] = x, y
}

// queryDrag is the state of a drag of the query arrow.
type queryDrag struct {
	active bool
	// the arrow's head where it was last drawn, and the geometry view
	tipX, tipY float32
	tipOK      bool
	v          view
	plot       rect
}

// dragGrab is how close (pixels) to the arrow's head a press grabs it.
const dragGrab = 16

// handleQueryDrag starts, moves and ends a drag of the query arrow. It
// reports whether the pointer is dragging the query (the other handlers
// then leave this tick's pointer alone).
func (a *App) handleQueryDrag(in *input.Input) bool {
	qd := &a.ui.qdrag
	p, ok := a.primary(in)
	down := ok && p.Down
	if !down {
		qd.active = false
		return false
	}
	if !qd.active {
		if a.ui.qdragWasDown || !qd.tipOK || a.p.D != 2 || a.ui.help {
			return false
		}
		dx, dy := p.X-qd.tipX, p.Y-qd.tipY
		if dx*dx+dy*dy > dragGrab*dragGrab {
			return false
		}
		qd.active = true
	}
	// the pointer, kept inside the plot, in data coordinates
	v := qd.v
	X := max(qd.plot.X+2, min(qd.plot.X+qd.plot.W-2, p.X))
	Y := max(qd.plot.Y+2, min(qd.plot.Y+qd.plot.H-2, p.Y))
	x := v.x0 + float64(X-v.px)/v.sx
	y := v.y0 + float64(v.py+v.ph-Y)/v.sy
	np := a.p
	np.QVec = formatQVec(np.Query, x, y)
	if np != a.p {
		_ = a.SetParams(np)
	}
	return true
}

// dragPlot is the query's data-space position for the pointer at (X, Y)
// (tests: where to drag to).
func (a *App) queryTip() (x, y float32, ok bool) {
	qd := &a.ui.qdrag
	return qd.tipX, qd.tipY, qd.tipOK
}
