// Package link matches live Google Cloud resources (read from the APIs or
// from an asset export) with the Terraform resources that declare them, so
// that a finding on what is deployed points at the Terraform a person
// edits, and so that checks can compare the two (drift, GCP-DFT-001).
//
// A live resource's address is its Cloud Asset Inventory full resource name.
// For each Terraform type the package knows (one table, names.go), it
// computes the full resource name a declared resource stands for:
//
//   - exactly, from the resource's id or self_link when they are known, as
//     they are in a state file (terraform show -json of a state) or in a
//     plan of resources that already exist;
//   - otherwise from identifying attributes evaluated from the HCL (a
//     bucket's name; a key's name and its key ring's name and location,
//     through the key_ring reference when the ring's id is not known yet).
//     A part that is not known (a project left to the provider block)
//     matches any value.
//
// Exact matches win over loose ones. A live resource that several
// declarations fit equally, or a declaration that fits several live
// resources equally, is not linked, and a warning says so: a wrong link
// would put a finding on the wrong file, which is worse than none.
package link

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// Graphs matches every live or exported resource of the live graphs with
// the Terraform (or plan, or state) resource of the declared graphs that
// declares it, and returns the live graphs linked, one for each of live in
// the same order. A linked resource is a copy of the live one whose
// Declared field is the declaration and, when the declaration is in a
// Terraform file, whose DefRange, Range and Calls and each attribute's and
// nested block's range are those of the same path in the declaration (a
// path the declaration lacks points at the innermost block the declaration
// has, or at the resource's block header); its graph also holds the
// declared graph's ignore comments, so that findings point at the .tf file
// and line and inline ignores apply to them. The live address (the full
// resource name) never changes. A live resource without a match keeps its
// gcp/ pseudo-path.
//
// Neither the live nor the declared graphs are changed: they are indexed,
// hence immutable (scanner's invariants). A live graph in which nothing
// was linked is returned as it is; any other is a new indexed graph that
// shares the resources that were not linked with the old one.
//
// It also returns the number of pairs made and warnings about ambiguous
// matches. Call it once, after every graph is loaded and before
// scanner.Run, and judge the graphs it returns in place of live.
func Graphs(live []*scanner.Graph, declared []*scanner.Graph) (linked []*scanner.Graph, matched int, diags []scanner.Diagnostic) {
	idx := indexDeclared(declared)
	type proposal struct {
		l    *scanner.Resource
		lg   *scanner.Graph
		wild int
	}
	proposals := map[*scanner.Resource][]proposal{}
	var order []decl // declarations proposed, in first-proposal order
	for _, lg := range live {
		for _, l := range lg.Resources {
			if !linkable(l) {
				continue
			}
			best, wild := candidates(l, idx)
			switch {
			case len(best) == 1:
				d := best[0]
				if proposals[d.r] == nil {
					order = append(order, d)
				}
				proposals[d.r] = append(proposals[d.r], proposal{l, lg, wild})
			case len(best) > 1:
				diags = append(diags, ambiguousLive(l, best))
			}
		}
	}
	pairs := map[*scanner.Resource]*scanner.Resource{} // live → declaration
	touched := map[*scanner.Graph]bool{}
	linkedIgnores := map[*scanner.Graph]map[*scanner.Graph]bool{}
	for _, d := range order {
		ps := proposals[d.r]
		low := ps[0].wild
		for _, p := range ps {
			low = min(low, p.wild)
		}
		var tied []proposal
		for _, p := range ps {
			if p.wild == low {
				tied = append(tied, p)
			}
		}
		if len(tied) > 1 {
			names := make([]string, len(tied))
			for i, p := range tied {
				names[i] = p.l.Address
			}
			diags = append(diags, ambiguousDecl(d.r, names))
			continue
		}
		p := tied[0]
		pairs[p.l] = d.r
		touched[p.lg] = true
		matched++
		if inSource(d.r) {
			if linkedIgnores[p.lg] == nil {
				linkedIgnores[p.lg] = map[*scanner.Graph]bool{}
			}
			linkedIgnores[p.lg][d.g] = true
		}
	}
	linked = make([]*scanner.Graph, len(live))
	for i, lg := range live {
		if !touched[lg] {
			linked[i] = lg
			continue
		}
		ng := &scanner.Graph{
			Root: lg.Root, RootModule: lg.RootModule,
			Ignores:     slices.Clone(lg.Ignores),
			Diagnostics: slices.Clone(lg.Diagnostics),
			Resources:   make([]*scanner.Resource, len(lg.Resources)),
		}
		for j, r := range lg.Resources {
			if d := pairs[r]; d != nil {
				r = placed(r, d)
			}
			ng.Resources[j] = r
		}
		for _, dg := range declared {
			if linkedIgnores[lg][dg] {
				ng.Ignores = mergeIgnores(ng.Ignores, dg.Ignores)
			}
		}
		ng.Index()
		linked[i] = ng
	}
	scanner.SortDiagnostics(diags)
	return linked, matched, diags
}

