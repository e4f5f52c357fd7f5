package lesson

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

const good = `# a comment
title: What attention computes
panel: heatmap
set: n=4096&d=2 & kind=relu&paper_b=true
text: First line
continues here.

Second paragraph
  note: an indented line is text.
try: Hover a cell.
`

func TestParseChapterGood(t *testing.T) {
	c, err := ParseChapter("01-attention.txt", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "attention" || c.Order != 1 || c.Title != "What attention computes" || c.Panel != "heatmap" {
		t.Errorf("header: %+v", c)
	}
	if want := "First line continues here.\n\nSecond paragraph note: an indented line is text."; c.Text != want {
		t.Errorf("text %q want %q", c.Text, want)
	}
	if c.Try != "Hover a cell." {
		t.Errorf("try %q", c.Try)
	}
	want := []Field{{"n", "4096"}, {"d", "2"}, {"kind", "relu"}, {"paper_b", "true"}}
	if len(c.Set) != len(want) {
		t.Fatalf("set %v", c.Set)
	}
	for i := range want {
		if c.Set[i] != want[i] {
			t.Errorf("set[%d] = %v want %v", i, c.Set[i], want[i])
		}
	}
	if c.SetString() != "n=4096&d=2&kind=relu&paper_b=true" || c.SetLine != 4 || c.PanelLine != 3 {
		t.Errorf("SetString %q line %d panel line %d", c.SetString(), c.SetLine, c.PanelLine)
	}
}

// TestParseChapterMalformed: every malformed case names the file, the
// line where there is one, and what is wrong.
func TestParseChapterMalformed(t *testing.T) {
	base := "title: T\npanel: tree\nset: d=2\ntext: x\ntry: y\n"
	for _, c := range []struct {
		name, file, data, want string
	}{
		{"bad file name", "attention.txt", base, "attention.txt: a chapter file is named NN-id.txt"},
		{"upper-case id", "01-Attention.txt", base, "01-Attention.txt: a chapter file is named"},
		{"missing title", "01-a.txt", "panel: tree\nset: d=2\ntext: x\ntry: y\n", `01-a.txt: missing field "title:"`},
		{"missing try", "01-a.txt", "title: T\npanel: tree\nset: d=2\ntext: x\n", `01-a.txt: missing field "try:"`},
		{"empty text", "01-a.txt", "title: T\npanel: tree\nset: d=2\ntext:\ntry: y\n", `01-a.txt:4: field "text" is empty`},
		{"unknown field", "01-a.txt", base + "foo: bar\n", `01-a.txt:6: unknown field "foo"`},
		{"duplicate field", "01-a.txt", base + "title: again\n", `01-a.txt:6: field "title" given twice (first on line 1)`},
		{"text before fields", "01-a.txt", "hello\n" + base, "01-a.txt:1: text before the first field"},
		{"set not key=value", "01-a.txt", "title: T\npanel: tree\nset: d2\ntext: x\ntry: y\n", `01-a.txt:3: set: "d2" is not key=value`},
		{"set repeated key", "01-a.txt", "title: T\npanel: tree\nset: d=2&d=3\ntext: x\ntry: y\n", `01-a.txt:3: set: "d" given twice`},
		{"set empty value", "01-a.txt", "title: T\npanel: tree\nset: d=\ntext: x\ntry: y\n", `01-a.txt:3: set: "d=": empty key or value`},
		{"set bad escape", "01-a.txt", "title: T\npanel: tree\nset: d=%zz\ntext: x\ntry: y\n", `01-a.txt:3: set: "d=%zz": not URL-encoded`},
		{"two panels", "01-a.txt", "title: T\npanel: tree, heatmap\nset: d=2\ntext: x\ntry: y\n", `01-a.txt:2: panel: one panel name`},
		{"title two paragraphs", "01-a.txt", "title: T\n\nmore\npanel: tree\nset: d=2\ntext: x\ntry: y\n", `01-a.txt:1: field "title" must be one paragraph`},
	} {
		_, err := ParseChapter(c.file, []byte(c.data))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: got %v, want prefix %q", c.name, err, c.want)
		}
		var le *Error
		if err != nil && !errors.As(err, &le) {
			t.Errorf("%s: error %T is not *Error", c.name, err)
		}
	}
}

