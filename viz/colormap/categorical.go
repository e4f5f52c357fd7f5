package colormap

import "image/color"

// The Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2002): eight
// colours that stay distinguishable under the common colour-vision
// deficiencies.
var (
	Black         = color.RGBA{0x00, 0x00, 0x00, 0xff}
	Orange        = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	SkyBlue       = color.RGBA{0x56, 0xb4, 0xe9, 0xff}
	BluishGreen   = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	Yellow        = color.RGBA{0xf0, 0xe4, 0x42, 0xff}
	Blue          = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	Vermillion    = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
	ReddishPurple = color.RGBA{0xcc, 0x79, 0xa7, 0xff}
)

// OkabeIto returns the palette in its usual order, for series and
// categories (e.g. the data kinds) that need distinct colours.
func OkabeIto() [8]color.RGBA {
	return [8]color.RGBA{Black, Orange, SkyBlue, BluishGreen, Yellow, Blue, Vermillion, ReddishPurple}
}

// Decision colours of the tree view, one per thing the query does at a node.
// Chosen from Okabe–Ito plus a grey so that every pair stays at least 0.14
// apart in OkLab under normal vision, protanopia, deuteranopia and
// tritanopia (see the test; the grey-green pair that looks natural fails
// it under protanopia). Outline yellow boxes: yellow is light.
var (
	Pruned        = color.RGBA{0x99, 0x99, 0x99, 0xff} // the whole box is below the threshold: skipped
	ReportedWhole = Blue                               // the whole box is above: every key reported without a dot product
	Opened        = Orange                             // the box straddles the threshold: children visited
	LeafScanned   = Yellow                             // a leaf whose keys are checked one by one
)

// DecisionNames and Decisions list the decisions in the order pruned,
// reported whole, opened, leaf scanned, for legends.
var DecisionNames = [4]string{"pruned", "reported whole", "opened", "leaf scanned"}

// Decisions returns the four decision colours in DecisionNames order.
func Decisions() [4]color.RGBA { return [4]color.RGBA{Pruned, ReportedWhole, Opened, LeafScanned} }
