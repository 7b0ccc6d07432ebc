package terraform

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// resourceMeta are a resource block's meta-arguments, never resource
// attributes.
var resourceMeta = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true}

// instanceKeys is one expansion of count or for_each.
type instanceKeys struct {
	keys  []scanner.Key
	insts []instCtx
	// uncertain, when not empty, says why the one instance judged in
	// place of the expansion may not exist (scanner.Resource.Uncertain).
	uncertain string
}

// expand evaluates count or for_each in s. An unknown value cannot be
// expanded: it is a diagnostic and one instance, with no key and unknown
// each/count, is judged in its place, so nothing is dropped silently.
//
// Every instance is charged to the tree's budget before it is made. An
// expansion that does not fit is judged once, with unknown count.index or
// each, like an unknown one; once not even that fits, the block is not
// judged at all.
func (s *scope) expand(count, forEach hcl.Expression, e expansion) instanceKeys {
	switch {
	case count != nil:
		return s.expandCount(count, e)
	case forEach != nil:
		return s.expandForEach(forEach, e)
	}
	if !s.take(1, e) {
		return instanceKeys{}
	}
	return instanceKeys{keys: []scanner.Key{nil}, insts: []instCtx{{}}}
}

// expansion is the block expand expands: its address for diagnostics, its
// header, and whether it is a module call.
type expansion struct {
	what   string
	def    hcl.Range
	module bool
}

// take charges n instances of e's block; false when they do not fit, and
// when not even one does, a diagnostic says the block is not scanned.
func (s *scope) take(n int64, e expansion) bool {
	if s.l.meter.instances(n, e.module) {
		return true
	}
	if n == 1 {
		s.skipped(e.what+" is not evaluated: instance limit reached", s.l.budget.instanceDetail(e.module)+"; it is not scanned", e.def)
	}
	return false
}

// overLimit stands in for an expansion of n instances that does not fit
// the budget: one instance with unknown count.index or each.
func (s *scope) overLimit(n int64, meta string, expr hcl.Expression, e expansion) instanceKeys {
	if !s.take(1, e) {
		return instanceKeys{}
	}
	s.diag(scanner.DiagError, fmt.Sprintf("instance limit reached: %s of %s has %d instances", meta, e.what, n),
		s.l.budget.instanceDetail(e.module)+"; it is judged once, with unknown "+
			map[string]string{"count": "count.index", "for_each": "each.key and each.value"}[meta], expr.Range())
	return s.unknownInstance(meta)
}

func (s *scope) unknownExpansion(expr hcl.Expression, e expansion, meta string) instanceKeys {
	what := e.what
	detail := "it is judged once, with unknown " + map[string]string{"count": "count.index", "for_each": "each.key and each.value"}[meta]
	if names := s.unsetVariables(expr); len(names) > 0 {
		detail = "it depends on variable " + strings.Join(names, ", ") + ", which has no value (give one with --var or a .tfvars file); " + detail
	}
	if !s.take(1, e) {
		return instanceKeys{}
	}
	s.diag(scanner.DiagWarning, meta+" of "+what+" is not known before apply", detail, expr.Range())
	ik := s.unknownInstance(meta)
	ik.uncertain = "the " + meta + " of " + what + " is not known before apply"
	return ik
}

// unknownInstance is the one instance judged in place of an expansion
// that cannot be made: count.index, or each.key and each.value, unknown.
func (s *scope) unknownInstance(meta string) instanceKeys {
	inst := instCtx{}
	from := varMark{} // what could not be expanded came from a variable or a resource
	if meta == "count" {
		inst.count = cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number).Mark(from)})
	} else {
		inst.each = cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String).Mark(from), "value": cty.DynamicVal.Mark(from)})
	}
	return instanceKeys{keys: []scanner.Key{nil}, insts: []instCtx{inst}}
}

