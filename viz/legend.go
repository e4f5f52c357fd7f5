package viz

import (
	"fmt"
	"image/color"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// legendFlow is a legend whose entries (a marker and a label) flow onto as
// many lines as the width needs, never cut.
type legendFlow struct {
	items []legendItem
	h     float32
}

type legendItem struct {
	x, y   float32 // offsets from the legend's origin
	marker func(p painter, x, cy float32)
	mw     float32 // the marker's width
	label  string
	col    color.RGBA
}

// layout places the items in width w, a line of lineHeight(sizeLabel) each.
func (l *legendFlow) layout(w float32) {
	lh := lineHeight(sizeLabel)
	x, y := float32(0), float32(0)
	for i := range l.items {
		it := &l.items[i]
		iw := it.mw + textWidth(it.label, sizeLabel)
		if x > 0 && x+iw > w {
			x, y = 0, y+lh+2
		}
		it.x, it.y = x, y
		x += iw + 12
	}
	l.h = y + lh
}

func (l *legendFlow) draw(p painter, x0, y0 float32) {
	lh := lineHeight(sizeLabel)
	for _, it := range l.items {
		if it.marker != nil {
			it.marker(p, x0+it.x, y0+it.y+lh/2)
		}
		p.text(x0+it.x+it.mw, y0+it.y, it.label, sizeLabel, it.col, scene.AlignLeft)
	}
}

// geoLegend is the geometry panel's legend in width w.
func (a *App) geoLegend(g *geoCache, w float32) legendFlow {
	var l legendFlow
	l.items = append(l.items,
		legendItem{mw: 13, label: fmt.Sprintf("reported (%s of %s)", fmtInt(len(a.trace.IDs)), fmtInt(a.data.n)), col: colText,
			marker: func(p painter, x, cy float32) { p.circle(x+5, cy, 4, colReported, colReportedDark, 1.2) }},
		legendItem{mw: 13, label: "not reported", col: colText,
			marker: func(p painter, x, cy float32) { p.circle(x+5, cy, 3.5, colTransparent, colFaint, 1.2) }},
		legendItem{mw: 18, label: "q·k = √d·b", col: colText,
			marker: func(p painter, x, cy float32) { p.line(x, cy, x+14, cy, colQuery, 2) }})
	if len(g.ids) < a.data.n {
		l.items = append(l.items, legendItem{label: fmt.Sprintf("(showing %s keys)", fmtInt(len(g.ids))), col: colMuted})
	}
	l.layout(w)
	return l
}
