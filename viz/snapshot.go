package viz

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"
)

// Numbers is every number on screen by name (Snapshot().Numbers). A
// number that does not exist for the setting shown (a slope fitted to
// fewer than two sizes, a ratio of nothing) is NaN in Go and null in JSON,
// never a JSON error: Snapshot.None says why it is none.
type Numbers map[string]float64

// MarshalJSON writes the numbers in name order, each non-finite one as null.
func (n Numbers) MarshalJSON() ([]byte, error) {
	names := make([]string, 0, len(n))
	for k := range n {
		names = append(names, k)
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(k)
		b.Write(key)
		b.WriteByte(':')
		v := n[k]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b.WriteString("null")
			continue
		}
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads numbers written by MarshalJSON: null is NaN.
func (n *Numbers) UnmarshalJSON(data []byte) error {
	var raw map[string]*float64
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*n = make(Numbers, len(raw))
	for k, v := range raw {
		if v == nil {
			(*n)[k] = math.NaN()
		} else {
			(*n)[k] = *v
		}
	}
	return nil
}
