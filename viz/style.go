package viz

import (
	"image/color"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// Colours: a light theme (it projects well), decisions in the Okabe–Ito
// palette (safe for the common colour-vision deficiencies) and always with
// a second, non-colour cue (fill style or hatching).
var (
	colBackground = rgb(0xF3, 0xF4, 0xF6)
	colPanel      = rgb(0xFF, 0xFF, 0xFF)
	colBorder     = rgb(0xD0, 0xD5, 0xDB)
	colText       = rgb(0x1F, 0x23, 0x28)
	colMuted      = rgb(0x57, 0x60, 0x6A)
	colFaint      = rgb(0xA8, 0xB0, 0xB8)
	colGrid       = rgb(0xE6, 0xE8, 0xEB)
	colAccent     = rgb(0x1F, 0x4E, 0xA8)
	colError      = rgb(0xC0, 0x1C, 0x28)
	colOK         = rgb(0x1A, 0x7F, 0x37)

	colReported     = rgb(0x00, 0x9E, 0x73) // bluish green: reported keys, reported-whole nodes
	colReportedDark = rgb(0x00, 0x5F, 0x45)
	colPruned       = rgb(0x9A, 0xA0, 0xA6) // grey: pruned
	colOpened       = rgb(0xE6, 0x9F, 0x00) // orange: opened
	colLeaf         = rgb(0x00, 0x72, 0xB2) // blue: leaf scanned
	colQuery        = rgb(0xD5, 0x5E, 0x00) // vermillion: the query and the threshold
	colHalfPlane    = rgba(0x00, 0x9E, 0x73, 0x22)
	colHover        = rgb(0xCC, 0x79, 0xA7) // reddish purple: hover highlight
)

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 0xFF} }

// rgba is a non-premultiplied description turned into the premultiplied
// color.RGBA the scene uses.
func rgba(r, g, b, a uint8) color.RGBA {
	m := func(c uint8) uint8 { return uint8(uint16(c) * uint16(a) / 255) }
	return color.RGBA{m(r), m(g), m(b), a}
}

func withAlpha(c color.RGBA, a uint8) color.RGBA { return rgba(c.R, c.G, c.B, a) }

// Text sizes (logical pixels).
const (
	sizeTitle   = 15
	sizeCaption = 12
	sizeLabel   = 11.5
	sizeNumber  = 13
	sizeSmall   = 10.5
)

// textWidth measures text with the renderer's font metrics.
func textWidth(s string, size float32) float32 { return scene.TextWidth(s, size) }

// lineHeight is the vertical advance of one text line.
func lineHeight(size float32) float32 { return scene.TextHeight(size) }
