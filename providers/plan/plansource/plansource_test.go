package plansource

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

// The plan package's fixtures: plan and state files, some with the
// Terraform source beside them.
const fixtures = "../../../fixtures/plan"

func mustLookup(t *testing.T, g *scanner.Graph, addr string) *scanner.Resource {
	t.Helper()
	r := g.Lookup(addr)
	if r == nil {
		t.Fatalf("%s is not in the graph", addr)
	}
	return r
}

// place renders where a resource or attribute is declared.
func place(file string, line int) string { return file + ":" + strconv.Itoa(line) }

// copyDir copies a fixture tree into a temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// editPlan rewrites a plan file through a function of its decoded JSON.
func editPlan(t *testing.T, path string, edit func(m map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

type wantPlace struct{ address, path, at string }

func checkPlaces(t *testing.T, g *scanner.Graph, want []wantPlace) {
	t.Helper()
	for _, w := range want {
		r := mustLookup(t, g, w.address)
		// As scanner.Run places a finding: the deepest part of the path that
		// exists, else the block header.
		rng := r.DefRange
		if p := r.Body.Deepest(w.path); p != nil {
			rng = *p
		}
		got := place(rng.Filename, rng.Start.Line)
		if got != w.at {
			t.Errorf("%s %s is at %q, want %q", w.address, w.path, got, w.at)
		}
	}
}

var withSourcePlaces = []wantPlace{
	{`google_storage_bucket.data["mail"]`, "", "main.tf:26"},
	{`google_storage_bucket.data["mail"]`, "encryption", "main.tf:33"},
	{`google_storage_bucket.data["mail"]`, "encryption.default_kms_key_name", "main.tf:34"},
	{`google_storage_bucket.data["drive"]`, "location", "main.tf:30"},
	{"google_storage_bucket.exports", "", "main.tf:45"},
	{"google_storage_bucket.exports", "encryption.default_kms_key_name", "main.tf:45"},
	{"google_kms_crypto_key.mail", "version_template.protection_level", "main.tf:18"},
	{"google_kms_crypto_key.mail", "lifecycle.prevent_destroy", "main.tf:22"},
	{"module.logs.google_storage_bucket.logs", "", "modules/logs/main.tf:5"},
	{"module.logs.google_storage_bucket.logs", "lifecycle_rule.0.condition.age", "modules/logs/main.tf:12"},
}

// TestSourceBeside maps a plan to the .tf files in its own directory.
func TestSourceBeside(t *testing.T) {
	dir := filepath.Join(fixtures, "with_source")
	g, err := Load(context.Background(), filepath.Join(dir, "plan.json"), Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	checkPlaces(t, g, withSourcePlaces)
	logs := mustLookup(t, g, "module.logs.google_storage_bucket.logs")
	if len(logs.Calls) != 1 || place(logs.Calls[0].Range.Filename, logs.Calls[0].Range.Start.Line) != "main.tf:51" || logs.Calls[0].Address != "module.logs" {
		t.Errorf("calls = %+v, want module.logs at main.tf:51", logs.Calls)
	}
	if len(g.Ignores) != 1 || g.Ignores[0].File != "main.tf" || g.Ignores[0].Target != 39 {
		t.Errorf("ignores = %+v, want the one above google_storage_bucket.assets", g.Ignores)
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", g.Diagnostics)
	}
	t.Run("NoSource", func(t *testing.T) {
		g, err := Load(context.Background(), filepath.Join(dir, "plan.json"), Options{Base: dir, NoSource: true})
		if err != nil {
			t.Fatal(err)
		}
		checkPlaces(t, g, []wantPlace{{`google_storage_bucket.data["mail"]`, "encryption.default_kms_key_name", "plan.json:1"}})
		if len(g.Ignores) != 0 {
			t.Errorf("ignores without source: %v", g.Ignores)
		}
	})
}

// TestSourceDirOption maps a plan kept apart from its source, with names
// relative to a common base.
func TestSourceDirOption(t *testing.T) {
	base := t.TempDir()
	src := copyDir(t, filepath.Join(fixtures, "with_source"))
	if err := os.Rename(src, filepath.Join(base, "infra")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(base, "plans"), 0o755); err != nil {
		t.Fatal(err)
	}
	planPath := filepath.Join(base, "plans", "plan.json")
	if err := os.Rename(filepath.Join(base, "infra", "plan.json"), planPath); err != nil {
		t.Fatal(err)
	}
	g, err := Load(context.Background(), planPath, Options{Base: base, SourceDir: filepath.Join(base, "infra")})
	if err != nil {
		t.Fatal(err)
	}
	if g.Root != base {
		t.Errorf("root = %s, want %s", g.Root, base)
	}
	checkPlaces(t, g, []wantPlace{
		{`google_storage_bucket.data["mail"]`, "encryption.default_kms_key_name", "infra/main.tf:34"},
		{"module.logs.google_storage_bucket.logs", "", "infra/modules/logs/main.tf:5"},
	})
	t.Run("without SourceDir the plan file is the place", func(t *testing.T) {
		g, err := Load(context.Background(), planPath, Options{Base: base})
		if err != nil {
			t.Fatal(err)
		}
		checkPlaces(t, g, []wantPlace{{"google_storage_bucket.exports", "", "plans/plan.json:1"}})
	})
}

// TestSourceLooseMatch: when the source cannot expand for_each as the plan
// did (the plan's variables are not in the file), resources still find
// their block by module path, type and name.
func TestSourceLooseMatch(t *testing.T) {
	dir := copyDir(t, filepath.Join(fixtures, "with_source"))
	editPlan(t, filepath.Join(dir, "plan.json"), func(m map[string]any) { delete(m, "variables") })
	g, err := Load(context.Background(), filepath.Join(dir, "plan.json"), Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	checkPlaces(t, g, withSourcePlaces)
	for _, d := range g.Diagnostics {
		if strings.Contains(d.Summary, "no block") {
			t.Errorf("unexpected diagnostic %s", d)
		}
	}
}

// TestSourceUnmatched: a resource the source does not declare keeps the
// plan file as its place, and a diagnostic says how many there are.
func TestSourceUnmatched(t *testing.T) {
	dir := copyDir(t, filepath.Join(fixtures, "with_source"))
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource \"google_storage_bucket\" \"exports\" {\n  name = \"acme-mail-exports\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(context.Background(), filepath.Join(dir, "plan.json"), Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	checkPlaces(t, g, []wantPlace{
		{"google_storage_bucket.exports", "", "main.tf:1"},
		{"google_storage_bucket.exports", "name", "main.tf:2"},
		{"google_storage_bucket.assets", "", "plan.json:1"},
	})
	var got []string
	for _, d := range g.Diagnostics {
		got = append(got, d.String())
	}
	want := []string{"warning: .: 6 resource(s) of the plan have no block in the Terraform source; their findings point at the plan file; was the plan made from this configuration?"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestSourceUnreadable(t *testing.T) {
	dir := filepath.Join(fixtures, "unknowns")
	g, err := Load(context.Background(), filepath.Join(dir, "plan.json"), Options{Base: dir, SourceDir: filepath.Join(dir, "absent")})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Diagnostics) != 1 || !strings.Contains(g.Diagnostics[0].Summary, "cannot be read") {
		t.Errorf("diagnostics = %v, want one saying the source cannot be read", g.Diagnostics)
	}
	checkPlaces(t, g, []wantPlace{{"google_storage_bucket.logs", "", "plan.json:1"}})
}

// TestDynamicBlockRestored: the configuration section leaves dynamic blocks
// out, so a wholly unknown block written as one looks provider-computed; the
// source shows it is written, and it stays unknown rather than missing.
func TestDynamicBlockRestored(t *testing.T) {
	dir := t.TempDir()
	tf := `variable "keys" {
  type = list(string)
}

resource "google_storage_bucket" "b" {
  name     = "acme-b"
  location = "US"

  dynamic "encryption" {
    for_each = var.keys
    content {
      default_kms_key_name = encryption.value
    }
  }
}
`
	plan := `{"format_version":"1.2",
  "planned_values":{"root_module":{"resources":[{"address":"google_storage_bucket.b","mode":"managed","type":"google_storage_bucket","name":"b","values":{"location":"US","name":"acme-b"}}]}},
  "resource_changes":[{"address":"google_storage_bucket.b","mode":"managed","type":"google_storage_bucket","name":"b","change":{"actions":["create"],"after":{"location":"US","name":"acme-b"},"after_unknown":{"encryption":true,"id":true}}}],
  "configuration":{"root_module":{"resources":[{"address":"google_storage_bucket.b","mode":"managed","type":"google_storage_bucket","name":"b",
    "expressions":{"location":{"constant_value":"US"},"name":{"constant_value":"acme-b"}}}]}}}`
	for name, data := range map[string]string{"main.tf": tf, "plan.json": plan} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name     string
		noSource bool
		wantSet  bool
	}{{"with source", false, true}, {"without source", true, false}} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Load(context.Background(), filepath.Join(dir, "plan.json"), Options{Base: dir, NoSource: tc.noSource})
			if err != nil {
				t.Fatal(err)
			}
			b := mustLookup(t, g, "google_storage_bucket.b")
			if got := b.Get("encryption.default_kms_key_name").Set(); got != tc.wantSet {
				t.Errorf("encryption.default_kms_key_name set = %v, want %v", got, tc.wantSet)
			}
			if b.Get("id") != nil {
				t.Error("id, computed and not written in the source, should be left out")
			}
		})
	}
}

