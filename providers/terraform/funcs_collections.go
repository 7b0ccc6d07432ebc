package terraform

import (
	"errors"
	"slices"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// maxProduct bounds setproduct's result. Terraform has none, but a product of
// a few dozen-element sets exhausts memory, which no recover can catch.
const maxProduct = 1 << 18

func collectionFunctions() map[string]function.Function {
	return map[string]function.Function{
		"alltrue":         boolFold(false),
		"anytrue":         boolFold(true),
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        coalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"distinct":        distinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"index":           indexFunc,
		"keys":            stdlib.KeysFunc,
		"length":          lengthFunc,
		"lookup":          lookupFunc,
		"matchkeys":       matchKeysFunc,
		"merge":           stdlib.MergeFunc,
		"one":             oneFunc,
		"range":           stdlib.RangeFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      passThrough(stdlib.SetProductFunc, checkProduct),
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"transpose":       transposeFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,
	}
}

// boolFold builds alltrue (decisive = false) and anytrue (decisive = true).
// One known decisive element settles the answer even when others are
// unknown; a null element counts as not true.
func boolFold(decisive bool) function.Function {
	return newFunc(function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			unknown := false
			for it := args[0].ElementIterator(); it.Next(); {
				_, v := it.Element()
				if !v.IsKnown() {
					unknown = true
					continue
				}
				if isTrue := !v.IsNull() && v.True(); isTrue == decisive {
					return cty.BoolVal(decisive), nil
				}
			}
			if unknown {
				return cty.UnknownVal(cty.Bool).RefineNotNull(), nil
			}
			return cty.BoolVal(!decisive), nil
		},
	})
}

// coalesceFunc is Terraform's coalesce, which unlike cty's also skips empty
// strings: the first argument that is neither null nor "", converted to the
// type all arguments unify to. An unknown before it makes the result unknown.
//
// Its result carries the marks of the argument it is (and, when it is
// unknown, of every argument it may turn out to be), not those of the
// arguments skipped or never reached: coalesce(var.hsm_key,
// google_kms_crypto_key.soft.id) with a known var.hsm_key refers to no key.
// Sensitivity is taken from every argument, as Terraform does.
var coalesceFunc = newFunc(function.Spec{
	VarParam: &function.Parameter{
		Name: "vals", Type: cty.DynamicPseudoType,
		AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) == 0 {
			return cty.NilType, errors.New("at least one argument is required")
		}
		types := make([]cty.Type, len(args))
		for i, a := range args {
			types[i] = a.Type()
		}
		ty, _ := convert.UnifyUnsafe(types)
		if ty == cty.NilType {
			return cty.NilType, errors.New("all arguments must have the same type")
		}
		return ty, nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		sens := cty.ValueMarks{}
		for _, a := range args {
			if a.HasMark(sensitiveMark) {
				sens[sensitiveMark] = struct{}{}
			}
		}
		for i, marked := range args {
			a, marks := marked.Unmark()
			if !a.IsKnown() {
				// Any argument from here on may be the value.
				// When one of them refers to a resource and another to
				// none, the value may be other than those resources.
				out := cty.ValueMarks{}
				var alts []cty.Value
				for _, rest := range args[i:] {
					r, m := rest.UnmarkDeep()
					for k := range m {
						out[k] = struct{}{}
					}
					if !r.IsKnown() || !r.IsNull() && !(r.Type() == cty.String && r.AsString() == "") {
						alts = append(alts, rest)
					}
				}
				return cty.UnknownVal(retType).WithMarks(out, sens, openIf(alts...)), nil
			}
			if a.IsNull() {
				continue
			}
			v, err := convert.Convert(a, retType)
			if err != nil {
				return cty.NilVal, err
			}
			if v.IsKnown() && v.Type() == cty.String && v.AsString() == "" {
				continue
			}
			return v.WithMarks(marks, sens), nil
		}
		return cty.NilVal, errors.New("no non-null, non-empty-string arguments")
	},
})

// indexFunc is Terraform's index(list, value): the position of value in
// list. (cty's "index" function is element access, a different thing.)
var indexFunc = newFunc(function.Spec{
	Params: []function.Parameter{
		{Name: "list", Type: cty.DynamicPseudoType},
		{Name: "value", Type: cty.DynamicPseudoType},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty := args[0].Type(); !ty.IsListType() && !ty.IsTupleType() {
			return cty.NilType, function.NewArgErrorf(0, "argument must be a list or tuple")
		}
		return cty.Number, nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if args[0].LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot search an empty list")
		}
		for it := args[0].ElementIterator(); it.Next(); {
			i, v := it.Element()
			eq := v.Equals(args[1])
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number).RefineNotNull(), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, errors.New("item not found")
	},
})

