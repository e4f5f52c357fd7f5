package viz

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"

	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// The tree at work: the real trace of the selected query, played step by
// step. For any d, the interval view: one row per tree level, each node
// entered a bar spanning [min, max] of q·x over its box, against the
// vertical threshold line c. A bar left of the line is pruned, right of it
// reported whole, across it opened (or, at a leaf, scanned point by point).
// For d = 2 the boxes themselves are drawn on the plane above it.

// decisionColor is the colour of a decision (drawDecisionSwatch adds the
// non-colour cue: hatching, outline or fill).
func decisionColor(d hsr.Decision) color.RGBA {
	switch d {
	case hsr.Pruned:
		return colPruned
	case hsr.ReportedWhole:
		return colReported
	case hsr.Opened:
		return colOpened
	}
	return colLeaf
}

// bar is one trace step in the interval view, in pixels.
type bar struct {
	step     int
	x0, x1   float32
	y, h     float32
	decision hsr.Decision
	depth    int
	cx       float32 // the threshold line
	lo, hi   float64 // the axis range
	area     rect
}

// intervalAxis is the value range of the interval view: every interval of
// the trace and c, padded.
func intervalAxis(t *hsr.Trace) (lo, hi float64) {
	lo, hi = t.C, t.C
	for _, s := range t.Steps {
		lo, hi = math.Min(lo, s.Min), math.Max(hi, s.Max)
	}
	pad := 0.04 * (hi - lo)
	if pad == 0 {
		pad = 1
	}
	return lo - pad, hi + pad
}

// intervalBars lays out the first k steps of t in r.
func intervalBars(t *hsr.Trace, k int, r rect) []bar { return intervalBarsInto(nil, t, k, r) }

// intervalBarsInto is intervalBars appending to dst.
func intervalBarsInto(dst []bar, t *hsr.Trace, k int, r rect) []bar {
	lo, hi := intervalAxis(t)
	depth := 0
	for _, s := range t.Steps {
		depth = max(depth, s.Depth)
	}
	rows := depth + 1
	rowH := r.H / float32(rows)
	X := func(v float64) float32 { return r.X + float32((v-lo)/(hi-lo))*r.W }
	// lanes within a row keep overlapping bars apart
	lanes := max(1, min(6, int(rowH/4)))
	laneH := (rowH - 2) / float32(lanes)
	seen := make([]int, rows)
	out := dst
	for i, s := range t.Steps[:k] {
		lane := seen[s.Depth] % lanes
		seen[s.Depth]++
		x0, x1 := X(s.Min), X(s.Max)
		if x1-x0 < 1.5 { // a point interval stays visible
			m := (x0 + x1) / 2
			x0, x1 = m-0.75, m+0.75
		}
		out = append(out, bar{step: i, x0: x0, x1: x1, y: r.Y + rowH*float32(s.Depth) + 1 + laneH*float32(lane),
			h: max(2, laneH-1), decision: s.Decision, depth: s.Depth, cx: X(t.C), lo: lo, hi: hi, area: r})
	}
	return out
}

// treePanel plays the selected query's real trace step by step: the
// interval view (every d) and the k-d boxes on the plane (d = 2).
type treePanel struct {
	img    *image.RGBA   // the keys, small, under the boxes
	ver    rasterVersion // img's names for the renderer
	layout string        // what img was painted for, but the threshold
	bars   []bar         // the interval bars laid out (reused)
	plot   rect          // the interval view's plot as last drawn (hover.go)
}

func (*treePanel) name() string  { return PanelTree }
func (*treePanel) title() string { return "The tree at work: the real query trace" }

func (tp *treePanel) draw(a *App, p painter, r rect, title string) {
	caption := "Each node: q·x over its box spans [min, max]; vs the line c it is pruned, reported or opened"
	body := p.panelFrameWrapped(r, title, caption)
	t := a.trace
	if t == nil || len(t.Steps) == 0 {
		a.drawWaiting(p, body)
		return
	}
	k := a.step
	lh := lineHeight(sizeLabel)
	legendH := lh + 6
	status, detail := a.traceStatus(k, a.playing, body.W)
	// the height of the last step's (widest) lines, so that the plots
	// keep their size while the trace plays
	fs, fd := a.traceStatus(len(t.Steps), true, body.W)
	countersH := float32(max(len(status)+len(detail), len(fs)+len(fd)))*(lh+2) + 4
	area := rect{body.X, body.Y, body.W, body.H - legendH - countersH}
	if a.p.D == 2 && area.H > 260 {
		boxH := area.H * 0.52
		tp.drawBoxes(a, p, rect{area.X, area.Y, area.W, boxH - 6}, k)
		area = rect{area.X, area.Y + boxH, area.W, area.H - boxH}
	}
	tp.drawIntervals(a, p, area, k)
	// counters at this step, flowed onto as many lines as they need
	y := area.Y + area.H + 4
	for _, l := range status {
		p.text(body.X, y, l, sizeLabel, colText, scene.AlignLeft)
		y += lh + 2
	}
	for _, l := range detail {
		p.text(body.X, y, l, sizeLabel, colMuted, scene.AlignLeft)
		y += lh + 2
	}
	// legend
	a.drawDecisionLegend(p, rect{body.X, body.Y + body.H - legendH + 4, body.W, lh})
	a.drawHover(p, PanelTree, r)
}

