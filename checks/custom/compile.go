package custom

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/common"
	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	"github.com/google/cel-go/ext"

	"github.com/casascan/casascan/scanner"
)

// Cost limits, in CEL's cost units (about one per operation and per
// element or ten bytes handled).
const (
	// CostLimit bounds one evaluation of fails_when on one resource: past
	// it the evaluation stops and the resource is not judged.
	CostLimit = 1_000_000
	// DefaultBudget bounds the cost of every evaluation of the custom
	// checks of one scan, over all resources: CostLimit bounds one
	// resource, and a hostile check costing just under it on each of many
	// resources must not hang CI either. Past it, what is left is not
	// judged (each resource says so, and the scan is incomplete).
	DefaultBudget = 25 * CostLimit
	// recursionLimit bounds the nesting of the expression's syntax.
	recursionLimit = 48
)

// budget is the cost left to the checks loaded together; safe for
// concurrent use. It is checked before an evaluation and charged after it,
// so checks running side by side may each finish one evaluation past it:
// the overrun is at most one evaluation (CostLimit) per check running.
type budget struct {
	limit uint64
	spent atomic.Uint64
}

func newBudget(limit uint64) *budget {
	if limit == 0 {
		limit = DefaultBudget
	}
	return &budget{limit: limit}
}

// charge spends cost; false once the budget is spent.
func (b *budget) charge(cost uint64) bool { return b.spent.Add(cost) <= b.limit }

// left reports whether anything is left to spend.
func (b *budget) left() bool { return b.spent.Load() < b.limit }

// Internal functions the has() and refs() macros expand to. A user may
// not call them: their names are not identifiers CEL accepts in source.
const (
	fnHas    = "casascan.has"
	fnRefs   = "casascan.refs"
	fnBlocks = "blocks"
)

// env is the one CEL environment every check compiles in: the variable
// resource, the standard macros with has() and refs() of our own, and
// blocks().
var env = sync.OnceValues(func() (*cel.Env, error) {
	return cel.NewEnv(
		cel.Variable("resource", cel.DynType),
		cel.ClearMacros(),
		cel.Macros(cel.AllMacro, cel.ExistsMacro, cel.ExistsOneMacro, cel.MapMacro, cel.MapFilterMacro, cel.FilterMacro,
			cel.GlobalMacro("has", 1, hasMacro), cel.GlobalMacro("refs", 1, refsMacro)),
		cel.Function(fnHas, cel.Overload("casascan_has_dyn_string", []*cel.Type{cel.DynType, cel.StringType}, cel.BoolType,
			cel.BinaryBinding(hasField))),
		cel.Function(fnRefs, cel.Overload("casascan_refs_dyn_string", []*cel.Type{cel.DynType, cel.StringType}, cel.ListType(cel.DynType),
			cel.BinaryBinding(refsOf))),
		cel.Function(fnBlocks, cel.Overload("blocks_dyn", []*cel.Type{cel.DynType}, cel.ListType(cel.DynType),
			cel.UnaryBinding(blocksOf))),
		ext.Strings(),
		cel.ParserExpressionSizeLimit(maxExprSize),
		cel.ParserRecursionLimit(recursionLimit),
		cel.CrossTypeNumericComparisons(true),
	)
})

// hasMacro is has(x.f), with presence judged by hasField: a dynamic block
// whose for_each is not known may or may not be there (unknown), and a
// field of a missing (null) block is not there.
func hasMacro(eh cel.MacroExprFactory, _ ast.Expr, args []ast.Expr) (ast.Expr, *common.Error) {
	a := args[0]
	if a.Kind() != ast.SelectKind {
		return nil, eh.NewError(a.ID(), "has() takes an attribute: has(resource.name) or has(resource.block.name)")
	}
	sel := a.AsSelect()
	return eh.NewCall(fnHas, sel.Operand(), eh.NewLiteral(types.String(sel.FieldName()))), nil
}

