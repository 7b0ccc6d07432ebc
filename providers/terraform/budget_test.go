package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casascan/casascan/providers/terraform/gentree"
	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// TestBudgetBenchTree loads the benchmark's generated tree (8,240
// resources) and checks that it spends a small part of each default limit:
// real trees must never come near them.
func TestBudgetBenchTree(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a tree of 1,000 files")
	}
	dir := t.TempDir()
	if err := gentree.Write(dir, gentree.Default); err != nil {
		t.Fatal(err)
	}
	tr, root, err := newTree(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.parseDirs([]string{root}, true); err != nil {
		t.Fatal(err)
	}
	g := tr.finish(tr.evaluate([]*loader{tr.newLoader(root, true)}))[0]
	b := tr.budget
	t.Logf("%d resources: %d instances (%d of modules), %d string bytes, %d steps",
		len(g.Resources), b.instances.Load(), b.modules.Load(), b.bytes.Load(), b.steps.Load())
	// Instances are the only limit a big tree comes near: a quarter of it.
	for _, c := range []struct {
		what            string
		used, limit, of int64
	}{
		{"instances", b.instances.Load(), b.limits.Instances, 4},
		{"module instances", b.modules.Load(), b.limits.Instances / moduleShare, 20},
		{"string bytes", b.bytes.Load(), b.limits.StringBytes, 100},
		{"steps", b.steps.Load(), b.limits.Steps, 100},
	} {
		if c.used == 0 || c.used*c.of > c.limit {
			t.Errorf("the benchmark tree spends %d %s: want some, and at most 1/%d of the limit (%d)", c.used, c.what, c.of, c.limit)
		}
	}
	for _, d := range g.Diagnostics {
		if d.Severity == scanner.DiagError {
			t.Errorf("diagnostic: %v", d)
		}
	}
}

// callLimited calls the metered function name with args under limits, and
// returns its result and the limit the call hit ("" if none).
func callLimited(t *testing.T, lim Limits, name string, args ...cty.Value) (cty.Value, string) {
	t.Helper()
	m := newMeter(newBudget(lim))
	fs := functions(funcContext{Meter: m})
	st := m.begin()
	v, err := fs[name].Call(args)
	hit := m.end(st)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v, hit
}

func tupleOf(n int, f func(i int) string) cty.Value {
	vals := make([]cty.Value, n)
	for i := range vals {
		vals[i] = cty.StringVal(f(i))
	}
	return cty.TupleVal(vals)
}

// TestBudgetFunctions checks that each function that can build far more
// than it is given refuses to, before doing the work, and that the same
// call under the default limits still works.
func TestBudgetFunctions(t *testing.T) {
	small := Limits{Steps: 16 * 1000, StringBytes: 16 * 1000, Instances: 10}
	mb := cty.StringVal(strings.Repeat("a", 1<<20))
	tests := []struct {
		name string
		args []cty.Value
		hit  string
	}{
		{"regexall", []cty.Value{cty.StringVal("."), cty.StringVal(strings.Repeat("x", 5000))}, hitSteps},
		{"replace", []cty.Value{cty.StringVal("aaaa"), cty.StringVal("a"), cty.StringVal(strings.Repeat("b", 1000))}, hitBytes},
		{"replace", []cty.Value{cty.StringVal(strings.Repeat("ab", 2000)), cty.StringVal("/a/"), cty.StringVal("$0")}, hitSteps},
		{"format", []cty.Value{cty.StringVal("%s%s"), cty.StringVal(strings.Repeat("a", 800)), cty.StringVal("b")}, hitBytes},
		{"formatlist", []cty.Value{cty.StringVal("%s-%s"), tupleOf(100, func(int) string { return "x" }), cty.StringVal(strings.Repeat("a", 100))}, hitBytes},
		{"join", []cty.Value{cty.StringVal(strings.Repeat(",", 100)), tupleOf(100, func(int) string { return "x" })}, hitBytes},
		{"flatten", []cty.Value{cty.TupleVal([]cty.Value{tupleOf(1000, func(int) string { return "x" }), tupleOf(1000, func(int) string { return "y" })})}, hitSteps},
		{"setproduct", []cty.Value{tupleOf(100, func(i int) string { return fmt.Sprint(i) }), tupleOf(100, func(i int) string { return fmt.Sprint(i) })}, hitSteps},
		{"distinct", []cty.Value{tupleOf(2000, func(i int) string { return fmt.Sprint(i % 7) })}, hitSteps},
		{"toset", []cty.Value{tupleOf(2000, func(i int) string { return fmt.Sprint(i) })}, hitSteps},
		{"tostring", []cty.Value{cty.MustParseNumberVal("1e99999999")}, hitNumber},
		{"jsonencode", []cty.Value{cty.TupleVal([]cty.Value{cty.MustParseNumberVal("-1e-99999")})}, hitNumber},
		{"upper", []cty.Value{cty.MustParseNumberVal("1e99999999")}, hitNumber},
		{"strrev", []cty.Value{cty.StringVal(strings.Repeat("a", 2000))}, hitBytes},
		{"indent", []cty.Value{cty.NumberIntVal(100), cty.StringVal(strings.Repeat("\n", 100))}, hitBytes},
		{"templatestring", []cty.Value{cty.StringVal("%{for a in range(100)}%{for b in range(100)}%{endfor}%{endfor}"), cty.EmptyObjectVal}, hitSteps},
		{"templatestring", []cty.Value{cty.StringVal("${s}${s}"), cty.ObjectVal(map[string]cty.Value{"s": cty.StringVal(strings.Repeat("a", 600))})}, hitBytes},
		{"lower", []cty.Value{mb}, hitBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, hit := callLimited(t, small, tt.name, tt.args...)
			if hit != tt.hit {
				t.Fatalf("hit %q, want %q", hit, tt.hit)
			}
			if v.IsKnown() {
				t.Errorf("over the limit, the result is known: %#v", v.Type())
			}
			if tt.hit == hitNumber {
				return // no limit makes these formattable
			}
			v, hit = callLimited(t, Limits{}, tt.name, tt.args...)
			if hit != "" || !v.IsWhollyKnown() {
				t.Errorf("under the default limits: hit %q, known %v", hit, v.IsWhollyKnown())
			}
		})
	}
}