// traceStatus is the trace's state at step k as lines of width w: the
// step and the node counts, then the work so far and the last step.
func (a *App) traceStatus(k int, playing bool, w float32) (status, detail []string) {
	t := a.trace
	c := a.countersAt(k)
	state := "paused"
	if playing {
		state = fmt.Sprintf("playing %s steps/s", fmtNum(a.p.Speed))
	}
	status = flowParts([]string{fmt.Sprintf("step %d / %d (%s)", k, len(t.Steps), state),
		fmt.Sprintf("nodes visited %d", c.NodesVisited), fmt.Sprintf("pruned %d", c.Pruned),
		fmt.Sprintf("reported whole %d", c.ReportedWhole), fmt.Sprintf("opened %d", c.Opened),
		fmt.Sprintf("leaves scanned %d", c.LeavesScanned)}, " · ", sizeLabel, w)
	last := ""
	if k > 0 {
		s := t.Steps[k-1]
		last = fmt.Sprintf("last: level %d, [%.3g, %.3g] → %s", s.Depth, s.Min, s.Max, s.Decision)
	}
	detail = flowParts([]string{fmt.Sprintf("dot products so far %s of %s keys", fmtInt(c.DotProducts), fmtInt(a.data.n)),
		fmt.Sprintf("keys reported so far %s of %s", fmtInt(c.Reported), fmtInt(t.Stats.Reported)), last}, " · ", sizeLabel, w)
	return status, detail
}

// drawDecisionLegend shows the four decisions with their colour and cue.
// Entries that do not fit in r's width are left out.
func (a *App) drawDecisionLegend(p painter, r rect) {
	x := r.X
	a.explainReset(PanelTree) // each decision explains itself on hover (glossary)
	for _, d := range []hsr.Decision{hsr.Pruned, hsr.ReportedWhole, hsr.Opened, hsr.LeafScanned} {
		name := d.String()
		if x+20+textWidth(name, sizeLabel) > r.X+r.W {
			return
		}
		a.explain(PanelTree, rect{x, r.Y, 20 + textWidth(name, sizeLabel), r.H}, name)
		sw := rect{x, r.Y + 1, 16, r.H - 2}
		drawDecisionSwatch(p, sw, d)
		x += 20
		p.text(x, r.Y, name, sizeLabel, colText, scene.AlignLeft)
		x += textWidth(name, sizeLabel) + 9
	}
	if x+6+textWidth("c", sizeLabel) <= r.X+r.W {
		p.line(x, r.Y, x, r.Y+r.H, colQuery, 2)
		p.text(x+5, r.Y, "c", sizeLabel, colQuery, scene.AlignLeft)
	}
}

// drawDecisionSwatch draws a rect with the decision's colour and its
// non-colour cue: pruned = low grey fill; reported whole = fill + hatching;
// opened = outline only; leaf scanned = fill + dark outline.
func drawDecisionSwatch(p painter, r rect, d hsr.Decision) {
	col := decisionColor(d)
	switch d {
	case hsr.Pruned:
		p.rect(r, withAlpha(col, 0x70), color.RGBA{}, 0)
	case hsr.ReportedWhole:
		p.rect(r, withAlpha(col, 0x90), col, 1)
		if r.W >= 5 && r.H >= 5 {
			p.hatch(r, 5, colPanel, 1)
		}
	case hsr.Opened:
		p.rect(r, color.RGBA{}, col, 1.6)
	default:
		p.rect(r, withAlpha(col, 0xC0), colLeafDark, 1)
	}
}

