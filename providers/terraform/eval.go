package terraform

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// refMark marks every value read from a resource instance with that
// instance's address; the marks that reach an attribute's value become the
// attribute's references, the graph's edges, across locals, functions and
// module boundaries.
type refMark struct{ addr string }

// openMark marks a value that may be other than the resources its
// refMarks name: it is one of several alternatives not known before apply
// (coalesce past an unknown argument, a condition not known, an index not
// known), and one of them refers to no resource. It becomes
// scanner.Attr.RefsOpen: coalesce(var.unset, google_kms_crypto_key.k.id)
// may be any key the variable names, not only k.
type openMark struct{}

// openIf returns the marks to add to a value that is one of alts: openMark
// when some alternative refers to a resource and another refers to none,
// else nothing. (When none refers to a resource there is no candidate set
// to be open.)
func openIf(alts ...cty.Value) cty.ValueMarks {
	some, none := false, false
	for _, a := range alts {
		if carriesRef(a) {
			some = true
		} else {
			none = true
		}
	}
	if some && none {
		return cty.NewValueMarks(openMark{})
	}
	return nil
}

// carriesRef reports whether v, or any part of it, carries a refMark.
func carriesRef(v cty.Value) bool {
	if !v.ContainsMarked() {
		return false
	}
	_, pvms := v.UnmarkDeepWithPaths()
	for _, pvm := range pvms {
		if carriesRefMark(pvm.Marks) {
			return true
		}
	}
	return false
}

// varMark marks values that come from a variable's value (tfvars, the
// environment, the command line, a declared default), never written as a
// literal where they are used. A value with neither varMark nor refMark is
// written literally in the configuration, even when it travels through
// locals or a module call's arguments: a password literal passed to a
// module is still plain text in the repository.
type varMark struct{}

// instCtx is what an expression inside one instance can see besides the
// module's named values: each, count and dynamic block iterators.
type instCtx struct {
	each     cty.Value // object {key, value}; NilVal outside for_each
	count    cty.Value // object {index}; NilVal outside count
	iterName string
	iter     cty.Value
	outer    *instCtx // enclosing dynamic iterators
}

func (c instCtx) withIter(name string, v cty.Value) instCtx {
	outer := c
	return instCtx{each: c.each, count: c.count, iterName: name, iter: v, outer: &outer}
}

func (c instCtx) iterator(name string) (cty.Value, bool) {
	for cur := &c; cur != nil; cur = cur.outer {
		if cur.iterName == name && cur.iter != cty.NilVal {
			return cur.iter, true
		}
	}
	return cty.NilVal, false
}

// scope is one module instance: its configuration, where it sits in the
// module tree, and memoized values. Evaluation is lazy: a named value is
// evaluated when first referenced, so declaration order never matters, and
// a value being evaluated that is referenced again is a cycle.
//
// Once loader.evaluating is set, a scope is evaluated whole by one
// goroutine at a time (evaluate, under mu); until then everything runs on
// one goroutine.
type scope struct {
	l          *loader // the loader (or fork) evaluating the scope now
	base       *loader // the root module's loader
	mod        *module
	keyPath    string // call names only ("a.b"), the modules.json key
	steps      []scanner.ModuleStep
	calls      []scanner.ModuleCall
	parent     *scope
	callInputs map[string]*hcl.Attribute
	parentInst instCtx
	// uncertain says why this module instance may not exist (an unknown
	// count or for_each on its call chain); "" when it does.
	uncertain string

	mu       sync.Mutex
	done     bool // every named value and resource instance is evaluated
	memo     map[string]cty.Value
	busy     map[string]bool
	insts    map[string][]*resInstance
	children map[string][]*scope
	// diags are the diagnostics raised evaluating this scope, merged into
	// the tree's in scope order once all are done.
	diags []scanner.Diagnostic
	// vars, resVals and resObjs cache values expressions read (varObject,
	// resourceValue, resourceObject).
	vars    cty.Value
	resVals map[string]cty.Value // by "type.name", once every instance is evaluated
	resObjs map[string]cty.Value
	// invalid holds the attributes whose value Terraform would refuse,
	// with the reason (noteInvalid).
	invalid map[*scanner.Attr]string
	// litArgs are the variables set by a literal module argument, whose
	// values carry no origin mark (variable).
	litArgs []litArg
}

// litArg is a variable set by a literal module argument, and its origin.
type litArg struct {
	name   string
	origin *originInfo
}

type resInstance struct {
	decl  *resDecl
	addr  scanner.Address
	inst  instCtx
	body  *scanner.Body
	value cty.Value
	busy  bool
	// uncertain: see instanceKeys.uncertain.
	uncertain string
}

func newScope(l *loader, mod *module, parent *scope) *scope {
	return &scope{l: l, base: l, mod: mod, parent: parent, memo: map[string]cty.Value{}, busy: map[string]bool{},
		insts: map[string][]*resInstance{}, children: map[string][]*scope{}}
}

// diag records a diagnostic raised evaluating s.
func (s *scope) diag(sev scanner.DiagSeverity, summary, detail string, rng hcl.Range) {
	s.diags = append(s.diags, newDiag(sev, summary, detail, rng))
}

// skipped records that a part of s (a block, its instances) is not judged
// at all: an error that makes the scan incomplete.
func (s *scope) skipped(summary, detail string, rng hcl.Range) {
	d := newDiag(scanner.DiagError, summary, detail, rng)
	d.Skipped = true
	s.diags = append(s.diags, d)
}

// hclDiag records an HCL diagnostic raised evaluating s.
func (s *scope) hclDiag(d *hcl.Diagnostic) { s.diags = append(s.diags, fromHCL(d)) }

