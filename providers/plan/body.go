package plan

import (
	"sort"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// builder builds resource bodies from planned values and the configuration.
type builder struct {
	rv *resolver
}

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
	return b.body(topValues(inst), exprs, inst.sensitive, false, sc, 0)
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

func (b *builder) body(vals map[string]cty.Value, exprs map[string]*expr, sens any, sensitive bool, sc scope, depth int) *scanner.Body {
	body := scanner.NewBody()
	for _, name := range sortedNames(vals) {
		v, e := vals[name], exprs[name]
		s := sensitive || containsTrue(maskAt(sens, name))
		if e != nil && len(e.Blocks) > 0 && depth < maxValueDepth {
			if elems, single, ok := objectElems(v); ok {
				for i, ev := range elems {
					var be map[string]*expr
					if i < len(e.Blocks) {
						be = e.Blocks[i]
					}
					mask := maskAt(sens, name)
					if !single {
						mask = maskIndex(mask, i)
					}
					body.Blocks = append(body.Blocks, &scanner.Block{
						Type: name, Body: b.body(objectAttrs(ev), be, mask, s, sc, depth+1),
					})
				}
				continue
			}
		}
		body.Attrs[name] = &scanner.Attr{
			Name: name, Value: v, Refs: b.rv.resolve(sc, e.allRefs()), Literal: e.literal(), Sensitive: s,
		}
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