// TestBudgetDistinct checks the map-based distinct against cty's.
func TestBudgetDistinct(t *testing.T) {
	for _, list := range []cty.Value{
		cty.ListVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a"), cty.StringVal("b"), cty.StringVal("c"), cty.StringVal("a")}),
		cty.ListVal([]cty.Value{cty.NumberIntVal(1), cty.NumberFloatVal(1.0), cty.NumberIntVal(2), cty.NullVal(cty.Number), cty.NullVal(cty.Number)}),
		cty.ListVal([]cty.Value{cty.True, cty.False, cty.True}),
		cty.ListVal([]cty.Value{cty.ListVal([]cty.Value{cty.StringVal("a")}), cty.ListVal([]cty.Value{cty.StringVal("a")})}),
		cty.ListVal([]cty.Value{cty.StringVal("a").Mark(sensitiveMark), cty.StringVal("a"), cty.StringVal("a").Mark(sensitiveMark)}),
		cty.ListValEmpty(cty.String),
	} {
		want, err := stdlib.DistinctFunc.Call([]cty.Value{list})
		if err != nil {
			t.Fatal(err)
		}
		got, err := distinctFunc.Call([]cty.Value{list})
		if err != nil {
			t.Fatal(err)
		}
		if !got.RawEquals(want) {
			t.Errorf("distinct(%#v) = %#v, want %#v", list, got, want)
		}
	}
}

// TestBudgetFastConvert checks that a long tuple converts as cty converts
// it, and that too many distinct element types are refused.
func TestBudgetFastConvert(t *testing.T) {
	m := newMeter(newBudget(Limits{}))
	mixed := make([]cty.Value, 500)
	for i := range mixed {
		mixed[i] = cty.StringVal(fmt.Sprint(i))
		if i%3 == 0 {
			mixed[i] = cty.NumberIntVal(int64(i))
		}
	}
	tup := cty.TupleVal(mixed)
	for _, want := range []cty.Type{cty.List(cty.DynamicPseudoType), cty.Set(cty.DynamicPseudoType)} {
		got, ok, err := fastConvert(m, tup, want)
		if !ok || err != nil {
			t.Fatalf("fastConvert: %v %v", ok, err)
		}
		ref, err := convert.Convert(tup, want)
		if err != nil {
			t.Fatal(err)
		}
		if !got.RawEquals(ref) {
			t.Errorf("fastConvert to %#v differs from cty's conversion", want)
		}
	}
	objs := make([]cty.Value, 200)
	for i := range objs {
		objs[i] = cty.ObjectVal(map[string]cty.Value{fmt.Sprint("k", i): cty.True})
	}
	if _, ok, _ := fastConvert(m, cty.TupleVal(objs), cty.List(cty.DynamicPseudoType)); ok || m.hit != hitTypes {
		t.Errorf("200 distinct object types: ok %v, hit %q", ok, m.hit)
	}
}