// units lists s and every module instance below it, in walk order,
// expanding the module calls.
func (s *scope) units(into []*scope) []*scope {
	into = append(into, s)
	for _, call := range s.mod.calls {
		for _, kid := range s.childScopes(call) {
			into = kid.units(into)
		}
	}
	return into
}

// evaluate evaluates everything in s, in one order whoever calls it: its
// locals, its resource instances, its outputs, as Terraform evaluates
// every one of them. l is the calling goroutine's loader. The variables are
// known already (tree.evaluate), so nothing here reads the parent; a module
// output read here evaluates the child first, always downwards, so the
// scopes' locks cannot deadlock.
func (s *scope) evaluate(l *loader) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return
	}
	s.l = l
	for _, name := range sortedKeys(s.mod.locals) {
		s.local(name)
	}
	for _, d := range s.mod.resources {
		for _, ri := range s.instances(d) {
			s.instanceBody(ri)
		}
	}
	for _, name := range sortedKeys(s.mod.outputs) {
		s.output(name)
	}
	s.l, s.done = s.base, true
}

// memoize evaluates a named value once; a re-entrant request is a cycle.
func (s *scope) memoize(key string, rng hcl.Range, f func() cty.Value) cty.Value {
	if v, ok := s.memo[key]; ok {
		return v
	}
	if s.busy[key] {
		s.diag(scanner.DiagError, "cycle in references", key+" depends on itself", rng)
		return cty.DynamicVal.Mark(varMark{})
	}
	s.busy[key] = true
	v := f()
	delete(s.busy, key)
	s.memo[key] = v
	return v
}

func (s *scope) local(name string) cty.Value {
	a := s.mod.locals[name]
	return s.memoize("local."+name, a.NameRange, func() cty.Value { return s.eval(a.Expr, instCtx{}) })
}

func (s *scope) variable(name string) cty.Value {
	decl := s.mod.vars[name]
	return s.memoize("var."+name, decl.rng, func() cty.Value {
		raw, found := cty.NilVal, false
		fromVariable := true // the value is a variable's, not a literal passed in
		// origin says where this module's value was set: the module
		// argument, or the default (a root variable's value carries its
		// own). It is marked after conversion, which then has one mark
		// fewer to carry.
		var origin *scanner.Origin
		if s.parent == nil {
			raw, found = s.l.rootVars[name]
		} else if a := s.callInputs[name]; a != nil {
			raw, found, fromVariable = s.parent.eval(a.Expr, s.parentInst), true, false
			origin = &scanner.Origin{Kind: scanner.OriginModuleArg, Name: "var." + name, Module: scanner.ModulePath(s.steps),
				File: a.Range.Filename, Line: a.Range.Start.Line}
		}
		if !found || (raw.IsKnown() && raw.IsNull() && !decl.nullable) {
			fromVariable = true
			switch {
			case decl.def != nil:
				raw = s.eval(decl.def, instCtx{})
				r := decl.def.Range()
				origin = &scanner.Origin{Kind: scanner.OriginVarDefault, Name: "var." + name, Module: scanner.ModulePath(s.steps),
					File: r.Filename, Line: r.Start.Line}
			case !found:
				raw = cty.UnknownVal(decl.ty) // no value: not known before apply
				origin = &scanner.Origin{Kind: scanner.OriginUnset, Name: "var." + name, Module: scanner.ModulePath(s.steps),
					File: decl.rng.Filename, Line: decl.rng.Start.Line}
			}
		}
		if decl.defaults != nil {
			raw = decl.defaults.Apply(raw)
		}
		v, err := convert.Convert(raw, decl.ty)
		if err != nil {
			s.diag(scanner.DiagError, "invalid value for variable "+name, err.Error(), decl.rng)
			v = cty.UnknownVal(decl.ty)
		}
		if origin != nil && !fromVariable && !decl.sensitive && !raw.ContainsMarked() {
			// A literal passed to the module: marking it would make every
			// operation on it pay for marks. convertAttr names the
			// argument for the attributes that read the variable.
			s.litArgs = append(s.litArgs, litArg{name, newOriginMark(*origin).o})
			return v
		}
		if !decl.sensitive && !fromVariable && origin == nil {
			return v
		}
		marks := make(cty.ValueMarks, 3)
		if decl.sensitive {
			marks[sensitiveMark] = struct{}{}
		}
		if fromVariable {
			marks[varMark{}] = struct{}{}
		}
		if origin != nil {
			marks[newOriginMark(*origin)] = struct{}{}
		}
		return v.WithMarks(marks)
	})
}

func (s *scope) output(name string) cty.Value {
	a := s.mod.outputs[name]
	return s.memoize("output."+name, a.NameRange, func() cty.Value {
		v := s.eval(a.Expr, instCtx{})
		if s.mod.sensitiveOutputs[name] {
			v = v.Mark(sensitiveMark) // sensitive for the caller, as Terraform marks it
		}
		return v
	})
}

// eval evaluates an expression in this scope. Errors become diagnostics and
// an unknown value that keeps the references the expression makes, so one
// bad expression never hides a resource.
func (s *scope) eval(expr hcl.Expression, inst instCtx) cty.Value {
	return s.evalNarrow(expr, nil, inst)
}

