package viz

import (
	"fmt"
	"image/color"
	"strings"
	"sync"

	"github.com/hsrviz/hsrviz/assets"
	"github.com/hsrviz/hsrviz/viz/input"
	"github.com/hsrviz/hsrviz/viz/lesson"
	"github.com/hsrviz/hsrviz/viz/scene"
	"github.com/hsrviz/hsrviz/viz/widget"
)

// The lesson on screen: a card under the header ("lesson k of N", the
// title, the text, what to try, Back / Next / free play), the chapter's
// panel outlined and the others dimmed; panel=<name> shows one panel alone
// filling the page; freeze=true ignores all input but the card's Back and
// Next (buttons, PageUp / PageDown). And the glossary: every control,
// panel title and Numbers row explains itself on hover or tap.

// lessonUI is what the lesson and the glossary keep between frames.
type lessonUI struct {
	back, next, exit *widget.Button
	fold             *widget.Button // hides the card's text (the title row stays)
	folded           bool
	theme            widget.Theme
	card             rect                     // this frame's card (zero W: none)
	owned            map[string][]glossRegion // regions a panel registered when it last drew
	tip              glossHit                 // this frame's glossary tooltip (tipOn), drawn by drawTipIn
	tipOn            bool
	// moved: the pointer has moved (or pressed) since the app started. A
	// desktop under Xvfb, or a window opened under a resting mouse, reports
	// a pointer nobody moved: no tooltip until somebody does.
	moved   bool
	ptr0    input.Pointer
	ptrSeen bool
	down    bool // a pointer is down now (a lifted finger leaves a.ui.pointer as it was, Down)
	// tap: where the last finger touched, while the mouse has not moved
	// since (tap = hover: the tooltip stays where the finger lifted)
	tap      input.Pointer
	tapOn    bool
	lastCurs input.Pointer
}

// glossRegion is a rectangle whose glossary entry is key.
type glossRegion struct {
	r   rect
	key string
}

func (a *App) lessonUI() *lessonUI {
	u := &a.ui.lesson
	if u.next == nil {
		u.theme = widget.LightTheme()
		u.theme.TextSize = 12
		u.back = &widget.Button{Base: widget.Base{Name: "lesson_back", Label: "‹ Back", Theme: &u.theme}}
		u.next = &widget.Button{Base: widget.Base{Name: "lesson_next", Label: "Next ›", Theme: &u.theme}}
		u.exit = &widget.Button{Base: widget.Base{Name: "lesson_exit", Label: "Free play ×", Theme: &u.theme}}
		u.fold = &widget.Button{Base: widget.Base{Name: "lesson_fold", Label: "Hide text", Theme: &u.theme}}
	}
	return u
}

// handleLesson takes the card's buttons and the lesson keys. Under freeze
// they are the only input that acts.
func (a *App) handleLesson(in *input.Input) {
	u := a.lessonUI()
	p, ok := in.Primary()
	u.down = ok && p.Down
	for _, q := range in.Pointers {
		switch {
		case q.ID != 0: // a finger (ebitenview: touches are 1+TouchID)
			u.tap, u.tapOn = q, true
		case q.X != u.lastCurs.X || q.Y != u.lastCurs.Y:
			u.lastCurs = q
			u.tapOn = false
		}
	}
	if ok {
		if p.Down || (u.ptrSeen && (p.X != u.ptr0.X || p.Y != u.ptr0.Y)) {
			u.moved = true
		}
		if !u.ptrSeen {
			u.ptr0, u.ptrSeen = p, true
		}
	}
	if u.card.W > 0 {
		for _, b := range []*widget.Button{u.back, u.next, u.exit, u.fold} {
			if b.Rect.W == 0 || b.Disabled {
				continue
			}
			fired := b.Handle(in)
			b.Focused = false // space and enter stay the trace's
			if !fired {
				continue
			}
			switch b.Name {
			case "lesson_back":
				a.lessonStep(-1)
			case "lesson_next":
				a.lessonStep(1)
			case "lesson_exit":
				_ = a.OpenLesson(-1)
			case "lesson_fold":
				u.folded = !u.folded
			}
		}
	}
	if !a.textFocused() {
		a.handleLessonKeys(in)
	}
}

