package main

import (
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// threadCPU is the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID).
func threadCPU() (time.Duration, bool) {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	_, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano()), e == 0
}

// threadTimer times a run by the CPU time of the thread that runs it,
// locked to that thread for the run. It is exact for single-threaded
// work only (the grid's indexes, the stream sums), which is all it is
// used for; where the clock is missing it falls back to the wall.
func threadTimer() func() time.Duration {
	runtime.LockOSThread()
	t0, ok := threadCPU()
	if !ok {
		runtime.UnlockOSThread()
		return wallTimer()
	}
	return func() time.Duration {
		t1, _ := threadCPU()
		runtime.UnlockOSThread()
		return t1 - t0
	}
}

const threadClockName = "thread CPU time"
