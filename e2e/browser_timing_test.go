package e2e

import (
	"math"
	"testing"
)

// The page is cross-origin isolated (internal/serve sends COOP/COEP), every
// resource it fetched arrived, and the numbers panel's timing is there: per
// query, in batches of whole passes over the m queries, 5 to 15 rounds. The
// figures and the clock's step are logged, not asserted (timings never are).
func TestBrowserTimingIsolated(t *testing.T) {
	for _, c := range []struct{ name, hash string }{
		{"d2", ""},
		{"d64", "n=4096&d=64&m=32&paper_b=true"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := openPage(t, c.hash)
			if v := p.evalFloat(`self.crossOriginIsolated ? 1 : 0`); v != 1 {
				t.Error("the page is not cross-origin isolated")
			}
			// resources: every entry has a response (a COEP block would leave
			// status 0). The wasm is fetched by the loader's worker, whose
			// entries the page does not see: the loader reports its status.
			bad := p.evalFloat(`performance.getEntriesByType("resource").filter(e => e.responseStatus !== 200).length`)
			all := p.evalFloat(`performance.getEntriesByType("resource").length`)
			if p.evalFloat(`hsrvizLoad.via === "worker" ? 1 : 0`) == 1 {
				if st := p.evalFloat(`hsrvizLoad.httpStatus`); st != 200 {
					bad++
					t.Errorf("the worker's wasm download: HTTP status %v, want 200", st)
				}
				all++
			}
			if bad != 0 || all < 2 {
				t.Errorf("resources: %v of %v without a 200 response", bad, all)
			}
			// the smallest step of performance.now() seen in a busy loop
			step := p.evalFloat(`(() => { let m = Infinity, a = performance.now(); const end = a + 50;
				while (a < end) { const b = performance.now(); if (b > a) { m = Math.min(m, b - a); a = b; } } return m; })()`)
			s := p.snapshot()
			num := s.Numbers
			m := num["m"]
			for _, k := range []string{"index_query_ms", "scan_query_ms", "speedup", "time_rounds", "time_batch_queries_index", "time_batch_queries_scan"} {
				if _, ok := num[k]; !ok {
					t.Fatalf("Numbers has no %s (the page settled without the timing)", k)
				}
			}
			if r := num["time_rounds"]; r < 5 || r > 15 || math.Mod(r, 2) != 1 {
				t.Errorf("time_rounds %v, want odd in 5…15", r)
			}
			for _, k := range []string{"time_batch_queries_index", "time_batch_queries_scan"} {
				if q := num[k]; q < m || math.Mod(q, m) != 0 {
					t.Errorf("%s = %v: want whole passes over the m = %v queries", k, q, m)
				}
			}
			t.Logf("%s: clock step %.1f µs; per query, fastest of %v rounds: %s %.2f µs vs scan %.2f µs, scan/%s %.2f× (medians %.2f vs %.2f µs; batches of %v and %v queries)",
				c.name, step*1000, num["time_rounds"], s.Params.Index, num["index_query_ms"]*1000, num["scan_query_ms"]*1000, s.Params.Index,
				num["speedup"], num["index_query_median_ms"]*1000, num["scan_query_median_ms"]*1000,
				num["time_batch_queries_index"], num["time_batch_queries_scan"])
			p.screenshot("browser-timing-" + c.name + ".png")
			p.checkConsoleClean()
		})
	}
}
