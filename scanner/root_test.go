package scanner

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestRootModuleIdentity: one module resource evaluated from two root
// modules gives a finding per root, with fingerprints that differ; a scan
// of one root at the scanned directory keeps the fingerprint it always had.
func TestRootModuleIdentity(t *testing.T) {
	c := &Check{ID: "GCP-TST-001", Severity: Medium, Types: []string{"google_storage_bucket"},
		Test: func(_ *Graph, r *Resource) []Problem { return []Problem{Fail("", "no key")} }}
	graph := func(root string) *Graph {
		call := ModuleCall{Address: "module.storage", Range: hcl.Range{Filename: root + "/main.tf", Start: hcl.Pos{Line: 1}}}
		g := &Graph{RootModule: root, Resources: []*Resource{{
			Address: "module.storage.google_storage_bucket.data", Type: "google_storage_bucket", Body: NewBody(),
			DefRange: hcl.Range{Filename: "modules/storage/main.tf", Start: hcl.Pos{Line: 5, Column: 1}},
			Calls:    []ModuleCall{call}, Source: SourceTerraform,
		}}}
		g.Index()
		return g
	}
	res := Run([]*Check{c}, []*Graph{graph("envs/dev"), graph("envs/prod")}, Options{})
	fails := res.Failures()
	if len(fails) != 2 {
		t.Fatalf("want a FAIL per root, got %d: %+v", len(fails), fails)
	}
	if fails[0].RootModule == fails[1].RootModule || fails[0].Fingerprint == fails[1].Fingerprint {
		t.Errorf("the roots are not told apart: %q %s, %q %s", fails[0].RootModule, fails[0].Fingerprint, fails[1].RootModule, fails[1].Fingerprint)
	}
	one := Run([]*Check{c}, []*Graph{graph(".")}, Options{}).Failures()
	if len(one) != 1 || one[0].RootModule != "" || one[0].Fingerprint != Fingerprint(c.ID, "module.storage.google_storage_bucket.data", "", "") {
		t.Errorf("a single root at the scanned directory changed its fingerprint: %+v", one)
	}
}
