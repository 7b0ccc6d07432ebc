package scanner

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Reference resolution is decided here, once, for every source: a
// reference or address as Terraform writes it (module.a["x"].google_kms_crypto_key.k[0].id,
// google_kms_crypto_key.k[*].id) resolves to instances through Instances
// (a plan's configuration references), and a Google Cloud resource name
// through Names (names.go: a plan's values, link's live names), each to a
// Resolution: exactly one resource, or one of several. Address parsing
// (ParseAddress) and the plan's references read through the same lexer.

// RefStep is one step of a reference or address: a name and the index
// written after it, if any.
type RefStep struct {
	Name string
	// Key is the index when it is static: a number [0] or a quoted string
	// ["a"]. nil when there is no index or when it is not static.
	Key Key
	// Indexed is true when an index follows the name, static or not. An
	// index that is not static ([*], [each.key], [var.i], [1e+10]) leaves
	// Key nil: the step is one of the instances, not known which.
	Indexed bool
}

// ParseSteps splits a reference as Terraform writes it in configuration
// (module.kms["a"].key_id, google_kms_crypto_key.k[0].id, var.keys) into
// steps. Only the first index after a name is kept: x.y[1][2] is instance 1
// of y, then a value inside it. ok is false when s is not a traversal.
func ParseSteps(s string) ([]RefStep, bool) {
	out := make([]RefStep, 0, strings.Count(s, ".")+1)
	for s != "" {
		st, _, rest, err := cutStep(s)
		if err != nil {
			return nil, false
		}
		out = append(out, st)
		if rest == "" {
			break
		}
		if len(rest) == 1 { // a trailing '.'
			return nil, false
		}
		s = rest[1:]
	}
	if len(out) == 0 {
		return nil, false
	}
	return out, true
}

// cutStep reads one step at the start of s: a name and the indexes after
// it (more counts those after the first). rest is empty or starts with '.'.
func cutStep(s string) (st RefStep, more int, rest string, err error) {
	end := strings.IndexAny(s, ".[]")
	if end < 0 {
		end = len(s)
	}
	if end == 0 {
		return RefStep{}, 0, "", fmt.Errorf("empty name")
	}
	st.Name, rest = s[:end], s[end:]
	for strings.HasPrefix(rest, "[") {
		var k Key
		k, rest, err = cutIndex(rest)
		if err != nil {
			return RefStep{}, 0, "", err
		}
		if st.Indexed {
			more++
			continue
		}
		st.Indexed, st.Key = true, k
	}
	if rest != "" && rest[0] != '.' {
		return RefStep{}, 0, "", fmt.Errorf("unexpected %q", rest)
	}
	return st, more, rest, nil
}

// cutIndex reads one index at the start of s: [0], ["key"], or an index
// that is not static ([*], [each.key], [local.m["a"]]), which gives a nil
// key. Brackets nest and quoted strings may hold any character.
func cutIndex(s string) (Key, string, error) {
	if strings.HasPrefix(s, `["`) {
		q, err := strconv.QuotedPrefix(s[1:])
		if err != nil {
			return nil, "", fmt.Errorf("bad key in %q", s)
		}
		v, err := strconv.Unquote(q)
		rest := s[1+len(q):]
		if err != nil || !strings.HasPrefix(rest, "]") {
			return nil, "", fmt.Errorf("unclosed key in %q", s)
		}
		return StringKey(v), rest[1:], nil
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
			if depth > 0 {
				continue
			}
			inner := s[1:i]
			if inner == "" {
				return nil, "", fmt.Errorf("empty index in %q", s)
			}
			if n, err := strconv.Atoi(inner); err == nil {
				return IntKey(n), s[i+1:], nil
			}
			return nil, s[i+1:], nil
		case '"':
			q, err := strconv.QuotedPrefix(s[i:])
			if err != nil {
				return nil, "", fmt.Errorf("bad key in %q", s)
			}
			i += len(q) - 1
		}
	}
	return nil, "", fmt.Errorf("unclosed key in %q", s)
}

// Resolution is what a reference resolves to: the candidates, in address
// order, and whether the reference names exactly one of them (the value is
// that resource's attribute) rather than one of several. No candidates:
// the reference names nothing in the graph.
type Resolution struct {
	Addrs []string
	Exact bool
}

