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
	u.card = rect{gap, headerH, W - 2*gap, cardH}
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
	lines := wrapText(c.Text, cardText, w)
	return append(lines, wrapText("Try: "+c.Try, cardText, w)...), len(lines)
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

// markPanel outlines the chapter's panel and dims the others (drawn last
// inside each panel's group).
func (a *App) markPanel(p painter, r rect, name string) {
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

// wrapText breaks s into lines no wider than w; "\n" starts a new line.
func wrapText(s string, size, w float32) []string {
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

// glossAt is the glossary entry for the point (x, y) of the last scene:
// a region a panel registered (a Numbers row), a widget, or a panel's
// title and caption.
func (a *App) glossAt(x, y float32) (lesson.Entry, bool) {
	g, err := glossarySet()
	if err != nil {
		return lesson.Entry{}, false
	}
	u := a.lessonUI()
	for owner, rs := range u.owned {
		if pr, ok := a.ui.lay.panels[owner]; !ok || !pr.contains(x, y) {
			continue
		}
		for _, gr := range rs {
			if gr.r.contains(x, y) {
				return g.Lookup(gr.key)
			}
		}
	}
	for _, w := range a.ui.widgets {
		if (rect{w.X, w.Y, w.W, w.H}).contains(x, y) {
			return g.Lookup(w.Name)
		}
	}
	for _, pn := range a.ui.panels {
		if pn.Name != PanelControls && (rect{pn.X, pn.Y, pn.W, titleStripH()}).contains(x, y) {
			return g.Lookup(pn.Name)
		}
	}
	return lesson.Entry{}, false
}

// Tooltip returns the glossary text shown at (x, y) ("" if none): the
// entry's name, text and reference, one per line.
func (a *App) Tooltip(x, y float32) string {
	e, ok := a.glossAt(x, y)
	if !ok {
		return ""
	}
	return strings.Join(glossLines(e), "\n")
}

func glossLines(e lesson.Entry) []string {
	out := []string{e.Name, e.Text}
	if e.Ref != "" {
		out = append(out, "Paper: "+e.Ref)
	}
	return out
}

// drawGlossTip draws the glossary tooltip under the pointer, if it rests
// on a region with an entry (a tap leaves the pointer there on touch).
// It is drawn over the groups, so the scene goes ungrouped while shown.
func (a *App) drawGlossTip(p painter, w, h int) {
	if !a.ui.hasPtr || a.ui.pointer.Down || a.ui.help || (a.ui.ctl != nil && a.ui.ctl.overlayOpen()) {
		return
	}
	x, y := a.ui.pointer.X, a.ui.pointer.Y
	e, ok := a.glossAt(x, y)
	if !ok {
		return
	}
	const maxW = 330
	lh := lineHeight(sizeLabel)
	body := wrapText(e.Text, sizeLabel, maxW)
	var ref []string
	if e.Ref != "" {
		ref = wrapText("Paper: "+e.Ref, sizeSmall, maxW)
	}
	bw := textWidth(e.Name, sizeLabel)
	for _, l := range body {
		bw = max(bw, textWidth(l, sizeLabel))
	}
	for _, l := range ref {
		bw = max(bw, textWidth(l, sizeSmall))
	}
	bw += 16
	bh := lh*float32(1+len(body)) + lineHeight(sizeSmall)*float32(len(ref)) + 14
	W, H := float32(w), float32(h)
	bx, by := x+16, y+18
	if bx+bw > W-4 {
		bx = max(4, x-16-bw)
	}
	if by+bh > H-4 {
		by = max(4, y-12-bh)
	}
	p.rect(rect{bx, by, bw, bh}, rgba(0x1F, 0x23, 0x28, 0xF2), color.RGBA{}, 0)
	ty := by + 6
	p.text(bx+8, ty, e.Name, sizeLabel, rgb(0xFF, 0xE0, 0x8A), scene.AlignLeft)
	ty += lh
	for _, l := range body {
		p.text(bx+8, ty, l, sizeLabel, colPanel, scene.AlignLeft)
		ty += lh
	}
	for _, l := range ref {
		p.text(bx+8, ty, l, sizeSmall, rgb(0xB8, 0xC4, 0xD0), scene.AlignLeft)
		ty += lineHeight(sizeSmall)
	}
	p.s.Groups = nil // over the groups
}
