package custom

import (
	"github.com/google/cel-go/common/operators"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	"github.com/google/cel-go/interpreter"
)

// CEL's own == and in compare a list or map element by element with the
// element's Equal, which takes an unknown for a different value: ["a"] ==
// [unknown] is false, [unknown] == ["a"] true, "a" in [unknown] false, and
// a map literal never equals a resource or block. threeValued replaces
// them with comparisons where an unknown part that decides gives unknown,
// whichever side it is on.
func threeValued(i interpreter.InterpretableV2) (interpreter.InterpretableV2, error) {
	c, ok := i.(interpreter.InterpretableCall)
	if !ok || len(c.Args()) != 2 {
		return i, nil
	}
	switch c.Function() {
	case operators.Equals, operators.NotEquals, operators.In:
		return &compare{InterpretableCall: c}, nil
	}
	return i, nil
}

type compare struct{ interpreter.InterpretableCall }

func (c *compare) Eval(vars interpreter.Activation) ref.Val {
	return c.Exec(interpreter.AsFrame(vars))
}

func (c *compare) Exec(frame *interpreter.ExecutionFrame) ref.Val {
	args := c.Args()
	l := args[0].Exec(frame)
	if types.IsError(l) {
		return l
	}
	r := args[1].Exec(frame)
	if types.IsError(r) {
		return r
	}
	if unk, _ := types.MaybeMergeUnknowns(r, mergeUnknown(nil, l)); unk != nil {
		return unk
	}
	switch c.Function() {
	case operators.Equals:
		return equal(l, r)
	case operators.NotEquals:
		if b, ok := equal(l, r).(types.Bool); ok {
			return !b
		}
		return equal(l, r)
	}
	return contains(r, l)
}

func mergeUnknown(u *types.Unknown, v ref.Val) *types.Unknown {
	u, _ = types.MaybeMergeUnknowns(v, u)
	return u
}

// equal is CEL's equality, unknown when an unknown part decides it: false
// as soon as a known part differs, else unknown if a part is unknown.
func equal(l, r ref.Val) ref.Val {
	if types.IsUnknownOrError(l) || types.IsUnknownOrError(r) {
		var u *types.Unknown
		if u = mergeUnknown(mergeUnknown(nil, l), r); u != nil {
			return u
		}
		if types.IsError(l) {
			return l
		}
		return r
	}
	ll, lok := l.(traits.Lister)
	rl, rok := r.(traits.Lister)
	if lok && rok {
		if ll.Size() != rl.Size() {
			return types.False
		}
		n, _ := ll.Size().(types.Int)
		var pending ref.Val
		for i := types.Int(0); i < n; i++ {
			switch e := equal(ll.Get(i), rl.Get(i)); e {
			case types.True:
			case types.False:
				return types.False
			default:
				pending = merge(pending, e)
			}
		}
		if pending != nil {
			return pending
		}
		return types.True
	}
	lk, lm := keyed(l)
	rk, rm := keyed(r)
	if lm && rm {
		if len(lk) != len(rk) {
			return types.False
		}
		var pending ref.Val
		for k, v := range lk {
			w, ok := rk[k]
			if !ok {
				return types.False
			}
			switch e := equal(v, w); e {
			case types.True:
			case types.False:
				return types.False
			default:
				pending = merge(pending, e)
			}
		}
		if pending != nil {
			return pending
		}
		return types.True
	}
	return types.Equal(l, r)
}

// merge keeps the unknowns together; an error (a part CEL cannot compare)
// is kept when there is no unknown.
func merge(pending, e ref.Val) ref.Val {
	if pu, ok := pending.(*types.Unknown); ok {
		if eu, ok := e.(*types.Unknown); ok {
			return types.MergeUnknowns(pu, eu)
		}
		return pu
	}
	if _, ok := e.(*types.Unknown); ok || pending == nil {
		return e
	}
	return pending
}

// keyed returns the entries of a resource, block or map with string keys.
func keyed(v ref.Val) (map[string]ref.Val, bool) {
	switch m := v.(type) {
	case *object:
		return m.m, true
	case traits.Mapper:
		out := map[string]ref.Val{}
		for it := m.Iterator(); it.HasNext() == types.True; {
			k := it.Next()
			s, ok := k.(types.String)
			if !ok {
				return nil, false
			}
			out[string(s)], _ = m.Find(k)
		}
		return out, true
	}
	return nil, false
}

// contains is "elem in container": for a list, true when an element
// equals elem, unknown when none does but an unknown one may.
func contains(container, elem ref.Val) ref.Val {
	l, ok := container.(traits.Lister)
	if !ok {
		if c, ok := container.(traits.Container); ok {
			return c.Contains(elem)
		}
		return types.NewErr("no such overload: %s in %s", elem.Type().TypeName(), container.Type().TypeName())
	}
	var pending ref.Val
	for it := l.Iterator(); it.HasNext() == types.True; {
		switch e := equal(elem, it.Next()); e {
		case types.True:
			return types.True
		case types.False:
		default:
			pending = merge(pending, e)
		}
	}
	if _, ok := pending.(*types.Unknown); ok {
		return pending
	}
	return types.False
}
