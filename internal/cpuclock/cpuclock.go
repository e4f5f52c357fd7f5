// Package cpuclock reads the CPU-time clocks that benchmarks on a shared
// machine time by: the calling thread's (Thread) and the whole process's
// (Process). On a loaded machine the wall clock mostly measures the
// scheduler; a thread's CPU time measures the work. Each read is one
// clock_gettime call. Where the clock is not wired up (anything but
// Linux) the functions report ok = false and callers fall back to the
// wall clock, saying so.
package cpuclock

import "time"

var start = time.Now()

// ThreadOrWall is Thread where that clock exists, else the wall clock
// since the process started: for benchmarks that compare two readings
// of one goroutine locked to its thread.
func ThreadOrWall() time.Duration {
	if t, ok := Thread(); ok {
		return t
	}
	return time.Since(start)
}
