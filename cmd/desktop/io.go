package main

import (
	"fmt"
	"image"
	"io"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/hsrviz/hsrviz/cmd/desktop/internal/cli"
	"github.com/hsrviz/hsrviz/internal/npy"
	"github.com/hsrviz/hsrviz/viz"
	"github.com/hsrviz/hsrviz/viz/ebitenview"
)

// The desktop's export and tensors: -q/-k/-v and files dropped on the
// window load your own Q, K, V; the export key (e) and button write a new
// folder of files under -export-dir and show its path; -export-png and
// -export-json write once the picture is computed and quit (scripts).
// Every file is written to a temporary file in its directory and renamed
// into place (npy.WriteAtomic): never half a file.

// loadFlags reads -q/-k/-v into the app; the error names the file.
func loadFlags(app *viz.App, o cli.Options) error {
	if o.Q == "" {
		return nil
	}
	var data [3][]byte
	for i, p := range []string{o.Q, o.K, o.V} {
		if p == "" {
			continue
		}
		b, err := readCapped(p)
		if err != nil {
			return err
		}
		data[i] = b
	}
	_, err := app.LoadNPY(data[0], data[1], data[2], [3]string{o.Q, o.K, o.V})
	return err
}

// maxRead bounds a file read for loading: a file larger than the app's
// cap is refused by viz with its size, without reading more than that.
const maxRead = viz.MaxND*8 + npy.MaxHeaderBytes + 256

func readCapped(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxRead+1))
}

// ioHooks wires the export and the dropped files into the game.
type ioHooks struct {
	app    *viz.App
	game   *ebitenview.Game
	o      cli.Options
	failed error // a scripted export that failed: exit 1
}

// afterUpdate loads files dropped on the window (ebiten.DroppedFiles is
// valid during Update); the header shows the result.
func (h *ioHooks) afterUpdate() {
	if fsys := ebiten.DroppedFiles(); fsys != nil {
		_, _ = h.app.LoadFS(fsys)
	}
}

// scripted reports whether -export-png or -export-json asks for a run
// that writes and quits.
func (h *ioHooks) scripted() bool { return h.o.ExportPNG != "" || h.o.ExportJSON != "" }

// afterDraw answers the requests of this frame and, scripted, writes the
// files once the picture is complete and quits.
func (h *ioHooks) afterDraw(screen *ebiten.Image) {
	pixels := ebitenview.Pixels(screen)
	for _, r := range h.app.TakeRequests() {
		switch r {
		case viz.RequestExport:
			dir, n, err := h.exportAll(pixels())
			if err != nil {
				h.app.ShowError("export: " + err.Error())
				continue
			}
			msg := fmt.Sprintf("wrote %d files to %s", n, dir)
			fmt.Println("hsrviz-desktop:", msg)
			h.app.SetStatus(msg)
		case viz.RequestCopyLink:
			link := "#" + h.app.Params().Hash()
			fmt.Println("hsrviz-desktop: link:", link)
			note := ""
			if h.app.Params().Data.String() == "custom" {
				note = " (it cannot carry your files)"
			}
			h.app.SetStatus("link printed on the terminal" + note + ": " + link)
		case viz.RequestOpenFiles:
			h.app.SetStatus("drop Q, K (and V) .npy files on this window, or start with -q -k -v")
		}
	}
	if !h.scripted() {
		return
	}
	s := h.app.Snapshot()
	switch {
	case s.Busy:
		return
	case !s.Ready: // the computation failed before a first picture
		h.failed = fmt.Errorf("nothing to export: %s", s.Error)
	default:
		h.failed = h.writeScripted(pixels())
	}
	h.game.Quit()
}

// writeScripted writes -export-png and -export-json.
func (h *ioHooks) writeScripted(frame *image.RGBA) error {
	if h.o.ExportPNG != "" {
		b, err := viz.CropPNG(frame, h.game.Scale(), viz.Region{Name: "view", W: float32(frame.Bounds().Dx()) / float32(h.game.Scale()),
			H: float32(frame.Bounds().Dy()) / float32(h.game.Scale())})
		if err == nil {
			err = npy.WriteAtomic(h.o.ExportPNG, func(w io.Writer) error { _, err := w.Write(b); return err })
		}
		if err != nil {
			return fmt.Errorf("-export-png: %v", err)
		}
		fmt.Println("hsrviz-desktop: wrote", h.o.ExportPNG)
	}
	if h.o.ExportJSON != "" {
		files, err := h.app.ExportFiles(nil, 1)
		if err == nil {
			for _, f := range files {
				if f.Name == "data.json" {
					err = npy.WriteAtomic(h.o.ExportJSON, func(w io.Writer) error { _, err := w.Write(f.Data); return err })
				}
			}
		}
		if err != nil {
			return fmt.Errorf("-export-json: %v", err)
		}
		fmt.Println("hsrviz-desktop: wrote", h.o.ExportJSON)
	}
	return nil
}

// exportAll writes every export file into a new folder under -export-dir
// and returns its absolute path and the number of files.
func (h *ioHooks) exportAll(frame *image.RGBA) (string, int, error) {
	files, err := h.app.ExportFiles(frame, h.game.Scale())
	if err != nil {
		return "", 0, err
	}
	base := h.o.ExportDir
	if base == "" {
		base = "."
	}
	stamp := "hsrviz-export-" + time.Now().Format("20060102-150405")
	dir := filepath.Join(base, stamp)
	for i := 2; ; i++ {
		err = os.Mkdir(dir, 0o755)
		if !os.IsExist(err) {
			break
		}
		dir = filepath.Join(base, fmt.Sprintf("%s-%d", stamp, i))
	}
	if err != nil {
		return "", 0, err
	}
	for _, f := range files {
		p := filepath.Join(dir, path.Base(f.Name))
		if err := npy.WriteAtomic(p, func(w io.Writer) error { _, err := w.Write(f.Data); return err }); err != nil {
			return "", 0, err
		}
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return dir, len(files), nil
}
