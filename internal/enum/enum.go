// Package enum gives a small enumeration (a uint8 type with a name per
// value) its text forms: String, Parse, and the encoding.TextMarshaler
// pair that JSON uses. The module's registries (hsr.IndexKind,
// attention.Kind, gen.Kind) are each one names table and thin methods over
// these functions, so that every enumeration prints, parses and refuses
// alike. Cost: O(len(names)) per Parse.
package enum

import (
	"fmt"
	"strings"
)

// String is names[v], or "Type(v)" for a value without a name.
func String[T ~uint8](names []string, typ string, v T) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", typ, uint8(v))
}

// Parse finds s among names, ignoring case and surrounding space. The
// error names what was given and lists what is allowed: `unknown index
// "kd" (want auto, tree or scan)`.
func Parse[T ~uint8](names []string, what, s string) (T, error) {
	t := strings.TrimSpace(s)
	for i, n := range names {
		if strings.EqualFold(t, n) {
			return T(i), nil
		}
	}
	return 0, fmt.Errorf("unknown %s %q (want %s)", what, s, List(names))
}

// Text is v's name as bytes; a value without a name is an error.
func Text[T ~uint8](names []string, what string, v T) ([]byte, error) {
	if int(v) >= len(names) {
		return nil, fmt.Errorf("invalid %s %d", what, uint8(v))
	}
	return []byte(names[v]), nil
}

// Unmarshal parses b into *dst; on error *dst is unchanged.
func Unmarshal[T ~uint8](names []string, what string, b []byte, dst *T) error {
	v, err := Parse[T](names, what, string(b))
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// List writes names as "a, b or c".
func List(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
