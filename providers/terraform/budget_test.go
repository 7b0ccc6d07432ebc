package terraform

import (
	"context"
	"testing"

	"github.com/casascan/casascan/providers/terraform/gentree"
	"github.com/casascan/casascan/scanner"
)

// TestBudgetBenchTree loads the benchmark's generated tree (8,240
// resources) and checks that it spends a small part of each default limit:
// real trees must never come near them.
func TestBudgetBenchTree(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a tree of 1,000 files")
	}
	dir := t.TempDir()
	if err := gentree.Write(dir, gentree.Default); err != nil {
		t.Fatal(err)
	}
	tr, root, err := newTree(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.parseDirs([]string{root}, true); err != nil {
		t.Fatal(err)
	}
	g := tr.finish(tr.evaluate([]*loader{tr.newLoader(root, true)}))[0]
	b := tr.budget
	t.Logf("%d resources: %d instances (%d of modules), %d string bytes, %d steps",
		len(g.Resources), b.instances.Load(), b.modules.Load(), b.bytes.Load(), b.steps.Load())
	// Instances are the only limit a big tree comes near: a quarter of it.
	for _, c := range []struct {
		what            string
		used, limit, of int64
	}{
		{"instances", b.instances.Load(), b.limits.Instances, 4},
		{"module instances", b.modules.Load(), b.limits.Instances / moduleShare, 20},
		{"string bytes", b.bytes.Load(), b.limits.StringBytes, 100},
		{"steps", b.steps.Load(), b.limits.Steps, 100},
	} {
		if c.used == 0 || c.used*c.of > c.limit {
			t.Errorf("the benchmark tree spends %d %s: want some, and at most 1/%d of the limit (%d)", c.used, c.what, c.of, c.limit)
		}
	}
	for _, d := range g.Diagnostics {
		if d.Severity == scanner.DiagError {
			t.Errorf("diagnostic: %v", d)
		}
	}
}