// sensitiveExpansion stands for a for_each whose keys are sensitive (a
// sensitive variable, TF_VAR_*, sensitive()), which Terraform rejects:
// the keys would be shown in every address. It is an error naming the
// expression, never the value, and, as for an unknown for_each, one
// instance with unknown each.key and each.value is judged in place of the
// instances, so no address holds the value.
func (s *scope) sensitiveExpansion(expr hcl.Expression, what string) instanceKeys {
	s.diag(scanner.DiagError, "Invalid for_each argument: the for_each of "+what+" is sensitive",
		"Terraform rejects sensitive values in for_each, since they would be shown in resource addresses; "+
			"it is judged once, with unknown each.key and each.value, and its value is never shown", expr.Range())
	from := cty.NewValueMarks(varMark{}, sensitiveMark)
	inst := instCtx{each: cty.ObjectVal(map[string]cty.Value{
		"key": cty.UnknownVal(cty.String).WithMarks(from), "value": cty.DynamicVal.WithMarks(from)})}
	return instanceKeys{keys: []scanner.Key{nil}, insts: []instCtx{inst}, uncertain: "the for_each of " + what + " is sensitive"}
}

// unsetVariables names the root module variables an expression reads that
// have neither a value nor a default.
func (s *scope) unsetVariables(expr hcl.Expression) []string {
	if s.parent != nil {
		return nil
	}
	var names []string
	for _, t := range s.variables(expr) {
		if t.RootName() != "var" {
			continue
		}
		n := stepName(t, 1)
		if d := s.mod.vars[n]; d != nil && d.def == nil {
			if _, given := s.l.rootVars[n]; !given && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	return names
}

func (s *scope) expandCount(expr hcl.Expression, e expansion) instanceKeys {
	what := e.what
	v, _ := s.eval(expr, instCtx{}).UnmarkDeep()
	if !v.IsKnown() {
		return s.unknownExpansion(expr, e, "count")
	}
	if !v.IsNull() && v.Type() == cty.String {
		// As Terraform converts it: "2", what a string variable gives.
		if n, err := convert.Convert(v, cty.Number); err == nil {
			v = n
		}
	}
	if v.IsNull() || v.Type() != cty.Number {
		s.skipped("invalid count of "+what, "count must be a whole number", expr.Range())
		return instanceKeys{}
	}
	n, acc := v.AsBigFloat().Int64()
	if acc != big.Exact || n < 0 {
		s.skipped("invalid count of "+what, "count must be a whole number, zero or more", expr.Range())
		return instanceKeys{}
	}
	if n > maxInstances {
		s.diag(scanner.DiagWarning, fmt.Sprintf("count of %s is %d", what, n),
			fmt.Sprintf("only the first %d instances are scanned", maxInstances), expr.Range())
		n = maxInstances
	}
	if !s.take(n, e) {
		return s.overLimit(n, "count", expr, e)
	}
	var out instanceKeys
	for i := int64(0); i < n; i++ {
		out.keys = append(out.keys, scanner.IntKey(i))
		out.insts = append(out.insts, instCtx{count: cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(i)})})
	}
	return out
}

func (s *scope) expandForEach(expr hcl.Expression, e expansion) instanceKeys {
	what := e.what
	v := s.eval(expr, instCtx{})
	plain, _ := v.UnmarkDeep()
	if !plain.IsWhollyKnown() && (!plain.IsKnown() || !plain.CanIterateElements() || plain.Type().IsSetType() || !plain.Length().IsKnown()) {
		return s.unknownExpansion(expr, e, "for_each")
	}
	if plain.IsNull() {
		s.skipped("invalid for_each of "+what, "for_each must not be null", expr.Range())
		return instanceKeys{}
	}
	ty := plain.Type()
	isSet := ty.IsSetType()
	if ty.IsListType() || ty.IsTupleType() {
		s.diag(scanner.DiagError, "invalid for_each of "+what, "for_each must be a map or a set of strings, not a list; use toset()", expr.Range())
		isSet = true
	} else if !isSet && !ty.IsMapType() && !ty.IsObjectType() {
		s.skipped("invalid for_each of "+what, "for_each must be a map or a set of strings", expr.Range())
		return instanceKeys{}
	}
	coll, cmarks := v.Unmark() // a marked collection cannot be iterated; its marks go to each element
	// Sensitive keys are refused before any instance is charged: the one
	// instance judged in their place is all the budget pays for.
	if _, sens := cmarks[sensitiveMark]; sens || isSet && anySensitiveElement(coll) {
		return s.sensitiveExpansion(expr, what)
	}
	n := int64(min(plain.LengthInt(), maxInstances))
	if !s.take(n, e) {
		return s.overLimit(n, "for_each", expr, e)
	}
	var out instanceKeys
	for it := coll.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		ev = ev.WithMarks(cmarks)
		if isSet {
			k = ev
		}
		kp, _ := k.Unmark()
		if !kp.IsKnown() {
			return s.unknownExpansion(expr, e, "for_each")
		}
		ks, ok := scanner.ValueString(kp)
		if !ok {
			s.skipped("invalid for_each of "+what, "for_each keys must be strings", expr.Range())
			return instanceKeys{}
		}
		if len(out.keys) == maxInstances {
			s.diag(scanner.DiagWarning, "for_each of "+what+" has more than "+fmt.Sprint(maxInstances)+" elements",
				fmt.Sprintf("only the first %d instances are scanned", maxInstances), expr.Range())
			break
		}
		out.keys = append(out.keys, scanner.StringKey(ks))
		out.insts = append(out.insts, instCtx{each: cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(ks).WithMarks(taintOnly(cmarks)), "value": ev})})
	}
	return out
}

