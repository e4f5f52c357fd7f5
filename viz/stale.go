package viz

import (
	"fmt"
	"math"

	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// Stale panels. While new parameters compute, a panel may still show
// results of older ones (the numbers of the last complete rows, the trace
// of the last b, the scaling series of the last threshold): such a panel
// is stale, says so in its title row (an amber "stale · computing 37%"
// tag) and is listed in Snapshot().Stale until its own results are
// current. Each panel's state comes from the keys of the results it draws
// (the parameters they were computed for) against the keys the current
// parameters want, so the mark is exact: a change of the selected query
// marks only the panels of the trace, a change of n every panel that
// still shows something.

// freshness is what a panel shows against the current parameters.
type freshness uint8

const (
	fresh     freshness = iota // results of the current parameters, complete
	computing                  // nothing old: its results (or part of them) are still to come
	stale                      // results of older parameters
)

// panelFreshness says whether panel name shows results of the current
// parameters; it reads the same results and keys as the panel's draw.
func (a *App) panelFreshness(name string) freshness {
	switch name {
	case PanelGeometry, PanelTree:
		// App.geometry and the tree panel draw App.trace.
		switch {
		case a.trace == nil || !a.data.ready:
			return computing
		case a.traceKey.sans() != a.wantTraceKey():
			return stale
		}
	case PanelHeatmap:
		want, shown := a.rowsKey(), false
		for i := 0; i < a.p.M; i++ {
			if jb := heatRowJob(a, i); jb != nil {
				if jb.key != want {
					return stale
				}
				shown = true
			}
		}
		if !shown || a.rows == nil || a.rows.key != want || !a.rows.complete {
			return computing
		}
	case PanelNumbers:
		// App.sum, and the timing and the scaling slope of its key.
		switch {
		case a.sum == nil:
			return computing
		case a.sum.key != a.rowsKey():
			return stale
		case a.timingDue() || a.scalingUnit() != uNone:
			return computing
		}
	case PanelHistogram:
		if a.p.Hist == HistScores {
			// panel_scores.go draws only the complete sample of the
			// current keys and the rows of the current key.
			if a.thresholdInfo() == nil || a.shownRows == nil || a.shownRows.key != a.rowsKey() {
				return computing
			}
			return fresh
		}
		switch {
		case a.sum == nil:
			return computing
		case a.sum.key != a.rowsKey():
			return stale
		}
	case PanelScaling:
		sj := a.scaling
		switch {
		case sj != nil && (len(sj.points) >= 2 || sj.complete) && sj.key != a.scalingKey():
			return stale // drawScalingNow draws it whatever its key
		case sj == nil || sj.key != a.scalingKey() || !sj.complete:
			return computing
		}
	}
	return fresh
}

// stalePanels is the names of the stale panels, in panel order (nil: none).
func (a *App) stalePanels() []string {
	var out []string
	for _, pn := range a.panels {
		if a.panelFreshness(pn.name()) == stale {
			out = append(out, pn.name())
		}
	}
	return out
}

// computingPanels is the names of the panels that are not stale but wait
// for (part of) their results, in panel order (nil: none).
func (a *App) computingPanels() []string {
	var out []string
	for _, pn := range a.panels {
		if a.panelFreshness(pn.name()) == computing {
			out = append(out, pn.name())
		}
	}
	return out
}

// panelProgress is the share of the work before panel name's own results
// are current that is done, by the cost model of App.progress: the data
// and the index for the trace's panels, then the attention rows for the
// rows' panels, and everything for the scaling series.
func (a *App) panelProgress(name string) float64 {
	switch name {
	case PanelGeometry, PanelTree:
		return a.stageProgress(false)
	case PanelHeatmap, PanelNumbers, PanelHistogram:
		return a.stageProgress(true)
	}
	return a.progress()
}

// stageProgress is App.progress over the data and index stage and, with
// rows, the attention rows of the current parameters.
func (a *App) stageProgress(rows bool) float64 {
	ds := a.data
	nd := float64(ds.n * ds.d)
	gen, build := nd, 3*nd
	done, total := gen+build, gen+build
	if !ds.ready {
		done = gen * float64(ds.ks.Done()) / float64(ds.n)
		if ds.engines[hsr.IndexScan] != nil {
			done += build / 3
		}
		if ds.engines[hsr.IndexAuto] != nil {
			done += build / 3
		}
	}
	if rows {
		rc := float64(a.p.M) * 2.5 * nd
		total += rc
		if jb := a.rows; jb != nil && jb.key == a.rowsKey() {
			if jb.complete {
				done += rc
			} else {
				done += rc * (float64(jb.next) + float64(jb.phase)/numPhases) / float64(jb.m)
			}
		}
	}
	return math.Min(1, done/total)
}

// The stale tag's colours: amber, unlike any decision colour.
var (
	colStaleFill   = rgb(0xFF, 0xE8, 0x9E)
	colStaleBorder = rgb(0xB8, 0x6E, 0x00)
	colStaleText   = rgb(0x5C, 0x38, 0x00)
)

// staleLabel is the tag's text for a stale panel: with the progress of
// its own results while they compute, without once the pipeline stopped
// (a refusal: nothing computes until the parameters change).
func (a *App) staleLabel(name string) string {
	if a.failed != nil || !a.pending() {
		return "stale"
	}
	return fmt.Sprintf("stale · computing %d%%", int(math.Floor(100*a.panelProgress(name))))
}

// drawStaleMark draws the stale tag at the right of panel name's title row
// (left of panel 6's view tabs), over the end of a long title, if the
// panel is stale; the label shortens to "stale" where space is short.
func (a *App) drawStaleMark(p painter, r rect, name string) {
	if a.panelFreshness(name) != stale {
		return
	}
	right := r.X + r.W - 8
	if name == PanelHistogram {
		right -= histTabsWidth() + 4
	}
	label := a.staleLabel(name)
	if textWidth(label, sizeSmall)+12 > (right-r.X)/2 {
		label = "stale"
	}
	w := textWidth(label, sizeSmall) + 12
	t := rect{right - w, r.Y + 5, w, lineHeight(sizeSmall) + 4}
	if t.X < r.X+4 {
		return // no room at all
	}
	p.rect(t, colStaleFill, colStaleBorder, 1)
	p.text(t.X+6, t.Y+2, label, sizeSmall, colStaleText, scene.AlignLeft)
}
