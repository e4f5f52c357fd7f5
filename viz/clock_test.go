package viz

import (
	"time"

	"github.com/hsrviz/hsrviz/internal/cpuclock"
)

var clockStart = time.Now()

// benchClock is the calling thread's CPU time where internal/cpuclock has
// it (on a shared machine the wall clock mostly measures the scheduler),
// else the wall clock. Readings compared must come from one goroutine
// locked to its thread.
func benchClock() time.Duration {
	if t, ok := cpuclock.Thread(); ok {
		return t
	}
	return time.Since(clockStart)
}

func benchMs(t0 time.Duration) float64 { return float64(benchClock()-t0) / 1e6 }
