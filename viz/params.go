package viz

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/hsr"
)

// Params is the whole state of a picture: a URL hash (Hash / ParseHash)
// reproduces it exactly, seed included. The JSON names are the public names
// used by the JS API, the URL hash and the desktop flags.
type Params struct {
	N      int            `json:"n"`       // keys (log steps in the UI)
	D      int            `json:"d"`       // dimension of queries and keys
	M      int            `json:"m"`       // queries shown in the heatmap
	B      float64        `json:"b"`       // ReLU threshold (score units)
	PaperB bool           `json:"paper_b"` // b follows σ̂·sqrt(0.4 ln n), σ̂ the measured spread of the scores (thresholds.go)
	Alpha  int            `json:"alpha"`   // ReLU^α exponent
	Sigma  float64        `json:"sigma"`   // entries of Q and K are N(0, σ²) (before the data kind's shaping)
	Seed   uint64         `json:"seed"`
	Data   gen.Kind       `json:"data"`  // gaussian | decaying | massive | clustered (attention/gen)
	Kind   attention.Kind `json:"kind"`  // relu | softmax
	Gamma  float64        `json:"gamma"` // softmax top-r: r = n^γ rounded to the nearest integer
	Index  hsr.IndexKind  `json:"index"` // tree | scan | auto
	Query  int            `json:"query"` // which query row the geometry/tree panels show
	Speed  float64        `json:"speed"` // animation steps per second
	// Controls hides the control column when false (embedding in a lesson
	// page, as TensorFlow Playground does); keys still work.
	Controls bool `json:"controls"`
	// Lesson is the open chapter's id ("" = free play); Panel shows one
	// panel alone filling the page ("" = all); Freeze ignores input but the
	// lesson card's Next/Back (embedding). See lesson_app.go.
	Lesson string `json:"lesson"`
	Panel  string `json:"panel"`
	Freeze bool   `json:"freeze"`
	// How b is chosen and what panel 6 shows (thresholds.go): Share > 0
	// sets b so that this share of keys is reported per row (0: off); Tau
	// is how softmax keeps its keys (top r = n^γ, or every key ≥ b); Hist
	// is panel 6's view (the counts per row, or the score distribution).
	Share float64  `json:"share"`
	Tau   TauMode  `json:"tau"`
	Hist  HistMode `json:"hist"`
	// custom is the loaded .npy files while any are loaded (custom.go):
	// data "custom" is valid only with them; no link or JSON carries them.
	custom *Tensors
	// Text scales every text and the layout around it (projectors): 1 is
	// the default sizes, 0.75…3 (textscale.go).
	Text float64 `json:"text"`
	// QVec is a query dragged by hand (d = 2): "i:x,y" replaces row i of Q
	// by (x, y); "" is the generated queries only (querydrag.go).
	QVec string `json:"qvec"`
}

// Limits of the parameters. MaxND bounds the key matrix (n·d float64s,
// three times: the generated keys the engines share, the scan's copy and
// the tree's copy in leaf order) so that the browser stays usable.
const (
	MinN     = 64
	MaxN     = 1 << 20
	MaxD     = 128
	MaxM     = 256
	MaxND    = 1 << 22
	MaxAlpha = 8
	MinSigma = 0.1 // below, the scores shrink to a dot on screen
	MaxSigma = 10.0
	MaxAbsB  = 1e6 // scores of massive data reach hundreds: the measured b must fit
	MinSpeed = 0.25
	MaxSpeed = 240.0
)

// names lists the String forms of a registry's values (the select
// widgets' options, the flags' help).
func names[T fmt.Stringer](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}

// DataNames, KindNames and IndexNames are the names of the allowed values
// of the enumerated fields, from their registries (gen.Kinds,
// attention.Kinds, hsr.IndexKinds).
func DataNames() []string  { return names(gen.Kinds()) }
func KindNames() []string  { return names(attention.Kinds()) }
func IndexNames() []string { return names(hsr.IndexKinds()) }

// DefaultParams is the opening picture: d = 2, where the geometry is exact
// and the tree's boxes can be drawn, at the paper's threshold.
func DefaultParams() Params {
	p := Params{N: 4096, D: 2, M: 32, PaperB: true, Alpha: 2, Sigma: 1, Seed: 1,
		Data: gen.Gaussian, Kind: attention.ReLU, Gamma: 0.5, Index: hsr.IndexTree, Query: 0, Speed: 6, Controls: true, Text: 1}
	p.B = p.paperB()
	return p
}

// paperB is the paper's threshold for p's n and σ if the scores had the
// spread σ_s = σ² of isotropic N(0, σ²) queries and keys: a placeholder
// until the App has measured the real spread σ̂ and set b =
// PaperThreshold(n, σ̂) (thresholds.go, App.paperBAt).
func (p Params) paperB() float64 {
	return attention.PaperThreshold(p.N, attention.ScoreSigma(p.Sigma, p.D, false))
}

