package viz

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	"github.com/hsrviz/hsrviz/viz/colormap"
	"github.com/hsrviz/hsrviz/viz/scene"

	"github.com/hsrviz/hsrviz/attention"
)

// The attention heatmaps: the m×n weights computed densely, by the HSR path
// (only the reported keys), and their difference. Columns are keys; when n
// is larger than the pixels, a pixel column shows the MAX over its keys, so
// a lone activated key stays visible. Reported cells carry a non-colour cue:
// a dot when a cell is at least markMin pixels wide and tall; when cells are
// smaller (aggregated), the HSR map leaves every cell with no reported key
// blank (white, not the colormap's dark 0), which is the cue.

const markMin = 5

var heatKeys = [3]string{"heat0#", "heat1#", "heat2#"}

var (
	viridisLUT  = colormap.Viridis().LUT(256)
	coolwarmLUT = colormap.CoolWarm().LUT(256)
)

// heatCache keeps the three rasters and repaints only what changed: the
// pixel rows of a query row whose result changed, and the whole difference
// map when its colour scale changed (the weights are coloured relative to
// each row's own max, so a row never depends on the others).
type heatCache struct {
	w, h, nb, m int
	imgs        [3]*image.RGBA
	painted     []*rowResult // the row each pixel row shows (nil: grey)
	dmax        float64      // colour scale of the difference map as painted
	rows        []*rowResult // scratch of heatRows
	vals        []float32    // scratch: one aggregated row

	// Per map: a counter bumped when a pixel changed, the raster Key, and
	// the in-place update of the last change (scene.Raster.Base, Changed).
	seq     [3]int
	key     [3]string
	base    [3]string
	changed [3]image.Rectangle
}

// update brings the rasters to rows at w×h with difference scale dmax and
// reports whether any pixel changed.
func (hc *heatCache) update(rows []*rowResult, nb, w, h int, dmax float64) bool {
	m := len(rows)
	all := hc.w != w || hc.h != h || hc.nb != nb || hc.m != m || hc.imgs[0] == nil
	if all {
		hc.w, hc.h, hc.nb, hc.m = w, h, nb, m
		for k := range hc.imgs {
			if hc.imgs[k] == nil || hc.imgs[k].Rect.Dx() != w || hc.imgs[k].Rect.Dy() != h {
				hc.imgs[k] = image.NewRGBA(image.Rect(0, 0, w, h))
			}
		}
		hc.painted = make([]*rowResult, m)
	}
	diffAll := all || dmax != hc.dmax
	hc.dmax = dmax
	var box [3]image.Rectangle // the pixel rows repainted, per map
	rowBox := func(i int) image.Rectangle {
		cellH := float64(h) / float64(m)
		return image.Rect(0, int(float64(i)*cellH), w, int(float64(i+1)*cellH))
	}
	for i, r := range rows {
		if !all && r == hc.painted[i] {
			if diffAll {
				hc.vals = paintHeatRow(hc.imgs[2], r, i, m, nb, 2, dmax, hc.vals)
				box[2] = box[2].Union(rowBox(i))
			}
			continue
		}
		for k := range hc.imgs {
			hc.vals = paintHeatRow(hc.imgs[k], r, i, m, nb, k, dmax, hc.vals)
			box[k] = box[k].Union(rowBox(i))
		}
		hc.painted[i] = r
	}
	changed := false
	for k := range hc.imgs {
		if box[k].Empty() && !all {
			continue
		}
		changed = true
		hc.seq[k]++
		hc.base[k], hc.changed[k] = "", image.Rectangle{}
		if !all && hc.key[k] != "" {
			hc.base[k], hc.changed[k] = hc.key[k], box[k]
		}
		hc.key[k] = heatKeys[k] + strconv.Itoa(hc.seq[k])
	}
	return changed
}

// heatRows returns the rows to show: the current job's finished rows, else
// those of the last complete job (so dragging b updates rows progressively).
// The slice is reused from call to call.
func (hp *heatmapPanel) heatRows(a *App) ([]*rowResult, int) {
	m := a.p.M
	out := hp.heat.rows
	if cap(out) < m {
		out = make([]*rowResult, m)
	}
	out = out[:m]
	hp.heat.rows = out
	nb := 0
	for i := 0; i < m; i++ {
		out[i] = nil
		if jb := heatRowJob(a, i); jb != nil {
			out[i] = &jb.rows[i]
			nb = len(out[i].dense)
		}
	}
	return out, nb
}

// heatRowJob is the job whose row i the heatmap shows (nil: none): the
// current job's finished row, else that of the last complete job of the
// same keys and queries. Its key says for which parameters (stale.go).
func heatRowJob(a *App, i int) *rowsJob {
	if a.rows != nil && i < len(a.rows.rows) && a.rows.rows[i].done {
		return a.rows
	}
	if a.shownRows != nil && i < len(a.shownRows.rows) && a.shownRows.rows[i].done &&
		a.shownRows.key.data == a.dataVer && a.shownRows.key.q == a.qVer {
		return a.shownRows
	}
	return nil
}