// linkable reports whether a resource is a live one of a type link knows
// that is not linked yet.
func linkable(r *scanner.Resource) bool {
	return (r.Source == scanner.SourceLive || r.Source == scanner.SourceExport) &&
		r.Mode == scanner.Managed && r.Declared == nil && specs[r.Type] != nil
}

// index holds the declared resources' patterns by type and own name.
type index map[string][]entry

type entry struct {
	d decl
	p scanner.Name
}

func indexKey(typ, own string) string { return typ + "\x00" + own }

func indexDeclared(graphs []*scanner.Graph) index {
	idx := index{}
	for _, g := range graphs {
		for _, r := range g.Resources {
			if r.Mode != scanner.Managed || (r.Source != scanner.SourceTerraform && r.Source != scanner.SourcePlan) {
				continue
			}
			d := decl{r: r, g: g}
			if p, ok := declaredPattern(d); ok {
				k := indexKey(r.Type, p.Own())
				idx[k] = append(idx[k], entry{d, p})
			}
		}
	}
	return idx
}

// candidates returns the declarations a live resource fits most tightly
// (the fewest segments taken on trust), and that number.
func candidates(l *scanner.Resource, idx index) ([]decl, int) {
	name, ok := liveName(l)
	if !ok {
		return nil, 0
	}
	var best []decl
	low := -1
	for _, e := range idx[indexKey(l.Type, name.Own())] {
		ok, wild := name.Match(e.p)
		switch {
		case !ok:
		case low < 0 || wild < low:
			best, low = []decl{e.d}, wild
		case wild == low:
			best = append(best, e.d)
		}
	}
	return best, low
}

// inSource reports whether a declared resource is placed in a Terraform
// file; a plan or state read without its source is placed at the JSON
// file's first line, where pointing every live finding would help nobody.
func inSource(d *scanner.Resource) bool {
	f := d.DefRange.Filename
	return d.DefRange.Start.Line > 0 && (strings.HasSuffix(f, ".tf") || strings.HasSuffix(f, ".tf.json"))
}

// mergeIgnores adds the ignores of add that dst lacks.
func mergeIgnores(dst, add []scanner.Ignore) []scanner.Ignore {
	seen := map[string]bool{}
	key := func(ig scanner.Ignore) string {
		return fmt.Sprintf("%s\x00%d\x00%d\x00%s", ig.File, ig.Line, ig.Target, strings.Join(ig.IDs, ","))
	}
	for _, ig := range dst {
		seen[key(ig)] = true
	}
	for _, ig := range add {
		if !seen[key(ig)] {
			seen[key(ig)] = true
			dst = append(dst, ig)
		}
	}
	return dst
}

// maxNamed bounds the candidates a diagnostic names.
const maxNamed = 5

func listNames(names []string) string {
	sort.Strings(names)
	if len(names) > maxNamed {
		return strings.Join(names[:maxNamed], ", ") + fmt.Sprintf(" and %d more", len(names)-maxNamed)
	}
	return strings.Join(names, ", ")
}

func ambiguousLive(l *scanner.Resource, ds []decl) scanner.Diagnostic {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.r.Address
	}
	return scanner.Diagnostic{Severity: scanner.DiagWarning, Subject: l.Address,
		Summary: "several Terraform resources may declare this live resource; it is not linked to any",
		Detail:  "candidates: " + listNames(names) + "; set their project (or give the state) to tell them apart"}
}

func ambiguousDecl(d *scanner.Resource, lives []string) scanner.Diagnostic {
	diag := scanner.Diagnostic{Severity: scanner.DiagWarning, Subject: d.Address,
		Summary: "this Terraform resource may declare several live resources; none is linked to it",
		Detail:  "live resources: " + listNames(lives) + "; set its project (or give the state) to tell them apart"}
	if inSource(d) {
		diag.File, diag.Line, diag.Column = d.DefRange.Filename, d.DefRange.Start.Line, d.DefRange.Start.Column
	}
	return diag
}
