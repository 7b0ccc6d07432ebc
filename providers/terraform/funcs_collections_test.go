package terraform

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestFuncCollections(t *testing.T) {
	obj := func(kv ...any) cty.Value {
		m := map[string]cty.Value{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1].(cty.Value)
		}
		return cty.ObjectVal(m)
	}
	runCases(t, funcContext{}, []funcCase{
		{expr: `alltrue(["true", true])`, want: cty.True},
		{expr: `alltrue([true, false])`, want: cty.False},
		{expr: `alltrue([])`, want: cty.True},
		{expr: `alltrue([true, ub])`, want: cty.UnknownVal(cty.Bool)},
		{expr: `alltrue([ub, false])`, want: cty.False},
		{expr: `anytrue(["true"])`, want: cty.True},
		{expr: `anytrue([true, false])`, want: cty.True},
		{expr: `anytrue([])`, want: cty.False},
		{expr: `anytrue([ub, true])`, want: cty.True},
		{expr: `anytrue([false, ub])`, want: cty.UnknownVal(cty.Bool)},
		{expr: `chunklist(["a", "b", "c", "d", "e"], 2)`, want: cty.ListVal([]cty.Value{
			cty.ListVal(strs("a", "b")), cty.ListVal(strs("c", "d")), cty.ListVal(strs("e"))})},
		{expr: `coalesce("a", "b")`, want: cty.StringVal("a")},
		{expr: `coalesce("", "b")`, want: cty.StringVal("b")},
		{expr: `coalesce(1, 2)`, want: cty.NumberIntVal(1)},
		{expr: `coalesce(null, "x")`, want: cty.StringVal("x")},
		{expr: `coalesce(["", "b"]...)`, want: cty.StringVal("b")},
		{expr: `coalesce(1, "x")`, want: cty.StringVal("1")},
		{expr: `coalesce(null, u, "x")`, want: cty.UnknownVal(cty.String)},
		{expr: `coalesce("a", u)`, want: cty.StringVal("a")},
		{expr: `coalesce("", null)`, err: "no non-null, non-empty-string arguments"},
		{expr: `coalesce(["a"], "b")`, err: "all arguments must have the same type"},
		{expr: `coalescelist(["a", "b"], ["c", "d"])`, want: cty.TupleVal(strs("a", "b"))},
		{expr: `coalescelist([], ["c", "d"])`, want: cty.TupleVal(strs("c", "d"))},
		{expr: `compact(["a", "", "b", null, "c"])`, want: cty.ListVal(strs("a", "b", "c"))},
		{expr: `concat(["a", ""], ["b", "c"])`, want: cty.TupleVal(strs("a", "", "b", "c"))},
		{expr: `contains(["a", "b", "c"], "a")`, want: cty.True},
		{expr: `contains(["a", "b", "c"], "d")`, want: cty.False},
		{expr: `distinct(["a", "b", "a", "c", "d", "b"])`, want: cty.ListVal(strs("a", "b", "c", "d"))},
		{expr: `element(["a", "b", "c"], 1)`, want: cty.StringVal("b")},
		{expr: `element(["a", "b", "c"], 3)`, want: cty.StringVal("a")},
		{expr: `element(["a", "b", "c"], length(["a", "b", "c"]) - 1)`, want: cty.StringVal("c")},
		{expr: `flatten([["a", "b"], [], ["c"]])`, want: cty.TupleVal(strs("a", "b", "c"))},
		{expr: `flatten([[["a", "b"], []], ["c"]])`, want: cty.TupleVal(strs("a", "b", "c"))},
		{expr: `index(["a", "b", "c"], "b")`, want: cty.NumberIntVal(1)},
		{expr: `index(["a", "b"], "z")`, err: "item not found"},
		{expr: `index([], "z")`, err: "cannot search an empty list"},
		{expr: `index(["a", u], "b")`, want: cty.UnknownVal(cty.Number)},
		{expr: `index(["b", u], "b")`, want: cty.NumberIntVal(0)},
		{expr: `index("abc", "b")`, err: "must be a list or tuple"},
		{expr: `keys({a = 1, c = 2, d = 3})`, want: cty.TupleVal(strs("a", "c", "d"))},
		{expr: `keys(m)`, want: cty.ListVal(strs("a", "b"))},
		{expr: `lookup({a = "ay", b = "bee"}, "a", "what?")`, want: cty.StringVal("ay")},
		{expr: `lookup({a = "ay", b = "bee"}, "c", "what?")`, want: cty.StringVal("what?")},
		{expr: `lookup({a = "ay"}, "a")`, want: cty.StringVal("ay")},
		{expr: `lookup({a = "ay"}, "c")`, err: "no attribute \"c\""},
		{expr: `lookup(m, "a")`, want: cty.StringVal("x")},
		{expr: `lookup(m, "z")`, err: "lookup failed to find key \"z\""},
		{expr: `lookup(m, "z", null)`, want: cty.NullVal(cty.String)},
		{expr: `lookup(m, "z", 5)`, want: cty.StringVal("5")},
		{expr: `lookup(m, "z", ["x"])`, err: "same type as the map elements"},
		{expr: `lookup(m, u, "d")`, want: cty.UnknownVal(cty.String)},
		{expr: `lookup(m, "a", "b", "c")`, err: "two or three arguments"},
		{expr: `lookup("nope", "a")`, err: "must be a map or an object"},
		{expr: `matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])`, want: cty.ListVal(strs("i-abc", "i-def"))},
		{expr: `matchkeys(["a"], ["k"], ["z"])`, want: cty.ListValEmpty(cty.String)},
		{expr: `matchkeys(["a", "b"], ["k"], ["k"])`, err: "length of keys and values should be equal"},
		{expr: `merge({a = "b", c = "d"}, {e = "f", c = "z"})`, want: obj("a", cty.StringVal("b"), "c", cty.StringVal("z"), "e", cty.StringVal("f"))},
		{expr: `merge({a = "b"}, {a = [1, 2], c = "z"}, {d = 3})`, want: obj("a", cty.TupleVal(nums(1, 2)), "c", cty.StringVal("z"), "d", cty.NumberIntVal(3))},
		{expr: `one([])`, want: cty.NullVal(cty.DynamicPseudoType)},
		{expr: `one(["hello"])`, want: cty.StringVal("hello")},
		{expr: `one(["hello", "goodbye"])`, err: "either zero or one elements"},
		{expr: `one(toset(["hello"]))`, want: cty.StringVal("hello")},
		{expr: `one(tolist([]))`, want: cty.NullVal(cty.DynamicPseudoType)},
		{expr: `one(toset(["hello", "goodbye"]))`, err: "either zero or one elements"},
		{expr: `range(3)`, want: cty.ListVal(nums(0, 1, 2))},
		{expr: `range(1, 4)`, want: cty.ListVal(nums(1, 2, 3))},
		{expr: `range(1, 8, 2)`, want: cty.ListVal(nums(1, 3, 5, 7))},
		{expr: `range(4, 1)`, want: cty.ListVal(nums(4, 3, 2))},
		{expr: `range(10, 5, -2)`, want: cty.ListVal(nums(10, 8, 6))},
		{expr: `range(1e9)`, err: "more than 1024 values"},
		{expr: `reverse([1, 2, 3])`, want: cty.TupleVal(nums(3, 2, 1))},
		{expr: `setintersection(["a", "b"], ["b", "c"], ["b", "d"])`, want: cty.SetVal(strs("b"))},
		{expr: `setproduct(["development", "staging"], ["app1", "app2"])`, want: cty.ListVal([]cty.Value{
			cty.TupleVal(strs("development", "app1")), cty.TupleVal(strs("development", "app2")),
			cty.TupleVal(strs("staging", "app1")), cty.TupleVal(strs("staging", "app2"))})},
		{expr: `setproduct(range(1000), range(1000))`, err: "too large"},
		{expr: `setsubtract(["a", "b", "c"], ["a", "c"])`, want: cty.SetVal(strs("b"))},
		{expr: `setunion(["a", "b"], ["b", "c"], ["d"])`, want: cty.SetVal(strs("a", "b", "c", "d"))},
		{expr: `slice(["a", "b", "c", "d"], 1, 3)`, want: cty.TupleVal(strs("b", "c"))},
		{expr: `sort(["e", "d", "a", "x"])`, want: cty.ListVal(strs("a", "d", "e", "x"))},
		{expr: `transpose({"a" = ["1", "2"], "b" = ["2", "3"]})`, want: cty.MapVal(map[string]cty.Value{
			"1": cty.ListVal(strs("a")), "2": cty.ListVal(strs("a", "b")), "3": cty.ListVal(strs("b"))})},
		{expr: `transpose({})`, want: cty.MapValEmpty(cty.List(cty.String))},
		{expr: `transpose({"a" = [u]})`, want: cty.UnknownVal(cty.Map(cty.List(cty.String)))},
		{expr: `values({a = 3, c = 2, d = 1})`, want: cty.TupleVal(nums(3, 2, 1))},
		{expr: `zipmap(["a", "b"], [1, 2])`, want: obj("a", cty.NumberIntVal(1), "b", cty.NumberIntVal(2))},
	})
}

