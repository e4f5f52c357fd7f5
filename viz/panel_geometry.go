package viz

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/hsrviz/hsrviz/viz/scene"

	"github.com/hsrviz/hsrviz/attention"
)

// maxGeoPoints bounds the keys drawn in the geometry panel (an even sample
// of the ids; the caption says so when n is larger).
const maxGeoPoints = 2000

// geoCache is the geometry panel's projected keys for one query.
type geoCache struct {
	key       traceKey
	base      [3]int // data, queries, selected query: the positions' key
	hollow    *image.RGBA
	hollowKey string
	pr        projection
	ids       []int
	xs, ys    []float64
	reported  []bool // by drawn index
	repAll    []bool // by key id: reported by the traced query
	bx0, bx1  float64
	by0, by1  float64
	img       *image.RGBA
	ver       rasterVersion // img's names for the renderer

	// The reported layer as painted: the flags it shows, for which layout
	// (keys, query, size).
	painted       []bool
	paintedLayout string
	v             view // the view and plot rect it was painted for
	plot          rect
}

// geometry returns the projected keys of the selected query (cached).
func (a *App) geometry() *geoCache {
	if a.trace == nil || !a.data.ready {
		return nil
	}
	g := a.ui.geo
	if g != nil && g.key == a.traceKey {
		return g
	}
	ds := a.data
	d := ds.d
	q := a.q[a.p.Query*d : (a.p.Query+1)*d]
	base := [3]int{a.dataVer, a.qVer, a.p.Query}
	if g != nil && g.base == base {
		// same keys and query, new threshold: only the reported flags change
		// (updated in place: this happens every frame while b is dragged)
		g.key = a.traceKey
		g.pr.c = a.traceKey.c
		clear(g.repAll)
		for _, id := range a.trace.IDs {
			g.repAll[id] = true
		}
		for i, j := range g.ids {
			g.reported[i] = g.repAll[j]
		}
		return g
	}
	g = &geoCache{key: a.traceKey, base: base, pr: newProjection(q, a.traceKey.c, ds.cov)}
	if old := a.ui.geo; old != nil {
		g.ver.seq = old.ver.seq
		g.img, g.hollow = old.img, old.hollow // pixel buffers to reuse
		if g.pr.exact && old.base[0] == base[0] {
			// d = 2: the keys are drawn where they are, whatever the query;
			// the layers stay valid where the view is the same (a dragged
			// query), and the reported one is updated where keys change sides
			g.hollowKey, g.painted, g.paintedLayout, g.ver.key = old.hollowKey, old.painted, old.paintedLayout, old.ver.key
		}
	}
	g.repAll = make([]bool, ds.n)
	for _, id := range a.trace.IDs {
		g.repAll[id] = true
	}
	step := max(1, (ds.n+maxGeoPoints-1)/maxGeoPoints)
	g.bx0, g.by0 = math.Inf(1), math.Inf(1)
	g.bx1, g.by1 = math.Inf(-1), math.Inf(-1)
	for j := 0; j < ds.n; j += step {
		x, y := g.pr.xy(ds.key_(j), j)
		g.ids = append(g.ids, j)
		g.xs = append(g.xs, x)
		g.ys = append(g.ys, y)
		g.reported = append(g.reported, g.repAll[j])
		g.bx0, g.bx1 = math.Min(g.bx0, x), math.Max(g.bx1, x)
		g.by0, g.by1 = math.Min(g.by0, y), math.Max(g.by1, y)
	}
	// keep the origin in view (the view does not depend on the threshold, so
	// that dragging b moves the line, not the picture)
	g.bx0, g.bx1 = math.Min(g.bx0, 0), math.Max(g.bx1, 0)
	g.by0, g.by1 = math.Min(g.by0, 0), math.Max(g.by1, 0)
	if g.pr.exact {
		qx, qy := g.pr.queryArrow()
		g.bx0, g.bx1 = math.Min(g.bx0, qx), math.Max(g.bx1, qx)
		g.by0, g.by1 = math.Min(g.by0, qy), math.Max(g.by1, qy)
	}
	padx, pady := 0.06*(g.bx1-g.bx0), 0.06*(g.by1-g.by0)
	g.bx0, g.bx1, g.by0, g.by1 = g.bx0-padx, g.bx1+padx, g.by0-pady, g.by1+pady
	if old := a.ui.geo; old != nil && a.ui.qdrag.active {
		// the query is being dragged: the view stays put under the pointer
		g.bx0, g.bx1, g.by0, g.by1 = old.bx0, old.bx1, old.by0, old.by1
	}
	a.ui.geo = g
	return g
}

