package viz

// What the platform layer asks to decide whether to draw the next frame
// (viz/ebitenview draws none while the picture cannot change: idle means
// idle).

// Animating reports whether the picture can change with no input: the
// trace animation plays (it steps, holds at the end and replays) or work is
// pending (the app computes in slices over frames, and the header shows the
// progress). When it is false, the next Update with no input changes
// nothing on screen.
func (a *App) Animating() bool {
	return (a.playing && a.trace != nil) || a.pending()
}
