package hsr

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// Benchmarks compare the indexes side by side on the same data and the
// same queries (8 query directions in turn, c chosen per query from its
// sorted dot products to report the fraction): run e.g.
//
//	go test -run '^$' -bench 'Query/d=2/' -count 5 ./hsr
//
// and compare the tree and auto lines with the scan line of the same cell
// (benchstat helps). Each BenchmarkQuery line repeats one index, so its
// nodes stay in cache as far as they fit; BenchmarkRatio alternates the
// indexes query by query, which is closer to a cold cache. "-collect"
// lines gather the ids with Collect instead of calling a visitor per id. Nothing is built until a benchmark runs, so plain
// `go test` stays fast; -hsr.n changes the number of points.
var benchN = flag.Int("hsr.n", 1<<20, "points in the Query benchmarks")
var benchLeaf = flag.Int("hsr.leaf", 0, "leaf size of the benchmarked trees (0: default)")

type benchCase struct {
	d    int
	data string // "gauss" or "decay" (σ_t = e^(−t/4))
}

type benchSet struct {
	key   string
	pts   []float64
	scan  *Scan
	tree  *Tree
	auto  *Auto
	qs    [][]float64
	dots  [][]float64 // sorted dot products of each query
	d     int
	valid map[string]bool
}

// Only one data set is kept alive at a time (n = 2^20, d = 64 is 512 MiB
// per copy).
var benchCur *benchSet

func getBench(b *testing.B, bc benchCase) *benchSet {
	key := fmt.Sprintf("%d/%s/%d/%d", bc.d, bc.data, *benchN, *benchLeaf)
	if benchCur != nil && benchCur.key == key {
		return benchCur
	}
	benchCur = nil
	n, d := *benchN, bc.d
	rng := rand.New(rand.NewPCG(uint64(d), 2024))
	pts := genPoints(rng, bc.data, n, d)
	s := &benchSet{key: key, pts: pts, d: d, valid: map[string]bool{}}
	s.scan = NewScan(d, pts)
	s.tree = NewTree(d, pts, TreeOptions{LeafSize: *benchLeaf})
	s.auto = NewAuto(d, pts, TreeOptions{LeafSize: *benchLeaf})
	for range 8 {
		a := genQuery(rng, "gauss", d)
		dots := make([]float64, n)
		for i := range dots {
			dots[i] = Dot(a, pts[i*d:(i+1)*d])
		}
		slices.Sort(dots)
		s.qs = append(s.qs, a)
		s.dots = append(s.dots, dots)
	}
	benchCur = s
	return s
}

func BenchmarkQuery(b *testing.B) {
	cases := []benchCase{{2, "gauss"}, {3, "gauss"}, {8, "gauss"}, {16, "gauss"}, {64, "gauss"}, {64, "decay"}}
	fracs := []float64{1e-4, 1e-2, 0.5}
	for _, bc := range cases {
		for _, frac := range fracs {
			name := fmt.Sprintf("d=%d/%s/frac=%g", bc.d, bc.data, frac)
			for _, kind := range []string{"scan", "tree", "auto", "scan-collect", "tree-collect", "auto-collect"} {
				collect := strings.HasSuffix(kind, "-collect")
				b.Run(name+"/"+kind, func(b *testing.B) {
					s := getBench(b, bc)
					var ix Index
					switch strings.TrimSuffix(kind, "-collect") {
					case "scan":
						ix = s.scan
					case "tree":
						ix = s.tree
					default:
						ix = s.auto
					}
					cs := make([]float64, len(s.qs))
					for i := range cs {
						// c just below the k-th largest value: ≈ k reported.
						dots := s.dots[i]
						k := min(max(int(frac*float64(len(dots))), 1), len(dots))
						cs[i] = math.Nextafter(dots[len(dots)-k], math.Inf(-1))
					}
					vk := name + "/" + kind
					if !s.valid[vk] {
						// Check the output against the scan once per cell.
						for i, a := range s.qs {
							got, _ := Collect(ix, a, cs[i], nil)
							want, _ := Collect(s.scan, a, cs[i], nil)
							slices.Sort(got)
							slices.Sort(want)
							if !slices.Equal(got, want) {
								b.Fatalf("%s: %d ids, scan %d", vk, len(got), len(want))
							}
						}
						s.valid[vk] = true
					}
					cnt := 0
					visit := func(int) bool { cnt++; return true }
					var dst []int
					var dots, nodes int
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						q := i % len(s.qs)
						var st Stats
						if collect {
							dst, st = Collect(ix, s.qs[q], cs[q], dst[:0])
							cnt += len(dst)
						} else {
							st = ix.Query(s.qs[q], cs[q], visit)
						}
						dots += st.DotProducts
						nodes += st.NodesVisited
					}
					b.ReportMetric(float64(dots)/float64(b.N)/float64(*benchN), "dots/n")
					b.ReportMetric(float64(cnt)/float64(b.N), "reported/op")
					b.ReportMetric(float64(nodes)/float64(b.N), "nodes/op")
				})
			}
		}
	}
}