// anySensitiveElement reports whether an element of a set is sensitive:
// the element is the key.
func anySensitiveElement(set cty.Value) bool {
	if !set.ContainsMarked() {
		return false
	}
	for it := set.ElementIterator(); it.Next(); {
		if _, ev := it.Element(); ev.HasMark(sensitiveMark) {
			return true
		}
	}
	return false
}

// instances expands a resource block into its instances, once.
func (s *scope) instances(d *resDecl) []*resInstance {
	if ris, ok := s.insts[d.key()]; ok {
		return ris
	}
	s.insts[d.key()] = nil // a count that refers to its own resource expands to nothing
	ek := s.expand(d.count, d.forEach, expansion{what: d.key(), def: d.defRange})
	ris := make([]*resInstance, len(ek.keys))
	for i, k := range ek.keys {
		ris[i] = &resInstance{decl: d, inst: ek.insts[i], uncertain: ek.uncertain, addr: scanner.Address{
			Module: s.steps, Mode: d.mode, Type: d.typ, Name: d.name, Key: k,
		}}
	}
	s.insts[d.key()] = ris
	return ris
}

// resourceValue is TYPE.NAME as an expression sees it: an object per
// instance, a tuple for count, an object for for_each. It is kept once no
// instance is still being evaluated.
func (s *scope) resourceValue(d *resDecl) cty.Value {
	if v, ok := s.resVals[d.key()]; ok {
		return v
	}
	v := s.buildResourceValue(d)
	ris := s.insts[d.key()]
	if ris == nil || slices.ContainsFunc(ris, func(ri *resInstance) bool { return ri.busy }) {
		return v // its count, for_each or an instance is being evaluated: v stands in
	}
	if s.resVals == nil {
		s.resVals = map[string]cty.Value{}
	}
	s.resVals[d.key()] = v
	return v
}

func (s *scope) buildResourceValue(d *resDecl) cty.Value {
	ris := s.instances(d)
	switch {
	case d.count != nil:
		if len(ris) == 1 && ris[0].addr.Key == nil {
			return cty.DynamicVal.WithMarks(cty.NewValueMarks(refMark{ris[0].addr.String()}))
		}
		vals := make([]cty.Value, len(ris))
		for i, ri := range ris {
			vals[i] = s.instanceValue(ri)
		}
		if len(vals) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(vals)
	case d.forEach != nil:
		if len(ris) == 1 && ris[0].addr.Key == nil {
			return cty.DynamicVal.WithMarks(cty.NewValueMarks(refMark{ris[0].addr.String()}))
		}
		m := map[string]cty.Value{}
		for _, ri := range ris {
			m[string(ri.addr.Key.(scanner.StringKey))] = s.instanceValue(ri)
		}
		return cty.ObjectVal(m)
	}
	if len(ris) == 0 {
		return cty.DynamicVal
	}
	return s.instanceValue(ris[0])
}

