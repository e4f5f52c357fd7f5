package hugepage

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestAdviceKeepsContents: advice never changes an array, whatever its
// size and alignment, and never fails (errors are the kernel's to ignore).
func TestAdviceKeepsContents(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 4<<20/8 - 1, 4 << 20 / 8, 9<<20/8 + 3} {
		big := make([]float64, n+5)
		for i := range big {
			big[i] = float64(i)*1.5 + 0.25
		}
		for _, off := range []int{0, 3} {
			if off > len(big) {
				continue
			}
			x := big[off : off+n]
			Hint(x)
			Collapse(x)
			Advise(x)
			for i, v := range big {
				if v != float64(i)*1.5+0.25 {
					t.Fatalf("n=%d off=%d: entry %d changed to %v", n, off, i, v)
				}
			}
		}
	}
}

// TestAdviseGivesHugePages logs whether the kernel backs an advised array
// with huge pages: it depends on the kernel's settings, so it is reported,
// not asserted (the decode benchmark shows the effect).
func TestAdviseGivesHugePages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("huge-page advice is Linux's")
	}
	mode, _ := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	before := anonHuge(t)
	x := make([]byte, 64<<20)
	for i := range x {
		x[i] = byte(i)
	}
	Advise(x)
	after := anonHuge(t)
	t.Logf("transparent huge pages %q: AnonHugePages %s → %s", strings.TrimSpace(string(mode)), before, after)
	for i, v := range x {
		if v != byte(i) {
			t.Fatalf("byte %d changed", i)
		}
	}
	runtime.KeepAlive(x)
}

func anonHuge(t *testing.T) string {
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "AnonHugePages:" {
			return f[1] + " kB"
		}
	}
	return "unknown"
}
