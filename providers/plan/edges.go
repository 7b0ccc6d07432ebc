package plan

import (
	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// idAttrs are the attributes whose value names a resource: another
// resource holding the same string points at it.
var idAttrs = []string{"id", "self_link"}

// noValueEdges are attributes whose value may equal another resource's id
// by coincidence (a topic named like a bucket) and never points at it.
var noValueEdges = map[string]bool{
	"id": true, "self_link": true, "name": true, "description": true, "display_name": true,
	"labels": true, "effective_labels": true, "terraform_labels": true,
}

// minIDLength keeps very short ids ("1", "a") from joining unrelated values.
const minIDLength = 3

// valueEdges adds edges that the configuration cannot give: an attribute
// without references whose known value is the id or self link of another
// resource of the graph points at it. A state file has no configuration, and
// in a plan a key id written as a literal or passed in a variable names the
// key as surely as a reference does. A value that is a Google Cloud
// resource name in another spelling than the id (a full name or an API URL
// where the id is the relative name, or the reverse) names the resource
// too, when scanner's name resolver finds exactly one that fits with
// nothing taken on trust (scanner.Names).
func valueEdges(resources []*scanner.Resource) {
	ids := map[string][]string{}
	for _, r := range resources {
		for _, name := range idAttrs {
			if s, ok := r.Body.Attrs[name].Str(); ok && len(s) >= minIDLength {
				ids[s] = appendUnique(ids[s], r.Address)
			}
		}
	}
	if len(ids) == 0 {
		return
	}
	e := &edger{ids: ids, names: scanner.NewNames(resources)}
	for _, r := range resources {
		e.linkBody(r.Body, r.Address, 0)
	}
}

// edger finds the resources a string names: by identical id, else by
// resource name.
type edger struct {
	ids   map[string][]string
	names *scanner.Names
}

func (e *edger) targets(s string) []string {
	if t, ok := e.ids[s]; ok {
		return t
	}
	if res := e.names.Resolve(s); res.Exact {
		return res.Addrs
	}
	return nil
}

func (e *edger) linkBody(b *scanner.Body, self string, depth int) {
	if depth > maxValueDepth {
		return
	}
	for name, a := range b.Attrs {
		if len(a.Refs) > 0 || noValueEdges[name] {
			continue
		}
		var refs []string
		eachString(a.Value, 0, func(s string) {
			for _, t := range e.targets(s) {
				if t != self {
					refs = appendUnique(refs, t)
				}
			}
		})
		a.Refs = sortedSet(toSet(refs))
	}
	for _, blk := range b.Blocks {
		e.linkBody(blk.Body, self, depth+1)
	}
}

// eachString calls fn for every known string inside v.
func eachString(v cty.Value, depth int, fn func(string)) {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() || depth > maxValueDepth {
		return
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		fn(v.AsString())
	case ty.IsObjectType() || ty.IsMapType() || ty.IsTupleType() || ty.IsListType() || ty.IsSetType():
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			eachString(ev, depth+1, fn)
		}
	}
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func toSet(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}
