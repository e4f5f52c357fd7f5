package viz

import (
	"math"
	"strconv"

	"github.com/hsrviz/hsrviz/viz/plot"
)

// The text-size setting (Params.Text, the header's "text" button, the
// keys t and T): every text of the scene is drawn at its size times the scale, and
// every measurement the layouts make (textWidth, lineHeight, the widgets'
// theme, the header's and the control column's sizes) uses the scaled size,
// so the panels lay themselves out around the larger text rather than
// overflowing.
//
// Choice: the scale is a package variable, set by App.Scene (and the input
// handling that lays out the controls) from the App's Params before it
// measures anything. Both apps run one App per process and drawing is
// single-threaded, so this keeps the many textWidth(s, size) calls of the
// panels unchanged; two Apps drawing at once in one process would share it.

// Limits of Params.Text.
const (
	MinText = 0.75
	MaxText = 3.0
)

// TextSizes are the choices of the text button and of the t key.
var TextSizes = []float64{1, 1.25, 1.5, 2}

// textScale is the scale of the App drawing now (see above).
var textScale float32 = 1

// useTextScale makes s (Params.Text) the scale of what is measured and
// drawn from now on.
func useTextScale(s float64) {
	if !(s >= MinText && s <= MaxText) {
		s = 1
	}
	textScale = float32(s)
	plot.TextScale = textScale
}

// scaled is a layout length that grows with the text (a header that holds
// one line of title text, a column of labelled widgets).
func scaled(x float32) float32 { return x * textScale }

// nextTextSize is the text-size choice after s (dir = +1) or before it
// (dir = −1), cycling.
func nextTextSize(s float64, dir int) float64 {
	k := len(TextSizes)
	i := 0
	for j, v := range TextSizes {
		if math.Abs(v-s) < 1e-9 {
			i = j
			break
		}
		if v < s {
			i = j
		}
	}
	return TextSizes[((i+dir)%k+k)%k]
}

// syncText sizes the widgets' text and columns at the text scale.
func (c *controls) syncText() {
	c.theme.TextSize = 12 * textScale
	c.form.MinColW = 160 * textScale
}

// The "text size" control is a button in the header (it takes no room
// from the control column): a click or tap moves to the next size.

// textLabel is the text-size button's label at scale s.
func textLabel(s float64) string { return "text " + strconv.FormatFloat(s, 'g', -1, 64) + "×" }

// tabletRowH is the least height of a panel row in the portrait-tablet
// layout (controls in a band on top, panels 2×3): at 768×1024 the band
// leaves 3 rows of 236 px, and the panels read well from 200 px on.
const tabletRowH = 200

// wideScrollColW is the least width of a panel column in the wide
// scrolling layout.
const wideScrollColW = 400

// wideScroll lays out a window wide enough for two panel columns but too
// short for the control column beside the panels at the text size (a
// projector with large text): the first row of panels (the pictures),
// then the controls in a band, then the other panels, two columns, the
// whole scrolling as the narrow layout does.
func wideScroll(L *layout, names []string, controls bool, top, scroll float32) {
	L.narrow = true
	W, H := L.w, L.h
	y := top - scroll
	colW := (W - 3*gap) / 2
	ph := max(scaled(300), min(H*0.7, colW*0.85))
	for i, name := range names {
		if i == 2 && controls {
			ctlH := controlsHeight(W - 2*gap)
			L.controls = rect{gap, y, W - 2*gap, ctlH}
			y += ctlH + gap
		}
		x := gap + float32(i%2)*(colW+gap)
		L.panels[name] = rect{x, y, colW, ph}
		if i%2 == 1 || i == len(names)-1 {
			y += ph + gap
		}
	}
	if controls && len(names) <= 2 {
		ctlH := controlsHeight(W - 2*gap)
		L.controls = rect{gap, y, W - 2*gap, ctlH}
		y += ctlH + gap
	}
	L.content = y + scroll
}

// textKeyDir is the direction of the text-size keys: t up, T (or shift) down.
func textKeyDir(k string, shift bool) int {
	if k == "T" || shift {
		return -1
	}
	return 1
}

// gridCols is the number of panel columns of the grid beside the controls
// in a cw×ch area: 3 when wide (in text units), else 2.
func gridCols(cw, ch float32) int {
	if cw >= scaled(900) || (cw > ch*1.6 && cw >= scaled(600)) {
		return 3
	}
	return 2
}

// gridRowMin is the least height of a grid row at a text scale above 1:
// below it, larger text leaves the plots no room, and the layout scrolls.
const gridRowMin = 220

// gridTooShort reports whether, with the text scaled up, the grid beside
// the controls would give its rows less than gridRowMin (scaled). At scale
// 1 the grid is always taken (the layouts stay as they were).
func gridTooShort(W, H, cwid, top float32, controls bool, k int) bool {
	if textScale <= 1 {
		return false
	}
	left := float32(gap)
	if controls {
		left += cwid + gap
	}
	cw, ch := W-left-gap, H-top-gap
	rows := rowsOf(k, gridCols(cw, ch))
	return ch/float32(rows) < scaled(gridRowMin)
}
