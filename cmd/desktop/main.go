// Command desktop is the visualizer in a native window (the same viz.App as
// the browser build, drawn by viz/ebitenview):
//
//	go run ./cmd/desktop -n 16384 -d 64 -m 64
//	go run ./cmd/desktop -hash 'n=4096&d=2&…'   # a browser link's state
//
// Bad flags exit with status 2 and a message naming the flag.
package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"log"
	"os"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/hsrviz/hsrviz/viz"
	"github.com/hsrviz/hsrviz/viz/ebitenview"
)

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hsrviz-desktop:", err)
		os.Exit(2)
	}
	app, err := viz.NewApp(o.params)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hsrviz-desktop:", err)
		os.Exit(2)
	}
	g := ebitenview.New(app)
	var sw *stateWriter
	if o.state != "" {
		sw = &stateWriter{path: o.state}
		if err := sw.write(app.Snapshot(), false); err != nil {
			fmt.Fprintln(os.Stderr, "hsrviz-desktop: -state:", err)
			os.Exit(2)
		}
	}
	g.AfterDraw = func(frame int, screen *ebiten.Image) {
		// After a frame (not after Update) so the snapshot's panel and
		// widget rectangles are those of the picture on screen.
		if sw != nil {
			if err := sw.write(app.Snapshot(), g.Asleep()); err != nil {
				log.Printf("hsrviz-desktop: -state: %v", err)
			}
		}
		if o.exitAfter > 0 && frame >= o.exitAfter {
			if o.screenshot != "" {
				if err := savePNG(o.screenshot, screen); err != nil {
					log.Printf("hsrviz-desktop: -screenshot: %v", err)
				}
			}
			g.Quit()
		}
	}
	if o.exitAfter > 0 {
		// The frames to count come although the picture rests.
		g.KeepAwake = func() bool { return true }
	}
	// One Update per drawn frame: when frames are slow, Ebiten's fixed 60
	// ticks per second would run several Updates (each with its slice of
	// pending compute) before a Draw, multiplying the frame's Go work. The
	// model animates by the measured DT, so it needs no fixed tick.
	ebiten.SetTPS(ebiten.SyncWithFPS)
	ebiten.SetWindowTitle("hsrviz — HSR-enhanced sparse attention")
	ebiten.SetWindowSize(o.width, o.height)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	// Keep animating (and keep tests' key presses working) without focus.
	ebiten.SetRunnableOnUnfocused(true)
	if err := ebiten.RunGame(g); err != nil {
		fmt.Fprintln(os.Stderr, "hsrviz-desktop:", err)
		os.Exit(1)
	}
}

func savePNG(path string, screen *ebiten.Image) error {
	b := screen.Bounds()
	img := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	screen.ReadPixels(img.Pix)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
