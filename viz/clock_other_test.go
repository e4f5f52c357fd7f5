//go:build !linux

package viz

import "time"

var clockStart = time.Now()

// benchClock is the wall clock here.
func benchClock() time.Duration { return time.Since(clockStart) }

func benchMs(t0 time.Duration) float64 { return float64(benchClock()-t0) / 1e6 }