// instanceValue is one instance as an object: its configured attributes and
// blocks, with unknown values for the attributes only the provider knows
// (those other expressions read), marked with the instance's address.
func (s *scope) instanceValue(ri *resInstance) cty.Value {
	if ri.value != cty.NilVal {
		return ri.value
	}
	mark := refMark{ri.addr.String()}
	if ri.busy {
		// A reference back into a resource being evaluated (self-reference
		// through a local, say): unknown, but still an edge.
		return cty.DynamicVal.Mark(mark)
	}
	body := s.instanceBody(ri)
	obj := bodyObject(body)
	for name := range s.mod.accessed[ri.decl.key()] {
		if strings.Contains(name, ".") {
			continue
		}
		if _, ok := obj[name]; !ok {
			obj[name] = cty.DynamicVal
		}
	}
	for name := range s.mod.accessed[ri.decl.key()] {
		if first, rest, nested := strings.Cut(name, "."); nested {
			if v, ok := obj[first]; ok && v.Type().IsTupleType() { // blocks, not an object attribute
				obj[first] = withComputed(v, strings.Split(rest, "."))
			}
		}
	}
	for _, name := range computedAttrs {
		if _, ok := obj[name]; !ok {
			obj[name] = cty.UnknownVal(cty.String)
		}
	}
	ri.value = cty.ObjectVal(obj).Mark(mark)
	return ri.value
}

// withComputed adds, to the nested block objects of v (a block's object, or
// the tuple of a repeated block's), an unknown attribute at path where the
// configuration does not set one: an attribute of a nested block that an
// expression reads but the configuration does not write is one the
// provider computes (try() and can() then see unknown, as in Terraform).
func withComputed(v cty.Value, path []string) cty.Value {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() || v.IsMarked() {
		return v
	}
	ty := v.Type()
	switch {
	case ty.IsTupleType() || ty.IsListType():
		if v.LengthInt() == 0 {
			return v
		}
		elems := make([]cty.Value, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			elems = append(elems, withComputed(ev, path))
		}
		if ty.IsListType() {
			if l, err := safeList(elems); err == nil {
				return l
			}
			return v
		}
		return cty.TupleVal(elems)
	case ty.IsObjectType():
		attrs := v.AsValueMap()
		if attrs == nil {
			attrs = map[string]cty.Value{}
		}
		cur, ok := attrs[path[0]]
		switch {
		case !ok && len(path) == 1:
			attrs[path[0]] = cty.DynamicVal
		case ok && len(path) > 1 && cur.Type().IsTupleType():
			attrs[path[0]] = withComputed(cur, path[1:])
		default:
			return v
		}
		return cty.ObjectVal(attrs)
	}
	return v
}

// safeList builds a list, failing rather than panicking on unlike types.
func safeList(elems []cty.Value) (l cty.Value, err error) {
	defer func() {
		if recover() != nil {
			err = fmt.Errorf("element types differ")
		}
	}()
	return cty.ListVal(elems), nil
}

// computedAttrs are attributes the provider computes for most resources,
// present (unknown) on every instance so that reading one through a local
// or a for expression resolves like a direct reference does.
var computedAttrs = []string{"id", "self_link", "email", "member", "number", "uri", "url", "project", "region", "zone", "fingerprint", "etag"}

// bodyObject turns a converted body back into an object value, as an
// expression referring to the resource sees it (blocks become lists).
func bodyObject(b *scanner.Body) map[string]cty.Value {
	obj := make(map[string]cty.Value, len(b.Attrs)+len(b.Blocks))
	for name, a := range b.Attrs {
		v := a.Value
		if v.IsKnown() && v.IsNull() {
			// Null leaves the argument to the provider, which may compute
			// it: read back, it is unknown (instanceValue), never null.
			continue
		}
		if a.Sensitive {
			v = v.Mark(sensitiveMark)
		}
		obj[name] = v
	}
	grouped := map[string][]cty.Value{}
	unexpanded := map[string]bool{}
	var order []string
	for _, blk := range b.Blocks {
		if _, seen := grouped[blk.Type]; !seen {
			order = append(order, blk.Type)
		}
		unexpanded[blk.Type] = unexpanded[blk.Type] || blk.Unexpanded
		grouped[blk.Type] = append(grouped[blk.Type], cty.ObjectVal(bodyObject(blk.Body)))
	}
	for _, t := range order {
		if _, clash := obj[t]; clash {
			continue
		}
		if unexpanded[t] {
			obj[t] = cty.DynamicVal // how many blocks is not known
			continue
		}
		obj[t] = cty.TupleVal(grouped[t])
	}
	return obj
}