// refsMacro is refs(x.a.b): the attribute's path is taken from the
// expression, so that the candidates are those of the attribute, known or
// not, rather than of its value (a key's ID is not known before apply).
func refsMacro(eh cel.MacroExprFactory, _ ast.Expr, args []ast.Expr) (ast.Expr, *common.Error) {
	var segs []string
	e := args[0]
	for {
		switch {
		case e.Kind() == ast.SelectKind && !e.AsSelect().IsTestOnly():
			segs = append(segs, e.AsSelect().FieldName())
			e = e.AsSelect().Operand()
			continue
		case e.Kind() == ast.CallKind && e.AsCall().FunctionName() == "_[_]" && len(e.AsCall().Args()) == 2 &&
			e.AsCall().Args()[1].Kind() == ast.LiteralKind:
			switch k := e.AsCall().Args()[1].AsLiteral().(type) {
			case types.String:
				segs = append(segs, string(k))
			case types.Int:
				segs = append(segs, fmt.Sprint(int64(k)))
			default:
				return nil, eh.NewError(e.ID(), "refs() takes an attribute: index it with a string or a number")
			}
			e = e.AsCall().Args()[0]
			continue
		}
		break
	}
	if len(segs) == 0 {
		return nil, eh.NewError(args[0].ID(), "refs() takes an attribute: refs(resource.path.to.attribute)")
	}
	for i, j := 0, len(segs)-1; i < j; i, j = i+1, j-1 {
		segs[i], segs[j] = segs[j], segs[i]
	}
	return eh.NewCall(fnRefs, e, eh.NewLiteral(types.String(strings.Join(segs, ".")))), nil
}

// program is a compiled fails_when.
type program struct {
	prg    cel.Program
	spec   *Spec
	paths  []string // the attribute paths fails_when reads (attributePaths)
	budget *budget  // shared by the checks loaded together
}

// Compile compiles a parsed check into a scanner.Check, with a cost
// budget of its own (Load gives the checks it loads one budget together).
// Errors name the file, line and column of the expression's problem.
func Compile(s *Spec) (*scanner.Check, error) { return compileIn(s, newBudget(0)) }

func compileIn(s *Spec, b *budget) (*scanner.Check, error) {
	e, err := env()
	if err != nil {
		return nil, fmt.Errorf("building the CEL environment: %w", err)
	}
	if n := utf8.RuneCountInString(s.FailsWhen); n > maxExprSize {
		return nil, s.exprError(0, 0, fmt.Sprintf("fails_when: longer than %d characters", maxExprSize))
	}
	a, iss := e.Compile(s.FailsWhen)
	if iss != nil && iss.Err() != nil {
		var errs []error
		for _, ce := range iss.Errors() {
			errs = append(errs, s.exprError(ce.Location.Line(), ce.Location.Column(), "fails_when: "+ce.Message))
		}
		return nil, errors.Join(errs...)
	}
	if t := a.OutputType(); !t.IsExactType(types.BoolType) && !t.IsExactType(types.DynType) {
		return nil, s.exprError(1, 0, "fails_when: must be true or false, is of type "+t.String())
	}
	est, err := e.EstimateCost(a, estimator{})
	if err == nil && (est.Min > CostLimit || (est.Max > CostLimit && est.Max < unbounded)) {
		return nil, s.exprError(1, 0, fmt.Sprintf("fails_when: may cost %d to evaluate, over the limit of %d (comprehensions nested too deep, or over too large a list)", est.Max, CostLimit))
	}
	prg, err := e.Program(a, cel.CustomDecoratorV2(threeValued), cel.CostLimit(CostLimit), cel.CostTracking(resultCost{}))
	if err != nil {
		return nil, s.exprError(1, 0, "fails_when: "+err.Error())
	}
	p := &program{prg: prg, spec: s, paths: attributePaths(a.NativeRep().Expr()), budget: b}
	return &scanner.Check{
		ID: s.ID, Title: s.Title, Severity: s.Severity, CWE: s.CWE, ASVS: s.ASVS, CASA: s.CASA,
		Measures: s.Measures, Types: s.Types,
		Why: s.whyText(), Remediation: s.Remediation, Fix: s.Fix,
		Test: p.test,
	}, nil
}

// whyText is the check's explanation: why, and the expression it judges.
func (s *Spec) whyText() string {
	w := strings.TrimSpace(s.Why)
	if w != "" {
		w += "\n\n"
	}
	return w + "Custom check from " + s.File + "; it fails when: " + strings.Join(strings.Fields(s.FailsWhen), " ")
}

