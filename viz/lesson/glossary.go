package lesson

import (
	"fmt"
	"strings"
)

// Entry is one glossary entry: what a control, a panel or a number is.
type Entry struct {
	Terms []string // the key first, then aliases (matched case-insensitively)
	Name  string   // the heading shown
	Text  string
	Ref   string // where in the paper; "" when the entry is about the app only
	Line  int    // where the entry starts
}

// Glossary is the parsed glossary, in file order.
type Glossary struct {
	Entries []Entry
	byTerm  map[string]int
}

var glossaryFields = []string{"term", "name", "text", "ref"}

// ParseGlossary parses a glossary file: entries, each starting with a line
// "term: key | alias | …", then "name:", "text:" and an optional "ref:".
// A term given twice, an entry without name or text, or text before the
// first entry, is an error naming the file and line.
func ParseGlossary(file string, data []byte) (*Glossary, error) {
	lines := strings.Split(string(data), "\n")
	g := &Glossary{byTerm: map[string]int{}}
	start := -1
	end := func(stop int) error {
		if start < 0 {
			return nil
		}
		r, err := split(file, lines[start:stop], start+1, glossaryFields)
		if err != nil {
			return err
		}
		e := Entry{Name: r.text["name"], Text: r.text["text"], Ref: r.text["ref"], Line: start + 1}
		for _, f := range []string{"name", "text"} {
			if r.text[f] == "" {
				return &Error{file, start + 1, fmt.Sprintf("entry %q has no %q", r.text["term"], f+":")}
			}
		}
		for _, t := range strings.Split(r.text["term"], "|") {
			t = strings.TrimSpace(t)
			if t == "" {
				return &Error{file, start + 1, "term: an empty term (terms are separated by '|')"}
			}
			k := strings.ToLower(t)
			if prev, ok := g.byTerm[k]; ok {
				return &Error{file, start + 1, fmt.Sprintf("term %q is also in the entry on line %d", t, g.Entries[prev].Line)}
			}
			g.byTerm[k] = len(g.Entries)
			e.Terms = append(e.Terms, t)
		}
		g.Entries = append(g.Entries, e)
		return nil
	}
	for i, l := range lines {
		if strings.HasPrefix(l, "term:") {
			if err := end(i); err != nil {
				return nil, err
			}
			start = i
			continue
		}
		if start < 0 && strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "#") {
			return nil, &Error{file, i + 1, `text before the first entry (an entry starts with "term:")`}
		}
	}
	if err := end(len(lines)); err != nil {
		return nil, err
	}
	if len(g.Entries) == 0 {
		return nil, &Error{file, 0, `no entries (an entry starts with "term:")`}
	}
	return g, nil
}

// Lookup finds the entry for s: a term equal to s (ignoring case), or else
// the longest term that s starts with followed by a non-letter ("time, tree
// vs scan" finds "time"), so a label that grows a suffix still finds its
// entry; or else the longest term of at least 12 bytes that s contains
// ("3 of 32 rows report no key" finds "rows report no key").
func (g *Glossary) Lookup(s string) (Entry, bool) {
	if g == nil {
		return Entry{}, false
	}
	k := strings.ToLower(strings.TrimSpace(s))
	if i, ok := g.byTerm[k]; ok {
		return g.Entries[i], true
	}
	best, bestLen := -1, 0
	for t, i := range g.byTerm {
		if len(t) > bestLen && strings.HasPrefix(k, t) {
			next := k[len(t)]
			if next >= 'a' && next <= 'z' {
				continue // "top" must not match "topology"
			}
			best, bestLen = i, len(t)
		}
	}
	if best < 0 {
		for t, i := range g.byTerm {
			if len(t) >= 12 && len(t) > bestLen && strings.Contains(k, t) {
				best, bestLen = i, len(t)
			}
		}
	}
	if best < 0 {
		return Entry{}, false
	}
	return g.Entries[best], true
}
