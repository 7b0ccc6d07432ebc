package checks

import (
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/casascan/casascan/scanner"
)

func TestMemberUndecided(t *testing.T) {
	prefixed := func(p string) cty.Value {
		return cty.UnknownVal(cty.String).Refine().StringPrefix(p).NewValue()
	}
	for _, tc := range []struct {
		name string
		v    cty.Value
		want bool
	}{
		{"known public", cty.StringVal("allUsers"), false},
		{"known private", cty.StringVal("user:a@example.com"), false},
		{"null", cty.NullVal(cty.String), false},
		{"unknown", cty.UnknownVal(cty.String), true},
		{"unknown of any type", cty.DynamicVal, true},
		{"prefix rules public out", prefixed("serviceAccount:"), false},
		{"entity prefix rules public out", prefixed("user-"), false},
		{"prefix of allUsers", prefixed("all"), true},
		{"prefix of allAuthenticatedUsers", prefixed("allAuth"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := memberUndecided(&scanner.Attr{Value: tc.v}); got != tc.want {
				t.Errorf("memberUndecided(%#v) = %v, want %v", tc.v, got, tc.want)
			}
		})
	}
}
