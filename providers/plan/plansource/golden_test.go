package plansource

import (
	"context"
	"flag"
	"path/filepath"
	"testing"

	"github.com/casascan/casascan/scanner/scannertest"
)

var update = flag.Bool("update", false, "rewrite the graph.golden files")

// fixtureFile returns the plan or state file of a fixture directory.
func fixtureFile(t *testing.T, dir string) string { return scannertest.PlanFile(t, dir) }

// TestGolden loads every fixture of providers/plan (with its Terraform
// source where there is one, as casascan scan does) and compares the whole graph with its
// graph.golden: addresses, values with their unknowns, references, flags,
// places, diagnostics and ignore comments.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(fixtures, "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			g, err := Load(context.Background(), fixtureFile(t, dir), Options{Base: dir})
			if err != nil {
				t.Fatal(err)
			}
			scannertest.Golden(t, filepath.Join(dir, "graph.golden"), scannertest.Dump(g), *update)
		})
	}
}
