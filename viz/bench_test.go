package viz

import (
	"sort"
	"testing"
	"time"

	"github.com/hsrviz/hsrviz/viz/input"
)

// BenchmarkDragB measures the Go work of the model in one frame (Update
// with its compute budget, and Scene) while the b slider is dragged with
// the pointer at n = 2^14, d = 64, m = 64: the pointer held down on the
// slider and moved every frame, back and forth, as in the browser's
// frame-budget measurement (e2e/budget_test.go), which adds the Ebiten
// layer. Reports p50/p95/max per frame.
func BenchmarkDragB(b *testing.B) {
	a := appFromHash(b, "n=16384&d=64&m=64")
	a.Settle()
	a.SetPlaying(false)
	a.Scene(1280, 800)
	var sl Region
	for _, w := range a.ui.widgets {
		if w.Name == "b" {
			sl = w
		}
	}
	if sl.W == 0 {
		b.Fatal("no b slider")
	}
	y := sl.Y + sl.H/2
	x := func(i int) float32 { // a triangle wave over the middle of the track, 90 frames per sweep
		f := float32(i%180) / 90
		if f > 1 {
			f = 2 - f
		}
		return sl.X + sl.W*(0.2+0.6*f)
	}
	a.Update(input.Input{DT: 1.0 / 60, Pointers: []input.Pointer{{X: x(0), Y: y}}})
	a.Update(input.Input{DT: 1.0 / 60, Pointers: []input.Pointer{{X: x(0), Y: y, Down: true}}})
	b0 := a.p.B
	var ts []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		a.Update(input.Input{DT: 1.0 / 60, Pointers: []input.Pointer{{X: x(i + 1), Y: y, Down: true}}})
		a.Scene(1280, 800)
		ts = append(ts, time.Since(t0))
	}
	b.StopTimer()
	if b.N > 1 && a.p.B == b0 {
		b.Fatalf("the drag did not move b (%v)", b0)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	q := func(f float64) float64 {
		return float64(ts[min(len(ts)-1, int(f*float64(len(ts))))].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.5), "p50_ms")
	b.ReportMetric(q(0.95), "p95_ms")
	b.ReportMetric(q(1)*1, "max_ms")
}