// BenchmarkStreamRead compares the scan with merely reading the same
// bytes (the floor), alternately, and reports the median times and the
// median ratio scan/read (the target is ≤ 1.15 at d = 64).
func BenchmarkStreamRead(b *testing.B) {
	for _, d := range []int{2, 8, 64} {
		b.Run(fmt.Sprintf("d=%d", d), func(b *testing.B) {
			s := getBench(b, benchCase{d, "gauss"})
			pts := s.scan.Points()
			b.SetBytes(int64(8 * len(pts)))
			for i := 0; i < b.N; i++ {
				var tr, ts, rat []float64
				for r := 0; r < *ratioRounds; r++ {
					t0 := time.Now()
					benchSink += sumFloats(pts)
					t1 := time.Now()
					s.scan.Query(s.qs[r%len(s.qs)], math.Inf(1), func(int) bool { return true })
					t2 := time.Now()
					tr = append(tr, float64(t1.Sub(t0)))
					ts = append(ts, float64(t2.Sub(t1)))
					rat = append(rat, float64(t2.Sub(t1))/float64(t1.Sub(t0)))
				}
				b.ReportMetric(median(tr)/1e6, "read-ms")
				b.ReportMetric(median(ts)/1e6, "scan-ms")
				b.ReportMetric(median(rat), "scan/read")
			}
		})
	}
}

var benchSink float64

// sumFloats is a 4-accumulator sum: a read of every value at memory speed.
//
//go:noinline
func sumFloats(p []float64) float64 {
	var s0, s1, s2, s3 float64
	for len(p) >= 4 {
		q := p[:4:4]
		s0 += q[0]
		s1 += q[1]
		s2 += q[2]
		s3 += q[3]
		p = p[4:]
	}
	for _, v := range p {
		s0 += v
	}
	return (s0 + s1) + (s2 + s3)
}

func BenchmarkTopR(b *testing.B) {
	for _, bc := range []benchCase{{2, "gauss"}, {8, "gauss"}, {64, "decay"}} {
		for _, kind := range []string{"scan", "tree"} {
			b.Run(fmt.Sprintf("d=%d/%s/r=1000/%s", bc.d, bc.data, kind), func(b *testing.B) {
				s := getBench(b, bc)
				var ix TopRer = s.scan
				if kind == "tree" {
					ix = s.tree
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					ix.TopR(s.qs[i%len(s.qs)], 1000)
				}
			})
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	for _, d := range []int{2, 64} {
		b.Run(fmt.Sprintf("d=%d/n=%d", d, 1<<18), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			pts := genPoints(rng, "gauss", 1<<18, d)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				NewTree(d, pts, TreeOptions{})
			}
		})
	}
}

// BenchmarkRatio measures, per cell, the scan, the tree and auto on the
// same queries alternately (scan, tree, auto, scan, …), and reports the
// median time of each and the median of the per-round ratios
// scan/tree and scan/auto: the figure least disturbed by a noisy machine.
// Run with -benchtime 1x (each op is a full set of rounds):
//
//	go test -run '^$' -bench Ratio -benchtime 1x ./hsr
var ratioRounds = flag.Int("hsr.rounds", 15, "alternating rounds per cell in BenchmarkRatio")

func BenchmarkRatio(b *testing.B) {
	cells := []struct {
		bc   benchCase
		frac float64
	}{
		{benchCase{2, "gauss"}, 1e-4}, {benchCase{2, "gauss"}, 1e-2}, {benchCase{2, "gauss"}, 0.5},
		{benchCase{3, "gauss"}, 1e-4}, {benchCase{3, "gauss"}, 1e-2},
		{benchCase{8, "gauss"}, 1e-4}, {benchCase{8, "gauss"}, 1e-2}, {benchCase{8, "gauss"}, 0.1}, {benchCase{8, "gauss"}, 0.5},
		{benchCase{8, "decay"}, 0.1}, {benchCase{8, "decay"}, 0.5},
		{benchCase{16, "gauss"}, 1e-4}, {benchCase{16, "gauss"}, 0.1}, {benchCase{16, "gauss"}, 0.5},
		{benchCase{64, "gauss"}, 1e-4}, {benchCase{64, "gauss"}, 0.5},
		{benchCase{64, "decay"}, 1e-4}, {benchCase{64, "decay"}, 1e-2}, {benchCase{64, "decay"}, 0.5},
	}
	for _, cell := range cells {
		for _, mode := range []string{"visit", "collect"} {
			name := fmt.Sprintf("d=%d/%s/frac=%g/%s", cell.bc.d, cell.bc.data, cell.frac, mode)
			b.Run(name, func(b *testing.B) {
				s := getBench(b, cell.bc)
				ixs := []Index{s.scan, s.tree, s.auto}
				cs := make([]float64, len(s.qs))
				for i := range cs {
					dots := s.dots[i]
					k := min(max(int(cell.frac*float64(len(dots))), 1), len(dots))
					cs[i] = math.Nextafter(dots[len(dots)-k], math.Inf(-1))
				}
				var dst []int
				cnt := 0
				visit := func(int) bool { cnt++; return true }
				run := func(ix Index, q int) time.Duration {
					t0 := time.Now()
					if mode == "visit" {
						ix.Query(s.qs[q], cs[q], visit)
					} else {
						dst, _ = Collect(ix, s.qs[q], cs[q], dst[:0])
					}
					return time.Since(t0)
				}
				for i := 0; i < b.N; i++ {
					var ts [3][]float64
					var rt, ra []float64
					for r := 0; r < *ratioRounds; r++ {
						q := r % len(s.qs)
						var t [3]float64
						for k, ix := range ixs {
							t[k] = float64(run(ix, q))
							ts[k] = append(ts[k], t[k])
						}
						rt = append(rt, t[0]/t[1])
						ra = append(ra, t[0]/t[2])
					}
					b.ReportMetric(median(ts[0])/1e6, "scan-ms")
					b.ReportMetric(median(ts[1])/1e6, "tree-ms")
					b.ReportMetric(median(ts[2])/1e6, "auto-ms")
					b.ReportMetric(median(rt), "scan/tree")
					b.ReportMetric(median(ra), "scan/auto")
				}
			})
		}
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return math.NaN()
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
