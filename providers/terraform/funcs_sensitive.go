package terraform

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// anyValue is a parameter that lets every value through untouched, marks
// included, for the functions whose job is the marks themselves.
var anyValue = []function.Parameter{{
	Name:             "value",
	Type:             cty.DynamicPseudoType,
	AllowNull:        true,
	AllowUnknown:     true,
	AllowDynamicType: true,
	AllowMarked:      true,
}}

// sensitiveFunc marks its argument sensitive (sensitiveMark).
var sensitiveFunc = function.New(&function.Spec{
	Params: anyValue,
	Type: func(args []cty.Value) (cty.Type, error) {
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return args[0].Mark(sensitiveMark), nil
	},
})

// nonsensitiveFunc removes the sensitive mark from the value itself; marks
// nested inside stay, as in Terraform. Since Terraform 1.7 a value that is not
// sensitive is accepted too.
var nonsensitiveFunc = function.New(&function.Spec{
	Params: anyValue,
	Type: func(args []cty.Value) (cty.Type, error) {
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		delete(marks, sensitiveMark)
		return v.WithMarks(marks), nil
	},
})

// issensitiveFunc tells whether a value is marked sensitive. An unknown value
// that is not (yet) marked may still turn out sensitive, so the answer is
// then unknown.
var issensitiveFunc = function.New(&function.Spec{
	Params: anyValue,
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		switch {
		case args[0].HasMark(sensitiveMark):
			return cty.True, nil
		case !args[0].IsKnown():
			return cty.UnknownVal(cty.Bool).RefineNotNull(), nil
		}
		return cty.False, nil
	},
})

// ephemeralAsNullFunc replaces ephemeral values by null. Nothing a static
// scan evaluates is ephemeral, so it returns its argument unchanged.
var ephemeralAsNullFunc = function.New(&function.Spec{
	Params: anyValue,
	Type: func(args []cty.Value) (cty.Type, error) {
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return args[0], nil
	},
})
