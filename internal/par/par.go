// Package par runs independent pieces of work on several goroutines.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls f(w, i) for every i in [0, n), on up to workers goroutines
// (GOMAXPROCS when workers <= 0), and returns when every call has
// returned. Indexes are taken in order; w is the goroutine's number, below
// workers, for state a goroutine keeps to itself. With one worker, or one
// index, everything runs on the calling goroutine.
func Each(n, workers int, f func(w, i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers = min(workers, n); workers <= 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(w, i)
			}
		})
	}
	wg.Wait()
}
