package plot

import (
	"math"
	"strconv"
	"strings"
)

// NiceNum returns a "nice" number (1, 2 or 5 times a power of ten) close to
// x > 0: the nearest when round, else the smallest nice number ≥ x
// (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
func NiceNum(x float64, round bool) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		return 0
	}
	exp := math.Floor(math.Log10(x))
	p := math.Pow(10, exp)
	f := x / p
	var nf float64
	if round {
		switch {
		case f < 1.5:
			nf = 1
		case f < 3:
			nf = 2
		case f < 7:
			nf = 5
		default:
			nf = 10
		}
	} else {
		switch {
		case f <= 1:
			nf = 1
		case f <= 2:
			nf = 2
		case f <= 5:
			nf = 5
		default:
			nf = 10
		}
	}
	return nf * p
}

// NiceStep is the tick spacing for about maxTicks ticks over [lo, hi].
func NiceStep(lo, hi float64, maxTicks int) float64 {
	maxTicks = max(maxTicks, 2)
	span := NiceNum(hi-lo, false)
	if span == 0 {
		return 0
	}
	return NiceNum(span/float64(maxTicks-1), true)
}

// NiceRange widens [lo, hi] outwards to multiples of the nice step.
func NiceRange(lo, hi float64, maxTicks int) (nlo, nhi, step float64) {
	if hi < lo {
		lo, hi = hi, lo
	}
	if hi == lo {
		d := math.Max(math.Abs(lo)*0.1, 1)
		lo, hi = lo-d, hi+d
	}
	step = NiceStep(lo, hi, maxTicks)
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step, step
}

// LinearTicks returns the multiples of the nice step that lie in [lo, hi]
// (about maxTicks of them), and the step. Values are rounded to the step so
// that 0.1+0.2 prints as 0.3.
func LinearTicks(lo, hi float64, maxTicks int) (ticks []float64, step float64) {
	if hi < lo {
		lo, hi = hi, lo
	}
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return []float64{lo}, 0
	}
	step = NiceStep(lo, hi, maxTicks)
	for {
		ticks = ticks[:0]
		eps := step * 1e-9
		for k := math.Ceil((lo - eps) / step); k*step <= hi+eps; k++ {
			ticks = append(ticks, roundTo(k*step, step)+0) // +0: no "-0"
		}
		if len(ticks) >= 2 {
			return ticks, step
		}
		step = smallerNice(step) // a narrow range between two multiples
	}
}

// smallerNice is the next nice number below step: 1 → 0.5, 5 → 2, 2 → 1.
func smallerNice(step float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(step)+1e-9))
	switch m := math.Round(step / p); m {
	case 1:
		return p / 2
	case 2:
		return p
	default:
		return 2 * p
	}
}

// roundTo removes the floating-point noise of k·step.
func roundTo(v, step float64) float64 {
	d := -math.Floor(math.Log10(step))
	if d <= 0 {
		return math.Round(v)
	}
	p := math.Pow(10, d)
	return math.Round(v*p) / p
}

// LogTicks returns ticks for a log10 axis over [lo, hi] (0 < lo < hi): the
// powers of ten inside, every k-th decade when there are more than
// maxTicks; with fewer than two decades inside, the 1-2-5 multiples; with
// still fewer than two, linear nice ticks.
func LogTicks(lo, hi float64, maxTicks int) []float64 {
	if !(lo > 0) || !(hi > lo) {
		t, _ := LinearTicks(lo, hi, maxTicks)
		return t
	}
	maxTicks = max(maxTicks, 2)
	a, b := int(math.Ceil(math.Log10(lo)-1e-9)), int(math.Floor(math.Log10(hi)+1e-9))
	if n := b - a + 1; n >= 2 {
		stride := (n + maxTicks - 1) / maxTicks
		var ticks []float64
		for e := a; e <= b; e += stride {
			ticks = append(ticks, math.Pow(10, float64(e)))
		}
		return ticks
	}
	var ticks []float64
	for e := a - 1; e <= b; e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, float64(e))
			if v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
				ticks = append(ticks, v)
			}
		}
	}
	if len(ticks) >= 2 && len(ticks) <= maxTicks {
		return ticks
	}
	t, _ := LinearTicks(lo, hi, maxTicks)
	return t
}

// FormatTick prints a tick value briefly: thousands as k, M, G (16k, 1M),
// small numbers with the digits the step needs.
func FormatTick(v, step float64) string {
	a := math.Abs(v)
	for _, u := range []struct {
		s string
		f float64
	}{{"G", 1e9}, {"M", 1e6}, {"k", 1e3}} {
		if a >= u.f && (step == 0 || step >= u.f/10 || math.Mod(v, u.f/10) == 0) {
			return trimZeros(strconv.FormatFloat(v/u.f, 'f', 2, 64)) + u.s
		}
	}
	if a != 0 && (a < 1e-3) {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	d := 0
	if step > 0 && step < 1 {
		d = int(math.Ceil(-math.Log10(step) - 1e-9))
	} else if step == 0 && v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	return strconv.FormatFloat(v, 'f', d, 64)
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}