// Instances indexes resource instances by module instance and resource
// block, and module instances by parent and call, so that a reference
// picks its instances by lookup, not by a scan: a source that resolves
// references before its graph exists (a plan's configuration) builds one.
type Instances struct {
	blocks  map[string]*keyed[string]
	modules map[string]*keyed[[]ModuleStep]
}

// keyed holds the instances of one resource block or module call, in order
// and by instance key.
type keyed[T any] struct {
	all   []T
	byKey map[Key]int // index in all
}

func (k *keyed[T]) add(key Key, x T) {
	if key != nil {
		k.byKey[key] = len(k.all)
	}
	k.all = append(k.all, x)
}

func (k *keyed[T]) at(key Key) (T, bool) {
	i, ok := k.byKey[key]
	if !ok {
		var zero T
		return zero, false
	}
	return k.all[i], true
}

func getKeyed[T any](m map[string]*keyed[T], k string) *keyed[T] {
	x := m[k]
	if x == nil {
		x = &keyed[T]{byKey: map[Key]int{}}
		m[k] = x
	}
	return x
}

func blockKey(mod string, mode Mode, typ, name string) string {
	if mode == Data {
		return mod + "\x00data." + typ + "." + name
	}
	return mod + "\x00" + typ + "." + name
}

// NewInstances indexes n instances, the i-th given by at: its address and
// that address rendered (Address.String), which a source usually has at
// hand. They are kept in the order given: give them sorted for a
// deterministic resolution.
func NewInstances(n int, at func(i int) (Address, string)) *Instances {
	ix := &Instances{blocks: map[string]*keyed[string]{}, modules: map[string]*keyed[[]ModuleStep]{}}
	seenMod := map[string]bool{}
	for i := range n {
		a, name := at(i)
		getKeyed(ix.blocks, blockKey(ModulePath(a.Module), a.Mode, a.Type, a.Name)).add(a.Key, name)
		for i := range a.Module {
			child := ModulePath(a.Module[:i+1])
			if seenMod[child] {
				continue
			}
			seenMod[child] = true
			getKeyed(ix.modules, ModulePath(a.Module[:i])+"\x00"+a.Module[i].Name).add(a.Module[i].Key, a.Module[:i+1])
		}
	}
	for _, k := range ix.modules {
		slices.SortFunc(k.all, func(a, b []ModuleStep) int { return strings.Compare(ModulePath(a), ModulePath(b)) })
	}
	return ix
}

// Pick is how a group of references to one block chooses its instances:
// the references' static keys name those instances; with none, the
// instance with the referring instance's own key (self) when perKey (the
// x.y[count.index] and x.y[each.key] patterns), else every instance.
type Pick struct {
	Keys   []Key // the keys of the references; nil entries have none
	Self   Key
	PerKey bool
}

// Resource returns the instances of a resource block in module instance
// mod that a group of references picks.
func (ix *Instances) Resource(mod []ModuleStep, mode Mode, typ, name string, p Pick) Resolution {
	addrs, exact := pick(ix.blocks[blockKey(ModulePath(mod), mode, typ, name)], p)
	return Resolution{Addrs: addrs, Exact: exact}
}

// Calls returns the instances of module call name in module instance mod
// that a group of references picks, as module paths, and whether exactly
// one was named.
func (ix *Instances) Calls(mod []ModuleStep, name string, p Pick) ([][]ModuleStep, bool) {
	return pick(ix.modules[ModulePath(mod)+"\x00"+name], p)
}

func staticKeys(keys []Key) []Key {
	var out []Key
	for _, k := range keys {
		if k != nil && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// pick chooses the instances a Pick names (see Pick), and whether it names
// exactly one: one static key found, the referring instance's own, or the
// single instance of a block without instance keys.
func pick[T any](k *keyed[T], p Pick) ([]T, bool) {
	if k == nil {
		return nil, false
	}
	if want := staticKeys(p.Keys); len(want) > 0 {
		var out []T
		for _, w := range want {
			if x, ok := k.at(w); ok {
				out = append(out, x)
			}
		}
		return out, len(out) == 1
	}
	if p.PerKey && p.Self != nil {
		if x, ok := k.at(p.Self); ok {
			return []T{x}, true
		}
	}
	return slices.Clip(k.all), len(k.all) == 1 && len(k.byKey) == 0
}
