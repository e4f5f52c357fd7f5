package main

import (
	"runtime"
	"time"

	"github.com/hsrviz/hsrviz/internal/cpuclock"
)

// threadTimer times a run by the CPU time of the thread that runs it,
// locked to that thread for the run. It is exact for single-threaded
// work only (the grid's indexes, the stream sums), which is all it is
// used for; where the clock is missing it falls back to the wall.
func threadTimer() func() time.Duration {
	runtime.LockOSThread()
	t0, ok := cpuclock.Thread()
	if !ok {
		runtime.UnlockOSThread()
		return wallTimer()
	}
	return func() time.Duration {
		t1, _ := cpuclock.Thread()
		runtime.UnlockOSThread()
		return t1 - t0
	}
}

// processTimer times a run by the CPU time of the whole process: every
// goroutine the run starts is counted. At GOMAXPROCS=1, where one thread
// runs Go code at a time, that is the run's time on one thread minus the
// time the core was given away (decode-1t uses it). Where the clock is
// missing it falls back to the wall.
func processTimer() func() time.Duration {
	t0, ok := cpuclock.Process()
	if !ok {
		return wallTimer()
	}
	return func() time.Duration {
		t1, _ := cpuclock.Process()
		return t1 - t0
	}
}

const threadClockName = "thread CPU time"

const processClockName = "process CPU time"
