package plan

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// configuration is the "configuration" section of a plan: the modules as
// written, with each expression reduced to its constant value or the
// references it makes. It is where the graph's edges come from.
type configuration struct {
	RootModule *configModule `json:"root_module"`
}

type configModule struct {
	Outputs     map[string]*configOutput `json:"outputs"`
	Variables   map[string]*configVar    `json:"variables"`
	Resources   []*configResource        `json:"resources"`
	ModuleCalls map[string]*moduleCall   `json:"module_calls"`

	byName map[string]*configResource // resourceKey → resource, built by index
}

// configVar is a declared variable; only whether it is sensitive matters.
type configVar struct {
	Sensitive bool `json:"sensitive"`
}

type configOutput struct {
	Expression *expr `json:"expression"`
}

type configResource struct {
	Address     string           `json:"address"`
	Mode        string           `json:"mode"`
	Type        string           `json:"type"`
	Name        string           `json:"name"`
	Expressions map[string]*expr `json:"expressions"`
	ForEach     *expr            `json:"for_each_expression"`
	Count       *expr            `json:"count_expression"`
}

type moduleCall struct {
	Source      string           `json:"source"`
	Expressions map[string]*expr `json:"expressions"`
	ForEach     *expr            `json:"for_each_expression"`
	Count       *expr            `json:"count_expression"`
	Module      *configModule    `json:"module"`
}

// resourceKey identifies a resource block within one module.
func resourceKey(data bool, typ, name string) string {
	if data {
		return "data." + typ + "." + name
	}
	return typ + "." + name
}

// index maps every module of the configuration by its call path without
// instance keys ("" for the root, "a.b" for module.a's call of b), and each
// module's resources by type and name. Module nesting deeper than
// maxModuleDepth is not followed (a malformed file could nest without end).
func (c *configuration) index() map[string]*configModule {
	out := map[string]*configModule{}
	if c == nil || c.RootModule == nil {
		return out
	}
	var walk func(path string, m *configModule, depth int)
	walk = func(path string, m *configModule, depth int) {
		if m == nil || depth > maxModuleDepth {
			return
		}
		out[path] = m
		m.byName = map[string]*configResource{}
		for _, r := range m.Resources {
			if r != nil {
				m.byName[resourceKey(r.Mode == "data", r.Type, r.Name)] = r
			}
		}
		for name, call := range m.ModuleCalls {
			if call != nil {
				walk(joinPath(path, name), call.Module, depth+1)
			}
		}
	}
	walk("", c.RootModule, 0)
	return out
}

func joinPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// maxModuleDepth bounds module nesting, as Terraform's own loader does.
const maxModuleDepth = 32

// expr is one expression of the configuration: an attribute's value as a
// constant, or the references it makes; or, for a nested block type, the
// expressions of each block in order.
type expr struct {
	Constant bool     // a constant_value was given: a literal written in the configuration
	Refs     []string // as Terraform lists them: "google_kms_crypto_key.k.id", "google_kms_crypto_key.k"
	Blocks   []map[string]*expr
}

// UnmarshalJSON reads the three shapes Terraform writes: an expression
// object ({"constant_value": …} or {"references": […]}), an array of block
// bodies (list and set nesting) and a single block body (single, group and
// map nesting, the last keyed by label). A body is told from an expression
// by its keys.
func (e *expr) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		return nil
	case b[0] == '[':
		return json.Unmarshal(b, &e.Blocks)
	case b[0] != '{':
		return nil // not an expression; nothing to learn from it
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if isLeaf(m) {
		if raw, ok := m["references"]; ok {
			if err := json.Unmarshal(raw, &e.Refs); err != nil {
				return err
			}
		}
		_, e.Constant = m["constant_value"]
		return nil
	}
	body := map[string]*expr{}
	for k, raw := range m {
		var sub expr
		if err := sub.UnmarshalJSON(raw); err != nil {
			return err
		}
		body[k] = &sub
	}
	e.Blocks = []map[string]*expr{body}
	return nil
}

// isLeaf reports whether an object is an expression rather than a block
// body: it has no keys but constant_value and references.
func isLeaf(m map[string]json.RawMessage) bool {
	for k := range m {
		if k != "constant_value" && k != "references" {
			return false
		}
	}
	return true
}

// literal reports whether the expression is a constant written in the
// configuration (no reference to anything).
func (e *expr) literal() bool {
	return e != nil && e.Constant && len(e.Refs) == 0 && len(e.Blocks) == 0
}

// allRefs lists the references of the expression and, for a block type,
// of every attribute of its blocks, sorted and without repeats.
func (e *expr) allRefs() []string {
	if e == nil {
		return nil
	}
	seen := map[string]bool{}
	var walk func(x *expr, depth int)
	walk = func(x *expr, depth int) {
		if x == nil || depth > maxModuleDepth {
			return
		}
		for _, r := range x.Refs {
			seen[r] = true
		}
		for _, blk := range x.Blocks {
			for _, sub := range blk {
				walk(sub, depth+1)
			}
		}
	}
	walk(e, 0)
	out := make([]string, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// usesInstanceKey reports whether references name count.index or each.*:
// the value then differs per instance, and a reference to another counted
// resource without a static index most likely means the same instance key.
func usesInstanceKey(refs []string) bool {
	for _, r := range refs {
		if r == "count.index" || strings.HasPrefix(r, "each.") {
			return true
		}
	}
	return false
}

// usesEachValue reports whether references name each.value, whose value
// comes from the for_each expression.
func usesEachValue(refs []string) bool {
	for _, r := range refs {
		if r == "each.value" || strings.HasPrefix(r, "each.value.") || strings.HasPrefix(r, "each.value[") {
			return true
		}
	}
	return false
}
