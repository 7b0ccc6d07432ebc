package baseline_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/baseline"
)

// TestBaselineTellsRootsApart (issue 9 §3): one module called with the same
// arguments from two root modules gives the same resource address and the
// same message in both; the root is part of the fingerprint, so a baseline
// taken of one root's findings does not hide the other's.
func TestBaselineTellsRootsApart(t *testing.T) {
	dir := t.TempDir()
	call := "module \"storage\" {\n  source = \"../../modules/storage\"\n}\n"
	files := map[string]string{
		"envs/dev/main.tf":        call,
		"envs/prod/main.tf":       call,
		"modules/storage/main.tf": "resource \"google_storage_bucket\" \"data\" {\n  name     = \"acme-data\"\n  location = \"US\"\n}\n",
	}
	for name, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	graphs, err := terraform.LoadTree(context.Background(), dir, terraform.Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	sel := []*scanner.Check{checks.ByID("GCP-ENC-001")}
	res := scanner.Run(sel, graphs, scanner.Options{})
	byRoot := map[string]scanner.Finding{}
	for _, f := range res.Failures() {
		byRoot[f.RootModule] = f
	}
	dev, prod := byRoot["envs/dev"], byRoot["envs/prod"]
	if len(byRoot) != 2 || dev.Resource != prod.Resource || dev.Message != prod.Message {
		t.Fatalf("want one GCP-ENC-001 FAIL per root on the same address and message, got %+v", res.Failures())
	}

	// A baseline of the dev root only.
	var devFindings []scanner.Finding
	for _, f := range res.List() {
		if f.RootModule == "envs/dev" {
			devFindings = append(devFindings, f)
		}
	}
	b := baseline.New(scanner.NewResult(scanner.Tool{}, nil, devFindings, nil))
	if n := b.Apply(res); n != 1 {
		t.Errorf("the dev baseline hid %d findings, want 1", n)
	}
	for _, f := range res.List() {
		if f.CheckID != "GCP-ENC-001" {
			continue
		}
		want := scanner.StatusFail
		if f.RootModule == "envs/dev" {
			want = scanner.StatusIgnored
		}
		if f.Status != want {
			t.Errorf("%s in %s: %s, want %s", f.Resource, f.RootModule, f.Status, want)
		}
	}
}
