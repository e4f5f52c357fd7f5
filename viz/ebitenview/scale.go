package ebitenview

// Scale is the device pixels per logical pixel of the last layout: a
// region of the scene (logical pixels) covers Scale times as many pixels
// of the screen Draw gets. Call it with the model locked (inside Do or a
// hook, such as AfterDraw, where the frame is read for an export).
func (g *Game) Scale() float64 { return g.scale }