// TopR is the number of keys the softmax keeps per row at p's n and γ:
// attention.TopRFromGamma.
func (p Params) TopR() int { return attention.TopRFromGamma(p.N, p.Gamma) }

func oneOf(v string, set []string) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}

// Validate returns an error naming the first bad field and its allowed range.
func (p Params) Validate() error {
	if p.Data == gen.Custom {
		return p.validateCustom() // n, d, m from the files (custom.go)
	}
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case p.N < MinN || p.N > MaxN:
		return fmt.Errorf("n must be in %d…%d (got %d)", MinN, MaxN, p.N)
	case p.D < 1 || p.D > MaxD:
		return fmt.Errorf("d must be in 1…%d (got %d)", MaxD, p.D)
	case p.N*p.D > MaxND:
		// Checked before anything is allocated: the keys are kept three
		// times (gen's, the scan's, the tree's), 24 bytes per entry.
		return fmt.Errorf("n·d must be ≤ %d to fit in memory (got n=%d, d=%d: %d, about %d MB of keys; the cap is about %d MB); lower n or d",
			MaxND, p.N, p.D, p.N*p.D, int64(p.N)*int64(p.D)*24>>20, int64(MaxND)*24>>20)
	case p.M < 1 || p.M > MaxM:
		return fmt.Errorf("m must be in 1…%d (got %d)", MaxM, p.M)
	case !finite(p.Sigma) || p.Sigma < MinSigma || p.Sigma > MaxSigma:
		return fmt.Errorf("sigma must be in %g…%g (got %v)", MinSigma, MaxSigma, p.Sigma)
	case !finite(p.B) || math.Abs(p.B) > MaxAbsB:
		return fmt.Errorf("b must be a finite number in −%g…%g (got %v)", MaxAbsB, MaxAbsB, p.B)
	case p.Alpha < 1 || p.Alpha > MaxAlpha:
		return fmt.Errorf("alpha must be an integer in 1…%d (got %d)", MaxAlpha, p.Alpha)
	case !oneOf(p.Data.String(), DataNames()):
		return fmt.Errorf("data must be one of %s (got %v)", strings.Join(DataNames(), ", "), p.Data)
	case !oneOf(p.Kind.String(), KindNames()):
		return fmt.Errorf("kind must be one of %s (got %v)", strings.Join(KindNames(), ", "), p.Kind)
	case !finite(p.Gamma) || p.Gamma <= 0 || p.Gamma > 1:
		return fmt.Errorf("gamma must be in (0, 1] (got %v)", p.Gamma)
	case !p.Index.Valid():
		return fmt.Errorf("index must be one of %s (got %v)", strings.Join(IndexNames(), ", "), p.Index)
	case p.Query < 0 || p.Query >= p.M:
		return fmt.Errorf("query must be in 0…m−1 = 0…%d (got %d)", p.M-1, p.Query)
	case !finite(p.Speed) || p.Speed < MinSpeed || p.Speed > MaxSpeed:
		return fmt.Errorf("speed must be in %g…%g steps/s (got %v)", MinSpeed, MaxSpeed, p.Speed)
	case !finite(p.Text) || p.Text < MinText || p.Text > MaxText:
		return fmt.Errorf("text must be in %g…%g (a text-size scale, 1 = default; got %v)", MinText, MaxText, p.Text)
	}
	if err := p.validQVec(); err != nil {
		return err
	}
	if err := p.validateLesson(); err != nil {
		return err
	}
	return p.validateThreshold()
}

// normalize keeps derived fields consistent. With PaperB or a Share the
// threshold depends on the data: the App measures it and sets B once the
// keys and queries exist (thresholds.go, App.applyThreshold); until then B
// keeps its last value, a placeholder nothing is computed with.
func (p *Params) normalize() {
	p.normalizeHover()
}

// hashOrder is the field order of Hash (stable, readable).
var hashOrder = []string{"n", "d", "m", "b", "paper_b", "alpha", "sigma", "seed", "data", "kind", "gamma", "index", "query", "speed", "controls", "lesson", "panel", "freeze", "share", "tau", "hist", "text", "qvec"}

