package plan

import (
	"sort"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// builder builds resource bodies from planned values and the configuration.
type builder struct {
	rv *resolver
	// omitted holds, per body, the attributes left out because the provider
	// computes them (see body); mapSource restores those the source does
	// write, as dynamic blocks, which the configuration section leaves out.
	omitted omissions
}

// omissions are attributes left out of bodies, by body.
type omissions map[*scanner.Body]map[string]*scanner.Attr

// resourceBody builds the body of one instance. Every top-level value is an
// attribute, except a value that the configuration writes as nested blocks
// (its expression is a list of block bodies): that becomes one scanner.Block
// per element, so each nested attribute has its own references and, once
// the source is mapped, its own line.
func (b *builder) resourceBody(inst *instance, cr *configResource) *scanner.Body {
	sc := scope{mod: inst.addr.Module, key: inst.addr.Key}
	var exprs map[string]*expr
	if cr != nil {
		exprs = cr.Expressions
		sc.forEach = cr.ForEach.allRefs()
	}
	bs := bodySpec{exprs: exprs, sens: inst.sensitive, sensitive: inst.allSensitive, configured: cr != nil && inst.addr.Mode == scanner.Managed}
	return b.body(topValues(inst), bs, sc, 0)
}

// bodySpec is what the configuration and the masks say about one body.
type bodySpec struct {
	exprs      map[string]*expr
	sens       any  // the sensitivity mask of the body
	sensitive  bool // the whole body is sensitive
	configured bool // the configuration of a managed resource describes the body
}

// topValues converts an instance's values, with its unknowns, into one cty
// value per top-level attribute.
func topValues(inst *instance) map[string]cty.Value {
	out := make(map[string]cty.Value, len(inst.values))
	for k, v := range inst.values {
		out[k] = toValue(v, maskAt(inst.unknown, k))
	}
	if u, ok := inst.unknown.(map[string]any); ok {
		for k, m := range u {
			if _, done := out[k]; !done && containsTrue(m) {
				out[k] = toValue(nil, m)
			}
		}
	}
	return out
}

// body builds one body. A wholly unknown attribute of a managed resource
// that its configuration does not set is left out, as it is in the source:
// the provider computes it (public_access_prevention, versioning), so checks
// judge it by the provider's default exactly as they do on the Terraform
// source. An unknown that the configuration does set (a key created in the
// same plan) stays unknown.
func (b *builder) body(vals map[string]cty.Value, bs bodySpec, sc scope, depth int) *scanner.Body {
	body := scanner.NewBody()
	for _, name := range sortedNames(vals) {
		v, e := vals[name], bs.exprs[name]
		mask := maskAt(bs.sens, name)
		s := bs.sensitive || containsTrue(mask)
		if e != nil && len(e.Blocks) > 0 && depth < maxValueDepth {
			if elems, single, ok := objectElems(v); ok {
				for i, ev := range elems {
					sub := bodySpec{sens: mask, sensitive: s, configured: bs.configured && i < len(e.Blocks)}
					if i < len(e.Blocks) {
						sub.exprs = e.Blocks[i]
					}
					if !single {
						sub.sens = maskIndex(mask, i)
					}
					body.Blocks = append(body.Blocks, &scanner.Block{Type: name, Body: b.body(objectAttrs(ev), sub, sc, depth+1)})
				}
				continue
			}
		}
		res := b.rv.resolve(sc, e.allRefs())
		a := &scanner.Attr{Name: name, Value: v, Refs: res.addrs, Literal: e.literal(), Sensitive: s, RefsOpen: res.open && len(res.addrs) > 0}
		if bs.configured && e == nil && !v.IsKnown() {
			if b.omitted[body] == nil {
				b.omitted[body] = map[string]*scanner.Attr{}
			}
			b.omitted[body][name] = a
			continue
		}
		body.Attrs[name] = a
	}
	return body
}

// objectElems returns the elements of a value that can be nested blocks: a
// known object (single is then true), or a known list of known objects.
func objectElems(v cty.Value) (elems []cty.Value, single, ok bool) {
	if !v.IsKnown() || v.IsNull() {
		return nil, false, false
	}
	ty := v.Type()
	if ty.IsObjectType() || ty.IsMapType() {
		return []cty.Value{v}, true, true
	}
	if !ty.IsTupleType() && !ty.IsListType() && !ty.IsSetType() {
		return nil, false, false
	}
	for it := v.ElementIterator(); it.Next(); {
		_, ev := it.Element()
		if !ev.IsKnown() || ev.IsNull() || !(ev.Type().IsObjectType() || ev.Type().IsMapType()) {
			return nil, false, false
		}
		elems = append(elems, ev)
	}
	return elems, false, true
}

// objectAttrs returns the attributes of a known object value.
func objectAttrs(v cty.Value) map[string]cty.Value {
	out := map[string]cty.Value{}
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		if k.IsKnown() && k.Type() == cty.String {
			out[k.AsString()] = ev
		}
	}
	return out
}

// explode turns an attribute holding an object or a list of objects into
// blocks whose attributes inherit the attribute's references and flags. It
// is used when the source writes the attribute as nested blocks that the
// configuration section did not describe (dynamic blocks), so each nested
// attribute can get its own line.
func explode(a *scanner.Attr) ([]*scanner.Block, bool) {
	elems, _, ok := objectElems(a.Value)
	if !ok {
		return nil, false
	}
	out := make([]*scanner.Block, 0, len(elems))
	for _, ev := range elems {
		body := scanner.NewBody()
		for name, v := range objectAttrs(ev) {
			body.Attrs[name] = &scanner.Attr{Name: name, Value: v, Refs: a.Refs, Literal: a.Literal, Sensitive: a.Sensitive}
		}
		out = append(out, &scanner.Block{Type: a.Name, Body: body})
	}
	return out, true
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
