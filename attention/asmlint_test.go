package attention

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestNoLegacySSEAfterVEX reads the assembly of this package and of hsr:
// between an instruction that writes a Y or Z register (or any EVEX
// register) and the next VZEROUPPER, every instruction on X, Y or Z
// registers must be VEX or EVEX encoded (its name starts with V). A legacy
// SSE instruction there (MOVQ AX, X13; MOVQ X4, DX) made each call of the
// sketch kernels ~240 ns (AVX-512) and ~450 ns (AVX2) slower on this
// machine's CPU, a tenth of a decode, and stage 2 paid it per candidate:
// a state transition the Go assembler does not warn about.
func TestNoLegacySSEAfterVEX(t *testing.T) {
	vecReg := regexp.MustCompile(`\b[XYZ]([0-9]|[12][0-9]|3[01])\b`)
	wide := regexp.MustCompile(`\b[YZ]([0-9]|[12][0-9]|3[01])\b|\bX(1[6-9]|2[0-9]|3[01])\b`)
	for _, file := range []string{"kernel_amd64.s", "../hsr/kernel_amd64.s"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		dirty, fn, checked := false, "", 0
		for i, line := range strings.Split(string(src), "\n") {
			code, _, _ := strings.Cut(line, "//")
			f := strings.Fields(code)
			if len(f) == 0 {
				continue
			}
			op := f[0]
			switch {
			case op == "TEXT":
				dirty, fn = false, f[1]
				continue
			case op == "VZEROUPPER":
				dirty = false
				continue
			case strings.HasSuffix(op, ":") || strings.HasPrefix(op, "PREFETCH"):
				continue
			}
			if !vecReg.MatchString(code) {
				continue
			}
			checked++
			if !strings.HasPrefix(op, "V") {
				if dirty {
					t.Errorf("%s:%d (%s): legacy SSE %q after a wide vector instruction; use the VEX form", file, i+1, fn, strings.TrimSpace(code))
				}
				continue
			}
			if wide.MatchString(code) {
				dirty = true
			}
		}
		if checked == 0 {
			t.Errorf("%s: no vector instruction found: the check reads nothing", file)
		}
	}
}