func (p Params) fields() map[string]string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	return map[string]string{
		"n": strconv.Itoa(p.N), "d": strconv.Itoa(p.D), "m": strconv.Itoa(p.M),
		"b": f(p.B), "paper_b": strconv.FormatBool(p.PaperB), "alpha": strconv.Itoa(p.Alpha),
		"sigma": f(p.Sigma), "seed": strconv.FormatUint(p.Seed, 10), "data": p.Data.String(), "kind": p.Kind.String(),
		"gamma": f(p.Gamma), "index": p.Index.String(), "query": strconv.Itoa(p.Query), "speed": f(p.Speed),
		"controls": strconv.FormatBool(p.Controls),
		"lesson":   p.Lesson, "panel": p.Panel, "freeze": strconv.FormatBool(p.Freeze),
		"share": f(p.Share), "tau": p.Tau.String(), "hist": p.Hist.String(),
		"text": f(p.Text), "qvec": p.QVec,
	}
}

// Hash encodes every field as "n=4096&d=2&…" (TensorFlow-Playground style,
// without the leading '#'). ParseHash(p.Hash()) == p for every valid p.
func (p Params) Hash() string {
	f := p.fields()
	var b strings.Builder
	for i, k := range hashOrder {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(f[k]))
	}
	return b.String()
}

// ParseHash decodes a hash made by Hash (a leading '#' is allowed). Missing
// fields take their DefaultParams value; unknown keys, repeated keys and bad
// values are errors naming them. The result is validated.
func ParseHash(h string) (Params, error) {
	h = strings.TrimPrefix(strings.TrimSpace(h), "#")
	p := DefaultParams()
	if h == "" {
		return p, nil
	}
	vals, err := url.ParseQuery(h)
	if err != nil {
		return Params{}, fmt.Errorf("hash: %v", err)
	}
	if v := vals["lesson"]; len(v) == 1 {
		p = withChapter(p, v[0]) // the chapter first, the link's other fields over it
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := vals[k]
		if len(v) != 1 {
			return Params{}, fmt.Errorf("hash: %q given %d times", k, len(v))
		}
		if err := p.setField(k, v[0]); err != nil {
			return Params{}, fmt.Errorf("hash: %v", err)
		}
	}
	// An explicit b in a hand-written hash wins over the default paper_b.
	p.impliedThreshold(func(k string) bool { _, ok := vals[k]; return ok })
	p.normalize()
	if err := p.Validate(); err != nil {
		return Params{}, fmt.Errorf("hash: %v", err)
	}
	return p, nil
}

// PatchHash applies the fields of a URL hash (a leading '#' allowed) to
// base, as a patch: a hash that names a few fields changes only those. A
// field that does not parse, or whose value makes the parameters invalid,
// is left out and named in the error, every one of them, in the hash's
// order; the good fields are applied all the same. The result is always
// valid. An explicit b without paper_b turns the paper threshold off.
func PatchHash(base Params, h string) (Params, error) {
	h = strings.TrimPrefix(strings.TrimSpace(h), "#")
	type field struct{ k, v string }
	var fields []field
	var errs []string
	seen := map[string]bool{}
	for _, part := range strings.Split(h, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, err1 := url.QueryUnescape(k)
		v, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			errs = append(errs, fmt.Sprintf("%q: not URL-encoded text", part))
			continue
		}
		if seen[k] {
			errs = append(errs, fmt.Sprintf("%q given more than once (the first is used)", k))
			continue
		}
		seen[k] = true
		fields = append(fields, field{k, v})
	}
	// Parse every field alone, then apply the good ones together; if the
	// set is invalid as a whole, apply them one by one and drop each that
	// makes the parameters invalid.
	for _, f := range fields {
		if f.k == "lesson" {
			base = withChapter(base, f.v) // the chapter first, the link's other fields over it
		}
	}
	var good []field
	for _, f := range fields {
		q := base
		if err := q.setField(f.k, f.v); err != nil {
			errs = append(errs, err.Error())
			continue
		}
		good = append(good, f)
	}
	apply := func(p Params, f field) Params {
		m, old := p.M, p
		_ = p.setField(f.k, f.v)
		if f.k == "data" {
			p = p.customSwitch(old, func(k string) bool { return seen[k] })
		}
		if f.k == "b" || f.k == "share" || f.k == "paper_b" {
			p.impliedThreshold(func(k string) bool { return seen[k] })
		}
		if f.k == "m" && p.M != m && p.Query >= p.M && !seen["query"] {
			p.Query = p.M - 1 // shrinking m keeps the selected query valid
		}
		return p
	}
	// normalized: b follows n and σ only once every field is in (a hash
	// lists b before paper_b).
	normalized := func(p Params) Params { p.normalize(); return p }
	p := base
	for _, f := range good {
		p = apply(p, f)
	}
	if normalized(p).Validate() != nil {
		p = base
		for _, f := range good {
			q := apply(p, f)
			if err := normalized(q).Validate(); err != nil {
				errs = append(errs, fmt.Sprintf("%s=%s: %v", f.k, f.v, err))
				continue
			}
			p = q
		}
	}
	p = normalized(p)
	if len(errs) > 0 {
		return p, fmt.Errorf("hash: %s", strings.Join(errs, "; "))
	}
	return p, nil
}

