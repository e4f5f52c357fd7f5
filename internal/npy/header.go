package npy

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// Header is what a .npy file says about its array.
type Header struct {
	Major, Minor int    // format version: 1.0, 2.0 or 3.0
	Descr        string // the dtype as written, e.g. "<f8"
	Fortran      bool   // column-major data
	Shape        []int  // the array's shape as written (1-D arrays are read as one row)
	DataOffset   int    // bytes before the data: magic, version, length and header
}

// dtype is a decoded descr: how to turn itemSize bytes into one float64.
type dtype struct {
	kind     byte // 'f', 'i', 'u' or 'b'
	itemSize int
	order    binary.ByteOrder
}

// parseDescr decodes a NumPy type string such as "<f8", ">i4" or "|b1".
func parseDescr(s string) (dtype, error) {
	var dt dtype
	rest := s
	dt.order = binary.NativeEndian
	if rest != "" {
		switch rest[0] {
		case '<':
			dt.order = binary.LittleEndian
			rest = rest[1:]
		case '>':
			dt.order = binary.BigEndian
			rest = rest[1:]
		case '=', '|':
			rest = rest[1:]
		}
	}
	if rest == "" {
		return dt, fmt.Errorf("dtype %s is not a NumPy type string", short(s))
	}
	kind := rest[0]
	size, err := strconv.Atoi(rest[1:])
	if rest[1:] == "" {
		size, err = 0, nil
	}
	what := ""
	switch kind {
	case 'c':
		what = "complex"
	case 'O':
		what = "object"
	case 'S', 'a', 'U':
		what = "string"
	case 'V':
		what = "void/structured"
	case 'M', 'm':
		what = "datetime/timedelta"
	}
	if what != "" {
		return dt, fmt.Errorf("dtype %s (%s) is not supported: save the array as float64 or float32", short(s), what)
	}
	if err != nil || size <= 0 || strings.ContainsAny(rest[1:], "+- _") {
		return dt, fmt.Errorf("dtype %s is not a NumPy type string", short(s))
	}
	dt.kind, dt.itemSize = kind, size
	ok := false
	switch kind {
	case 'f':
		ok = size == 2 || size == 4 || size == 8
		if size > 8 {
			return dt, fmt.Errorf("dtype %s (long double) is not supported: save the array as float64", short(s))
		}
	case 'i', 'u':
		ok = size == 1 || size == 2 || size == 4 || size == 8
	case 'b':
		ok = size == 1
	}
	if !ok {
		return dt, fmt.Errorf("dtype %s is not supported (supported: float16/32/64, int8..int64, uint8..uint64, bool)", short(s))
	}
	return dt, nil
}

// The header dict is a Python literal; NumPy reads it with ast.literal_eval.
// pyValue is the subset of Python literals such a header can hold.
type pyKind uint8

const (
	pyStr pyKind = iota
	pyInt
	pyBool
	pyNone
	pyTuple
	pyList
	pyDict
)

type pyValue struct {
	kind  pyKind
	str   string // pyStr; pyInt: the digits, sign included
	b     bool
	items []pyValue // pyTuple, pyList
	keys  []pyValue // pyDict, parallel to items
}

func (v pyValue) describe() string {
	switch v.kind {
	case pyStr:
		return "a string"
	case pyInt:
		return "an integer"
	case pyBool:
		return "a boolean"
	case pyNone:
		return "None"
	case pyTuple:
		return "a tuple"
	case pyList:
		return "a list"
	default:
		return "a dict"
	}
}

// maxDepth bounds nesting so that a hostile header cannot exhaust the stack.
const maxDepth = 16

type pyParser struct {
	s   string
	pos int
}

func (p *pyParser) errorf(format string, args ...any) error {
	return fmt.Errorf("malformed header at byte %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *pyParser) skipSpace() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			p.pos++
		default:
			return
		}
	}
}

func (p *pyParser) peek() byte {
	p.skipSpace()
	if p.pos >= len(p.s) {
		return 0
	}
	return p.s[p.pos]
}

