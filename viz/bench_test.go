package viz

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/hsrviz/hsrviz/viz/input"
)

// BenchmarkDragB measures the Go work of one frame (Update with its compute
// budget + Scene) while the threshold is dragged at n = 2^14, d = 64,
// m = 64: one small b change per frame. Reports p50/p95/max per frame.
func BenchmarkDragB(b *testing.B) {
	p, _ := ParseHash("n=16384&d=64&m=64")
	a, err := NewApp(p)
	if err != nil {
		b.Fatal(err)
	}
	a.Settle()
	a.Scene(1280, 800)
	var ts []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		_ = a.SetParamsJSON([]byte(fmt.Sprintf(`{"b":%g}`, 1.5+0.002*float64(i%200))))
		a.Update(input.Input{DT: 1.0 / 60, Pointers: []input.Pointer{{X: 600, Y: 300}}})
		a.Scene(1280, 800)
		ts = append(ts, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	q := func(f float64) float64 {
		return float64(ts[min(len(ts)-1, int(f*float64(len(ts))))].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.5), "p50_ms")
	b.ReportMetric(q(0.95), "p95_ms")
	b.ReportMetric(q(1)*1, "max_ms")
}