// sortedKeys returns m's keys in order (messages name fields predictably).
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// setField parses one textual field value into p.
func (p *Params) setField(k, v string) error {
	bad := func(want string) error { return fmt.Errorf("%s: bad value %q (want %s)", k, v, want) }
	atoi := func(dst *int) error {
		x, err := strconv.Atoi(v)
		if err != nil {
			return bad("an integer")
		}
		*dst = x
		return nil
	}
	atof := func(dst *float64) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("a finite number")
		}
		*dst = x
		return nil
	}
	atob := func(dst *bool) error {
		x, err := strconv.ParseBool(v)
		if err != nil {
			return bad("true or false")
		}
		*dst = x
		return nil
	}
	switch k {
	case "n":
		return atoi(&p.N)
	case "d":
		return atoi(&p.D)
	case "m":
		return atoi(&p.M)
	case "b":
		return atof(&p.B)
	case "paper_b":
		return atob(&p.PaperB)
	case "alpha":
		return atoi(&p.Alpha)
	case "sigma":
		return atof(&p.Sigma)
	case "seed":
		x, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return bad("a non-negative integer")
		}
		p.Seed = x
	case "data":
		return parseInto(&p.Data, gen.ParseKind, v, bad(strings.Join(DataNames(), ", ")))
	case "kind":
		return parseInto(&p.Kind, attention.ParseKind, v, bad(strings.Join(KindNames(), ", ")))
	case "gamma":
		return atof(&p.Gamma)
	case "index":
		return parseInto(&p.Index, hsr.ParseIndexKind, v, bad(strings.Join(IndexNames(), ", ")))
	case "query":
		return atoi(&p.Query)
	case "speed":
		return atof(&p.Speed)
	case "controls":
		return atob(&p.Controls)
	case "lesson", "panel":
		return p.setLessonField(k, v)
	case "freeze":
		return atob(&p.Freeze)
	case "share":
		return atof(&p.Share)
	case "tau":
		return parseInto(&p.Tau, ParseTauMode, v, bad(strings.Join(TauNames(), ", ")))
	case "hist":
		return parseInto(&p.Hist, ParseHistMode, v, bad(strings.Join(HistNames(), ", ")))
	case "text":
		return atof(&p.Text)
	case "qvec":
		p.QVec = v
	default:
		return fmt.Errorf("unknown parameter %q (known: %s)", k, strings.Join(hashOrder, ", "))
	}
	return nil
}

// parseInto sets *dst to parse(v), or returns bad (the message naming the
// field) and leaves *dst as it was.
func parseInto[T any](dst *T, parse func(string) (T, error), v string, bad error) error {
	x, err := parse(v)
	if err != nil {
		return bad
	}
	*dst = x
	return nil
}

// applyPatch returns p with the JSON object patch applied ({"b": 1.2}).
// Unknown fields, wrong types and invalid results are errors; p is not
// modified. Setting b without paper_b turns the paper threshold off.
func (p Params) applyPatch(patch []byte) (Params, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(patch, &raw); err != nil {
		return p, fmt.Errorf("params: patch must be a JSON object: %v", err)
	}
	for _, k := range sortedKeys(raw) {
		if !oneOf(k, hashOrder) {
			return p, fmt.Errorf("params: unknown parameter %q (known: %s)", k, strings.Join(hashOrder, ", "))
		}
		if bytes.Equal(bytes.TrimSpace(raw[k]), []byte("null")) {
			// JSON has no NaN or Infinity: JavaScript's JSON.stringify
			// turns them (and undefined in arrays) into null.
			return p, fmt.Errorf("params: %s: null is not a value (NaN, Infinity and null are refused; give a finite number, or a name for data, kind and index)", k)
		}
	}
	q := p
	if v, ok := raw["lesson"]; ok {
		var id string
		if json.Unmarshal(v, &id) == nil {
			q = withChapter(q, id) // the chapter first, the patch's other fields over it
		}
	}
	dec := json.NewDecoder(bytes.NewReader(patch))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return p, fmt.Errorf("params: %v", err)
	}
	q.impliedThreshold(func(k string) bool { _, ok := raw[k]; return ok })
	q = q.customSwitch(p, func(k string) bool { _, ok := raw[k]; return ok })
	if _, ok := raw["m"]; ok && q.Query >= q.M && q.M >= 1 {
		if _, ok := raw["query"]; !ok {
			q.Query = q.M - 1 // shrinking m keeps the selected query valid
		}
	}
	q.normalize()
	if err := q.Validate(); err != nil {
		return p, fmt.Errorf("params: %v", err)
	}
	return q, nil
}
