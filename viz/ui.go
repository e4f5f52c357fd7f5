package viz

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/scene"
)

// uiState is what the screen remembers between ticks.
type uiState struct {
	w, h              int
	lay               layout
	panels            []Region
	widgets           []Region
	pointer           input.Pointer
	hasPtr            bool
	scroll            float32
	geo               *geoCache
	ctl               *controls
	dragging, wasDown bool
	dragY             float32
	clickDown         bool
	clickX, clickY    float32
	scenes            int          // Scene calls so far
	lastItems         int          // items of the last scene
	lastGood          *scene.Scene // the last scene drawn without a panic
	help              bool
	hoverState                 // hover.go: the hovered thing, taps, the help button, the query drag
	lesson            lessonUI // the lesson card and the glossary (lesson_ui.go)
}

// hoverIn returns the pointer if it is inside r.
func (a *App) hoverIn(r rect) (input.Pointer, bool) {
	if !a.ui.hasPtr || !r.contains(a.ui.pointer.X, a.ui.pointer.Y) {
		return input.Pointer{}, false
	}
	return a.ui.pointer, true
}

// handleInput applies one tick of input: pointer position, keys, widgets.
func (a *App) handleInput(in *input.Input) {
	a.trackPointer(in)
	a.handleLesson(in)
	if !a.p.Freeze { // frozen: only the lesson's Back / Next act
		dragging := a.handleQueryDrag(in) // querydrag.go
		a.ui.noteDown(a, in)
		if dragging {
			return
		}
		a.handleWidgets(in)
		a.handleKeys(in)
		a.handleClicks(in)
	}
	if !a.ui.lay.narrow {
		a.ui.scroll = 0
		return
	}
	if in.WheelY != 0 {
		a.scrollBy(-in.WheelY * 40)
	}
	// a drag (touch or mouse) that starts off the widgets scrolls the page
	p, ok := in.Primary()
	switch {
	case !ok || !p.Down:
		a.ui.dragging = false
	case !a.ui.dragging && !a.ui.wasDown:
		onWidget := a.ui.ctl != nil && (a.ui.ctl.form.Hit(p.X, p.Y) || a.ui.ctl.form.Captured())
		if !onWidget {
			a.ui.dragging, a.ui.dragY = true, p.Y
		}
	case a.ui.dragging:
		a.scrollBy(a.ui.dragY - p.Y)
		a.ui.dragY = p.Y
	}
	a.ui.wasDown = ok && p.Down
}

func (a *App) scrollBy(dy float32) {
	a.ui.scroll = max(0, min(a.ui.scroll+dy, a.ui.lay.content-a.ui.lay.h))
}

