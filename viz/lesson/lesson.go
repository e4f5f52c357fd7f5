// Package lesson reads the guided lesson and the glossary: plain text files
// a lecturer edits without touching Go (assets/lessons/*.txt and
// assets/glossary.txt, embedded in both apps by package assets).
//
// # Chapter files
//
// One file a chapter, named NN-id.txt: the number NN (any digits) orders
// the chapters, the id (lower-case letters, digits and '-') names the
// chapter in links (#lesson=id), so renumbering keeps links working. A file
// is a list of fields, each starting at the beginning of a line with
// "name:"; a field's text goes on over the following lines until the next
// field (a blank line is a paragraph break; an indented line never starts
// a field, so text may contain "word:"). Lines starting with '#' are
// comments.
//
//	title: Why ReLU^α's zeros are a half-space
//	panel: geometry
//	set: n=1024&d=2&kind=relu&paper_b=true
//	text: With ReLU^α attention the weight of key k is …
//	try: Drag the threshold b …
//
// title, panel, set, text and try are required, each once. set is a
// URL-hash-like list of parameters (key=value joined by '&'); this package
// checks its syntax, the visualizer its names and values (viz.Chapters),
// and both name the file and the line.
//
// # The glossary
//
// Entries start with a line "term: key, alias, …" (the first is the key a
// control or panel asks for; aliases are other names, such as a row label of
// the Numbers panel); text lines follow; an optional "ref:" line gives the
// paper's reference. See ParseGlossary and Glossary.Lookup.
//
// Cost: parsing is linear in the files' size; it runs once per app.
package lesson

import (
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Chapter is one chapter of the lesson.
type Chapter struct {
	ID    string // from the file name: "attention" for 01-attention.txt
	File  string // the file name, for messages
	Order int    // the numeric prefix
	Title string
	Panel string // the panel the chapter talks about
	Text  string // paragraphs separated by "\n\n"
	Try   string // what to try
	// Set is the parameters the chapter sets, in the file's order.
	Set []Field
	// Line numbers (1-based) of the fields, for messages.
	PanelLine, SetLine int
}

// Field is one key=value of a set line.
type Field struct{ Key, Value string }

// SetString is the set line as written (keys and values URL-encoded).
func (c Chapter) SetString() string {
	parts := make([]string, len(c.Set))
	for i, f := range c.Set {
		parts[i] = url.QueryEscape(f.Key) + "=" + url.QueryEscape(f.Value)
	}
	return strings.Join(parts, "&")
}

// Error is a malformed file: the file, the line (0: the whole file) and
// what is wrong.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// matchFile matches a chapter file's name, NN-id.txt (as the regular
// expression ^([0-9]+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.txt$ would; the test
// compares the two): the number and the id. By hand, not with regexp:
// the regexps compiled at package initialisation (these two and one of
// Ebiten's) were 11-70 ms of the browser app's start in CPU profiles
// (docs/performance.md).
func matchFile(name string) (num, id string, ok bool) {
	base, found := strings.CutSuffix(name, ".txt")
	if !found {
		return "", "", false
	}
	num, id, found = strings.Cut(base, "-")
	if !found || num == "" || id == "" || strings.Trim(num, "0123456789") != "" ||
		strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" ||
		id[0] == '-' || id[len(id)-1] == '-' || strings.Contains(id, "--") {
		return "", "", false
	}
	return num, id, true
}

// matchField matches a field line, name:value, as ^([a-z_]+):(.*)$ would
// (the line holds no newline; the test compares the two).
func matchField(line string) (name, value string, ok bool) {
	name, value, found := strings.Cut(line, ":")
	if !found || name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz_") != "" {
		return "", "", false
	}
	return name, value, true
}

// chapterFields are the fields of a chapter file, all required.
var chapterFields = []string{"title", "panel", "set", "text", "try"}

// record is a file split into fields: name → text, and the line each
// field started on.
type record struct {
	order []string
	text  map[string]string
	line  map[string]int
}

// split reads the fields of one file (a chapter, or one glossary entry's
// lines); allowed names the fields; repeated fields are errors unless multi.
func split(file string, lines []string, first int, allowed []string) (*record, error) {
	r := &record{text: map[string]string{}, line: map[string]int{}}
	cur := ""
	var buf []string
	flush := func() {
		if cur != "" {
			r.text[cur] = joinText(buf)
		}
	}
	for i, raw := range lines {
		ln := first + i
		line := strings.TrimRight(raw, " \t\r")
		if strings.HasPrefix(line, "#") {
			continue
		}
		if name, value, ok := matchField(line); ok {
			if !contains(allowed, name) {
				return nil, &Error{file, ln, fmt.Sprintf("unknown field %q (fields: %s; indent a text line that starts with a word and a colon)", name, strings.Join(allowed, ", "))}
			}
			if _, dup := r.line[name]; dup {
				return nil, &Error{file, ln, fmt.Sprintf("field %q given twice (first on line %d)", name, r.line[name])}
			}
			flush()
			cur = name
			r.order = append(r.order, name)
			r.line[name] = ln
			buf = buf[:0]
			if v := strings.TrimSpace(value); v != "" {
				buf = append(buf, v)
			}
			continue
		}
		if strings.TrimSpace(line) == "" {
			if cur != "" {
				buf = append(buf, "")
			}
			continue
		}
		if cur == "" {
			return nil, &Error{file, ln, fmt.Sprintf("text before the first field (a file starts with %q)", allowed[0]+":")}
		}
		buf = append(buf, strings.TrimSpace(line))
	}
	flush()
	return r, nil
}