// geoView is the data→screen map of the plot area.
func (g *geoCache) view(r rect) view {
	return newView(g.bx0, g.bx1, g.by0, g.by1, r.X, r.Y, r.W, r.H, g.pr.exact)
}

// geometryPanel is the keys as points and the query's half-space: exact at
// d = 2 (and 1), projected along q/|q| and the keys' main spread across q
// above. The projected keys of the selected query (App.geometry) are not
// its own cache: the tree panel draws them under its boxes too.
type geometryPanel struct{}

func (*geometryPanel) name() string  { return PanelGeometry }
func (*geometryPanel) title() string { return "Geometry: a half-space query" }

func (*geometryPanel) draw(a *App, p painter, r rect, title string) {
	d := a.p.D
	caption := fmt.Sprintf("Keys are points, q the arrow; reported: q·k > c = √d·b = %s", fmtNum(a.cValue()))
	if a.p.Kind == attention.Softmax && a.p.Tau == TauTopR {
		caption = fmt.Sprintf("Keys are points, q the arrow; top r: q·k > c = %s", fmtNum(a.cValue()))
	}
	if d > 2 {
		caption = "→ along q (exact); ↑ the keys' main spread across q; line: x = c/|q|"
	}
	if d == 1 {
		caption = "d = 1: → is q·k/|q| (exact); ↑ only spreads the points"
	}
	body := p.panelFrameWrapped(r, title, caption)
	a.ui.qdrag.tipOK = false
	g := a.geometry()
	if g == nil {
		a.drawWaiting(p, body)
		return
	}
	legend := a.geoLegend(g, body.W)
	legendH := legend.h + 6
	plot := rect{body.X, body.Y, body.W, body.H - legendH}
	v := g.view(plot)
	p.s.Add(scene.Rect{X: plot.X, Y: plot.Y, W: plot.W, H: plot.H, Fill: rgb(0xFB, 0xFB, 0xFC)})
	// axes through the origin
	ox, oy := v.X(0), v.Y(0)
	if ox > plot.X && ox < plot.X+plot.W {
		p.line(ox, plot.Y, ox, plot.Y+plot.H, colGrid, 1)
	}
	if oy > plot.Y && oy < plot.Y+plot.H {
		p.line(plot.X, oy, plot.X+plot.W, oy, colGrid, 1)
	}
	// the reported half-plane, clipped to the view, and its boundary line
	a0, a1, c := g.pr.halfPlane()
	xs := []float64{v.x0, v.x1, v.x1, v.x0}
	ys := []float64{v.y0, v.y0, v.y1, v.y1}
	hx, hy := clipHalfPlane(xs, ys, a0, a1, c)
	if len(hx) >= 3 {
		poly := scene.Polygon{Fill: colHalfPlane}
		for i := range hx {
			poly.Xs = append(poly.Xs, v.X(hx[i]))
			poly.Ys = append(poly.Ys, v.Y(hy[i]))
		}
		p.s.Add(poly)
	}
	if lx, ly, ok := boundarySegment(v, a0, a1, c); ok {
		p.line(v.X(lx[0]), v.Y(ly[0]), v.X(lx[1]), v.Y(ly[1]), colQuery, 2)
	}
	// two cached layers: every key hollow (changes with the data and the
	// query), and the reported keys filled (changes with the threshold)
	positions := fmt.Sprintf("%d/%d/%d", a.dataVer, a.qVer, a.p.Query)
	if g.pr.exact {
		positions = fmt.Sprintf("%d/%g/%g/%g/%g", a.dataVer, v.x0, v.x1, v.y0, v.y1) // the keys where they are, in this view
	}
	hkey := fmt.Sprintf("geoall/%s/%dx%d", positions, int(plot.W), int(plot.H))
	if g.hollowKey != hkey {
		g.hollow = paintKeyLayerInto(g.hollow, g, v, plot, false)
		g.hollowKey = hkey
	}
	layout := fmt.Sprintf("%s/%dx%d", positions, int(plot.W), int(plot.H))
	key := fmt.Sprintf("georep/%s/%g/%s", layout, g.key.c, a.p.Index)
	if g.ver.content != key {
		if g.img != nil && g.paintedLayout == layout && len(g.painted) == len(g.reported) {
			// Only the threshold moved: repaint where keys changed sides,
			// and tell the renderer that only that part changed.
			g.ver.next(key, true, repaintReported(g, v, plot))
		} else {
			g.img = paintKeyLayerInto(g.img, g, v, plot, true)
			g.painted = append(g.painted[:0], g.reported...)
			g.paintedLayout = layout
			g.ver.next(key, false, image.Rectangle{})
		}
		g.v, g.plot = v, plot
	}
	p.s.Add(scene.Raster{X: plot.X, Y: plot.Y, W: float32(g.hollow.Rect.Dx()), H: float32(g.hollow.Rect.Dy()), Img: g.hollow, Key: hkey})
	p.s.Add(g.ver.raster(plot.X, plot.Y, g.img))
	// the query arrow from the origin
	qx, qy := g.pr.queryArrow()
	a.drawArrow(p, v, plot, qx, qy, g.pr.qnorm)
	// frame
	p.rect(plot, color.RGBA{}, colBorder, 1)
	legend.draw(p, plot.X, plot.Y+plot.H+4)
	a.ui.geoDrawn = geoDrawn{ok: true, v: v, plot: plot}
	// a hovered heatmap cell: its key's point
	if j := a.hoveredKey(); j >= 0 && a.ui.hover.Panel != PanelGeometry {
		x, y := g.pr.xy(a.data.key_(j), j)
		if X, Y := v.X(x), v.Y(y); plot.contains(X, Y) {
			p.circle(X, Y, 7, colTransparent, colHover, 2.5)
			p.circle(X, Y, 2.5, colHover, colTransparent, 0)
		}
	}
	a.drawHover(p, PanelGeometry, r)
}