// evalNarrow evaluates an expression whose traversals may already be known.
// A conditional whose condition is known takes its value, and so its
// references, from the chosen branch alone: HCL marks the result with both
// branches' marks, which would make "var.hsm ? hsm.id : soft.id" point at
// the software key too.
func (s *scope) evalNarrow(expr hcl.Expression, trs []hcl.Traversal, inst instCtx) cty.Value {
	switch e := expr.(type) {
	case *hclsyntax.ParenthesesExpr:
		return s.evalNarrow(e.Expression, nil, inst)
	case *hclsyntax.TemplateWrapExpr:
		return s.evalNarrow(e.Wrapped, nil, inst)
	case *hclsyntax.ConditionalExpr:
		cond, cmarks := s.eval(e.Condition, inst).UnmarkDeep()
		if cond.IsKnown() && !cond.IsNull() {
			if b, err := convert.Convert(cond, cty.Bool); err == nil {
				branch := e.FalseResult
				if b.True() {
					branch = e.TrueResult
				}
				full := s.evalTraversals(expr, s.variables(expr), inst)
				chosen := s.eval(branch, inst)
				if chosen.Type().Equals(full.Type()) {
					return chosen.WithMarks(cmarks)
				}
				return full
			}
		}
		if !cond.IsKnown() {
			// Either branch may be the value: when one refers to a
			// resource and the other to none, the candidates are open;
			// when one is null, so may the value be.
			full := s.evalTraversals(expr, s.variables(expr), inst)
			if full.IsKnown() {
				return full
			}
			t, f := s.eval(e.TrueResult, inst), s.eval(e.FalseResult, inst)
			null := maybeNullIf(e, t, f)
			if !carriesRef(full) {
				return full.WithMarks(null)
			}
			return full.WithMarks(openIf(nonNull(t, f)...), null)
		}
	case *hclsyntax.IndexExpr:
		if v, ok := s.evalUnknownIndex(expr, e, inst); ok {
			return v
		}
	case *hclsyntax.RelativeTraversalExpr:
		if ie, ok := e.Source.(*hclsyntax.IndexExpr); ok {
			if v, ok := s.evalUnknownIndex(expr, ie, inst); ok {
				return v
			}
		}
	}
	if trs == nil {
		trs = s.variables(expr)
	}
	v := s.evalTraversals(expr, trs, inst)
	if len(trs) > 0 && hasHidden(expr) && !v.IsWhollyKnown() && !invalidValue(v) {
		if m := s.hiddenMarks(expr, inst); len(m) > 0 {
			v = v.WithMarks(m)
		}
	}
	if len(trs) > 0 && nestedConditional(expr) && !v.IsWhollyKnown() && !v.HasMark(openMark{}) && !invalidValue(v) && carriesRef(v) && s.nestedOpen(expr, inst) {
		return v.WithMarks(cty.NewValueMarks(openMark{}))
	}
	return v
}

// hasHidden reports whether, below the top of expr, lies an index or a
// try() whose references HCL's own evaluation may lose or close: an index
// with a key not known before apply keeps only the collection's own marks
// (lower(local.keys[random_id.s.hex]) refers to nothing), and try() with
// an argument not known stands for that argument or a later one. Like
// nestedConditional it walks the syntax by hand and allocates nothing.
func hasHidden(expr hcl.Expression) bool {
	switch e := expr.(type) {
	case *hclsyntax.IndexExpr:
		return hasHiddenBelow(e.Collection) || hasHiddenBelow(e.Key)
	case *hclsyntax.RelativeTraversalExpr:
		if ie, ok := e.Source.(*hclsyntax.IndexExpr); ok {
			return hasHiddenBelow(ie.Collection) || hasHiddenBelow(ie.Key)
		}
		return hasHiddenBelow(e.Source)
	case hclsyntax.Expression:
		return hasHiddenBelow(e)
	}
	return false
}

func hasHiddenBelow(expr hclsyntax.Expression) bool {
	switch e := expr.(type) {
	case *hclsyntax.IndexExpr:
		return true
	case *hclsyntax.FunctionCallExpr:
		if e.Name == "try" {
			return true
		}
		if e.Name == "can" {
			return false
		}
	}
	return anyChoosing(expr, hasHiddenBelow)
}

