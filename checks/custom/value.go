package custom

import (
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	"github.com/zclconf/go-cty/cty"

	"github.com/casascan/casascan/scanner"
)

// object is a resource, a nested block or an object or map value, as CEL
// sees it: selecting a name it does not hold gives null (a missing
// attribute is null), has() tells whether it holds one, and a name whose
// presence is not known (a dynamic block whose for_each is not known
// before apply) makes has() unknown. It is not a CEL map (no Find), so that
// the interpreter asks it through Get and has() through our macro.
type object struct {
	ev *evaluation
	// res is the resource the object belongs to and rpath its dotted
	// path in it ("" for the resource, "encryption", "attached_disk.1"):
	// refs() looks the attribute up there.
	res   *scanner.Resource
	rpath string
	// name names the object in UNKNOWN reasons: "resource",
	// "resource.encryption", or a referenced resource's address.
	name  string
	depth int // how many refs() were followed to reach it
	m     map[string]ref.Val
	maybe map[string]*types.Unknown
}

var _ traits.Indexer = (*object)(nil)

func (o *object) set(k string, v ref.Val) { o.m[k] = v }

func (o *object) has(k string) ref.Val {
	if u := o.maybe[k]; u != nil {
		return u
	}
	v, ok := o.m[k]
	if !ok || v == types.NullValue {
		return types.False
	}
	return types.True
}

