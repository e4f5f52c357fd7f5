package viz

// A panel is one card of the window. It draws itself from the App's
// results, which it only reads (the compute jobs in engine.go, scaling.go
// and timing.go produce them; a panel never starts work), into the
// rectangle the layout gives it, and owns whatever it keeps between frames
// (rasters, memoized items, hover state). Panels draw into their own
// scene.Group, so the retained renderer redraws only a panel whose items
// changed.
type panel interface {
	// name is the panel's name in Snapshot().Panels, the layout and URLs.
	name() string
	// title is the panel's title, without its number.
	title() string
	// draw appends the panel's items for rectangle r. title is the
	// panel's numbered title ("3 · …"), numbered by its place in panels.
	draw(a *App, p painter, r rect, title string)
}

// clicker is a panel that reacts to a click (press and release without
// moving) at (x, y) inside its rectangle.
type clicker interface {
	click(a *App, x, y float32)
}

// newPanels lists the panels in reading order: the layout places them in
// this order and numbers their titles. Adding a panel is a file with its
// type and one line here.
func newPanels() []panel {
	return []panel{
		&geometryPanel{},
		&treePanel{},
		&heatmapPanel{hoverRow: -1},
		newNumbersPanel(),
		newScalingPanel(),
		newHistogramPanel(),
	}
}

// panelByName returns the App's panel of that name, or nil.
func (a *App) panelByName(name string) panel {
	for _, pn := range a.panels {
		if pn.name() == name {
			return pn
		}
	}
	return nil
}

// panelNames is the names of the App's panels, in order.
func (a *App) panelNames() []string {
	out := make([]string, len(a.panels))
	for i, pn := range a.panels {
		out[i] = pn.name()
	}
	return out
}

// memoPanel is a panel whose drawing depends only on a few values, its key
// (comparable; nil: draw afresh): while the key stays the same, the
// panel's items of the last frame are reused (panelMemo).
type memoPanel struct {
	id, heading string
	key         func(a *App, r rect) any
	paint       func(a *App, p painter, r rect, title string)
	memo        panelMemo
}

func (m *memoPanel) name() string  { return m.id }
func (m *memoPanel) title() string { return m.heading }
func (m *memoPanel) draw(a *App, p painter, r rect, title string) {
	var k any
	if mk := m.key(a, r); mk != nil {
		k = struct {
			k    any
			text float32
		}{mk, textScale}
	}
	p.memo(&m.memo, k, func() { m.paint(a, p, r, title) })
}
