package terraform

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
)

// rootVariables gathers the root module's variable values with Terraform's
// precedence, lowest first: TF_VAR_* environment variables, terraform.tfvars,
// terraform.tfvars.json, *.auto.tfvars(.json) in lexical order, then
// --var-file and --var in order. Declared defaults apply where none is set
// (in scope.variable). Values from the environment are sensitive: never
// printed.
func (l *loader) rootVariables(m *module, only bool) map[string]cty.Value {
	vals := map[string]cty.Value{}
	for _, kv := range l.opts.Env {
		name, raw, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, "TF_VAR_") {
			continue
		}
		name = strings.TrimPrefix(name, "TF_VAR_")
		if d := m.vars[name]; d != nil {
			if v, ok := l.rawValue(d, raw, "TF_VAR_"+name); ok {
				vals[name] = v.Mark(sensitiveMark)
			}
		}
	}
	var auto []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if p := filepath.Join(l.root, n); fileExists(p) {
			l.readVarFile(p, m, vals)
		}
	}
	entries, _ := os.ReadDir(l.root)
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
			auto = append(auto, filepath.Join(l.root, n))
		}
	}
	sort.Strings(auto)
	for _, p := range auto {
		l.readVarFile(p, m, vals)
	}
	for _, p := range l.opts.VarFiles {
		abs, _ := filepath.Abs(p)
		if !fileExists(abs) {
			l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagError, Summary: "var file not found", Subject: p})
			continue
		}
		l.readVarFile(abs, m, vals)
	}
	for _, kv := range l.opts.Vars {
		name, raw, ok := strings.Cut(kv, "=")
		d := m.vars[strings.TrimSpace(name)]
		if !ok || d == nil {
			if !only {
				continue // in a tree of several roots, a --var is for the roots that declare it
			}
			l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagWarning,
				Summary: "--var names no declared variable", Subject: strings.TrimSpace(name)})
			continue
		}
		if v, ok := l.rawValue(d, raw, "--var "+d.name); ok {
			vals[d.name] = v
		}
	}
	return vals
}

// rawValue reads a value given as a string on the command line or in the
// environment: as the string itself for a primitive or untyped variable, as
// an HCL expression otherwise, as Terraform does.
func (l *loader) rawValue(d *varDecl, raw, where string) (cty.Value, bool) {
	if d.ty.IsPrimitiveType() || d.ty == cty.DynamicPseudoType {
		return cty.StringVal(raw), true
	}
	expr, diags := hcl.Expression(nil), hcl.Diagnostics(nil)
	if preScan([]byte(raw), where, false) == nil { // too deep to parse: not valid
		expr, diags = hclsyntax.ParseExpression([]byte(raw), where, hcl.InitialPos)
	}
	if expr != nil && !diags.HasErrors() {
		v, vd := expr.Value(nil)
		diags = append(diags, vd...)
		if !diags.HasErrors() {
			return v, true
		}
	}
	// The message names the variable, never the value.
	l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagError,
		Summary: "invalid value for variable " + d.name, Detail: "given by " + where + "; it is not a valid expression for its type", Subject: where})
	return cty.NilVal, false
}

// readVarFile reads a .tfvars or .tfvars.json file into vals; variables the
// root module does not declare are passed over, as Terraform warns and
// ignores them.
func (l *loader) readVarFile(abs string, m *module, vals map[string]cty.Value) {
	rel := l.rel(abs)
	src, err := os.ReadFile(abs)
	if err != nil {
		l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagError, Summary: "cannot read var file", Detail: err.Error(), File: rel})
		return
	}
	if d := preScan(src, rel, strings.HasSuffix(abs, ".json")); d != nil {
		l.add(*d)
		return
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(abs, ".json") {
		f, diags = hcljson.Parse(src, rel)
	} else {
		f, diags = hclsyntax.ParseConfig(src, rel, hcl.InitialPos)
	}
	for _, d := range diags {
		l.hclDiag(d)
	}
	if f == nil || f.Body == nil {
		return
	}
	attrs, diags := f.Body.JustAttributes()
	for _, d := range diags {
		l.hclDiag(d)
	}
	for _, name := range sortedKeys(attrs) {
		if m.vars[name] == nil {
			continue
		}
		v, d := attrs[name].Expr.Value(&hcl.EvalContext{Functions: l.funcs})
		for _, diag := range d {
			l.hclDiag(diag)
		}
		if !d.HasErrors() {
			vals[name] = v
		}
	}
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}