// instanceBody converts an instance's block to a scanner.Body, once.
func (s *scope) instanceBody(ri *resInstance) *scanner.Body {
	if ri.body != nil {
		return ri.body
	}
	ri.busy = true
	body := s.convertBody(ri.decl.body, ri.inst, true)
	for _, o := range ri.decl.overrides {
		mergeOverride(body, s.convertBody(o, ri.inst, true))
	}
	ri.body = body
	ri.busy = false
	return ri.body
}

var dynamicSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "dynamic", LabelNames: []string{"type"}}}}

// convertBody evaluates a block body into attributes and nested blocks,
// expanding dynamic blocks. top is true for the resource block itself.
func (s *scope) convertBody(b hcl.Body, inst instCtx, top bool) *scanner.Body {
	out := scanner.NewBody()
	if sb, ok := b.(*hclsyntax.Body); ok {
		names, ok := s.mod.attrOrder[sb]
		if !ok {
			names = sortedKeys(sb.Attributes)
		}
		for _, name := range names {
			if top && resourceMeta[name] {
				continue
			}
			a := sb.Attributes[name]
			out.Attrs[name] = s.convertAttr(name, a.Expr, a.SrcRange, inst)
		}
		for _, blk := range sb.Blocks {
			switch {
			case blk.Type == "dynamic" && len(blk.Labels) == 1:
				s.expandDynamic(out, blk.Labels[0], blk.Body, blk.DefRange(), blk.Range(), inst)
			case top && (blk.Type == "provisioner" || blk.Type == "connection"):
			case top && blk.Type == "lifecycle":
				out.Blocks = append(out.Blocks, s.lifecycleBlock(blk, inst))
			default:
				out.Blocks = append(out.Blocks, &scanner.Block{
					Type: blk.Type, Labels: blk.Labels, Body: s.convertBody(blk.Body, inst, false),
					DefRange: blk.DefRange(), Range: blk.Range(),
				})
			}
		}
		return out
	}
	// JSON: dynamic blocks by schema; nested blocks are object values,
	// which scanner.Body presents as blocks.
	content, remain, diags := b.PartialContent(dynamicSchema)
	if content != nil {
		for _, blk := range content.Blocks {
			s.expandDynamic(out, blk.Labels[0], blk.Body, blk.DefRange, blk.DefRange, inst)
		}
	}
	attrs, d := remain.JustAttributes()
	for _, diag := range append(diags, d...) {
		s.hclDiag(diag)
	}
	for _, name := range sortedKeys(attrs) {
		if top && (resourceMeta[name] || name == "provisioner" || name == "connection") {
			continue
		}
		a := attrs[name]
		out.Attrs[name] = s.convertAttr(name, a.Expr, a.Range, inst)
	}
	return out
}

var dynamicContentSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "for_each", Required: true}, {Name: "iterator"}, {Name: "labels"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "content"}},
}

