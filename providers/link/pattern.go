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

// pattern is a full resource name some of whose segments may be unknown
// (""), such as a project that only the provider block names.
type pattern struct {
	service string
	segs    []string
}

func (p pattern) String() string {
	segs := make([]string, len(p.segs))
	for i, s := range p.segs {
		if s == "" {
			s = "*"
		}
		segs[i] = s
	}
	return "//" + p.service + "/" + strings.Join(segs, "/")
}

// own is the resource's own name, the last segment.
func (p pattern) own() string { return p.segs[len(p.segs)-1] }

// declaredPattern computes the full resource name a declared resource
// stands for: exactly from its self_link or id when those are known and
// have the shape of the type's name (a state file, or a plan of resources
// that exist), else from its identifying attributes, an unknown one (a
// project left to the provider block) becoming a wildcard. ok is false when
// the type is not in the table or the resource's own name is not known.
func declaredPattern(d decl) (pattern, bool) {
	sp := specs[d.r.Type]
	if sp == nil {
		return pattern{}, false
	}
	tmpl := strings.Split(sp.path, "/")
	if sp.selfLink {
		if s, ok := d.r.Body.Attrs["self_link"].Str(); ok {
			if segs, ok := fits(tmpl, fromProjects(s)); ok {
				return pattern{service: sp.service, segs: segs}, true
			}
		}
	}
	if sp.id {
		if s, ok := d.r.Body.Attrs["id"].Str(); ok {
			if segs, ok := fits(tmpl, s); ok {
				return pattern{service: sp.service, segs: segs}, true
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
	p := pattern{service: sp.service, segs: segs}
	if p.own() == "" {
		return pattern{}, false
	}
	return p, true
}

// fits splits a relative name and checks it against a template: the same
// number of segments, the same literal segments, no empty one.
func fits(tmpl []string, rel string) ([]string, bool) {
	segs := strings.Split(strings.Trim(rel, "/"), "/")
	if len(segs) != len(tmpl) {
		return nil, false
	}
	for i, t := range tmpl {
		if segs[i] == "" || (!strings.HasPrefix(t, "{") && segs[i] != t) {
			return nil, false
		}
	}
	return segs, true
}

// fromProjects returns the part of a name or URL from "projects/" on:
// https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/x
// gives projects/p/global/sslPolicies/x.
func fromProjects(s string) string {
	if strings.HasPrefix(s, "projects/") {
		return s
	}
	if i := strings.Index(s, "/projects/"); i >= 0 {
		return s[i+1:]
	}
	return ""
}

// liveName splits a live resource's full resource name into its service
// and segments, with the spellings Cloud Asset Inventory varies on made
// uniform: a project number is replaced by the project ID the resource
// knows, and a zonal GKE cluster's zones/ is read as locations/.
func liveName(r *scanner.Resource) (pattern, bool) {
	rest, ok := strings.CutPrefix(r.Address, "//")
	if !ok {
		return pattern{}, false
	}
	service, rel, ok := strings.Cut(rest, "/")
	if !ok || rel == "" {
		return pattern{}, false
	}
	segs := strings.Split(rel, "/")
	if len(segs) > 1 && segs[0] == "projects" && isNumber(segs[1]) && r.Project != "" && !isNumber(r.Project) {
		segs[1] = r.Project
	}
	if service == "container.googleapis.com" && len(segs) > 2 && segs[2] == "zones" {
		segs[2] = "locations"
	}
	return pattern{service: service, segs: segs}, true
}

// match tells whether a live name fits a declared pattern, and how loosely:
// wild counts the segments taken on trust (unknown in the declaration, or a
// project number the live resource could not resolve to an ID).
func match(live, decl pattern) (ok bool, wild int) {
	if live.service != decl.service || len(live.segs) != len(decl.segs) {
		return false, 0
	}
	for i, want := range decl.segs {
		got := live.segs[i]
		switch {
		case want == "":
			wild++
		case got == want:
		case i > 0 && decl.segs[i-1] == "projects" && isNumber(got):
			wild++
		default:
			return false, 0
		}
	}
	return true, wild
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func sortStrings(s []string) { sort.Strings(s) }
