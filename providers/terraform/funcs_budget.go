package terraform

import (
	"errors"
	"regexp"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// Every function call is metered (metered): one evaluation step, and for
// the functions that can build much more than they are given, a check of
// what they would build before they build it. A call over budget returns
// an unknown value and marks the expression (meter.hit); evalTraversals
// then reports the expression once and makes its value unknown.

// cost is what a function call would produce: elements (charged as steps
// before the call) and an upper bound on the bytes of the strings it
// builds (checked before the call; what it really builds is charged after,
// for the functions of buildsStrings).
type cost struct {
	steps, bytes int64
}

// estimator tells what a call would cost, or false when it must not run
// (the meter then says why).
type estimator func(m *meter, args []cty.Value) (cost, bool)

// estimators are the functions whose one call can build far more than
// its arguments hold.
var estimators = map[string]estimator{
	"format":         estimateFormat,
	"formatlist":     estimateFormatList,
	"join":           estimateJoin,
	"replace":        estimateReplace,
	"regexall":       estimateRegexAll,
	"flatten":        estimateFlatten,
	"setproduct":     estimateProduct,
	"distinct":       estimateDistinct,
	"jsonencode":     estimateEncode,
	"yamlencode":     estimateEncode,
	"tostring":       estimateEncode,
	"templatestring": estimateTemplate,
	"templatefile":   estimateTemplate,
}

// buildsStrings are the functions whose result is a new string (or strings)
// the size of their work: their result's bytes are charged.
var buildsStrings = map[string]bool{
	"chomp": true, "format": true, "formatlist": true, "indent": true, "join": true, "lower": true,
	"upper": true, "title": true, "replace": true, "strrev": true, "substr": true, "trim": true,
	"trimprefix": true, "trimsuffix": true, "trimspace": true, "jsonencode": true, "yamlencode": true,
	"tostring": true, "base64encode": true, "base64gzip": true, "textencodebase64": true,
	"textdecodebase64": true, "base64decode": true, "urlencode": true, "csvdecode": true,
	"templatestring": true, "templatefile": true, "file": true, "filebase64": true, "split": true,
	"regex": true, "regexall": true,
}

// notMetered take expressions, not values (HCL hands them a closure): they
// are left as they are; what they evaluate is metered.
var notMetered = map[string]bool{"try": true, "can": true}

// metered wraps f so that every call is charged to m. Its parameters take
// any value, so that the checks see the arguments before f converts them:
// a conversion may itself be the expensive part (a huge number made a
// string, a long tuple unified into a list).
func metered(name string, f function.Function, m *meter) function.Function {
	if notMetered[name] {
		return f
	}
	if p := purePlans()[name]; p != nil && p.f == f {
		return p.bind(m)
	}
	return planMeter(name, f).bind(m)
}

// meterPlan is what metered makes of a function before binding it to a
// meter: the same for every meter, so worked out once for the functions
// every table shares (purePlans).
type meterPlan struct {
	f        function.Function
	params   []function.Parameter
	varParam *function.Parameter
	// types are what each argument is converted to, varType what the
	// variadic ones are (cty.NilType: none).
	types   []cty.Type
	varType cty.Type
	est     estimator
	builds  bool
}

// purePlans are the meter plans of pureFunctions, by name.
var purePlans = sync.OnceValue(func() map[string]*meterPlan {
	plans := map[string]*meterPlan{}
	for name, f := range pureFunctions() {
		if !notMetered[name] {
			plans[name] = planMeter(name, f)
		}
	}
	return plans
})

func planMeter(name string, f function.Function) *meterPlan {
	// HCL converts each argument to its parameter's type before the call:
	// here, the wrapper does, once the checks have seen them.
	params := f.Params()
	types := make([]cty.Type, len(params))
	for i := range params {
		types[i] = params[i].Type
		params[i] = anyParam(params[i])
	}
	var varParam *function.Parameter
	varType := cty.NilType
	if vp := f.VarParam(); vp != nil {
		varType = vp.Type
		p := anyParam(*vp)
		varParam = &p
	}
	switch name {
	case "tolist":
		types = []cty.Type{cty.List(cty.DynamicPseudoType)}
	case "toset":
		types = []cty.Type{cty.Set(cty.DynamicPseudoType)}
	case "tomap":
		types = []cty.Type{cty.Map(cty.DynamicPseudoType)}
	}
	return &meterPlan{f: f, params: params, varParam: varParam, types: types, varType: varType,
		est: estimators[name], builds: buildsStrings[name]}
}

// bind makes the metered function charging m. Functions bound from one
// plan share its parameters and types, which nothing changes.
func (p *meterPlan) bind(m *meter) function.Function {
	f, types, varType, est, builds := p.f, p.types, p.varType, p.est, p.builds
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      p.params,
		VarParam:    p.varParam,
		Type:        function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			over := func() (cty.Value, error) { return cty.DynamicVal.WithMarks(topMarks(args)), nil }
			if !m.steps(1) {
				return over()
			}
			if est != nil {
				if c, ok := est(m, args); !ok || !m.steps(c.steps) || !m.fits(c.bytes) {
					return over()
				}
			}
			for i, a := range args {
				ty := varType
				if i < len(types) {
					ty = types[i]
				}
				if ty == cty.NilType || ty == cty.DynamicPseudoType {
					continue
				}
				c, ok, err := convertArg(m, a, ty)
				if err != nil {
					return cty.NilVal, function.NewArgError(i, err)
				}
				if !ok {
					return over()
				}
				args[i] = c
			}
			ret, err := f.Call(args)
			if err == nil && builds && !m.bytes(stringBytes(ret)) {
				return over()
			}
			return ret, err
		},
	})
}

