package viz

import (
	"image"
	"testing"
)

// TestRasterVersion: every version gets a Key of its own; one updated in
// place names the previous Key as its Base with the changed box, one
// painted anew has no Base.
func TestRasterVersion(t *testing.T) {
	var r rasterVersion
	box := image.Rect(3, 4, 5, 6)
	steps := []struct {
		content   string
		inPlace   bool
		key, base string
	}{
		{"a", false, "a#1", ""},
		{"a2", true, "a2#2", "a#1"},
		{"a", true, "a#3", "a2#2"}, // back to an earlier content: still a new Key
		{"b", false, "b#4", ""},
	}
	for i, s := range steps {
		r.next(s.content, s.inPlace, box)
		it := r.raster(1, 2, image.NewRGBA(image.Rect(0, 0, 7, 9)))
		if r.content != s.content || it.Key != s.key || it.Base != s.base {
			t.Fatalf("step %d: content %q, Key %q, Base %q; want %q, %q, %q", i, r.content, it.Key, it.Base, s.content, s.key, s.base)
		}
		if want := map[bool]image.Rectangle{true: box}[s.inPlace]; it.Changed != want {
			t.Fatalf("step %d: Changed %v, want %v", i, it.Changed, want)
		}
		if it.X != 1 || it.Y != 2 || it.W != 7 || it.H != 9 {
			t.Fatalf("step %d: placed at %v,%v size %vx%v", i, it.X, it.Y, it.W, it.H)
		}
	}
}
