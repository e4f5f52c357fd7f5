package cpuclock

import (
	"syscall"
	"time"
	"unsafe"
)

const (
	clockProcessCPUTimeID = 2 // CLOCK_PROCESS_CPUTIME_ID
	clockThreadCPUTimeID  = 3 // CLOCK_THREAD_CPUTIME_ID
)

func read(id uintptr) (time.Duration, bool) {
	var ts syscall.Timespec
	_, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, id, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano()), e == 0
}

// Thread is the calling OS thread's CPU time. A goroutine that reads it
// twice must stay on one thread in between (runtime.LockOSThread).
func Thread() (time.Duration, bool) { return read(clockThreadCPUTimeID) }

// Process is the CPU time of every thread of the process.
func Process() (time.Duration, bool) { return read(clockProcessCPUTimeID) }
