//go:build js

package main

import (
	"fmt"
	"log"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/hsrviz/hsrviz/viz"
	"github.com/hsrviz/hsrviz/viz/ebitenview"
)

func main() {
	// When Go started (after the download and the compilation): the load
	// measurement splits the time to the first frame there.
	js.Global().Set("hsrvizGoStartMs", now())
	// The link's good fields are used, its bad ones named (PatchHash).
	typed := js.Global().Get("location").Get("hash").String()
	p, hashErr := viz.PatchHash(viz.DefaultParams(), typed)
	app, err := viz.NewApp(p)
	if err != nil { // defaults are valid, so this is a bug; say so on the page
		fail(fmt.Sprintf("starting the visualizer: %v", err))
		return
	}
	g := ebitenview.New(app)
	g.SetEventQueue(newEventQueue()) // no key or click lost in a slow frame
	b := newBridge(app, g)
	if hashErr != nil {
		msg := fmt.Sprintf("some of the link's parameters were not used: %v", hashErr)
		log.Print("hsrviz: ", msg)
		showError(app, msg)
		b.keepTyped(typed, p) // the address stays as typed, to be fixed by hand
	}
	b.install()

	// One Update per drawn frame: when frames are slow, Ebiten's fixed 60
	// ticks per second would run several Updates (each with its slice of
	// pending compute) before a Draw, multiplying the frame's Go work. The
	// model animates by the measured DT, so it needs no fixed tick.
	ebiten.SetTPS(ebiten.SyncWithFPS)
	ebiten.SetWindowTitle("hsrviz — HSR-enhanced sparse attention")
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	if err := ebiten.RunGame(g); err != nil {
		fail(fmt.Sprintf("the visualizer stopped: %v", err))
	}
}

// fail shows msg on the page's loading overlay (index.html's hsrvizFail).
func fail(msg string) {
	log.Print("hsrviz: ", msg)
	if f := js.Global().Get("hsrvizFail"); f.Type() == js.TypeFunction {
		f.Invoke(msg)
	}
}
