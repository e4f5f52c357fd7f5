package viz

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/hsrviz/hsrviz/attention"
	"github.com/hsrviz/hsrviz/hsr"
	"github.com/hsrviz/hsrviz/internal/enum"
)

// How the threshold b is chosen, and the measured score sample behind it.
//
// b is set one of three ways (Params.ThresholdHow): fixed (the b slider),
// the paper's b = σ_s·√(0.4 ln n) with the MEASURED spread σ̂ of the scores
// shown (paper_b), or the share s of keys reported per row (share). The
// last two depend on the data: they are known once the keys and the
// queries exist. The spread job below measures them, a query row per unit
// of work, before the trace and the rows, and App.applyThreshold writes
// the b it gives into the parameters (Snapshot().Params.B is the b used).
//
// The sample: the scores s_ij = <q_i, k_j>/√d (attention.Params.Score, the
// engine's own dot products through Engine.Dots) of every one of the m
// queries shown against every key when n ≤ spreadSampleKeys, else against
// spreadSampleKeys evenly spaced keys j = ⌊t·n/S⌋ (t = 0 … S−1): m·min(n, S)
// scores. σ̂ is their standard deviation (population, about their mean).
// The share's b is the midpoint between the k-th and (k+1)-th largest
// sample score, k = round(s·m·S): exactly k sample pairs lie above it, so
// with n ≤ S the rows report exactly k keys in all (ties apart), and
// with a sample the mean reported share is s within the sample's error.

// TauMode is how softmax picks the keys it keeps in each row.
type TauMode uint8

const (
	// TauTopR keeps the top r = n^γ scores of each row (τ_i = the r-th
	// largest score of row i).
	TauTopR TauMode = iota
	// TauPaper keeps every key scoring ≥ b, the threshold the b control
	// sets (fixed, the paper's b with the measured spread, or a share):
	// the paper's "massively activated" entries.
	TauPaper
)

var tauNames = []string{TauTopR: "topr", TauPaper: "paper"}

func (t TauMode) String() string { return enum.String(tauNames, "TauMode", t) }

// ParseTauMode parses "topr" or "paper" (case-insensitive).
func ParseTauMode(s string) (TauMode, error) { return enum.Parse[TauMode](tauNames, "tau", s) }

// MarshalText writes the mode's name (JSON: "topr").
func (t TauMode) MarshalText() ([]byte, error) { return enum.Text(tauNames, "tau", t) }

// UnmarshalText parses a mode's name.
func (t *TauMode) UnmarshalText(b []byte) error { return enum.Unmarshal(tauNames, "tau", b, t) }

// TauNames is the allowed values of Params.Tau.
func TauNames() []string { return slices.Clone(tauNames) }

// HistMode is what panel 6 (histogram) shows.
type HistMode uint8

const (
	HistCounts HistMode = iota // the keys reported per query row
	HistScores                 // the distribution of the scores, b, the weight curve
)

var histNames = []string{HistCounts: "counts", HistScores: "scores"}

func (h HistMode) String() string { return enum.String(histNames, "HistMode", h) }

// ParseHistMode parses "counts" or "scores" (case-insensitive).
func ParseHistMode(s string) (HistMode, error) { return enum.Parse[HistMode](histNames, "hist", s) }

// MarshalText writes the mode's name (JSON: "counts").
func (h HistMode) MarshalText() ([]byte, error) { return enum.Text(histNames, "hist", h) }

// UnmarshalText parses a mode's name.
func (h *HistMode) UnmarshalText(b []byte) error { return enum.Unmarshal(histNames, "hist", b, h) }

// HistNames is the allowed values of Params.Hist.
func HistNames() []string { return slices.Clone(histNames) }

// ShareOptions are the shares the share control offers (0: off); any
// share in (0, MaxShare] is accepted through the hash, JSON and flags.
var ShareOptions = []float64{0, 0.001, 0.01, 0.02, 0.05, 0.1, 0.2}

// MaxShare is the largest share of keys per row the share control takes.
const MaxShare = 1.0

