package viz

import (
	"image"
	"strconv"

	"github.com/hsrviz/hsrviz/viz/scene"
)

// rasterVersion keeps a panel raster's names for the renderer
// (scene.Raster's Key, Base and Changed). Each new content gets a Key of
// its own, content#seq, so a pixel buffer reused for new content is never
// taken for the one already uploaded; a version painted over the previous
// one in place names that one as its Base, with the box that changed, and
// the renderer then uploads and repaints only that box (the geometry
// panel's reported keys and the tree panel's keys while b is dragged).
type rasterVersion struct {
	content string          // what the raster shows; "" before the first version
	seq     int             // versions so far
	key     string          // the current version's Key
	base    string          // the Key it was updated from in place, or ""
	changed image.Rectangle // with base: the part that changed (image pixels)
}

// next records a new version showing content: the previous one updated in
// place, changing only changed (inPlace), or painted anew.
func (r *rasterVersion) next(content string, inPlace bool, changed image.Rectangle) {
	prev := r.key
	r.seq++
	r.content, r.key = content, content+"#"+strconv.Itoa(r.seq)
	r.base, r.changed = "", image.Rectangle{}
	if inPlace {
		r.base, r.changed = prev, changed
	}
}

// raster is img at (x, y), its own size, as the current version.
func (r *rasterVersion) raster(x, y float32, img *image.RGBA) scene.Raster {
	return scene.Raster{X: x, Y: y, W: float32(img.Rect.Dx()), H: float32(img.Rect.Dy()), Img: img,
		Key: r.key, Base: r.base, Changed: r.changed}
}
