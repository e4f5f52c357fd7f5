package ring

import (
	"slices"
	"testing"
	"time"
)

func TestDurations(t *testing.T) {
	var r Durations
	if got := r.Last(5); len(got) != 0 || r.N() != 0 {
		t.Fatalf("empty ring: %v, %d", got, r.N())
	}
	for i := 1; i <= 1030; i++ {
		r.Add(time.Duration(i) * time.Millisecond)
	}
	if got, want := r.Last(3), []float64{1028, 1029, 1030}; !slices.Equal(got, want) {
		t.Errorf("Last(3) = %v, want %v", got, want)
	}
	if got := r.Last(5000); len(got) != 1024 || got[0] != 7 || got[1023] != 1030 {
		t.Errorf("Last(5000): %d values from %v to %v, want the last 1024 (7…1030)", len(got), got[0], got[len(got)-1])
	}
	if r.N() != 1030 {
		t.Errorf("N = %d, want 1030", r.N())
	}
}