// lookupFunc is Terraform's lookup, whose default is optional (cty's
// requires it) and may be null. The map's own marks go on the result, but
// not those of its other elements: the element found keeps its own.
var lookupFunc = function.New(&function.Spec{
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType, AllowMarked: true},
		{Name: "key", Type: cty.String, AllowUnknown: true},
	},
	VarParam: &function.Parameter{
		Name: "default", Type: cty.DynamicPseudoType,
		AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true,
	},
	Type: lookupType,
	Impl: func(args []cty.Value, retType cty.Type) (ret cty.Value, err error) {
		defer recoverAs(&ret, &err)
		// The default's marks reach the result only when it is the result:
		// lookup(var.keys, "mail", google_kms_crypto_key.soft.id) with the
		// key present refers to no key.
		m, marks := args[0].Unmark()
		if !args[1].IsKnown() {
			return lookupUnknownKey(args, retType), nil
		}
		key := args[1].AsString()
		switch ty := m.Type(); {
		case ty.IsObjectType() && ty.HasAttribute(key):
			return m.GetAttr(key).WithMarks(marks), nil
		case ty.IsMapType() && m.HasIndex(args[1]).True():
			return m.Index(args[1]).WithMarks(marks), nil
		case len(args) == 3:
			def, dmarks := args[2].Unmark()
			v, err := convert.Convert(def, retType)
			return v.WithMarks(marks, dmarks), err
		}
		return cty.NilVal, function.NewArgErrorf(1, "lookup failed to find key %q", key)
	},
})

// lookupUnknownKey is lookup with a key not known before apply: any
// element, or the default, may be the value, so it carries the marks of
// every one (the resources it may refer to), and an open candidate set
// when one refers to a resource and another to none.
func lookupUnknownKey(args []cty.Value, retType cty.Type) cty.Value {
	_, all := args[0].UnmarkDeep()
	out := []cty.ValueMarks{all}
	if m, own := args[0].Unmark(); !carriesRefMark(own) && m.IsKnown() && !m.IsNull() && m.CanIterateElements() {
		var alts []cty.Value
		for it := m.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			alts = append(alts, ev)
		}
		if len(args) == 3 {
			alts = append(alts, args[2])
		}
		out = append(out, openIf(nonNull(alts...)...))
	}
	if len(args) == 3 {
		_, dm := args[2].UnmarkDeep()
		out = append(out, dm)
	}
	return cty.UnknownVal(retType).WithMarks(out...)
}

// carriesRefMark reports whether marks hold a refMark.
func carriesRefMark(marks cty.ValueMarks) bool {
	for m := range marks {
		if _, ok := m.(refMark); ok {
			return true
		}
	}
	return false
}

func lookupType(args []cty.Value) (cty.Type, error) {
	if len(args) > 3 {
		return cty.NilType, errors.New("lookup takes two or three arguments")
	}
	ty := args[0].Type()
	switch {
	case ty == cty.DynamicPseudoType:
		return cty.DynamicPseudoType, nil
	case ty.IsObjectType():
		if !args[1].IsKnown() {
			return cty.DynamicPseudoType, nil
		}
		key := args[1].AsString()
		if ty.HasAttribute(key) {
			return ty.AttributeType(key), nil
		}
		if len(args) == 3 {
			return args[2].Type(), nil
		}
		return cty.NilType, function.NewArgErrorf(1, "the given object has no attribute %q", key)
	case ty.IsMapType():
		if len(args) == 3 {
			if _, err := convert.Convert(args[2], ty.ElementType()); err != nil {
				return cty.NilType, function.NewArgErrorf(2, "the default value must have the same type as the map elements")
			}
		}
		return ty.ElementType(), nil
	}
	return cty.NilType, function.NewArgErrorf(0, "the first argument must be a map or an object")
}