// anyChoosing reports whether f holds for a sub-expression of expr that
// may become part of its value: a function's arguments, a template's
// parts, an operand, a conditional's branches (not its condition), a
// tuple's elements, an object's values, an index's collection (not its
// key), a traversal's source. For expressions and splats are not entered.
func anyChoosing(expr hclsyntax.Expression, f func(hclsyntax.Expression) bool) bool {
	switch e := expr.(type) {
	case *hclsyntax.FunctionCallExpr:
		for _, a := range e.Args {
			if f(a) {
				return true
			}
		}
	case *hclsyntax.TemplateExpr:
		for _, p := range e.Parts {
			if f(p) {
				return true
			}
		}
	case *hclsyntax.TemplateWrapExpr:
		return f(e.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return f(e.Expression)
	case *hclsyntax.BinaryOpExpr:
		return f(e.LHS) || f(e.RHS)
	case *hclsyntax.UnaryOpExpr:
		return f(e.Val)
	case *hclsyntax.ConditionalExpr:
		return f(e.TrueResult) || f(e.FalseResult)
	case *hclsyntax.TupleConsExpr:
		for _, x := range e.Exprs {
			if f(x) {
				return true
			}
		}
	case *hclsyntax.ObjectConsExpr:
		for _, it := range e.Items {
			if f(it.ValueExpr) {
				return true
			}
		}
	case *hclsyntax.IndexExpr:
		return f(e.Collection)
	case *hclsyntax.RelativeTraversalExpr:
		return f(e.Source)
	}
	return false
}

// hiddenMarks returns the marks HCL's evaluation of expr lost below its
// top: for each index whose key is not known before apply, the references
// of every element it may be (evalUnknownIndex, open when one refers to no
// resource); for each try() whose winning argument is not known, the marks
// of it and of every later argument that evaluates, open when one of them
// refers to a resource and another to none. Each such part is evaluated
// again on its own; its errors were reported by the evaluation of the
// whole, so they are not reported twice.
func (s *scope) hiddenMarks(expr hcl.Expression, inst instCtx) cty.ValueMarks {
	top, ok := expr.(hclsyntax.Node)
	if !ok {
		return nil
	}
	w := &hiddenWalker{s: s, inst: inst, top: top, skip: map[hclsyntax.Node]bool{}}
	hclsyntax.Walk(top, w)
	return w.marks
}

type hiddenWalker struct {
	s     *scope
	inst  instCtx
	top   hclsyntax.Node
	skip  map[hclsyntax.Node]bool
	depth int
	marks cty.ValueMarks
}

// quiet evaluates expr without reporting its errors again.
func (w *hiddenWalker) quiet(expr hcl.Expression) cty.Value {
	n := len(w.s.diags)
	v := w.s.eval(expr, w.inst)
	w.s.diags = w.s.diags[:n]
	return v
}

// add keeps every mark v carries anywhere (references, origins, openness,
// sensitivity) but invalidity, which belongs to the part's own errors.
func (w *hiddenWalker) add(v cty.Value) {
	if !v.ContainsMarked() {
		return
	}
	if w.marks == nil {
		w.marks = cty.ValueMarks{}
	}
	_, pvms := v.UnmarkDeepWithPaths()
	for _, pvm := range pvms {
		for m := range pvm.Marks {
			if _, bad := m.(invalidMark); !bad {
				w.marks[m] = struct{}{}
			}
		}
	}
}

func (w *hiddenWalker) unknownIndex(expr hcl.Expression, ie *hclsyntax.IndexExpr) bool {
	key, _ := w.quiet(ie.Key).Unmark()
	if key.IsKnown() {
		return false
	}
	n := len(w.s.diags)
	v, ok := w.s.evalUnknownIndex(expr, ie, w.inst)
	w.s.diags = w.s.diags[:n]
	if ok {
		w.add(v)
	}
	return ok
}

func (w *hiddenWalker) Enter(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(hclsyntax.ChildScope); ok {
		return nil
	}
	if w.skip[n] {
		w.depth++
	}
	if w.depth > 0 {
		return nil
	}
	skip := func() { w.skip[n] = true; w.depth++ }
	switch e := n.(type) {
	case *hclsyntax.ForExpr, *hclsyntax.SplatExpr:
		skip()
	case *hclsyntax.RelativeTraversalExpr:
		if ie, ok := e.Source.(*hclsyntax.IndexExpr); ok && n != w.top && w.unknownIndex(e, ie) {
			skip()
		}
	case *hclsyntax.IndexExpr:
		if n != w.top && w.unknownIndex(e, e) {
			skip()
		}
	case *hclsyntax.FunctionCallExpr:
		switch e.Name {
		case "can":
			skip()
		case "try":
			var alts []cty.Value
			for _, a := range e.Args {
				v := w.quiet(a)
				if invalidValue(v) {
					continue // an argument that fails is never the value
				}
				alts = append(alts, v)
				if v.IsWhollyKnown() {
					break // it wins: later arguments are never the value
				}
			}
			if len(alts) > 1 {
				for _, v := range alts {
					w.add(v)
				}
				if m := openIf(nonNull(alts...)...); m != nil {
					w.add(cty.DynamicVal.WithMarks(m))
				}
			}
			skip()
		}
	}
	return nil
}

func (w *hiddenWalker) Exit(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(hclsyntax.ChildScope); ok {
		return nil
	}
	if w.skip[n] {
		w.depth--
	}
	return nil
}

// invalidValue reports whether v is what an expression Terraform refuses
// gave (its error is reported already: nothing is evaluated again).
func invalidValue(v cty.Value) bool {
	for m := range v.Marks() {
		if _, ok := m.(invalidMark); ok {
			return true
		}
	}
	return false
}

// nestedOpen reports whether expr holds, below its top, a conditional whose
// condition is not known before apply and whose branches make an open
// candidate set (lower(var.c ? k.id : var.x)): HCL evaluates such a
// conditional itself, with both branches' marks and no openMark. The
// conditions of other conditionals, index keys, for expressions, splats
// and try/can are not searched: their conditionals do not choose the
// value, or cannot be evaluated alone. Counting one that does not choose
// the value errs towards an open set, so towards UNKNOWN, never FAIL.
func (s *scope) nestedOpen(expr hcl.Expression, inst instCtx) bool {
	top, ok := expr.(hclsyntax.Node)
	if !ok {
		return false
	}
	w := &openWalker{s: s, inst: inst, top: top, skip: map[hclsyntax.Node]bool{}}
	hclsyntax.Walk(top, w)
	return w.open
}

// nestedConditional reports whether a conditional lies below the top of
// expr, where it may choose the value (not under a for expression, a splat
// or an index key): most expressions that read a resource are a bare
// reference, and hold none. It walks the syntax by hand, allocating
// nothing, since it runs for every expression that reads a resource.
func nestedConditional(expr hcl.Expression) bool {
	switch e := expr.(type) {
	case *hclsyntax.ConditionalExpr:
		return hasConditional(e.TrueResult) || hasConditional(e.FalseResult)
	case hclsyntax.Expression:
		return hasConditional(e)
	}
	return false
}

func hasConditional(expr hclsyntax.Expression) bool {
	switch e := expr.(type) {
	case *hclsyntax.ConditionalExpr:
		return true
	case *hclsyntax.FunctionCallExpr:
		if e.Name == "try" || e.Name == "can" {
			return false
		}
	}
	return anyChoosing(expr, hasConditional)
}

// openWalker is nestedOpen's walk: depth counts the subtrees being
// skipped.
type openWalker struct {
	s     *scope
	inst  instCtx
	top   hclsyntax.Node
	skip  map[hclsyntax.Node]bool
	depth int
	open  bool
}

func (w *openWalker) Enter(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(hclsyntax.ChildScope); ok {
		return nil // a value, not a pointer: never a map key; only under a for expression, which is skipped
	}
	if w.skip[n] {
		w.depth++
	}
	if w.depth > 0 || w.open {
		return nil
	}
	switch e := n.(type) {
	case *hclsyntax.ForExpr, *hclsyntax.SplatExpr:
		w.skip[n] = true
		w.depth++
	case *hclsyntax.FunctionCallExpr:
		if e.Name == "try" || e.Name == "can" {
			w.skip[n] = true
			w.depth++
		}
	case *hclsyntax.IndexExpr:
		w.skip[e.Key] = true
	case *hclsyntax.ConditionalExpr:
		w.skip[e.Condition] = true
		if n == w.top {
			return nil // evalNarrow judged the top one
		}
		if cond, _ := w.s.eval(e.Condition, w.inst).UnmarkDeep(); !cond.IsKnown() {
			t, f := w.s.eval(e.TrueResult, w.inst), w.s.eval(e.FalseResult, w.inst)
			w.open = openIf(nonNull(t, f)...) != nil || t.HasMark(openMark{}) || f.HasMark(openMark{})
			// Each branch's own conditionals were judged by its
			// evaluation (evalNarrow): walking them again would evaluate
			// nested conditionals once per level, exponentially.
			w.skip[e.TrueResult], w.skip[e.FalseResult] = true, true
		}
	}
	return nil
}

func (w *openWalker) Exit(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(hclsyntax.ChildScope); ok {
		return nil
	}
	if w.skip[n] {
		w.depth--
	}
	return nil
}

// evalUnknownIndex evaluates expr, which is ie or a traversal of ie's
// result, when ie's key is not known before apply: the value is one of the
// collection's elements, not known which, so it refers to every element's
// resources, as candidates (HCL keeps only the collection's own marks, or
// none for an object). ok is false when the key is known.
func (s *scope) evalUnknownIndex(expr hcl.Expression, ie *hclsyntax.IndexExpr, inst instCtx) (cty.Value, bool) {
	key := s.eval(ie.Key, inst)
	if key.IsKnown() {
		return cty.NilVal, false
	}
	full := s.evalTraversals(expr, s.variables(expr), inst)
	if full.IsKnown() {
		return full, true
	}
	coll := s.eval(ie.Collection, inst)
	_, marks := coll.UnmarkDeep()
	_, kmarks := key.UnmarkDeep()
	var rel hcl.Traversal
	if rt, ok := expr.(*hclsyntax.RelativeTraversalExpr); ok {
		rel = rt.Traversal
	}
	if _, ok := marks[openMark{}]; !ok && carriesRef(coll) && !everyElementRefers(coll, rel) {
		return full.WithMarks(marks, kmarks, cty.NewValueMarks(openMark{})), true
	}
	return full.WithMarks(marks, kmarks), true
}

// everyElementRefers reports whether every element of a collection (with
// rel applied to it, when the index is followed by a traversal) refers to
// a resource, so a value that is one of them, not known which, is one of
// their resources and nothing else. A collection marked as a whole (a
// function's result), or whose elements cannot be listed, counts as
// referring: its marks are all there is to go by.
func everyElementRefers(coll cty.Value, rel hcl.Traversal) bool {
	c, own := coll.Unmark()
	if carriesRefMark(own) {
		return true
	}
	if !c.IsKnown() || c.IsNull() || !c.CanIterateElements() {
		return true
	}
	for it := c.ElementIterator(); it.Next(); {
		_, ev := it.Element()
		if v, ok := traverseMarked(ev, rel); ok && !carriesRef(v) {
			return false
		}
	}
	return true
}

// traverseMarked applies a relative traversal to v, keeping the marks met
// on the way; ok is false when a step does not apply (that element cannot
// be the value).
func traverseMarked(v cty.Value, rel hcl.Traversal) (cty.Value, bool) {
	var met []cty.ValueMarks
	for _, step := range rel {
		u, m := v.Unmark()
		met = append(met, m)
		next, diags := step.TraversalStep(u)
		if diags.HasErrors() {
			return cty.NilVal, false
		}
		v = next
	}
	return v.WithMarks(met...), true
}

// maybeNullMark marks a value not known before apply that may be null: a
// conditional whose condition is not known and one of whose branches is
// null (var.cmek ? google_kms_crypto_key.k.id : null). HCL gives such a
// conditional an unknown value without a not-null refinement, and so it
// gives a bare reference to a computed attribute: the mark is what tells
// them apart. It becomes scanner.Attr.MaybeNull; why says where.
type maybeNullMark struct{ why string }

// maybeNullIf returns the mark for a conditional whose condition is not
// known, with branches t and f: when a branch is null, or may be.
func maybeNullIf(e *hclsyntax.ConditionalExpr, t, f cty.Value) cty.ValueMarks {
	for i, v := range []cty.Value{t, f} {
		u, marks := v.Unmark()
		if u.IsKnown() && u.IsNull() {
			branch := "true"
			if i == 1 {
				branch = "false"
			}
			r, cond := e.Condition.Range(), "the condition"
			if t, ok := e.Condition.(*hclsyntax.ScopeTraversalExpr); ok {
				cond = dottedName(t.Traversal, cond)
			}
			return cty.NewValueMarks(maybeNullMark{fmt.Sprintf("it is null when %s, not known before apply, is %s (%s:%d)",
				cond, branch, r.Filename, r.Start.Line)})
		}
		for m := range marks {
			if _, ok := m.(maybeNullMark); ok {
				return cty.NewValueMarks(m)
			}
		}
	}
	return nil
}

// dottedName renders a traversal of names only (var.use_cmek), else
// returns other.
func dottedName(t hcl.Traversal, other string) string {
	var b strings.Builder
	for _, step := range t {
		switch st := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(st.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + st.Name)
		default:
			return other
		}
	}
	return b.String()
}