func (o *object) keys() []string {
	ks := make([]string, 0, len(o.m))
	for k := range o.m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Get implements traits.Indexer.
func (o *object) Get(key ref.Val) ref.Val {
	k, ok := key.(types.String)
	if !ok {
		return types.NullValue
	}
	if v, ok := o.m[string(k)]; ok {
		return v
	}
	return types.NullValue
}

// Contains implements traits.Container ("k in x").
func (o *object) Contains(key ref.Val) ref.Val {
	k, ok := key.(types.String)
	if !ok {
		return types.False
	}
	return o.has(string(k))
}

// Iterator implements traits.Iterable: the names it holds, sorted; a name
// it may or may not hold is unknown.
func (o *object) Iterator() traits.Iterator {
	ks := o.keys()
	elems := make([]ref.Val, len(ks))
	for i, k := range ks {
		elems[i] = types.String(k)
		if u := o.maybe[k]; u != nil {
			elems[i] = u
		}
	}
	return types.NewRefValList(types.DefaultTypeAdapter, elems).Iterator()
}

// Size implements traits.Sizer: unknown when it may or may not hold a
// name.
func (o *object) Size() ref.Val {
	var u *types.Unknown
	for _, k := range o.keys() {
		if m := o.maybe[k]; m != nil {
			u, _ = types.MaybeMergeUnknowns(m, u)
		}
	}
	if u != nil {
		return u
	}
	return types.Int(len(o.m))
}

func (o *object) ConvertToNative(reflect.Type) (any, error) {
	return nil, fmt.Errorf("a resource or block cannot be converted")
}

func (o *object) ConvertToType(t ref.Type) ref.Val {
	switch t {
	case types.TypeType:
		return types.MapType
	case types.MapType:
		return o
	}
	return types.NewErr("type conversion error from map to %s", t.TypeName())
}

// Equal compares names and values.
func (o *object) Equal(other ref.Val) ref.Val {
	if o2, ok := other.(*object); ok {
		if o == o2 {
			return types.True
		}
		if len(o.m) != len(o2.m) {
			return types.False
		}
		for k, v := range o.m {
			w, ok := o2.m[k]
			if !ok {
				return types.False
			}
			if eq := v.Equal(w); eq != types.True {
				return eq
			}
		}
		return types.True
	}
	if m, ok := other.(traits.Mapper); ok {
		if m.Size() != types.Int(len(o.m)) {
			return types.False
		}
		for k, v := range o.m {
			w, found := m.Find(types.String(k))
			if !found {
				return types.False
			}
			if eq := v.Equal(w); eq != types.True {
				return eq
			}
		}
		return types.True
	}
	return types.False
}

func (o *object) Type() ref.Type { return types.MapType }
func (o *object) Value() any     { return o.m }

func (ev *evaluation) newObject(res *scanner.Resource, rpath, name string, depth int) *object {
	return &object{ev: ev, res: res, rpath: rpath, name: name, depth: depth, m: map[string]ref.Val{}, maybe: map[string]*types.Unknown{}}
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// resourceObject converts a resource: its attributes and blocks, the
// provider defaults, address, type and labels.
func (ev *evaluation) resourceObject(r *scanner.Resource, name string, depth int) *object {
	o := ev.body(r, r.Body, "", name, depth)
	ev.applyDefaults(o, r.Type)
	if v, ok := o.m["labels"]; !ok || v == types.NullValue {
		// Labels by whatever name the type gives them; none is no labels.
		var labels ref.Val = ev.newObject(r, "labels", name+".labels", depth)
		if s, ok := o.m["settings"].(*object); ok && s.m["user_labels"] != nil && s.m["user_labels"] != types.NullValue {
			labels = s.m["user_labels"]
		}
		for _, alt := range []string{"user_labels", "resource_labels"} {
			if v, ok := o.m[alt]; ok && v != types.NullValue {
				labels = v
				break
			}
		}
		o.set("labels", labels)
	}
	o.set("address", types.String(r.Address))
	o.set("type", types.String(r.Type))
	return o
}

// body converts the attributes and nested blocks of a body. A block
// written once is an object, several are a list of objects; a block set
// that is not known (a dynamic block over a for_each not known before
// apply) is unknown, and so is whether it is there.
func (ev *evaluation) body(r *scanner.Resource, b *scanner.Body, rpath, name string, depth int) *object {
	o := ev.newObject(r, rpath, name, depth)
	if b == nil {
		return o
	}
	for n, a := range b.Attrs {
		v := ev.value(r, a.Value, joinPath(rpath, n), name+"."+n, depth)
		o.set(n, v)
		if u, ok := v.(*types.Unknown); ok && a.MaybeNull != "" {
			// Not known and may be null: neither set nor absent.
			o.maybe[n] = u
		}
	}
	var order []string
	byType := map[string][]*scanner.Block{}
	for _, blk := range b.Blocks {
		if byType[blk.Type] == nil {
			order = append(order, blk.Type)
		}
		byType[blk.Type] = append(byType[blk.Type], blk)
	}
	for _, t := range order {
		blocks := byType[t]
		open := false
		for _, blk := range blocks {
			open = open || blk.Unexpanded
		}
		if a := b.Attrs[t]; a != nil && !a.Value.IsWhollyKnown() {
			open = true
		}
		switch {
		case open:
			u := ev.unknown(name + "." + t)
			o.set(t, u)
			o.maybe[t] = u
		case len(blocks) == 1:
			o.set(t, ev.body(r, blocks[0].Body, joinPath(rpath, t), name+"."+t, depth))
		default:
			elems := make([]ref.Val, len(blocks))
			for i, blk := range blocks {
				elems[i] = ev.body(r, blk.Body, joinPath(rpath, t+"."+strconv.Itoa(i)), name+"."+t+"["+strconv.Itoa(i)+"]", depth)
			}
			o.set(t, types.NewRefValList(types.DefaultTypeAdapter, elems))
		}
	}
	return o
}

// value converts a cty value. A value not known before apply is a CEL
// unknown named by its path; so is an unknown part of a value. A list of
// objects (a nested block as plans and exports write it) reads like
// blocks: one object is the object, several are a list.
func (ev *evaluation) value(r *scanner.Resource, v cty.Value, rpath, name string, depth int) ref.Val {
	if v == cty.NilVal {
		return types.NullValue
	}
	if v.IsMarked() {
		v, _ = v.UnmarkDeep()
	}
	if !v.IsKnown() {
		return ev.unknown(name)
	}
	if v.IsNull() {
		return types.NullValue
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return types.String(v.AsString())
	case ty == cty.Bool:
		return types.Bool(v.True())
	case ty == cty.Number:
		return number(v.AsBigFloat())
	case ty.IsObjectType() || ty.IsMapType():
		o := ev.newObject(r, rpath, name, depth)
		for it := v.ElementIterator(); it.Next(); {
			k, ev2 := it.Element()
			key := k.AsString()
			o.set(key, ev.value(r, ev2, joinPath(rpath, key), name+"."+key, depth))
		}
		return o
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		n := v.LengthInt()
		elems := make([]ref.Val, 0, n)
		objects := n > 0
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			idx := strconv.Itoa(i)
			if e.IsKnown() && !e.IsNull() && (e.Type().IsObjectType() || e.Type().IsMapType()) {
				elems = append(elems, ev.value(r, e, joinPath(rpath, idx), name+"["+idx+"]", depth))
				continue
			}
			objects = false
			elems = append(elems, ev.value(r, e, joinPath(rpath, idx), name+"["+idx+"]", depth))
		}
		if objects && n == 1 {
			// Written once: the block itself, at the path Lookup reads
			// for the first block.
			o := elems[0].(*object)
			o.rpath, o.name = rpath, name
			return o
		}
		return types.NewRefValList(types.DefaultTypeAdapter, elems)
	}
	return ev.unknown(name)
}

func number(f *big.Float) ref.Val {
	if f.IsInt() {
		if i, acc := f.Int64(); acc == big.Exact {
			return types.Int(i)
		}
	}
	d, _ := f.Float64()
	return types.Double(d)
}

// applyDefaults fills the provider defaults into o where the attribute is
// absent or null, creating the blocks on the way: the value the built-in
// checks read (Slot.Value).
func (ev *evaluation) applyDefaults(o *object, typ string) {
	for _, d := range scanner.DefaultsOf(typ) {
		ev.fillDefault(o, strings.Split(d.Path, "."), d.Value)
	}
}

func (ev *evaluation) fillDefault(o *object, segs []string, val cty.Value) {
	k := segs[0]
	cur, ok := o.m[k]
	if len(segs) == 1 {
		if !ok || cur == types.NullValue {
			o.set(k, ev.value(o.res, val, joinPath(o.rpath, k), o.name+"."+k, o.depth))
		}
		return
	}
	switch c := cur.(type) {
	case *object:
		ev.fillDefault(c, segs[1:], val)
	case traits.Lister:
		for it := c.Iterator(); it.HasNext() == types.True; {
			if e, ok := it.Next().(*object); ok {
				ev.fillDefault(e, segs[1:], val)
			}
		}
	default:
		if ok && cur != types.NullValue {
			return // unknown, or not a block
		}
		n := ev.newObject(o.res, joinPath(o.rpath, k), o.name+"."+k, o.depth)
		o.set(k, n)
		ev.fillDefault(n, segs[1:], val)
	}
}
