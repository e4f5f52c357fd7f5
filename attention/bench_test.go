package attention

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/hsrviz/hsrviz/attention/gen"
	"gonum.org/v1/gonum/mat"
)

// Benchmarks: HSR vs dense side by side at the paper's threshold on
// Gaussian data (σ = 1, d = 64). Data and indexes are built before the
// timer. Compare within one run:
//
//	go test ./attention -run - -bench 'Prefill|Decode' -benchtime 3x -count 5

func benchData(b testing.TB, n, m, d int) (Q, K, V *mat.Dense) {
	Q, K, V, err := gen.Generate(gen.Spec{Kind: gen.Gaussian, N: n, M: m, D: d, Sigma: 1, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	return Q, K, V
}

func benchPrefill(b *testing.B, dense bool) {
	const n, d = 1 << 14, 64
	Q, K, V := benchData(b, n, n, d)
	p := Params{Kind: ReLU, Alpha: 1, B: PaperThreshold(n, 1), Causal: true, CountsOnly: true}
	b.ResetTimer()
	for b.Loop() {
		var err error
		if dense {
			_, err = Dense(Q, K, V, p)
		} else {
			_, err = Prefill(Q, K, V, p)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrefill16K: m = n = 2^14, d = 64, causal, ReLU at the paper's
// threshold. Dense is Dgemm scores and Dgemm weights×V with causal tiles
// skipped; HSR is the batched filter of Prefill.
func BenchmarkPrefill16K_Dense(b *testing.B) { benchPrefill(b, true) }
func BenchmarkPrefill16K_HSR(b *testing.B)   { benchPrefill(b, false) }

func benchDecode(b *testing.B, kind IndexKind, dense bool) {
	const n, d = 1 << 20, 64
	Q, K, V := benchData(b, n, 4, d)
	p := Params{Kind: ReLU, Alpha: 1, B: PaperThreshold(n, 1)}
	out := make([]float64, d)
	e, err := NewEngine(K, V, kind)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.DenseRow(Q.RawRowView(0), 0, p, out); err != nil { // builds Kᵀ, Vᵀ
		b.Fatal(err)
	}
	if _, err := e.Row(Q.RawRowView(0), 0, p, out); err != nil { // the chooser's first probe
		b.Fatal(err)
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		q := Q.RawRowView(i % 4)
		i++
		row := e.Row
		if dense {
			row = e.DenseRow
		}
		if _, err := row(q, 0, p, out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode1M: one query against n = 2^20 keys, d = 64. Dense is
// DenseRow (gonum Dgemv over Kᵀ); HSR is Row (the sketch on the scan and
// automatic engines); both split a row over GOMAXPROCS goroutines.
func BenchmarkDecode1M_Dense(b *testing.B)   { benchDecode(b, IndexScan, true) }
func BenchmarkDecode1M_HSRScan(b *testing.B) { benchDecode(b, IndexScan, false) }
func BenchmarkDecode1M_HSRAuto(b *testing.B) { benchDecode(b, IndexAuto, false) }

// BenchmarkPrefill16K_Ratio alternates the paths in one process and
// reports the median of dense/HSR time ratios (> 1: HSR faster), the
// measure issue 4 asks for on a shared, noisy machine: "ratio" with the
// AVX2 score kernel, "ratio-sgemm" with gonum's Sgemm scoring the filter
// (the algorithm's share alone: same library as the dense baseline), and
// "ratio-vs-kernel-dense": HSR with its kernel against Dense scoring with
// the float64 twin of that kernel (same engineering on both sides).
func BenchmarkPrefill16K_Ratio(b *testing.B) {
	const n, d = 1 << 14, 64
	Q, K, V := benchData(b, n, n, d)
	p := Params{Kind: ReLU, Alpha: 1, B: PaperThreshold(n, 1), Causal: true, CountsOnly: true}
	var ratios, ratiosSgemm, ratiosK, dms, hms, sms, kms []float64
	defer func(k bool) { useKernel = k }(useKernel)
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		dn, err := Dense(Q, K, V, p)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		useKernel = hasKernel
		hs, err := Prefill(Q, K, V, p)
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		useKernel = false
		hg, err := Prefill(Q, K, V, p)
		if err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		denseKernel = hasKernel
		dk, err := Dense(Q, K, V, p)
		denseKernel = false
		if err != nil {
			b.Fatal(err)
		}
		t4 := time.Now()
		if e := slices.Max(RowError(dn.Out, dk.Out)); e > 1e-9 {
			b.Fatalf("dense kernel differs by %g", e)
		}
		kd := t4.Sub(t3).Seconds()
		kms, ratiosK = append(kms, kd*1e3), append(ratiosK, kd/t2.Sub(t1).Seconds())
		if e := max(slices.Max(RowError(dn.Out, hs.Out)), slices.Max(RowError(dn.Out, hg.Out))); e > 1e-9 {
			b.Fatalf("outputs differ by %g", e)
		}
		d, h, g := t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds(), t3.Sub(t2).Seconds()
		dms, hms, sms = append(dms, d*1e3), append(hms, h*1e3), append(sms, g*1e3)
		ratios, ratiosSgemm = append(ratios, d/h), append(ratiosSgemm, d/g)
	}
	b.ReportMetric(median(dms), "dense-ms")
	b.ReportMetric(median(hms), "hsr-ms")
	b.ReportMetric(median(sms), "hsr-sgemm-ms")
	b.ReportMetric(median(ratios), "ratio")
	b.ReportMetric(median(ratiosSgemm), "ratio-sgemm")
	b.ReportMetric(median(kms), "dense-kernel-ms")
	b.ReportMetric(median(ratiosK), "ratio-vs-kernel-dense")
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkDecode1M_Ratio: one query at a time against n = 2^20 keys
// (d = 64, paper threshold): DenseRow (gonum Dgemv, key ranges over
// GOMAXPROCS goroutines), Row on the scan engine and on the automatic one
// (the sketch, key ranges over GOMAXPROCS goroutines), in a rotating
// order, each query at GOMAXPROCS as set ("ratio-scan", "ratio-auto") and
// at GOMAXPROCS=1 (every path on one thread: "-1t"); medians of the
// per-query dense/HSR time ratios (> 1: HSR faster). Outputs are checked.
func BenchmarkDecode1M_Ratio(b *testing.B) {
	const n, d, m = 1 << 20, 64, 8
	Q, K, V := benchData(b, n, m, d)
	p := Params{Kind: ReLU, Alpha: 1, B: PaperThreshold(n, 1)}
	es, err := NewEngine(K, V, IndexScan)
	if err != nil {
		b.Fatal(err)
	}
	ea, err := NewEngine(K, V, IndexAuto)
	if err != nil {
		b.Fatal(err)
	}
	outs := [3][]float64{make([]float64, d), make([]float64, d), make([]float64, d)}
	rows := [3]func(q []float64, i int, p Params, out []float64) (Row, error){es.DenseRow, es.Row, ea.Row}
	for k, row := range rows { // builds Kᵀ, Vᵀ; the chooser's first (tree) probe
		if _, err := row(Q.RawRowView(0), 0, p, outs[k]); err != nil {
			b.Fatal(err)
		}
	}
	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	ratios := map[string][]float64{}
	var ms [2][3][]float64
	b.ResetTimer()
	i := 0
	for b.Loop() {
		q := Q.RawRowView(i % m)
		for pi, np := range []int{procs, 1} {
			runtime.GOMAXPROCS(np)
			var el [3]float64
			for x := range 3 {
				k := (i + x) % 3
				t0 := time.Now()
				if _, err := rows[k](q, 0, p, outs[k]); err != nil {
					b.Fatal(err)
				}
				el[k] = time.Since(t0).Seconds()
				ms[pi][k] = append(ms[pi][k], el[k]*1e3)
			}
			for t := range outs[0] {
				o := outs[0][t]
				if e := max(abs(o-outs[1][t]), abs(o-outs[2][t])); e > 1e-12*(abs(o)+1) {
					b.Fatalf("outputs differ by %g", e)
				}
			}
			sfx := []string{"", "-1t"}[pi]
			ratios["ratio-scan"+sfx] = append(ratios["ratio-scan"+sfx], el[0]/el[1])
			ratios["ratio-auto"+sfx] = append(ratios["ratio-auto"+sfx], el[0]/el[2])
		}
		i++
	}
	for name, r := range ratios {
		b.ReportMetric(median(r), name)
	}
	b.ReportMetric(median(ms[0][0]), "dense-ms")
	b.ReportMetric(median(ms[0][2]), "auto-ms")
	b.ReportMetric(median(ms[1][0]), "dense-1t-ms")
	b.ReportMetric(median(ms[1][2]), "auto-1t-ms")
}
