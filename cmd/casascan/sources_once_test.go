package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/scanner"
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
	// Nothing deployed is read, so the plan's graph goes straight to the
	// session: it is judged from the content read when classifying.
	session := scanner.NewSession(checks.All(), scanner.Options{})
	if _, err := c.load(context.Background(), p, session); err != nil {
		t.Fatalf("load read the file again: %v", err)
	}
	res := session.Result()
	if res.Len() == 0 {
		t.Fatal("no findings: the plan's resources were not judged")
	}
	for _, d := range res.Diagnostics {
		if d.Severity == scanner.DiagError {
			t.Fatalf("diagnostic %q: the file was read again", d.Summary)
		}
	}
	if p.sources[0].data != nil {
		t.Error("the plan's content is still held after it was loaded")
	}
}