// joinText joins a field's lines: lines of a paragraph with spaces,
// paragraphs (blank lines between) with "\n\n".
func joinText(lines []string) string {
	var paras []string
	var cur []string
	for _, l := range lines {
		if l == "" {
			if len(cur) > 0 {
				paras = append(paras, strings.Join(cur, " "))
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		paras = append(paras, strings.Join(cur, " "))
	}
	return strings.Join(paras, "\n\n")
}

func contains(set []string, s string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}

// ParseChapter parses one chapter file. name is the file's base name
// (NN-id.txt), which gives the order and the id.
func ParseChapter(name string, data []byte) (Chapter, error) {
	num, id, ok := matchFile(name)
	if !ok {
		return Chapter{}, &Error{name, 0, "a chapter file is named NN-id.txt: a number, '-', an id of lower-case letters, digits and '-' (e.g. 01-attention.txt)"}
	}
	order, err := strconv.Atoi(num)
	if err != nil {
		return Chapter{}, &Error{name, 0, fmt.Sprintf("number %q too large", num)}
	}
	lines := strings.Split(string(data), "\n")
	r, err := split(name, lines, 1, chapterFields)
	if err != nil {
		return Chapter{}, err
	}
	for _, f := range chapterFields {
		if _, ok := r.line[f]; !ok {
			return Chapter{}, &Error{name, 0, fmt.Sprintf("missing field %q (a chapter has %s)", f+":", strings.Join(chapterFields, ", "))}
		}
		if r.text[f] == "" {
			return Chapter{}, &Error{name, r.line[f], fmt.Sprintf("field %q is empty", f)}
		}
	}
	c := Chapter{ID: id, File: name, Order: order, Title: r.text["title"], Panel: r.text["panel"],
		Text: r.text["text"], Try: r.text["try"], PanelLine: r.line["panel"], SetLine: r.line["set"]}
	for _, f := range []string{"title", "panel", "set"} {
		if strings.Contains(r.text[f], "\n") {
			return Chapter{}, &Error{name, r.line[f], fmt.Sprintf("field %q must be one paragraph", f)}
		}
	}
	if strings.ContainsAny(c.Panel, " ,&") {
		return Chapter{}, &Error{name, c.PanelLine, fmt.Sprintf("panel: one panel name, got %q", c.Panel)}
	}
	set, err := parseSet(r.text["set"])
	if err != nil {
		return Chapter{}, &Error{name, c.SetLine, "set: " + err.Error()}
	}
	c.Set = set
	return c, nil
}

// parseSet parses "k=v&k=v" (URL-encoded, spaces around '&' allowed),
// keeping the order; every key once, every value non-empty.
func parseSet(s string) ([]Field, error) {
	var out []Field
	seen := map[string]bool{}
	for _, part := range strings.Split(s, "&") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("%q is not key=value", part)
		}
		k, err1 := url.QueryUnescape(strings.TrimSpace(k))
		v, err2 := url.QueryUnescape(strings.TrimSpace(v))
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%q: not URL-encoded text", part)
		}
		if k == "" || v == "" {
			return nil, fmt.Errorf("%q: empty key or value", part)
		}
		if seen[k] {
			return nil, fmt.Errorf("%q given twice", k)
		}
		seen[k] = true
		out = append(out, Field{k, v})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no parameters (write key=value&key=value)")
	}
	return out, nil
}

// Load parses every *.txt file of dir in fsys as a chapter, in the order of
// their numbers (then names). Two chapters with one id or one number, a
// file that is not NN-id.txt, or no chapter at all, are errors.
func Load(fsys fs.FS, dir string) ([]Chapter, error) {
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []Chapter
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		c, err := ParseChapter(e.Name(), data)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, &Error{dir, 0, "no chapter files (NN-id.txt)"}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].File < out[j].File
	})
	ids := map[string]string{}
	orders := map[int]string{}
	for _, c := range out {
		if f, ok := ids[c.ID]; ok {
			return nil, &Error{c.File, 0, fmt.Sprintf("id %q is also the id of %s", c.ID, f)}
		}
		if f, ok := orders[c.Order]; ok {
			return nil, &Error{c.File, 0, fmt.Sprintf("number %d is also the number of %s: the order would be unclear", c.Order, f)}
		}
		ids[c.ID], orders[c.Order] = c.File, c.File
	}
	return out, nil
}
