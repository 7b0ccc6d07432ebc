package plan

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// maxValueDepth bounds the nesting of values converted from JSON; deeper
// structure becomes unknown rather than exhausting the stack.
const maxValueDepth = 64

// toValue converts a JSON value (as encoding/json decodes it, numbers as
// json.Number) into a cty value, the way an HCL literal of the same shape
// evaluates: objects to objects, arrays to tuples.
//
// unknown is the matching part of after_unknown. Wherever it is true the
// value is not known before apply and becomes cty.DynamicVal, whatever the
// planned value says: Terraform omits unknown attributes from planned
// values, or writes null in their place in a list. An unknown inside an
// absent object still creates the object, so a key created in the same plan
// makes encryption.default_kms_key_name unknown, never missing.
func toValue(v, unknown any) cty.Value {
	return toValueDepth(v, unknown, 0)
}

func toValueDepth(v, unknown any, depth int) cty.Value {
	if b, ok := unknown.(bool); ok && b || depth > maxValueDepth {
		return cty.DynamicVal
	}
	switch x := v.(type) {
	case nil:
		switch u := unknown.(type) {
		case map[string]any:
			if containsTrue(u) {
				return objectValue(nil, u, depth)
			}
		case []any:
			if containsTrue(u) {
				return tupleValue(nil, u, depth)
			}
		}
		return cty.NullVal(cty.DynamicPseudoType)
	case string:
		return cty.StringVal(x)
	case bool:
		return cty.BoolVal(x)
	case json.Number:
		return numberValue(string(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return cty.UnknownVal(cty.Number)
		}
		return cty.NumberFloatVal(x)
	case map[string]any:
		u, _ := unknown.(map[string]any)
		return objectValue(x, u, depth)
	case []any:
		u, _ := unknown.([]any)
		return tupleValue(x, u, depth)
	}
	return cty.DynamicVal
}

// maxNumberLength bounds the digits of a number read from a file.
const maxNumberLength = 400

// numberValue parses a JSON number with full precision. A number beyond the
// range of float64 (1e999999999) or absurdly long is unknown: no provider
// writes one, and rendering it as text would take minutes and gigabytes.
func numberValue(s string) cty.Value {
	if len(s) > maxNumberLength {
		return cty.UnknownVal(cty.Number)
	}
	f, err := strconv.ParseFloat(s, 64)
	mantissa, _, _ := strings.Cut(strings.ToLower(s), "e")
	if err != nil || f == 0 && strings.ContainsAny(mantissa, "123456789") {
		return cty.UnknownVal(cty.Number) // overflow or underflow
	}
	n, err := cty.ParseNumberVal(s)
	if err != nil {
		return cty.UnknownVal(cty.Number)
	}
	return n
}

func objectValue(m map[string]any, unknown map[string]any, depth int) cty.Value {
	attrs := make(map[string]cty.Value, len(m))
	for k, ev := range m {
		attrs[k] = toValueDepth(ev, unknown[k], depth+1)
	}
	for k, u := range unknown {
		if _, ok := m[k]; !ok && containsTrue(u) {
			attrs[k] = toValueDepth(nil, u, depth+1)
		}
	}
	if len(attrs) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(attrs)
}

func tupleValue(list []any, unknown []any, depth int) cty.Value {
	n := max(len(list), len(unknown))
	if n == 0 {
		return cty.EmptyTupleVal
	}
	elems := make([]cty.Value, n)
	for i := range elems {
		var ev, u any
		if i < len(list) {
			ev = list[i]
		}
		if i < len(unknown) {
			u = unknown[i]
		}
		elems[i] = toValueDepth(ev, u, depth+1)
	}
	return cty.TupleVal(elems)
}

// containsTrue reports whether a mask (after_unknown, after_sensitive,
// sensitive_values) marks anything: true itself, or true anywhere inside.
func containsTrue(mask any) bool {
	return containsTrueDepth(mask, 0)
}

func containsTrueDepth(mask any, depth int) bool {
	if depth > maxValueDepth {
		return true // too deep to read: marked, so a sensitive mask fails closed
	}
	switch m := mask.(type) {
	case bool:
		return m
	case map[string]any:
		for _, v := range m {
			if containsTrueDepth(v, depth+1) {
				return true
			}
		}
	case []any:
		for _, v := range m {
			if containsTrueDepth(v, depth+1) {
				return true
			}
		}
	}
	return false
}

// maskAt returns the part of a mask for one attribute or element.
func maskAt(mask any, key string) any {
	if m, ok := mask.(map[string]any); ok {
		return m[key]
	}
	if b, ok := mask.(bool); ok {
		return b // a whole object marked: every part of it
	}
	return nil
}

func maskIndex(mask any, i int) any {
	if l, ok := mask.([]any); ok && i < len(l) {
		return l[i]
	}
	if b, ok := mask.(bool); ok {
		return b
	}
	return nil
}

// mergeMasks joins two masks attribute by attribute, taking for each the
// one that marks something. Sensitivity comes from both sensitive_values and
// after_sensitive, which agree in a plan Terraform wrote, but either may be
// missing.
func mergeMasks(a, b any) any {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if !aok || !bok {
		if containsTrue(a) || b == nil {
			return a
		}
		return b
	}
	out := make(map[string]any, len(am)+len(bm))
	for k, v := range bm {
		out[k] = v
	}
	for k, v := range am {
		if containsTrue(v) || out[k] == nil {
			out[k] = v
		}
	}
	return out
}