// nonNull drops the values known to be null: a branch that is null is no
// value to refer to.
func nonNull(vs ...cty.Value) []cty.Value {
	out := vs[:0]
	for _, v := range vs {
		if u, _ := v.Unmark(); u.IsKnown() && u.IsNull() {
			continue
		}
		out = append(out, v)
	}
	return out
}

// evalTraversals is eval for a caller that has the expression's traversals.
func (s *scope) evalTraversals(expr hcl.Expression, trs []hcl.Traversal, inst instCtx) cty.Value {
	// An expression of the native syntax that references nothing has the
	// same value in every instance: it is kept. (JSON expressions are made
	// anew at each read of their body.)
	_, native := expr.(hclsyntax.Expression)
	keep := native && len(trs) == 0
	if keep {
		if v, ok := s.l.literals[expr]; ok {
			return v
		}
	}
	ctx := s.l.literalCtx
	if len(trs) > 0 {
		ctx = s.evalContext(trs, inst)
		defer s.l.release(ctx)
	}
	outerRange, outerScope := s.l.evalRange, s.l.evalScope
	s.l.evalRange, s.l.evalScope = expr.Range(), s
	metered := s.l.meter.begin()
	v, diags := expr.Value(ctx)
	if !native && !diags.HasErrors() {
		// JSON templates are parsed by HCL at each read, out of instrument's
		// reach: what they build is charged here.
		s.l.meter.bytes(stringBytes(v))
	}
	hit := s.l.meter.end(metered)
	s.l.evalRange, s.l.evalScope = outerRange, outerScope
	if hit != "" {
		s.diag(scanner.DiagError, "evaluation limit reached: "+hit,
			s.l.budget.limitDetail(hit)+"; the expression's value is treated as not known", expr.Range())
		return cty.DynamicVal.WithMarks(s.traversalMarks(trs, ctx))
	}
	if keep && len(diags) == 0 {
		if s.l.literals == nil {
			s.l.literals = map[hcl.Expression]cty.Value{}
		}
		s.l.literals[expr] = v
	}
	if !diags.HasErrors() {
		return v
	}
	reason := ""
	for _, d := range diags {
		if d.Severity == hcl.DiagError && !s.schemaComplaint(d) {
			s.hclDiag(d)
			if reason == "" {
				reason = diagReason(d)
			}
		}
	}
	out := cty.DynamicVal.WithMarks(s.traversalMarks(trs, ctx))
	if reason != "" {
		out = out.Mark(invalidMark{reason}) // Terraform refuses it: no check passes on it
	}
	return out
}

