package assets

import (
	"testing"

	"golang.org/x/image/font/sfnt"
)

func TestFontParses(t *testing.T) {
	f, err := sfnt.Parse(Font())
	if err != nil {
		t.Fatal(err)
	}
	var b sfnt.Buffer
	name, err := f.Name(&b, sfnt.NameIDFull)
	if err != nil || name != "Go Regular" {
		t.Errorf("font name %q, %v; want Go Regular", name, err)
	}
}
