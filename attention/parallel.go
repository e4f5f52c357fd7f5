package attention

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// maxWorkers is the number of goroutines a batch uses: one per processor
// (GOMAXPROCS), so the dense and HSR paths get the same parallelism.
func maxWorkers() int { return max(1, runtime.GOMAXPROCS(0)) }

// parallelRows calls f(i, w) for i in [0, m) from up to workers goroutines,
// each with its own scratch, handing out rows in small chunks so uneven
// rows (causal prefixes) balance. It returns the first error.
func parallelRows(m, workers int, f func(i int, w *work) error) error {
	return parallelChunks(m, 16, workers, func(lo, hi int, w *work) error {
		for i := lo; i < hi; i++ {
			if err := f(i, w); err != nil {
				return err
			}
		}
		return nil
	})
}

// parallelChunks hands out [lo, hi) chunks of size chunk, last chunk first
// (under a causal mask the last rows are the most work, so starting there
// balances the tail).
func parallelChunks(m, chunk, workers int, f func(lo, hi int, w *work) error) error {
	nchunks := (m + chunk - 1) / chunk
	if workers > nchunks {
		workers = nchunks
	}
	if workers <= 1 {
		w := new(work)
		for c := nchunks - 1; c >= 0; c-- {
			if err := f(c*chunk, min(m, (c+1)*chunk), w); err != nil {
				return err
			}
		}
		return nil
	}
	var next atomic.Int64
	next.Store(int64(nchunks))
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	var failed atomic.Bool
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := new(work)
			for !failed.Load() {
				c := int(next.Add(-1))
				if c < 0 {
					return
				}
				if err := f(c*chunk, min(m, (c+1)*chunk), w); err != nil {
					once.Do(func() { first = err })
					failed.Store(true)
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}