// traversalMarks are the references the inputs of an expression carry
// (through locals and for expressions too), so an expression casascan
// cannot resolve still leaves its edges: each traversal's value, or that
// of its longest prefix that resolves.
func (s *scope) traversalMarks(trs []hcl.Traversal, ctx *hcl.EvalContext) cty.ValueMarks {
	marks := cty.ValueMarks{}
	for _, t := range trs {
		for i := len(t); i > 0; i-- {
			if pv, d := t[:i].TraverseAbs(ctx); !d.HasErrors() {
				marks = collectMarks(marks, pv)
				break
			}
		}
	}
	return marks
}

// variables returns expr.Variables(): for an attribute, as computed when
// its module was built.
func (s *scope) variables(expr hcl.Expression) []hcl.Traversal {
	if trs, ok := s.mod.exprVars[expr]; ok {
		return trs
	}
	return expr.Variables()
}

// evalContext builds the variables an expression's traversals need.
func (s *scope) evalContext(trs []hcl.Traversal, inst instCtx) *hcl.EvalContext {
	ctx := s.l.context()
	vars := ctx.Variables
	var named, res, data, explicit, ephem map[string]map[string]cty.Value // var/local, TYPE.NAME, data., resource., ephemeral.
	var mods map[string]map[string]bool                                   // call → outputs wanted (nil = all)
	wholeVars, undeclaredVar := false, false
	put := func(m *map[string]map[string]cty.Value, a, b string, v cty.Value) {
		if *m == nil {
			*m = map[string]map[string]cty.Value{}
		}
		if (*m)[a] == nil {
			(*m)[a] = map[string]cty.Value{}
		}
		(*m)[a][b] = v
	}
	for _, t := range trs {
		root := t.RootName()
		if v, ok := inst.iterator(root); ok {
			vars[root] = v
			continue
		}
		switch root {
		case "var":
			if n := stepName(t, 1); n != "" && s.mod.vars[n] != nil {
				if s.l.evaluating {
					wholeVars = true // every variable is known: one object serves
					continue
				}
				put(&named, "var", n, s.variable(n))
			} else if n != "" {
				undeclaredVar = true
				s.undeclared(t, "input variable", n, "An input variable with the name %q has not been declared")
				put(&named, "var", n, cty.DynamicVal.Mark(varMark{}))
			}
		case "local":
			if n := stepName(t, 1); n != "" && s.mod.locals[n] != nil {
				put(&named, "local", n, s.local(n))
			} else if n != "" {
				s.undeclared(t, "local value", n, "A local value with the name %q has not been declared")
				put(&named, "local", n, cty.DynamicVal.Mark(varMark{}))
			}
		case "module":
			n := stepName(t, 1)
			if n == "" {
				continue
			}
			if s.mod.callByKey[n] == nil {
				s.undeclared(t, "module", n, "No module call named %q is declared")
				if mods == nil {
					mods = map[string]map[string]bool{}
				}
				mods[n] = nil
				continue
			}
			if mods == nil {
				mods = map[string]map[string]bool{}
			}
			if _, seen := mods[n]; !seen {
				mods[n] = map[string]bool{}
			}
			if out := stepAfterIndex(t, 2); out != "" && mods[n] != nil {
				mods[n][out] = true
			} else {
				mods[n] = nil
			}
		case "each":
			if inst.each != cty.NilVal {
				vars["each"] = inst.each
			}
		case "count":
			if inst.count != cty.NilVal {
				vars["count"] = inst.count
			}
		case "path":
			vars["path"] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal(s.l.pathModule(s.mod.dir)), "root": cty.StringVal("."), "cwd": cty.StringVal("."),
			})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal(s.l.workspace())})
		case "self":
		case "resource": // resource.TYPE.NAME, Terraform's explicit form
			typ, name := stepName(t, 1), stepName(t, 2)
			if d := s.mod.resByKey[typ+"."+name]; d != nil {
				put(&explicit, typ, name, s.resourceValue(d))
			}
		case "ephemeral":
			// An ephemeral resource is opened at apply and never persisted:
			// whatever is read from it is unknown, and sensitive-like.
			typ, name := stepName(t, 1), stepName(t, 2)
			if s.mod.ephemerals[typ+"."+name] != nil {
				put(&ephem, typ, name, cty.DynamicVal.WithMarks(cty.NewValueMarks(varMark{}, sensitiveMark)))
			} else if typ != "" && name != "" {
				s.undeclared(t, "resource", typ+"."+name, "An ephemeral resource %q has not been declared")
				put(&ephem, typ, name, cty.DynamicVal)
			}
		case "data":
			typ, name := stepName(t, 1), stepName(t, 2)
			if d := s.mod.resByKey["data."+typ+"."+name]; d != nil {
				put(&data, typ, name, s.resourceValue(d))
			} else if typ != "" && name != "" {
				s.undeclared(t, "resource", typ+"."+name, "A data resource %q has not been declared")
				put(&data, typ, name, cty.DynamicVal)
			}
		default:
			name := stepName(t, 1)
			if d := s.mod.resByKey[root+"."+name]; d != nil {
				put(&res, root, name, s.resourceValue(d))
			} else if name != "" {
				s.undeclared(t, "resource", root+"."+name, "A managed resource %q has not been declared")
				put(&res, root, name, cty.DynamicVal)
			}
		}
	}
	for n, outs := range mods {
		if outs == nil && s.mod.callByKey[n] == nil {
			delete(mods, n)
			if vars["module"] == cty.NilVal {
				vars["module"] = cty.ObjectVal(map[string]cty.Value{n: cty.DynamicVal})
			}
		}
	}
	if wholeVars {
		if undeclaredVar {
			for n, v := range s.varObject().AsValueMap() {
				put(&named, "var", n, v)
			}
		} else {
			vars["var"] = s.varObject()
		}
	}
	for k, m := range named {
		vars[k] = cty.ObjectVal(m)
	}
	if len(mods) > 0 {
		mv := map[string]cty.Value{}
		for n, outs := range mods {
			mv[n] = s.moduleValue(n, outs)
		}
		vars["module"] = cty.ObjectVal(mv)
	}
	for typ, m := range res {
		vars[typ] = s.resourceObject(typ, m)
	}
	for root, byType := range map[string]map[string]map[string]cty.Value{"data": data, "resource": explicit, "ephemeral": ephem} {
		if len(byType) == 0 {
			continue
		}
		tv := map[string]cty.Value{}
		for typ, m := range byType {
			tv[typ] = cty.ObjectVal(m)
		}
		vars[root] = cty.ObjectVal(tv)
	}
	return ctx
}

