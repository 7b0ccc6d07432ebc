package terraform

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// FuzzFunctions calls every function with argument lists built from two
// fuzzed strings and a fuzzed number. No call may panic or hang, and nothing
// from outside the scanned tree may come back.
func FuzzFunctions(f *testing.F) {
	base := f.TempDir()
	root := filepath.Join(base, "tree")
	for name, content := range map[string]string{
		"tree/a.txt":         "alpha",
		"tree/sub/b.tftpl":   "${x}",
		"outside/secret.txt": secretContent,
	} {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	seeds := []struct {
		a, b string
		n    float64
	}{
		{"hello world", "o", 2},
		{"10.0.0.0/8", "%s-%d", 4},
		{"../outside/secret.txt", "*", -1},
		{"a.txt", "**", 0},
		{`{"a": [1, 2]}`, "a: &a [1]\nb: *a", 1e300},
		{"2018-01-02T23:12:01Z", "DD MMM YYYY", 3.5},
		{"/(w)(o)/", "$2$1", -1e9},
		{"%{ for x in y }${x}%{ endfor }", "dns", math.MaxInt64},
		{"", "", 0},
		{"AIzaSyFAKE-casascan-test-key-0123456789", "~/\n::error title=x::y", 10},
		// Budget cases: a match per byte, a number of a hundred million
		// digits, a template of nested for directives.
		{".", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1e308},
		{"%{for a in range(100)}%{for b in range(100)}${a}%{endfor}%{endfor}", "/a*/", 4096},
		{"%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s", "$0$0$0$0$0$0$0$0", 5e-324},
	}
	for _, s := range seeds {
		f.Add(s.a, s.b, s.n)
	}
	fc := funcContext{ModuleDir: root, FS: openTree(f, root)}
	fs := functions(fc)
	names := make([]string, 0, len(fs))
	for name := range fs {
		names = append(names, name)
	}
	slices.Sort(names)
	f.Fuzz(func(t *testing.T, a, b string, n float64) {
		if math.IsNaN(n) {
			n = 0 // cty numbers cannot be NaN
		}
		for _, name := range names {
			for _, args := range fuzzArgs(a, b, n) {
				got, err := fs[name].Call(args)
				if err == nil && got.IsWhollyKnown() && strings.Contains(got.GoString(), secretContent) {
					t.Fatalf("%s returned content from outside the tree", name)
				}
			}
		}
	})
}

// fuzzArgs are the argument lists each function is called with.
func fuzzArgs(a, b string, n float64) [][]cty.Value {
	s, t, num := cty.StringVal(a), cty.StringVal(b), cty.NumberFloatVal(n)
	list := cty.ListVal([]cty.Value{s, t})
	return [][]cty.Value{
		{},
		{s},
		{s, t},
		{s, t, s},
		{num},
		{num, num},
		{s, num},
		{num, s},
		{s, num, num},
		{list},
		{list, num},
		{list, list, list},
		{cty.TupleVal([]cty.Value{num, s})},
		{cty.ObjectVal(map[string]cty.Value{"a": s, "b": num}), t},
		{cty.MapVal(map[string]cty.Value{"a": s}), t},
		{cty.SetVal([]cty.Value{s, t}), cty.SetVal([]cty.Value{t})},
		{cty.UnknownVal(cty.String), s},
		{s.Mark(sensitiveMark), t},
		{cty.NullVal(cty.String)},
	}
}
