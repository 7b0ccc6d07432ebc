package checks

import (
	"math/big"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/casascan/casascan/scanner"
)

// TestIntOrDefaultFastPath: a number read directly gives what reading its
// text gives, for whole numbers, fractions, and numbers past int64.
func TestIntOrDefaultFastPath(t *testing.T) {
	huge, _, _ := big.ParseFloat("1e30", 10, 512, big.ToNearestEven)
	for _, v := range []cty.Value{
		cty.NumberIntVal(0), cty.NumberIntVal(30), cty.NumberIntVal(-7), cty.NumberIntVal(1 << 62),
		cty.NumberFloatVal(2.5), cty.NumberFloatVal(-2.5), cty.NumberFloatVal(1e19), cty.NumberVal(huge),
		cty.StringVal(" 42 "), cty.StringVal("7.9"),
	} {
		got, gotKnown := intOrDefault(&scanner.Attr{Value: v}, 1)
		want, wantKnown := intFromText(&scanner.Attr{Value: v})
		if got != want || gotKnown != wantKnown {
			t.Errorf("%#v: intOrDefault = %d, %v; intFromText %d, %v", v, got, gotKnown, want, wantKnown)
		}
	}
}
