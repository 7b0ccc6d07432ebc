package terraform

import (
	"errors"
	"maps"
	"slices"
	"sync"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// funcContext is what file-reading functions need: where path.module is, the
// scanned tree they may read inside, and where to report a refused read.
type funcContext struct {
	ModuleDir string // absolute directory of the module whose expression is evaluated
	// FS is the scanned tree; files outside it are never read. With no FS,
	// no file is read at all.
	FS *treefs.FS
	// Warn records a diagnostic (summary, detail) — e.g. a file() outside the tree; may be nil.
	Warn func(summary, detail string)
	// Meter is charged for every call; nil means a budget of its own with
	// the default limits.
	Meter *meter
	// Lent, when set, gives ModuleDir and Warn instead: those of the
	// loader a pooled table is lent to (funcTable).
	Lent *funcBinding
	// hush: warnings name no path (hushed).
	hush bool
}

// funcBinding is the part of a function table's context that changes with
// the loader the table is lent to.
type funcBinding struct {
	moduleDir string
	warn      func(summary, detail string)
}

// moduleDir is the directory relative paths are read from.
func (fc funcContext) moduleDir() string {
	if fc.Lent != nil {
		return fc.Lent.moduleDir
	}
	return fc.ModuleDir
}

// markSensitive is the cty mark carried by sensitive values: sensitive()
// results and, in the evaluator, sensitive variables. It is a distinct type so
// no other package's mark can be mistaken for it.
type markSensitive struct{}

// sensitiveMark is the one value of markSensitive.
var sensitiveMark = markSensitive{}

// functions returns Terraform's pure built-in functions for one module.
//
// Every function is wrapped by guard, so no argument can crash the scanner.
// Functions whose result Terraform only knows at apply time (timestamp, uuid,
// bcrypt, rsadecrypt...) return unknown values, which checks never judge.
func functions(fc funcContext) map[string]function.Function {
	m := fc.Meter
	if m == nil {
		m = newMeter(newBudget(Limits{}))
	}
	fs := maps.Clone(pureFunctions())
	// A call with a sensitive argument (a path from a sensitive variable)
	// runs the same function with a context whose warnings do not quote
	// the argument.
	hushed := fileFunctions(fc.hushed())
	for name, f := range fileFunctions(fc) {
		fs[name] = guard(sensitiveVariant(f, hushed[name]))
	}
	// Templates see the same table, except that templates may not render
	// templates (Terraform refuses the recursion too). It is metered when
	// a template is first rendered: most configurations render none.
	inner := maps.Clone(fs)
	inner["templatefile"] = guard(noRecursion("templatefile"))
	inner["templatestring"] = guard(noRecursion("templatestring"))
	innerFuncs := sync.OnceValue(func() map[string]function.Function {
		meterAll(inner, m)
		return inner
	})
	fs["templatefile"] = guard(sensitiveVariant(templateFileFunc(fc, innerFuncs), templateFileFunc(fc.hushed(), innerFuncs)))
	fs["templatestring"] = guard(templateStringFunc(innerFuncs))
	meterAll(fs, m)
	return fs
}

// meterAll charges every function of fs to m, and adds the hidden
// functions that meter what HCL evaluates itself (instrument).
func meterAll(fs map[string]function.Function, m *meter) {
	for name, f := range fs {
		fs[name] = metered(name, f, m)
	}
	maps.Copy(fs, budgetFunctions(m))
}

// pureFunctions is the part of the table that reads nothing from disk; it is
// built once and cloned for each module.
var pureFunctions = sync.OnceValue(func() map[string]function.Function {
	fs := map[string]function.Function{}
	for _, set := range []map[string]function.Function{
		numericFunctions(), stringFunctions(), collectionFunctions(),
		encodingFunctions(), cidrFunctions(), timeFunctions(), typeFunctions(),
	} {
		for name, f := range set {
			fs[name] = guard(f)
		}
	}
	return fs
})

func numericFunctions() map[string]function.Function {
	return map[string]function.Function{
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      stdlib.LogFunc,
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      stdlib.PowFunc,
		"signum":   stdlib.SignumFunc,
		"sum":      sumFunc,
	}
}

func typeFunctions() map[string]function.Function {
	return map[string]function.Function{
		"can":             canFunc,
		"try":             tryFunc,
		"tobool":          stdlib.MakeToFunc(cty.Bool),
		"tolist":          stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":           stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber":        stdlib.MakeToFunc(cty.Number),
		"toset":           stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring":        stdlib.MakeToFunc(cty.String),
		"sensitive":       sensitiveFunc,
		"nonsensitive":    nonsensitiveFunc,
		"issensitive":     issensitiveFunc,
		"ephemeralasnull": ephemeralAsNullFunc,
	}
}

// guard wraps f so that nothing a configuration passes can crash the scanner.
// cty already turns a panic inside Type or Impl into an error, but not one in
// its own result-conformance check, and its panic error embeds a stack trace
// and possibly the offending value; guard recovers everything and reports a
// short, value-free error instead.
func guard(f function.Function) function.Function {
	return passThrough(f, nil)
}

// wrapping builds a function that takes f's parameters, made permissive
// (unknown, null, marked and dynamic arguments reach impl untouched), with
// a dynamic static return type: HCL only ever calls Call, whose result
// carries the real type. Every wrapper of ours has this shape.
func wrapping(f function.Function, impl function.ImplFunc) function.Function {
	params, varParam := permissiveParams(f)
	return function.New(&function.Spec{Description: f.Description(), Params: params, VarParam: varParam,
		Type: function.StaticReturnType(cty.DynamicPseudoType), Impl: impl})
}

// passThrough returns a function that runs pre (if any) on the arguments and
// then calls f with them, recovering any panic; f's own rules for unknown,
// null and marked arguments still apply (see wrapping).
func passThrough(f function.Function, pre func(args []cty.Value) error) function.Function {
	return wrapping(f, func(args []cty.Value, _ cty.Type) (ret cty.Value, err error) {
		defer recoverAs(&ret, &err)
		defer func() {
			if err != nil && anySensitive(args) {
				err = hideArguments(err)
			}
		}()
		if pre != nil {
			if err := pre(args); err != nil {
				return cty.NilVal, err
			}
		}
		ret, err = f.Call(args)
		var pe function.PanicError
		if errors.As(err, &pe) {
			return cty.NilVal, errInternal
		}
		return ret, err
	})
}

// anySensitive reports whether a sensitive value is among args, at any
// depth.
func anySensitive(args []cty.Value) bool {
	return slices.ContainsFunc(args, func(a cty.Value) bool {
		return a.ContainsMarked() && a.HasMarkDeep(sensitiveMark)
	})
}

// hideArguments replaces the error of a call that had a sensitive
// argument: function errors quote their arguments ("cannot parse %q as a
// base 10 integer", "no file exists at ...", "lookup failed to find key
// %q"), and a diagnostic must never show a sensitive value. The argument
// the error is about is still named, by position.
func hideArguments(err error) error {
	const hidden = "the error is not shown, since an argument is sensitive"
	var ae function.ArgError
	if errors.As(err, &ae) {
		return function.NewArgErrorf(ae.Index, "invalid value; %s", hidden)
	}
	return errors.New("the call failed; " + hidden)
}

// sensitiveVariant calls quiet in place of f when an argument is
// sensitive: quiet is f built with a context whose warnings do not quote
// the arguments (funcContext.hushed).
func sensitiveVariant(f, quiet function.Function) function.Function {
	return wrapping(f, func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if anySensitive(args) {
			return quiet.Call(args)
		}
		return f.Call(args)
	})
}