// anyParam is p taking any value, unconverted.
func anyParam(p function.Parameter) function.Parameter {
	p.Type = cty.DynamicPseudoType
	return permissive(p)
}

// isDynamicCollection reports a list, set or map of any type: converting
// a tuple or object to one unifies every element's type with every
// other's, which cty does in quadratic time.
func isDynamicCollection(ty cty.Type) bool {
	return (ty.IsListType() || ty.IsSetType() || ty.IsMapType()) && ty.ElementType() == cty.DynamicPseudoType
}

// topMarks are the marks on the arguments themselves, for an unknown
// result standing in for the call's.
func topMarks(args []cty.Value) cty.ValueMarks {
	marks := cty.ValueMarks{}
	for _, a := range args {
		for mk := range a.Marks() {
			marks[mk] = struct{}{}
		}
	}
	return marks
}

// convertArg converts a function's argument to its parameter's type, as
// HCL would, but never into a number formatted in millions of digits nor
// by cty's quadratic unification of a long tuple's element types.
func convertArg(m *meter, v cty.Value, ty cty.Type) (cty.Value, bool, error) {
	if v.Type().Equals(ty) {
		return v, true, nil
	}
	if isDynamicCollection(ty) {
		c, ok, err := fastConvert(m, v, ty)
		if !ok || err != nil {
			return c, ok, err
		}
		v = c
	}
	if _, ok := measureArgs(m, v); !ok {
		return cty.NilVal, false, nil
	}
	c, err := convert.Convert(v, ty)
	return c, true, err
}

// fits reports whether n bytes would fit the expression's share and the
// scan's total, without charging them.
func (m *meter) fits(n int64) bool {
	lim := m.b.limits.StringBytes
	if n > lim/exprShare-m.exprBytes || m.b.bytes.Load()+n > lim {
		m.fail(hitBytes)
		return false
	}
	return true
}

// maxDistinctTypes bounds the distinct element types of a tuple or object
// converted to a collection: unifying them is quadratic.
const maxDistinctTypes = 64