// layoutFor is computeLayout with the lesson card and the panel flag: the
// card takes a band under the header and everything else moves down; with
// Params.Panel one panel fills the page (under the card, if a chapter is
// open), without header or controls.
func (a *App) layoutFor(w, h int) layout {
	u := a.lessonUI()
	u.tip, u.tipOn = a.glossHover() // from the last frame's regions, before Scene resets them
	W, H := float32(w), float32(h)
	cardH := a.lessonCardHeight(W-2*gap, H)
	u.card = rect{}
	if a.p.Panel != "" {
		L := layout{w: W, h: H, panels: map[string]rect{}, content: H}
		y := float32(0)
		if cardH > 0 {
			u.card = rect{gap, gap, W - 2*gap, cardH}
			y = gap + cardH + gap
		}
		L.panels[a.p.Panel] = rect{0, y, W, H - y}
		return L
	}
	if cardH == 0 {
		return computeLayout(w, h, a.p.Controls, a.ui.scroll, a.panelNames())
	}
	dy := cardH + gap
	L := computeLayout(w, max(1, h-int(dy)), a.p.Controls, a.ui.scroll, a.panelNames())
	L.h = H
	L.content += dy
	for k, r := range L.panels {
		r.Y += dy
		L.panels[k] = r
	}
	if L.controls.W > 0 {
		L.controls.Y += dy
	}
	u.card = rect{gap, L.header.H, W - 2*gap, cardH} // under the header, which grows with the text size
	return L
}

// Card geometry.
const (
	cardPad     = 10
	cardRowH    = 28 // the title row with the buttons
	cardText    = 12.5
	cardButtonW = 84
)

// titleOwnRow: on a narrow card the buttons take the first row and the
// title the second.
func titleOwnRow(w float32) bool { return w < 640 }

// cardTop is the height of the card's rows above the text.
func cardTop(w float32) float32 {
	if titleOwnRow(w) {
		return cardRowH + lineHeight(sizeTitle) + 2
	}
	return cardRowH
}

// chapter is the open chapter, if any.
func (a *App) chapter() (lesson.Chapter, int, bool) {
	i := a.LessonIndex()
	if i < 0 {
		return lesson.Chapter{}, -1, false
	}
	chs, _ := Chapters()
	return chs[i], i, true
}

// cardLines is the card's text wrapped at width w: the chapter's
// paragraphs, then "Try: …" (second result: where the try lines start).
func cardLines(c lesson.Chapter, w float32) ([]string, int) {
	lines := wrapWords(c.Text, cardText, w)
	return append(lines, wrapWords("Try: "+c.Try, cardText, w)...), len(lines)
}

// lessonCardHeight is the card's height at width w in a window of height
// H: all its text, but at most 30% of the window (the rest is cut with "…").
func (a *App) lessonCardHeight(w, H float32) float32 {
	c, _, ok := a.chapter()
	if !ok {
		return 0
	}
	top := cardTop(w)
	if a.ui.lesson.folded {
		return 2*cardPad + top - 4
	}
	lines, _ := cardLines(c, w-2*cardPad)
	full := 2*cardPad + top + float32(len(lines))*lineHeight(cardText)
	return min(full, max(cardPad*2+top+2*lineHeight(cardText), H*0.3))
}

// drawLessonCard draws the card and records its buttons as widgets.
func (a *App) drawLessonCard(p painter, r rect) {
	u := a.lessonUI()
	c, k, ok := a.chapter()
	if !ok {
		return
	}
	chs, _ := Chapters()
	p.rect(r.inset(0.75), rgb(0xEE, 0xF3, 0xFB), colAccent, 1.5)
	x, y := r.X+cardPad, r.Y+cardPad
	// buttons on the right of the title row
	bh := float32(cardRowH - 4)
	bx := r.X + r.W - cardPad
	u.exit.Disabled = a.p.Freeze // frozen: the page decides, no way out
	u.back.Disabled = k == 0
	u.next.Disabled = k == len(chs)-1
	var shown []*widget.Button
	u.fold.Label = "Hide text"
	if u.folded {
		u.fold.Label = "Show text"
	}
	for _, b := range []*widget.Button{u.exit, u.fold, u.next, u.back} {
		if b == u.exit && a.p.Freeze {
			b.Rect = widget.Rect{}
			continue
		}
		shown = append(shown, b)
	}
	bw := float32(cardButtonW)
	narrow := titleOwnRow(r.W)
	if narrow { // the buttons share the first row
		bw = (r.W - 2*cardPad - 6*float32(len(shown)-1)) / float32(len(shown))
	}
	for _, b := range shown {
		bx -= bw
		b.Rect = widget.Rect{X: bx, Y: y - 3, W: bw, H: bh}
		bx -= 6
	}
	head := fmt.Sprintf("Lesson %d of %d", k+1, len(chs))
	hy := y + 1
	if narrow {
		hy = y + cardRowH - 2
	}
	p.text(x, hy, head, sizeCaption, colAccent, scene.AlignLeft)
	tx := x + textWidth(head, sizeCaption) + 12
	tw := r.X + r.W - cardPad - tx
	if !narrow {
		tw = bx - tx
	}
	p.text(tx, hy-2, fitText(c.Title, sizeTitle, tw), sizeTitle, colText, scene.AlignLeft)
	// keep a.ui.widgets free of last frame's card buttons
	ws := a.ui.widgets[:0]
	for _, w := range a.ui.widgets {
		if !strings.HasPrefix(w.Name, "lesson_") {
			ws = append(ws, w)
		}
	}
	a.ui.widgets = ws
	for _, b := range shown {
		b.Draw(p.s)
		a.ui.widgets = append(a.ui.widgets, region(b.Common()))
	}
	defer a.drawTipIn(p, r)
	if u.folded {
		return
	}
	// text, then what to try
	lines, tryAt := cardLines(c, r.W-2*cardPad)
	lh := lineHeight(cardText)
	y += cardTop(r.W)
	room := int((r.Y + r.H - cardPad + 2 - y) / lh)
	for i, l := range lines {
		if i >= room {
			break
		}
		if i == room-1 && i < len(lines)-1 {
			l = fitText(l+" …", cardText, r.W-2*cardPad) // cut: the window is short
		}
		col := colText
		if i >= tryAt {
			col = colAccent
		}
		p.text(x, y, l, cardText, col, scene.AlignLeft)
		y += lh
	}
}

