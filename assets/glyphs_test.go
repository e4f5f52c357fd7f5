package assets

import (
	"io/fs"
	"testing"

	"golang.org/x/image/font/sfnt"
)

// TestLessonGlyphs: every character of the lesson and the glossary is in
// the font the apps draw with (a missing glyph shows as a box).
func TestLessonGlyphs(t *testing.T) {
	f, err := sfnt.Parse(Font())
	if err != nil {
		t.Fatal(err)
	}
	var b sfnt.Buffer
	check := func(name string, data []byte) {
		for i, r := range []rune(string(data)) {
			if r < 128 {
				continue
			}
			if g, err := f.GlyphIndex(&b, r); err != nil || g == 0 {
				t.Errorf("%s: character %d %q (U+%04X) is not in Go Regular: it would show as a box", name, i, r, r)
			}
		}
	}
	check("glossary.txt", Glossary())
	err = fs.WalkDir(Lessons(), LessonsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(Lessons(), p)
		check(p, data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