// handleClicks: a click (press and release in one place) goes to the
// panel under it, if it takes clicks (clicker).
func (a *App) handleClicks(in *input.Input) {
	p, ok := a.primary(in)
	down := ok && p.Down
	if down && !a.ui.clickDown {
		a.ui.clickX, a.ui.clickY = p.X, p.Y
		a.ui.tapBefore = a.ui.hover.id() // hover.go: a first tap only hovers
	}
	if !down && a.ui.clickDown && ok && abs32(p.X-a.ui.clickX) < 4 && abs32(p.Y-a.ui.clickY) < 4 && !a.handleHelpTap(p.X, p.Y) &&
		a.tapClicks(p) {
		for _, pn := range a.panels {
			if c, ok := pn.(clicker); ok && a.ui.lay.panels[pn.name()].contains(p.X, p.Y) {
				c.click(a, p.X, p.Y)
				break
			}
		}
	}
	a.ui.clickDown = down
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

// Scene lays out and draws the whole window. Every panel, the controls and
// the header are a scene.Group (each draws only inside its rectangle), so
// a retained renderer redraws only those that changed; an open list or the
// help overlay, drawn over the others, makes the scene ungrouped.
func (a *App) Scene(w, h int) (out *scene.Scene) {
	defer func() {
		if r := recover(); r != nil {
			// A bug in a panel: show the last good picture, with the
			// message in the header from the next frame on.
			a.errMsg = fmt.Sprintf("internal error while drawing (%v); the last good picture stays", r)
			out = a.ui.lastGood
			if out == nil || out.W != w || out.H != h {
				out = &scene.Scene{W: w, H: h, Background: colBackground}
			}
			return
		}
		a.ui.lastGood = out
	}()
	// room for as many items as last time (no regrowing every frame)
	s := &scene.Scene{W: w, H: h, Background: colBackground, Items: make([]scene.Item, 0, a.ui.lastItems+16)}
	defer func() { a.ui.lastItems = len(s.Items) }()
	p := painter{s}
	useTextScale(a.p.Text)
	L := a.layoutFor(w, h) // computeLayout, with the lesson card and panel=
	a.ui.w, a.ui.h, a.ui.lay = w, h, L
	a.ui.scenes++
	a.ui.panels = a.ui.panels[:0]
	a.ui.hover = a.hoverHit()
	group := func(r rect, draw func(p painter, r rect)) {
		g := s.BeginGroup(r.X, r.Y, r.W, r.H)
		draw(p, r)
		s.EndGroup(g)
	}
	for i, pn := range a.panels {
		r, shown := L.panels[pn.name()]
		if !shown {
			continue // panel=<another>
		}
		a.ui.panels = append(a.ui.panels, Region{Name: pn.name(), X: r.X, Y: r.Y, W: r.W, H: r.H})
		title := fmt.Sprintf("%d · %s", i+1, pn.title())
		group(r, func(p painter, r rect) {
			pn.draw(a, p, r, title)
			a.drawStaleMark(p, r, pn.name())
			a.markPanel(p, r, pn.name())
		})
	}
	if L.controls.W > 0 {
		a.ui.panels = append(a.ui.panels, Region{Name: PanelControls, X: L.controls.X, Y: L.controls.Y, W: L.controls.W, H: L.controls.H})
		group(L.controls, func(p painter, r rect) { a.drawControls(p, r); a.drawTipIn(p, r) })
	}
	if c := a.ui.lesson.card; c.W > 0 {
		group(c, a.drawLessonCard)
	}
	if L.header.W > 0 {
		group(L.header, a.drawHeader)
	}
	if a.ui.help {
		a.drawHelp(p, rect{0, 0, float32(w), float32(h)})
	}
	if a.ui.help || (a.ui.ctl != nil && a.ui.ctl.overlayOpen()) {
		s.Groups = nil // drawn over the groups
	}
	return s
}

// drawHeader: the title, the progress of pending work, the last error.
func (a *App) drawHeader(p painter, r rect) {
	p.rect(r, colPanel, color.RGBA{}, 0)
	p.line(r.X, r.Y+r.H-0.5, r.X+r.W, r.Y+r.H-0.5, colBorder, 1)
	// the buttons (help, text size) at the right, the rest left of them
	right := r.X + r.W - a.drawHelpButton(p, r)
	title := "HSR attention: which keys does a query need?"
	if r.W < 620 || 12+textWidth(title, 16)+140 > right {
		title = "HSR attention"
	}
	p.text(12, r.Y+(r.H-lineHeight(16))/2, title, 16, colText, scene.AlignLeft)
	x := 12 + textWidth(title, 16) + 18
	if a.pending() {
		bw := min(float32(160), right-x-120)
		if bw > 30 {
			// whole percents: the header is redrawn when the number changes
			pct := math.Floor(100 * a.progress())
			label := fitText(fmt.Sprintf("%s… %d%%", a.workLabel(), int(pct)), sizeSmall, right-(x+bw+6)-8)
			p.progressBar(rect{x, r.Y + r.H/2 - 3, bw, 6}, pct/100, label)
		}
	}
	if a.errMsg == "" && a.io.status != "" {
		// export.go: files written, link copied
		p.text(right-12, r.Y+(r.H-lineHeight(sizeCaption))/2, fitText(a.io.status, sizeCaption, min(r.W/2, right-x)), sizeCaption, colMuted, scene.AlignRight)
	}
	if a.errMsg != "" {
		p.text(right-12, r.Y+(r.H-lineHeight(sizeCaption))/2, fitText(a.errMsg, sizeCaption, min(r.W/2, right-x)), sizeCaption, colError, scene.AlignRight)
	}
}

// workLabel says what the pending work is doing now.
func (a *App) workLabel() string {
	switch k := a.nextUnit(); k {
	case uGen:
		return "generating the keys"
	case uScan, uTree:
		return "building the index"
	case uCov, uTrace:
		return "tracing the query"
	case uScalingStart, uScaleScan, uScaleTree, uScaleQuery:
		return "scaling series"
	case uTiming:
		return "timing " + a.p.Index.String() + " vs scan"
	case uNone:
		return "done"
	default:
		if a.rows != nil && a.rows.key == a.rowsKey() {
			return fmt.Sprintf("attention rows %d/%d", a.rows.next, a.rows.m)
		}
		return "attention rows"
	}
}

// drawWaiting fills a panel body while its data is being computed.
func (a *App) drawWaiting(p painter, body rect) {
	msg := "computing…"
	p.text(body.X+body.W/2, body.Y+body.H/2-20, msg, sizeCaption, colMuted, scene.AlignCenter)
	bw := min(body.W*0.6, 220)
	p.progressBar(rect{body.X + body.W/2 - bw/2, body.Y + body.H/2, bw, 5}, a.progress(), "")
}
