package viz

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"time"

	"github.com/hsrviz/hsrviz/viz/scene"

	"github.com/hsrviz/hsrviz/attention"
)

// numberLine is one line of the numbers panel: a label, the measured value
// and an optional comparison (theory lines are marked "theory"). Where the
// panel is small it shows each line compactly, its short label over its
// short value (the note left out: what matters of it is in those two).
type numberLine struct {
	id                 string // the line's name in Snapshot().NumberLines
	label, value, note string
	short, compact     string // the compact label and value ("": label, value)
	ok                 int    // 1 good (green ✓), -1 bad (red ✗), 0 plain
	theory             bool
	wideNote           bool // the note starts under the label (a long note)
	// flag is a warning on the whole width (label only, in the warning
	// colour, with ✗ when ok is -1): a row with no key, an empty heatmap.
	flag bool
}

func (l numberLine) shortLabel() string {
	s := l.label
	if l.short != "" {
		s = l.short
	}
	if l.theory {
		s = "theory: " + s
	}
	return s
}

func (l numberLine) compactValue() string {
	if l.compact != "" {
		return l.compact
	}
	return l.value
}

// colWarn is the colour of a warning that is not an error (some rows
// empty): a dark amber, readable on the panel's white.
var colWarn = rgb(0x9A, 0x5B, 0x00)

