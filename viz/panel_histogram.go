package viz

import (
	"strings"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/viz/plot"
)

// histogramPanel is panel 6: the keys used per query row (Params.Hist =
// counts) or the distribution of the scores with the threshold and the
// weight curve (scores, panel_scores.go). Two tabs in its title row, or
// hist in the hash, choose the view.
type histogramPanel struct {
	memoPanel
	tabs [2]rect // the "counts" and "scores" tabs, as last drawn
}

// newHistogramPanel is panel 6; a view changes with the summary, the
// score sample and how b is chosen only.
func newHistogramPanel() panel {
	h := &histogramPanel{}
	h.memoPanel = memoPanel{id: PanelHistogram, heading: "Keys reported per row",
		key: func(a *App, r rect) any {
			if a.p.Hist == HistScores {
				return a.scoresKey(r)
			}
			if a.sum == nil {
				return nil
			}
			return struct {
				r   rect
				sum *summary
				sp  *spreadJob
				b   float64
				how string
			}{r, a.sum, a.spread, a.p.B, a.p.thresholdHow()}
		},
		paint: func(a *App, p painter, r rect, title string) {
			if a.p.Hist == HistScores {
				num, _, _ := strings.Cut(title, " · ")
				title = num + " · Scores and the threshold"
			}
			title = fitText(title, sizeTitle, r.W-20-histTabsWidth()-8) // clear of the tabs
			if a.p.Hist == HistScores {
				a.drawScoresNow(p, r, title)
			} else {
				a.drawHistogramNow(p, r, title)
			}
			h.tabs = drawHistTabs(p, r, a.p.Hist)
		}}
	return h
}

// click switches the view when a tab is clicked.
func (h *histogramPanel) click(a *App, x, y float32) {
	for i, t := range h.tabs {
		if t.contains(x, y) && a.p.Hist != HistMode(i) {
			p := a.p
			p.Hist = HistMode(i)
			_ = a.SetParams(p)
		}
	}
}

func (a *App) drawHistogramNow(p painter, r rect, title string) {
	caption := "The bound holds on the mean; single rows may exceed it"
	switch t := a.thresholdInfo(); {
	case a.p.thresholdHow() == HowTopR:
		caption = "Softmax top r: r = n^γ keys per row (more on ties)"
	case t != nil && t.How != HowFixed:
		caption = t.Text
	case a.p.Kind == attention.Softmax:
		caption = "Softmax keeps every key scoring ≥ b (fixed b)"
	}
	body := p.panelFrame(r, title, caption)
	s := a.sum
	if s == nil {
		a.drawWaiting(p, body)
		return
	}
	vals := make([]float64, len(s.counts))
	for i, c := range s.counts {
		vals[i] = float64(c)
	}
	h := plot.Histogram{Rect: plot.Rect{X: body.X, Y: body.Y, W: body.W, H: body.H}, XLabel: "keys reported", YLabel: "rows",
		Values: vals, Color: colReported,
		Marks: []plot.Mark{{X: s.mean, Label: "mean", Color: colText}}}
	if s.key.kind == attention.ReLU {
		h.Marks = append(h.Marks, plot.Mark{X: s.countBound, Label: "n^(4/5)", Color: colQuery},
			plot.Mark{X: s.gaussExpect, Label: "Gaussian", Color: colMuted})
	}
	h.Draw(p.s)
}

// histTabRegions is panel 6's view tabs as widgets named hist_counts and
// hist_scores (Snapshot().Tabs), once drawn.
func (a *App) histTabRegions() []Region {
	h, ok := a.panelByName(PanelHistogram).(*histogramPanel)
	if !ok || h.tabs[0].W == 0 {
		return nil
	}
	out := make([]Region, len(h.tabs))
	for i, t := range h.tabs {
		out[i] = Region{Name: "hist_" + histNames[i], X: t.X, Y: t.Y, W: t.W, H: t.H}
	}
	return out
}
