package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hsrviz/hsrviz/viz"
)

// TestLessonFlags: -lesson opens the chapter with its parameters (as the
// link #lesson=id does), other flags go over them; -panel and -freeze are
// flags like the other parameters; bad values name the flag.
func TestLessonFlags(t *testing.T) {
	id := viz.LessonChapters()[3].ID
	want, err := viz.ParseHash("lesson=" + id)
	if err != nil {
		t.Fatal(err)
	}
	o, err := Parse([]string{"-lesson", id}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.Params != want {
		t.Errorf("-lesson %s:\n%+v\nwant\n%+v", id, o.Params, want)
	}
	o, err = Parse([]string{"-lesson", id, "-m", "5", "-panel", "tree", "-freeze"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	w := want
	w.M, w.Query, w.Panel, w.Freeze = 5, min(w.Query, 4), "tree", true
	if o.Params != w {
		t.Errorf("-lesson with -m -panel -freeze:\n%+v\nwant\n%+v", o.Params, w)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-lesson", "nope"}, `flag -lesson: lesson: unknown chapter "nope"`},
		{[]string{"-panel", "nope"}, `panel: unknown panel "nope"`},
		{[]string{"-freeze=maybe"}, "freeze"},
	} {
		if _, err := Parse(c.args, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}
