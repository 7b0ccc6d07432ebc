package plan

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// decodeJSON decodes test JSON as the loader does, numbers as json.Number.
func decodeJSON(t *testing.T, s string) any {
	t.Helper()
	if s == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %s: %v", s, err)
	}
	return v
}

func TestToValue(t *testing.T) {
	tests := []struct {
		name    string
		value   string // planned value, JSON ("" for absent)
		unknown string // after_unknown, JSON
		want    cty.Value
	}{
		{"string", `"acme"`, ``, cty.StringVal("acme")},
		{"number keeps precision", `12345678901234567890`, ``, cty.MustParseNumberVal("12345678901234567890")},
		{"number beyond float64 is unknown", `1e999999999`, ``, cty.UnknownVal(cty.Number)},
		{"tiny number beyond float64 is unknown", `1e-999999999`, ``, cty.UnknownVal(cty.Number)},
		{"number too long is unknown", "1" + strings.Repeat("0", maxNumberLength), ``, cty.UnknownVal(cty.Number)},
		{"bool", `true`, `false`, cty.True},
		{"null", `null`, ``, cty.NullVal(cty.DynamicPseudoType)},
		{"object", `{"a":"x","n":1}`, `{}`, cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x"), "n": cty.NumberIntVal(1)})},
		{"empty object", `{}`, ``, cty.EmptyObjectVal},
		{"list of objects is a tuple", `[{"enabled":true}]`, `[{}]`,
			cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"enabled": cty.True})})},
		{"empty list", `[]`, `[]`, cty.EmptyTupleVal},
		{"unknown whole value", ``, `true`, cty.DynamicVal},
		{"unknown wins over a planned value", `"old"`, `true`, cty.DynamicVal},
		{"unknown attribute inside a planned block (key created in the same plan)", `[{}]`, `[{"default_kms_key_name":true}]`,
			cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"default_kms_key_name": cty.DynamicVal})})},
		{"unknown attribute beside known ones", `{"a":"x"}`, `{"b":true}`,
			cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x"), "b": cty.DynamicVal})},
		{"absent object created by a nested unknown", ``, `{"b":true}`, cty.ObjectVal(map[string]cty.Value{"b": cty.DynamicVal})},
		{"absent block list created by a nested unknown", ``, `[{"k":true}]`,
			cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"k": cty.DynamicVal})})},
		{"empty masks create nothing", ``, `{"labels":{},"cors":[]}`, cty.NullVal(cty.DynamicPseudoType)},
		{"unknown list element (null in planned values)", `["a",null]`, `[false,true]`,
			cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.DynamicVal})},
		{"mask of another shape is ignored", `{"a":"x"}`, `[true]`, cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x")})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := toValue(decodeJSON(t, tc.value), decodeJSON(t, tc.unknown))
			if !got.RawEquals(tc.want) {
				t.Errorf("toValue = %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestToValueDepthLimit(t *testing.T) {
	deep := strings.Repeat(`{"a":`, maxValueDepth+10) + `"x"` + strings.Repeat(`}`, maxValueDepth+10)
	v := toValue(decodeJSON(t, deep), nil)
	if v.IsWhollyKnown() {
		t.Errorf("a value nested beyond %d levels converted fully; want its deepest part unknown", maxValueDepth)
	}
}

func TestContainsTrue(t *testing.T) {
	tests := []struct {
		mask string
		want bool
	}{
		{`true`, true},
		{`false`, false},
		{`{}`, false},
		{`{"a":[{}],"b":{"c":false}}`, false},
		{`{"a":[{},{"x":true}]}`, true},
		{`[false,[true]]`, true},
		{``, false},
	}
	for _, tc := range tests {
		t.Run(tc.mask, func(t *testing.T) {
			if got := containsTrue(decodeJSON(t, tc.mask)); got != tc.want {
				t.Errorf("containsTrue = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestMergeMasks(t *testing.T) {
	tests := []struct {
		name, a, b string
		sensitive  []string // top-level keys marked in the result
	}{
		{"either side marks", `{"password":true,"name":false}`, `{"secret_data":true}`, []string{"password", "secret_data"}},
		{"a missing mask takes the other", ``, `{"password":true}`, []string{"password"}},
		{"nested marks", `{"master_auth":[{"client_key":true}]}`, `{"master_auth":[{}]}`, []string{"master_auth"}},
		{"nothing marked", `{"labels":{}}`, `{}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mergeMasks(decodeJSON(t, tc.a), decodeJSON(t, tc.b))
			var got []string
			for _, k := range []string{"labels", "master_auth", "name", "password", "secret_data"} {
				if containsTrue(maskAt(m, k)) {
					got = append(got, k)
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.sensitive, ",") {
				t.Errorf("marked %v, want %v", got, tc.sensitive)
			}
		})
	}
}
