package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casascan/casascan/checks"
)

// TestChecksDoc fails when docs/checks.md no longer matches the checks'
// metadata; -update rewrites it.
func TestChecksDoc(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "checks.md")
	all := checks.All()
	want := checksReference(all)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the checks reference: %v (run: go test ./cmd/casascan -run TestChecksDoc -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("docs/checks.md is stale; run: go test ./cmd/casascan -run TestChecksDoc -update\n(-generated +committed):\n%s", diff)
	}
	for _, c := range all {
		if !strings.Contains(string(got), "### "+c.ID+": ") {
			t.Errorf("docs/checks.md has no section for %s", c.ID)
		}
	}
}
