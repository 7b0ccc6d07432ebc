package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// The garbage collector's settings, when neither GOGC nor GOMEMLIMIT is
// set. A scan's live heap is small and flat (the root modules being
// evaluated and a sorter's buffer of findings; the rest of the findings
// wait on disk), and what it allocates is short lived, so collecting at
// a fixed heap size rather than at a multiple of the live heap spends far
// less CPU for the same peak: the collector runs when the runtime's memory
// reaches gcFloor, or gcPercent above the live heap once that is larger
// (one large root module), so memory is bounded either way.
//
// Measured on the generated 200-root tree (see README, Performance).
const (
	gcFloor   = 48 << 20
	gcPercent = 50
	// gcSlack is what the runtime holds beside the live heap (stacks,
	// metadata, fragmentation), added to the limit for a large heap.
	gcSlack = 8 << 20
)

func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		debug.SetGCPercent(gcPercent)
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcFloor)
	watchGC()
}

// gcSentinel's finalizer runs once after each collection.
type gcSentinel struct{ _ [16]byte }

// gcWatching is cleared to stop watchGC (tests).
var gcWatching atomic.Bool

var liveSample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

// watchGC raises the memory limit after a collection when the live heap
// has grown past what gcFloor leaves room for, so that a large heap is
// collected at gcPercent above its size, as GOGC would, and not over and
// over at the limit.
func watchGC() {
	gcWatching.Store(true)
	runtime.SetFinalizer(new(gcSentinel), func(*gcSentinel) {
		if !gcWatching.Load() {
			return
		}
		metrics.Read(liveSample)
		if liveSample[0].Value.Kind() == metrics.KindUint64 {
			live := int64(liveSample[0].Value.Uint64())
			debug.SetMemoryLimit(max(gcFloor, live+live*gcPercent/100+gcSlack))
		}
		watchGC()
	})
}
