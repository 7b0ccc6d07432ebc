package checktest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

func TestFiles(t *testing.T) {
	got := Files("resource \"a\" \"b\" {}\n-- modules/x/main.tf --\nvariable \"v\" {}\n-- vars.tf --\n")
	want := map[string]string{
		"main.tf":           "resource \"a\" \"b\" {}\n",
		"modules/x/main.tf": "variable \"v\" {}\n",
		"vars.tf":           "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := Files("-- a.tf --\nx = 1\n"); len(got) != 1 || got["a.tf"] != "x = 1\n" {
		t.Errorf("an archive without main.tf text: got %q", got)
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// failures runs f with a recorder and returns what it reported.
func failures(t *testing.T, f func(tb testing.TB)) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.errs
}

const undeclared = `resource "google_storage_bucket" "b" { name = var.name }`

func TestLoadDiagnostics(t *testing.T) {
	errs := failures(t, func(tb testing.TB) { HCL(tb, undeclared) })
	if len(errs) != 1 || !strings.Contains(errs[0], "Reference to undeclared input variable") {
		t.Errorf("an unexpected error diagnostic: got %q, want it reported", errs)
	}
	g := HCL(t, undeclared, Diagnostics("Reference to undeclared input variable"))
	if g.Lookup("google_storage_bucket.b") == nil {
		t.Error("the bucket was not loaded")
	}
	errs = failures(t, func(tb testing.TB) {
		HCL(tb, `resource "google_storage_bucket" "b" {}`, Diagnostics("Reference to undeclared input variable"))
	})
	if len(errs) != 1 || !strings.Contains(errs[0], "was not raised") {
		t.Errorf("an expected diagnostic not raised: got %q", errs)
	}
}

func TestLoadVarsAndModules(t *testing.T) {
	g := Load(t, map[string]string{
		"main.tf": `variable "name" {}
module "m" {
  source = "./modules/m"
  name   = var.name
}`,
		"modules/m/main.tf": `variable "name" {}
resource "google_storage_bucket" "b" { name = var.name }`,
	}, Vars("name=acme"))
	b := g.Lookup("module.m.google_storage_bucket.b")
	if b == nil {
		t.Fatalf("no bucket in the module: %v", g.Resources)
	}
	if s, ok := b.Get("name").Str(); !ok || s != "acme" {
		t.Errorf("name = %s, want acme from --var", scanner.Display(b.Get("name")))
	}
}

var failAll = &scanner.Check{
	ID: "GCP-TST-001", Types: []string{"google_storage_bucket"},
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		return []scanner.Problem{scanner.Fail("name", "is named %s", scanner.Display(r.Get("name")))}
	},
}

func TestRunAndJudge(t *testing.T) {
	g := HCL(t, `
resource "google_storage_bucket" "b" { name = "top-secret" }
resource "google_kms_key_ring" "r" {}`)
	if diff := cmp.Diff([]string{"google_storage_bucket.b name FAIL"}, Judge(t, failAll, g)); diff != "" {
		t.Errorf("Judge (-want +got):\n%s", diff)
	}
	if got := Verdicts(t, failAll, g); len(got) != 1 || got["google_storage_bucket.b"] != scanner.StatusFail {
		t.Errorf("Verdicts = %v", got)
	}
	errs := failures(t, func(tb testing.TB) { Run(tb, failAll, []*scanner.Graph{g}, "top-secret") })
	if len(errs) != 1 || !strings.Contains(errs[0], "shows a secret") {
		t.Errorf("a message showing a secret: got %q", errs)
	}
	none := HCL(t, `resource "google_kms_key_ring" "r" {}`)
	errs = failures(t, func(tb testing.TB) { Judge(tb, failAll, none) })
	if len(errs) != 1 || !strings.Contains(errs[0], "judged nothing") {
		t.Errorf("a case the check does not judge: got %q", errs)
	}
}

func TestExportAndPlan(t *testing.T) {
	live := Export(t, `{"name":"//storage.googleapis.com/acme-mail","asset_type":"storage.googleapis.com/Bucket","resource":{"version":"v1","data":{"name":"acme-mail"}},"ancestors":["projects/1"]}
`)
	if len(live.OfType("google_storage_bucket")) != 1 {
		t.Errorf("export: got %v, want one bucket", live.Resources)
	}
	planned := Plan(t, `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
 {"address":"google_storage_bucket.b","mode":"managed","type":"google_storage_bucket","name":"b","values":{"name":"b"}}]}}}`)
	if planned.Lookup("google_storage_bucket.b") == nil {
		t.Errorf("plan: got %v, want google_storage_bucket.b", planned.Resources)
	}
}
