package terraform

import (
	"errors"
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

func cidrFunctions() map[string]function.Function {
	return map[string]function.Function{
		"cidrhost":    cidrHostFunc,
		"cidrnetmask": cidrNetmaskFunc,
		"cidrsubnet":  cidrSubnetFunc,
		"cidrsubnets": cidrSubnetsFunc,
	}
}

// network is a parsed CIDR prefix, its address as an integer so IPv4 and
// IPv6 share one arithmetic. base has the host bits cleared.
type network struct {
	base   *big.Int
	bits   int // 32 or 128
	prefix int
}

// parseNetwork parses a CIDR prefix as Terraform does: host bits may be set
// (they are ignored), and IPv4 octets with leading zeros are decimal.
func parseNetwork(s string) (network, error) {
	addr, length, ok := strings.Cut(s, "/")
	if !ok {
		return network{}, fmt.Errorf("invalid CIDR expression: missing prefix length")
	}
	if !strings.Contains(addr, ":") {
		addr = decimalOctets(addr)
	}
	p, err := netip.ParsePrefix(addr + "/" + length)
	if err != nil {
		return network{}, fmt.Errorf("invalid CIDR expression: %s", s)
	}
	p = p.Masked()
	return network{
		base:   new(big.Int).SetBytes(p.Addr().AsSlice()),
		bits:   p.Addr().BitLen(),
		prefix: p.Bits(),
	}, nil
}

// decimalOctets strips leading zeros from dotted-decimal octets ("010" is
// ten), which Go's parser would reject.
func decimalOctets(addr string) string {
	parts := strings.Split(addr, ".")
	for i, p := range parts {
		if len(p) > 1 {
			if n, err := strconv.ParseUint(p, 10, 16); err == nil {
				parts[i] = strconv.FormatUint(n, 10)
			}
		}
	}
	return strings.Join(parts, ".")
}

// address renders the integer a as an address of n's family.
func (n network) address(a *big.Int) string {
	buf := a.FillBytes(make([]byte, n.bits/8))
	if n.bits == 32 {
		return netip.AddrFrom4([4]byte(buf)).String()
	}
	return netip.AddrFrom16([16]byte(buf)).String()
}

// size is the number of addresses in a prefix of the given length.
func (n network) size(prefix int) *big.Int {
	return new(big.Int).Lsh(big.NewInt(1), uint(n.bits-prefix))
}

// wholeNumber converts a cty number into an integer.
func wholeNumber(v cty.Value, arg int) (*big.Int, error) {
	f := v.AsBigFloat()
	if !f.IsInt() {
		return nil, function.NewArgErrorf(arg, "must be a whole number")
	}
	i, _ := f.Int(nil)
	return i, nil
}

// smallNumber converts a cty number into an int in [0, limit].
func smallNumber(v cty.Value, arg, limit int) (int, error) {
	i, err := wholeNumber(v, arg)
	if err != nil {
		return 0, err
	}
	if i.Sign() < 0 || i.Cmp(big.NewInt(int64(limit))) > 0 {
		return 0, function.NewArgErrorf(arg, "must be between 0 and %d", limit)
	}
	return int(i.Int64()), nil
}

var cidrHostFunc = newFunc(function.Spec{
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "hostnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		host, err := wholeNumber(args[1], 1)
		if err != nil {
			return cty.NilVal, err
		}
		size := n.size(n.prefix)
		if host.Sign() < 0 { // counted from the end of the range
			host.Add(host, size)
		}
		if host.Sign() < 0 || host.Cmp(size) >= 0 {
			return cty.NilVal, function.NewArgErrorf(1, "prefix of %d does not accommodate a host numbered %s", n.prefix, args[1].AsBigFloat().String())
		}
		return cty.StringVal(n.address(host.Add(host, n.base))), nil
	},
})

var cidrNetmaskFunc = newFunc(function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		if n.bits != 32 {
			return cty.NilVal, function.NewArgErrorf(0, "only IPv4 networks are supported")
		}
		all := n.size(0)
		mask := all.Sub(all, n.size(n.prefix)) // ones in the prefix bits
		return cty.StringVal(n.address(mask)), nil
	},
})

var cidrSubnetFunc = newFunc(function.Spec{
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "newbits", Type: cty.Number},
		{Name: "netnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		newbits, err := smallNumber(args[1], 1, n.bits-n.prefix)
		if err != nil {
			return cty.NilVal, err
		}
		num, err := wholeNumber(args[2], 2)
		if err != nil {
			return cty.NilVal, err
		}
		length := n.prefix + newbits
		if num.Sign() < 0 || num.Cmp(n.size(n.bits-newbits)) >= 0 {
			return cty.NilVal, function.NewArgErrorf(2, "prefix extension of %d does not accommodate a subnet numbered %s", newbits, args[2].AsBigFloat().String())
		}
		start := num.Mul(num, n.size(length))
		start.Add(start, n.base)
		return cty.StringVal(fmt.Sprintf("%s/%d", n.address(start), length)), nil
	},
})

// cidrSubnetsFunc allocates consecutive subnets: each starts at the first
// address after the previous one that is aligned to its own size.
var cidrSubnetsFunc = newFunc(function.Spec{
	Params:   []function.Parameter{{Name: "prefix", Type: cty.String}},
	VarParam: &function.Parameter{Name: "newbits", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		if len(args) == 1 {
			return cty.ListValEmpty(cty.String), nil
		}
		end := new(big.Int).Add(n.base, n.size(n.prefix))
		next := new(big.Int).Set(n.base)
		out := make([]cty.Value, 0, len(args)-1)
		for i, a := range args[1:] {
			newbits, err := smallNumber(a, i+1, n.bits-n.prefix)
			if err != nil {
				return cty.NilVal, err
			}
			if newbits < 1 {
				return cty.NilVal, function.NewArgErrorf(i+1, "must extend prefix by at least one bit")
			}
			length := n.prefix + newbits
			size := n.size(length)
			start := alignUp(next, size)
			next = new(big.Int).Add(start, size)
			if next.Cmp(end) > 0 {
				return cty.NilVal, function.NewArgError(i+1, errors.New("not enough remaining address space for a subnet with a prefix of "+strconv.Itoa(length)+" bits"))
			}
			out = append(out, cty.StringVal(fmt.Sprintf("%s/%d", n.address(start), length)))
		}
		return cty.ListVal(out), nil
	},
})

// alignUp rounds a up to a multiple of size (a power of two).
func alignUp(a, size *big.Int) *big.Int {
	r := new(big.Int).Add(a, size)
	r.Sub(r, big.NewInt(1))
	return r.Sub(r, new(big.Int).Mod(r, size))
}
