package viz

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

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
	imgKey    string
	imgSeq    int

	// The reported layer as painted: the flags it shows, for which layout
	// (keys, query, size), its raster Key and the in-place update it was
	// (scene.Raster.Base and Changed).
	painted       []bool
	paintedLayout string
	rasterKey     string
	rasterBase    string
	rasterChanged image.Rectangle
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
		g.imgSeq = old.imgSeq
		g.img, g.hollow = old.img, old.hollow // pixel buffers to reuse
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
	body := p.panelFrame(r, title, caption)
	g := a.geometry()
	if g == nil {
		a.drawWaiting(p, body)
		return
	}
	legendH := lineHeight(sizeLabel) + 6
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
	hkey := fmt.Sprintf("geoall/%d/%d/%d/%dx%d", a.dataVer, a.qVer, a.p.Query, int(plot.W), int(plot.H))
	if g.hollowKey != hkey {
		g.hollow = paintKeyLayerInto(g.hollow, g, v, plot, false)
		g.hollowKey = hkey
	}
	layout := fmt.Sprintf("%d/%d/%d/%dx%d", a.dataVer, a.qVer, a.p.Query, int(plot.W), int(plot.H))
	key := fmt.Sprintf("georep/%s/%g/%s", layout, g.key.c, a.p.Index)
	if g.imgKey != key {
		g.imgSeq++
		g.rasterBase, g.rasterChanged = "", image.Rectangle{}
		if g.img != nil && g.paintedLayout == layout && len(g.painted) == len(g.reported) {
			// Only the threshold moved: repaint where keys changed sides,
			// and tell the renderer that only that part changed.
			g.rasterBase, g.rasterChanged = g.rasterKey, repaintReported(g, v, plot)
		} else {
			g.img = paintKeyLayerInto(g.img, g, v, plot, true)
			g.painted = append(g.painted[:0], g.reported...)
			g.paintedLayout = layout
		}
		g.imgKey = key
		g.rasterKey = key + "#" + strconv.Itoa(g.imgSeq)
		g.v, g.plot = v, plot
	}
	p.s.Add(scene.Raster{X: plot.X, Y: plot.Y, W: float32(g.hollow.Rect.Dx()), H: float32(g.hollow.Rect.Dy()), Img: g.hollow, Key: hkey})
	p.s.Add(scene.Raster{X: plot.X, Y: plot.Y, W: float32(g.img.Rect.Dx()), H: float32(g.img.Rect.Dy()), Img: g.img,
		Key: g.rasterKey, Base: g.rasterBase, Changed: g.rasterChanged})
	// the query arrow from the origin
	qx, qy := g.pr.queryArrow()
	a.drawArrow(p, v, plot, qx, qy, g.pr.qnorm)
	// frame
	p.rect(plot, color.RGBA{}, colBorder, 1)
	// legend
	nrep := len(a.trace.IDs)
	ly := plot.Y + plot.H + 4
	x := plot.X
	drawLegendDot := func(filled bool) {
		cy := ly + lineHeight(sizeLabel)/2
		if filled {
			p.circle(x+5, cy, 4, colReported, colReportedDark, 1.2)
		} else {
			p.circle(x+5, cy, 3.5, color.RGBA{}, colFaint, 1.2)
		}
		x += 13
	}
	drawLegendDot(true)
	s := fmt.Sprintf("reported (%s of %s)", fmtInt(nrep), fmtInt(a.data.n))
	p.text(x, ly, s, sizeLabel, colText, scene.AlignLeft)
	x += textWidth(s, sizeLabel) + 12
	drawLegendDot(false)
	s = "not reported"
	p.text(x, ly, s, sizeLabel, colText, scene.AlignLeft)
	x += textWidth(s, sizeLabel) + 12
	p.line(x, ly+lineHeight(sizeLabel)/2, x+14, ly+lineHeight(sizeLabel)/2, colQuery, 2)
	x += 18
	s = "q·k = √d·b"
	if len(g.ids) < a.data.n {
		s += fmt.Sprintf("   (showing %s keys)", fmtInt(len(g.ids)))
	}
	p.text(x, ly, fitText(s, sizeLabel, plot.X+plot.W-x), sizeLabel, colText, scene.AlignLeft)
	// hover: the nearest drawn key
	if h, ok := a.hoverIn(plot); ok {
		best, bd := -1, float32(8*8)
		for i := range g.xs {
			dx, dy := v.X(g.xs[i])-h.X, v.Y(g.ys[i])-h.Y
			if dd := dx*dx + dy*dy; dd < bd {
				best, bd = i, dd
			}
		}
		if best >= 0 {
			X, Y := v.X(g.xs[best]), v.Y(g.ys[best])
			p.circle(X, Y, 7, color.RGBA{}, colHover, 2)
			p.tooltip(X, Y, a.keyInfo(g.ids[best]), r)
		}
	}
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
	p.line(X0, Y0, X1-ux*6, Y1-uy*6, colQuery, 3)
	head := scene.Polygon{Fill: colQuery,
		Xs: []float32{X1, X1 - ux*12 - uy*6, X1 - ux*12 + uy*6},
		Ys: []float32{Y1, Y1 - uy*12 + ux*6, Y1 - uy*12 - ux*6}}
	p.s.Add(head)
	label := fmt.Sprintf("q%d", a.p.Query)
	if clipped || !v.exactAspect() {
		label += fmt.Sprintf("  |q| = %.3g", qnorm)
	}
	tx, ty := X1+uy*10, Y1-ux*10-lineHeight(sizeLabel)
	al := scene.AlignLeft
	if ux > 0.3 {
		al = scene.AlignRight
		tx = X1
		ty = Y1 + 8
	}
	p.text(tx, ty, label, sizeLabel, colQuery, al)
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
