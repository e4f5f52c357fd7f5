package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/hsrviz/hsrviz/hsr"
)

var sink float64 // keeps the streaming sums alive

// sum reads every element once with eight independent accumulators, so
// that the loop is limited by memory bandwidth, not by the add latency
// chain (one instantiation per element type: float64 and float32 have
// their own machine code).
func sum[T float32 | float64](x []T) T {
	var s0, s1, s2, s3, s4, s5, s6, s7 T
	i := 0
	for ; i+8 <= len(x); i += 8 {
		v := x[i : i+8 : i+8]
		s0 += v[0]
		s1 += v[1]
		s2 += v[2]
		s3 += v[3]
		s4 += v[4]
		s5 += v[5]
		s6 += v[6]
		s7 += v[7]
	}
	for ; i < len(x); i++ {
		s0 += x[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}

// runStream measures the floor: a streaming sum over the very slice hsr.Scan
// stores (the same bytes, far larger than the caches), against full scans of
// it. The scan reports about 1e-4 of the points, so visiting costs nothing.
func runStream(c config, out *reporter, log io.Writer) {
	n, d := c.streamN, c.streamD
	rng := newRand(c.seed, 1)
	sc := hsr.NewScan(d, genPoints("gaussian", n, d, c.seed))
	pts := sc.Points()
	bytes64 := float64(len(pts) * 8)
	out.header("stream", fmt.Sprintf("streaming read vs hsr.Scan over the same %d MiB (n=%d, d=%d, float64)", len(pts)*8>>20, n, d))

	const q = 4
	qs := make([][]float64, q)
	cs := make([]float64, q)
	want := make([]setSum, q)
	dots := make([]float64, n)
	for i := range qs {
		qs[i] = gaussian(d, 1, rng)
		for j := 0; j < n; j++ {
			dots[j] = hsr.Dot(qs[i], pts[j*d:(j+1)*d])
		}
		cs[i] = offsetFor(dots, 1e-4)
		want[i] = sumAbove(dots, cs[i])
	}
	dots = nil

	x32 := make([]float32, len(pts))
	for i, v := range pts {
		x32[i] = float32(v)
	}
	bad := 0
	var got setSum
	visit := func(id int) bool { got.add(id); return true }
	ts := alternateChecked(c.reps, c.minRun, 0, []func() int{
		func() int { sink += sum(pts); return 1 },
		func() int {
			for i := range qs {
				got = setSum{}
				sc.Query(qs[i], cs[i], visit)
				if got != want[i] {
					bad++
					out.mismatch(fmt.Sprintf("stream: hsr.Scan query %d: got %v, want %v", i, got, want[i]))
				}
			}
			return q
		},
		func() int { sink += float64(sum(x32)); return 1 },
		func() int {
			// the plainest scan: one hsr.Dot call per row, a compare, a count.
			for i := range qs {
				cnt := 0
				for j := 0; j < n; j++ {
					if hsr.Dot(qs[i], pts[j*d:(j+1)*d]) > cs[i] {
						cnt++
					}
				}
				if cnt != want[i].N {
					bad++
					out.mismatch(fmt.Sprintf("stream: dot loop query %d: count %d, want %d", i, cnt, want[i].N))
				}
			}
			return q
		},
	}, nil, c.soloTimer())
	gb := func(bytes, ms float64) float64 { return bytes / (ms * 1e-3) / 1e9 }
	out.add(row{Case: "stream", D: d, N: n, Data: "gaussian", Contender: "scan", Baseline: "stream64",
		BaselineMs: ts[0].Med, BaseMin: ts[0].Min, BaseMax: ts[0].Max,
		Ms: ts[1].Med, Min: ts[1].Min, Max: ts[1].Max, OK: bad == 0, Reps: c.reps, Units: q,
		GBps: gb(bytes64, ts[1].Med), BaseGBps: gb(bytes64, ts[0].Med), Frac: 1e-4,
		Info: fmt.Sprintf("scan/stream = %.3f (target <= 1.15); stream %.1f GB/s, scan %.1f GB/s",
			ts[1].Med/ts[0].Med, gb(bytes64, ts[0].Med), gb(bytes64, ts[1].Med))})
	out.add(row{Case: "stream", D: d, N: n, Data: "gaussian", Contender: "stream32", Baseline: "stream64",
		BaselineMs: ts[0].Med, BaseMin: ts[0].Min, BaseMax: ts[0].Max,
		Ms: ts[2].Med, Min: ts[2].Min, Max: ts[2].Max, OK: true, Reps: c.reps, Units: 1,
		GBps: gb(bytes64/2, ts[2].Med), BaseGBps: gb(bytes64, ts[0].Med),
		Info: fmt.Sprintf("float32 copy, half the bytes: %.1f GB/s (the floor of a float32 scan)", gb(bytes64/2, ts[2].Med))})
	out.add(row{Case: "stream", D: d, N: n, Data: "gaussian", Contender: "dot-loop", Baseline: "stream64",
		BaselineMs: ts[0].Med, BaseMin: ts[0].Min, BaseMax: ts[0].Max,
		Ms: ts[3].Med, Min: ts[3].Min, Max: ts[3].Max, OK: bad == 0, Reps: c.reps, Units: q, Frac: 1e-4,
		GBps: gb(bytes64, ts[3].Med), BaseGBps: gb(bytes64, ts[0].Med),
		Info: fmt.Sprintf("a plain loop of hsr.Dot calls (reference point for hsr.Scan): %.1f GB/s", gb(bytes64, ts[3].Med))})
}

// offsetFor returns c such that exactly k = max(1, round(frac·n)) of dots
// exceed it (when the values are distinct): the midpoint between the k-th and
// (k+1)-th largest, so that no point sits on the boundary and a different but
// correct summation order cannot change the set.
func offsetFor(dots []float64, frac float64) float64 {
	return offsetsFor(dots, []float64{frac})[0]
}

func offsetsFor(dots []float64, fracs []float64) []float64 {
	s := slices.Clone(dots)
	slices.Sort(s)
	n := len(s)
	out := make([]float64, len(fracs))
	for i, f := range fracs {
		k := min(max(1, int(f*float64(n)+0.5)), n)
		if k == n {
			out[i] = s[0] - 1
			continue
		}
		// ascending: the k largest are s[n-k:], the next one down is s[n-k-1].
		out[i] = (s[n-k] + s[n-k-1]) / 2
	}
	return out
}
