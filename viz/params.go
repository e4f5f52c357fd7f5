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
)

// Params is the whole state of a picture: a URL hash (Hash / ParseHash)
// reproduces it exactly, seed included. The JSON names are the public names
// used by the JS API, the URL hash and the desktop flags.
type Params struct {
	N      int     `json:"n"`       // keys (log steps in the UI)
	D      int     `json:"d"`       // dimension of queries and keys
	M      int     `json:"m"`       // queries shown in the heatmap
	B      float64 `json:"b"`       // ReLU threshold (score units)
	PaperB bool    `json:"paper_b"` // b follows σ_s·sqrt(0.4 ln n), σ_s = σ²
	Alpha  int     `json:"alpha"`   // ReLU^α exponent
	Sigma  float64 `json:"sigma"`   // entries of Q and K are N(0, σ²) (before the data kind's shaping)
	Seed   uint64  `json:"seed"`
	Data   string  `json:"data"`  // gaussian | decaying | massive | clustered
	Kind   string  `json:"kind"`  // relu | softmax
	Gamma  float64 `json:"gamma"` // softmax top-r: r = n^γ rounded up
	Index  string  `json:"index"` // tree | scan | auto
	Query  int     `json:"query"` // which query row the geometry/tree panels show
	Speed  float64 `json:"speed"` // animation steps per second
	// Controls hides the control column when false (embedding in a lesson
	// page, as TensorFlow Playground does); keys still work.
	Controls bool `json:"controls"`
}

// Limits of the parameters. MaxND bounds the key matrix (n·d float64s, twice:
// the scan and the tree each keep a copy) so that the browser stays usable.
const (
	MinN     = 64
	MaxN     = 1 << 20
	MaxD     = 128
	MaxM     = 256
	MaxND    = 1 << 22
	MaxAlpha = 8
	MaxSigma = 10.0
	MaxAbsB  = 100.0
	MinSpeed = 0.25
	MaxSpeed = 240.0
)

// DataKinds, Kinds and IndexKinds are the allowed values of the string fields.
var (
	DataKinds  = []string{"gaussian", "decaying", "massive", "clustered"}
	Kinds      = []string{"relu", "softmax"}
	IndexKinds = []string{"tree", "scan", "auto"}
)

// DefaultParams is the opening picture: d = 2, where the geometry is exact
// and the tree's boxes can be drawn, at the paper's threshold.
func DefaultParams() Params {
	p := Params{N: 4096, D: 2, M: 32, PaperB: true, Alpha: 2, Sigma: 1, Seed: 1,
		Data: "gaussian", Kind: "relu", Gamma: 0.5, Index: "tree", Query: 0, Speed: 6, Controls: true}
	p.B = PaperThreshold(p.N, p.Sigma)
	return p
}

// PaperThreshold is the paper's b = σ_s·sqrt(0.4 ln n) with σ_s = σ² (the
// standard deviation of a score <q,k>/sqrt(d) for N(0, σ²) entries): the
// expected number of keys per row above it is at most n^(4/5).
func PaperThreshold(n int, sigma float64) float64 {
	return sigma * sigma * math.Sqrt(0.4*math.Log(float64(n)))
}

