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

// TestChecksListsCatalog: `casascan checks` lists every check of the
// catalog (../shared/checks.md), and docs/checks.md has a section for each.
func TestChecksListsCatalog(t *testing.T) {
	catalog, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "checks.md"))
	if err != nil {
		t.Skipf("the catalog is not beside the repository: %v", err)
	}
	var ids []string
	for _, line := range strings.Split(string(catalog), "\n") {
		if cells := strings.Split(line, "|"); len(cells) > 2 && strings.HasPrefix(strings.TrimSpace(cells[1]), "GCP-") {
			ids = append(ids, strings.TrimSpace(cells[1]))
		}
	}
	if len(ids) == 0 {
		t.Fatal("no check rows in the catalog")
	}
	var out, errOut strings.Builder
	if code := run(t.Context(), []string{"checks"}, &out, &errOut); code != 0 {
		t.Fatalf("casascan checks: exit %d\n%s", code, errOut.String())
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "checks.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if !strings.Contains(out.String(), "  "+id+"  ") {
			t.Errorf("casascan checks does not list %s", id)
		}
		if !strings.Contains(string(doc), "### "+id+": ") {
			t.Errorf("docs/checks.md has no section for %s", id)
		}
	}
}