// fastConvert converts a tuple or object v to want, a list, set or map of
// any type, as cty would but in linear time: the element types are
// unified once per distinct type rather than pairwise over all elements.
// It returns false when v has too many distinct element types.
func fastConvert(m *meter, v cty.Value, want cty.Type) (cty.Value, bool, error) {
	plain, marks := v.Unmark()
	ty := plain.Type()
	if !plain.IsKnown() || plain.IsNull() || !(ty.IsTupleType() || ty.IsObjectType()) {
		return v, true, nil
	}
	var etys []cty.Type
	if ty.IsTupleType() {
		etys = ty.TupleElementTypes()
	} else {
		for _, t := range ty.AttributeTypes() {
			etys = append(etys, t)
		}
	}
	if len(etys) < 2*maxDistinctTypes {
		return v, true, nil // small: cty's own conversion is quick
	}
	if !m.steps(int64(len(etys))) {
		return cty.NilVal, false, nil
	}
	var distinct []cty.Type
	for _, t := range etys {
		seen := false
		for _, d := range distinct {
			if d.Equals(t) {
				seen = true
				break
			}
		}
		if !seen {
			if len(distinct) == maxDistinctTypes {
				m.fail(hitTypes)
				return cty.NilVal, false, nil
			}
			distinct = append(distinct, t)
		}
	}
	ety := distinct[0]
	if len(distinct) > 1 {
		if ety, _ = convert.UnifyUnsafe(distinct); ety == cty.NilType {
			return cty.NilVal, true, errors.New("all elements must have the same type")
		}
	}
	if ety == cty.DynamicPseudoType {
		return cty.UnknownVal(want).WithMarks(marks), true, nil
	}
	var to cty.Type
	switch {
	case want.IsListType():
		to = cty.List(ety)
	case want.IsSetType():
		to = cty.Set(ety)
	default:
		to = cty.Map(ety)
	}
	out, err := convert.Convert(plain, to)
	if err != nil {
		return cty.NilVal, true, err
	}
	return out.WithMarks(marks), true, nil
}

// shape is what a walk of a value found: its nodes, the bytes of its
// strings, and whether it holds a number too large to format.
type shape struct {
	nodes, bytes int64
	huge         bool
}

// measure walks v, stopping once it has seen more than maxNodes nodes.
func measure(v cty.Value, maxNodes int64, into *shape) {
	if into.nodes > maxNodes || into.huge {
		return
	}
	into.nodes++
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		into.bytes += int64(len(v.AsString()))
	case ty == cty.Number:
		into.bytes += 24
		into.huge = hugeNumber(v)
	case ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			if ty.IsMapType() || ty.IsObjectType() {
				into.bytes += int64(len(k.AsString()))
			}
			measure(e, maxNodes, into)
			if into.nodes > maxNodes || into.huge {
				return
			}
		}
	}
}

// measureArgs measures values for an estimator: false (and the meter says
// why) when they are too large to walk or hold a huge number.
func measureArgs(m *meter, vals ...cty.Value) (shape, bool) {
	var sh shape
	limit := m.stepsLeft()
	for _, v := range vals {
		measure(v, limit, &sh)
	}
	switch {
	case sh.huge:
		m.fail(hitNumber)
		return sh, false
	case sh.nodes > limit:
		m.fail(hitSteps)
		return sh, false
	}
	return sh, true
}

// stepsLeft is how many steps the current expression may still take.
func (m *meter) stepsLeft() int64 {
	lim := m.b.limits.Steps
	return max(0, min(lim/exprShare-m.exprSteps, lim-m.b.steps.Load()))
}

// stringBytes is the bytes of the strings in a function's result.
func stringBytes(v cty.Value) int64 {
	v, _ = v.Unmark()
	if v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
		return int64(len(v.AsString()))
	}
	var sh shape
	measure(v, 1<<62, &sh)
	return sh.bytes
}

func estimateEncode(m *meter, args []cty.Value) (cost, bool) {
	sh, ok := measureArgs(m, args...)
	// Escaping and punctuation: at most a few bytes per byte and node.
	return cost{steps: sh.nodes, bytes: 2*sh.bytes + 8*sh.nodes}, ok
}

func estimateFormat(m *meter, args []cty.Value) (cost, bool) {
	sh, ok := measureArgs(m, args...)
	verbs := formatVerbs(args)
	return cost{steps: sh.nodes, bytes: 2*sh.bytes + 8*sh.nodes + verbs*maxFormatWidth}, ok
}

// formatVerbs counts the verbs (at most) of a format call's known format
// string, its first argument.
func formatVerbs(args []cty.Value) int64 {
	if len(args) > 0 {
		if f, known := knownString(args[0]); known {
			return int64(strings.Count(f, "%"))
		}
	}
	return 0
}

