package terraform

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// funcCase is one HCL expression and what it must evaluate to: want (an
// unknown want only fixes the type), or an error containing err.
type funcCase struct {
	expr string
	want cty.Value
	err  string
}

// testVars are variables the cases may use: u, un, ub, ul are unknown.
var testVars = map[string]cty.Value{
	"u":  cty.UnknownVal(cty.String),
	"un": cty.UnknownVal(cty.Number),
	"ub": cty.UnknownVal(cty.Bool),
	"ul": cty.UnknownVal(cty.List(cty.String)),
	"m":  cty.MapVal(map[string]cty.Value{"a": cty.StringVal("x"), "b": cty.StringVal("y")}),
}

// evalWith evaluates src as HCL with the function table of fc.
func evalWith(t *testing.T, fc funcContext, src string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parsing %s: %s", src, diags.Error())
	}
	return expr.Value(&hcl.EvalContext{Variables: testVars, Functions: functions(fc)})
}

// runCases runs each case as a subtest named by its expression.
func runCases(t *testing.T, fc funcContext, cases []funcCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			got, diags := evalWith(t, fc, c.expr)
			if c.err != "" {
				if !diags.HasErrors() {
					t.Fatalf("got %#v, want an error containing %q", got, c.err)
				}
				if !strings.Contains(diags.Error(), c.err) {
					t.Fatalf("error %q does not contain %q", diags.Error(), c.err)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("unexpected error: %s", diags.Error())
			}
			if !sameValue(got, c.want) {
				t.Fatalf("got  %#v\nwant %#v", got, c.want)
			}
		})
	}
}

// sameValue compares type and value exactly (marks included); an unknown want
// matches any unknown of the same type.
func sameValue(got, want cty.Value) bool {
	if !want.IsKnown() {
		return !got.IsKnown() && got.Type().Equals(want.Type()) && got.HasSameMarks(want)
	}
	return got.Type().Equals(want.Type()) && got.RawEquals(want)
}

func strs(ss ...string) []cty.Value {
	out := make([]cty.Value, len(ss))
	for i, s := range ss {
		out[i] = cty.StringVal(s)
	}
	return out
}

func nums(ns ...float64) []cty.Value {
	out := make([]cty.Value, len(ns))
	for i, n := range ns {
		out[i] = cty.NumberFloatVal(n)
	}
	return out
}

func TestFuncNumeric(t *testing.T) {
	runCases(t, funcContext{}, []funcCase{
		{expr: `abs(23)`, want: cty.NumberIntVal(23)},
		{expr: `abs(-12.4)`, want: cty.NumberFloatVal(12.4)},
		{expr: `ceil(5.1)`, want: cty.NumberIntVal(6)},
		{expr: `floor(4.9)`, want: cty.NumberIntVal(4)},
		{expr: `log(16, 2)`, want: cty.NumberIntVal(4)},
		{expr: `max(12, 54, 3)`, want: cty.NumberIntVal(54)},
		{expr: `max([12, 54, 3]...)`, want: cty.NumberIntVal(54)},
		{expr: `min(12, 54, 3)`, want: cty.NumberIntVal(3)},
		{expr: `parseint("100", 10)`, want: cty.NumberIntVal(100)},
		{expr: `parseint("FF", 16)`, want: cty.NumberIntVal(255)},
		{expr: `parseint("-10", 16)`, want: cty.NumberIntVal(-16)},
		{expr: `parseint("1011111011101111", 2)`, want: cty.NumberIntVal(48879)},
		{expr: `parseint("aA", 62)`, want: cty.NumberIntVal(656)},
		{expr: `parseint("12", 2)`, err: "cannot parse"},
		{expr: `pow(3, 2)`, want: cty.NumberIntVal(9)},
		{expr: `pow(4, 0)`, want: cty.NumberIntVal(1)},
		{expr: `signum(-13)`, want: cty.NumberIntVal(-1)},
		{expr: `signum(0)`, want: cty.NumberIntVal(0)},
		{expr: `sum([10, 13, 6, 4.5])`, want: cty.NumberFloatVal(33.5)},
		{expr: `sum(toset([1, 2]))`, want: cty.NumberIntVal(3)},
		{expr: `sum([])`, err: "cannot sum an empty list"},
		{expr: `sum([1, null])`, err: "number values"},
		{expr: `sum([1, un])`, want: cty.UnknownVal(cty.Number)},
		{expr: `sum("12")`, err: "list, set, or tuple"},
		{expr: `abs(un)`, want: cty.UnknownVal(cty.Number)},
	})
}

