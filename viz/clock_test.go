package viz

import (
	"time"

	"github.com/hsrviz/hsrviz/internal/cpuclock"
)

// benchClock is the calling thread's CPU time (on a shared machine the
// wall clock mostly measures the scheduler), or the wall clock where
// there is none; readings compared come from one locked goroutine.
func benchClock() time.Duration { return cpuclock.ThreadOrWall() }

func benchMs(t0 time.Duration) float64 { return float64(benchClock()-t0) / 1e6 }