// hushed is fc with warnings that name no path: for calls whose path is
// sensitive.
func (fc funcContext) hushed() funcContext {
	fc.hush = true
	return fc
}

// permissiveParams are f's parameters, letting every kind of argument through.
func permissiveParams(f function.Function) ([]function.Parameter, *function.Parameter) {
	params := f.Params()
	for i := range params {
		params[i] = permissive(params[i])
	}
	var varParam *function.Parameter
	if vp := f.VarParam(); vp != nil {
		p := permissive(*vp)
		varParam = &p
	}
	return params, varParam
}

// permissive lets every kind of argument through to the wrapped function.
func permissive(p function.Parameter) function.Parameter {
	p.AllowNull = true
	p.AllowUnknown = true
	p.AllowDynamicType = true
	p.AllowMarked = true
	return p
}

// errInternal replaces a panic. HCL prefixes it with the function's name; it
// deliberately says nothing of the arguments, which may be secrets.
var errInternal = errors.New("internal error on this input")

// recoverAs turns a panic in the calling function into errInternal.
func recoverAs(ret *cty.Value, err *error) {
	if r := recover(); r != nil {
		*ret = cty.NilVal
		*err = errInternal
	}
}

// newFunc builds one of our own functions, recovering panics and checking
// the result's type (a mismatch would make cty panic outside any recover).
// Marks need no care here: unless a parameter sets AllowMarked, cty removes
// every mark from the argument, nested ones included, and puts them all on
// the result, so anything derived from a sensitive value stays sensitive.
func newFunc(spec function.Spec) function.Function {
	typ, impl := spec.Type, spec.Impl
	spec.Type = func(args []cty.Value) (ty cty.Type, err error) {
		defer func() {
			if r := recover(); r != nil {
				ty, err = cty.NilType, errInternal
			}
		}()
		return typ(args)
	}
	spec.Impl = func(args []cty.Value, retType cty.Type) (ret cty.Value, err error) {
		defer recoverAs(&ret, &err)
		if ret, err = impl(args, retType); err != nil {
			return cty.NilVal, err
		}
		if errs := ret.Type().TestConformance(retType); errs != nil {
			return cty.NilVal, errors.New("result has an unexpected type (internal error)")
		}
		return ret, nil
	}
	return function.New(&spec)
}

// unknownString is a string Terraform only learns at apply time (or never, in
// a static scan): it is unknown but certainly not null.
func unknownString() cty.Value {
	return cty.UnknownVal(cty.String).RefineNotNull()
}