// How b was chosen (ThresholdInfo.How).
const (
	HowFixed = "fixed" // the b slider (or b in the hash)
	HowPaper = "paper" // the paper's b with the measured spread σ̂
	HowShare = "share" // the share s of keys reported per row
	HowTopR  = "topr"  // softmax top r = n^γ: b is not used
)

// thresholdHow is how p chooses its threshold.
func (p Params) thresholdHow() string {
	switch {
	case p.Kind == attention.Softmax && p.Tau == TauTopR:
		return HowTopR
	case p.Share > 0:
		return HowShare
	case p.PaperB:
		return HowPaper
	}
	return HowFixed
}

// dataThreshold reports whether p's b depends on the data (paper or share).
func (p Params) dataThreshold() bool { return p.Share > 0 || p.PaperB }

// impliedOff is the one rule of how a partial update chooses b: an
// explicit b turns off the paper's b and the share (unless the update
// gives them too), a share turns off the paper's b, the paper's b turns
// off the share. given tells which fields the update names; paper and
// share are the values it gives them.
func impliedOff(given func(k string) bool, paper bool, share float64) (paperOff, shareOff bool) {
	paperOff = !given("paper_b") && (given("b") || given("share") && share > 0)
	shareOff = !given("share") && (given("b") || given("paper_b") && paper)
	return paperOff, shareOff
}

// impliedThreshold applies impliedOff to p, whose named fields are set:
// the hash and the JSON patch go through it.
func (p *Params) impliedThreshold(given func(k string) bool) {
	paperOff, shareOff := impliedOff(given, p.PaperB, p.Share)
	if paperOff {
		p.PaperB = false
	}
	if shareOff {
		p.Share = 0
	}
}

// ImpliedThreshold returns the fields (JSON names → text) that an update
// naming the fields in given, with the texts in values, implies about how
// b is chosen (impliedOff), for a caller that builds a whole hash from a
// base and a few changed fields: the desktop flags.
func ImpliedThreshold(given map[string]bool, values map[string]string) map[string]string {
	var p Params
	if v, ok := values["paper_b"]; ok && given["paper_b"] {
		_ = p.setField("paper_b", v)
	}
	if v, ok := values["share"]; ok && given["share"] {
		_ = p.setField("share", v)
	}
	paperOff, shareOff := impliedOff(func(k string) bool { return given[k] }, p.PaperB, p.Share)
	out := map[string]string{}
	if paperOff {
		out["paper_b"] = "false"
	}
	if shareOff {
		out["share"] = "0"
	}
	return out
}

// validateThreshold checks the fields of this file (Params.Validate calls it).
func (p Params) validateThreshold() error {
	switch {
	case math.IsNaN(p.Share) || p.Share < 0 || p.Share > MaxShare:
		return fmt.Errorf("share must be 0 (off) or in (0, %g] (got %v)", MaxShare, p.Share)
	case p.Share > 0 && p.PaperB:
		return fmt.Errorf("share and paper_b both choose b: set share=0 or paper_b=false")
	case !oneOf(p.Tau.String(), tauNames):
		return fmt.Errorf("tau must be one of %s (got %v)", enum.List(tauNames), p.Tau)
	case !oneOf(p.Hist.String(), histNames):
		return fmt.Errorf("hist must be one of %s (got %v)", enum.List(histNames), p.Hist)
	}
	return nil
}

// spreadSampleKeys is the number of keys the score sample takes (every key
// when n is at most this).
const spreadSampleKeys = 4096

// spreadSampleIDs is the sample's key ids: all of 0 … n−1 when n ≤ s, else
// s evenly spaced ids ⌊t·n/s⌋, ascending.
func spreadSampleIDs(n, s int) []int {
	k := min(n, s)
	ids := make([]int, k)
	for t := range ids {
		ids[t] = int(int64(t) * int64(n) / int64(k))
	}
	return ids
}

type spreadKey struct{ data, q int }

// spreadJob is the score sample of the current keys and queries: one row
// of m per unit (min(n, spreadSampleKeys) dot products and a sort).
type spreadJob struct {
	key      spreadKey
	ids      []int
	m, d     int
	scores   []float64 // m×len(ids); row i sorted ascending
	next     int
	mean, m2 float64 // running mean and sum of squared deviations (Chan et al.)
	cnt      int
	sigma    float64 // σ̂: the standard deviation of the sample's scores
	lo, hi   float64 // smallest and largest sample score
	complete bool
}

