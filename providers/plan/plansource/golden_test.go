package plansource

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/casascan/casascan/scanner/scannertest"
)

var update = flag.Bool("update", false, "rewrite the graph.golden files")

// fixtureFile returns the plan or state file of a fixture directory.
func fixtureFile(t *testing.T, dir string) string {
	t.Helper()
	for _, name := range []string{"plan.json", "state.json"} {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	t.Fatalf("%s has no plan.json or state.json", dir)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

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