func TestFuncTypes(t *testing.T) {
	runCases(t, funcContext{}, []funcCase{
		{expr: `tobool(true)`, want: cty.True},
		{expr: `tobool("true")`, want: cty.True},
		{expr: `tobool(null)`, want: cty.NullVal(cty.Bool)},
		{expr: `tobool("no")`, err: "cannot convert"},
		{expr: `tolist(["a", "b", 3])`, want: cty.ListVal(strs("a", "b", "3"))},
		{expr: `tomap({"a" = 1, "b" = 2})`, want: cty.MapVal(map[string]cty.Value{"a": cty.NumberIntVal(1), "b": cty.NumberIntVal(2)})},
		{expr: `tomap({"a" = "foo", "b" = true})`, want: cty.MapVal(map[string]cty.Value{"a": cty.StringVal("foo"), "b": cty.StringVal("true")})},
		{expr: `tonumber("1")`, want: cty.NumberIntVal(1)},
		{expr: `tonumber(null)`, want: cty.NullVal(cty.Number)},
		{expr: `tonumber("no")`, err: "cannot convert"},
		{expr: `toset(["a", "b", 3])`, want: cty.SetVal(strs("a", "b", "3"))},
		{expr: `tostring(1)`, want: cty.StringVal("1")},
		{expr: `tostring([])`, err: "cannot convert"},
		{expr: `can(tonumber("x"))`, want: cty.False},
		{expr: `can(tonumber("1"))`, want: cty.True},
		{expr: `try(tonumber("x"), 5)`, want: cty.NumberIntVal(5)},
		{expr: `try({a = 1}.b, "fallback")`, want: cty.StringVal("fallback")},
		{expr: `try(m.z, m.a)`, want: cty.StringVal("x")},
	})
}
