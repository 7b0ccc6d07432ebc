package gcp

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/casascan/casascan/providers/gcp/internal/fake"
	"github.com/casascan/casascan/scanner"
)

// fakeOptions point a live scan at the fakes, with a backoff short enough
// for tests.
func fakeOptions(srv *fake.Server) Options {
	return Options{
		WithoutADC:     true,
		KMSOptions:     srv.KMSOptions(),
		StorageOptions: srv.StorageOptions(),
		AssetOptions:   srv.AssetOptions(),
		Concurrency:    4,
		retry:          retryPolicy{initial: time.Millisecond, max: 4 * time.Millisecond, attempts: 4},
	}
}

// loadFake runs Load against a fresh fake of w, letting setup inject faults
// and adjust the options first.
func loadFake(t *testing.T, w *fake.World, setup func(*fake.Server, *Options)) (*scanner.Graph, *fake.Server) {
	t.Helper()
	srv := fake.Start(t, w)
	opts := fakeOptions(srv)
	if setup != nil {
		setup(srv, &opts)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	g, err := Load(ctx, opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return g, srv
}

// addresses returns the graph's addresses, optionally only of some types.
func addresses(g *scanner.Graph, types ...string) []string {
	var out []string
	for _, r := range g.Resources {
		if len(types) == 0 || containsStr(types, r.Type) {
			out = append(out, r.Address)
		}
	}
	sort.Strings(out)
	return out
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// attrString renders the value at path for comparisons: strings as they
// are, other values in a short HCL-like form, "<nil>" when absent.
func attrString(r *scanner.Resource, path string) string {
	a := r.Get(path)
	if a == nil {
		return "<nil>"
	}
	if s, ok := a.Str(); ok {
		return s
	}
	v := a.Value
	if v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType() {
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			s, _ := scanner.ValueString(ev)
			parts = append(parts, s)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return v.GoString()
}

// skipped returns the Skipped diagnostics as "subject: summary".
func skipped(g *scanner.Graph) []string {
	var out []string
	for _, d := range g.Diagnostics {
		if d.Skipped {
			out = append(out, d.Subject+": "+d.Summary)
		}
	}
	sort.Strings(out)
	return out
}

func sorted(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