// unbounded is where a cost estimate stops meaning anything: the size of
// what the resource holds is not known when a check is compiled, and an
// estimate over it saturates.
const unbounded = math.MaxUint64 / 2

// estimator sizes nothing: what the tree holds is not known when a check
// is compiled, so only an expression whose cost is bounded by its own
// literals and over the limit (comprehensions over literal lists nested
// too deep), or over the limit in every case, is refused; the rest is
// stopped at run time by the cost limit.
type estimator struct{}

func (estimator) EstimateSize(checker.AstNode) *checker.SizeEstimate { return nil }
func (estimator) EstimateCallCost(string, string, *checker.AstNode, []checker.AstNode) *checker.CallEstimate {
	return nil
}

// resultCost charges a call by the size of what it built, whatever the
// overload: resource is dyn, so CEL's own tracker cannot tell a string
// concatenation (charged by size) from an addition (charged 1), and an
// expression doubling a string from the tree would grow unchecked.
type resultCost struct{}

func (resultCost) CallCost(_, _ string, _ []ref.Val, result ref.Val) *uint64 {
	var n uint64
	switch v := result.(type) {
	case types.String:
		n = uint64(len(v))/10 + 1
	case types.Bytes:
		n = uint64(len(v))/10 + 1
	case traits.Sizer:
		if size, ok := v.Size().(types.Int); ok && size > 0 {
			n = uint64(size) + 1
		}
	}
	if n == 0 {
		return nil
	}
	return &n
}

// exprError places a problem at line and column (1-based line, 0-based
// column, in code points) of fails_when in the file. Line 0 is the field.
func (s *Spec) exprError(line, col int, msg string) error {
	e := &Error{File: s.File, Line: s.exprLine, Col: s.exprCol, Msg: msg}
	if line <= 0 || s.exprLine == 0 {
		return e
	}
	// Where the expression's line starts in the file: a block scalar's
	// content starts on the next line; a flow scalar's on the field's,
	// continuing on the following lines. Folding keeps line counts for
	// expressions written without blank lines, which is enough to point.
	if s.block {
		e.Line = s.exprLine + line
		e.Col = s.blockIndent + col + 1
		return e
	}
	e.Line = s.exprLine + line - 1
	if line == 1 {
		e.Col = s.exprCol + col + s.quoted
	} else {
		e.Col = s.flowIndent + col + 1
	}
	return e
}

// asObject returns v as a resource or block value.
func asObject(v ref.Val) (*object, bool) {
	o, ok := v.(*object)
	return o, ok
}

// hasField is has(x.f): false on null (a missing block), unknown when x
// may or may not hold f.
func hasField(x, f ref.Val) ref.Val {
	name, _ := f.(types.String)
	switch v := x.(type) {
	case *object:
		return v.has(string(name))
	case types.Null:
		return types.False
	}
	if l, ok := x.(traits.Lister); ok && l.Size() == types.Int(0) {
		return types.False // no block (a plan writes a missing block as [])
	}
	if m, ok := x.(interface{ Find(ref.Val) (ref.Val, bool) }); ok {
		_, found := m.Find(f)
		return types.Bool(found)
	}
	return types.NewErr("has(): %s is not an object", x.Type().TypeName())
}

// blocksOf is blocks(x): a block written once is an object, several are a
// list; blocks() is always a list (empty for a missing block).
func blocksOf(x ref.Val) ref.Val {
	switch x.(type) {
	case *object:
		return types.NewRefValList(types.DefaultTypeAdapter, []ref.Val{x})
	case types.Null:
		return types.NewRefValList(types.DefaultTypeAdapter, nil)
	}
	if _, ok := x.(interface{ Size() ref.Val }); ok && x.Type() == types.ListType {
		return x
	}
	return types.NewErr("blocks(): %s is not a block", x.Type().TypeName())
}

// refsOf is refs(x.path): the resources the attribute may refer to.
func refsOf(x, path ref.Val) ref.Val {
	o, ok := asObject(x)
	if !ok {
		return types.NewErr("refs(): takes an attribute of a resource or block, not of a %s", x.Type().TypeName())
	}
	p, _ := path.(types.String)
	return o.ev.refs(o, string(p))
}
