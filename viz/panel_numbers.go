package viz

import (
	"fmt"
	"image/color"
	"time"

	"github.com/hsrviz/hsrviz/viz/scene"

	"github.com/hsrviz/hsrviz/attention"
)

// numberLine is one line of the numbers panel: a label, the measured value
// and an optional comparison (theory lines are marked "theory").
type numberLine struct {
	label, value, note string
	ok                 int // 1 good (green), -1 bad (red), 0 plain
	theory             bool
	wideNote           bool // the note starts under the label (a long note)
}

// timingLine is the per-query time of the chosen index and of the scan
// (timing.go), or "measuring…" until the timing job is done.
func (a *App) timingLine() numberLine {
	ix := a.p.Index
	if a.sum != nil {
		ix = a.sum.key.index
	}
	l := numberLine{label: "time, " + ix.String() + " vs scan", wideNote: true}
	t, ok := a.shownTiming()
	if !ok {
		l.value = "measuring…"
		l.note = fmt.Sprintf("%s and scan in alternating batches of the %d queries", ix, a.sum.m)
		if tj := a.timing; tj != nil && tj.key == a.sum.key && tj.round >= 0 {
			l.note = fmt.Sprintf("round %d of %d: %s and scan, alternating batches", tj.round+1, tj.rounds, ix)
		}
		return l
	}
	// index vs scan, per query, and scan/index: above 1 the index is faster
	l.value = fmtDurs(t.index, t.scan) + fmt.Sprintf(" (%.2g×)", t.ratio)
	if t.ratio >= 1 {
		l.ok = 1
	}
	l.note = fmt.Sprintf("per query, fastest of %d alternating rounds of %d queries", t.rounds, t.m)
	return l
}

// fmtDurs writes "x vs y unit" (or "x unit vs y unit" when the units
// differ) with 3 significant digits in s, ms or µs.
func fmtDurs(x, y time.Duration) string {
	unit := func(d time.Duration) (float64, string) {
		s := d.Seconds()
		switch {
		case s < 1e-3:
			return s * 1e6, "µs"
		case s < 1:
			return s * 1e3, "ms"
		}
		return s, "s"
	}
	vx, ux := unit(x)
	vy, uy := unit(y)
	if ux == uy {
		return fmt.Sprintf("%.3g vs %.3g %s", vx, vy, uy)
	}
	return fmt.Sprintf("%.3g %s vs %.3g %s", vx, ux, vy, uy)
}

func (a *App) numberLines() []numberLine {
	s := a.sum
	if s == nil {
		return nil
	}
	pct := func(x, y float64) string {
		if y == 0 {
			return ""
		}
		return fmtNum(100*x/y) + "%"
	}
	L := []numberLine{
		{label: "keys reported per row", value: fmt.Sprintf("mean %s (min %d, max %d)", fmtNum(s.mean), s.minC, s.maxC),
			note: fmt.Sprintf("total %s over m = %d rows", fmtInt(s.total), s.m)},
	}
	if s.key.kind == attention.ReLU {
		L = append(L,
			numberLine{label: "n^(4/5)", value: fmtNum(s.countBound), note: "the paper's bound on the mean", theory: true},
			numberLine{label: "Gaussian expectation", value: fmtNum(s.gaussExpect), note: "n·P(Z > b/σ²)", theory: true})
	} else {
		L = append(L, numberLine{label: "top r = n^γ (rounded up)", value: fmt.Sprintf("%d", s.topR), note: "keys kept per row (ties too)"})
	}
	L = append(L,
		numberLine{label: "nodes visited", value: fmtInt(s.stats.NodesVisited),
			note: fmt.Sprintf("pruned %s · reported whole %s", fmtInt(s.stats.Pruned), fmtInt(s.stats.ReportedWhole))},
		numberLine{label: "dot products", value: fmtInt(s.stats.DotProducts),
			note: fmt.Sprintf("vs dense n·m = %s (%s)", fmtInt(s.dotsDense), pct(float64(s.stats.DotProducts), float64(s.dotsDense)))},
	)
	L = append(L, a.timingLine())
	if s.key.kind == attention.ReLU {
		v, o := "✗ differs", -1
		if s.exact {
			v, o = "exact", 1
		}
		L = append(L, numberLine{label: "HSR vs dense", value: v, ok: o,
			note: fmt.Sprintf("%d/%d rows: same keys, output within 1e-12", s.exactRows, s.m)})
	} else {
		o := -1
		if s.boundOK {
			o = 1
		}
		L = append(L, numberLine{label: "max error |o − ô|∞", value: fmt.Sprintf("%.3g", s.maxErr), ok: o,
			note: fmt.Sprintf("≤ certified bound %.3g on every row", s.bound)})
	}
	L = append(L, numberLine{label: "cost per query", value: "O(n^(4/5)) vs O(n·d)", note: "decoding with HSR vs dense", theory: true})
	return L
}

