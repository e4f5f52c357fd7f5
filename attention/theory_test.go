package attention

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FitPowerLaw against a fit computed here from the normal equations, on
// noisy data, and its edge cases.
func TestFitPowerLaw(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var xs, ys []float64
	var sx, sy, sxx, sxy, k float64
	for i := range 200 {
		x := math.Pow(2, 6+float64(i)/20)
		y := 0.5 * math.Pow(x, 0.8) * math.Exp(r.NormFloat64()*0.2)
		xs, ys = append(xs, x), append(ys, y)
		lx, ly := math.Log10(x), math.Log10(y)
		sx, sy, sxx, sxy, k = sx+lx, sy+ly, sxx+lx*lx, sxy+lx*ly, k+1
	}
	wantSlope := (k*sxy - sx*sy) / (k*sxx - sx*sx)
	wantIntercept := (sy - wantSlope*sx) / k
	// points without a logarithm are skipped
	xs, ys = append(xs, 0, -1, 5), append(ys, 1, 1, 0)
	s, c := FitPowerLaw(xs, ys)
	if math.Abs(s-wantSlope) > 1e-9 || math.Abs(c-wantIntercept) > 1e-9 {
		t.Errorf("fit got:%v %v want:%v %v", s, c, wantSlope, wantIntercept)
	}
	if math.Abs(s-0.8) > 0.03 {
		t.Errorf("noisy slope %v far from 0.8", s)
	}
	// exact power law
	s, c = FitPowerLaw([]float64{2, 8, 32}, []float64{12, 192, 3072})
	if math.Abs(s-2) > 1e-12 || math.Abs(c-math.Log10(3)) > 1e-12 {
		t.Errorf("y = 3x²: got slope %v intercept %v", s, c)
	}
	for _, bad := range [][2][]float64{
		{{1, -2}, {1, 3}},      // one usable point
		{{4, 4, 4}, {1, 2, 3}}, // one x
		{{}, {}},
		{{1, 2}, {0, 0}}, // nothing reported
	} {
		if s, c := FitPowerLaw(bad[0], bad[1]); !math.IsNaN(s) || !math.IsNaN(c) {
			t.Errorf("FitPowerLaw(%v, %v) = %v, %v, want NaN, NaN", bad[0], bad[1], s, c)
		}
	}
}
