//go:build !linux

package cpuclock

import "time"

// Thread is not wired up here: ok is false.
func Thread() (time.Duration, bool) { return 0, false }

// Process is not wired up here: ok is false.
func Process() (time.Duration, bool) { return 0, false }
