package gcp

import (
	"fmt"
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// newGraph assembles mapped resources into an indexed graph:
//   - resources that share an address and type are merged (a Bigtable
//     instance and its clusters, which are separate assets; the same function
//     listed as a 1st gen CloudFunction and as a Function): the first
//     resource's attributes win, blocks are pooled;
//   - a resource that shares an address with one of another type is dropped
//     with a warning;
//   - project numbers (Asset Inventory names projects by number) become
//     project IDs where a project asset tells the ID;
//   - the per-asset "not mapped" diagnostics become one warning counting
//     assets per type.
func newGraph(resources []*scanner.Resource, diags []scanner.Diagnostic) *scanner.Graph {
	sorted := append([]*scanner.Resource(nil), resources...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Address < sorted[j].Address })
	g := &scanner.Graph{}
	byAddr := map[string]*scanner.Resource{}
	merged := map[*scanner.Resource]bool{}
	for _, r := range sorted {
		prev := byAddr[r.Address]
		switch {
		case prev == nil:
			byAddr[r.Address] = r
			g.Resources = append(g.Resources, r)
		case prev.Type == r.Type:
			mergeBody(prev.Body, r.Body)
			merged[prev] = true
		default:
			diags = append(diags, scanner.Diagnostic{
				Severity: scanner.DiagWarning, Subject: r.Address,
				Summary: fmt.Sprintf("%s also maps to %s; kept %s", r.Address, r.Type, prev.Type),
			})
		}
	}
	for r := range merged {
		sortBlocks(r.Body)
	}
	for _, r := range g.Resources {
		if r.Type == "google_bigtable_instance" && len(r.Body.BlocksNamed("cluster")) == 0 {
			clustersNotRead(r)
		}
	}
	resolveProjects(g.Resources)
	g.Diagnostics = foldUnmapped(diags)
	scanner.SortDiagnostics(g.Diagnostics)
	g.Index()
	return g
}

// noClusterRecord says why a Bigtable instance's clusters are unknown.
const noClusterRecord = "no bigtableadmin.googleapis.com/Cluster record of the instance was read"

// clustersNotRead gives a Bigtable instance whose Cluster assets were not
// read (an export without them) one block standing for its unknown
// clusters: every instance has at least one, and what they hold is not
// known, so a check of their keys is UNKNOWN, not a pass over no clusters.
func clustersNotRead(r *scanner.Resource) {
	b := &scanner.Block{Type: "cluster", Body: scanner.NewBody(), DefRange: r.DefRange, Range: r.DefRange, Unexpanded: true}
	b.Body.Attrs["kms_key_name"] = &scanner.Attr{
		Name: "kms_key_name", Value: cty.DynamicVal, Range: r.DefRange, ExprRange: r.DefRange,
		Literal: true, NotCarried: noClusterRecord,
	}
	r.Body.Blocks = append(r.Body.Blocks, b)
}

// mergeBody adds to dst the attributes it lacks and every block of src.
func mergeBody(dst, src *scanner.Body) {
	for k, a := range src.Attrs {
		if _, ok := dst.Attrs[k]; !ok {
			dst.Attrs[k] = a
		}
	}
	dst.Blocks = append(dst.Blocks, src.Blocks...)
}

// sortBlocks orders pooled blocks by type and identifying attribute, so the
// order does not depend on the order the assets arrived in.
func sortBlocks(b *scanner.Body) {
	key := func(blk *scanner.Block) string {
		for _, k := range []string{"cluster_id", "name"} {
			if s, ok := blk.Body.Attrs[k].Str(); ok {
				return s
			}
		}
		return ""
	}
	sort.SliceStable(b.Blocks, func(i, j int) bool {
		bi, bj := b.Blocks[i], b.Blocks[j]
		if bi.Type != bj.Type {
			return bi.Type < bj.Type
		}
		return key(bi) < key(bj)
	})
}

// resolveProjects replaces project numbers by IDs, in Resource.Project and
// in project attributes, using the google_project resources of the graph.
func resolveProjects(resources []*scanner.Resource) {
	ids := map[string]string{}
	for _, r := range resources {
		if r.Type != "google_project" {
			continue
		}
		num, _ := r.Body.Attrs["number"].Str()
		id, _ := r.Body.Attrs["project_id"].Str()
		if num != "" && id != "" {
			ids[num] = id
		}
	}
	if len(ids) == 0 {
		return
	}
	for _, r := range resources {
		if id, ok := ids[r.Project]; ok {
			r.Project = id
		}
		if a := r.Body.Attrs["project"]; a != nil {
			if s, ok := a.Str(); ok {
				if id, ok := ids[s]; ok {
					a.Value = cty.StringVal(id)
				}
			}
		}
	}
}

// foldUnmapped replaces the per-asset unmapped diagnostics by one summary.
func foldUnmapped(diags []scanner.Diagnostic) []scanner.Diagnostic {
	counts := map[string]int{}
	var out []scanner.Diagnostic
	total := 0
	for _, d := range diags {
		if d.Summary == unmappedSummary {
			counts[d.Subject]++
			total++
			continue
		}
		out = append(out, d)
	}
	if total == 0 {
		return out
	}
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	parts := make([]string, len(types))
	for i, t := range types {
		name := t
		if name == "" {
			name = "(no asset type)"
		}
		parts[i] = fmt.Sprintf("%s: %d", name, counts[t])
	}
	return append(out, scanner.Diagnostic{
		Severity: scanner.DiagWarning,
		Summary:  fmt.Sprintf("%s of %s that casascan does not map not judged", plural(total, "asset"), plural(len(types), "type")),
		Detail:   strings.Join(parts, ", "),
	})
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
