package viz

import "github.com/hsrviz/hsrviz/viz/input"

type heatCache struct{}

func (a *App) textFocused() bool             { return false }
func (a *App) focusedWidget() string         { return "" }
func (a *App) handleWidgets(in *input.Input) {}
func controlsHeight(w float32) float32       { return 200 }
func (a *App) drawHeatmaps(p painter, r rect) {
	a.drawWaiting(p, p.panelFrame(r, "3 · Attention", ""))
}
func (a *App) drawNumbers(p painter, r rect) { a.drawWaiting(p, p.panelFrame(r, "4 · Numbers", "")) }
func (a *App) drawScaling(p painter, r rect) { a.drawWaiting(p, p.panelFrame(r, "5 · Scaling", "")) }
func (a *App) drawHistogram(p painter, r rect) {
	a.drawWaiting(p, p.panelFrame(r, "6 · Per-row counts", ""))
}
func (a *App) drawControls(p painter, r rect) { p.rect(r, colPanel, colBorder, 1) }
func (a *App) drawHelp(p painter, r rect)     {}
