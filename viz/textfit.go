package viz

import (
	"strings"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// Text that fits without "…" (readability): captions that wrap to a second
// line, status lines that flow their " · "-separated parts onto as many
// lines as they need, and labels with shorter wordings to fall back on.
// The panels that use them size their bodies from the lines they get, so
// a narrow panel or a large text scale grows the text, not the cut.

// captionLines is the most lines a wrapped panel caption takes.
const captionLines = 2

// wrapText breaks s at spaces into lines of width ≤ w, at most maxLines
// (the last one is then fitted with "…"). A word wider than w is fitted.
func wrapText(s string, size, w float32, maxLines int) []string {
	if textWidth(s, size) <= w || maxLines <= 1 {
		return []string{fitText(s, size, w)}
	}
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for k, wd := range words {
		try := wd
		if cur != "" {
			try = cur + " " + wd
		}
		if textWidth(try, size) <= w || cur == "" {
			cur = try
			continue
		}
		lines = append(lines, cur)
		if len(lines) == maxLines-1 {
			cur = strings.Join(words[k:], " ")
			break
		}
		cur = wd
	}
	lines = append(lines, cur)
	for i := range lines {
		lines[i] = fitText(lines[i], size, w)
	}
	return lines
}

// flowParts joins parts with sep into lines of width ≤ w, starting a new
// line where the next part does not fit (a part wider than w is fitted).
func flowParts(parts []string, sep string, size, w float32) []string {
	var lines []string
	cur := ""
	for _, pt := range parts {
		if pt == "" {
			continue
		}
		try := pt
		if cur != "" {
			try = cur + sep + pt
		}
		if cur == "" || textWidth(try, size) <= w {
			cur = try
			continue
		}
		lines = append(lines, fitText(cur, size, w))
		cur = pt
	}
	if cur != "" {
		lines = append(lines, fitText(cur, size, w))
	}
	return lines
}

// fitFirst is the first of alts (longest wording first) that fits in w,
// else the last one fitted with "…".
func fitFirst(size, w float32, alts ...string) string {
	for _, s := range alts {
		if textWidth(s, size) <= w {
			return s
		}
	}
	return fitText(alts[len(alts)-1], size, w)
}

// panelFrameWrapped is panelFrame with the caption wrapped onto up to
// captionLines lines; the body starts below the lines it took.
func (p painter) panelFrameWrapped(r rect, title, caption string) rect {
	p.rect(r.inset(0.5), colPanel, colBorder, 1)
	x := r.X + 10
	w := r.W - 20
	p.text(x, r.Y+7, fitText(title, sizeTitle, w), sizeTitle, colText, scene.AlignLeft)
	y := r.Y + 7 + lineHeight(sizeTitle)
	for _, l := range wrapText(caption, sizeCaption, w, captionLines) {
		p.text(x, y, l, sizeCaption, colMuted, scene.AlignLeft)
		y += lineHeight(sizeCaption)
	}
	return panelBodyWrapped(r, caption)
}

// panelBodyWrapped is the body rect panelFrameWrapped returns.
func panelBodyWrapped(r rect, caption string) rect {
	b := panelBody(r)
	extra := float32(len(wrapText(caption, sizeCaption, r.W-20, captionLines))-1) * lineHeight(sizeCaption)
	return rect{b.X, b.Y + extra, b.W, b.H - extra}
}

// textRect is the box a scene text takes (its anchor and alignment).
func textRect(t scene.Text) rect {
	x, y, w, h := t.Box()
	return rect{x, y, w, h}
}