// cValue is the offset c of the traced query (√d·b for ReLU, √d·τ for top-r).
func (a *App) cValue() float64 { return a.traceKey.c }

// keyInfo is the hover text of key j for the selected query.
func (a *App) keyInfo(j int) []string {
	ds := a.data
	d := ds.d
	q := a.q[a.p.Query*d : (a.p.Query+1)*d]
	qk, s := ds.score(q, j)
	lines := []string{fmt.Sprintf("key k%d   (query q%d)", j, a.p.Query),
		fmt.Sprintf("q·k = %.4g   score s = q·k/√d = %.4g", qk, s)}
	if w, ok := a.weightOf(a.p.Query, j, s); ok {
		lines = append(lines, fmt.Sprintf("weight (dense) = %.4g", w))
	}
	rep := "no"
	if a.ui.geo != nil && j < len(a.ui.geo.repAll) && a.ui.geo.repAll[j] {
		rep = "yes"
	}
	lines = append(lines, "reported by the query: "+rep)
	return lines
}

// weightOf is the normalised dense weight of key j in row i (score s), if
// the row is computed for the current parameters.
func (a *App) weightOf(i, j int, s float64) (float64, bool) {
	jb := a.rows
	if jb == nil || i >= len(jb.rows) || !jb.rows[i].done || jb.key != a.rowsKey() {
		return 0, false
	}
	r := &jb.rows[i]
	if r.z <= 0 {
		return 0, true
	}
	return jb.ap.Weight(s, r.smax) / r.z, true
}

// boundarySegment is the part of the line a0·x + a1·y = c inside the view.
func boundarySegment(v view, a0, a1, c float64) ([2]float64, [2]float64, bool) {
	var px, py []float64
	add := func(x, y float64) {
		if x >= v.x0-1e-9 && x <= v.x1+1e-9 && y >= v.y0-1e-9 && y <= v.y1+1e-9 {
			px, py = append(px, x), append(py, y)
		}
	}
	if a1 != 0 {
		add(v.x0, (c-a0*v.x0)/a1)
		add(v.x1, (c-a0*v.x1)/a1)
	}
	if a0 != 0 {
		add((c-a1*v.y0)/a0, v.y0)
		add((c-a1*v.y1)/a0, v.y1)
	}
	if len(px) < 2 {
		return [2]float64{}, [2]float64{}, false
	}
	// the two points farthest apart
	bi, bj, bd := 0, 1, -1.0
	for i := range px {
		for j := i + 1; j < len(px); j++ {
			dd := (px[i]-px[j])*(px[i]-px[j]) + (py[i]-py[j])*(py[i]-py[j])
			if dd > bd {
				bi, bj, bd = i, j, dd
			}
		}
	}
	return [2]float64{px[bi], px[bj]}, [2]float64{py[bi], py[bj]}, true
}

