package attention

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// The numbers of the paper's sparsity regime (docs/contract.md, "The sparsity regime of the paper").
// They are theory, to be shown labelled as such beside measured counts.

// PaperThreshold is the paper's ReLU threshold b = σ_s·sqrt(0.4·ln n) for
// n keys and score standard deviation σ_s (σ² for N(0,σ²) queries and keys
// with the 1/sqrt(d) scale; see ScoreSigma).
func PaperThreshold(n int, sigmaS float64) float64 {
	return sigmaS * math.Sqrt(0.4*math.Log(float64(n)))
}

// ScoreSigma is σ_s, the standard deviation of a score s = <q,k>/sqrt(d)
// when q and k have i.i.d. N(0, σ²) entries: σ². Unscaled scores <q,k>
// have σ²·sqrt(d). It is the isotropic theory only: keys with a decaying
// spread per dimension (gen.Decaying) give about 0.16σ² at d = 64, so
// for other data pass PaperThreshold a measured σ_s (the visualizer
// measures it from its data: viz/thresholds.go).
func ScoreSigma(sigma float64, d int, unscaled bool) float64 {
	if unscaled {
		return sigma * sigma * math.Sqrt(float64(d))
	}
	return sigma * sigma
}

// GaussianExpectedCount is n·P(Z > b/σ_s), Z standard normal: the
// expected number of keys per row whose score is above b if scores were
// exactly Gaussian with standard deviation σ_s (they are only
// approximately: a row's scores have spread ‖q‖·σ/sqrt(d), close to σ_s
// only for large d). At the paper's threshold b = PaperThreshold(n, σ_s)
// it is n·(1 − Φ(sqrt(0.4·ln n))) ≤ CountBound(n).
func GaussianExpectedCount(n int, b, sigmaS float64) float64 {
	return float64(n) * 0.5 * math.Erfc(b/sigmaS/math.Sqrt2)
}

// CountBound is n^(4/5), the paper's bound on that expected count.
func CountBound(n int) float64 { return math.Pow(float64(n), 0.8) }

// TheoryErrorBound is the softmax error under the paper's massive-activation
// assumption (the top n^γ scores ≥ β1·ln n, the rest ≤ β2·ln n):
// 2‖V‖_∞·n^(1+β2−γ−β1).
func TheoryErrorBound(n int, gamma, beta1, beta2, vInf float64) float64 {
	return 2 * vInf * math.Pow(float64(n), 1+beta2-gamma-beta1)
}

// TopRFromGamma is r = n^γ rounded to the nearest integer (rounding, not
// truncating, so that 1024^0.5 gives 32 despite floating point), clamped
// to [1, n].
func TopRFromGamma(n int, gamma float64) int {
	r := int(math.Round(math.Pow(float64(n), gamma)))
	return min(max(r, 1), max(n, 1))
}

// FitPowerLaw fits y = 10^intercept · x^slope by least squares on
// (log10 x, log10 y) over the points with x > 0 and y > 0 (a point where
// nothing was reported has no logarithm). With fewer than two such points,
// or all at one x, there is no fit: NaN, NaN. The scaling measurements of
// the visualizer and of hsrbench both use it.
func FitPowerLaw(xs, ys []float64) (slope, intercept float64) {
	var lx, ly []float64
	for i := range min(len(xs), len(ys)) {
		if xs[i] > 0 && ys[i] > 0 && !math.IsInf(xs[i], 0) && !math.IsInf(ys[i], 0) {
			lx = append(lx, math.Log10(xs[i]))
			ly = append(ly, math.Log10(ys[i]))
		}
	}
	if len(lx) < 2 {
		return math.NaN(), math.NaN()
	}
	distinct := false
	for _, x := range lx[1:] {
		distinct = distinct || x != lx[0]
	}
	if !distinct {
		return math.NaN(), math.NaN()
	}
	intercept, slope = stat.LinearRegression(lx, ly, nil, false)
	return slope, intercept
}
