package viz

// Layout: a header line, a control column (left when the window is wide,
// on top when narrow) and the panels (newPanels, in order) in a grid that
// adapts to the window: 3 columns when wide, 2 when medium, one column when
// narrow (phones), where the content scrolls. With six panels that is 3×2
// and 2×3; the grid takes as many rows as the panels need.

// Panel names (Snapshot().Panels[i].Name).
const (
	PanelGeometry  = "geometry"
	PanelTree      = "tree"
	PanelHeatmap   = "heatmap"
	PanelNumbers   = "numbers"
	PanelScaling   = "scaling"
	PanelHistogram = "histogram"
	PanelControls  = "controls"
)

type rect struct{ X, Y, W, H float32 }

func (r rect) inset(d float32) rect { return rect{r.X + d, r.Y + d, r.W - 2*d, r.H - 2*d} }
func (r rect) contains(x, y float32) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}
func (r rect) overlaps(o rect) bool {
	return r.X < o.X+o.W && o.X < r.X+r.W && r.Y < o.Y+o.H && o.Y < r.Y+r.H
}

type layout struct {
	w, h     float32
	header   rect
	controls rect // zero W when hidden
	panels   map[string]rect
	narrow   bool
	content  float32 // total content height (narrow: may exceed h)
}

const (
	headerH   = 34
	gap       = 8
	controlW  = 250
	controlW2 = 400
)

// computeLayout lays out a w×h window for the named panels (in reading
// order); scroll shifts the narrow layout up.
func computeLayout(w, h int, controls bool, scroll float32, names []string) layout {
	W, H := float32(w), float32(h)
	L := layout{w: W, h: H, panels: map[string]rect{}}
	L.header = rect{0, 0, W, scaled(headerH)}
	top := scaled(headerH)
	// the control column: one column of widgets, or two when the window is
	// too short for one; without room for the panels beside it, the narrow
	// (scrolling) layout
	cwid := float32(0)
	if controls {
		cwid = scaled(controlW)
		if controlsHeight(cwid) > H-top-gap {
			cwid = scaled(controlW2)
		}
	}
	bandH := float32(0)
	if controls {
		bandH = controlsHeight(W - 2*gap)
	}
	switch {
	case W < 1000 && H > W*1.2 && W >= 600 && H-top-bandH-gap >= float32(rowsOf(len(names), 2))*scaled(tabletRowH):
		// tall and medium (a portrait tablet): controls in a band on top, panels 2×3
		y := top
		if controls {
			L.controls = rect{gap, top, W - 2*gap, bandH}
			y += bandH + gap
		}
		grid(L.panels, names, gap, y, W-2*gap, H-y-gap, 2)
		L.content = H
	case W-cwid >= scaled(560) && H >= scaled(420) && !gridTooShort(W, H, cwid, top, controls, len(names)):
		left := float32(gap)
		if controls {
			L.controls = rect{gap, top, cwid, H - top - gap}
			left = gap + cwid + gap
		}
		cw := W - left - gap
		ch := H - top - gap
		if gridCols(cw, ch) == 3 {
			grid(L.panels, names, left, top, cw, ch, 3)
		} else {
			grid(L.panels, names, left, top, cw, ch, 2)
		}
		L.content = H
	case W-2*gap >= scaled(2*wideScrollColW):
		// wide, but too short for the control column at this text size
		// (a projector with large text): scroll two columns (textscale.go)
		wideScroll(&L, names, controls, top, scroll)
	default:
		L.narrow = true
		// the most interesting picture first, then the controls, then the rest
		y := top - scroll
		ph := max(300, min(H*0.62, (W-2*gap)*1.05))
		for i, name := range names {
			if i == 1 && controls {
				ctlH := controlsHeight(W - 2*gap)
				L.controls = rect{gap, y, W - 2*gap, ctlH}
				y += ctlH + gap
			}
			hh := ph
			if name == PanelNumbers {
				hh = max(ph, 360)
			}
			L.panels[name] = rect{gap, y, W - 2*gap, hh}
			y += hh + gap
		}
		L.content = y + scroll
	}
	return L
}

// rowsOf is the number of rows k panels take in cols columns.
func rowsOf(k, cols int) int { return max(1, (k+cols-1)/cols) }

// grid places the named panels row by row in cols columns. With 3 columns
// the middle one (the tree) is a little wider, and with 2 or 3 rows the
// top row (the pictures) a little taller; otherwise the shares are equal.
func grid(dst map[string]rect, names []string, x0, y0, w, h float32, cols int) {
	colW := make([]float32, cols)
	for i := range colW {
		colW[i] = 1 / float32(cols)
	}
	if cols == 3 {
		colW = []float32{0.31, 0.36, 0.33}
	}
	nr := rowsOf(len(names), cols)
	rowH := make([]float32, nr)
	for i := range rowH {
		rowH[i] = 1 / float32(nr)
	}
	switch nr {
	case 2:
		rowH = []float32{0.58, 0.42}
	case 3:
		rowH = []float32{0.36, 0.34, 0.30}
	}
	i := 0
	y := y0
	for _, rf := range rowH {
		rh := (h+gap)*rf - gap
		x := x0
		for _, cf := range colW {
			cw := (w+gap)*cf - gap
			if i < len(names) {
				dst[names[i]] = rect{x, y, cw, rh}
			}
			i++
			x += cw + gap
		}
		y += rh + gap
	}
}
