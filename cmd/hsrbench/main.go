package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// sections in the order they run.
var sectionNames = []string{"stream", "grid", "decode", "prefill", "scaling"}

// dataKinds are attention/gen's kinds; the grid runs the first three by default.
var dataKinds = []string{"gaussian", "decaying", "massive", "clustered"}

// config is everything a run depends on; flags fill it, tests build it directly.
type config struct {
	full   bool
	json   bool
	reps   int
	minRun time.Duration // shortest timed run (tests set 0)
	// cellReps: the rounds of a grid or scaling cell (12 with -full, where
	// the Auto target reads the worst of 90 cells; -reps sets it too), and
	// more where they are cheap, as many as fill cellTotal (at most
	// 4·cellReps; 0: cellReps).
	cellReps  int
	cellTotal time.Duration
	nMax      int // cap on every n
	sections  map[string]bool
	seed      uint64
	cpuProf   string // write a CPU profile of the whole run here
	visit     bool   // grid/scaling: time Query with a callback instead of hsr.Collect
	wall      bool   // time the single-threaded sections by the wall clock too

	gridN     int
	gridDims  []int
	gridFracs []float64
	gridData  []string
	gridQ     int // queries per grid cell

	streamN, streamD int

	decodeN, decodeM int // keys, single-query decodes per batch
	prefillN         int // m = n
	attnD            int
	alpha            int

	scaleMaxN int
	scaleDims []int
	scaleQ    int

	// extra contenders for the grid, after scan/tree/auto (tests inject a wrong one).
	extra []maker
}

func defaultConfig(full bool) config {
	c := config{
		full: full, reps: 5, nMax: 1 << 20, seed: 1, minRun: defaultMinRun, cellTotal: defaultCellTotal,
		streamN: 1 << 20, streamD: 64,
		attnD: 64, alpha: 2,
	}
	c.cellReps = c.reps
	if full {
		// Auto's target is the worst of 90 cells, where Auto and the scan
		// often do the same work: the runs of such a cell spread ±5–15%
		// (thread CPU time, other tenants' memory traffic), so 5-round
		// medians put equal work at up to 1.09–1.11 apart
		// (docs/performance.md). 12 rounds: two whole periods of
		// roundOrder's balanced order for the grid's 3 contenders.
		c.cellReps = 12
		c.gridN = 1 << 20
		c.gridDims = []int{2, 3, 8, 16, 64, 128}
		c.gridFracs = []float64{1e-4, 1e-3, 1e-2, 0.1, 0.5}
		c.gridData = dataKinds[:3]
		c.gridQ = 8
		c.decodeN, c.decodeM = 1<<20, 8
		c.prefillN = 1 << 14
		c.scaleMaxN = 1 << 20
		c.scaleDims = []int{3, 64}
		c.scaleQ = 16
	} else {
		c.reps, c.cellReps = 3, 3
		c.gridN = 1 << 18
		c.gridDims = []int{2, 3, 8, 64}
		c.gridFracs = []float64{1e-4, 1e-2, 0.5}
		c.gridData = []string{"gaussian", "decaying"}
		c.gridQ = 4
		c.decodeN, c.decodeM = 1<<18, 4
		c.prefillN = 1 << 12
		c.scaleMaxN = 1 << 16
		c.scaleDims = []int{3, 64}
		c.scaleQ = 8
	}
	c.sections = map[string]bool{}
	for _, s := range sectionNames {
		c.sections[s] = true
	}
	return c
}