func (p *pyParser) value(depth int) (pyValue, error) {
	if depth > maxDepth {
		return pyValue{}, p.errorf("nested too deeply")
	}
	c := p.peek()
	switch {
	case c == 0:
		return pyValue{}, p.errorf("unexpected end of header")
	case c == '\'' || c == '"':
		s, err := p.str()
		return pyValue{kind: pyStr, str: s}, err
	case c == '(' || c == '[':
		return p.sequence(depth)
	case c == '{':
		return p.dict(depth)
	case c == '-' || c == '+' || (c >= '0' && c <= '9'):
		return p.integer()
	case c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z'):
		start := p.pos
		for p.pos < len(p.s) && (p.s[p.pos] == '_' || p.s[p.pos]|0x20 >= 'a' && p.s[p.pos]|0x20 <= 'z' || p.s[p.pos] >= '0' && p.s[p.pos] <= '9') {
			p.pos++
		}
		switch name := p.s[start:p.pos]; name {
		case "True", "False":
			return pyValue{kind: pyBool, b: name == "True"}, nil
		case "None":
			return pyValue{kind: pyNone}, nil
		default:
			p.pos = start
			return pyValue{}, p.errorf("unexpected name %s", short(name))
		}
	default:
		return pyValue{}, p.errorf("unexpected character %q", c)
	}
}

// str reads a quoted Python string. Escapes that can appear in a dtype or key
// are decoded; any other backslash is kept, as Python keeps unknown escapes.
func (p *pyParser) str() (string, error) {
	q := p.s[p.pos]
	start := p.pos
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == q:
			p.pos++
			return b.String(), nil
		case c == '\n':
			p.pos = start
			return "", p.errorf("string not closed before end of line")
		case c == '\\' && p.pos+1 < len(p.s):
			e := p.s[p.pos+1]
			switch e {
			case '\\', '\'', '"':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
			p.pos += 2
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	p.pos = start
	return "", p.errorf("string not closed")
}

// integer reads a Python int literal (decimal, optional sign, optional
// underscores between digits, optional Python 2 "L" suffix as old NumPy wrote).
func (p *pyParser) integer() (pyValue, error) {
	start := p.pos
	var b strings.Builder
	if c := p.s[p.pos]; c == '-' || c == '+' {
		if c == '-' {
			b.WriteByte('-')
		}
		p.pos++
		p.skipSpace()
	}
	digits := 0
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c >= '0' && c <= '9' {
			b.WriteByte(c)
			digits++
			p.pos++
			continue
		}
		if c == '_' && digits > 0 && p.pos+1 < len(p.s) && p.s[p.pos+1] >= '0' && p.s[p.pos+1] <= '9' {
			p.pos++
			continue
		}
		break
	}
	if digits == 0 {
		p.pos = start
		return pyValue{}, p.errorf("expected a number")
	}
	if p.pos < len(p.s) && (p.s[p.pos] == 'L' || p.s[p.pos] == 'l') {
		p.pos++
	}
	if p.pos < len(p.s) {
		switch c := p.s[p.pos]; {
		case c == '.' || c == 'e' || c == 'E' || c == 'j' || c == 'J' || c == 'x' || c == 'X' || c == '_' ||
			c|0x20 >= 'a' && c|0x20 <= 'z':
			p.pos = start
			return pyValue{}, p.errorf("expected an integer")
		}
	}
	return pyValue{kind: pyInt, str: b.String()}, nil
}

// sequence reads a tuple or a list. "(x)" without a comma is x itself, as in
// Python; "()" is the empty tuple.
func (p *pyParser) sequence(depth int) (pyValue, error) {
	open := p.s[p.pos]
	closing := byte(')')
	kind := pyTuple
	if open == '[' {
		closing, kind = ']', pyList
	}
	p.pos++
	v := pyValue{kind: kind}
	sawComma := false
	for {
		if p.peek() == closing {
			p.pos++
			break
		}
		item, err := p.value(depth + 1)
		if err != nil {
			return pyValue{}, err
		}
		v.items = append(v.items, item)
		switch p.peek() {
		case ',':
			p.pos++
			sawComma = true
		case closing:
		default:
			return pyValue{}, p.errorf("expected ',' or %q", closing)
		}
	}
	if kind == pyTuple && len(v.items) == 1 && !sawComma {
		return v.items[0], nil
	}
	return v, nil
}

func (p *pyParser) dict(depth int) (pyValue, error) {
	p.pos++
	v := pyValue{kind: pyDict}
	for {
		if p.peek() == '}' {
			p.pos++
			return v, nil
		}
		key, err := p.value(depth + 1)
		if err != nil {
			return pyValue{}, err
		}
		if p.peek() != ':' {
			return pyValue{}, p.errorf("expected ':' after a dict key")
		}
		p.pos++
		val, err := p.value(depth + 1)
		if err != nil {
			return pyValue{}, err
		}
		v.keys = append(v.keys, key)
		v.items = append(v.items, val)
		switch p.peek() {
		case ',':
			p.pos++
		case '}':
		default:
			return pyValue{}, p.errorf("expected ',' or '}' in the dict")
		}
	}
}

