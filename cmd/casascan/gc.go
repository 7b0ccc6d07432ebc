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
// evaluated and a sorter's buffer of findings, about 10 MiB on the
// 200-root benchmark tree; the rest of the findings wait on disk), and
// what it allocates is short lived, so collecting at a fixed size rather
// than at a multiple of the live heap spends less CPU for the same peak:
// the collector runs when the runtime's memory reaches gcFloor, or
// gcPercent above the live heap once that is larger (one large root
// module), so memory is bounded either way.
//
// The floor is what a scan's peak RSS is made of beside the program's own
// pages (about 37 MiB), so it was chosen on the 200-root tree (SARIF, an
// idle 2-core machine, three runs each): 32 MiB gave 69 MiB of peak RSS
// in 1.6-1.7 s (2.7-3.0 s of CPU), 36 MiB 73 MiB in 1.4-1.75 s, 40 MiB
// 77 MiB in 1.2-1.6 s (2.0-2.6 s of CPU), 48 MiB 86 MiB in 1.4-1.65 s:
// below 40 the collector runs too often, above it buys nothing.
// GOGC=50 (the former setting) took 84-90 MiB and 2.4-3.1 s of CPU.
const (
	gcFloor   = 40 << 20
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