// TestBudgetShared checks that the totals are shared by every meter of a
// budget, that a refused charge is not spent, and that one expression may
// spend only its share.
func TestBudgetShared(t *testing.T) {
	b := newBudget(Limits{Steps: 1600, StringBytes: 1600, Instances: 8})
	m1, m2 := newMeter(b), newMeter(b)
	for i := 0; i < exprShare; i++ {
		m := []*meter{m1, m2}[i%2]
		st := m.begin()
		if !m.steps(100) {
			t.Fatalf("charge %d refused", i)
		}
		if m.steps(1) {
			t.Fatalf("expression %d took more than its share", i)
		}
		if m.end(st) != hitSteps {
			t.Fatal("the refused charge did not mark the expression")
		}
	}
	st := m1.begin()
	if m1.steps(1) || b.steps.Load() != 1600 {
		t.Errorf("the total is spent, yet a charge passed (spent %d)", b.steps.Load())
	}
	m1.end(st)
	if !m1.instances(2, true) || m2.instances(1, true) {
		t.Error("module instances: want 2 (a quarter of 8), then none")
	}
	if !m2.instances(6, false) || m1.instances(1, false) {
		t.Error("instances: want 6 more, then none")
	}
}

// TestBudgetLoad checks, through Load, that an expression over a limit
// becomes unknown with one diagnostic naming its place and the limit, and
// that the rest of the module is evaluated.
func TestBudgetLoad(t *testing.T) {
	dir := t.TempDir()
	src := `locals {
  big = [for a in range(1024) : [for b in range(1024) : b]]
}
resource "google_pubsub_topic" "t" {
  name   = "t"
  labels = { n = length(local.big) }
}
resource "google_pubsub_topic" "many" {
  count = 11
  name  = "m${count.index}"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(context.Background(), dir, Options{Limits: Limits{Instances: 10}})
	if err != nil {
		t.Fatal(err)
	}
	var diags []string
	for _, d := range g.Diagnostics {
		diags = append(diags, fmt.Sprintf("%s:%d:%d %s", d.File, d.Line, d.Column, d.Summary))
	}
	for _, want := range []string{
		"main.tf:2:9 evaluation limit reached: evaluation steps",
		"main.tf:9:11 instance limit reached: count of google_pubsub_topic.many has 11 instances",
	} {
		if !slices.Contains(diags, want) {
			t.Errorf("no diagnostic %q in %q", want, diags)
		}
	}
	var addrs []string
	for _, r := range g.Resources {
		addrs = append(addrs, r.Address)
		if r.Address == "google_pubsub_topic.t" {
			if n := r.Body.Attrs["name"]; n == nil || n.Value != cty.StringVal("t") {
				t.Errorf("google_pubsub_topic.t name = %#v", n)
			}
		}
	}
	slices.Sort(addrs)
	if want := []string{"google_pubsub_topic.many", "google_pubsub_topic.t"}; !slices.Equal(addrs, want) {
		t.Errorf("resources %q, want %q", addrs, want)
	}
}

// TestBudgetScalesWithTree: the instance limit grows with the blocks a
// tree declares (a monorepo of many roots is no bomb), and not when the
// user set it.
func TestBudgetScalesWithTree(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	n := DefaultMaxInstances/InstancesPerBlock + 1000
	for i := range n {
		fmt.Fprintf(&b, "resource \"google_pubsub_topic\" \"t%d\" {\n  name = \"t%d\"\n}\n", i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		limits Limits
		want   int64
	}{
		{Limits{}, int64(n) * InstancesPerBlock},
		{Limits{Instances: 50}, 50},
	} {
		tr, top, err := newTree(context.Background(), dir, Options{Limits: tc.limits})
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.parseDirs([]string{top}, true); err != nil {
			t.Fatal(err)
		}
		tr.scaleBudget()
		if got := tr.budget.limits.Instances; got != tc.want {
			t.Errorf("limits %+v: instance limit %d, want %d", tc.limits, got, tc.want)
		}
		tr.close()
	}
}
