// Package ring keeps the last durations of something that repeats (a
// frame's Go work, a part of it) for statistics over recent frames: O(1)
// per Add, O(k) per Last, a fixed 8 KiB.
package ring

import "time"

// Durations is a ring of the last 1024 durations. The zero value is ready.
type Durations struct {
	buf [1024]time.Duration
	n   int // durations added in all
}

// Add records d.
func (r *Durations) Add(d time.Duration) {
	r.buf[r.n%len(r.buf)] = d
	r.n++
}

// N is the number of durations added in all.
func (r *Durations) N() int { return r.n }

// Last returns the last k durations (at most 1024), oldest first, in
// milliseconds.
func (r *Durations) Last(k int) []float64 {
	k = max(0, min(k, r.n, len(r.buf)))
	v := make([]float64, k)
	for i := range v {
		v[i] = r.buf[(r.n-k+i)%len(r.buf)].Seconds() * 1e3
	}
	return v
}
