package terraform

import (
	"errors"
	"fmt"
	"io/fs"
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
// --var-file and --var in command-line order (Options.VarArgs). Declared defaults apply where none is set
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
				vals[name] = v.WithMarks(cty.NewValueMarks(sensitiveMark, newOriginMark(scanner.Origin{Kind: scanner.OriginEnv, Name: "var." + name})))
			}
		}
	}
	// terraform.tfvars, then *.auto.tfvars in lexical order. Every entry
	// of those names is read, links included: the tree refuses one that
	// leads out of it, with a diagnostic.
	entries, err := l.fs.ReadDir(l.root)
	if err != nil {
		l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagError, Summary: "cannot read directory",
			Detail: relErr(err).Error() + "; its variable files are not read", Subject: l.rel(l.root), Skipped: true})
	}
	present := map[string]bool{}
	var auto []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() {
			continue
		}
		present[n] = true
		if strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json") {
			auto = append(auto, n)
		}
	}
	sort.Strings(auto)
	for _, n := range append([]string{"terraform.tfvars", "terraform.tfvars.json"}, auto...) {
		if present[n] {
			abs := filepath.Join(l.root, n)
			l.readVarFile(abs, l.rel(abs), nil, false, true, m, vals)
		}
	}
	// --var-file and --var in command-line order: the later one wins.
	for _, arg := range l.opts.varArgs() {
		if arg.File {
			p := arg.Value
			abs, err := filepath.Abs(p)
			if err != nil {
				abs = p
			}
			l.readVarFile(abs, p, arg.Data, true, only, m, vals)
			continue
		}
		kv := arg.Value
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
			vals[d.name] = withOrigin(v, scanner.Origin{Kind: scanner.OriginVarFlag, Name: "var." + d.name})
		}
	}
	return vals
}

// workspace is terraform.workspace: TF_WORKSPACE from the run's
// environment (Options.Env, not the process's), else "default", as
// Terraform selects it.
func (l *loader) workspace() string {
	ws := "default"
	for _, kv := range l.opts.Env {
		if name, v, ok := strings.Cut(kv, "="); ok && name == "TF_WORKSPACE" && v != "" {
			ws = v
		}
	}
	return ws
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
	// The message names the variable, never the value. The variable is
	// then unknown, not its default: a value the user gave is never
	// silently replaced by another.
	l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagError,
		Summary: "invalid value for variable " + d.name, Detail: "given by " + where + "; it is not a valid expression for its type, so the variable is unknown", Subject: where})
	return cty.DynamicVal, true
}

// readVarFile reads a .tfvars or .tfvars.json file into vals; variables the
// root module does not declare are passed over, with Terraform's warning
// when warn is set (a --var-file in a tree of several roots may be meant
// for another root). shown names the file in messages; arg says the user
// named it on the command line (--var-file), so it may lie outside the
// tree, although a link inside the tree still may not lead out of it.
// data, when not nil, is the file's content as the caller read it.
func (l *loader) readVarFile(abs, shown string, data []byte, arg, warn bool, m *module, vals map[string]cty.Value) {
	rel := l.rel(abs)
	src := data
	var err error
	switch {
	case data != nil:
	case arg:
		src, err = l.fs.ReadArg(abs, shown)
	default:
		src, err = l.fs.ReadFile(abs)
	}
	if errors.Is(err, fs.ErrNotExist) && arg {
		l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagError, Summary: "var file not found", Subject: shown,
			Detail: "the variables it sets are not judged", Skipped: true})
		return
	}
	if err != nil {
		l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagError, Summary: "cannot read var file",
			Detail: relErr(err).Error(), File: rel, Skipped: true})
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
		l.parseDiag(d)
	}
	if f == nil || f.Body == nil {
		return
	}
	attrs, diags := f.Body.JustAttributes()
	for _, d := range diags {
		l.parseDiag(d)
	}
	for _, name := range sortedKeys(attrs) {
		if m.vars[name] == nil {
			if warn {
				l.hclDiag(&hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Value for undeclared variable",
					Detail:  fmt.Sprintf("the root module does not declare a variable named %q; the value is not used", name),
					Subject: attrs[name].NameRange.Ptr()})
			}
			continue
		}
		v, d := attrs[name].Expr.Value(&hcl.EvalContext{Functions: l.funcs})
		for _, diag := range d {
			l.hclDiag(diag)
		}
		if d.HasErrors() {
			v = cty.DynamicVal // unknown, never silently the default
		}
		vals[name] = withOrigin(v, varFileOrigin(name, shown, arg, attrs[name].Range))
	}
}