// parseHeaderDict reads the header text into h's Descr, Fortran and Shape.
func parseHeaderDict(text string, h *Header) error {
	p := &pyParser{s: text}
	if p.peek() != '{' {
		return p.errorf("the header is not a dict (it must start with '{')")
	}
	d, err := p.value(0)
	if err != nil {
		return err
	}
	p.skipSpace()
	if p.pos != len(p.s) {
		// NumPy pads the header with spaces and a newline; a NUL or anything
		// else after the dict means the header is not what NumPy wrote.
		return p.errorf("unexpected %q after the header dict", p.s[p.pos])
	}
	seen := map[string]bool{}
	for i, k := range d.keys {
		if k.kind != pyStr {
			return fmt.Errorf("malformed header: a key is %s, not a string", k.describe())
		}
		if seen[k.str] {
			return fmt.Errorf("malformed header: key %s appears twice", short(k.str))
		}
		seen[k.str] = true
		v := d.items[i]
		switch k.str {
		case "descr":
			switch v.kind {
			case pyStr:
				h.Descr = v.str
			case pyList:
				return fmt.Errorf("structured dtype (descr is a list of fields) is not supported: save a plain 2-D float array")
			default:
				return fmt.Errorf("malformed header: 'descr' is %s, not a string", v.describe())
			}
		case "fortran_order":
			if v.kind != pyBool {
				return fmt.Errorf("malformed header: 'fortran_order' is %s, not True or False", v.describe())
			}
			h.Fortran = v.b
		case "shape":
			if v.kind != pyTuple {
				return fmt.Errorf("malformed header: 'shape' is %s, not a tuple", v.describe())
			}
			h.Shape = make([]int, len(v.items))
			for j, it := range v.items {
				if it.kind != pyInt {
					return fmt.Errorf("malformed header: shape entry %d is %s, not an integer", j, it.describe())
				}
				n, err := strconv.ParseInt(it.str, 10, 64)
				if err != nil {
					return fmt.Errorf("shape %s: dimension %s is too large", formatShapeValues(v.items), shortDigits(it.str))
				}
				if n < 0 {
					return fmt.Errorf("shape %s: dimension %d is negative", formatShapeValues(v.items), n)
				}
				if int64(int(n)) != n {
					return fmt.Errorf("shape %s: dimension %d is too large for this machine", formatShapeValues(v.items), n)
				}
				h.Shape[j] = int(n)
			}
		default:
			return fmt.Errorf("malformed header: unexpected key %s (a .npy header has exactly 'descr', 'fortran_order' and 'shape')", short(k.str))
		}
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return fmt.Errorf("malformed header: key %q is missing", k)
		}
	}
	return nil
}

func formatShapeValues(items []pyValue) string {
	parts := make([]string, 0, min(len(items), maxShapeShown+1))
	for i, it := range items {
		if i == maxShapeShown {
			parts = append(parts, fmt.Sprintf("… %d more", len(items)-i))
			break
		}
		if it.kind != pyInt {
			parts = append(parts, "?")
		} else {
			parts = append(parts, shortDigits(it.str))
		}
	}
	return pyTupleString(parts)
}

// Messages quote what a header holds, but a header may be 1 MiB: quoted
// strings, digit strings and shapes are cut so that an error stays one
// readable line.
const (
	maxQuoted     = 40 // bytes of a string shown
	maxShapeShown = 8  // dimensions of a shape shown
)

// short is s quoted (as %q does), cut to its first maxQuoted bytes with
// its length said when longer.
func short(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(s[:maxQuoted]), len(s))
}

// shortDigits is a run of digits, cut like short but unquoted.
func shortDigits(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	return fmt.Sprintf("%s… (%d digits)", s[:maxQuoted], len(s))
}

// shortShape is FormatShape for messages: at most maxShapeShown dimensions.
func shortShape(shape []int) string {
	if len(shape) <= maxShapeShown {
		return FormatShape(shape)
	}
	parts := make([]string, 0, maxShapeShown+1)
	for _, n := range shape[:maxShapeShown] {
		parts = append(parts, strconv.Itoa(n))
	}
	parts = append(parts, fmt.Sprintf("… %d more", len(shape)-maxShapeShown))
	return pyTupleString(parts)
}

// FormatShape writes a shape as NumPy prints it: (3, 4), (5,), ().
func FormatShape(shape []int) string {
	parts := make([]string, len(shape))
	for i, n := range shape {
		parts[i] = strconv.Itoa(n)
	}
	return pyTupleString(parts)
}

func pyTupleString(parts []string) string {
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
