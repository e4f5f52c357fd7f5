package viz

import (
	"syscall"
	"time"
	"unsafe"
)

// benchClock is the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID):
// on a shared machine the wall clock mostly measures the scheduler.
func benchClock() time.Duration {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

func benchMs(t0 time.Duration) float64 { return float64(benchClock()-t0) / 1e6 }
