package terraform

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

// TestOrigins loads one tree where every kind of origin reaches an
// attribute, and checks the provenance each attribute gets: where its
// variable was set (tfvars line, --var-file line, --var, TF_VAR_*, the
// declared default), the module argument and the chain behind it, the
// resources it refers to, a literal's own place, and that a conditional
// with a known condition keeps the chosen branch's origins only.
func TestOrigins(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"variables.tf": `variable "from_tfvars" {}
variable "from_file" {}
variable "from_flag" {}
variable "from_env" {
  sensitive = true
}
variable "defaulted" {
  default = "HSM"
}
variable "pick" {
  default = true
}
variable "other" {
  default = "SOFTWARE"
}
`,
		"terraform.tfvars": "# the level for prod\n\nfrom_tfvars = \"SOFTWARE\"\n",
		"main.tf": `resource "google_kms_crypto_key" "k" {
  name = "k"
  version_template {
    protection_level = var.from_tfvars
  }
}

resource "google_x" "each" {
  a       = var.from_file
  b       = var.from_flag
  c       = var.from_env
  d       = var.defaulted
  e       = "literal"
  f       = google_kms_crypto_key.k.id
  g       = data.google_y.d.value
  h       = upper(var.from_tfvars)
  i       = "${var.from_flag}-${var.defaulted}"
  j       = var.pick ? var.defaulted : var.other
}

data "google_y" "d" {}

module "kms" {
  source = "./kms"
  level  = var.from_tfvars
  fixed  = "HSM"
}
`,
		"kms/main.tf": `variable "level" {}
variable "fixed" {}
variable "inner_default" {
  default = "x"
}
resource "google_kms_crypto_key" "m" {
  purpose = var.fixed
  version_template {
    protection_level = var.level
  }
  labels = { a = var.inner_default }
}
`,
	})
	outside := writeFiles(t, map[string]string{"prod.tfvars": "\nfrom_file = \"f\"\n"})
	varFile := filepath.Join(outside, "prod.tfvars")
	g, err := Load(context.Background(), dir, Options{
		Base: dir, VarFiles: []string{varFile}, Vars: []string{"from_flag=v"}, Env: []string{"TF_VAR_from_env=secret-value"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tfvars := scanner.Origin{Kind: scanner.OriginTFVars, Name: "var.from_tfvars", File: "terraform.tfvars", Line: 3}
	defaulted := scanner.Origin{Kind: scanner.OriginVarDefault, Name: "var.defaulted", File: "variables.tf", Line: 8}
	flag := scanner.Origin{Kind: scanner.OriginVarFlag, Name: "var.from_flag"}
	tests := []struct {
		addr, path string
		want       []scanner.Origin
	}{
		{"google_kms_crypto_key.k", "version_template.protection_level", []scanner.Origin{tfvars}},
		{"google_x.each", "a", []scanner.Origin{{Kind: scanner.OriginVarFile, Name: "var.from_file", File: filepath.ToSlash(varFile), Line: 2, Outside: true}}},
		{"google_x.each", "b", []scanner.Origin{flag}},
		{"google_x.each", "c", []scanner.Origin{{Kind: scanner.OriginEnv, Name: "var.from_env"}}},
		{"google_x.each", "d", []scanner.Origin{defaulted}},
		{"google_x.each", "e", []scanner.Origin{{Kind: scanner.OriginLiteral, File: "main.tf", Line: 13}}},
		{"google_x.each", "f", []scanner.Origin{{Kind: scanner.OriginComputed, Name: "google_kms_crypto_key.k"}}},
		{"google_x.each", "g", []scanner.Origin{{Kind: scanner.OriginDataSource, Name: "data.google_y.d"}}},
		{"google_x.each", "h", []scanner.Origin{tfvars}},
		{"google_x.each", "i", []scanner.Origin{flag, defaulted}},
		// The condition's variable decided the value, so it is named too;
		// the branch not taken (var.other) is not.
		{"google_x.each", "j", []scanner.Origin{defaulted, {Kind: scanner.OriginVarDefault, Name: "var.pick", File: "variables.tf", Line: 11}}},
		{"module.kms.google_kms_crypto_key.m", "version_template.protection_level", []scanner.Origin{
			{Kind: scanner.OriginModuleArg, Name: "var.level", Module: "module.kms", File: "main.tf", Line: 25}, tfvars}},
		{"module.kms.google_kms_crypto_key.m", "purpose", []scanner.Origin{
			{Kind: scanner.OriginModuleArg, Name: "var.fixed", Module: "module.kms", File: "main.tf", Line: 26}}},
		{"module.kms.google_kms_crypto_key.m", "labels.a", []scanner.Origin{
			{Kind: scanner.OriginVarDefault, Name: "var.inner_default", Module: "module.kms", File: "kms/main.tf", Line: 4}}},
	}
	for _, tc := range tests {
		r := g.Lookup(tc.addr)
		if r == nil {
			t.Fatalf("no resource %s", tc.addr)
		}
		a := r.Get(tc.path)
		if a == nil {
			t.Fatalf("%s: no attribute %s", tc.addr, tc.path)
		}
		if diff := cmp.Diff(tc.want, r.Origins(a)); diff != "" {
			t.Errorf("%s %s origins (-want +got):\n%s", tc.addr, tc.path, diff)
		}
	}
	// A module argument written as a literal is still a literal (a secret
	// passed to a module is plain text in the repository).
	if a := g.Lookup("module.kms.google_kms_crypto_key.m").Get("purpose"); !a.Literal {
		t.Errorf("purpose: Literal = false, want true")
	}
	if a := g.Lookup("google_x.each").Get("d"); a.Literal {
		t.Errorf("d: Literal = true, want false")
	}
	if a := g.Lookup("google_x.each").Get("c"); !a.Sensitive {
		t.Errorf("c: not sensitive")
	}
}