// markPanel outlines the chapter's panel and dims the others, and draws
// the glossary tooltip if it is this panel's (drawn last inside each
// panel's group).
func (a *App) markPanel(p painter, r rect, name string) {
	defer a.drawTipIn(p, r)
	if a.p.Panel != "" && a.errMsg != "" {
		// panel=: no header, so the panel says what went wrong
		lh := lineHeight(sizeCaption)
		p.rect(rect{r.X + 1, r.Y + r.H - lh - 7, r.W - 2, lh + 6}, rgb(0xFD, 0xEC, 0xEA), color.RGBA{}, 0)
		p.text(r.X+10, r.Y+r.H-lh-4, fitText(a.errMsg, sizeCaption, r.W-20), sizeCaption, colError, scene.AlignLeft)
	}
	c, _, ok := a.chapter()
	if !ok {
		return
	}
	if name == c.Panel {
		p.rect(r.inset(1.5), color.RGBA{}, colAccent, 3)
		return
	}
	p.rect(r, rgba(0xF3, 0xF4, 0xF6, 0xA8), color.RGBA{}, 0)
}

// wrapWords breaks s into lines no wider than w; "\n" starts a new line.
func wrapWords(s string, size, w float32) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && textWidth(try, size) > w {
				out = append(out, line)
				try = word
			}
			line = try
		}
		if line != "" {
			out = append(out, fitText(line, size, w))
		}
	}
	return out
}

// The glossary.

var glossarySet = sync.OnceValues(func() (*lesson.Glossary, error) {
	return lesson.ParseGlossary("assets/glossary.txt", assets.Glossary())
})

// explainReset forgets the regions owner registered (call it where owner
// starts drawing, inside its memo); explain registers one: hovering r shows
// the glossary entry for key (a term or a label, see lesson.Glossary.Lookup).
func (a *App) explainReset(owner string) {
	u := a.lessonUI()
	if u.owned == nil {
		u.owned = map[string][]glossRegion{}
	}
	u.owned[owner] = u.owned[owner][:0]
}

func (a *App) explain(owner string, r rect, key string) {
	u := a.lessonUI()
	if u.owned == nil {
		u.owned = map[string][]glossRegion{}
	}
	u.owned[owner] = append(u.owned[owner], glossRegion{r, key})
}

// titleStripH is the height of a panel's title and caption (panelFrame).
func titleStripH() float32 { return 7 + lineHeight(sizeTitle) + lineHeight(sizeCaption) }

// glossHit is what the pointer rests on: the entry, and the rectangle of
// the group the tooltip is drawn in (the panel, the controls or the card:
// drawn inside its group, the tooltip keeps the retained drawing).
type glossHit struct {
	e     lesson.Entry
	group rect
}

