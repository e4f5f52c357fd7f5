// Package scene is the display list between the drawing model (package viz)
// and whatever turns it into pixels (the Ebiten layer, or a software
// rasteriser in tests). It knows nothing of Ebiten: a Scene is plain data,
// in logical pixels with the origin at the top left, painted in order.
package scene

import (
	"image"
	"image/color"
)

// Scene is an ordered display list of a W×H logical-pixel frame.
type Scene struct {
	W, H       int
	Background color.RGBA
	Items      []Item
	// Groups optionally mark runs of Items as independently redrawable
	// parts of the frame (see Group); Rasterize ignores them.
	Groups []Group
}

// Group marks Items[Start:End] as one part of the frame, such as a panel,
// inside the rectangle (X, Y, W, H). Its items draw nothing outside the
// rectangle (a renderer may clip to it) and look right painted over the
// Background alone: no other item draws inside the rectangle. Groups are in
// item order and do not overlap. A renderer that keeps the previous frame's
// pixels may redraw only the groups whose items changed (clearing the
// rectangle to the Background first), and must redraw everything when the
// items outside groups change.
type Group struct {
	X, Y, W, H float32
	Start, End int
}

// BeginGroup starts a group over the rectangle; the items added until
// EndGroup belong to it. It returns the group's index.
func (s *Scene) BeginGroup(x, y, w, h float32) int {
	s.Groups = append(s.Groups, Group{X: x, Y: y, W: w, H: h, Start: len(s.Items), End: -1})
	return len(s.Groups) - 1
}

// EndGroup ends group g (BeginGroup's result) after the last item added.
func (s *Scene) EndGroup(g int) { s.Groups[g].End = len(s.Items) }

// Item is one of Rect, Line, Circle, Text, Raster, Polygon.
type Item interface{ isItem() }

// Rect is an axis-aligned rectangle. A zero Fill/Stroke alpha means none;
// the stroke is centred on the outline and StrokeWidth <= 0 means none.
type Rect struct {
	X, Y, W, H  float32
	Fill        color.RGBA
	Stroke      color.RGBA
	StrokeWidth float32
}

// Line is a straight segment with butt caps; Width <= 0 draws nothing.
type Line struct {
	X0, Y0, X1, Y1 float32
	Color          color.RGBA
	Width          float32
}

// Circle is a disc and/or ring.
type Circle struct {
	X, Y, R     float32
	Fill        color.RGBA
	Stroke      color.RGBA
	StrokeWidth float32
}

// Polygon is a filled convex or concave simple polygon (e.g. a clipped half-plane).
type Polygon struct {
	Xs, Ys []float32
	Fill   color.RGBA
}

// Align is horizontal text alignment relative to X.
type Align uint8

const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// Text is a single line of text; (X, Y) is the top of the line box.
type Text struct {
	X, Y  float32
	S     string
	Size  float32 // font size in logical pixels
	Color color.RGBA
	Align Align
}

// Raster is an image scaled into the rectangle (X, Y, W, H) with nearest
// filtering. Key identifies the content: the renderer may cache its upload
// and re-upload only when Key changes, so a new picture must get a new Key.
//
// Base and Changed describe an update in place: Img equals the picture
// whose Key was Base (same size) except inside Changed (in Img's pixel
// coordinates; empty: nowhere), so a renderer that still holds Base may
// upload only that part. Leave Base empty otherwise.
type Raster struct {
	X, Y, W, H float32
	Img        *image.RGBA
	Key        string
	Base       string
	Changed    image.Rectangle
}

// Box is the line box t takes: its left edge x is X moved by the
// alignment, its width w is TextWidth(S, Size), its top y is Y and its
// height h is TextHeight(Size).
func (t Text) Box() (x, y, w, h float32) {
	w = TextWidth(t.S, t.Size)
	x = t.X
	switch t.Align {
	case AlignCenter:
		x -= w / 2
	case AlignRight:
		x -= w
	}
	return x, t.Y, w, TextHeight(t.Size)
}

func (Rect) isItem()    {}
func (Line) isItem()    {}
func (Circle) isItem()  {}
func (Polygon) isItem() {}
func (Text) isItem()    {}
func (Raster) isItem()  {}

// Add appends items to the scene.
func (s *Scene) Add(it ...Item) { s.Items = append(s.Items, it...) }

// Translucent returns c with its opacity multiplied by a/255. color.RGBA is
// alpha-premultiplied for Go's image/draw, for Ebiten and for Rasterize, so
// a translucent colour must scale R, G and B too (R, G, B ≤ A); writing
// color.RGBA{255, 0, 0, 128} instead paints an over-bright red.
func Translucent(c color.RGBA, a uint8) color.RGBA {
	f := func(v uint8) uint8 { return uint8((uint32(v)*uint32(a) + 127) / 255) }
	return color.RGBA{f(c.R), f(c.G), f(c.B), f(c.A)}
}