// reportedStamp is the stamp of a reported key when n keys are drawn.
func reportedStamp(n int) stamp {
	return newStamp(keyRadius(n)+0.4, colReported, colReportedDark, 1)
}

// keyRadius is the radius of a drawn key when n keys are drawn.
func keyRadius(n int) float64 {
	if n > 1500 {
		return 2.0
	}
	return 2.6
}

// repaintReported brings the reported layer g.img from the flags g.painted
// to g.reported and returns the rectangle it repainted: the stamps of the
// keys that changed sides, cleared and painted again with every reported
// key that overlaps them, in order, as a full repaint would.
func repaintReported(g *geoCache, v view, plot rect) image.Rectangle {
	st := reportedStamp(len(g.xs))
	at := func(i int) (float64, float64) {
		return float64(v.X(g.xs[i]) - plot.X), float64(v.Y(g.ys[i]) - plot.Y)
	}
	var box image.Rectangle
	for i := range g.reported {
		if g.reported[i] != g.painted[i] {
			box = box.Union(st.bounds(at(i)))
		}
	}
	copy(g.painted, g.reported)
	box = box.Intersect(g.img.Rect)
	if box.Empty() {
		return box
	}
	sub := g.img.SubImage(box).(*image.RGBA)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		clear(sub.Pix[sub.PixOffset(box.Min.X, y):sub.PixOffset(box.Max.X, y)])
	}
	for i, rep := range g.reported {
		if x, y := at(i); rep && st.bounds(x, y).Overlaps(box) {
			st.paint(sub, x, y)
		}
	}
	return box
}

// paintKeyLayerInto renders the drawn keys: every key as a hollow ring
// (reported = false), or the reported keys filled and outlined.
//
// It reuses img's pixels when img has the plot's size (the reported layer is
// repainted every frame while b is dragged; the renderer has copied the
// previous content by then).
func paintKeyLayerInto(img *image.RGBA, g *geoCache, v view, plot rect, reported bool) *image.RGBA {
	r := image.Rect(0, 0, max(1, int(plot.W)), max(1, int(plot.H)))
	if img == nil || img.Rect != r {
		img = image.NewRGBA(r)
	} else {
		clear(img.Pix)
	}
	n := len(g.xs)
	st := newStamp(keyRadius(n), color.RGBA{}, withAlpha(colPruned, 0xB0), 1)
	if reported {
		st = reportedStamp(n)
	}
	for i := 0; i < n; i++ {
		if !reported || g.reported[i] {
			st.paint(img, float64(v.X(g.xs[i])-plot.X), float64(v.Y(g.ys[i])-plot.Y))
		}
	}
	return img
}

// drawArrow draws the query from the origin to (qx, qy), stopping at the
// view's edge (with its length written) when it does not fit.
func (a *App) drawArrow(p painter, v view, plot rect, qx, qy, qnorm float64) {
	X0, Y0 := v.X(0), v.Y(0)
	X1, Y1 := v.X(qx), v.Y(qy)
	clipped := false
	// shrink toward the origin until inside the plot (with a margin)
	in := func(x, y float32) bool {
		return x >= plot.X+6 && x <= plot.X+plot.W-6 && y >= plot.Y+6 && y <= plot.Y+plot.H-6
	}
	if !in(X1, Y1) {
		lo, hi := float32(0), float32(1)
		for it := 0; it < 30; it++ {
			m := (lo + hi) / 2
			if in(X0+(X1-X0)*m, Y0+(Y1-Y0)*m) {
				lo = m
			} else {
				hi = m
			}
		}
		X1, Y1 = X0+(X1-X0)*lo, Y0+(Y1-Y0)*lo
		clipped = true
	}
	dx, dy := X1-X0, Y1-Y0
	L := float32(math.Hypot(float64(dx), float64(dy)))
	if L < 1 {
		p.circle(X0, Y0, 3, colQuery, color.RGBA{}, 0)
		return
	}
	ux, uy := dx/L, dy/L
	if a.p.D == 2 {
		// the head is the drag handle (querydrag.go)
		qd := &a.ui.qdrag
		qd.tipX, qd.tipY, qd.tipOK, qd.v, qd.plot = X1, Y1, true, v, plot
		if qd.active {
			p.circle(X1, Y1, 9, colTransparent, colHover, 2)
		}
	}
	p.line(X0, Y0, X1-ux*6, Y1-uy*6, colQuery, 3)
	head := scene.Polygon{Fill: colQuery,
		Xs: []float32{X1, X1 - ux*12 - uy*6, X1 - ux*12 + uy*6},
		Ys: []float32{Y1, Y1 - uy*12 + ux*6, Y1 - uy*12 - ux*6}}
	p.s.Add(head)
	label := fmt.Sprintf("q%d", a.p.Query)
	if clipped || !v.exactAspect() {
		label += fmt.Sprintf("  |q| = %.3g", qnorm)
	}
	lx, ly := a.placeQueryLabel(label, plot, v, X0, Y0, X1, Y1)
	// on a light backing: keys under it stay visible, the label readable
	p.rect(rect{lx - 2, ly, textWidth(label, sizeLabel) + 4, lineHeight(sizeLabel)}, withAlpha(colPanel, 0xC8), colTransparent, 0)
	p.text(lx, ly, label, sizeLabel, colQuery, scene.AlignLeft)
}

