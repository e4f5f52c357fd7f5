package main

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/hsrviz/hsrviz/hsr"
)

// TestCPUTimers: the thread and process clocks count work and not sleep.
func TestCPUTimers(t *testing.T) {
	for name, clock := range map[string]timer{"thread": threadTimer, "process": processTimer} {
		stop := clock()
		time.Sleep(50 * time.Millisecond)
		if el := stop(); el > 20*time.Millisecond {
			t.Fatalf("%s: a 50 ms sleep took %v of CPU time", name, el)
		}
		x := make([]float64, 1<<20)
		stop = clock()
		for range 20 {
			sink += sum(x)
		}
		if el := stop(); el <= 0 {
			t.Fatalf("%s: 20 sums took %v of CPU time", name, el)
		}
	}
}

// BenchmarkClocks is the experiment behind soloTimer: hsr.Scan over the
// original points and over a fresh copy of them (n = 2^20, d = 64), timed
// alternately, each copy 9 times per allocation; it reports, over 4
// allocations of the copy, the range of the copy/original ratio of the
// medians by the wall clock and by the thread's CPU time.
//
//	go test ./cmd/hsrbench -run '^$' -bench Clocks -benchtime 1x
func BenchmarkClocks(b *testing.B) {
	const n, d = 1 << 20, 64
	rng := rand.New(rand.NewPCG(1, 2))
	base := make([]float64, n*d)
	for i := range base {
		base[i] = rng.NormFloat64()
	}
	q := make([]float64, d)
	for i := range q {
		q[i] = rng.NormFloat64()
	}
	orig := hsr.NewScan(d, base)
	med := func(x []float64) float64 { y := slices.Clone(x); slices.Sort(y); return y[len(y)/2] }
	var dst []int
	for b.Loop() {
		var wr, cr []float64
		for range 4 {
			cp := hsr.NewScan(d, slices.Clone(base))
			var w, c [2][]float64
			for rep := range 9 {
				for k := range 2 {
					s, x := orig, (k+rep)%2
					if x == 1 {
						s = cp
					}
					runtime.GC()
					t0 := time.Now()
					stop := threadTimer()
					dst, _ = s.AppendQuery(dst[:0], q, 1e9)
					c[x] = append(c[x], stop().Seconds())
					w[x] = append(w[x], time.Since(t0).Seconds())
				}
			}
			wr, cr = append(wr, med(w[1])/med(w[0])), append(cr, med(c[1])/med(c[0]))
		}
		b.ReportMetric(slices.Min(wr), "wall-min")
		b.ReportMetric(slices.Max(wr), "wall-max")
		b.ReportMetric(slices.Min(cr), "cpu-min")
		b.ReportMetric(slices.Max(cr), "cpu-max")
		b.Log(fmt.Sprintf("copy/original, 4 allocations: wall %.3f, thread CPU %.3f", wr, cr))
	}
}