// drawIntervals is the interval view.
func (tp *treePanel) drawIntervals(a *App, p painter, r rect, k int) {
	t := a.trace
	axisH := lineHeight(sizeSmall) + 4
	left := textWidth("level 00", sizeSmall) + 6
	plot := rect{r.X + left, r.Y + axisH, r.W - left, r.H - 2*axisH}
	if plot.H < 10 || plot.W < 20 {
		return
	}
	p.rect(plot, rgb(0xFB, 0xFB, 0xFC), colGrid, 1)
	// only the steps played so far are drawn (at least one bar: the axis)
	bars := intervalBarsInto(tp.bars[:0], t, max(1, min(k, len(t.Steps))), plot)
	tp.bars = bars
	depth := 0
	for _, s := range t.Steps {
		depth = max(depth, s.Depth)
	}
	rowH := plot.H / float32(depth+1)
	every := max(1, int(math.Ceil(float64(lineHeight(sizeSmall)/rowH)))) // level labels that do not overlap
	for lv := 0; lv <= depth; lv++ {
		y := plot.Y + rowH*float32(lv)
		if lv > 0 {
			p.line(plot.X, y, plot.X+plot.W, y, colGrid, 1)
		}
		if lv%every == 0 {
			p.text(plot.X-4, y+rowH/2-lineHeight(sizeSmall)/2, fmt.Sprintf("level %d", lv), sizeSmall, colMuted, scene.AlignRight)
		}
	}
	// the sides of the threshold
	cx := bars[0].cx
	p.rect(rect{cx, plot.Y, plot.X + plot.W - cx, plot.H}, withAlpha(colReported, 0x0C), color.RGBA{}, 0)
	if s := fitFirst(sizeSmall, cx-6-r.X, "← pruned side", "← pruned", ""); s != "" && !strings.HasSuffix(s, "…") {
		p.text(cx-6, r.Y, s, sizeSmall, colMuted, scene.AlignRight)
	}
	if s := fitFirst(sizeSmall, r.X+r.W-cx-6, "reported side →", "reported →", ""); s != "" && !strings.HasSuffix(s, "…") {
		p.text(cx+6, r.Y, s, sizeSmall, colMuted, scene.AlignLeft)
	}
	for _, b := range bars[:k] {
		drawDecisionSwatch(p, rect{b.x0, b.y, b.x1 - b.x0, b.h}, b.decision)
	}
	if k > 0 {
		b := bars[k-1]
		p.rect(rect{b.x0 - 2, b.y - 2, b.x1 - b.x0 + 4, b.h + 4}, color.RGBA{}, colText, 2)
	}
	p.line(cx, plot.Y-2, cx, plot.Y+plot.H+2, colQuery, 2)
	// value axis
	lo, hi := bars[0].lo, bars[0].hi
	ay := plot.Y + plot.H + 2
	axisLabels(p, plot, ay, cx, lo, hi, t.C)
	tp.plot = plot
	// a hovered heatmap cell or point: the node that decided its key
	if j := a.hoveredKey(); j >= 0 {
		if i := stepOfKey(t, k, a.data.key_(j)); i >= 0 {
			b := bars[i]
			p.rect(rect{b.x0 - 2, b.y - 2, b.x1 - b.x0 + 4, b.h + 4}, colTransparent, colHover, 2.5)
		}
	}
}

// axisLabels writes the interval view's value axis at height y: c under
// its line (kept inside the plot), and the ends lo and hi where they do
// not run into it (a shorter form first, then left out).
func axisLabels(p painter, plot rect, y, cx float32, lo, hi, c float64) {
	const m = 6
	cs := fmt.Sprintf("c = %.3g", c)
	cw := textWidth(cs, sizeSmall)
	cxl := max(plot.X, min(plot.X+plot.W-cw, cx-cw/2))
	cr := rect{cxl - m, y, cw + 2*m, lineHeight(sizeSmall)}
	p.text(cxl, y, cs, sizeSmall, colQuery, scene.AlignLeft)
	for _, s := range []string{fmt.Sprintf("q·x = %.3g", lo), fmt.Sprintf("%.3g", lo)} {
		if w := textWidth(s, sizeSmall); !cr.overlaps(rect{plot.X, y, w, cr.H}) {
			p.text(plot.X, y, s, sizeSmall, colMuted, scene.AlignLeft)
			break
		}
	}
	hs := fmt.Sprintf("%.3g", hi)
	if w := textWidth(hs, sizeSmall); !cr.overlaps(rect{plot.X + plot.W - w, y, w, cr.H}) {
		p.text(plot.X+plot.W, y, hs, sizeSmall, colMuted, scene.AlignRight)
	}
}

