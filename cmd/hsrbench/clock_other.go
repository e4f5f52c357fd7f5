//go:build !linux

package main

import "time"

// threadTimer is the wall clock where no thread CPU clock is wired up.
func threadTimer() func() time.Duration { return wallTimer() }

const threadClockName = "wall time"

// processTimer is the wall clock where no process CPU clock is wired up.
func processTimer() func() time.Duration { return wallTimer() }

const processClockName = "wall time"