// glossAt is the glossary entry for the point (x, y) of the last scene: a
// region a panel registered (a Numbers row), a widget (the controls or
// the lesson card), or a panel's title and caption.
func (a *App) glossAt(x, y float32) (glossHit, bool) {
	g, err := glossarySet()
	if err != nil {
		return glossHit{}, false
	}
	find := func(key string, group rect) (glossHit, bool) {
		e, ok := g.Lookup(key)
		return glossHit{e, group}, ok
	}
	u := a.lessonUI()
	L := a.ui.lay
	for owner, rs := range u.owned {
		pr, ok := L.panels[owner]
		if !ok || !pr.contains(x, y) {
			continue
		}
		for _, gr := range rs {
			if gr.r.contains(x, y) {
				return find(gr.key, pr)
			}
		}
	}
	for _, w := range a.ui.widgets {
		if !(rect{w.X, w.Y, w.W, w.H}).contains(x, y) {
			continue
		}
		switch {
		case u.card.contains(x, y):
			return find(w.Name, u.card)
		case L.controls.contains(x, y):
			return find(w.Name, L.controls)
		}
	}
	for _, pn := range a.ui.panels {
		if pn.Name != PanelControls && (rect{pn.X, pn.Y, pn.W, titleStripH()}).contains(x, y) {
			return find(pn.Name, rect{pn.X, pn.Y, pn.W, pn.H})
		}
	}
	return glossHit{}, false
}

// Tooltip returns the glossary text shown at (x, y) ("" if none): the
// entry's name, text and reference, one per line.
func (a *App) Tooltip(x, y float32) string {
	h, ok := a.glossAt(x, y)
	if !ok {
		return ""
	}
	out := []string{h.e.Name, h.e.Text}
	if h.e.Ref != "" {
		out = append(out, "Paper: "+h.e.Ref)
	}
	return strings.Join(out, "\n")
}

// glossaryShown is the text of the glossary tooltip on screen ("" if
// none), as Tooltip gives it.
func (a *App) glossaryShown() string {
	u := &a.ui.lesson
	if !u.tipOn {
		return ""
	}
	return a.Tooltip(a.glossPoint())
}

// glossHover is the tooltip to draw this frame, if the pointer rests on a
// region with an entry (a tap leaves the pointer there on touch); Scene
// asks before it lays out the groups.
func (a *App) glossHover() (glossHit, bool) {
	if !a.ui.lesson.moved || !a.ui.hasPtr || a.ui.lesson.down || a.ui.help || (a.ui.ctl != nil && a.ui.ctl.overlayOpen()) {
		return glossHit{}, false
	}
	x, y := a.glossPoint()
	return a.glossAt(x, y)
}

// glossPoint is where the glossary looks: the last tap while the mouse
// has not moved since, else the pointer.
func (a *App) glossPoint() (float32, float32) {
	if u := &a.ui.lesson; u.tapOn {
		return u.tap.X, u.tap.Y
	}
	return a.ui.pointer.X, a.ui.pointer.Y
}

// drawTipIn draws this frame's glossary tooltip if it belongs to the group
// of rectangle r, near the pointer and inside r.
func (a *App) drawTipIn(p painter, r rect) {
	h, ok := a.ui.lesson.tip, a.ui.lesson.tipOn
	if !ok || h.group != r {
		return
	}
	e := h.e
	x, y := a.glossPoint()
	maxW := min(330, r.W-24)
	lh := lineHeight(sizeLabel)
	body := wrapWords(e.Text, sizeLabel, maxW)
	var ref []string
	if e.Ref != "" {
		ref = wrapWords("Paper: "+e.Ref, sizeSmall, maxW)
	}
	bw := min(textWidth(e.Name, sizeLabel), maxW)
	for _, l := range body {
		bw = max(bw, textWidth(l, sizeLabel))
	}
	for _, l := range ref {
		bw = max(bw, textWidth(l, sizeSmall))
	}
	bw += 16
	bh := lh*float32(1+len(body)) + lineHeight(sizeSmall)*float32(len(ref)) + 14
	bx, by := x+16, y+18
	if bx+bw > r.X+r.W-4 {
		bx = x - 16 - bw
	}
	if by+bh > r.Y+r.H-4 {
		by = y - 12 - bh
	}
	bx = max(r.X+4, min(bx, r.X+r.W-4-bw))
	by = max(r.Y+4, min(by, r.Y+r.H-4-bh))
	p.rect(rect{bx, by, bw, bh}, rgba(0x1F, 0x23, 0x28, 0xF2), color.RGBA{}, 0)
	ty := by + 6
	p.text(bx+8, ty, fitText(e.Name, sizeLabel, bw-16), sizeLabel, rgb(0xFF, 0xE0, 0x8A), scene.AlignLeft)
	ty += lh
	for _, l := range body {
		p.text(bx+8, ty, l, sizeLabel, colPanel, scene.AlignLeft)
		ty += lh
	}
	for _, l := range ref {
		p.text(bx+8, ty, l, sizeSmall, rgb(0xB8, 0xC4, 0xD0), scene.AlignLeft)
		ty += lineHeight(sizeSmall)
	}
}
