// Command desktop is the visualizer in a native window (the same viz.App as
// the browser build, drawn by viz/ebitenview):
//
//	go run ./cmd/desktop -n 16384 -d 64 -m 64
//	go run ./cmd/desktop -hash 'n=4096&d=2&…'   # a browser link's state
//
// Bad flags (package cli) exit with status 2 and a message naming the flag,
// before any window opens; -h prints the usage and exits 0, with or without
// a display. A -screenshot that cannot be saved at the end exits 1.
package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"log"
	"os"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/hsrviz/hsrviz/cmd/desktop/internal/cli"
	"github.com/hsrviz/hsrviz/internal/npy"
	"github.com/hsrviz/hsrviz/viz"
	"github.com/hsrviz/hsrviz/viz/ebitenview"
)

func main() {
	o, err := cli.Parse(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hsrviz-desktop:", err)
		os.Exit(2)
	}
	app, err := viz.NewApp(o.Params)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hsrviz-desktop:", err)
		os.Exit(2)
	}
	g := ebitenview.New(app)
	var sw *stateWriter
	if o.State != "" {
		sw = &stateWriter{path: o.State}
		if err := sw.write(app.Snapshot(), false); err != nil {
			fmt.Fprintln(os.Stderr, "hsrviz-desktop: -state:", err)
			os.Exit(2)
		}
	}
	var shotErr error
	g.AfterDraw = func(frame int, screen *ebiten.Image) {
		// After a frame (not after Update) so the snapshot's panel and
		// widget rectangles are those of the picture on screen.
		if sw != nil {
			if err := sw.write(app.Snapshot(), g.Asleep()); err != nil {
				log.Printf("hsrviz-desktop: -state: %v", err)
			}
		}
		// A screenshot waits for the picture to be current (every row
		// and number computed, or an error shown), whatever the machine's
		// speed: the README's pictures are made this way.
		if o.ExitAfter > 0 && frame >= o.ExitAfter && (o.Screenshot == "" || current(app)) {
			if o.Screenshot != "" {
				shotErr = savePNG(o.Screenshot, screen)
			}
			g.Quit()
		}
	}
	if o.ExitAfter > 0 {
		// The frames to count come although the picture rests.
		g.KeepAwake = func() bool { return true }
	}
	// One Update per drawn frame: when frames are slow, Ebiten's fixed 60
	// ticks per second would run several Updates (each with its slice of
	// pending compute) before a Draw, multiplying the frame's Go work. The
	// model animates by the measured DT, so it needs no fixed tick.
	ebiten.SetTPS(ebiten.SyncWithFPS)
	ebiten.SetWindowTitle("hsrviz — HSR-enhanced sparse attention")
	ebiten.SetWindowSize(o.Width, o.Height)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	// Keep animating (and keep tests' key presses working) without focus.
	ebiten.SetRunnableOnUnfocused(true)
	if err := ebiten.RunGame(g); err != nil {
		fmt.Fprintln(os.Stderr, "hsrviz-desktop:", err)
		os.Exit(1)
	}
	if shotErr != nil {
		// The path was checked at start; the directory changed since.
		fmt.Fprintln(os.Stderr, "hsrviz-desktop: -screenshot:", shotErr)
		os.Exit(1)
	}
}

// current reports whether the app's picture is complete: ready, nothing
// pending, or stopped by an error.
func current(app *viz.App) bool {
	s := app.Snapshot()
	return (s.Ready && !s.Busy) || s.Error != ""
}

// savePNG writes the screen to path atomically: a reader never sees half
// a picture, and a failure leaves what was there.
func savePNG(path string, screen *ebiten.Image) error {
	b := screen.Bounds()
	img := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	screen.ReadPixels(img.Pix)
	return npy.WriteAtomic(path, func(w io.Writer) error { return png.Encode(w, img) })
}
