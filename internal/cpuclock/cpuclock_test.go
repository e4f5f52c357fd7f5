package cpuclock

import (
	"runtime"
	"testing"
)

// On Linux both clocks must read and advance with work done on the
// thread; elsewhere they must say they are missing.
func TestClocksAdvance(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0, ok := Thread()
	p0, pok := Process()
	if runtime.GOOS != "linux" {
		if ok || pok {
			t.Fatalf("Thread ok %v, Process ok %v off Linux; want false", ok, pok)
		}
		return
	}
	if !ok || !pok {
		t.Fatalf("Thread ok %v, Process ok %v on Linux; want true", ok, pok)
	}
	x := 0.0
	for i := 0; i < 5e6; i++ {
		x += float64(i) * 1e-9
	}
	t1, _ := Thread()
	p1, _ := Process()
	if t1 <= t0 || p1 <= p0 {
		t.Fatalf("clocks did not advance over a busy loop (sum %g): thread %v → %v, process %v → %v", x, t0, t1, p0, p1)
	}
	if p1 < t1 {
		t.Fatalf("process CPU time %v below this thread's %v", p1, t1)
	}
}
