package terraform

import (
	"regexp"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"
)

// maxIndent bounds indent's padding: Terraform has no limit, but a padding of
// 10^12 spaces would exhaust memory, which no recover can catch.
const maxIndent = 1 << 16

func stringFunctions() map[string]function.Function {
	return map[string]function.Function{
		"chomp":       stdlib.ChompFunc,
		"endswith":    endsWithFunc,
		"format":      stdlib.FormatFunc,
		"formatlist":  stdlib.FormatListFunc,
		"indent":      indentFunc,
		"join":        stdlib.JoinFunc,
		"lower":       stdlib.LowerFunc,
		"regex":       stdlib.RegexFunc,
		"regexall":    stdlib.RegexAllFunc,
		"replace":     replaceFunc,
		"split":       stdlib.SplitFunc,
		"startswith":  startsWithFunc,
		"strcontains": strContainsFunc,
		"strrev":      stdlib.ReverseFunc,
		"substr":      stdlib.SubstrFunc,
		"title":       stdlib.TitleFunc,
		"trim":        stdlib.TrimFunc,
		"trimprefix":  stdlib.TrimPrefixFunc,
		"trimspace":   stdlib.TrimSpaceFunc,
		"trimsuffix":  stdlib.TrimSuffixFunc,
		"upper":       stdlib.UpperFunc,
	}
}

// replaceFunc is Terraform's replace, not cty's: a search string wrapped in
// forward slashes is a regular expression, and the replacement may then
// refer to its capture groups ($1, ${name}).
var replaceFunc = newFunc(function.Spec{
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, substr, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(substr) > 1 && substr[0] == '/' && substr[len(substr)-1] == '/' {
			re, err := regexp.Compile(substr[1 : len(substr)-1])
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(1, "invalid regular expression: %s", err)
			}
			return cty.StringVal(re.ReplaceAllString(str, repl)), nil
		}
		return cty.StringVal(strings.ReplaceAll(str, substr, repl)), nil
	},
})

// stringTest builds a two-string predicate (startswith, endswith, strcontains).
func stringTest(second string, test func(s, t string) bool) function.Function {
	return newFunc(function.Spec{
		Params: []function.Parameter{
			{Name: "string", Type: cty.String},
			{Name: second, Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(test(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

var (
	startsWithFunc  = stringTest("prefix", strings.HasPrefix)
	endsWithFunc    = stringTest("suffix", strings.HasSuffix)
	strContainsFunc = stringTest("substr", strings.Contains)
)

// indentFunc is cty's indent with a bound on the padding (see maxIndent).
var indentFunc = newFunc(function.Spec{
	Params: []function.Parameter{
		{Name: "spaces", Type: cty.Number},
		{Name: "str", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var n int
		if err := gocty.FromCtyValue(args[0], &n); err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		if n < 0 || n > maxIndent {
			return cty.NilVal, function.NewArgErrorf(0, "must be between 0 and %d", maxIndent)
		}
		return stdlib.Indent(args[0], args[1])
	},
})

// lengthFunc is Terraform's length: strings count Unicode grapheme clusters,
// and objects and tuples count too, which cty's length does not allow. Only
// the argument's own marks reach the result, not its elements' — the length
// of a list of secrets is not itself a secret, and count = length(...) must
// stay usable, as it is in Terraform.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowDynamicType: true,
		AllowUnknown:     true,
		AllowMarked:      true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.String, ty == cty.DynamicPseudoType,
			ty.IsCollectionType(), ty.IsTupleType(), ty.IsObjectType():
			return cty.Number, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "argument must be a string, a collection type, or a structural type")
	},
	Impl: func(args []cty.Value, _ cty.Type) (ret cty.Value, err error) {
		defer recoverAs(&ret, &err)
		v, marks := args[0].Unmark()
		ty := v.Type()
		switch {
		case ty == cty.DynamicPseudoType:
			return cty.UnknownVal(cty.Number).RefineNotNull().WithMarks(marks), nil
		case ty == cty.String:
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number).RefineNotNull().WithMarks(marks), nil
			}
			n, err := stdlib.Strlen(v)
			return n.WithMarks(marks), err
		case ty.IsObjectType():
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number).RefineNotNull().WithMarks(marks), nil
			}
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))).WithMarks(marks), nil
		}
		return v.Length().WithMarks(marks), nil
	},
})
