package viz

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// TestUnitCostsLargeN logs, natively, the longest unit of each kind while
// the app computes n = 2^20 (d = 2 and d = 4): what blocks a frame in the
// page (several times slower there): the wall time and the thread's CPU
// time of the longest unit of each kind. A measurement:
//
//	HSRVIZ_MEASURE=1 go test ./viz -run UnitCostsLargeN -v
func TestUnitCostsLargeN(t *testing.T) {
	if os.Getenv("HSRVIZ_MEASURE") == "" {
		t.Skip("a measurement: HSRVIZ_MEASURE=1 go test ./viz -run UnitCostsLargeN -v")
	}
	// the thread's CPU time (Linux) says a unit's size on a loaded machine,
	// where the wall clock mostly measures the scheduler
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, hash := range []string{"n=1048576", "n=1048576&d=4"} {
		a := appFromHash(t, hash)
		var longest, longestCPU [numUnitKinds]time.Duration
		var total [numUnitKinds]time.Duration
		var count [numUnitKinds]int
		start := time.Now()
		for {
			k := a.nextUnit()
			if k == uNone {
				break
			}
			t0, c0 := time.Now(), benchClock()
			if err := a.runUnitSafely(k); err != nil {
				t.Fatal(err)
			}
			d := time.Since(t0)
			longest[k] = max(longest[k], d)
			longestCPU[k] = max(longestCPU[k], benchClock()-c0)
			total[k] += d
			count[k]++
		}
		t.Logf("%s: all in %v", hash, time.Since(start).Round(time.Millisecond))
		for k := uGen; k < numUnitKinds; k++ {
			if count[k] > 0 {
				t.Logf("  %-20s %5d units, longest %8.1f ms (CPU %6.1f ms), total %8.1f ms", unitNames[k], count[k],
					longest[k].Seconds()*1000, longestCPU[k].Seconds()*1000, total[k].Seconds()*1000)
			}
		}
	}
}