func TestFuncStrings(t *testing.T) {
	runCases(t, funcContext{}, []funcCase{
		{expr: `chomp("hello\r\n")`, want: cty.StringVal("hello")},
		{expr: `chomp("hello\n\n")`, want: cty.StringVal("hello")},
		{expr: `endswith("hello world", "world")`, want: cty.True},
		{expr: `endswith("hello world", "hello")`, want: cty.False},
		{expr: `startswith("hello world", "hello")`, want: cty.True},
		{expr: `startswith("hello world", "world")`, want: cty.False},
		{expr: `strcontains("hello world", "wor")`, want: cty.True},
		{expr: `strcontains("hello world", "wod")`, want: cty.False},
		{expr: `startswith(u, "x")`, want: cty.UnknownVal(cty.Bool)},
		{expr: `format("Hello, %s!", "Ander")`, want: cty.StringVal("Hello, Ander!")},
		{expr: `format("There are %d lights", 4)`, want: cty.StringVal("There are 4 lights")},
		{expr: `format("%s", u)`, want: cty.UnknownVal(cty.String)},
		{expr: `format("%-5s|%5.1f|%%|%[1]s", "ab", 3.14159)`, want: cty.StringVal("ab   |  3.1|%|ab")},
		{expr: `format("%-99999999s", "x")`, err: "width or precision above"},
		{expr: `format("%%%.99999999f", 1)`, err: "width or precision above"},
		{expr: `formatlist("%099999999d", [1])`, err: "width or precision above"},
		{expr: `formatlist("Hello, %s!", ["Valentina", "Ander"])`, want: cty.ListVal(strs("Hello, Valentina!", "Hello, Ander!"))},
		{expr: `formatlist("%s, %s!", "Salutations", ["Valentina", "Ander"])`, want: cty.ListVal(strs("Salutations, Valentina!", "Salutations, Ander!"))},
		{expr: `indent(2, "[\n  foo,\n  bar,\n]\n")`, want: cty.StringVal("[\n    foo,\n    bar,\n  ]\n  ")},
		{expr: `indent(1000000000000, "a\nb")`, err: "must be between 0 and"},
		{expr: `indent(60000, join("\n", range(1000)))`, err: "too large"},
		{expr: `join(", ", ["foo", "bar", "baz"])`, want: cty.StringVal("foo, bar, baz")},
		{expr: `join(", ", ["foo"])`, want: cty.StringVal("foo")},
		{expr: `lower("АЛЛО!")`, want: cty.StringVal("алло!")},
		{expr: `upper("алло!")`, want: cty.StringVal("АЛЛО!")},
		{expr: `regex("[a-z]+", "53453453.345345aaabbbccc23454")`, want: cty.StringVal("aaabbbccc")},
		{expr: `regex("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01")`, want: cty.TupleVal(strs("2019", "02", "01"))},
		{expr: `regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/")`,
			want: cty.ObjectVal(map[string]cty.Value{"authority": cty.StringVal("terraform.io"), "scheme": cty.StringVal("https")})},
		{expr: `regex("[a-z]+", "53453453.34534523454")`, err: "pattern did not match"},
		{expr: `regexall("[a-z]+", "1234abcd5678efgh9")`, want: cty.ListVal(strs("abcd", "efgh"))},
		{expr: `length(regexall("[a-z]+", "123456789")) > 0`, want: cty.False},
		{expr: `replace("1 + 2 + 3", "+", "-")`, want: cty.StringVal("1 - 2 - 3")},
		{expr: `replace("hello world", "/w.*d/", "everybody")`, want: cty.StringVal("hello everybody")},
		{expr: `replace("hello world", "/(w)(o)/", "$2$1")`, want: cty.StringVal("hello owrld")},
		{expr: `replace("a/b/c", "/", "-")`, want: cty.StringVal("a-b-c")},
		{expr: `replace("a", "/[/", "b")`, err: "invalid regular expression"},
		{expr: `split(",", "foo,bar,baz")`, want: cty.ListVal(strs("foo", "bar", "baz"))},
		{expr: `split(",", "")`, want: cty.ListVal(strs(""))},
		{expr: `strrev("a ☃")`, want: cty.StringVal("☃ a")},
		{expr: `substr("hello world", 1, 4)`, want: cty.StringVal("ello")},
		{expr: `substr("🤔🤷", 0, 1)`, want: cty.StringVal("🤔")},
		{expr: `substr("hello world", -5, -1)`, want: cty.StringVal("world")},
		{expr: `title("hello world")`, want: cty.StringVal("Hello World")},
		{expr: `trim("?!hello?!", "!?")`, want: cty.StringVal("hello")},
		{expr: `trim("foobar", "far")`, want: cty.StringVal("oob")},
		{expr: `trimprefix("helloworld", "hello")`, want: cty.StringVal("world")},
		{expr: `trimprefix("helloworld", "cat")`, want: cty.StringVal("helloworld")},
		{expr: `trimsuffix("helloworld", "world")`, want: cty.StringVal("hello")},
		{expr: `trimspace("  hello\n\n")`, want: cty.StringVal("hello")},
		{expr: `length("hello")`, want: cty.NumberIntVal(5)},
		{expr: `length("👾🕹️")`, want: cty.NumberIntVal(2)},
		{expr: `length(["a", "b"])`, want: cty.NumberIntVal(2)},
		{expr: `length({a = "b", c = "d"})`, want: cty.NumberIntVal(2)},
		{expr: `length(toset(["a", "a"]))`, want: cty.NumberIntVal(1)},
		{expr: `length(m)`, want: cty.NumberIntVal(2)},
		{expr: `length(u)`, want: cty.UnknownVal(cty.Number)},
		{expr: `length(ul)`, want: cty.UnknownVal(cty.Number)},
		{expr: `length([u, u])`, want: cty.NumberIntVal(2)},
		{expr: `length(12)`, err: "must be a string, a collection type, or a structural type"},
		{expr: `length(null)`, err: "must not be null"},
	})
}