// parseFlags turns the command line into a config, or an error that names the bad flag.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("hsrbench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	full := fs.Bool("full", false, "run the whole grid at n = 2^20 (slow)")
	js := fs.Bool("json", false, "print one JSON object per line instead of tables")
	reps := fs.Int("reps", 0, "timed rounds per measurement (default 3 quick; 5 -full, 12 for grid and scaling cells)")
	nMax := fs.Int("n", 0, "cap on every n (default 2^20; at least 1024)")
	cases := fs.String("cases", "", "comma list of sections: "+strings.Join(sectionNames, ",")+" (attention = decode,prefill; default all)")
	seed := fs.String("seed", "1", "seed of every generator (unsigned integer)")
	dims := fs.String("d", "", "comma list of dimensions for the grid (default by mode)")
	visit := fs.Bool("visit", false, "grid and scaling: time Index.Query with a callback per id instead of hsr.Collect")
	prof := fs.String("cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	wall := fs.Bool("wall", false, "time every section by the wall clock (default: stream, grid and scaling by the thread's CPU time, decode-1t by the process's)")
	data := fs.String("data", "", "comma list of data kinds for the grid: "+strings.Join(dataKinds, ","))
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q (all options are flags)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	c := defaultConfig(*full)
	c.json = *js
	c.cpuProf = *prof
	c.visit = *visit
	c.wall = *wall
	if set["reps"] {
		if *reps < 1 || *reps > 1000 {
			return config{}, fmt.Errorf("-reps %d: want 1..1000", *reps)
		}
		c.reps, c.cellReps = *reps, *reps
	}
	if set["n"] {
		if *nMax < 1024 || *nMax > 1<<24 {
			return config{}, fmt.Errorf("-n %d: want 1024..16777216", *nMax)
		}
		c.nMax = *nMax
	}
	s, err := strconv.ParseUint(*seed, 10, 64)
	if err != nil {
		return config{}, fmt.Errorf("-seed %q: want an unsigned integer", *seed)
	}
	c.seed = s
	if *cases != "" {
		c.sections = map[string]bool{}
		for _, name := range strings.Split(*cases, ",") {
			name = strings.TrimSpace(name)
			switch {
			case name == "attention":
				c.sections["decode"], c.sections["prefill"] = true, true
			case name == "all":
				for _, s := range sectionNames {
					c.sections[s] = true
				}
			case slices.Contains(sectionNames, name):
				c.sections[name] = true
			default:
				return config{}, fmt.Errorf("-cases: unknown section %q (want %s, attention or all)", name, strings.Join(sectionNames, ", "))
			}
		}
	}
	if *dims != "" {
		c.gridDims = nil
		for _, f := range strings.Split(*dims, ",") {
			d, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || d < 1 || d > 1024 {
				return config{}, fmt.Errorf("-d: bad dimension %q (want integers 1..1024)", f)
			}
			c.gridDims = append(c.gridDims, d)
		}
	}
	if *data != "" {
		c.gridData = nil
		for _, f := range strings.Split(*data, ",") {
			f = strings.TrimSpace(f)
			if !slices.Contains(dataKinds, f) {
				return config{}, fmt.Errorf("-data: unknown kind %q (want %s)", f, strings.Join(dataKinds, ", "))
			}
			c.gridData = append(c.gridData, f)
		}
	}
	c.gridN = min(c.gridN, c.nMax)
	c.streamN = min(c.streamN, c.nMax)
	c.decodeN = min(c.decodeN, c.nMax)
	c.prefillN = min(c.prefillN, c.nMax)
	c.scaleMaxN = min(c.scaleMaxN, c.nMax)
	return c, nil
}

const usage = `usage: hsrbench [-full] [-json] [-reps N] [-n MAX] [-cases LIST] [-seed S] [-d LIST] [-data LIST] [-visit] [-wall] [-cpuprofile FILE]
  -full        the whole grid at n = 2^20 (default: quick, smaller n and fewer cells)
  -json        one JSON object per line instead of tables
  -reps N      timed rounds per measurement (medians reported; default 3, -full 5 and 12
               for grid and scaling cells, which repeat cheap rounds up to 4x)
  -n MAX       cap on every n
  -cases LIST  sections to run: stream,grid,decode,prefill,scaling (attention = decode,prefill)
  -seed S      seed of every data generator
  -d LIST      grid dimensions, e.g. 2,64
  -data LIST   grid data kinds: gaussian,decaying,massive,clustered (attention/gen)
  -visit       time Index.Query with a callback per id (default: hsr.Collect, as the engine does)
  -wall        time every section by the wall clock (default, on Linux: stream, grid and
               scaling by the CPU time of the thread running them, decode-1t by the
               process's; decode at GOMAXPROCS and prefill always by the wall)
  -cpuprofile FILE  write a CPU profile of the run (go tool pprof)
`

