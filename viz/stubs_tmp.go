package viz

import "github.com/hsrviz/hsrviz/viz/input"

func (a *App) textFocused() bool              { return false }
func (a *App) focusedWidget() string          { return "" }
func (a *App) handleWidgets(in *input.Input)  {}
func controlsHeight(w float32) float32        { return 200 }
func (a *App) drawControls(p painter, r rect) { p.rect(r, colPanel, colBorder, 1) }
func (a *App) drawHelp(p painter, r rect)     {}
