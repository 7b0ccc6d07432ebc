package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestTuneGC: without GOGC or GOMEMLIMIT the collector runs at gcFloor;
// a live heap larger than the floor allows raises the limit after a
// collection, so that it is not collected over and over; GOGC set by the
// user is left alone.
func TestTuneGC(t *testing.T) {
	oldPercent := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		gcWatching.Store(false)
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	})

	t.Setenv("GOGC", "100")
	tuneGC()
	if p := debug.SetGCPercent(100); p != 100 {
		t.Fatalf("GOGC set: the collector's percent became %d", p)
	}
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Fatalf("GOGC set: the memory limit became %d", l)
	}

	t.Setenv("GOGC", "")
	// t.Setenv cannot unset: tuneGC looks the variable up, so test the
	// unset path through watchGC and the values tuneGC sets.
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(gcFloor)
	watchGC()
	live := make([][]byte, 0, 64)
	for range 3 * gcFloor / (1 << 20) {
		live = append(live, make([]byte, 1<<20))
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		if l := debug.SetMemoryLimit(-1); l > 3*gcFloor {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a live heap of %d MiB left the memory limit at %d MiB", 3*gcFloor>>20, debug.SetMemoryLimit(-1)>>20)
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(live)
}
