package plan

import (
	"sort"
	"strconv"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// resolver turns the references of configuration expressions into the
// addresses of resource instances in the graph: the edges. A reference to a
// module output is followed through the output's expression into the child
// module; a reference to a module variable is followed through the calling
// module block's argument into the parent module.
type resolver struct {
	cfg       map[string]*configModule     // by call path without keys ("" root, "a.b")
	instances map[string]*keyed[*instance] // module instance + "\x00" + resourceKey → its instances
	modules   map[string]*keyed[modInst]   // module instance + "\x00" + call name → child instances
	memo      map[string][]string          // resolved outputs and variables; nil while in progress
}

// keyed holds the instances of one resource or module call, in order and
// by instance key, so picking one instance costs a lookup, not a scan.
type keyed[T any] struct {
	all   []T
	byKey map[string]T
}

func (k *keyed[T]) add(key scanner.Key, x T) {
	k.all = append(k.all, x)
	if key != nil {
		k.byKey[key.String()] = x
	}
}

// modInst is one module instance.
type modInst struct {
	path  string // module.a["x"].module.b
	steps []scanner.ModuleStep
}

// scope is where an expression is evaluated: the module instance, and the
// instance key and for_each references of the resource or module call the
// expression belongs to.
type scope struct {
	mod     []scanner.ModuleStep
	key     scanner.Key
	forEach []string
}

// newResolver indexes the instances (sorted by address) by module instance
// and resource, and the module instances by parent and call.
func newResolver(cfg map[string]*configModule, insts []*instance) *resolver {
	rv := &resolver{cfg: cfg, instances: map[string]*keyed[*instance]{}, modules: map[string]*keyed[modInst]{}, memo: map[string][]string{}}
	seenMod := map[string]bool{}
	for _, inst := range insts {
		a := inst.addr
		k := scanner.ModulePath(a.Module) + "\x00" + resourceKey(a.Mode == scanner.Data, a.Type, a.Name)
		getKeyed(rv.instances, k).add(a.Key, inst)
		for i := range a.Module {
			child := scanner.ModulePath(a.Module[:i+1])
			if seenMod[child] {
				continue
			}
			seenMod[child] = true
			pk := scanner.ModulePath(a.Module[:i]) + "\x00" + a.Module[i].Name
			getKeyed(rv.modules, pk).add(a.Module[i].Key, modInst{path: child, steps: a.Module[:i+1]})
		}
	}
	for _, k := range rv.modules {
		sort.Slice(k.all, func(i, j int) bool { return k.all[i].path < k.all[j].path })
	}
	return rv
}

func getKeyed[T any](m map[string]*keyed[T], k string) *keyed[T] {
	x := m[k]
	if x == nil {
		x = &keyed[T]{byKey: map[string]T{}}
		m[k] = x
	}
	return x
}

// staticPath is a module instance's call path without keys: the key of its
// configuration.
func staticPath(steps []scanner.ModuleStep) string {
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.Name
	}
	return strings.Join(names, ".")
}

// refGroup gathers the references of one expression to one resource or
// module call: the static instance keys named, and whether any reference
// names no key.
type refGroup struct {
	keys    []scanner.Key
	outputs map[string]bool // module outputs named
}

// resolve returns the sorted addresses that refs (as Terraform lists them)
// point to from sc.
//
// A reference with a static index ("x.y[0]") goes to that instance only. A
// reference without one goes to every instance of the resource, except when
// the expression also uses count.index or each.* and the resource has an
// instance with the referring instance's own key: that is the
// x.y[count.index] pattern, and it goes to that instance. An expression
// using each.value also follows the references of the for_each expression
// (for_each = google_kms_crypto_key.k with each.value.id).
func (rv *resolver) resolve(sc scope, refs []string) []string {
	if len(refs) == 0 {
		return nil
	}
	perKey := usesInstanceKey(refs)
	if usesEachValue(refs) {
		refs = append(append([]string(nil), refs...), sc.forEach...)
	}
	resources := map[string]*refGroup{}
	modules := map[string]*refGroup{}
	var vars []string
	for _, ref := range refs {
		steps, ok := parseRef(ref)
		if !ok || len(steps) < 2 {
			continue
		}
		switch steps[0].name {
		case "var":
			vars = append(vars, steps[1].name)
		case "module":
			g := group(modules, steps[1].name)
			g.keys = append(g.keys, steps[1].key)
			if len(steps) > 2 {
				g.outputs[steps[2].name] = true
			}
		case "data":
			if len(steps) > 2 {
				g := group(resources, resourceKey(true, steps[1].name, steps[2].name))
				g.keys = append(g.keys, steps[2].key)
			}
		case "local", "count", "each", "path", "terraform", "self":
		default:
			g := group(resources, resourceKey(false, steps[0].name, steps[1].name))
			g.keys = append(g.keys, steps[1].key)
		}
	}
	out := map[string]bool{}
	modPath := scanner.ModulePath(sc.mod)
	for rk, g := range resources {
		for _, inst := range pickKeys(rv.instances[modPath+"\x00"+rk], g.keys, sc.key, perKey) {
			out[inst.address] = true
		}
	}
	for name, g := range modules {
		for _, child := range pickKeys(rv.modules[modPath+"\x00"+name], g.keys, sc.key, perKey) {
			for _, a := range rv.outputs(child, g.outputs) {
				out[a] = true
			}
		}
	}
	for _, v := range vars {
		for _, a := range rv.variable(sc.mod, v) {
			out[a] = true
		}
	}
	return sortedSet(out)
}

