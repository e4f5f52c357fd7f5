package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"github.com/hsrviz/hsrviz/attention"
)

// availableMemory returns the bytes this run may use and whether that is
// known: /proc/meminfo's MemAvailable, lowered to the cgroup's memory.max
// when one is set (Linux); unknown elsewhere, where only the .npy element
// cap applies. A variable so that tests can impose a small machine.
var availableMemory = func() (int64, bool) {
	avail, ok := memInfoAvailable()
	if lim, ok2 := cgroupLimit(); ok2 && (!ok || lim < avail) {
		return lim, true
	}
	return avail, ok
}

func memInfoAvailable() (int64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

func cgroupLimit() (int64, bool) {
	b, err := os.ReadFile("/sys/fs/cgroup/memory.max")
	if err != nil {
		return 0, false
	}
	max, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64) // "max": no limit
	if err != nil {
		return 0, false
	}
	cur := int64(0)
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.current"); err == nil {
		cur, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	}
	return max - cur, true
}

// memPart is one item of a run's memory estimate.
type memPart struct {
	what  string
	bytes float64
}

// estimateMemory is what a run over Q (m×d), K (n×d), V (n×dv) holds at
// its peak, from the headers alone. The factors are measured (the index:
// at most ~2.3×8·d bytes per key at d = 2, ~1.3× at d = 64, plus ids) and
// rounded up; the point is to refuse a run that cannot fit before it
// allocates, not to predict to the byte.
func estimateMemory(cfg *config, ins []*input, m, n, d, dv int) []memPart {
	M, N, D, DV := float64(m), float64(n), float64(d), float64(dv)
	workers := float64(runtime.GOMAXPROCS(0))
	rowSize := float64(unsafe.Sizeof(attention.Row{}))
	parts := []memPart{{"Q", 8 * M * D}, {"K", 8 * N * D}, {"V", 8 * N * DV}}
	raw := 0.0
	for _, in := range ins {
		if !in.f.Regular() {
			raw = max(raw, float64(in.f.DataBytes()))
		}
	}
	if raw > 0 {
		parts = append(parts, memPart{"the raw data of a pipe", raw})
	}
	if !cfg.denseSoftmax {
		parts = append(parts, memPart{"index", 8*N*D*2.5 + 48*N + workers*24*N})
	}
	// The output, the per-row results and statistics, and the JSON text.
	parts = append(parts, memPart{"output and per-row results", M * (8*DV + rowSize + 8*8 + 160)})
	switch {
	case cfg.dense && cfg.params.Kind == attention.ReLU:
		// compareReLURows: Kᵀ and Vᵀ, the dense output, one row's scores
		// and key lists.
		parts = append(parts, memPart{"dense reference", 8*N*(D+DV) + 8*M*DV + 40*N})
	case cfg.dense || cfg.denseSoftmax:
		parts = append(parts, memPart{"dense reference", 8*M*DV + M*rowSize + workers*8*(128*512+2*128)})
	}
	return append(parts, memPart{"runtime and scratch", 64 << 20})
}

// checkMemory refuses a run whose estimate exceeds the memory available,
// naming both, before any data is read or any matrix allocated. It returns
// the estimate in bytes.
func checkMemory(cfg *config, ins []*input, m, n, d, dv int) (int64, error) {
	parts := estimateMemory(cfg, ins, m, n, d, dv)
	total := 0.0
	var list []string
	for _, p := range parts {
		total += p.bytes
		if p.bytes >= 0.05*total || p.bytes >= 1<<30 {
			list = append(list, fmt.Sprintf("%s %s", p.what, gb(p.bytes)))
		}
	}
	avail, ok := availableMemory()
	if !ok || total <= float64(avail) {
		return int64(total), nil
	}
	return int64(total), fmt.Errorf("this run needs about %s of memory (%s), more than the %s available on this machine: use smaller inputs (the estimate comes from the headers; no data was read)",
		gb(total), strings.Join(list, ", "), gb(float64(avail)))
}

// peakRSS is the process's peak resident size so far (VmHWM of
// /proc/self/status), or 0 where that is not known.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

func gb(b float64) string {
	if b < 1e9 {
		return fmt.Sprintf("%.3g MB", b/1e6)
	}
	return fmt.Sprintf("%.3g GB", b/1e9)
}