// expandDynamic adds the blocks a dynamic block generates. An unknown
// for_each leaves an unknown attribute in the blocks' place, so checks see
// "not known" rather than "missing".
func (s *scope) expandDynamic(out *scanner.Body, typ string, body hcl.Body, def, rng hcl.Range, inst instCtx) {
	c, diags := s.mod.dynamicContent(body)
	if diags.HasErrors() {
		for _, d := range diags {
			s.hclDiag(d)
		}
		return
	}
	iterName := typ
	if a := c.Attributes["iterator"]; a != nil {
		if t, d := hcl.AbsTraversalForExpr(a.Expr); !d.HasErrors() && len(t) == 1 {
			iterName = t.RootName()
		} else {
			s.diag(scanner.DiagError, "Invalid dynamic iterator name", "the iterator must be a single name; "+typ+" is used", a.Expr.Range())
		}
	}
	var content *hcl.Block
	for _, blk := range c.Blocks {
		content = blk
	}
	if content == nil {
		s.diag(scanner.DiagError, "dynamic block without content", "dynamic \""+typ+"\" needs a content block", def)
		return
	}
	fe := c.Attributes["for_each"]
	v := s.eval(fe.Expr, inst)
	coll, cmarks := v.Unmark() // a marked collection cannot be iterated; its marks go to each element
	if !coll.IsKnown() || (coll.CanIterateElements() && !coll.Length().IsKnown()) {
		s.unexpandedDynamic(out, typ, content, v, def, rng, iterName, inst)
		return
	}
	if coll.IsNull() || !coll.CanIterateElements() {
		return
	}
	if n := coll.LengthInt(); !s.l.meter.instances(int64(n), false) {
		// As with an unknown for_each: how many blocks is not known.
		s.diag(scanner.DiagError, fmt.Sprintf("instance limit reached: dynamic %q has %d blocks", typ, n),
			s.l.budget.instanceDetail(false)+"; the blocks are treated as not known", fe.Expr.Range())
		s.unexpandedDynamic(out, typ, content, v, def, rng, iterName, inst)
		return
	}
	keyMarks := taintOnly(cmarks)
	for it := coll.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		iter := cty.ObjectVal(map[string]cty.Value{"key": k.WithMarks(keyMarks), "value": ev.WithMarks(cmarks)})
		child := inst.withIter(iterName, iter)
		blk := &scanner.Block{Type: typ, Body: s.convertBody(content.Body, child, false), DefRange: def, Range: rng}
		if a := c.Attributes["labels"]; a != nil {
			lv, _ := s.eval(a.Expr, child).UnmarkDeep()
			if lv.IsWhollyKnown() && !lv.IsNull() && lv.CanIterateElements() {
				for li := lv.ElementIterator(); li.Next(); {
					_, l := li.Element()
					if str, ok := scanner.ValueString(l); ok {
						blk.Labels = append(blk.Labels, str)
					}
				}
			}
		}
		out.Blocks = append(out.Blocks, blk)
	}
}

// unexpandedDynamic adds the block that stands for the blocks of a dynamic
// block whose for_each (v) is not known before apply: its content evaluated
// once with an unknown iterator carrying the for_each's marks, so what does
// not depend on the iterator is known (a content that never sets a key
// never sets one, in every copy), marked Unexpanded since how many copies
// there are (zero or more) is not known.
func (s *scope) unexpandedDynamic(out *scanner.Body, typ string, content *hcl.Block, v cty.Value, def, rng hcl.Range, iterName string, inst instCtx) {
	_, marks := v.UnmarkDeep()
	iter := cty.ObjectVal(map[string]cty.Value{
		"key":   cty.UnknownVal(cty.DynamicPseudoType).WithMarks(taintOnly(marks)),
		"value": cty.DynamicVal.WithMarks(marks),
	})
	child := inst.withIter(iterName, iter)
	out.Blocks = append(out.Blocks, &scanner.Block{Type: typ, Body: s.convertBody(content.Body, child, false),
		DefRange: def, Range: rng, Unexpanded: true})
}

// dynamicContent decodes a dynamic block's body: as decoded when the module
// was built, for the native syntax (JSON bodies are made anew at each read).
func (m *module) dynamicContent(body hcl.Body) (*hcl.BodyContent, hcl.Diagnostics) {
	if sb, native := body.(*hclsyntax.Body); native {
		if d, ok := m.dynamics[sb]; ok {
			return d.content, d.diags
		}
	}
	return body.Content(dynamicContentSchema)
}

type decodedDynamic struct {
	content *hcl.BodyContent
	diags   hcl.Diagnostics
}

