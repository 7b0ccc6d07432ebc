package gcp

import (
	"encoding/json"
	"math/big"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Conversions from decoded API JSON to cty values. REST APIs write int64
// fields as decimal strings and some booleans as strings; Terraform holds
// them as numbers and bools, so the field table converts them explicitly.

// toCty converts decoded JSON to a cty value: objects of strings become maps,
// other objects objects, lists of one type lists, mixed lists tuples.
func toCty(v any) (cty.Value, bool) {
	switch t := v.(type) {
	case nil:
		return cty.NilVal, false
	case string:
		return cty.StringVal(t), true
	case bool:
		return cty.BoolVal(t), true
	case json.Number:
		bf, ok := new(big.Float).SetString(t.String())
		if !ok {
			return cty.StringVal(t.String()), true
		}
		return cty.NumberVal(bf), true
	case float64:
		return cty.NumberFloatVal(t), true
	case int:
		return cty.NumberIntVal(int64(t)), true
	case int64:
		return cty.NumberIntVal(t), true
	case []any:
		return listToCty(t)
	}
	if m, ok := asMap(v); ok {
		return mapToCty(m)
	}
	return cty.NilVal, false
}

func listToCty(l []any) (cty.Value, bool) {
	vals := make([]cty.Value, 0, len(l))
	for _, el := range l {
		if cv, ok := toCty(el); ok {
			vals = append(vals, cv)
		}
	}
	if len(vals) == 0 {
		return cty.ListValEmpty(cty.DynamicPseudoType), true
	}
	for _, cv := range vals[1:] {
		if !cv.Type().Equals(vals[0].Type()) {
			return cty.TupleVal(vals), true
		}
	}
	return cty.ListVal(vals), true
}

func mapToCty(m map[string]any) (cty.Value, bool) {
	attrs := make(map[string]cty.Value, len(m))
	allStrings := true
	for k, el := range m {
		cv, ok := toCty(el)
		if !ok {
			continue
		}
		attrs[k] = cv
		if cv.Type() != cty.String {
			allStrings = false
		}
	}
	if len(attrs) == 0 {
		return cty.MapValEmpty(cty.String), true
	}
	if allStrings {
		return cty.MapVal(attrs), true
	}
	return cty.ObjectVal(attrs), true
}

// num converts a number or a decimal string ("86400", int64 fields in JSON)
// to a number.
func num(v any) (cty.Value, bool) {
	if s, ok := v.(string); ok {
		bf, ok := new(big.Float).SetString(s)
		if !ok {
			return cty.StringVal(s), true
		}
		return cty.NumberVal(bf), true
	}
	return toCty(v)
}

// boolean converts a bool or "true"/"false".
func boolean(v any) (cty.Value, bool) {
	switch t := v.(type) {
	case bool:
		return cty.BoolVal(t), true
	case string:
		switch strings.ToLower(t) {
		case "true":
			return cty.True, true
		case "false":
			return cty.False, true
		}
	}
	return toCty(v)
}

// lastSeg keeps the last segment of a resource name or URL: the short name
// Terraform uses (projects/p/topics/t → t, zones/us-east1-b → us-east1-b).
func lastSeg(v any) (cty.Value, bool) {
	s, ok := v.(string)
	if !ok {
		return toCty(v)
	}
	return cty.StringVal(s[strings.LastIndexByte(s, '/')+1:]), true
}