// estimateFormatList: formatlist formats once per element of its longest
// list, repeating every other argument each time.
func estimateFormatList(m *meter, args []cty.Value) (cost, bool) {
	n := int64(1)
	var lists, scalars []cty.Value
	for _, a := range args {
		p, _ := a.Unmark()
		if ty := p.Type(); p.IsKnown() && !p.IsNull() && (ty.IsListType() || ty.IsTupleType() || ty.IsSetType()) {
			n = max(n, int64(p.LengthInt()))
			lists = append(lists, a)
			continue
		}
		scalars = append(scalars, a)
	}
	ls, ok1 := measureArgs(m, lists...)
	ss, ok2 := measureArgs(m, scalars...)
	verbs := formatVerbs(args)
	per := 2*ss.bytes + 8*ss.nodes + verbs*maxFormatWidth
	if per > 0 && n > (1<<62)/per {
		m.fail(hitBytes)
		return cost{}, false
	}
	return cost{steps: n + ls.nodes, bytes: n*per + 2*ls.bytes + 8*ls.nodes}, ok1 && ok2
}

// estimateJoin: the elements' bytes and a separator between each two.
func estimateJoin(m *meter, args []cty.Value) (cost, bool) {
	if len(args) == 0 {
		return cost{}, true
	}
	sep, _ := knownString(args[0])
	sh, ok := measureArgs(m, args[1:]...)
	return cost{steps: sh.nodes, bytes: 2*sh.bytes + sh.nodes*(int64(len(sep))+24)}, ok
}

// estimateFlatten: flatten produces one element per leaf.
func estimateFlatten(m *meter, args []cty.Value) (cost, bool) {
	sh, ok := measureArgs(m, args...)
	return cost{steps: sh.nodes}, ok
}

func estimateProduct(_ *meter, args []cty.Value) (cost, bool) {
	if checkProduct(args) != nil {
		return cost{}, true // setproduct refuses it with an error
	}
	total := int64(1)
	for _, a := range args {
		v, _ := a.Unmark()
		if v.IsKnown() && !v.IsNull() && v.CanIterateElements() && v.Length().IsKnown() {
			total *= int64(max(v.LengthInt(), 1))
		}
	}
	return cost{steps: total * int64(max(len(args), 1))}, true
}

// estimateDistinct: one step per element when they are told apart by a
// map, a pairwise comparison otherwise.
func estimateDistinct(_ *meter, args []cty.Value) (cost, bool) {
	if len(args) != 1 {
		return cost{}, true
	}
	v, _ := args[0].Unmark()
	if !v.IsKnown() || v.IsNull() || !v.Type().IsListType() {
		return cost{}, true
	}
	n := int64(v.LengthInt())
	if primitiveElements(v) {
		return cost{steps: n}, true
	}
	return cost{steps: n * n / 16}, true
}

// estimateTemplate: the template's own length; what it renders is metered
// as any expression is (its for expressions and interpolations).
func estimateTemplate(m *meter, args []cty.Value) (cost, bool) {
	if len(args) > 0 {
		if s, ok := knownString(args[0]); ok {
			return cost{steps: int64(len(s)) / 64}, true
		}
	}
	return cost{}, true
}

// estimateRegexAll counts the matches regexall would return, stopping
// past what the expression may still take.
func estimateRegexAll(m *meter, args []cty.Value) (cost, bool) {
	if len(args) != 2 {
		return cost{}, true
	}
	pat, ok1 := knownString(args[0])
	str, ok2 := knownString(args[1])
	if !ok1 || !ok2 {
		return cost{}, true
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return cost{}, true // regexall reports it
	}
	left := m.stepsLeft()
	n := int64(len(re.FindAllStringIndex(str, int(min(left+1, 1<<30)))))
	if n > left {
		m.fail(hitSteps)
		return cost{}, false
	}
	groups := int64(re.NumSubexp() + 1)
	return cost{steps: n * groups, bytes: int64(len(str))}, true
}

// estimateReplace bounds what replace builds: the string, less what it
// matches, plus each replacement (whose $n references expand to at most
// a match each).
func estimateReplace(m *meter, args []cty.Value) (cost, bool) {
	if len(args) != 3 {
		return cost{}, true
	}
	str, ok1 := knownString(args[0])
	substr, ok2 := knownString(args[1])
	repl, ok3 := knownString(args[2])
	if !ok1 || !ok2 || !ok3 {
		return cost{}, true
	}
	size := int64(len(str))
	if len(substr) > 1 && substr[0] == '/' && substr[len(substr)-1] == '/' {
		re, err := regexp.Compile(substr[1 : len(substr)-1])
		if err != nil {
			return cost{}, true // replace reports it
		}
		left := m.stepsLeft()
		locs := re.FindAllStringIndex(str, int(min(left+1, 1<<30)))
		if int64(len(locs)) > left {
			m.fail(hitSteps)
			return cost{}, false
		}
		refs := int64(strings.Count(repl, "$"))
		for _, l := range locs {
			size += int64(len(repl)) + (refs-1)*int64(l[1]-l[0])
		}
		return cost{steps: int64(len(locs)), bytes: size}, true
	}
	n := int64(strings.Count(str, substr))
	size += n * (int64(len(repl)) - int64(len(substr)))
	return cost{steps: n, bytes: size}, true
}