// convertAttr evaluates one attribute, turning the marks its value carries
// into references and sensitivity.
func (s *scope) convertAttr(name string, expr hcl.Expression, rng hcl.Range, inst instCtx) *scanner.Attr {
	trs := s.variables(expr)
	v := s.evalNarrow(expr, trs, inst)
	plain, pvms := v, []cty.PathValueMarks(nil)
	switch ty := v.Type(); {
	case ty.IsPrimitiveType() || ty == cty.DynamicPseudoType:
		// Marks sit on the value itself: no paths to walk.
		if p, m := v.Unmark(); len(m) > 0 {
			plain, pvms = p, []cty.PathValueMarks{{Marks: m}}
		}
	case v.ContainsMarked():
		plain, pvms = v.UnmarkDeepWithPaths()
	}
	var marks cty.ValueMarks
	if len(pvms) == 1 {
		marks = pvms[0].Marks
	} else if len(pvms) > 1 {
		marks = cty.ValueMarks{}
		for _, pvm := range pvms {
			for m := range pvm.Marks {
				marks[m] = struct{}{}
			}
		}
	}
	refs, sens := refsOf(marks)
	a := &scanner.Attr{Name: name, Value: plain, Range: rng, ExprRange: expr.Range(), Refs: refs, Sensitive: sens,
		Literal: true, Origins: originsOf(marks)}
	if _, open := marks[openMark{}]; open && len(refs) > 0 {
		a.RefsOpen = true
	}
	if !plain.IsKnown() {
		a.MaybeNull = maybeNullOf(marks)
	}
	s.noteInvalid(a, marks)
	if len(s.litArgs) > 0 {
		a.Origins = s.literalArgOrigins(trs, a.Origins)
	}
	// Literal unless a variable's value or a resource's reached it; for a
	// map or object, key by key.
	var keyMarks map[string]cty.ValueMarks
	for _, pvm := range pvms {
		if !tainted(pvm.Marks) {
			continue
		}
		a.Literal = false
		if len(pvm.Path) == 0 {
			a.LiteralKeys, keyMarks = nil, nil
			break
		}
		if a.LiteralKeys == nil {
			a.LiteralKeys = literalKeys(plain)
		}
		if k, ok := pathKey(pvm.Path[0]); ok {
			a.LiteralKeys[k] = false
			if keyMarks == nil {
				keyMarks = map[string]cty.ValueMarks{}
			}
			if keyMarks[k] == nil {
				keyMarks[k] = cty.ValueMarks{}
			}
			for m := range pvm.Marks {
				keyMarks[k][m] = struct{}{}
			}
		}
	}
	if len(keyMarks) > 0 {
		// Each key's own provenance: one entry's variable is not another's.
		a.KeyOrigins = make(map[string][]scanner.Origin, len(keyMarks))
		a.KeyRefs = make(map[string][]string, len(keyMarks))
		for k, m := range keyMarks {
			a.KeyOrigins[k] = originsOf(m)
			a.KeyRefs[k], _ = refsOf(m)
		}
	}
	return a
}

// maybeNullOf returns why a value not known before apply may be null (the
// first reason in order, when marks hold several), or "".
func maybeNullOf(marks cty.ValueMarks) string {
	why := ""
	for m := range marks {
		if nm, ok := m.(maybeNullMark); ok && (why == "" || nm.why < why) {
			why = nm.why
		}
	}
	return why
}

// literalArgOrigins adds to origins the literal module arguments an
// expression reads directly (var.NAME), which carry no mark. A single
// origin's slice is shared; a new one is made to add to others.
func (s *scope) literalArgOrigins(trs []hcl.Traversal, origins []scanner.Origin) []scanner.Origin {
	added := false
	for _, t := range trs {
		if t.RootName() != "var" {
			continue
		}
		n := stepName(t, 1)
		for _, la := range s.litArgs {
			switch {
			case la.name != n:
				continue
			case len(origins) == 0:
				origins = la.origin.one
			case !added:
				origins = append(append(make([]scanner.Origin, 0, len(origins)+2), origins...), la.origin.one[0])
				added = true
			default:
				origins = append(origins, la.origin.one[0])
			}
			break
		}
	}
	if added {
		return scanner.SortOrigins(origins)
	}
	return origins
}

// tainted reports whether marks say a value came from a variable or a
// resource rather than a literal.
func tainted(marks cty.ValueMarks) bool {
	for m := range marks {
		switch m.(type) {
		case varMark, refMark:
			return true
		}
	}
	return false
}

