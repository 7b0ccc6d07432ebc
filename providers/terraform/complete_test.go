package terraform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func loadTree(t *testing.T, dir string) *scanner.Graph {
	t.Helper()
	gs, err := LoadTree(context.Background(), dir, Options{})
	if err != nil || len(gs) != 1 {
		t.Fatalf("LoadTree = %d graphs, %v", len(gs), err)
	}
	return gs[0]
}

// TestDuplicateResourceKeepsBoth: a resource block repeated in a module
// (which Terraform rejects) is judged as well as the first, and the
// diagnostic names both places.
func TestDuplicateResourceKeepsBoth(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.tf": "resource \"google_storage_bucket_iam_member\" \"m\" {\n  bucket = \"b\"\n  role = \"roles/storage.objectViewer\"\n  member = \"allUsers\"\n}\n",
		"b.tf": "\n\nresource \"google_storage_bucket_iam_member\" \"m\" {\n  bucket = \"c\"\n  role = \"roles/storage.objectViewer\"\n  member = \"allAuthenticatedUsers\"\n}\n",
	})
	g := loadTree(t, dir)
	var members []string
	for _, r := range g.OfType("google_storage_bucket_iam_member") {
		s, _ := r.Get("member").Str()
		members = append(members, r.DefRange.Filename+":"+s)
	}
	if strings.Join(members, ",") != "a.tf:allUsers,b.tf:allAuthenticatedUsers" {
		t.Errorf("resources = %v, want both blocks", members)
	}
	var found bool
	for _, d := range g.Diagnostics {
		if d.File == "b.tf" && d.Line == 3 && strings.Contains(d.Summary, "duplicate resource google_storage_bucket_iam_member.m") &&
			strings.Contains(d.Detail, "a.tf:1") {
			found = true
		}
	}
	if !found {
		t.Errorf("no diagnostic naming b.tf:3 and a.tf:1: %v", g.Diagnostics)
	}
}

// TestNotJudgedDiagnostics: what the loader cannot judge at all is an error
// marked Skipped (the scan is then incomplete); an unfetched registry module
// is a Skipped warning.
func TestNotJudgedDiagnostics(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.tf":       "resource \"google_storage_bucket\" \"b\" {\n  name = \"b\"\n  location = \"EU\"\n}\n",
		"broken.tf":     "resource \"google_storage_bucket\" \"c\" {\n  name = \n",
		"mods.tf":       "module \"local\" {\n  source = \"./missing\"\n}\nmodule \"remote\" {\n  source = \"terraform-google-modules/network/google\"\n}\n",
		"count.tf":      "resource \"google_storage_bucket\" \"n\" {\n  count = \"many\"\n  name = \"n\"\n}\n",
		"tfvars.tf":     "variable \"x\" {\n  default = \"d\"\n}\n",
		"x.auto.tfvars": "x = \n",
	})
	g := loadTree(t, dir)
	want := map[string]scanner.DiagSeverity{"broken.tf": scanner.DiagError, "mods.tf:1": scanner.DiagError, "mods.tf:4": scanner.DiagWarning,
		"count.tf": scanner.DiagError, "x.auto.tfvars": scanner.DiagError}
	got := map[string]scanner.DiagSeverity{}
	for _, d := range g.Diagnostics {
		if !d.Skipped {
			continue
		}
		where := d.File
		if d.File == "mods.tf" {
			where = scanner.Location{File: d.File, StartLine: d.Line}.String()
		}
		got[where] = d.Severity
	}
	for where, sev := range want {
		if got[where] != sev {
			t.Errorf("%s: skipped diagnostic severity %q, want %q (diagnostics: %v)", where, got[where], sev, g.Diagnostics)
		}
	}
	if g.Lookup("google_storage_bucket.b") == nil {
		t.Error("the good file was not scanned")
	}
}

// TestUnreadableDirectoryIsNotJudged: a subdirectory that cannot be read
// is a not-judged diagnostic naming it, not passed over.
func TestUnreadableDirectoryIsNotJudged(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every directory")
	}
	dir := writeFiles(t, map[string]string{"main.tf": "", "env/prod/main.tf": "resource \"google_storage_bucket\" \"b\" {}\n"})
	locked := filepath.Join(dir, "env")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(locked, 0o755)
	g := loadTree(t, dir)
	for _, d := range g.Diagnostics {
		if d.NotJudged() && d.Subject == "env" && !strings.Contains(d.Detail, dir) {
			return
		}
	}
	t.Errorf("no not-judged diagnostic for env (without the absolute path): %v", g.Diagnostics)
}