func group(m map[string]*refGroup, k string) *refGroup {
	g := m[k]
	if g == nil {
		g = &refGroup{outputs: map[string]bool{}}
		m[k] = g
	}
	return g
}

// pickKeys chooses the instances a group of references goes to (see
// resolve).
func pickKeys[T any](k *keyed[T], keys []scanner.Key, self scanner.Key, perKey bool) []T {
	if k == nil {
		return nil
	}
	var want []string
	for _, key := range keys {
		if key != nil {
			want = append(want, key.String())
		}
	}
	if len(want) == 0 {
		if x, ok := k.byKey[keyString(self)]; ok && perKey && self != nil {
			return []T{x}
		}
		return k.all
	}
	var out []T
	for _, w := range want {
		if x, ok := k.byKey[w]; ok {
			out = append(out, x)
		}
	}
	return out
}

func keyString(k scanner.Key) string {
	if k == nil {
		return ""
	}
	return k.String()
}

// outputs resolves the named outputs of a module instance, or all of them
// when none is named (the whole module object was referenced).
func (rv *resolver) outputs(child modInst, names map[string]bool) []string {
	m := rv.cfg[staticPath(child.steps)]
	if m == nil {
		return nil
	}
	var list []string
	for name := range m.Outputs {
		if len(names) == 0 || names[name] {
			list = append(list, name)
		}
	}
	sort.Strings(list)
	out := map[string]bool{}
	for _, name := range list {
		key := "output\x00" + child.path + "\x00" + name
		res, done := rv.memo[key]
		if !done {
			rv.memo[key] = nil // a cycle resolves to nothing
			if o := m.Outputs[name]; o != nil {
				res = rv.resolve(scope{mod: child.steps}, o.Expression.allRefs())
			}
			rv.memo[key] = res
		}
		for _, a := range res {
			out[a] = true
		}
	}
	return sortedSet(out)
}

// variable resolves var.name inside a module instance through the argument
// of its module call. Root module variables reference nothing.
func (rv *resolver) variable(mod []scanner.ModuleStep, name string) []string {
	if len(mod) == 0 {
		return nil
	}
	key := "var\x00" + scanner.ModulePath(mod) + "\x00" + name
	if res, done := rv.memo[key]; done {
		return res
	}
	rv.memo[key] = nil
	parent, call := mod[:len(mod)-1], mod[len(mod)-1]
	var res []string
	if pm := rv.cfg[staticPath(parent)]; pm != nil {
		if mc := pm.ModuleCalls[call.Name]; mc != nil {
			sc := scope{mod: parent, key: call.Key, forEach: mc.ForEach.allRefs()}
			res = rv.resolve(sc, mc.Expressions[name].allRefs())
		}
	}
	rv.memo[key] = res
	return res
}

func sortedSet(set map[string]bool) []string {
	if len(set) == 0 {
		return nil
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// refStep is one step of a reference: a name and the first static index
// after it, if any.
type refStep struct {
	name string
	key  scanner.Key
}

// parseRef splits a reference as Terraform writes it in the configuration
// (module.kms["a"].key_id, google_kms_crypto_key.k[0].id) into steps.
func parseRef(s string) ([]refStep, bool) {
	var out []refStep
	for s != "" {
		end := strings.IndexAny(s, ".[")
		if end == 0 {
			return nil, false
		}
		step := refStep{name: s}
		if end > 0 {
			step.name, s = s[:end], s[end:]
		} else {
			s = ""
		}
		for first := true; strings.HasPrefix(s, "["); first = false {
			k, rest, ok := parseIndex(s)
			if !ok {
				return nil, false
			}
			if first {
				step.key = k
			}
			s = rest
		}
		out = append(out, step)
		if s == "" {
			break
		}
		if s[0] != '.' || len(s) == 1 {
			return nil, false
		}
		s = s[1:]
	}
	return out, len(out) > 0
}

// parseIndex reads [0] or ["key"] at the start of s. An index that is
// neither an integer nor a quoted string reads as no key.
func parseIndex(s string) (scanner.Key, string, bool) {
	if strings.HasPrefix(s, `["`) {
		q, err := strconv.QuotedPrefix(s[1:])
		if err != nil {
			return nil, "", false
		}
		v, err := strconv.Unquote(q)
		rest := s[1+len(q):]
		if err != nil || !strings.HasPrefix(rest, "]") {
			return nil, "", false
		}
		return scanner.StringKey(v), rest[1:], true
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return nil, "", false
	}
	if n, err := strconv.Atoi(s[1:end]); err == nil {
		return scanner.IntKey(n), s[end+1:], true
	}
	return nil, s[end+1:], true
}