func (sj *spreadJob) row(i int) []float64 {
	k := len(sj.ids)
	return sj.scores[i*k : (i+1)*k]
}

// spreadDone reports whether the sample of the current keys and queries is complete.
func (a *App) spreadDone() bool {
	sj := a.spread
	return sj != nil && sj.key == (spreadKey{a.dataVer, a.qVer}) && sj.complete
}

// stepSpread runs one unit of the spread job (starting it if needed).
func (a *App) stepSpread() error {
	ds := a.data
	key := spreadKey{a.dataVer, a.qVer}
	sj := a.spread
	if sj == nil || sj.key != key {
		ids := spreadSampleIDs(ds.n, spreadSampleKeys)
		m := len(a.q) / ds.d
		sj = &spreadJob{key: key, ids: ids, m: m, d: ds.d, scores: make([]float64, m*len(ids)),
			lo: math.Inf(1), hi: math.Inf(-1)}
		a.spread = sj
		return nil
	}
	if sj.complete {
		return nil
	}
	e := ds.engine(hsr.IndexScan)
	i, d := sj.next, sj.d
	q := a.q[i*d : (i+1)*d]
	row := sj.row(i)
	if len(sj.ids) == ds.n {
		if err := e.Dots(q, 0, ds.n, row); err != nil {
			return err
		}
	} else {
		for x, j := range sj.ids {
			if err := e.Dots(q, j, j+1, row[x:x+1]); err != nil {
				return err
			}
		}
	}
	var ap attention.Params // the engine's score: <q, k>/√d
	var mean float64
	for x := range row {
		row[x] = ap.Score(row[x], d)
		mean += row[x]
	}
	mean /= float64(len(row))
	var m2 float64
	for _, s := range row {
		m2 += (s - mean) * (s - mean)
	}
	sort.Float64s(row)
	sj.lo, sj.hi = math.Min(sj.lo, row[0]), math.Max(sj.hi, row[len(row)-1])
	// Chan et al.'s pairwise update of the mean and M2.
	nA, nB := float64(sj.cnt), float64(len(row))
	delta := mean - sj.mean
	sj.mean += delta * nB / (nA + nB)
	sj.m2 += m2 + delta*delta*nA*nB/(nA+nB)
	sj.cnt += len(row)
	sj.next++
	if sj.next == sj.m {
		sj.sigma = math.Sqrt(sj.m2 / float64(sj.cnt))
		sj.complete = true
		a.applyThreshold()
	}
	return nil
}

// countAtLeast is the number of sample scores ≥ x (each row is sorted).
func (sj *spreadJob) countAtLeast(x float64) int {
	c := 0
	for i := 0; i < sj.m; i++ {
		r := sj.row(i)
		c += len(r) - sort.SearchFloat64s(r, x)
	}
	return c
}

// countAbove is the number of sample scores > x.
func (sj *spreadJob) countAbove(x float64) int {
	c := 0
	for i := 0; i < sj.m; i++ {
		r := sj.row(i)
		c += len(r) - sort.Search(len(r), func(t int) bool { return r[t] > x })
	}
	return c
}

// ordered maps a float64 to a uint64 in the same order (NaN apart).
func ordered(x float64) uint64 {
	u := math.Float64bits(x)
	if u>>63 == 1 {
		return ^u
	}
	return u | 1<<63
}

func unordered(u uint64) float64 {
	if u>>63 == 1 {
		return math.Float64frombits(u &^ (1 << 63))
	}
	return math.Float64frombits(^u)
}