// TestSourceDiagnostics: the source's errors and malformed ignore comments
// are reported with the plan, since the plan's findings point into it.
func TestSourceDiagnostics(t *testing.T) {
	dir := copyDir(t, filepath.Join(fixtures, "with_source"))
	extra := "# casascan:ignore:GCP-ENC-001 exp:someday -- bad date\nresource \"google_storage_bucket\" \"x\" {\n  name = \n}\n"
	if err := os.WriteFile(filepath.Join(dir, "broken.tf"), []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(context.Background(), filepath.Join(dir, "plan.json"), Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range g.Diagnostics {
		got = append(got, string(d.Severity)+" "+d.File+":"+strconv.Itoa(d.Line)+" "+d.Summary)
	}
	want := []string{"warning broken.tf:1 malformed ignore comment", "error broken.tf:3 Invalid expression"}
	for _, w := range want {
		found := false
		for _, x := range got {
			found = found || x == w
		}
		if !found {
			t.Errorf("diagnostics %q lack %q", got, w)
		}
	}
	checkPlaces(t, g, []wantPlace{{"google_storage_bucket.exports", "", "main.tf:45"}})
}

// TestSourceForeignIgnores: tfsec and trivy ignore comments in the source
// apply to the plan through Options.MapIgnoreID.
func TestSourceForeignIgnores(t *testing.T) {
	dir := copyDir(t, filepath.Join(fixtures, "with_source"))
	main := filepath.Join(dir, "main.tf")
	src, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	src = []byte(strings.Replace(string(src), "resource \"google_storage_bucket\" \"exports\" {",
		"#tfsec:ignore:google-storage-bucket-encryption-customer-key\nresource \"google_storage_bucket\" \"exports\" {", 1))
	if err := os.WriteFile(main, src, 0o644); err != nil {
		t.Fatal(err)
	}
	mapper := func(tool, id string) []string {
		if tool == "tfsec" && id == "google-storage-bucket-encryption-customer-key" {
			return []string{"GCP-ENC-001"}
		}
		return nil
	}
	for _, tc := range []struct {
		name   string
		mapper scanner.IgnoreIDMapper
		want   []string
	}{
		{"mapped", mapper, []string{"casascan main.tf:39 [GCP-ENC-001]", "tfsec main.tf:46 [GCP-ENC-001]"}},
		{"not mapped", nil, []string{"casascan main.tf:39 [GCP-ENC-001]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Load(context.Background(), filepath.Join(dir, "plan.json"), Options{Base: dir, MapIgnoreID: tc.mapper})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ig := range g.Ignores {
				got = append(got, ig.Tool+" "+ig.File+":"+strconv.Itoa(ig.Target)+" "+fmt.Sprint(ig.IDs))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ignores (-want +got):\n%s", diff)
			}
		})
	}
}
