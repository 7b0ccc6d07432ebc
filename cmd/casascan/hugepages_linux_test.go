package main

import (
	"os"
	"strings"
	"testing"
)

// hugePageVMAs counts the mappings of this process that carry the
// huge-page advice ("hg" in /proc/self/smaps).
func hugePageVMAs(t *testing.T) int {
	t.Helper()
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	n := 0
	for line := range strings.SplitSeq(string(smaps), "\n") {
		if flags, ok := strings.CutPrefix(line, "VmFlags:"); ok && strings.Contains(" "+flags+" ", " hg ") {
			n++
		}
	}
	return n
}

// TestHugePages checks that hugePages leaves heap address space advised
// for huge pages, and that GODEBUG=disablethp=1 leaves it alone.
func TestHugePages(t *testing.T) {
	if mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil || strings.Contains(string(mode), "[never]") {
		t.Skip("transparent huge pages are not available here")
	}
	t.Setenv("GODEBUG", "disablethp=1")
	before := hugePageVMAs(t)
	hugePages()
	if got := hugePageVMAs(t); got != before {
		t.Errorf("with GODEBUG=disablethp=1: %d advised mappings, want %d as before", got, before)
	}
	t.Setenv("GODEBUG", "")
	hugePages()
	if got := hugePageVMAs(t); got <= before {
		t.Errorf("after hugePages: %d advised mappings, want more than %d", got, before)
	}
}