// context returns an evaluation context with no variables, the loader's
// functions, and room for a few variables. Contexts are reused (release):
// an expression is evaluated in thousands of instances.
func (l *loader) context() *hcl.EvalContext {
	if n := len(l.contexts); n > 0 {
		ctx := l.contexts[n-1]
		l.contexts = l.contexts[:n-1]
		return ctx
	}
	return &hcl.EvalContext{Variables: make(map[string]cty.Value, 4), Functions: l.funcs}
}

// release takes back a context once evaluating with it is done: nothing an
// evaluation returns refers to its context.
func (l *loader) release(ctx *hcl.EvalContext) {
	clear(ctx.Variables)
	l.contexts = append(l.contexts, ctx)
}

// varObject is var: every variable of the scope, built once when all are
// known.
func (s *scope) varObject() cty.Value {
	if s.vars == cty.NilVal {
		m := make(map[string]cty.Value, len(s.mod.vars))
		for n := range s.mod.vars {
			m[n] = s.variable(n)
		}
		s.vars = cty.ObjectVal(m)
	}
	return s.vars
}

// resourceObject is TYPE as an expression sees it: an object of the named
// resources. The object of a single resource whose value is settled, the
// usual case, is built once per scope.
func (s *scope) resourceObject(typ string, byName map[string]cty.Value) cty.Value {
	if len(byName) == 1 {
		for name := range byName {
			key := typ + "." + name
			if o, ok := s.resObjs[key]; ok {
				return o
			}
			if _, settled := s.resVals[key]; settled {
				o := cty.ObjectVal(byName)
				if s.resObjs == nil {
					s.resObjs = map[string]cty.Value{}
				}
				s.resObjs[key] = o
				return o
			}
		}
	}
	return cty.ObjectVal(byName)
}

