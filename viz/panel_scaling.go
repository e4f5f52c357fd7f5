package viz

import (
	"fmt"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/viz/plot"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// newScalingPanel is the log-log plot of keys used and work per query row
// against n, with the fitted slopes and the theory's.
func newScalingPanel() panel {
	return &memoPanel{id: PanelScaling, heading: "Scaling with n (log-log)", key: scalingPanelKey, paint: (*App).drawScalingNow}
}

// scalingPanelKey is what the scaling panel shows: the series so far.
func scalingPanelKey(a *App, r rect) any {
	type key struct {
		r        rect
		paperB   bool
		kind     attention.Kind
		sj       *scalingJob
		points   int
		complete bool
	}
	var k any
	if sj := a.scaling; sj != nil && (len(sj.points) >= 2 || sj.complete) {
		k = key{r, a.p.PaperB, a.p.Kind, sj, len(sj.points), sj.complete}
	}
	return k
}

// scalingCaption says what the series is: the mean over the same m
// queries as the Numbers panel, at which threshold.
func (a *App) scalingCaption() string {
	mq := min(a.p.M, maxScalingQueries)
	if sj := a.scaling; sj != nil {
		mq = sj.mq
	}
	switch {
	case a.p.Kind == attention.Softmax && a.p.Tau == TauTopR:
		return fmt.Sprintf("Mean of m = %d queries on n' keys; top r = n'^γ kept", mq)
	case !a.p.PaperB:
		return fmt.Sprintf("Mean of m = %d queries on n' keys; FIXED b (p: paper's)", mq)
	}
	return fmt.Sprintf("Mean of m = %d queries on n' keys at the paper's b(n')", mq)
}

// scalingChart is the plot of the series in body: the measured points,
// their fits, and the theory's slope for the setting (4/5, 1 or γ) drawn
// through the data's geometric mean (sj.anchor: theory gives the slope,
// not the level). sj has at least two points.
func scalingChart(sj *scalingJob, body rect) *plot.XY {
	var xs, rep, dots, nodes []float64
	for _, pt := range sj.points {
		xs = append(xs, float64(pt.n))
		rep = append(rep, pt.reported)
		dots = append(dots, pt.dots)
		nodes = append(nodes, pt.nodes)
	}
	fit := func(ys []float64) *plot.Fit {
		s, c := attention.FitPowerLaw(xs, ys)
		return &plot.Fit{Slope: s, Intercept: c}
	}
	ch := plot.NewLogLog(plot.Rect{X: body.X, Y: body.Y, W: body.W, H: body.H}, "", "n (keys)", "per query")
	ch.Series = []plot.Series{
		{Name: "keys reported", X: xs, Y: rep, Color: colReported, Points: true, Line: true, Fit: fit(rep)},
		{Name: "dot products", X: xs, Y: dots, Color: colOpened, Points: true, Line: true, Fit: fit(dots)},
		{Name: "nodes visited", X: xs, Y: nodes, Color: colMuted, Points: true, Line: true},
	}
	if x0, y0, ok := sj.anchor(); ok {
		ch.References = []plot.Reference{{Slope: sj.theorySlope(), X0: x0, Y0: y0, Label: sj.theoryLabel(), Color: colQuery}}
	}
	return ch
}

func (a *App) drawScalingNow(p painter, r rect, title string) {
	body := p.panelFrame(r, title, a.scalingCaption())
	sj := a.scaling
	if sj != nil && sj.complete && len(sj.points) < 2 {
		// Nothing to wait for: say what a plot needs.
		msg := fitText(sj.noSlope(), sizeCaption, body.W-8)
		p.text(body.X+body.W/2, body.Y+body.H/2-lineHeight(sizeCaption)/2, msg, sizeCaption, colMuted, scene.AlignCenter)
		return
	}
	if sj == nil || len(sj.points) < 2 {
		a.drawWaiting(p, body)
		return
	}
	scalingChart(sj, body).Draw(p.s)
	if _, _, ok := sj.anchor(); !ok && sj.complete {
		// An empty series: say so over the plot (Numbers flags it too).
		msg := fitText("no key reported at any n': nothing to fit (lower b)", sizeCaption, body.W-8)
		p.text(body.X+body.W/2, body.Y+body.H*0.7, msg, sizeCaption, colError, scene.AlignCenter)
	}
	if !sj.complete {
		p.progressBar(rect{body.X + body.W - 90, body.Y + body.H - 8, 80, 4}, float64(len(sj.points))/float64(len(sj.sizes)), "")
	}
}
