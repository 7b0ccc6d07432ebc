package par

import (
	"sync/atomic"
	"testing"
)

func TestEach(t *testing.T) {
	for _, tc := range []struct{ n, workers int }{{0, 4}, {1, 4}, {7, 1}, {100, 3}, {5, 0}} {
		calls := make([]atomic.Int32, tc.n)
		maxW := tc.workers
		if maxW <= 0 {
			maxW = 1 << 10
		}
		var badWorker atomic.Bool
		Each(tc.n, tc.workers, func(w, i int) {
			calls[i].Add(1)
			if w < 0 || w >= max(maxW, 1) {
				badWorker.Store(true)
			}
		})
		for i := range calls {
			if got := calls[i].Load(); got != 1 {
				t.Errorf("n=%d workers=%d: index %d called %d times, want once", tc.n, tc.workers, i, got)
			}
		}
		if badWorker.Load() {
			t.Errorf("n=%d workers=%d: a worker number out of range", tc.n, tc.workers)
		}
	}
}
