package viz

import (
	"image/color"

	"github.com/hsrviz/hsrviz/viz/colormap"

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

	// The decision colours are viz/colormap's (shared with every view).
	colReported     = colormap.ReportedWhole // blue: reported keys, reported-whole nodes
	colReportedDark = rgb(0x00, 0x45, 0x6B)
	colPruned       = colormap.Pruned      // grey: pruned
	colOpened       = colormap.Opened      // orange: opened
	colLeaf         = colormap.LeafScanned // yellow: leaf scanned (always outlined)
	colLeafDark     = rgb(0x8A, 0x7A, 0x00)
	colQuery        = colormap.Vermillion // the query and the threshold
	colHalfPlane    = rgba(0x00, 0x72, 0xB2, 0x1E)
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

// Text sizes (logical pixels), at text scale 1 (textscale.go).
const (
	sizeTitle   = 15
	sizeCaption = 12
	sizeLabel   = 11.5
	sizeNumber  = 13
	sizeSmall   = 10.5
)

// textWidth measures text with the renderer's font metrics.
func textWidth(s string, size float32) float32 { return scene.TextWidth(s, size*textScale) }

// lineHeight is the vertical advance of one text line.
func lineHeight(size float32) float32 { return scene.TextHeight(size * textScale) }
