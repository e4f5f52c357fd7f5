package attention

import (
	"math"
	"slices"
	"testing"

	"github.com/hsrviz/hsrviz/internal/fuzzdata"
)

// FuzzSketchCandidates: the int8 sketch's filter against the exact set.
// Keys, query, threshold and visible prefix come from the fuzzer (small
// integers and halves, or full float64 bit patterns for the quantiser's
// edge cases); the filter, with the assembly kernel where the CPU has it
// and with the portable one, must return exactly the keys j < lim with
// dot(q, k_j) > c, its candidates (Stats.Reported) a superset of them, or
// refuse the query (then the index answers). The ReLU^α form of the filter
// must keep exactly the keys with a positive weight.
//
//	go test -run '^$' -fuzz FuzzSketchCandidates ./attention
func FuzzSketchCandidates(f *testing.F) {
	f.Add([]byte{3, 0, 5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24})
	f.Add([]byte{8, 1, 0, 3, 200, 100, 50, 25, 12, 6, 3, 1, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 250, 251, 252})
	f.Add(append([]byte{65, 0, 128, 7}, make([]byte, 600)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 {
			return
		}
		d := 1 + int(data[0])%70
		wide := data[1]&1 == 1
		cPick := data[2]
		limPick := data[3]
		data = data[4:]
		rdr := fuzzdata.Reader{Data: data, Wide: wide}
		q := make([]float64, d)
		if !rdr.Floats(q) {
			return
		}
		var keys []float64
		for len(keys) < 4096*d {
			x := make([]float64, d)
			if !rdr.Floats(x) {
				break
			}
			keys = append(keys, x...)
		}
		n := len(keys) / d
		if n == 0 {
			return
		}
		dots := make([]float64, n)
		for j := range dots {
			dots[j] = dot(q, keys[j*d:(j+1)*d])
			if math.IsNaN(dots[j]) || math.IsInf(dots[j], 0) {
				return // refused upstream (checkScore)
			}
		}
		// The threshold: at, just below or just above a real dot product
		// (the hardest cases for the certified bound), or far below all.
		v := dots[int(cPick)%n]
		c := []float64{v, math.Nextafter(v, math.Inf(-1)), math.Nextafter(v, math.Inf(1)), -math.MaxFloat64}[int(cPick>>6)]
		lim := 1 + int(limPick)%n
		var want []int
		for j := 0; j < lim; j++ {
			if dots[j] > c {
				want = append(want, j)
			}
		}
		defer func(a, b bool, m int) { useSketch, useQKernel, sketchMinDim = a, b, m }(useSketch, useQKernel, sketchMinDim)
		for _, k := range []bool{true, false} {
			if k && !hasKernel {
				continue
			}
			useSketch, useQKernel, sketchMinDim = true, k, 1
			s := store{d: d, dv: 1, n: n, keys: keys, vals: make([]float64, n), sk: newSketch(d)}
			for j := 0; j < n; j++ {
				s.sk.add(keys[j*d : (j+1)*d])
			}
			var w work
			st, nseg, ok := s.filter(q, c, lim, 2, &w, nil)
			if !ok {
				continue
			}
			var got []int
			for _, g := range w.seg[:nseg] {
				got = append(got, g.ids...)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("asm=%v d=%d n=%d lim=%d c=%v: got %v, want %v", k, d, n, lim, c, got, want)
			}
			if st.Reported < len(want) {
				t.Fatalf("asm=%v: %d candidates for %d keys", k, st.Reported, len(want))
			}
			// ReLU^α with b = c (unscaled): the keys with a positive weight.
			p := Params{Kind: ReLU, Alpha: 1, B: c, Unscaled: true}
			if _, nseg, ok := s.filter(q, c, lim, 2, &w, &p); ok {
				got = got[:0]
				for _, g := range w.seg[:nseg] {
					got = append(got, g.ids...)
				}
				var pos []int
				for _, j := range want {
					if reluWeight(dots[j], 1, c, 1, false) > 0 {
						pos = append(pos, j)
					}
				}
				if !slices.Equal(got, pos) {
					t.Fatalf("asm=%v relu d=%d lim=%d c=%v: got %v, want %v", k, d, lim, c, got, pos)
				}
			}
		}
	})
}
