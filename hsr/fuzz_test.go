package hsr

import (
	"math"
	"testing"

	"github.com/hsrviz/hsrviz/internal/fuzzdata"
)

// FuzzTreeVsScan builds a tree, an Auto and a scan from fuzzed bytes
// (dimension, leaf size, buffer size, points, inserts, query) and checks
// that they report exactly the oracle's ids before, between and after the
// inserts, stop when told, and that TopR agrees.
//
//	go test -run '^$' -fuzz FuzzTreeVsScan ./hsr
func FuzzTreeVsScan(f *testing.F) {
	f.Add([]byte{2, 1, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add([]byte{1, 0, 0, 255, 128, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	f.Add([]byte{5, 2, 7, 3, 200, 100, 50, 25, 12, 6, 3, 1, 0, 0, 0, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 {
			return
		}
		d := 1 + int(data[0])%9
		leaf := int(data[1]) % 5
		buf := 1 + int(data[2])%9
		wide := data[3]&1 == 1 // full float64 bit patterns, else small integers/halves
		data = data[4:]
		rdr := fuzzdata.Reader{Data: data, Wide: wide}
		next := rdr.Float
		a := make([]float64, d)
		if !rdr.Floats(a) {
			return
		}
		c, ok := next()
		if !ok {
			return
		}
		var pts []float64
		for {
			x := make([]float64, d)
			if !rdr.Floats(x) {
				break
			}
			pts = append(pts, x...)
		}
		n := len(pts) / d
		split := n / 2
		tr := NewTree(d, pts[:split*d], TreeOptions{LeafSize: leaf, BufferSize: buf})
		au := NewAuto(d, pts[:split*d], TreeOptions{LeafSize: leaf, BufferSize: buf})
		sc := NewScan(d, pts[:split*d])
		// check compares every index with the oracle over the first m
		// points: the same set of ids, each once, and the early stop of
		// visit (false after the first id) honoured.
		check := func(m int) {
			want := oracle(a, c, pts[:m*d])
			for _, ix := range []Index{tr, au, sc} {
				seen := make([]bool, m)
				got := 0
				ix.Query(a, c, func(id int) bool {
					if id < 0 || id >= m || seen[id] || !(Dot(a, pts[id*d:(id+1)*d]) > c) {
						t.Fatalf("%T after %d points: bad or repeated id %d", ix, m, id)
					}
					seen[id] = true
					got++
					return true
				})
				if got != len(want) {
					t.Fatalf("%T after %d points: got %d ids want %d", ix, m, got, len(want))
				}
				calls := 0
				ix.Query(a, c, func(int) bool { calls++; return false })
				if calls > 1 {
					t.Fatalf("%T: %d visits after visit returned false", ix, calls)
				}
			}
		}
		check(split)
		for i := split; i < n; i++ {
			tr.Insert(pts[i*d : (i+1)*d])
			au.Insert(pts[i*d : (i+1)*d])
			sc.Insert(pts[i*d : (i+1)*d])
			// Between inserts too: the buffer, each merge of the
			// logarithmic method and the flush are states of their own.
			if i < split+2*buf+4 || i == n-1 || (i-split)%7 == 0 {
				check(i + 1)
			}
		}
		check(n)
		if n > 0 {
			r := 1 + int(c)%n
			if r < 1 {
				r = 1
			}
			t1, _ := tr.TopR(a, r)
			t2, _ := sc.TopR(a, r)
			if t1 != t2 && !(math.IsNaN(t1) && math.IsNaN(t2)) {
				t.Fatalf("TopR(%d): tree %v scan %v", r, t1, t2)
			}
		}
	})
}