func TestLoadOrderAndConflicts(t *testing.T) {
	ch := func(title string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("title: " + title + "\npanel: tree\nset: d=2\ntext: x\ntry: y\n")}
	}
	fsys := fstest.MapFS{
		"l/10-c.txt":  ch("C"),
		"l/2-b.txt":   ch("B"),
		"l/01-a.txt":  ch("A"),
		"l/README.md": {Data: []byte("not a chapter")},
	}
	chs, err := Load(fsys, "l")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range chs {
		got = append(got, c.ID+":"+c.Title)
	}
	if strings.Join(got, ",") != "a:A,b:B,c:C" {
		t.Errorf("order %v (numeric, not lexical)", got)
	}
	fsys["l/03-a.txt"] = ch("again")
	if _, err := Load(fsys, "l"); err == nil || !strings.Contains(err.Error(), `id "a" is also the id of 01-a.txt`) {
		t.Errorf("duplicate id: %v", err)
	}
	delete(fsys, "l/03-a.txt")
	fsys["l/002-z.txt"] = ch("Z")
	if _, err := Load(fsys, "l"); err == nil || !strings.Contains(err.Error(), "number 2 is also the number of") {
		t.Errorf("duplicate number: %v", err)
	}
	if _, err := Load(fstest.MapFS{"l/x.md": {}}, "l"); err == nil || !strings.Contains(err.Error(), "no chapter files") {
		t.Errorf("empty: %v", err)
	}
	if _, err := Load(fstest.MapFS{"l/1-a.txt": {Data: []byte("title: T\n")}}, "l"); err == nil || !strings.Contains(err.Error(), "1-a.txt: missing field") {
		t.Errorf("bad file in dir: %v", err)
	}
}

func TestGlossary(t *testing.T) {
	g, err := ParseGlossary("g.txt", []byte(`# comment
term: b | threshold b
name: Threshold b
text: The threshold.
 More text.
ref: arXiv 2410.10165

term: time
name: Time
text: Per query.

term: top r
name: Top r
text: Kept keys.

term: rows report no key
name: Empty rows
text: Rows without keys.
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Entries) != 4 || g.Entries[0].Text != "The threshold. More text." || g.Entries[0].Ref != "arXiv 2410.10165" {
		t.Fatalf("entries %+v", g.Entries)
	}
	for _, c := range []struct{ q, want string }{
		{"b", "Threshold b"}, {"Threshold B", "Threshold b"}, {"time, tree vs scan", "Time"},
		{"top r = n^γ (rounded)", "Top r"}, {"timer", ""}, {"topology", ""}, {"nothing", ""},
		{"3 of 32 rows report no key (their output is 0)", "Empty rows"}, {"the time", ""},
	} {
		e, ok := g.Lookup(c.q)
		if got := map[bool]string{true: e.Name}[ok]; got != c.want {
			t.Errorf("Lookup(%q) = %q want %q", c.q, got, c.want)
		}
	}
	for _, c := range []struct{ name, data, want string }{
		{"duplicate term", "term: a\nname: A\ntext: x\nterm: b | A\nname: B\ntext: y\n", `g.txt:4: term "A" is also in the entry on line 1`},
		{"no text", "term: a\nname: A\n", `g.txt:1: entry "a" has no "text:"`},
		{"no name", "term: a\ntext: x\n", `g.txt:1: entry "a" has no "name:"`},
		{"text first", "hello\nterm: a\nname: A\ntext: x\n", "g.txt:1: text before the first entry"},
		{"unknown field", "term: a\nname: A\ntext: x\nsee: y\n", `g.txt:4: unknown field "see"`},
		{"empty term", "term: a ||\nname: A\ntext: x\n", "g.txt:1: term: an empty term"},
		{"empty", "# nothing\n", "g.txt: no entries"},
	} {
		_, err := ParseGlossary("g.txt", []byte(c.data))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: got %v, want prefix %q", c.name, err, c.want)
		}
	}
}