// TopR is r = n^γ rounded up, clamped to [1, n], the number of keys kept per row by
// the softmax top-r approximation.
func TopR(n int, gamma float64) int {
	r := int(math.Ceil(math.Pow(float64(n), gamma) - 1e-9))
	if r < 1 {
		r = 1
	}
	if r > n {
		r = n
	}
	return r
}

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
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case p.N < MinN || p.N > MaxN:
		return fmt.Errorf("n must be in %d…%d (got %d)", MinN, MaxN, p.N)
	case p.D < 1 || p.D > MaxD:
		return fmt.Errorf("d must be in 1…%d (got %d)", MaxD, p.D)
	case p.N*p.D > MaxND:
		return fmt.Errorf("n·d must be ≤ %d to fit in memory (got n=%d, d=%d: %d); lower n or d", MaxND, p.N, p.D, p.N*p.D)
	case p.M < 1 || p.M > MaxM:
		return fmt.Errorf("m must be in 1…%d (got %d)", MaxM, p.M)
	case !finite(p.B) || math.Abs(p.B) > MaxAbsB:
		return fmt.Errorf("b must be a finite number in −%g…%g (got %v)", MaxAbsB, MaxAbsB, p.B)
	case p.Alpha < 1 || p.Alpha > MaxAlpha:
		return fmt.Errorf("alpha must be an integer in 1…%d (got %d)", MaxAlpha, p.Alpha)
	case !finite(p.Sigma) || p.Sigma <= 0 || p.Sigma > MaxSigma:
		return fmt.Errorf("sigma must be in (0, %g] (got %v)", MaxSigma, p.Sigma)
	case !oneOf(p.Data, DataKinds):
		return fmt.Errorf("data must be one of %s (got %q)", strings.Join(DataKinds, ", "), p.Data)
	case !oneOf(p.Kind, Kinds):
		return fmt.Errorf("kind must be one of %s (got %q)", strings.Join(Kinds, ", "), p.Kind)
	case !finite(p.Gamma) || p.Gamma <= 0 || p.Gamma > 1:
		return fmt.Errorf("gamma must be in (0, 1] (got %v)", p.Gamma)
	case !oneOf(p.Index, IndexKinds):
		return fmt.Errorf("index must be one of %s (got %q)", strings.Join(IndexKinds, ", "), p.Index)
	case p.Query < 0 || p.Query >= p.M:
		return fmt.Errorf("query must be in 0…m−1 = 0…%d (got %d)", p.M-1, p.Query)
	case !finite(p.Speed) || p.Speed < MinSpeed || p.Speed > MaxSpeed:
		return fmt.Errorf("speed must be in %g…%g steps/s (got %v)", MinSpeed, MaxSpeed, p.Speed)
	}
	return nil
}

// normalize keeps derived fields consistent: with PaperB the threshold
// follows n and σ.
func (p *Params) normalize() {
	if p.PaperB && p.N >= 2 && p.Sigma > 0 {
		p.B = PaperThreshold(p.N, p.Sigma)
	}
}

// hashOrder is the field order of Hash (stable, readable).
var hashOrder = []string{"n", "d", "m", "b", "paper_b", "alpha", "sigma", "seed", "data", "kind", "gamma", "index", "query", "speed", "controls"}

func (p Params) fields() map[string]string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	return map[string]string{
		"n": strconv.Itoa(p.N), "d": strconv.Itoa(p.D), "m": strconv.Itoa(p.M),
		"b": f(p.B), "paper_b": strconv.FormatBool(p.PaperB), "alpha": strconv.Itoa(p.Alpha),
		"sigma": f(p.Sigma), "seed": strconv.FormatUint(p.Seed, 10), "data": p.Data, "kind": p.Kind,
		"gamma": f(p.Gamma), "index": p.Index, "query": strconv.Itoa(p.Query), "speed": f(p.Speed),
		"controls": strconv.FormatBool(p.Controls),
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
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	bSet, paperSet := false, false
	for _, k := range keys {
		v := vals[k]
		if len(v) != 1 {
			return Params{}, fmt.Errorf("hash: %q given %d times", k, len(v))
		}
		if err := p.setField(k, v[0]); err != nil {
			return Params{}, fmt.Errorf("hash: %v", err)
		}
		bSet = bSet || k == "b"
		paperSet = paperSet || k == "paper_b"
	}
	if bSet && !paperSet {
		p.PaperB = false // an explicit b in a hand-written hash wins over the default paper_b
	}
	p.normalize()
	if err := p.Validate(); err != nil {
		return Params{}, fmt.Errorf("hash: %v", err)
	}
	return p, nil
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
		p.Data = v
	case "kind":
		p.Kind = v
	case "gamma":
		return atof(&p.Gamma)
	case "index":
		p.Index = v
	case "query":
		return atoi(&p.Query)
	case "speed":
		return atof(&p.Speed)
	case "controls":
		return atob(&p.Controls)
	default:
		return fmt.Errorf("unknown parameter %q (known: %s)", k, strings.Join(hashOrder, ", "))
	}
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
	for k := range raw {
		if !oneOf(k, hashOrder) {
			return p, fmt.Errorf("params: unknown parameter %q (known: %s)", k, strings.Join(hashOrder, ", "))
		}
	}
	q := p
	dec := json.NewDecoder(bytes.NewReader(patch))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return p, fmt.Errorf("params: %v", err)
	}
	if _, ok := raw["b"]; ok {
		if _, ok := raw["paper_b"]; !ok {
			q.PaperB = false
		}
	}
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
