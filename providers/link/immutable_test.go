package link

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/casascan/casascan/providers/plan/plansource"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/scannertest"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// snapshot renders everything linking could change in a graph: the golden
// dump (places, values, ignores, diagnostics), each resource's identity
// and Declared, and every range with its file, line and column.
func snapshot(g *scanner.Graph) string {
	var b strings.Builder
	b.WriteString(scannertest.Dump(g))
	rng := func(r hcl.Range) string {
		return fmt.Sprintf("%s:%d.%d-%d.%d", r.Filename, r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
	}
	var body func(ind string, bd *scanner.Body)
	body = func(ind string, bd *scanner.Body) {
		if bd == nil {
			return
		}
		for _, name := range sortedKeys(bd.Attrs) {
			a := bd.Attrs[name]
			fmt.Fprintf(&b, "%s%s %p %s %s\n", ind, name, a, rng(a.Range), rng(a.ExprRange))
		}
		for _, blk := range bd.Blocks {
			fmt.Fprintf(&b, "%s%s %p %s %s\n", ind, blk.Type, blk, rng(blk.DefRange), rng(blk.Range))
			body(ind+"  ", blk.Body)
		}
	}
	for _, r := range g.Resources {
		decl := "-"
		if r.Declared != nil {
			decl = r.Declared.Address
		}
		fmt.Fprintf(&b, "%s %p declared=%s %s %s calls=%d\n", r.Address, r, decl, rng(r.DefRange), rng(r.Range), len(r.Calls))
		body("  ", r.Body)
	}
	for _, typ := range []string{"google_storage_bucket", "google_kms_crypto_key", "google_compute_ssl_policy"} {
		for _, r := range g.OfType(typ) {
			fmt.Fprintf(&b, "type %s: %s %p\n", typ, r.Address, g.Lookup(r.Address))
		}
	}
	return b.String()
}

func sortedKeys(m map[string]*scanner.Attr) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestGraphsLeavesIndexedGraphsAlone: linking returns new graphs and
// changes neither the live nor the declared graphs it was given, which are
// indexed and so immutable; what it returns is linked.
func TestGraphsLeavesIndexedGraphsAlone(t *testing.T) {
	for _, tc := range []struct {
		name string
		load func(t *testing.T, dir string) *scanner.Graph
		dir  string
	}{
		{"terraform", loadTF, "hcl"},
		{"state", func(t *testing.T, dir string) *scanner.Graph { return loadState(t, dir, plansource.Options{}) }, "state"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(fixtures, tc.dir)
			live, decl := loadExport(t, dir), tc.load(t, dir)
			liveBefore, declBefore := snapshot(live), snapshot(decl)
			linked, n, _ := Graphs([]*scanner.Graph{live}, []*scanner.Graph{decl})
			if n == 0 {
				t.Fatal("nothing was linked: the test proves nothing")
			}
			if diff := cmp.Diff(liveBefore, snapshot(live)); diff != "" {
				t.Errorf("linking changed the live graph (-before +after):\n%s", diff)
			}
			if diff := cmp.Diff(declBefore, snapshot(decl)); diff != "" {
				t.Errorf("linking changed the declared graph (-before +after):\n%s", diff)
			}
			if linked[0] == live {
				t.Fatal("the linked graph is the live graph itself")
			}
			declared := 0
			for _, r := range linked[0].Resources {
				if r.Declared != nil {
					declared++
					if linked[0].Lookup(r.Address) != r {
						t.Errorf("%s: the linked graph's index does not hold the linked resource", r.Address)
					}
				}
			}
			if declared != n {
				t.Errorf("%d linked resources carry Declared, want %d", declared, n)
			}
		})
	}
}
