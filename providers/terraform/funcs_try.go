package terraform

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// tryFunc and canFunc are Terraform's try and can (HCL's tryfunc), except
// that a result not known before apply keeps the marks of the value it
// stands for: try(google_kms_crypto_key.k.computed, "x") is unknown and
// still refers to the key, where tryfunc's bare unknown would lose the
// edge (and the sensitivity).
var (
	tryFunc = function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "expressions", Type: customdecode.ExpressionClosureType},
		Type: func(args []cty.Value) (cty.Type, error) {
			v, err := tryValue(args)
			if err != nil {
				return cty.NilType, err
			}
			return v.Type(), nil
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) { return tryValue(args) },
	})
	canFunc = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "expression", Type: customdecode.ExpressionClosureType}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, diags := customdecode.ExpressionClosureFromVal(args[0]).Value()
			if diags.HasErrors() {
				return cty.False, nil
			}
			if !v.IsWhollyKnown() {
				// Not certain to be valid until the value is known.
				_, marks := v.UnmarkDeep()
				return cty.UnknownVal(cty.Bool).WithMarks(marks), nil
			}
			return cty.True, nil
		},
	})
)

func tryValue(args []cty.Value) (cty.Value, error) {
	if len(args) == 0 {
		return cty.NilVal, errors.New("at least one argument is required")
	}
	var diags hcl.Diagnostics
	for _, arg := range args {
		v, more := customdecode.ExpressionClosureFromVal(arg).Value()
		diags = append(diags, more...)
		if more.HasErrors() {
			continue
		}
		if !v.IsWhollyKnown() {
			// Which argument wins, and so the type, is not known yet.
			_, marks := v.UnmarkDeep()
			return cty.DynamicVal.WithMarks(marks), nil
		}
		return v, nil
	}
	var buf strings.Builder
	buf.WriteString("no expression succeeded:\n")
	for _, d := range diags {
		if d.Subject != nil {
			fmt.Fprintf(&buf, "- %s (at %s)\n  %s\n", d.Summary, d.Subject, d.Detail)
		} else {
			fmt.Fprintf(&buf, "- %s\n  %s\n", d.Summary, d.Detail)
		}
	}
	buf.WriteString("\nAt least one expression must produce a successful result")
	return cty.NilVal, errors.New(buf.String())
}
