package terraform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/scannertest"
)

// TestSensitiveForEach: a sensitive value used as for_each keys (a
// sensitive variable's default, TF_VAR_*, a sensitive --var, sensitive())
// is an error at the expression, as in Terraform, and no address holds it:
// the block is judged once, without a key. Sensitive values under keys that
// are not sensitive still expand.
func TestSensitiveForEach(t *testing.T) {
	const (
		secretDefault = "default-secret-key-1a2b"
		secretEnv     = "env-secret-key-3c4d"
		secretCLI     = "cli-secret-key-5e6f"
		secretFunc    = "func-secret-key-7a8b"
		secretValue   = "value-secret-9c0d"
	)
	dir := t.TempDir()
	files := map[string]string{
		"main.tf": `
variable "by_default" {
  type      = set(string)
  sensitive = true
  default   = ["` + secretDefault + `"]
}
variable "from_env" {
  type = string
}
variable "from_cli" {
  type      = map(string)
  sensitive = true
}
variable "pw" {
  type      = string
  sensitive = true
  default   = "` + secretValue + `"
}

resource "google_storage_bucket" "by_default" {
  for_each = var.by_default
  name     = each.key
}

resource "google_storage_bucket" "from_env" {
  for_each = toset([var.from_env])
  name     = each.key
}

resource "google_storage_bucket" "from_cli" {
  for_each = var.from_cli
  name     = each.value
}

resource "google_storage_bucket" "from_func" {
  for_each = toset([sensitive("` + secretFunc + `")])
  name     = each.key
}

module "child" {
  source   = "./child"
  for_each = var.by_default
  name     = each.key
}

resource "google_sql_user" "values_only" {
  for_each = { app = var.pw }
  name     = each.key
  password = each.value
}
`,
		"child/main.tf": `
variable "name" {}
resource "google_pubsub_topic" "t" {
  name = var.name
}
`,
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g, err := Load(context.Background(), dir, Options{Base: dir,
		Env:  []string{"TF_VAR_from_env=" + secretEnv},
		Vars: []string{`from_cli={"` + secretCLI + `" = "b"}`}})
	if err != nil {
		t.Fatal(err)
	}
	dump := scannertest.Dump(g)
	for _, s := range []string{secretDefault, secretEnv, secretCLI, secretFunc, secretValue} {
		if strings.Contains(dump, s) {
			t.Errorf("the graph shows the secret %q:\n%s", s, dump)
		}
	}
	var addrs []string
	for _, r := range g.Resources {
		addrs = append(addrs, r.Address)
	}
	for _, want := range []string{
		"google_storage_bucket.by_default", "google_storage_bucket.from_env",
		"google_storage_bucket.from_cli", "google_storage_bucket.from_func",
		"module.child.google_pubsub_topic.t", `google_sql_user.values_only["app"]`,
	} {
		if !strings.Contains(" "+strings.Join(addrs, " ")+" ", " "+want+" ") {
			t.Errorf("no resource %s among %v", want, addrs)
		}
	}
	lines := map[int]bool{}
	for _, d := range g.Diagnostics {
		if d.Severity == scanner.DiagError && strings.Contains(d.Summary, "is sensitive") {
			if d.File != "main.tf" {
				t.Errorf("diagnostic in %q, want main.tf: %v", d.File, d)
			}
			lines[d.Line] = true
		}
	}
	for _, line := range []int{21, 26, 31, 36, 42} {
		if !lines[line] {
			t.Errorf("no sensitive for_each error at main.tf:%d; diagnostics: %v", line, g.Diagnostics)
		}
	}
	if len(lines) != 5 {
		t.Errorf("sensitive for_each errors at lines %v, want 5", lines)
	}
	if r := g.Lookup(`google_sql_user.values_only["app"]`); r == nil || !r.Get("password").Sensitive {
		t.Errorf("each.value of a sensitive value is not sensitive: %+v", r)
	}
}

// TestFunctionErrorsHideSensitiveArguments: function errors and warnings
// quote their arguments; with a sensitive argument, the diagnostic is
// still there, at the call, but never shows the value.
func TestFunctionErrorsHideSensitiveArguments(t *testing.T) {
	const secret = "hunter2-not-a-number"
	dir := t.TempDir()
	calls := []string{
		`parseint(var.s, 10)`, `tonumber(var.s)`, `tobool(var.s)`,
		`lookup({ a = 1 }, var.s)`, `timeadd("2020-01-01T00:00:00Z", var.s)`,
		`file(var.s)`, `templatefile(var.s, {})`, `pathexpand("~/${var.s}")`,
		`file("../${var.s}")`, `cidrsubnet(var.s, 8, 1)`, `formatdate(var.s, "2020-01-01T00:00:00Z")`,
		`regex(var.s, "x")`, `jsondecode(var.s)`, `base64decode(var.s)`, `element([], var.s)`,
	}
	var src strings.Builder
	src.WriteString("variable \"s\" {\n  sensitive = true\n  default   = \"" + secret + "\"\n}\n")
	for i, c := range calls {
		src.WriteString("resource \"google_pubsub_topic\" \"t" + string(rune('a'+i)) + "\" {\n  name = " + c + "\n}\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(context.Background(), dir, Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	lines := map[int]bool{}
	for _, d := range g.Diagnostics {
		if strings.Contains(d.String(), secret) || strings.Contains(d.String(), "hunter2") {
			t.Errorf("diagnostic shows the sensitive argument: %s", d)
		}
		lines[d.Line] = true
	}
	for i, c := range calls {
		if line := 6 + 3*i; !lines[line] {
			t.Errorf("%s: no diagnostic at main.tf:%d; diagnostics: %v", c, line, g.Diagnostics)
		}
	}
}

// TestSensitiveForEachChargesNoInstances: a sensitive for_each is refused
// before its elements are charged to the instance budget, so a large
// sensitive map gives the sensitivity error, not an instance-limit one,
// and leaves the budget to the rest of the tree.
func TestSensitiveForEachChargesNoInstances(t *testing.T) {
	dir := t.TempDir()
	src := `variable "m" {
  sensitive = true
  default   = { for i in range(11) : "k${i}" => "v${i}" }
}
variable "s" {
  type      = set(string)
  default   = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]
}
resource "google_pubsub_topic" "map" {
  for_each = var.m
  name     = each.value
}
resource "google_pubsub_topic" "set" {
  for_each = toset([for x in var.s : sensitive(x)])
  name     = each.key
}
resource "google_pubsub_topic" "rest" {
  count = 8
  name  = "r${count.index}"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(context.Background(), dir, Options{Base: dir, Limits: Limits{Instances: 10}})
	if err != nil {
		t.Fatal(err)
	}
	sensitive := 0
	for _, d := range g.Diagnostics {
		if strings.Contains(d.Summary, "limit") {
			t.Errorf("a sensitive for_each was charged to the budget: %v", d)
		}
		if strings.Contains(d.Summary, "is sensitive") {
			sensitive++
		}
	}
	if sensitive != 2 {
		t.Errorf("%d sensitive for_each errors, want 2; diagnostics: %v", sensitive, g.Diagnostics)
	}
	if g.Lookup("google_pubsub_topic.rest[7]") == nil {
		t.Error("the instances after the sensitive for_each did not fit the budget")
	}
}