// newNumbersPanel is every number measured in this run beside its theory.
func newNumbersPanel() panel {
	return &memoPanel{id: PanelNumbers, heading: "Numbers, measured in this run", key: numbersKey, paint: (*App).drawNumbersNow}
}

// numbersKey is what the numbers panel shows: the summary and the timing.
func numbersKey(a *App, r rect) any {
	type key struct {
		r      rect
		sum    *summary
		timing *timingJob
		round  int
		done   bool
	}
	var k any
	if a.sum != nil {
		k = key{r: r, sum: a.sum}
		if tj := a.timing; tj != nil {
			k = key{r, a.sum, tj, tj.round, tj.complete}
		}
	}
	return k
}

func (a *App) drawNumbersNow(p painter, r rect, title string) {
	body := p.panelFrame(r, title, "Counts and times measured now; theory lines are marked")
	lines := a.numberLines()
	a.explainReset(PanelNumbers) // each row explains itself on hover (glossary)
	if lines == nil {
		a.drawWaiting(p, body)
		return
	}
	lh := lineHeight(sizeNumber)
	nh := lineHeight(sizeSmall)
	rowH := lh + nh + 4
	labelW := min(body.W*0.42, 170)
	y := body.Y + 2
	for _, l := range lines {
		if y+rowH > body.Y+body.H {
			break
		}
		lc := colText
		if l.theory {
			lc = colMuted
		}
		label := l.label
		if l.theory {
			label = "theory: " + label
		}
		p.text(body.X, y, fitText(label, sizeLabel, labelW-6), sizeLabel, lc, scene.AlignLeft)
		vx := body.X + labelW
		vc := colText
		switch l.ok {
		case 1:
			vc = colOK
			drawCheck(p, vx, y+2, lh-4, colOK)
			vx += lh
		case -1:
			vc = colError
			drawCross(p, vx, y+2, lh-4, colError)
			vx += lh
		}
		p.text(vx, y, fitText(l.value, sizeNumber, body.X+body.W-vx), sizeNumber, vc, scene.AlignLeft)
		nx := body.X + labelW
		if l.wideNote {
			nx = body.X
		}
		p.text(nx, y+lh, fitText(l.note, sizeSmall, body.X+body.W-nx), sizeSmall, colMuted, scene.AlignLeft)
		a.explain(PanelNumbers, rect{body.X, y, body.W, rowH}, l.label)
		y += rowH
		p.line(body.X, y-2, body.X+body.W, y-2, colGrid, 1)
	}
}

// drawCheck and drawCross are drawn marks (the font has no ✓).
func drawCheck(p painter, x, y, s float32, c color.RGBA) {
	p.line(x, y+s*0.55, x+s*0.38, y+s*0.9, c, 2.2)
	p.line(x+s*0.38, y+s*0.9, x+s, y+s*0.1, c, 2.2)
}

func drawCross(p painter, x, y, s float32, c color.RGBA) {
	p.line(x, y, x+s, y+s, c, 2.2)
	p.line(x+s, y, x, y+s, c, 2.2)
}
