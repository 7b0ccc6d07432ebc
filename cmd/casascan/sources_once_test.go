package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestPlanReadOnce: a plan file is read once, when the PATH is classified;
// loading it uses that content (the file replaced in between is not read
// again), and the content is not kept once the source is loaded.
func TestPlanReadOnce(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../../fixtures/plan/unknowns/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, _, _ := newTestCLI(dir, nil, testNow)
	defer c.closeTrees()
	srcs, err := c.resolve([]string{"plan.json"})
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 1 || srcs[0].kind != kindPlan || srcs[0].data == nil {
		t.Fatalf("classified %+v, want one plan with its content", srcs)
	}
	if err := os.WriteFile(path, []byte("not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &scanPlan{sources: srcs}
	l, err := c.load(context.Background(), p)
	if err != nil {
		t.Fatalf("load read the file again: %v", err)
	}
	if len(l.declared) != 1 || len(l.declared[0].Resources) == 0 {
		t.Fatalf("declared graphs %v, want the plan's resources", l.declared)
	}
	if p.sources[0].data != nil {
		t.Error("the plan's content is still held after it was loaded")
	}
}