// The hidden functions the evaluator wraps around parts of expressions
// that HCL evaluates itself: a for expression's collection, a template's
// interpolations and a template for directive's result. Their names
// cannot be written in a configuration's own calls to them would only do
// the same.
const (
	fnEach = "casascan::budget::each"
	fnPart = "casascan::budget::part"
	fnJoin = "casascan::budget::join"
)

// budgetFunctions are the hidden functions, charging m.
func budgetFunctions(m *meter) map[string]function.Function {
	one := func(impl func(v cty.Value) bool) function.Function {
		return function.New(&function.Spec{
			Params: []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType,
				AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true}},
			Type: function.StaticReturnType(cty.DynamicPseudoType),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				if impl(args[0]) {
					return args[0], nil
				}
				return cty.DynamicVal.WithMarks(args[0].Marks()), nil
			},
		})
	}
	return map[string]function.Function{
		// A for expression iterates once per element.
		fnEach: one(func(v cty.Value) bool {
			p, _ := v.Unmark()
			if !p.IsKnown() || p.IsNull() || !p.CanIterateElements() {
				return true
			}
			return m.steps(int64(p.LengthInt()))
		}),
		// An interpolation adds its string to the template's.
		fnPart: one(func(v cty.Value) bool {
			p, _ := v.Unmark()
			if !p.IsKnown() || p.IsNull() {
				return true
			}
			switch p.Type() {
			case cty.String:
				return m.bytes(int64(len(p.AsString())))
			case cty.Number:
				if hugeNumber(p) {
					m.fail(hitNumber)
					return false
				}
			}
			return true
		}),
		// A for directive joins its results.
		fnJoin: one(func(v cty.Value) bool {
			p, _ := v.Unmark()
			if !p.IsKnown() || p.IsNull() || !p.CanIterateElements() {
				return true
			}
			sh, ok := measureArgs(m, p)
			return ok && m.bytes(sh.bytes)
		}),
	}
}

// instrument wraps, under node, each for expression's collection, each
// template interpolation and each template for directive's result in the
// hidden budget functions, so that HCL's own evaluation of them is
// metered. It changes no node's range or variables.
func instrument(node hclsyntax.Node) {
	var nodes []hclsyntax.Node
	_ = hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		switch n.(type) {
		case *hclsyntax.ForExpr, *hclsyntax.TemplateExpr, *hclsyntax.TemplateJoinExpr:
			nodes = append(nodes, n)
		}
		return nil
	})
	instrumentNodes(nodes)
}

// instrumentNodes is instrument for nodes found already: for expressions,
// templates and template for directives. It is done after the walk that
// found them, which must not see the calls it adds.
func instrumentNodes(nodes []hclsyntax.Node) {
	for _, n := range nodes {
		switch e := n.(type) {
		case *hclsyntax.ForExpr:
			e.CollExpr = budgetCall(fnEach, e.CollExpr)
		case *hclsyntax.TemplateExpr:
			for i, p := range e.Parts {
				// Literal text costs nothing; a literal number may (${1e99999999}).
				if lit, ok := p.(*hclsyntax.LiteralValueExpr); !ok || lit.Val.Type() != cty.String {
					e.Parts[i] = budgetCall(fnPart, p)
				}
			}
		case *hclsyntax.TemplateJoinExpr:
			e.Tuple = budgetCall(fnJoin, e.Tuple)
		}
	}
}

// budgetCall is a call of the hidden function name on expr, at expr's place.
func budgetCall(name string, expr hclsyntax.Expression) hclsyntax.Expression {
	if c, ok := expr.(*hclsyntax.FunctionCallExpr); ok && c.Name == name {
		return expr // instrumented already
	}
	rng := expr.Range()
	return &hclsyntax.FunctionCallExpr{Name: name, Args: []hclsyntax.Expression{expr},
		NameRange: rng, OpenParenRange: rng, CloseParenRange: rng}
}
