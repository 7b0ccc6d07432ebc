package scanner

import (
	"math"
	"math/big"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// TestValueStringNumbers: ValueString's shortcut for whole numbers says
// what cty's conversion says, and numbers it leaves alone (fractions,
// zeros, numbers past int64) still convert.
func TestValueStringNumbers(t *testing.T) {
	huge, _, _ := big.ParseFloat("123456789012345678901234567890", 10, 512, big.ToNearestEven)
	negZero := new(big.Float).Neg(new(big.Float))
	for _, v := range []cty.Value{
		cty.NumberIntVal(1), cty.NumberIntVal(-1), cty.NumberIntVal(30), cty.NumberIntVal(86400),
		cty.NumberIntVal(math.MaxInt64), cty.NumberIntVal(math.MinInt64), cty.NumberIntVal(0),
		cty.NumberVal(negZero), cty.NumberFloatVal(2.5), cty.NumberFloatVal(1e19), cty.NumberFloatVal(-1e300),
		cty.NumberVal(huge),
	} {
		c, err := convert.Convert(v, cty.String)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := ValueString(v); !ok || got != c.AsString() {
			t.Errorf("ValueString(%s) = %q, %v; cty converts it to %q", v.AsBigFloat().String(), got, ok, c.AsString())
		}
	}
}
