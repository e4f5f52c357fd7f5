package attention

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"testing"

	"github.com/hsrviz/hsrviz/attention/gen"
	"github.com/hsrviz/hsrviz/hsr"
)

// The determinism check between builds (see "Determinism across builds" in
// the package doc). scripts/determinism.sh runs
//
//	go test -run TestDeterminismDigest ./attention -args -digest=native.json
//	GOOS=js GOARCH=wasm go test -run TestDeterminismDigest ./attention -args -digest-compare=native.json
//
// so that the browser's build (wasm, portable kernels) is compared with the
// desktop's (amd64, AVX2/FMA where the CPU has them).
var (
	digestOut = flag.String("digest", "", "write the determinism digest (JSON) to this file")
	digestCmp = flag.String("digest-compare", "", "compare this build's digest with the digest in this file")
)

// digest is what one build computes on fixed seeded inputs.
type digest struct {
	Build string `json:"build"` // GOOS/GOARCH
	// FMA says whether attention's dot and axpy used the FMA kernel: then
	// its numbers may differ from the portable build's in the last bits.
	FMA       bool              `json:"fma"`
	Scenarios []digestScenario  `json:"scenarios"`
	HSR       map[string]string `json:"hsr"` // index and data → hash of the reported ids of every query
}

type digestScenario struct {
	Name string `json:"name"`
	// Sets is the hash of every row's key list and count (exact in every
	// build: the data keep every score at least 1e-9 from the threshold).
	Sets string `json:"sets"`
	// Numbers are every row's outputs, then thresholds and bounds.
	Numbers []float64 `json:"numbers"`
}

// numberTolerance is how far attention's numbers may differ between an FMA
// build and a portable one, relative to the magnitude of what they sum:
// a dot product of d terms, or a sum over the kept keys, rounds each term
// once either way, so the two differ by a few ulps of the largest partial
// sum; 1e-12 is far above that and far below any real disagreement.
const numberTolerance = 1e-12

func computeDigest(t *testing.T) digest {
	dg := digest{Build: runtime.GOOS + "/" + runtime.GOARCH, FMA: hasKernel, HSR: map[string]string{}}
	for _, kind := range gen.Kinds() {
		for _, d := range []int{2, 8, 64} {
			spec := gen.Spec{Kind: kind, N: 2000, M: 16, D: d, DV: 4, Sigma: 1, Seed: 7}
			Q, K, V, err := gen.Generate(spec)
			if err != nil {
				t.Fatal(err)
			}
			// Prompt prefilling: m = n, causal or not.
			pspec := spec
			pspec.N, pspec.M, pspec.Seed = 300, 300, 8
			PQ, PK, PV, err := gen.Generate(pspec)
			if err != nil {
				t.Fatal(err)
			}
			b := PaperThreshold(spec.N, spec.Sigma)
			for _, p := range []Params{
				{Kind: ReLU, Alpha: 1, B: b},
				{Kind: ReLU, Alpha: 2, B: b / 2, Causal: true},
				{Kind: Softmax, Tau: b},
				{Kind: Softmax, TopR: 16},
			} {
				for _, ix := range []IndexKind{IndexTree, IndexScan, IndexAuto} {
					p.Index = ix
					name := fmt.Sprintf("%v d=%d %v alpha=%d b=%.4g tau=%.4g topr=%d causal=%v index=%v", kind, d, p.Kind, p.Alpha, p.B, p.Tau, p.TopR, p.Causal, ix)
					res, err := HSR(Q, K, V, p)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					dg.Scenarios = append(dg.Scenarios, scenario("hsr "+name, res, Q.RawMatrix().Data, K.RawMatrix().Data, d, p))
				}
				res, err := Prefill(PQ, PK, PV, p)
				if err != nil {
					t.Fatalf("prefill %v: %v", p, err)
				}
				name := fmt.Sprintf("prefill %v d=%d %v alpha=%d b=%.4g tau=%.4g topr=%d causal=%v", kind, d, p.Kind, p.Alpha, p.B, p.Tau, p.TopR, p.Causal)
				dg.Scenarios = append(dg.Scenarios, scenario(name, res, PQ.RawMatrix().Data, PK.RawMatrix().Data, d, p))
			}
			// hsr alone: every index reports the same ids in every build.
			keys := K.RawMatrix().Data
			for _, c := range []float64{0, b * math.Sqrt(float64(d))} {
				for name, ix := range map[string]hsr.Index{
					"tree": hsr.NewTree(d, keys, hsr.TreeOptions{}),
					"scan": hsr.NewScan(d, keys),
					"auto": hsr.NewAuto(d, keys, hsr.TreeOptions{}),
				} {
					h := sha256.New()
					for i := 0; i < spec.M; i++ {
						var ids []int
						ix.Query(Q.RawRowView(i), c, func(id int) bool { ids = append(ids, id); return true })
						slices.Sort(ids)
						fmt.Fprintln(h, ids)
					}
					dg.HSR[fmt.Sprintf("%v d=%d c=%.4g %s", kind, d, c, name)] = hex.EncodeToString(h.Sum(nil))
				}
			}
		}
	}
	return dg
}

