package fuzzdata

import (
	"encoding/binary"
	"math"
	"testing"
)

func TestReader(t *testing.T) {
	r := Reader{Data: []byte{0x80, 0x7f, 2}}
	var x [3]float64
	if !r.Floats(x[:]) || x != [3]float64{-64, 63.5, 1} {
		t.Errorf("narrow: %v", x)
	}
	if _, ok := r.Float(); ok {
		t.Error("read past the end")
	}
	b := make([]byte, 16)
	binary.LittleEndian.PutUint64(b, math.Float64bits(-2.5e300))
	binary.LittleEndian.PutUint64(b[8:], math.Float64bits(math.NaN()))
	r = Reader{Data: b, Wide: true}
	if v, ok := r.Float(); !ok || v != -2.5e300 {
		t.Errorf("wide: %v %v", v, ok)
	}
	if v, ok := r.Float(); !ok || v != 0 {
		t.Errorf("NaN pattern: %v %v, want 0", v, ok)
	}
	if r.Floats(make([]float64, 1)) {
		t.Error("Floats past the end")
	}
}