// timingLine is the per-query time of the chosen index's half-space query
// and of the scan's (timing.go), or "measuring…" until the timing job is
// done. It times the search alone; the work line counts the attention too.
// It carries no ✓ when no row reported a key: nothing was attended to.
func (a *App) timingLine() numberLine {
	ix := a.p.Index
	if a.sum != nil {
		ix = a.sum.key.index
	}
	l := numberLine{id: "time", label: "search time, " + ix.String() + " vs scan", wideNote: true}
	t, ok := a.shownTiming()
	if !ok {
		l.value = "measuring…"
		l.note = fmt.Sprintf("%s and scan in alternating batches of the %d queries", ix, a.sum.m)
		if tj := a.timing; tj != nil && tj.key == a.sum.key && tj.round >= 0 {
			l.value = fmt.Sprintf("measuring… %d/%d", tj.round+1, tj.rounds)
			l.note = fmt.Sprintf("round %d of %d: %s and scan, alternating batches", tj.round+1, tj.rounds, ix)
		}
		return l
	}
	// index vs scan, per query, and scan/index: above 1 the index is faster
	l.value = fmtDurs(t.index, t.scan) + " (" + fmtRatio(t.ratio) + ")"
	if t.ratio >= 1 && !a.sum.allEmpty() {
		l.ok = 1
	}
	l.note = fmt.Sprintf("the half-space query alone, per query, fastest of %d alternating rounds of %d queries", t.rounds, t.m)
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

// fmtCount writes a count that may be fractional (a mean): "1,064",
// "155", "12.5".
func fmtCount(x float64) string {
	if !math.IsNaN(x) && math.Abs(x) >= 1000 && math.Abs(x) < 1e15 {
		return fmtInt(int(math.Round(x)))
	}
	return fmtNum(x)
}

// fmtSI writes a large amount with 2 significant digits and k, M or G.
func fmtSI(x float64) string {
	for _, u := range []struct {
		v float64
		s string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if v := x / u.v; math.Abs(v) >= 100 {
			return fmt.Sprintf("%.0f%s", v, u.s)
		} else if math.Abs(v) >= 1 {
			return fmt.Sprintf("%.2g%s", v, u.s)
		}
	}
	if math.Abs(x) >= 100 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.2g", x)
}

// fmtRatio writes a ratio with 2 significant digits: "4.8×", "0.76×".
func fmtRatio(x float64) string {
	if x >= 100 {
		return fmt.Sprintf("%.0f×", x)
	}
	return fmt.Sprintf("%.2g×", x)
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
	// The flags first, on the whole width: rows with no key; all of them
	// is an empty heatmap.
	var L []numberLine
	switch {
	case s.allEmpty():
		L = append(L, numberLine{id: "empty", flag: true, ok: -1,
			label: fmt.Sprintf("no key in any of the %d rows: the heatmap is empty, nothing to speed up", s.m),
			short: fmt.Sprintf("no key in any of the %d rows: empty heatmap", s.m)})
	case s.emptyRows > 0:
		L = append(L, numberLine{id: "empty", flag: true,
			label: fmt.Sprintf("%d of %d rows report no key (their output is 0)", s.emptyRows, s.m),
			short: fmt.Sprintf("%d of %d rows report no key", s.emptyRows, s.m)})
	}
	L = append(L, numberLine{id: "keys", label: "keys reported per row",
		value:   fmt.Sprintf("mean %s (min %s, max %s)", fmtCount(s.mean), fmtInt(s.minC), fmtInt(s.maxC)),
		note:    fmt.Sprintf("total %s over the m = %d queries", fmtInt(s.total), s.m),
		short:   "keys per row: mean (range)",
		compact: fmt.Sprintf("%s (%s–%s)", fmtCount(s.mean), fmtInt(s.minC), fmtInt(s.maxC))})
	if s.key.kind == attention.ReLU {
		bl := numberLine{id: "bound", label: "n^(4/5)", value: fmtCount(s.countBound), note: "the paper's bound on the mean count", theory: true}
		if s.aboveBound() {
			bl.ok = -1
			bl.value = fmt.Sprintf("%s, mean %s is above", fmtCount(s.countBound), fmtCount(s.mean))
			bl.compact = fmt.Sprintf("%s < mean %s", fmtCount(s.countBound), fmtCount(s.mean))
			bl.note = "the measured mean exceeds the paper's bound"
		}
		el := numberLine{id: "expected", label: "expected mean count", theory: true, value: fmtCount(s.gaussExpect),
			note: "mean over the rows of n·P(score > b | q_i), exact for Gaussian keys", wideNote: true}
		if s.gaussNone != "" {
			el.value, el.note = "does not apply", s.gaussNone
		}
		L = append(L, bl, el)
	} else if s.key.tau == TauTopR {
		L = append(L, numberLine{id: "topr", label: "top r = n^γ (rounded)", value: fmt.Sprintf("%d", s.topR),
			note: "keys kept per row (ties too)", compact: fmt.Sprintf("%d kept per row", s.topR)})
	} else {
		L = append(L, numberLine{id: "topr", label: "softmax keeps", value: fmt.Sprintf("every score ≥ b = %.3g", s.key.b),
			note: "the massive entries, per row (thresholds.go)", compact: fmt.Sprintf("scores ≥ b = %.3g", s.key.b)})
	}
	L = append(L,
		numberLine{id: "nodes", label: "nodes visited", value: fmtInt(s.stats.NodesVisited),
			note:  fmt.Sprintf("pruned %s · reported whole %s", fmtInt(s.stats.Pruned), fmtInt(s.stats.ReportedWhole)),
			short: "nodes visited (pruned, whole)",
			compact: fmt.Sprintf("%s (%s, %s)", fmtInt(s.stats.NodesVisited), fmtInt(s.stats.Pruned),
				fmtInt(s.stats.ReportedWhole))},
		numberLine{id: "dots", label: "search dot products", value: fmtInt(s.stats.DotProducts),
			note:    fmt.Sprintf("vs dense n·m = %s (%s)", fmtInt(s.dotsDense), pct(float64(s.stats.DotProducts), float64(s.dotsDense))),
			short:   "search dot products (of n·m)",
			compact: fmt.Sprintf("%s (%s)", fmtInt(s.stats.DotProducts), pct(float64(s.stats.DotProducts), float64(s.dotsDense)))},
		a.workLine(),
		a.timingLine(),
	)
	if s.key.kind == attention.ReLU {
		v, o := "differs", -1
		if s.exact {
			v, o = "exact", 1
		}
		L = append(L, numberLine{id: "exact", label: "HSR vs dense", value: v, ok: o,
			note: fmt.Sprintf("%d/%d rows: same keys, output within 1e-12", s.exactRows, s.m), wideNote: true,
			compact: fmt.Sprintf("%s, %d/%d rows", v, s.exactRows, s.m)})
	} else {
		o := -1
		if s.boundOK {
			o = 1
		}
		L = append(L, numberLine{id: "error", label: "max error |o − ô|∞", value: fmt.Sprintf("%.3g", s.maxErr), ok: o,
			note:    fmt.Sprintf("≤ certified bound %.3g on every row", s.bound),
			compact: fmt.Sprintf("%.3g ≤ bound %.3g", s.maxErr, s.bound)})
	}
	return append(L, a.slopeLine())
}

// workLine is the work model per query (docs/contract.md, "Work"): the
// search and the attention over the reported keys against the dense row.
// A ✓ only when the HSR path does less and some key was reported.
func (a *App) workLine() numberLine {
	s := a.sum
	hsrW := s.workSearch + s.workAttn
	ratio := s.workRatio()
	l := numberLine{id: "work", label: "work per query (model)",
		value: fmt.Sprintf("%s vs dense %s (%s)", fmtSI(hsrW), fmtSI(s.workDense), fmtRatio(ratio)),
		note: fmt.Sprintf("multiply-adds: search %s + attention %s (d+dv = %d per key) vs n·(d+dv)",
			fmtSI(s.workSearch), fmtSI(s.workAttn), s.d+a.data.dv), wideNote: true,
		short: "work per query vs dense (model)", compact: fmt.Sprintf("%s vs %s (%s)", fmtSI(hsrW), fmtSI(s.workDense), fmtRatio(ratio))}
	switch {
	case s.allEmpty():
		// No ratio: a search that finds nothing is not a speed-up.
		l.value = fmt.Sprintf("%s vs dense %s: nothing attended", fmtSI(hsrW), fmtSI(s.workDense))
		l.compact = fmt.Sprintf("%s vs %s, nothing attended", fmtSI(hsrW), fmtSI(s.workDense))
		l.note = "no key reported: the search found nothing to attend to, not a speed-up"
	case ratio > 1:
		l.ok = 1
	default:
		l.ok = -1
		l.note = fmt.Sprintf("more than dense: search %s + attention %s over %s keys per row",
			fmtSI(s.workSearch), fmtSI(s.workAttn), fmtCount(s.mean))
	}
	return l
}

// slopeLine is the work's fitted slope against n (the scaling series),
// said to be sublinear or not, beside what the theory expects.
func (a *App) slopeLine() numberLine {
	l := numberLine{id: "slope", label: "work vs n, measured", short: "work vs n: fitted slope", wideNote: true}
	theory := "theory: O(n^(4/5)) at the paper's b"
	switch {
	case a.sum.key.kind == attention.Softmax && a.sum.key.tau == TauTopR:
		theory = "theory: r = n^γ keys kept"
	case !a.p.PaperB:
		theory = "theory: a fixed b reports n·P(s > b), linear"
	}
	sj := a.scaling
	switch {
	case sj == nil || !sj.complete || sj.key != a.scalingKey():
		l.value = "measuring…"
		l.note = "the scaling series (panel 5) is running; " + theory
	case sj.noSlope() != "" || math.IsNaN(sj.slopeWork):
		l.value = "no slope"
		l.note = sj.noSlope()
	default:
		word := slopeWord(sj.slopeWork)
		l.value = fmt.Sprintf("slope %.2f: %s", sj.slopeWork, word)
		l.compact = fmt.Sprintf("%.2f, %s", sj.slopeWork, word)
		l.note = fmt.Sprintf("fit over n' = %s…%s (panel 5); %s", fmtInt(sj.sizes[0]), fmtInt(sj.sizes[len(sj.sizes)-1]), theory)
	}
	return l
}

// numbersPanel is every number measured in this run beside its theory; it
// keeps where it drew each line (Snapshot().NumberLines).
type numbersPanel struct {
	memoPanel
	lines []Region
}

// newNumbersPanel is every number measured in this run beside its theory.
func newNumbersPanel() panel {
	np := &numbersPanel{}
	np.memoPanel = memoPanel{id: PanelNumbers, heading: "Numbers, measured in this run", key: numbersKey,
		paint: func(a *App, p painter, r rect, title string) { np.lines = a.drawNumbersNow(p, r, title) }}
	return np
}

// numberLineRegions is where the numbers panel drew each of its lines
// (Snapshot().NumberLines).
func (a *App) numberLineRegions() []Region {
	if np, ok := a.panelByName(PanelNumbers).(*numbersPanel); ok {
		return append([]Region(nil), np.lines...)
	}
	return nil
}

// numbersKey is what the numbers panel shows: the summary, the timing and
// the scaling series' slope.
func numbersKey(a *App, r rect) any {
	type key struct {
		r        rect
		sum      *summary
		timing   *timingJob
		round    int
		done     bool
		scaling  *scalingJob
		scaleOK  bool
		paperB   bool
		scaleKey scalingKey
	}
	if a.sum == nil {
		return nil
	}
	k := key{r: r, sum: a.sum, scaling: a.scaling, paperB: a.p.PaperB, scaleKey: a.scalingKey()}
	if tj := a.timing; tj != nil {
		k.timing, k.round, k.done = tj, tj.round, tj.complete
	}
	if sj := a.scaling; sj != nil {
		k.scaleOK = sj.complete
	}
	return k
}

// Numbers panel layouts, tried in order until every line fits whole: one
// column with notes; one column of compact lines (short label and short
// value side by side where they fit, else one over the other); two
// columns of compact cells (short label over short value). When none fits
// (a tiny window) the compact column shows what fits.
type numbersLayout int

const (
	layoutFull numbersLayout = iota
	layoutOneCol
	layoutTwoCols
	numLayouts
)

var debugNumbers = false

// placed is one line's position in a layout.
type placed struct {
	x, y, w, h float32
	stacked    bool // compact: the value under the label
	labelW     float32
}

// placeNumbers places lines in body with layout lay. fits is false when a
// line does not fit whole (below the body or a text cut).
func placeNumbers(lines []numberLine, body rect, lay numbersLayout) (pl []placed, fits bool) {
	lh, nh, lb := lineHeight(sizeNumber), lineHeight(sizeSmall), lineHeight(sizeLabel)
	mark := lh // the ✓ / ✗ before a value
	fits = true
	y := body.Y + 2
	wantW := func(s string, size, w float32) {
		if textWidth(s, size) > w {
			if debugNumbers {
				println("numbers layout", lay, "cut:", s, textWidth(s, size), w)
			}
			fits = false
		}
	}
	flag := func(l numberLine, label string) placed {
		h := lh + 2
		w := body.W
		if l.ok != 0 {
			w -= mark
		}
		wantW(label, sizeLabel, w)
		p := placed{x: body.X, y: y, w: body.W, h: h}
		y += h
		return p
	}
	switch lay {
	case layoutFull:
		labelW := min(body.W*0.42, 170)
		for _, l := range lines {
			if l.flag {
				pl = append(pl, flag(l, l.label))
				continue
			}
			label := l.label
			if l.theory {
				label = "theory: " + label
			}
			wantW(label, sizeLabel, labelW-6)
			vw := body.W - labelW
			if l.ok != 0 {
				vw -= mark
			}
			wantW(l.value, sizeNumber, vw)
			nx := labelW
			if l.wideNote {
				nx = 0
			}
			wantW(l.note, sizeSmall, body.W-nx)
			h := lh + nh + 4
			pl = append(pl, placed{x: body.X, y: y, w: body.W, h: h, labelW: labelW})
			y += h
		}
	case layoutTwoCols:
		const gap = 12
		cw := (body.W - gap) / 2
		col := 0
		var rowH float32
		for _, l := range lines {
			if l.flag {
				if col == 1 {
					y += rowH
					col = 0
				}
				pl = append(pl, flag(l, l.shortLabel()))
				continue
			}
			wantW(l.shortLabel(), sizeLabel, cw)
			vw := cw
			if l.ok != 0 {
				vw -= mark
			}
			wantW(l.compactValue(), sizeNumber, vw)
			rowH = lb + lh + 3
			pl = append(pl, placed{x: body.X + float32(col)*(cw+gap), y: y, w: cw, h: rowH, stacked: true})
			if col == 1 {
				y += rowH
			}
			col = 1 - col
		}
		if col == 1 {
			y += rowH
		}
	case layoutOneCol:
		// The label column: of the widths that fit some label (at most
		// 60% of the body), the one that puts the most lines side by side
		// (the rest go one over the other).
		inline := func(l numberLine, labelW float32) bool {
			vw := body.W - labelW
			if l.ok != 0 {
				vw -= mark
			}
			return textWidth(l.shortLabel(), sizeLabel)+8 <= labelW && textWidth(l.compactValue(), sizeNumber) <= vw
		}
		var labelW float32
		best := -1
		for _, c := range lines {
			w := textWidth(c.shortLabel(), sizeLabel) + 8
			if c.flag || w > body.W*0.6 {
				continue
			}
			k := 0
			for _, l := range lines {
				if !l.flag && inline(l, w) {
					k++
				}
			}
			if k > best || (k == best && w < labelW) {
				best, labelW = k, w
			}
		}
		for _, l := range lines {
			if l.flag {
				pl = append(pl, flag(l, l.shortLabel()))
				continue
			}
			if inline(l, labelW) {
				h := lh + 4
				pl = append(pl, placed{x: body.X, y: y, w: body.W, h: h, labelW: labelW})
				y += h
				continue
			}
			wantW(l.shortLabel(), sizeLabel, body.W)
			vw := body.W
			if l.ok != 0 {
				vw -= mark
			}
			wantW(l.compactValue(), sizeNumber, vw)
			h := lb + lh + 3
			pl = append(pl, placed{x: body.X, y: y, w: body.W, h: h, stacked: true})
			y += h
		}
	}
	for _, p := range pl {
		if p.y+p.h > body.Y+body.H+1 {
			if debugNumbers {
				println("numbers layout", lay, "too low", p.y+p.h, body.Y+body.H)
			}
			fits = false
		}
	}
	return pl, fits
}

// drawNumbersNow draws the lines in the first layout where all fit whole
// (else the compact column, as much as fits), and returns where each line
// went (a line that did not fit has an empty rectangle).
func (a *App) drawNumbersNow(p painter, r rect, title string) []Region {
	lines := a.numberLines()
	a.explainReset(PanelNumbers) // each line explains itself on hover (glossary)
	caption := "Measured now; theory lines are marked"
	if a.sum != nil {
		caption = fmt.Sprintf("Measured over m = %d queries; theory is marked", a.sum.m)
	}
	body := p.panelFrame(r, title, caption)
	if lines == nil {
		a.drawWaiting(p, body)
		return nil
	}
	all := lines
	lines, pl, lay := fitNumbers(lines, body)
	lh := lineHeight(sizeNumber)
	lb := lineHeight(sizeLabel)
	regions := make([]Region, 0, len(all)+1)
	for _, l := range all { // the lines left out keep an empty region
		if !slices.ContainsFunc(lines, func(k numberLine) bool { return k.id == l.id }) {
			regions = append(regions, Region{Name: l.id})
		}
	}
	first := len(regions)
	regions = append(regions, make([]Region, len(lines))...)
	shown := regions[first:]
	for i, l := range lines {
		shown[i].Name = l.id
		at := pl[i]
		if at.y+at.h > body.Y+body.H+1 {
			continue // did not fit: an empty region
		}
		shown[i].X, shown[i].Y, shown[i].W, shown[i].H = at.x, at.y, at.w, at.h
		a.explain(PanelNumbers, rect{at.x, at.y, at.w, at.h}, l.label)
		right := at.x + at.w
		lc := colText
		if l.theory {
			lc = colMuted
		}
		vc := colText
		mark := func(x, y float32) float32 {
			switch l.ok {
			case 1:
				vc = colOK
				drawCheck(p, x, y+2, lh-4, colOK)
				return x + lh
			case -1:
				vc = colError
				drawCross(p, x, y+2, lh-4, colError)
				return x + lh
			}
			return x
		}
		if l.flag {
			fc := colWarn
			if l.ok == -1 {
				fc = colError
			}
			x := mark(at.x, at.y)
			text := l.label
			if lay != layoutFull {
				text = l.shortLabel()
			}
			p.text(x, at.y+(lh-lb)/2, fitText(text, sizeLabel, right-x), sizeLabel, fc, scene.AlignLeft)
			continue
		}
		if lay == layoutFull {
			label := l.label
			if l.theory {
				label = "theory: " + label
			}
			p.text(at.x, at.y, fitText(label, sizeLabel, at.labelW-6), sizeLabel, lc, scene.AlignLeft)
			vx := mark(at.x+at.labelW, at.y)
			p.text(vx, at.y, fitText(l.value, sizeNumber, right-vx), sizeNumber, vc, scene.AlignLeft)
			nx := at.x + at.labelW
			if l.wideNote {
				nx = at.x
			}
			p.text(nx, at.y+lh, fitText(l.note, sizeSmall, right-nx), sizeSmall, colMuted, scene.AlignLeft)
			p.line(at.x, at.y+at.h-2, right, at.y+at.h-2, colGrid, 1)
			continue
		}
		if at.stacked {
			p.text(at.x, at.y, fitText(l.shortLabel(), sizeLabel, at.w), sizeLabel, lc, scene.AlignLeft)
			vx := mark(at.x, at.y+lb)
			p.text(vx, at.y+lb, fitText(l.compactValue(), sizeNumber, right-vx), sizeNumber, vc, scene.AlignLeft)
		} else {
			p.text(at.x, at.y+(lh-lb)/2, fitText(l.shortLabel(), sizeLabel, at.labelW-8), sizeLabel, lc, scene.AlignLeft)
			vx := mark(at.x+at.labelW, at.y)
			p.text(vx, at.y, fitText(l.compactValue(), sizeNumber, right-vx), sizeNumber, vc, scene.AlignLeft)
		}
		p.line(at.x, at.y+at.h-2, right, at.y+at.h-2, colGrid, 1)
	}
	return regions
}

// leaveOut is the order in which lines are left out of a Numbers panel
// too small for all of them in any layout (a lesson card above it, a
// projector's large text): the theory and the details first; the flags,
// the verdict (exact, or the error within its bound) and the keys and
// work per row stay to the last.
var leaveOut = []string{"expected", "nodes", "slope", "bound", "topr", "time", "dots", "work", "keys"}

// fitNumbers returns the lines to draw, where and in which layout: all of
// them in the first layout where they fit whole; else, leaving out lines
// in leaveOut order, the first set that fits whole in a compact layout,
// with a line saying how many are hidden; else (a tiny window) the
// compact column of all, as much as fits.
func fitNumbers(lines []numberLine, body rect) ([]numberLine, []placed, numbersLayout) {
	for l := layoutFull; l < numLayouts; l++ {
		if pl, ok := placeNumbers(lines, body, l); ok {
			return lines, pl, l
		}
	}
	kept := lines
	for _, id := range leaveOut {
		next := slices.DeleteFunc(slices.Clone(kept), func(l numberLine) bool { return l.id == id })
		if len(next) == len(kept) {
			continue
		}
		kept = next
		hidden := fmt.Sprintf("%d lines hidden", len(lines)-len(kept))
		if len(lines)-len(kept) == 1 {
			hidden = "1 line hidden"
		}
		try := append(slices.Clone(kept), numberLine{id: "hidden", flag: true,
			label: hidden + ": a larger window, smaller text or Hide text shows it all",
			short: hidden + " (a larger window shows it all)"})
		for l := layoutOneCol; l < numLayouts; l++ {
			if pl, ok := placeNumbers(try, body, l); ok {
				return try, pl, l
			}
		}
	}
	pl, _ := placeNumbers(lines, body, layoutOneCol)
	return lines, pl, layoutOneCol
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