// aggregateMax reduces bins to cols columns by max (by magnitude, keeping
// the sign, when signed). Column c covers bins [c·nb/cols, (c+1)·nb/cols).
func aggregateMax(bins []float32, cols int, signed bool) []float32 {
	return aggregateMaxInto(nil, bins, cols, signed)
}

// aggregateMaxInto is aggregateMax writing into dst's storage.
func aggregateMaxInto(dst, bins []float32, cols int, signed bool) []float32 {
	nb := len(bins)
	if cap(dst) < cols {
		dst = make([]float32, cols)
	}
	out := dst[:cols]
	for c := 0; c < cols; c++ {
		b0, b1 := c*nb/cols, (c+1)*nb/cols
		if b1 <= b0 {
			b1 = b0 + 1
		}
		best := bins[b0]
		for b := b0 + 1; b < b1 && b < nb; b++ {
			v := bins[b]
			if signed {
				if math.Abs(float64(v)) > math.Abs(float64(best)) {
					best = v
				}
			} else if v > best {
				best = v
			}
		}
		out[c] = best
	}
	return out
}

func anyIn(rep []bool, c, cols int) bool {
	nb := len(rep)
	b0, b1 := c*nb/cols, (c+1)*nb/cols
	if b1 <= b0 {
		b1 = b0 + 1
	}
	for b := b0; b < b1 && b < nb; b++ {
		if rep[b] {
			return true
		}
	}
	return false
}

// paintHeat renders one heatmap whole at w×h pixels: which = 0 dense, 1
// HSR (weights coloured relative to each row's own max), 2 difference
// (signed, scaled by dmax). The panel paints row by row (heatCache.update);
// tests compare that with this.
func paintHeat(rows []*rowResult, nb, w, h, which int, dmax float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var vals []float32
	for i, r := range rows {
		vals = paintHeatRow(img, r, i, len(rows), nb, which, dmax, vals)
	}
	return img
}

// paintHeatRow paints the pixel rows of query row i of m (r nil: grey) into
// img, using and returning the scratch vals.
func paintHeatRow(img *image.RGBA, r *rowResult, i, m, nb, which int, dmax float64, vals []float32) []float32 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	cols := min(nb, w)
	cellW := float64(w) / float64(cols)
	cellH := float64(h) / float64(m)
	marks := cellW >= markMin && cellH >= markMin
	y0, y1 := int(float64(i)*cellH), int(float64(i+1)*cellH)
	if r == nil {
		fillRows(img, 0, w, y0, y1, colGrid)
		return vals
	}
	switch which {
	case 0:
		vals = aggregateMaxInto(vals, r.dense, cols, false)
	case 1:
		vals = aggregateMaxInto(vals, r.sparse, cols, false)
	default:
		vals = aggregateMaxInto(vals, r.diff, cols, true)
	}
	// weights are coloured relative to the row's largest weight
	rmax := 0.0
	for _, v := range vals {
		rmax = math.Max(rmax, float64(v))
	}
	if rmax == 0 {
		rmax = 1
	}
	for c := 0; c < cols; c++ {
		x0, x1 := int(float64(c)*cellW), int(float64(c+1)*cellW)
		rep := anyIn(r.rep, c, cols)
		var col color.RGBA
		switch which {
		case 2:
			t := 0.5
			if dmax > 0 {
				t = 0.5 + 0.5*float64(vals[c])/dmax
			}
			col = coolwarmLUT.At(t)
		case 1:
			if !rep {
				col = colPanel // not computed by the HSR path: blank
			} else {
				col = viridisLUT.At(float64(vals[c]) / rmax)
			}
		default:
			col = viridisLUT.At(float64(vals[c]) / rmax)
		}
		fillRows(img, x0, x1, y0, y1, col)
		if marks && rep && which < 2 {
			// a dot of contrasting lightness in the cell centre
			dc := colPanel
			if lum(col) > 0.55 {
				dc = colText
			}
			rad := math.Min(cellW, cellH) * 0.18
			drawDot(img, (float64(x0)+float64(x1))/2, (float64(y0)+float64(y1))/2, math.Max(1, rad), dc, color.RGBA{}, 0)
		}
	}
	return vals
}

// fillRows paints the pixels [x0, x1) × [y0, y1) of img (in bounds) with c.
func fillRows(img *image.RGBA, x0, x1, y0, y1 int, c color.RGBA) {
	if x1 <= x0 {
		return
	}
	for y := y0; y < y1; y++ {
		row := img.Pix[img.PixOffset(x0, y) : img.PixOffset(x0, y)+4*(x1-x0)]
		for x := 0; x < len(row); x += 4 {
			row[x], row[x+1], row[x+2], row[x+3] = c.R, c.G, c.B, c.A
		}
	}
}