// drawBoxes draws the k-d tree's boxes (d = 2) entered by the first k steps.
func (tp *treePanel) drawBoxes(a *App, p painter, r rect, k int) {
	g := a.geometry()
	if g == nil {
		return
	}
	v := newView(g.bx0, g.bx1, g.by0, g.by1, r.X, r.Y, r.W, r.H, true)
	p.rect(r, rgb(0xFB, 0xFB, 0xFC), color.RGBA{}, 0)
	clip := func(x0, y0, x1, y1 float64) (rect, bool) {
		X0 := max(r.X, min(r.X+r.W, v.X(x0)))
		X1 := max(r.X, min(r.X+r.W, v.X(x1)))
		Y0 := max(r.Y, min(r.Y+r.H, v.Y(y1)))
		Y1 := max(r.Y, min(r.Y+r.H, v.Y(y0)))
		return rect{X0, Y0, X1 - X0, Y1 - Y0}, X1 > X0 && Y1 > Y0
	}
	t := a.trace
	for _, s := range t.Steps[:k] {
		if len(s.Lo) < 2 {
			continue
		}
		if br, ok := clip(s.Lo[0], s.Lo[1], s.Hi[0], s.Hi[1]); ok {
			drawDecisionSwatch(p, br, s.Decision)
		}
	}
	// the keys, small, over the boxes
	layout := fmt.Sprintf("treekeys/%d/%d/%d/%dx%d", a.dataVer, a.qVer, a.p.Query, int(r.W), int(r.H))
	key := fmt.Sprintf("%s/%g", layout, g.key.c)
	if tp.ver.content != key {
		old := tp.img
		tp.img = a.paintKeysSmall(g, v, r)
		// Only the threshold moved (b dragged): a few keys changed colour;
		// the renderer uploads and repaints only their box.
		if old != nil && tp.layout == layout && old.Rect == tp.img.Rect {
			tp.ver.next(key, true, diffBounds(old, tp.img))
		} else {
			tp.ver.next(key, false, image.Rectangle{})
		}
		tp.layout = layout
	}
	p.s.Add(tp.ver.raster(r.X, r.Y, tp.img))
	a0, a1, c := g.pr.halfPlane()
	if lx, ly, ok := boundarySegment(v, a0, a1, c); ok {
		p.line(v.X(lx[0]), v.Y(ly[0]), v.X(lx[1]), v.Y(ly[1]), colQuery, 2)
	}
	if k > 0 {
		s := t.Steps[k-1]
		if len(s.Lo) >= 2 {
			if br, ok := clip(s.Lo[0], s.Lo[1], s.Hi[0], s.Hi[1]); ok {
				p.rect(rect{br.X - 1, br.Y - 1, br.W + 2, br.H + 2}, color.RGBA{}, colText, 2.5)
			}
		}
	}
	if j := a.hoveredKey(); j >= 0 {
		// a hovered heatmap cell or point: its key and the box that decided it
		if i := stepOfKey(t, k, a.data.key_(j)); i >= 0 && len(t.Steps[i].Lo) >= 2 {
			s := t.Steps[i]
			if br, ok := clip(s.Lo[0], s.Lo[1], s.Hi[0], s.Hi[1]); ok {
				p.rect(rect{br.X - 1, br.Y - 1, br.W + 2, br.H + 2}, colTransparent, colHover, 2.5)
			}
		}
		x, y := g.pr.xy(a.data.key_(j), j)
		if X, Y := v.X(x), v.Y(y); r.contains(X, Y) {
			p.circle(X, Y, 5, colTransparent, colHover, 2)
		}
	}
	p.rect(r, color.RGBA{}, colBorder, 1)
	boxesLabel := "the tree's boxes on the plane (d = 2)"
	p.rect(rect{r.X + 1, r.Y + 1, textWidth(boxesLabel, sizeSmall) + 6, lineHeight(sizeSmall) + 2}, withAlpha(colPanel, 0xC8), colTransparent, 0)
	p.text(r.X+4, r.Y+2, boxesLabel, sizeSmall, colMuted, scene.AlignLeft)
}

// diffBounds is the bounding box of the pixels in which a and b (of the
// same bounds) differ; empty if none. A 341×136 image is compared in well
// under a millisecond.
func diffBounds(a, b *image.RGBA) image.Rectangle {
	var out image.Rectangle
	r := a.Rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		ra := a.Pix[a.PixOffset(r.Min.X, y) : a.PixOffset(r.Max.X-1, y)+4]
		rb := b.Pix[b.PixOffset(r.Min.X, y) : b.PixOffset(r.Max.X-1, y)+4]
		if bytes.Equal(ra, rb) {
			continue
		}
		x0, x1 := 0, len(ra)/4
		for x0 < x1 && bytes.Equal(ra[4*x0:4*x0+4], rb[4*x0:4*x0+4]) {
			x0++
		}
		for x1 > x0 && bytes.Equal(ra[4*x1-4:4*x1], rb[4*x1-4:4*x1]) {
			x1--
		}
		out = out.Union(image.Rect(r.Min.X+x0, y, r.Min.X+x1, y+1))
	}
	return out
}
