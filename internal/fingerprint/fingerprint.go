// Package fingerprint names a slice of float64s by the SHA-256 of its bits:
// two programs that print the same fingerprint for their keys hold the same
// keys, bit for bit (the tests of attention/gen, the visualizer and
// hsrbench compare data this way).
//
// It is its own package, outside attention/gen, so that programs using the
// generator do not link crypto/sha256: its package initialisation brings
// the FIPS 140 module along (the DRBG, AES, SHA-2/3, HMAC), 277 KB of the
// browser app's wasm and 69 KB gzipped, for a function only tests call.
package fingerprint

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
)

// Of is the SHA-256 of x's float64 bits (little-endian, in order), in hex.
func Of(x []float64) string {
	h := sha256.New()
	var b [8]byte
	for _, v := range x {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