// scenario digests one result. The key sets are exact across builds only
// where no score is within rounding of the threshold (the FMA dot product
// and the portable one may differ in the last bits); the distance is
// checked with hsr.Dot, which is bit-identical in every build, and a
// scenario too close is marked "near a tie" in every build alike.
func scenario(name string, res *Result, qs, ks []float64, d int, p Params) digestScenario {
	sc := digestScenario{Name: name}
	scale := p.scale(d)

	stable := true
	for i, r := range res.Rows {
		q := qs[i*d : (i+1)*d]
		scores := make([]float64, r.Visible)
		for j := range scores {
			scores[j] = score(hsr.Dot(q, ks[j*d:(j+1)*d]), scale, !p.Unscaled)
		}
		var thr float64
		switch {
		case p.Kind == ReLU:
			thr = p.B
		case p.TopR == 0:
			thr = p.Tau
		case p.TopR < len(scores):
			s := slices.Clone(scores)
			slices.Sort(s)
			// The r-th largest and the next must be apart.
			if s[len(s)-p.TopR]-s[len(s)-p.TopR-1] < 1e-9*(1+math.Abs(s[len(s)-p.TopR])) {
				stable = false
			}
			continue
		default:
			continue
		}
		for _, v := range scores {
			if math.Abs(v-thr) < 1e-9*(1+math.Abs(thr)) {
				stable = false
			}
		}
	}
	h := sha256.New()
	for i, r := range res.Rows {
		fmt.Fprintln(h, i, r.Count, r.Visible, r.Empty, r.Keys)
	}
	sc.Sets = hex.EncodeToString(h.Sum(nil))
	if !stable {
		sc.Sets = "near a tie"
	}
	sc.Numbers = append(sc.Numbers, res.Out.RawMatrix().Data...)
	for _, r := range res.Rows {
		if !math.IsInf(r.Threshold, 0) {
			sc.Numbers = append(sc.Numbers, r.Threshold)
		}
		if !math.IsNaN(r.ErrorBound) {
			sc.Numbers = append(sc.Numbers, r.ErrorBound)
		}
	}
	return sc
}

// TestDeterminismDigest computes the digest of this build; with -digest it
// writes it, with -digest-compare it compares it with another build's:
// the same key sets and counts everywhere, hsr's reported ids identical,
// and the numbers bit-identical between two builds without FMA, within
// numberTolerance (relative to the row's largest |value|, or 1) otherwise.
func TestDeterminismDigest(t *testing.T) {
	dg := computeDigest(t)
	unstable := 0
	for _, s := range dg.Scenarios {
		if s.Sets == "near a tie" {
			unstable++
		}
	}
	if unstable > len(dg.Scenarios)/10 {
		t.Errorf("%d of %d scenarios have a score within 1e-9 of their threshold: choose other seeds", unstable, len(dg.Scenarios))
	}
	if *digestOut != "" {
		b, err := json.Marshal(dg)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*digestOut, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if *digestCmp == "" {
		return
	}
	b, err := os.ReadFile(*digestCmp)
	if err != nil {
		t.Fatal(err)
	}
	var other digest
	if err := json.Unmarshal(b, &other); err != nil {
		t.Fatalf("%s: %v", *digestCmp, err)
	}
	if msg := compareDigests(dg, other); msg != "" {
		t.Fatalf("%s (FMA %v) vs %s (FMA %v): %s", dg.Build, dg.FMA, other.Build, other.FMA, msg)
	}
	t.Logf("%s (FMA %v) agrees with %s (FMA %v): %d scenarios, %d hsr query sets", dg.Build, dg.FMA, other.Build, other.FMA, len(dg.Scenarios), len(dg.HSR))
}

// compareDigests returns "" when a and b agree as TestDeterminismDigest
// says, else the first disagreement.
func compareDigests(a, b digest) string {
	if len(a.Scenarios) != len(b.Scenarios) || len(a.HSR) != len(b.HSR) {
		return fmt.Sprintf("different scenarios: %d and %d, %d and %d hsr sets", len(a.Scenarios), len(b.Scenarios), len(a.HSR), len(b.HSR))
	}
	for k, v := range a.HSR {
		if b.HSR[k] != v {
			return fmt.Sprintf("hsr %s: the reported ids differ", k)
		}
	}
	exact := !a.FMA && !b.FMA
	for i, sa := range a.Scenarios {
		sb := b.Scenarios[i]
		if sa.Name != sb.Name || sa.Sets != sb.Sets || len(sa.Numbers) != len(sb.Numbers) {
			return fmt.Sprintf("%s: the key sets or counts differ", sa.Name)
		}
		mag := 1.0
		for _, v := range sa.Numbers {
			mag = math.Max(mag, math.Abs(v))
		}
		for x, v := range sa.Numbers {
			w := sb.Numbers[x]
			if exact && math.Float64bits(v) != math.Float64bits(w) {
				return fmt.Sprintf("%s: number %d: %v vs %v (both portable: must be bit-identical)", sa.Name, x, v, w)
			}
			if math.Abs(v-w) > numberTolerance*mag {
				return fmt.Sprintf("%s: number %d: %v vs %v, beyond %g relative", sa.Name, x, v, w, numberTolerance)
			}
		}
	}
	return ""
}

// TestDeterminismPortable runs the digest twice in this process, with the
// FMA kernels and with the portable code the wasm build runs, and compares
// them as between builds: a check of the same promise that needs no Node
// (and is skipped where the CPU has no such kernels).
func TestDeterminismPortable(t *testing.T) {
	if !hasKernel {
		t.Skip("no AVX2/FMA kernels here: every build is the portable one")
	}
	if testing.Short() {
		t.Skip("computes the digest twice; skipped with -short")
	}
	fast := computeDigest(t)
	defer func(a, b, c bool) { hasKernel, useKernel, useQKernel = a, b, c }(hasKernel, useKernel, useQKernel)
	hasKernel, useKernel, useQKernel = false, false, false
	portable := computeDigest(t)
	if msg := compareDigests(fast, portable); msg != "" {
		t.Fatal(msg)
	}
}