// undeclared reports a reference to something the module does not declare,
// in Terraform's words.
func (s *scope) undeclared(t hcl.Traversal, kind, name, detail string) {
	s.diag(scanner.DiagError, "Reference to undeclared "+kind, fmt.Sprintf(detail, name), t.SourceRange())
}

// collectMarks adds the resource and origin marks found anywhere in v.
func collectMarks(into cty.ValueMarks, v cty.Value) cty.ValueMarks {
	_, pvms := v.UnmarkDeepWithPaths()
	for _, pvm := range pvms {
		for m := range pvm.Marks {
			switch m.(type) {
			case refMark, originMark:
				into[m] = struct{}{}
			}
		}
	}
	return into
}

// stepName returns the attribute name at step i of a traversal, or "".
func stepName(t hcl.Traversal, i int) string {
	if len(t) <= i {
		return ""
	}
	if a, ok := t[i].(hcl.TraverseAttr); ok {
		return a.Name
	}
	return ""
}

// stepAfterIndex returns the attribute name at step i, skipping one index.
func stepAfterIndex(t hcl.Traversal, i int) string {
	if len(t) > i {
		if _, ok := t[i].(hcl.TraverseIndex); ok {
			i++
		}
	}
	return stepName(t, i)
}

// moduleValue is module.NAME: an object of outputs per instance, a tuple
// for count, an object for for_each. outs limits the outputs evaluated (nil:
// all), so one output's cycle-free evaluation never waits on another's.
func (s *scope) moduleValue(name string, outs map[string]bool) cty.Value {
	call := s.mod.callByKey[name]
	kids := s.childScopes(call)
	one := func(c *scope) cty.Value {
		m := map[string]cty.Value{}
		for on := range c.mod.outputs {
			if outs == nil || outs[on] {
				m[on] = c.output(on)
			}
		}
		return cty.ObjectVal(m)
	}
	if kids == nil {
		return cty.DynamicVal
	}
	if s.l.evaluating {
		for _, c := range kids {
			c.evaluate(s.l)
		}
	}
	if (call.count != nil || call.forEach != nil) && len(kids) == 1 && kids[0].steps[len(kids[0].steps)-1].Key == nil {
		// Its count or for_each is not known: which instances exist is not
		// known either, but whatever the outputs refer to, they refer to
		// through the one instance judged in their place (as for a
		// resource of the same shape).
		_, marks := one(kids[0]).UnmarkDeep()
		return cty.DynamicVal.WithMarks(marks)
	}
	switch {
	case call.count != nil:
		vals := make([]cty.Value, len(kids))
		for i, c := range kids {
			vals[i] = one(c)
		}
		if len(vals) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(vals)
	case call.forEach != nil:
		m := map[string]cty.Value{}
		for _, c := range kids {
			if k, ok := c.steps[len(c.steps)-1].Key.(scanner.StringKey); ok {
				m[string(k)] = one(c)
			}
		}
		return cty.ObjectVal(m)
	}
	if len(kids) == 1 {
		return one(kids[0])
	}
	return cty.DynamicVal
}

// addMissingFunctions gives every function a module calls that the table
// lacks a stand-in that returns unknown, with a diagnostic at each call, so
// the scan goes on. Provider functions (provider::NAME::FN) are unknown
// too, with a warning naming the function: Terraform knows them, casascan
// runs no provider.
func (l *loader) addMissingFunctions(m *module) {
	for _, name := range sortedKeys(m.calledFuncs) {
		if f, known := l.funcs[name]; known && !isStandIn(f) {
			continue
		}
		l.setFunc(name, unknownFunction)
		for _, rng := range m.calledFuncs[name] {
			if strings.HasPrefix(name, "provider::") {
				l.diag(scanner.DiagWarning, fmt.Sprintf("provider function %q is not evaluated", name),
					"casascan runs no provider; its result is treated as not known before apply", rng)
				continue
			}
			if removedFunctions[name] {
				// Terraform itself rejects these.
				l.diag(scanner.DiagError, "Call to unknown function",
					fmt.Sprintf("There is no function named %q (removed in Terraform 0.12; use tolist/tomap or [ ]/{ })", name), rng)
				continue
			}
			l.diag(scanner.DiagWarning, fmt.Sprintf("unsupported function %q", name),
				"its result is treated as not known before apply", rng)
		}
	}
}

// removedFunctions are functions Terraform no longer has; a call is an
// error there, as here.
var removedFunctions = map[string]bool{"list": true, "map": true}

// isStandIn reports whether f is the unknown-returning stand-in.
func isStandIn(f function.Function) bool {
	return f.Description() == unknownFunction.Description()
}

var unknownFunction = function.New(&function.Spec{
	Description: "casascan: a function it does not support; the result is unknown",
	VarParam:    &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowMarked: true, AllowDynamicType: true},
	Type:        function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.DynamicVal, nil
	},
})

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
