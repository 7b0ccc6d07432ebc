package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// templateFileFunc renders a file in the tree as an HCL template with the
// given variables and the function table funcs returns (which refuses
// nested templates). A template that is a single interpolation yields that value
// with its own type, as in Terraform.
func templateFileFunc(fc funcContext, funcs func() map[string]function.Function) function.Function {
	return newFunc(function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			src, ok, err := fc.readFile(p)
			if err != nil || !ok {
				return cty.DynamicVal, err
			}
			if err := utf8Check(src, p); err != nil {
				return cty.NilVal, err
			}
			return renderTemplate(src, p, args[1], funcs())
		},
	})
}

// templateStringFunc renders a string as a template, like templatefile.
// Terraform also insists that the template argument be a reference rather
// than a literal; that restriction is not enforced here.
func templateStringFunc(funcs func() map[string]function.Function) function.Function {
	return newFunc(function.Spec{
		Params: []function.Parameter{
			{Name: "template", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return renderTemplate([]byte(args[0].AsString()), "<templatestring>", args[1], funcs())
		},
	})
}

// noRecursion stands in for templatefile and templatestring inside a template.
func noRecursion(name string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String, AllowUnknown: true, AllowNull: true, AllowMarked: true},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true, AllowMarked: true},
		},
		Type: func([]cty.Value) (cty.Type, error) {
			return cty.NilType, fmt.Errorf("cannot call %s from inside a template", name)
		},
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.NilVal, fmt.Errorf("cannot call %s from inside a template", name)
		},
	})
}

func utf8Check(src []byte, p string) error {
	if _, err := utf8Text(src); err != nil {
		return fmt.Errorf("reading %s: %w", p, err)
	}
	return nil
}

// renderTemplate parses src as a template (name is the file name in
// diagnostics) and evaluates it with vars, a map or object whose keys are
// valid identifiers.
func renderTemplate(src []byte, name string, vars cty.Value, funcs map[string]function.Function) (cty.Value, error) {
	ty := vars.Type()
	if !ty.IsMapType() && !ty.IsObjectType() {
		return cty.NilVal, function.NewArgErrorf(1, "invalid vars value: must be a map")
	}
	variables := map[string]cty.Value{}
	for it := vars.ElementIterator(); it.Next(); {
		k, v := it.Element()
		key := k.AsString()
		if !hclsyntax.ValidIdentifier(key) {
			return cty.NilVal, function.NewArgErrorf(1, "invalid template variable name %q: must start with a letter, followed by zero or more letters, digits, and underscores", key)
		}
		variables[key] = v
	}
	if d := preScanTemplate(src, name); d != nil {
		return cty.NilVal, fmt.Errorf("%s:%d: %s", name, d.Line, d.Summary)
	}
	expr, diags := hclsyntax.ParseTemplate(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("parsing template: %s", diags.Error())
	}
	if _, metered := funcs[fnPart]; metered {
		instrument(expr) // with no budget functions (a test's bare call), unmetered
	}
	for _, tr := range expr.Variables() {
		if _, ok := variables[tr.RootName()]; !ok {
			r := tr.SourceRange()
			return cty.NilVal, fmt.Errorf("%s:%d,%d: vars map does not contain key %q", name, r.Start.Line, r.Start.Column, tr.RootName())
		}
	}
	val, diags := expr.Value(&hcl.EvalContext{Variables: variables, Functions: funcs})
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("rendering template: %s", diags.Error())
	}
	return val, nil
}