func lum(c color.RGBA) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

// heatmapPanel is the m×n attention weights three ways: dense, HSR-sparse
// and their difference. A click on a row shows that query.
type heatmapPanel struct {
	heat     heatCache
	memo     panelMemo
	hoverRow int // unused; kept for newPanels' literal
	// where the maps were last drawn and their columns (hover.go's hit test)
	maps [3]rect
	cols int
}

func (*heatmapPanel) name() string  { return PanelHeatmap }
func (*heatmapPanel) title() string { return "Attention weights: dense vs HSR" }

// click shows the query of the row clicked.
func (hp *heatmapPanel) click(a *App, x, y float32) {
	h := hp.hit(a, x, y)
	if h == nil {
		return
	}
	if i := h.Query; i >= 0 && i < a.p.M && i != a.p.Query {
		q := a.p
		q.Query = i
		_ = a.SetParams(q)
	}
}

func (hp *heatmapPanel) draw(a *App, p painter, r rect, title string) {
	caption := "Row i = query q_i, column j = key k_j; colour = weight ÷ the row's max; dot = reported."
	if a.p.Kind == attention.Softmax {
		caption = fmt.Sprintf("Softmax keeps the top r = n^γ = %d keys per row; colour = weight ÷ row max.", a.p.TopR())
		if a.p.Tau == TauPaper {
			caption = fmt.Sprintf("Softmax keeps every key scoring ≥ b = %.3g; colour = weight ÷ row max.", a.p.B)
		}
	}
	body := panelBodyWrapped(r, caption)
	rows, nb := hp.heatRows(a)
	if nb == 0 {
		p.panelFrameWrapped(r, title, caption)
		a.drawWaiting(p, body)
		return
	}
	lh := lineHeight(sizeLabel)
	// the colour bar and its labels: room for the widest label fmtNum makes,
	// so that the maps keep their width whatever the scale
	barW := 6 + 8 + 3 + max(textWidth("row max", sizeSmall), textWidth("−8.88e-88", sizeSmall)) + 2
	each := (body.H - 3*(lh+2) - 2*6 - lh - 4) / 3
	mapW := body.W - barW
	W, H := int(mapW), int(each)
	if W < 10 || H < 6 {
		p.panelFrameWrapped(r, title, caption)
		return
	}
	// colour scales (per row maxima kept with the rows)
	vmax, dmax := 0.0, 0.0
	for _, rr := range rows {
		if rr != nil {
			vmax = math.Max(vmax, rr.wmax)
			dmax = math.Max(dmax, rr.dabs)
		}
	}
	if vmax == 0 {
		vmax = 1
	}
	dshown := dmax
	// Rounding noise (ReLU^α differs from dense only in summation order)
	// stays neutral: the difference scale is at least 1e-6 of the weights.
	dmax = math.Max(dmax, 1e-6*vmax)
	hc := &hp.heat
	hc.update(rows, nb, W, H, dmax)
	// Unchanged maps: the same items as last frame; the hovered cell's
	// highlight and tooltip are drawn over them (hover.go).
	type key struct {
		r            rect
		caption      string
		kind         attention.Kind
		keys         [3]string
		nb, n, m, q  int
		dshown, dmax float64
		text         float32
	}
	k := key{r, caption, a.p.Kind, hc.key, nb, a.p.N, a.p.M, a.p.Query, dshown, dmax, textScale}
	p.memo(&hp.memo, k, func() { hp.drawNow(a, p, r, title, caption, body, rows, W, H, dshown) })
	a.drawHover(p, PanelHeatmap, r)
}

