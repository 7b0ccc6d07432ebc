package plan

import (
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// resolver turns the references of configuration expressions into the
// addresses of resource instances in the graph: the edges. Which instances
// a reference picks is scanner's decision (scanner.Instances); what is
// particular to a plan is followed here: a reference to a module output
// goes through the output's expression into the child module, and a
// reference to a module variable through the calling module block's
// argument into the parent module.
type resolver struct {
	cfg  map[string]*configModule // by call path without keys ("" root, "a.b")
	ix   *scanner.Instances
	memo map[string]resolved // resolved outputs and variables; empty while in progress
}

// resolved is what an expression's references resolve to: the sorted
// addresses of the instances, and whether the value may also be something
// none of them gives (Attr.RefsOpen): a reference names a value that is no
// resource instance of the plan (a root module variable, a local, which a
// plan's references do not follow, a module argument or output that
// refers to no resource, a resource the plan does not hold).
type resolved struct {
	addrs []string
	open  bool
}

// scope is where an expression is evaluated: the module instance, and the
// instance key and for_each references of the resource or module call the
// expression belongs to.
type scope struct {
	mod     []scanner.ModuleStep
	key     scanner.Key
	forEach []string
}

// newResolver indexes the instances (sorted by address).
func newResolver(cfg map[string]*configModule, insts []*instance) *resolver {
	ix := scanner.NewInstances(len(insts), func(i int) (scanner.Address, string) { return insts[i].addr, insts[i].address })
	return &resolver{cfg: cfg, ix: ix, memo: map[string]resolved{}}
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

// refGroup gathers the references of one expression to one resource block
// or module call: the block, the keys of the references (nil for one
// without a static key), and the module outputs named.
type refGroup struct {
	mode    scanner.Mode
	typ     string
	name    string
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
//
// The set is open when a reference names something that gives no instance
// (see resolved); count.*, each.*, path.*, terraform.* and self name the
// referring instance's own context and keep it closed.
func (rv *resolver) resolve(sc scope, refs []string) resolved {
	if len(refs) == 0 {
		return resolved{}
	}
	open := false
	perKey := usesInstanceKey(refs)
	if usesEachValue(refs) {
		refs = append(append([]string(nil), refs...), sc.forEach...)
	}
	resources := map[string]*refGroup{}
	modules := map[string]*refGroup{}
	var vars []string
	for _, ref := range refs {
		steps, ok := scanner.ParseSteps(ref)
		if !ok || len(steps) < 2 {
			continue
		}
		switch steps[0].Name {
		case "var":
			vars = append(vars, steps[1].Name)
		case "local":
			open = true
		case "module":
			g := group(modules, steps[1].Name, scanner.Managed, "", steps[1].Name)
			g.keys = append(g.keys, steps[1].Key)
			if len(steps) > 2 {
				g.outputs[steps[2].Name] = true
			}
		case "data":
			if len(steps) > 2 {
				g := group(resources, resourceKey(true, steps[1].Name, steps[2].Name), scanner.Data, steps[1].Name, steps[2].Name)
				g.keys = append(g.keys, steps[2].Key)
			}
		case "count", "each", "path", "terraform", "self":
		default:
			g := group(resources, resourceKey(false, steps[0].Name, steps[1].Name), scanner.Managed, steps[0].Name, steps[1].Name)
			g.keys = append(g.keys, steps[1].Key)
		}
	}
	out := map[string]bool{}
	add := func(r resolved) {
		for _, a := range r.addrs {
			out[a] = true
		}
		open = open || r.open || len(r.addrs) == 0
	}
	for _, g := range resources {
		add(resolved{addrs: rv.ix.Resource(sc.mod, g.mode, g.typ, g.name, scanner.Pick{Keys: g.keys, Self: sc.key, PerKey: perKey}).Addrs})
	}
	for _, g := range modules {
		children, _ := rv.ix.Calls(sc.mod, g.name, scanner.Pick{Keys: g.keys, Self: sc.key, PerKey: perKey})
		if len(children) == 0 {
			open = true
		}
		for _, child := range children {
			add(rv.outputs(child, g.outputs))
		}
	}
	for _, v := range vars {
		add(rv.variable(sc.mod, v))
	}
	return resolved{addrs: sortedSet(out), open: open}
}

func group(m map[string]*refGroup, k string, mode scanner.Mode, typ, name string) *refGroup {
	g := m[k]
	if g == nil {
		g = &refGroup{mode: mode, typ: typ, name: name, outputs: map[string]bool{}}
		m[k] = g
	}
	return g
}

// outputs resolves the named outputs of a module instance, or all of them
// when none is named (the whole module object was referenced).
func (rv *resolver) outputs(child []scanner.ModuleStep, names map[string]bool) resolved {
	m := rv.cfg[staticPath(child)]
	if m == nil {
		return resolved{}
	}
	var list []string
	for name := range m.Outputs {
		if len(names) == 0 || names[name] {
			list = append(list, name)
		}
	}
	sort.Strings(list)
	out := map[string]bool{}
	open := len(list) == 0
	for _, name := range list {
		key := "output\x00" + scanner.ModulePath(child) + "\x00" + name
		res, done := rv.memo[key]
		if !done {
			rv.memo[key] = resolved{} // a cycle resolves to nothing
			if o := m.Outputs[name]; o != nil {
				res = rv.resolve(scope{mod: child}, o.Expression.allRefs())
			}
			rv.memo[key] = res
		}
		for _, a := range res.addrs {
			out[a] = true
		}
		open = open || res.open || len(res.addrs) == 0
	}
	return resolved{addrs: sortedSet(out), open: open}
}

// variable resolves var.name inside a module instance through the argument
// of its module call. Root module variables reference nothing.
func (rv *resolver) variable(mod []scanner.ModuleStep, name string) resolved {
	if len(mod) == 0 {
		return resolved{}
	}
	key := "var\x00" + scanner.ModulePath(mod) + "\x00" + name
	if res, done := rv.memo[key]; done {
		return res
	}
	rv.memo[key] = resolved{}
	parent, call := mod[:len(mod)-1], mod[len(mod)-1]
	var res resolved
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
