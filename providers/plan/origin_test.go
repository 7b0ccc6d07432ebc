package plan

import (
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

// TestPlanRecordOrigin: every value of a planned resource comes from the
// plan's record of the instance.
func TestPlanRecordOrigin(t *testing.T) {
	g := loadFixture(t, "modules")
	addr := `module.app["eu"].google_storage_bucket.data`
	r := mustLookup(t, g, addr)
	want := []scanner.Origin{{Kind: scanner.OriginRecord, Name: addr, File: "plan.json"}}
	if diff := cmp.Diff(want, r.Origins(r.Get("name"))); diff != "" {
		t.Errorf("origins (-want +got):\n%s", diff)
	}
}