// TestFuncMarks checks that a sensitive argument gives a sensitive result,
// for our own functions and cty's alike, and that only what Terraform marks
// is marked.
func TestFuncMarks(t *testing.T) {
	cases := []struct {
		expr string
		top  bool // marked at the top level
		deep bool // marked anywhere
	}{
		{`upper(sensitive("x"))`, true, true},
		{`format("%s-%s", sensitive("a"), "b")`, true, true},
		{`jsonencode({a = sensitive("x")})`, true, true},
		{`yamlencode({a = [sensitive("x")]})`, true, true},
		{`merge({a = sensitive("x")}, {b = "y"})`, false, true},
		{`merge(sensitive({a = "x"}), {b = "y"})`, true, true},
		{`lookup({a = sensitive("x"), b = "y"}, "a")`, true, true},
		{`lookup({a = sensitive("x"), b = "y"}, "b")`, false, false},
		{`lookup(sensitive({a = "x"}), "a")`, true, true},
		{`lookup(m, "z", sensitive("d"))`, true, true},
		{`replace(sensitive("secret"), "s", "S")`, true, true},
		{`sum([1, sensitive(2)])`, true, true},
		{`sha256(sensitive("x"))`, true, true},
		{`base64encode(sensitive("x"))`, true, true},
		{`one([sensitive("x")])`, true, true},
		{`index(["a", sensitive("b")], "b")`, true, true},
		{`templatestring("$${a}", {a = sensitive("x")})`, true, true},
		{`length([sensitive("x")])`, false, false},
		{`length(sensitive("xyz"))`, true, true},
		{`keys({a = sensitive(1)})`, false, false},
		{`nonsensitive(sensitive("x"))`, false, false},
		{`nonsensitive("x")`, false, false},
		{`sensitive(u)`, true, true},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			got, diags := evalWith(t, funcContext{}, c.expr)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			_, paths := got.UnmarkDeepWithPaths()
			if top := got.HasMark(sensitiveMark); top != c.top {
				t.Errorf("marked at top level = %v, want %v", top, c.top)
			}
			if deep := len(paths) > 0; deep != c.deep {
				t.Errorf("marked anywhere = %v, want %v", deep, c.deep)
			}
		})
	}
}

func TestFuncSensitivity(t *testing.T) {
	runCases(t, funcContext{}, []funcCase{
		{expr: `sensitive("x")`, want: cty.StringVal("x").Mark(sensitiveMark)},
		{expr: `issensitive(sensitive("secret"))`, want: cty.True},
		{expr: `issensitive("hello")`, want: cty.False},
		{expr: `issensitive(u)`, want: cty.UnknownVal(cty.Bool)},
		{expr: `issensitive(sensitive(u))`, want: cty.True},
		{expr: `nonsensitive(sensitive("x"))`, want: cty.StringVal("x")},
		{expr: `ephemeralasnull("x")`, want: cty.StringVal("x")},
	})
}

// TestFuncCatalog pins the table to Terraform's pure functions, so none is
// dropped by accident; anything else the evaluator reports as unsupported.
func TestFuncCatalog(t *testing.T) {
	want := strings.Fields(`
		abs ceil floor log max min parseint pow signum sum
		chomp endswith format formatlist indent join lower regex regexall replace split
		startswith strcontains strrev substr title trim trimprefix trimspace trimsuffix upper
		alltrue anytrue chunklist coalesce coalescelist compact concat contains distinct element
		flatten index keys length lookup matchkeys merge one range reverse setintersection
		setproduct setsubtract setunion slice sort transpose values zipmap
		base64decode base64encode base64gzip csvdecode jsondecode jsonencode textdecodebase64
		textencodebase64 urlencode yamldecode yamlencode
		abspath basename dirname pathexpand file fileexists fileset filebase64 filebase64sha256
		filebase64sha512 filemd5 filesha1 filesha256 filesha512 templatefile templatestring
		formatdate timeadd timecmp timestamp plantimestamp
		uuid uuidv5 bcrypt md5 sha1 sha256 sha512 base64sha256 base64sha512 rsadecrypt
		cidrhost cidrnetmask cidrsubnet cidrsubnets
		can try tobool tolist tomap tonumber toset tostring
		sensitive nonsensitive issensitive ephemeralasnull`)
	fs := functions(funcContext{})
	got := make([]string, 0, len(fs))
	for name := range fs {
		if !strings.HasPrefix(name, "casascan::budget::") { // the evaluator's own (instrument)
			got = append(got, name)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("function table:\n got %q\nwant %q", got, want)
	}
}