// soloTimer is the clock of the single-threaded sections (stream, grid,
// scaling): the CPU time of the thread that runs a contender, unless -wall.
// On this machine, shared with builds and browser tests, the wall time of
// a 70 ms scan moved by 0.78–1.19× between otherwise equal copies of the
// points, timed alternately in one process, and its thread CPU time by
// 0.96–1.02× (BenchmarkClocks, docs/performance.md):
// the wall clock mostly measures when the scheduler gave the core away.
// Thread CPU time still counts every cycle the contender stalls on memory.
// decode and prefill run goroutines in parallel and keep the wall clock,
// but for decode-1t (GOMAXPROCS=1), timed by the process's CPU time.
func (c config) soloTimer() timer {
	if c.wall {
		return wallTimer
	}
	return threadTimer
}

func (c config) soloClockName() string {
	if c.wall {
		return "wall time"
	}
	return threadClockName
}

// loadAvg is the 1-minute load average (Linux), to judge how noisy a run was.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "unknown"
	}
	return f[0]
}

// run is main without os.Exit: 0 all checks passed, 1 a result differed from
// its oracle, 2 bad usage.
func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "hsrbench: %v\n%s", err, usage)
		return 2
	}
	if c.cpuProf != "" {
		f, err := os.Create(c.cpuProf)
		if err != nil {
			fmt.Fprintf(stderr, "hsrbench: -cpuprofile: %v\n%s", err, usage)
			return 2
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "hsrbench: -cpuprofile: %v\n%s", err, usage)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	return bench(c, stdout, stderr)
}

// bench runs the selected sections and returns the exit status.
func bench(c config, stdout, stderr io.Writer) int {
	out := newReporter(stdout, c.json)
	start := time.Now()
	mode := "quick"
	if c.full {
		mode = "full"
	}
	out.comment(fmt.Sprintf("hsrbench %s: %s/%s GOMAXPROCS=%d %s reps=%d (grid and scaling cells %d+) seed=%d; load average at start: %s; stream, grid, scaling timed by %s, decode-1t by %s, decode and prefill by wall time",
		mode, runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.Version(), c.reps, c.cellReps, c.seed, loadAvg(), c.soloClockName(), map[bool]string{false: processClockName, true: "wall time"}[c.wall]))
	for _, s := range sectionNames {
		if !c.sections[s] {
			continue
		}
		t0 := time.Now()
		fmt.Fprintf(stderr, "hsrbench: section %s...\n", s)
		switch s {
		case "stream":
			runStream(c, out, stderr)
		case "grid":
			runGrid(c, out, stderr)
		case "decode":
			runDecode(c, out, stderr)
		case "prefill":
			runPrefill(c, out, stderr)
		case "scaling":
			runScaling(c, out, stderr)
		}
		fmt.Fprintf(stderr, "hsrbench: section %s took %.1fs\n", s, time.Since(t0).Seconds())
	}
	out.targets(c)
	out.comment(fmt.Sprintf("total %.1fs; load average at end: %s (other work on this machine skews absolute times; ratios are side by side)",
		time.Since(start).Seconds(), loadAvg()))
	if out.failures > 0 {
		msg := fmt.Sprintf("hsrbench: FAILED: %d result(s) differ from their oracle (see MISMATCH lines)", out.failures)
		fmt.Fprintln(stderr, msg)
		if c.json {
			out.comment(msg)
		}
		return 1
	}
	return 0
}
