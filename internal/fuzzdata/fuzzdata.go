// Package fuzzdata turns a fuzzer's bytes into the numbers the engine's
// fuzz targets feed their indexes: either whole float64 bit patterns
// (every finite value the format has, extremes included) or small halves
// (−64 … 63.5, where exact ties on a boundary are common). Non-finite
// patterns become 0: the engine refuses them before any index sees them.
package fuzzdata

import (
	"encoding/binary"
	"math"
)

// Reader reads numbers off the front of Data.
type Reader struct {
	Data []byte
	Wide bool // float64 bit patterns (8 bytes each), else int8/2 (1 byte)
}

// Float returns the next number, or false when the bytes run out.
func (r *Reader) Float() (float64, bool) {
	if r.Wide {
		if len(r.Data) < 8 {
			return 0, false
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(r.Data))
		r.Data = r.Data[8:]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		return v, true
	}
	if len(r.Data) < 1 {
		return 0, false
	}
	v := float64(int8(r.Data[0])) / 2
	r.Data = r.Data[1:]
	return v, true
}

// Floats fills x, or returns false when the bytes run out.
func (r *Reader) Floats(x []float64) bool {
	for i := range x {
		v, ok := r.Float()
		if !ok {
			return false
		}
		x[i] = v
	}
	return true
}
