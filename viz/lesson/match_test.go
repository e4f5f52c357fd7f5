package lesson

import (
	"regexp"
	"testing"
)

// TestMatchersEqualRegexps checks the hand-written matchers against the
// regular expressions they replace, on names and lines built from the
// characters that matter, every string of them up to length 5, plus a few
// longer ones.
func TestMatchersEqualRegexps(t *testing.T) {
	fileRE := regexp.MustCompile(`^([0-9]+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.txt$`)
	fieldRE := regexp.MustCompile(`^([a-z_]+):(.*)$`)
	alphabet := []string{"0", "7", "a", "z", "-", "_", "A", ":", " ", ".", "é", "\xff"}
	var all []string
	var grow func(s string, n int)
	grow = func(s string, n int) {
		all = append(all, s)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			grow(s+c, n-1)
		}
	}
	grow("", 5)
	all = append(all, "01-attention.txt", "12-tree-in-the-plane.txt", "1-a--b.txt", "1-a-.txt", "1--a.txt", "-a.txt", "01-x.txt.txt",
		"01-x.TXT", "title: Attention", "set: n=64 d=2", "panel:", "a_b:c:d", ":x", "Title: x")
	files, fields := 0, 0
	for _, s := range all {
		for _, name := range []string{s, s + ".txt"} {
			num, id, ok := matchFile(name)
			m := fileRE.FindStringSubmatch(name)
			if ok != (m != nil) || ok && (num != m[1] || id != m[2]) {
				t.Errorf("matchFile(%q) = %q, %q, %v; the regexp: %q", name, num, id, ok, m)
			}
			if ok {
				files++
			}
		}
		name, value, ok := matchField(s)
		m := fieldRE.FindStringSubmatch(s)
		if ok != (m != nil) || ok && (name != m[1] || value != m[2]) {
			t.Errorf("matchField(%q) = %q, %q, %v; the regexp: %q", s, name, value, ok, m)
		}
		if ok {
			fields++
		}
	}
	if files < 100 || fields < 100 {
		t.Fatalf("too few matches to mean much: %d file names, %d fields", files, fields)
	}
}
