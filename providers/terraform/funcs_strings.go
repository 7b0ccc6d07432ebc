package terraform

import (
	"regexp"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"
)

// Bounds on what one string function may build. Terraform has none, but
// running out of memory is a crash no recover can catch, and a scan must
// survive any configuration.
const (
	maxIndent      = 1 << 16 // spaces of indent
	maxIndentBytes = 1 << 24 // padding indent adds in all
	maxFormatWidth = 1 << 12 // width or precision of a format verb
)

func stringFunctions() map[string]function.Function {
	return map[string]function.Function{
		"chomp":       stdlib.ChompFunc,
		"endswith":    endsWithFunc,
		"format":      passThrough(stdlib.FormatFunc, checkFormat),
		"formatlist":  passThrough(stdlib.FormatListFunc, checkFormat),
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
		if n*strings.Count(args[1].AsString(), "\n") > maxIndentBytes {
			return cty.NilVal, function.NewArgErrorf(1, "the indented string would be too large")
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

// checkFormat refuses a format string (the first argument of format and
// formatlist) with a width or precision above maxFormatWidth: cty pads by
// itself, so "%-99999999s" takes seconds and a larger one exhausts memory.
func checkFormat(args []cty.Value) error {
	if len(args) == 0 {
		return nil
	}
	f, ok := knownString(args[0])
	if !ok {
		return nil
	}
	for i := strings.IndexByte(f, '%'); i >= 0; {
		i++
		for i < len(f) && strings.IndexByte("-+# 0", f[i]) >= 0 {
			i++ // flags
		}
		width, i2 := leadingNumber(f, i)
		precision := 0
		if i = i2; i < len(f) && f[i] == '.' {
			precision, i = leadingNumber(f, i+1)
		}
		if width > maxFormatWidth || precision > maxFormatWidth {
			return function.NewArgErrorf(0, "width or precision above %d", maxFormatWidth)
		}
		next := strings.IndexByte(f[min(i+1, len(f)):], '%')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return nil
}

// leadingNumber reads the decimal digits of s from i, saturating just above
// maxFormatWidth, and returns the number and the index after them.
func leadingNumber(s string, i int) (int, int) {
	n := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = min(n*10+int(s[i]-'0'), maxFormatWidth+1)
	}
	return n, i
}
