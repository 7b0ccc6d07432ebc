package link

import (
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// decl is a declared resource with the graph its references live in.
type decl struct {
	r *scanner.Resource
	g *scanner.Graph
}

// A pattern is the full resource name a declared resource stands for,
// some of whose segments may be unknown (""), such as a project that only
// the provider block names: a scanner.Name, read and matched by scanner's
// one resolver of resource names.

// declaredPattern computes the full resource name a declared resource
// stands for: exactly from its self_link or id when those are known and
// have the shape of the type's name (a state file, or a plan of resources
// that exist), else from its identifying attributes, an unknown one (a
// project left to the provider block) becoming a wildcard. ok is false when
// the type is not in the table or the resource's own name is not known.
func declaredPattern(d decl) (scanner.Name, bool) {
	sp := specs[d.r.Type]
	if sp == nil {
		return scanner.Name{}, false
	}
	tmpl := strings.Split(sp.path, "/")
	if sp.selfLink {
		if s, ok := d.r.Body.Attrs["self_link"].Str(); ok {
			if n, ok := fits(sp, tmpl, s); ok {
				return n, true
			}
		}
	}
	if sp.id {
		if s, ok := d.r.Body.Attrs["id"].Str(); ok {
			if n, ok := fits(sp, tmpl, s); ok {
				return n, true
			}
		}
	}
	e := &env{}
	segs := make([]string, len(tmpl))
	for i, t := range tmpl {
		name, isVar := strings.CutPrefix(t, "{")
		if !isVar {
			segs[i] = t
			continue
		}
		v, _ := e.value(d, strings.TrimSuffix(name, "}"))
		segs[i] = v
	}
	p := scanner.Name{Service: sp.service, Segs: segs}
	if p.Own() == "" {
		return scanner.Name{}, false
	}
	return p, true
}

// fits reads a name in any spelling scanner.ParseName takes (a relative
// name, a self link, a full name) and checks it against a type's template:
// the same service when the spelling says one, the same number of
// segments, the same literal segments, none unknown.
func fits(sp *spec, tmpl []string, s string) (scanner.Name, bool) {
	n, ok := scanner.ParseName(s)
	if !ok || (n.Service != "" && n.Service != sp.service) || len(n.Segs) != len(tmpl) {
		return scanner.Name{}, false
	}
	for i, t := range tmpl {
		if n.Segs[i] == "" || (!strings.HasPrefix(t, "{") && n.Segs[i] != t) {
			return scanner.Name{}, false
		}
	}
	return scanner.Name{Service: sp.service, Segs: n.Segs}, true
}

// liveName reads a live resource's full resource name, with the spellings
// Cloud Asset Inventory varies on made uniform: a project number is
// replaced by the project ID the resource knows (and scanner.ParseName reads
// a zonal GKE cluster's zones/ as locations/).
func liveName(r *scanner.Resource) (scanner.Name, bool) {
	if !strings.HasPrefix(r.Address, "//") {
		return scanner.Name{}, false
	}
	return scanner.ParseNameIn(r.Address, r.Project)
}

func sortStrings(s []string) { sort.Strings(s) }
