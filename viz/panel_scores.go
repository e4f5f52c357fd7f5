package viz

import (
	"fmt"
	"math"
	"sort"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/viz/plot"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// The score view of panel 6 (Params.Hist = scores): the distribution of
// the scores s = <q, k>/√d of the spread job's sample (the m queries shown
// against min(n, 4096) evenly spaced keys, thresholds.go), in the units of
// b; the part of each bar above b (the keys ReLU^α weighs and the paper's
// softmax keeps) in the reported colour; b as a line; the weight curve
// over it (max(s − b, 0)^α, or exp(s) for softmax), scaled to the plot's
// height; and for softmax the share of the dense exp-mass the kept keys
// hold, from the rows.

// scoreBins bins the sample's scores into about nb bins of a nice width
// (plot.NiceNum) and counts, per bin, the scores a row keeps: above
// thr(i) for row i (at or above it when atOrAbove, as softmax keeps).
// Each row of the sample is sorted, so a bin edge costs a binary search
// per row: O(m·nb·log S), whatever the sample's size.
func (sj *spreadJob) scoreBins(nb int, thr func(i int) float64, atOrAbove bool) (plot.Binning, []int) {
	lo, hi := sj.lo, sj.hi
	w := plot.NiceNum((hi-lo)/float64(max(nb, 1)), true)
	if !(w > 0) {
		w = math.Max(math.Abs(lo), 1) * 1e-3
	}
	start := math.Floor(lo/w) * w
	k := int(math.Floor((hi-start)/w)) + 1
	bn := plot.Binning{Edges: make([]float64, k+1), Counts: make([]int, k), Width: w}
	for i := range bn.Edges {
		bn.Edges[i] = start + float64(i)*w
	}
	above := make([]int, k)
	for i := 0; i < sj.m; i++ {
		r := sj.row(i)
		b := thr(i)
		gt := sort.Search(len(r), func(t int) bool { return r[t] > b || (atOrAbove && r[t] == b) }) // the kept scores are r[gt:]
		prev := 0
		for e := 1; e <= k; e++ {
			at := len(r) // the last bin holds its right edge
			if e < k {
				at = sort.SearchFloat64s(r, bn.Edges[e]) // scores < edge e
			}
			bn.Counts[e-1] += at - prev
			above[e-1] += max(0, at-max(gt, prev))
			prev = at
		}
	}
	return bn, above
}

// scoresKey is what the score view reads (its memo key).
func (a *App) scoresKey(r rect) any {
	type key struct {
		r    rect
		sp   *spreadJob
		done bool
		b    float64
		p    Params
		rows *rowsJob
	}
	p := a.p
	p.Speed, p.Query = 0, 0 // the view does not depend on them...
	if p.thresholdHow() == HowTopR {
		p.Query = a.p.Query // ...except the marked τ_i of the selected row
	}
	return key{r, a.spread, a.spreadDone(), a.p.B, p, a.shownRows}
}

func (a *App) drawScoresNow(p painter, r rect, title string) {
	how := a.p.thresholdHow()
	t := a.thresholdInfo()
	caption := "Scores s = <q,k>/√d of the m queries shown"
	if t != nil {
		caption = fmt.Sprintf("Scores s = <q,k>/√d: %d queries × %s keys%s", a.spread.m, fmtInt(t.SampleKeys),
			map[bool]string{true: " (all)", false: " (even sample)"}[t.SampleKeys == a.p.N])
	}
	body := p.panelFrame(r, title, caption)
	if t == nil {
		a.drawWaiting(p, body)
		return
	}
	sj := a.spread
	lh := lineHeight(sizeSmall) + 2
	lines := []string{t.Text}
	switch {
	case how == HowTopR:
		lines = append(lines, fmt.Sprintf("top r = %d per row; blue: scores ≥ their row's τ_i", a.p.TopR()))
	default:
		if how == HowPaper && t.SigmaIso != t.Sigma {
			// What the isotropic assumption σ_s = σ² would have given.
			bIso := attention.PaperThreshold(a.p.N, t.SigmaIso)
			lines = append(lines, fmt.Sprintf("σ² = %.3g would give b = %.3g: %s of scores above", t.SigmaIso, bIso,
				pct(float64(sj.countAbove(bIso))/float64(sj.cnt))))
		}
		rep := ""
		if s := a.sum; s != nil && s.key == a.rowsKey() {
			rep = fmt.Sprintf("; rows report %s of keys", pct(s.mean/float64(s.n)))
		}
		lines = append(lines, fmt.Sprintf("above b: %s of the sample%s", pct(t.SampleAbove), rep))
	}
	if a.p.Kind == attention.Softmax {
		if mean, lo := a.keptMass(); !math.IsNaN(mean) && a.shownRows.key == a.rowsKey() {
			lines = append(lines, fmt.Sprintf("kept exp-mass: mean %s, min %s (%d rows)", pct(mean), pct(lo), len(a.shownRows.rows)))
		} else {
			lines = append(lines, "kept exp-mass: computing the rows…")
		}
	}
	y := body.Y
	for _, l := range lines {
		p.text(body.X, y, fitText(l, sizeSmall, body.W), sizeSmall, colText, scene.AlignLeft)
		y += lh
	}
	area := rect{body.X, y + 2, body.W, body.Y + body.H - y - 2}
	if area.H < 40 {
		return
	}
	nb := max(8, min(60, int(area.W/7)))
	b := a.p.B
	thr := func(int) float64 { return b }
	if jb := a.shownRows; how == HowTopR && jb != nil && jb.key == a.rowsKey() {
		thr = func(i int) float64 { return jb.rows[i].row.Threshold }
	} else if how == HowTopR {
		thr = func(int) float64 { return math.Inf(1) } // τ_i not known yet
	}
	bins, above := sj.scoreBins(nb, thr, a.p.Kind == attention.Softmax)
	h := plot.Histogram{Rect: plot.Rect{X: area.X, Y: area.Y, W: area.W, H: area.H},
		XLabel: "score s = <q,k>/√d (the units of b)", YLabel: "scores",
		Binned: &bins, Color: colPruned, Highlight: above, HighlightColor: colReported}
	var curve func(s float64) float64
	curveLabel := ""
	switch how {
	case HowTopR:
		if jb := a.shownRows; jb != nil && jb.key == a.rowsKey() {
			q := a.p.Query
			h.Marks = append(h.Marks, plot.Mark{X: jb.rows[q].row.Threshold, Label: fmt.Sprintf("τ of query %d", q), Color: colQuery})
		}
		curve = func(s float64) float64 { return math.Exp(s - sj.hi) }
		curveLabel = "e^s (scaled)"
	default:
		h.Marks = append(h.Marks, plot.Mark{X: b, Label: fmt.Sprintf("b = %.3g", b), Color: colQuery})
		if a.p.Kind == attention.Softmax {
			curve = func(s float64) float64 { return math.Exp(s - sj.hi) }
			curveLabel = "e^s (scaled): kept ≥ b"
		} else {
			alpha := a.p.Alpha
			top := math.Pow(math.Max(sj.hi-b, 0), float64(alpha))
			if top > 0 {
				curve = func(s float64) float64 { return math.Pow(math.Max(s-b, 0), float64(alpha)) / top }
			}
			curveLabel = fmt.Sprintf("max(s−b, 0)^%d (scaled)", alpha)
		}
	}
	h.Draw(p.s)
	f := h.Frame()
	if curve != nil {
		// The curve over the sample's range, its maximum at the top.
		const steps = 80
		var px0, py0 float32
		for i := 0; i <= steps; i++ {
			s := f.X.Min + (f.X.Max-f.X.Min)*float64(i)/steps
			v := math.Min(1, curve(math.Min(s, sj.hi))) * f.Y.Max
			px, py, _ := f.Px(s, v)
			if i > 0 {
				p.line(px0, py0, px, py, colAccent, 1.5)
			}
			px0, py0 = px, py
		}
		p.text(f.Area.X+4, f.Area.Y+2, fitText(curveLabel, sizeSmall, f.Area.W/2), sizeSmall, colAccent, scene.AlignLeft)
	}
}

// histTabsWidth is the width of panel 6's two tabs.
func histTabsWidth() float32 {
	w := float32(0)
	for _, l := range histNames {
		w += textWidth(l, sizeSmall) + 12 + 4
	}
	return w
}

// drawHistTabs draws the two view tabs at the right of panel 6's title
// row and returns their rectangles.
func drawHistTabs(p painter, r rect, mode HistMode) [2]rect {
	var out [2]rect
	x := r.X + r.W - 8
	h := lineHeight(sizeSmall) + 4
	for i := len(histNames) - 1; i >= 0; i-- {
		label := histNames[i]
		w := textWidth(label, sizeSmall) + 12
		x -= w
		t := rect{x, r.Y + 5, w, h}
		out[i] = t
		fill, fg := colPanel, colAccent
		if HistMode(i) == mode {
			fill, fg = colAccent, colPanel
		}
		p.rect(t, fill, colAccent, 1)
		p.text(t.X+6, t.Y+2, label, sizeSmall, fg, scene.AlignLeft)
		x -= 4
	}
	return out
}