// placeQueryLabel picks where the query's label goes: of a few places
// around the arrow's head, inside the plot, the one over the fewest drawn
// keys, clear of the arrow itself (ties: the first listed).
func (a *App) placeQueryLabel(label string, plot rect, v view, X0, Y0, X1, Y1 float32) (float32, float32) {
	g := a.ui.geo
	type labelKey struct {
		label                 string
		plot                  rect
		x0, y0, x1, y1, scale float32
		keys                  *geoCache
		view                  view
	}
	k := labelKey{label, plot, X0, Y0, X1, Y1, textScale, g, v}
	if a.ui.qlabel.key == k {
		return a.ui.qlabel.x, a.ui.qlabel.y // drawn every frame: the same place as last time
	}
	w, h := textWidth(label, sizeLabel), lineHeight(sizeLabel)
	const m = 6
	cands := [][2]float32{
		{X1 + m, Y1 - h - m}, {X1 + m, Y1 + m}, {X1 - w - m, Y1 - h - m}, {X1 - w - m, Y1 + m},
		{X1 - w/2, Y1 - h - 2*m}, {X1 - w/2, Y1 + 2*m}, {X1 + 2*m, Y1 - h/2}, {X1 - w - 2*m, Y1 - h/2},
	}
	best, bestCost := 0, -1
	for k, c := range cands {
		r := rect{c[0], c[1], w, h}
		cost := 0
		if r.X < plot.X || r.Y < plot.Y || r.X+r.W > plot.X+plot.W || r.Y+r.H > plot.Y+plot.H {
			cost += 1 << 20
		}
		if segmentHitsRect(X0, Y0, X1, Y1, r) {
			cost += 1 << 16
		}
		if g != nil {
			for i := range g.xs {
				if r.inset(-2).contains(v.X(g.xs[i]), v.Y(g.ys[i])) {
					cost++
				}
			}
		}
		if bestCost < 0 || cost < bestCost {
			best, bestCost = k, cost
		}
	}
	a.ui.qlabel.key, a.ui.qlabel.x, a.ui.qlabel.y = k, cands[best][0], cands[best][1]
	return cands[best][0], cands[best][1]
}

// segmentHitsRect reports whether the segment (x0, y0)–(x1, y1) meets r
// (sampled: the arrow is a few hundred pixels at most).
func segmentHitsRect(x0, y0, x1, y1 float32, r rect) bool {
	const n = 32
	for i := 0; i <= n; i++ {
		t := float32(i) / n
		if r.contains(x0+(x1-x0)*t, y0+(y1-y0)*t) {
			return true
		}
	}
	return false
}

func (v view) exactAspect() bool { return math.Abs(v.sx-v.sy) < 1e-9*v.sx }

// paintKeysSmall renders the keys as small dots for the tree's box view.
func (a *App) paintKeysSmall(g *geoCache, v view, plot rect) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, max(1, int(plot.W)), max(1, int(plot.H))))
	for i := range g.xs {
		c := withAlpha(colText, 0x60)
		if g.reported[i] {
			c = colReportedDark
		}
		drawDot(img, float64(v.X(g.xs[i])-plot.X), float64(v.Y(g.ys[i])-plot.Y), 1.1, c, color.RGBA{}, 0)
	}
	return img
}