// kthLargest is the k-th largest sample score (1 ≤ k ≤ m·S): the largest x
// with at least k scores ≥ x, found by bisection on the floats' order (64
// steps of O(m log S)).
func (sj *spreadJob) kthLargest(k int) float64 {
	lo, hi := ordered(sj.lo), ordered(sj.hi) // countAtLeast(lo) = all ≥ k
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if sj.countAtLeast(unordered(mid)) >= k {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return unordered(lo)
}

// shareB is the threshold at which a share s of the sample's scores lies
// above: the midpoint between the k-th and (k+1)-th largest, k = round(s·N).
func (sj *spreadJob) shareB(s float64) float64 {
	N := sj.cnt
	k := min(N, max(0, int(math.Round(s*float64(N)))))
	switch {
	case N == 0:
		return 0
	case k == 0:
		return sj.hi + math.Max(math.Abs(sj.hi), 1)*1e-9
	case k == N:
		return sj.lo - math.Max(math.Abs(sj.lo), 1)*1e-9
	}
	return (sj.kthLargest(k) + sj.kthLargest(k+1)) / 2
}

// paperBAt is the paper's threshold for nn keys with the measured spread
// σ̂ of the current sample: attention.PaperThreshold(nn, σ̂). Before the
// sample is complete it is the isotropic prior (Params.paperB, σ_s = σ²).
// The scaling series' paper b at each prefix size should use it.
func (a *App) paperBAt(nn int) float64 {
	if !a.spreadDone() {
		p := a.p
		p.N = nn
		return p.paperB()
	}
	return attention.PaperThreshold(nn, a.spread.sigma)
}

// measuredB is the b the current mode gives from the complete sample.
func (a *App) measuredB() (float64, bool) {
	if !a.spreadDone() || !a.p.dataThreshold() {
		return 0, false
	}
	var b float64
	if a.p.Share > 0 {
		b = a.spread.shareB(a.p.Share)
	} else {
		b = attention.PaperThreshold(a.p.N, a.spread.sigma)
	}
	return math.Max(-MaxAbsB, math.Min(MaxAbsB, b)), true
}

// applyThreshold writes the measured b into the parameters when the mode
// takes b from the data and the sample is complete (invalidate calls it
// after every change, the spread job when it completes).
func (a *App) applyThreshold() {
	if b, ok := a.measuredB(); ok {
		a.p.B = b
	}
}

// thresholdPending reports whether b waits for the sample.
func (a *App) thresholdPending() bool { return !a.spreadDone() }

// ThresholdInfo says how the b shown was chosen (Snapshot().Threshold).
type ThresholdInfo struct {
	How          string  `json:"how"`           // fixed | paper | share | topr
	B            float64 `json:"b"`             // the b used (score units)
	Sigma        float64 `json:"sigma_hat"`     // σ̂, the measured standard deviation of the sample's scores
	SigmaIso     float64 `json:"sigma_iso"`     // σ², the spread isotropic N(0, σ²) data would have
	Share        float64 `json:"share"`         // the share asked for (how = share)
	SampleKeys   int     `json:"sample_keys"`   // keys in the sample (n when n ≤ 4096)
	SampleScores int     `json:"sample_scores"` // scores in the sample: m·sample_keys
	SampleAbove  float64 `json:"sample_above"`  // share of the sample's scores above b
	Text         string  `json:"text"`          // the sentence the screen shows
}

// thresholdInfo is how b was chosen, or nil before the sample exists.
func (a *App) thresholdInfo() *ThresholdInfo {
	if !a.spreadDone() {
		return nil
	}
	sj := a.spread
	p := a.p
	t := &ThresholdInfo{How: p.thresholdHow(), B: p.B, Sigma: sj.sigma, SigmaIso: p.Sigma * p.Sigma,
		Share: p.Share, SampleKeys: len(sj.ids), SampleScores: sj.cnt}
	t.SampleAbove = float64(sj.countAbove(p.B)) / float64(max(1, sj.cnt))
	t.Text = thresholdText(t)
	return t
}

// thresholdText is the one line that says how b was chosen.
func thresholdText(t *ThresholdInfo) string {
	switch t.How {
	case HowPaper:
		return fmt.Sprintf("b = %.3g: paper's b with measured spread σ_s = %.3g", t.B, t.Sigma)
	case HowShare:
		return fmt.Sprintf("b = %.3g: share %s of keys per row (σ_s = %.3g)", t.B, pct(t.Share), t.Sigma)
	case HowTopR:
		return "softmax keeps the top r = n^γ scores of each row: b is not used"
	}
	return fmt.Sprintf("b = %.3g: fixed (σ_s = %.3g measured: b = %.2g σ_s)", t.B, t.Sigma, t.B/t.Sigma)
}

// pct formats a share as a percentage with up to 3 significant digits.
func pct(s float64) string { return fmt.Sprintf("%.3g%%", 100*s) }

// KeptMass is the share of the dense softmax mass on the kept keys
// (Snapshot().KeptMass): its mean and its smallest value over the rows.
type KeptMass struct {
	Mean float64 `json:"mean"`
	Min  float64 `json:"min"`
}

// keptMass is the mean and the smallest over the shown rows of the share
// of the dense softmax mass Σ exp(s_ij) that the kept set holds (NaN
// outside softmax or before the rows).
func (a *App) keptMass() (mean, lo float64) {
	jb := a.shownRows
	if jb == nil || jb.key.kind != attention.Softmax {
		return math.NaN(), math.NaN()
	}
	lo = math.Inf(1)
	for i := range jb.rows {
		k := jb.rows[i].kept
		mean += k / float64(len(jb.rows))
		lo = math.Min(lo, k)
	}
	return mean, lo
}

// kindLabels are the attention select's options: ReLU^α and the two ways
// softmax keeps its keys (kindIndex, kindChoice).
var kindLabels = []string{"relu", "softmax, top r = n^γ", "softmax, scores ≥ b"}

// kindIndex is p's option in kindLabels.
func kindIndex(p Params) int {
	switch {
	case p.Kind == attention.ReLU:
		return 0
	case p.Tau == TauPaper:
		return 2
	}
	return 1
}

// kindChoice is the kind and tau of option i of kindLabels (tau unchanged
// for ReLU^α).
func kindChoice(i int, tau TauMode) (attention.Kind, TauMode) {
	switch i {
	case 1:
		return attention.Softmax, TauTopR
	case 2:
		return attention.Softmax, TauPaper
	}
	return attention.ReLU, tau
}

// shareLabels are the "b set by" select's options: the slider (fixed b),
// the paper's b with the measured spread, then ShareOptions as shares of
// keys per row, plus s when it is not one of them (a share from a link).
func shareLabels(s float64) []string {
	out := []string{"the slider (fixed b)", "paper's b, σ_s measured"}
	found := s == 0
	for _, v := range ShareOptions[1:] {
		out = append(out, pct(v)+" of keys per row")
		found = found || v == s
	}
	if !found {
		out = append(out, pct(s)+" of keys per row")
	}
	return out
}

// shareChoice is the paper_b and share the "b set by" select chooses.
func (c *controls) shareChoice() (paper bool, share float64) {
	i := c.share.Index
	switch {
	case i <= 0:
		return false, 0
	case i == 1:
		return true, 0
	case i-1 < len(ShareOptions):
		return false, ShareOptions[i-1]
	}
	return false, c.shareExtra
}

// syncThreshold shows how p chooses b in the "b set by" select.
func (c *controls) syncThreshold(p Params) {
	if c.share.Open {
		return
	}
	c.share.Options = shareLabels(p.Share)
	c.shareExtra = p.Share
	switch {
	case p.PaperB:
		c.share.Index = 1
	case p.Share == 0:
		c.share.Index = 0
	default:
		c.share.Index = len(c.share.Options) - 1
		for i, v := range ShareOptions[1:] {
			if v == p.Share {
				c.share.Index = i + 2
			}
		}
	}
}

// bLabel is the b slider's label: how b is chosen.
func bLabel(p Params) string {
	switch p.thresholdHow() {
	case HowPaper:
		return "threshold b (paper's)"
	case HowShare:
		return "threshold b (share " + pct(p.Share) + ")"
	case HowTopR:
		return "threshold b (unused: top r)"
	}
	return "threshold b (fixed, [ ])"
}

// SameChoice reports whether p and q are the same parameters as a user
// chose them: equal, or equal but for b where both take b from the data
// (paper_b or share), b being then the App's measurement, not a choice.
// (A link with bad fields keeps its address as typed while the user's
// choice stays the same: cmd/wasm.)
func (p Params) SameChoice(q Params) bool {
	if p.dataThreshold() && q.dataThreshold() {
		p.B, q.B = 0, 0
	}
	return p == q
}
