package viz

import (
	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/viz/plot"
)

// newHistogramPanel is the distribution of the keys used per query row,
// with the mean and the theory's marks; it changes with the summary only.
func newHistogramPanel() panel {
	return &memoPanel{id: PanelHistogram, heading: "Keys reported per query row",
		key: func(a *App, r rect) any {
			if a.sum == nil {
				return nil
			}
			return struct {
				r   rect
				sum *summary
			}{r, a.sum}
		},
		paint: (*App).drawHistogramNow}
}

func (a *App) drawHistogramNow(p painter, r rect, title string) {
	body := p.panelFrame(r, title, "The bound holds on the mean; single rows may exceed it")
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