// taintOnly keeps the marks that say where a value came from, without its
// sensitivity: the keys of a sensitive map (environment variable names)
// are not secrets, but they are still a variable's, not literals.
func taintOnly(marks cty.ValueMarks) cty.ValueMarks {
	out := cty.ValueMarks{}
	for m := range marks {
		switch m.(type) {
		case varMark, refMark, originMark:
			out[m] = struct{}{}
		}
	}
	return out
}

// literalKeys starts the per-key literal flags of a map or object value.
func literalKeys(v cty.Value) map[string]bool {
	keys := map[string]bool{}
	if v.IsKnown() && !v.IsNull() && (v.Type().IsMapType() || v.Type().IsObjectType()) {
		for it := v.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			keys[k.AsString()] = true
		}
	}
	return keys
}

func pathKey(step cty.PathStep) (string, bool) {
	switch st := step.(type) {
	case cty.GetAttrStep:
		return st.Name, true
	case cty.IndexStep:
		if st.Key.Type() == cty.String && st.Key.IsKnown() {
			return st.Key.AsString(), true
		}
	}
	return "", false
}

// refsOf splits marks into sorted reference addresses and sensitivity.
func refsOf(marks cty.ValueMarks) (refs []string, sensitive bool) {
	for m := range marks {
		switch mk := m.(type) {
		case refMark:
			refs = append(refs, mk.addr) // marks are a set: each address once
		case markSensitive:
			sensitive = true
		}
	}
	sort.Strings(refs)
	return refs, sensitive
}

// childScopes expands a module call into its instances' scopes, once.
func (s *scope) childScopes(call *callDecl) []*scope {
	if kids, ok := s.children[call.name]; ok {
		return kids
	}
	s.children[call.name] = nil
	key := joinKey(s.keyPath, call.name)
	mod := s.l.mods[s.l.callDirs[key]]
	if mod == nil || len(s.steps) >= maxModuleDepth {
		return nil
	}
	for anc := s; anc != nil; anc = anc.parent {
		if anc.mod == mod {
			s.diag(scanner.DiagError, fmt.Sprintf("module %q calls itself", call.name),
				"a module cannot be its own ancestor; its resources are not scanned again", call.defRange)
			return nil
		}
	}
	ek := s.expand(call.count, call.forEach, expansion{what: "module." + call.name, def: call.defRange, module: true})
	kids := make([]*scope, len(ek.keys))
	for i, k := range ek.keys {
		c := newScope(s.base, mod, s)
		c.keyPath = key
		c.steps = append(append([]scanner.ModuleStep{}, s.steps...), scanner.ModuleStep{Name: call.name, Key: k})
		c.calls = append(append([]scanner.ModuleCall{}, s.calls...), scanner.ModuleCall{
			Address: scanner.ModulePath(c.steps), Source: call.source, Range: call.defRange,
		})
		c.callInputs, c.parentInst = call.inputs, ek.insts[i]
		c.uncertain = s.uncertain
		if ek.uncertain != "" {
			c.uncertain = ek.uncertain
		}
		for name, a := range call.inputs {
			if mod.vars[name] == nil {
				s.diag(scanner.DiagError, fmt.Sprintf("unsupported argument %q", name),
					fmt.Sprintf("module %s declares no variable %q", call.name, name), a.NameRange)
			}
		}
		kids[i] = c
	}
	s.children[call.name] = kids
	return kids
}

const maxModuleDepth = 64

// maxInstances bounds the instances of one block, so a count of a billion
// in an untrusted tree costs a diagnostic, not the machine.
const maxInstances = 10000

func joinKey(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// lifecycleBlock keeps the lifecycle settings that are values; the others
// (ignore_changes, replace_triggered_by, conditions) name attributes or
// resources rather than holding values, and are not evaluated.
func (s *scope) lifecycleBlock(blk *hclsyntax.Block, inst instCtx) *scanner.Block {
	body := scanner.NewBody()
	for _, name := range []string{"prevent_destroy", "create_before_destroy"} {
		if a := blk.Body.Attributes[name]; a != nil {
			body.Attrs[name] = s.convertAttr(name, a.Expr, a.SrcRange, inst)
		}
	}
	return &scanner.Block{Type: blk.Type, Body: body, DefRange: blk.DefRange(), Range: blk.Range()}
}
