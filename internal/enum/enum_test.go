package enum

import (
	"strings"
	"testing"
)

type color uint8

var colorNames = []string{"red", "green", "blue"}

func TestEnum(t *testing.T) {
	for i, n := range colorNames {
		v, err := Parse[color](colorNames, "color", " "+strings.ToUpper(n)+" ")
		if err != nil || v != color(i) {
			t.Errorf("Parse(%q): got:%v, %v want:%d", n, v, err, i)
		}
		if s := String(colorNames, "Color", color(i)); s != n {
			t.Errorf("String(%d): got:%q want:%q", i, s, n)
		}
		if b, err := Text(colorNames, "color", color(i)); err != nil || string(b) != n {
			t.Errorf("Text(%d): got:%q, %v", i, b, err)
		}
	}
	if s := String(colorNames, "Color", color(7)); s != "Color(7)" {
		t.Errorf("String(7) = %q", s)
	}
	if _, err := Text(colorNames, "color", color(3)); err == nil || err.Error() != "invalid color 3" {
		t.Errorf("Text(3): %v", err)
	}
	_, err := Parse[color](colorNames, "color", "teal")
	if err == nil || err.Error() != `unknown color "teal" (want red, green or blue)` {
		t.Errorf("Parse(teal): %v", err)
	}
	c := color(2)
	if err := Unmarshal(colorNames, "color", []byte("mauve"), &c); err == nil || c != 2 {
		t.Errorf("Unmarshal of a bad name: %v, value %d (want unchanged 2)", err, c)
	}
	if err := Unmarshal(colorNames, "color", []byte("Green"), &c); err != nil || c != 1 {
		t.Errorf("Unmarshal(Green): %v, %d", err, c)
	}
	for _, c := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a or b"}, {[]string{"a", "b", "c"}, "a, b or c"}} {
		if got := List(c.in); got != c.want {
			t.Errorf("List(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
