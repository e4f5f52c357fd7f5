package ebitenview

import (
	"image"

	"github.com/hajimehoshi/ebiten/v2"
)

// Pixels returns a reader of screen's pixels that reads them on its first
// call and returns the same image after: the requests of one frame (an
// export, several panel PNGs) read the screen once, and a frame no request
// needs reads nothing. Call it only while screen is valid (in AfterDraw).
func Pixels(screen *ebiten.Image) func() *image.RGBA {
	var img *image.RGBA
	return func() *image.RGBA {
		if img == nil {
			img = image.NewRGBA(screen.Bounds())
			screen.ReadPixels(img.Pix)
		}
		return img
	}
}