// matchKeysFunc keeps the elements of values whose counterpart in keys is in
// searchset.
var matchKeysFunc = newFunc(function.Spec{
	Params: []function.Parameter{
		{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "searchset", Type: cty.List(cty.DynamicPseudoType)},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		kt, st := args[1].Type().ElementType(), args[2].Type().ElementType()
		if ty, _ := convert.UnifyUnsafe([]cty.Type{kt, st}); ty == cty.NilType {
			return cty.NilType, function.NewArgErrorf(1, "keys and searchset must be of the same type")
		}
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		values, keys, search := args[0], args[1], args[2]
		if values.LengthInt() != keys.LengthInt() {
			return cty.NilVal, errors.New("length of keys and values should be equal")
		}
		var out []cty.Value
		for it := keys.ElementIterator(); it.Next(); {
			i, k := it.Element()
			for sit := search.ElementIterator(); sit.Next(); {
				_, s := sit.Element()
				eq := k.Equals(s)
				if !eq.IsKnown() {
					return cty.UnknownVal(retType), nil
				}
				if eq.True() {
					out = append(out, values.Index(i))
					break
				}
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})

// oneFunc returns the only element of a zero- or one-element collection, or
// null. The element keeps its own marks, plus the collection's.
var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType, AllowMarked: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType(), ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch etys := ty.TupleElementTypes(); len(etys) {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return etys[0], nil
			}
		}
		return cty.NilType, errOneElement
	},
	Impl: func(args []cty.Value, retType cty.Type) (ret cty.Value, err error) {
		defer recoverAs(&ret, &err)
		v, marks := args[0].Unmark()
		if !v.Length().IsKnown() {
			return cty.UnknownVal(retType).WithMarks(marks), nil
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(retType).WithMarks(marks), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e.WithMarks(marks), nil
		}
		return cty.NilVal, errOneElement
	},
})

var errOneElement = function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")

// sumFunc adds the numbers of a list, set or tuple; it fails on an empty one.
var sumFunc = newFunc(function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty := args[0].Type(); !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType() {
			return cty.NilType, function.NewArgErrorf(0, "argument must be list, set, or tuple")
		}
		return cty.Number, nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if !args[0].Length().IsKnown() {
			return cty.UnknownVal(cty.Number).RefineNotNull(), nil
		}
		if args[0].LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
		}
		total := cty.Zero
		for it := args[0].ElementIterator(); it.Next(); {
			_, v := it.Element()
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number).RefineNotNull(), nil
			}
			n, err := convert.Convert(v, cty.Number)
			if err != nil || n.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "argument must be list, set, or tuple of number values")
			}
			total = total.Add(n)
		}
		return total, nil
	},
})

// transposeFunc swaps the keys and values of a map of lists of strings.
var transposeFunc = newFunc(function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:   function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		out := map[string][]cty.Value{}
		for it := args[0].ElementIterator(); it.Next(); {
			k, list := it.Element()
			if list.IsNull() {
				return cty.NilVal, errors.New("cannot transpose a map with null lists")
			}
			for lit := list.ElementIterator(); lit.Next(); {
				_, v := lit.Element()
				if v.IsNull() {
					return cty.NilVal, errors.New("cannot transpose a map containing null values")
				}
				out[v.AsString()] = append(out[v.AsString()], k)
			}
		}
		if len(out) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		res := make(map[string]cty.Value, len(out))
		for k, vs := range out {
			res[k] = cty.ListVal(vs)
		}
		return cty.MapVal(res), nil
	},
})

// checkProduct refuses a setproduct whose result would exceed maxProduct.
func checkProduct(args []cty.Value) error {
	total := 1
	for _, a := range args {
		v, _ := a.UnmarkDeep()
		if v.IsNull() || !v.IsKnown() || !v.CanIterateElements() || !v.Length().IsKnown() {
			continue
		}
		total *= max(v.LengthInt(), 1)
		if total > maxProduct {
			return errors.New("the product of these sets is too large to compute")
		}
	}
	return nil
}

// distinctFunc is cty's distinct without its quadratic search for
// primitive elements: a list of strings, numbers or booleans is deduplicated
// through a map. Other elements are still compared pairwise (the metered
// call charges for it: estimateDistinct).
var distinctFunc = newFunc(function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.List(cty.DynamicPseudoType)}},
	Type: func(args []cty.Value) (cty.Type, error) {
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		list := args[0]
		if !list.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		var out []cty.Value
		byKey := primitiveElements(list)
		seen := map[string]bool{}
		for it := list.ElementIterator(); it.Next(); {
			_, v := it.Element()
			if byKey {
				k := primitiveKey(v)
				if !seen[k] {
					seen[k] = true
					out = append(out, v)
				}
				continue
			}
			if !slices.ContainsFunc(out, v.RawEquals) {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})

// primitiveElements reports whether a list's elements can be told apart
// by primitiveKey: primitive and unmarked.
func primitiveElements(list cty.Value) bool {
	return list.Type().ElementType().IsPrimitiveType() && !list.ContainsMarked()
}

// primitiveKey is a known primitive value as a map key: equal values, and
// only they, have equal keys.
func primitiveKey(v cty.Value) string {
	switch {
	case v.IsNull():
		return "null"
	case v.Type() == cty.String:
		return "s" + v.AsString()
	case v.Type() == cty.Number:
		return "n" + v.AsBigFloat().Text('p', 0)
	case v.True():
		return "true"
	}
	return "false"
}