// drawNow draws the heatmap panel whose maps hp.heat holds.
func (hp *heatmapPanel) drawNow(a *App, p painter, r rect, title, caption string, body rect, rows []*rowResult, W, H int, dshown float64) {
	p.panelFrameWrapped(r, title, caption)
	hc := &hp.heat
	nb := hc.nb
	lh := lineHeight(sizeLabel)
	// each label in the longest wording that fits (never cut)
	diff := fmt.Sprintf("max |diff| %.2g", dshown)
	third := []string{"difference HSR − dense, " + diff, "HSR − dense, " + diff}
	if a.p.Kind == attention.ReLU {
		third = []string{"HSR − dense (ReLU^α: exact), " + diff, "HSR − dense (exact), " + diff, "HSR − dense, " + diff}
	}
	if a.p.Kind == attention.Softmax {
		third = []string{"HSR − dense (kept keys gain, dropped lose), " + diff, "HSR − dense (kept gain, dropped lose), " + diff,
			"HSR − dense, " + diff}
	}
	names := []string{
		fitFirst(sizeLabel, body.W, "dense: all n·m scores computed", "dense: all scores"),
		fitFirst(sizeLabel, body.W, "HSR-sparse: reported keys only (white: never computed)", "HSR-sparse: reported keys only", "HSR-sparse"),
		fitFirst(sizeLabel, body.W, third...)}
	y := body.Y
	var mapRects [3]rect
	for k := 0; k < 3; k++ {
		p.text(body.X, y, names[k], sizeLabel, colText, scene.AlignLeft)
		y += lh + 2
		mr := rect{body.X, y, float32(W), float32(H)}
		mapRects[k] = mr
		p.s.Add(scene.Raster{X: mr.X, Y: mr.Y, W: mr.W, H: mr.H, Img: hc.imgs[k],
			Key: hc.key[k], Base: hc.base[k], Changed: hc.changed[k]})
		p.rect(mr, color.RGBA{}, colBorder, 1)
		// colour bar
		cb := rect{mr.X + mr.W + 6, mr.Y, 8, mr.H}
		steps := 24
		for s := 0; s < steps; s++ {
			t := 1 - (float64(s)+0.5)/float64(steps)
			c := viridisLUT.At(t)
			if k == 2 {
				c = coolwarmLUT.At(t)
			}
			p.rect(rect{cb.X, cb.Y + cb.H*float32(s)/float32(steps), cb.W, cb.H/float32(steps) + 0.5}, c, color.RGBA{}, 0)
		}
		top, bot := "row max", "0"
		if k == 2 {
			top, bot = "+"+fmtNum(hc.dmax), "−"+fmtNum(hc.dmax)
			if hc.dmax == 0 {
				top, bot = "0", "0"
			}
		}
		p.text(cb.X+cb.W+3, cb.Y-2, top, sizeSmall, colMuted, scene.AlignLeft)
		p.text(cb.X+cb.W+3, cb.Y+cb.H-lineHeight(sizeSmall)+2, bot, sizeSmall, colMuted, scene.AlignLeft)
		y += float32(H) + 6
	}
	// axis note
	cols := min(nb, W)
	note := fmt.Sprintf("m = %d queries × n = %s keys", a.p.M, fmtInt(a.p.N))
	short := fmt.Sprintf("m = %d × n = %s", a.p.M, fmtInt(a.p.N))
	alts := []string{note, short}
	if cols < a.p.N {
		per := fmtNum(float64(a.p.N) / float64(cols))
		alts = []string{note + fmt.Sprintf("  (each column = max over %s keys)", per),
			short + fmt.Sprintf(" (a column: max of %s keys)", per), short + fmt.Sprintf(" (column = max of %s)", per), short}
	}
	p.text(body.X, y, fitFirst(sizeSmall, body.W, alts...), sizeSmall, colMuted, scene.AlignLeft)
	// the selected query's row
	m := a.p.M
	for k := 0; k < 3; k++ {
		mr := mapRects[k]
		ry := mr.Y + mr.H*float32(a.p.Query)/float32(m)
		p.rect(rect{mr.X - 4, ry, 3, max(1, mr.H/float32(m))}, colQuery, color.RGBA{}, 0)
	}
	// hover (hover.go) highlights the row and the column in all three maps (llm-viz style)
	hp.maps, hp.cols = mapRects, cols
}

// cellInfo is the key of heatmap cell (row i, column c of cols), the one
// of largest dense weight among the keys the column covers, and its hover
// text (−1, nil: no key).
func (a *App) cellInfo(i, c, cols int, rr *rowResult) (int, []string) {
	nb := len(rr.dense)
	b0, b1 := c*nb/cols, max(c*nb/cols+1, (c+1)*nb/cols)
	best := b0
	for b := b0; b < b1 && b < nb; b++ {
		if rr.dense[b] > rr.dense[best] {
			best = b
		}
	}
	j := int(rr.arg[best])
	if j < 0 {
		return -1, nil
	}
	ds := a.data
	d := ds.d
	q := a.q[i*d : (i+1)*d]
	qk, s := ds.score(q, j)
	lines := []string{fmt.Sprintf("q%d · k%d", i, j)}
	if n := a.p.N; cols < n {
		lines[0] += fmt.Sprintf("   (the strongest of ~%s keys here)", fmtNum(float64(n)/float64(cols)))
	}
	lines = append(lines, fmt.Sprintf("q·k = %.4g   score s = %.4g", qk, s))
	lines = append(lines, fmt.Sprintf("weight: dense %.4g   HSR %.4g", rr.dense[best], rr.sparse[best]))
	rep := "no"
	if rr.rep[best] {
		rep = "yes"
	}
	lines = append(lines, "reported by the HSR query: "+rep+" · click: show this query")
	return j, lines
}
