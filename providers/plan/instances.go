package plan

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/casascan/casascan/scanner"
	tfjson "github.com/hashicorp/terraform-json"
)

// instance is one resource instance of the file, before its body is built.
type instance struct {
	addr      scanner.Address
	address   string         // addr.String(), the graph's key
	values    map[string]any // planned (or, for a state, current) values
	unknown   any            // change.after_unknown
	sensitive any            // sensitive_values joined with change.after_sensitive
	// allSensitive is set when a mask cannot be read: every value of the
	// instance is then treated as sensitive (fail closed).
	allSensitive bool
}

// instances lists the resource instances of a plan or state, sorted by
// address, and diagnostics for entries that cannot be read.
//
// A plan's instances are those of planned_values (resources being deleted
// are not there, as in Terraform's own output), with their after_unknown and
// after_sensitive from resource_changes; a change missing from
// planned_values (hand-written or older files) is taken from its "after";
// and the data sources read while planning, which Terraform keeps only in
// prior_state.
func (d *document) instances(file string) ([]*instance, []scanner.Diagnostic) {
	c := collector{seen: map[string]*instance{}, doc: d, file: file, secret: d.sensitiveStrings()}
	normalize := c.normalize
	if !d.isPlan() {
		if d.Values != nil {
			c.module(d.Values.RootModule, 0)
		}
		for _, sk := range d.rawSkipped {
			sk.Severity, sk.File, sk.Skipped = scanner.DiagError, file, true
			sk.Subject, sk.Detail = c.hide(sk.Subject), c.hide(sk.Detail)
			c.diags = append(c.diags, sk)
		}
		return c.sorted(), c.diags
	}
	changes := map[string]*tfjson.ResourceChange{}
	for _, rc := range d.ResourceChanges {
		if rc != nil && rc.Change != nil && rc.DeposedKey == "" {
			changes[normalize(rc.Address)] = rc
		}
	}
	if d.PlannedValues != nil {
		c.module(d.PlannedValues.RootModule, 0)
	}
	for _, rc := range d.ResourceChanges {
		if rc == nil || rc.Change == nil || rc.DeposedKey != "" || c.seen[normalize(rc.Address)] != nil {
			continue
		}
		if after, ok := rc.Change.After.(map[string]any); ok {
			c.add(rc.Address, after, nil)
		}
	}
	if d.PriorState != nil && d.PriorState.Values != nil {
		c.dataOnly = true
		c.module(d.PriorState.Values.RootModule, 0)
	}
	for addr, inst := range c.seen {
		if rc := changes[addr]; rc != nil {
			inst.unknown = rc.Change.AfterUnknown
			inst.sensitive = mergeMasks(inst.sensitive, rc.Change.AfterSensitive)
			if !validMask(rc.Change.AfterSensitive, 0) {
				inst.allSensitive = true
			}
		}
	}
	return c.sorted(), c.diags
}

// collector gathers instances, the first of each address.
type collector struct {
	seen     map[string]*instance
	diags    []scanner.Diagnostic
	dataOnly bool // prior_state: only data sources
	// secret holds the values of the root module's sensitive variables:
	// an instance key equal to one is shown as scanner.RedactedKey.
	secret  map[string]bool
	doc     *document
	file    string // the plan file, relative to the root, for diagnostics
	located int    // how many records were looked for in the file
}

func (c *collector) module(m *tfjson.StateModule, depth int) {
	if m == nil || depth > maxModuleDepth {
		return
	}
	for _, r := range m.Resources {
		if r == nil || c.seen[c.normalize(r.Address)] != nil {
			continue
		}
		if c.dataOnly && r.Mode != tfjson.DataResourceMode {
			if a, err := scanner.ParseAddress(r.Address); err != nil || a.Mode != scanner.Data {
				continue
			}
		}
		var sens any
		unreadable := false
		if len(r.SensitiveValues) > 0 {
			// A mask that cannot be read marks everything: fail closed.
			unreadable = json.Unmarshal(r.SensitiveValues, &sens) != nil || !validMask(sens, 0)
		}
		if inst := c.add(r.Address, r.AttributeValues, sens); inst != nil && unreadable {
			inst.allSensitive = true
		}
	}
	for _, child := range m.ChildModules {
		c.module(child, depth+1)
	}
}

func (c *collector) add(address string, values map[string]any, sensitive any) *instance {
	addr, err := c.parse(address)
	if err != nil {
		d := scanner.Diagnostic{Severity: scanner.DiagError, File: c.file,
			Summary: "resource address cannot be read; the resource is not scanned", Detail: c.hide(err.Error()), Subject: c.hide(address), Skipped: true}
		if c.located < maxLocated {
			c.located++
			d.Line = c.doc.lineOf(address)
		}
		c.diags = append(c.diags, d)
		return nil
	}
	inst := &instance{addr: addr, address: addr.String(), values: values, sensitive: sensitive}
	c.seen[addr.String()] = inst
	return inst
}

// validMask reports whether a sensitivity mask has the shape Terraform
// writes: absent, a bool, or objects and arrays of those, no deeper than
// maxValueDepth. Anything else cannot be read.
func validMask(mask any, depth int) bool {
	if depth > maxValueDepth {
		return false
	}
	switch m := mask.(type) {
	case nil, bool:
		return true
	case map[string]any:
		for _, v := range m {
			if !validMask(v, depth+1) {
				return false
			}
		}
		return true
	case []any:
		for _, v := range m {
			if !validMask(v, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// normalize renders an address as the graph writes it, so the same instance
// written two ways in one file is one resource.
func (c *collector) normalize(address string) string {
	if a, err := c.parse(address); err == nil {
		return a.String()
	}
	return address
}

// parse reads an address, with every instance key that is the value of a
// sensitive variable replaced by its scanner.RedactedKey: Terraform refuses
// such keys in a configuration, but a plan file may hold them, and no
// address casascan prints may show one.
func (c *collector) parse(address string) (scanner.Address, error) {
	a, err := scanner.ParseAddress(address)
	if err != nil || len(c.secret) == 0 {
		return a, err
	}
	hide := func(k scanner.Key) scanner.Key {
		if s, ok := k.(scanner.StringKey); ok && c.secret[string(s)] {
			return scanner.StringKey(scanner.RedactedKey(string(s)))
		}
		return k
	}
	if len(a.Module) > 0 {
		a.Module = append([]scanner.ModuleStep(nil), a.Module...)
		for i := range a.Module {
			a.Module[i].Key = hide(a.Module[i].Key)
		}
	}
	a.Key = hide(a.Key)
	return a, nil
}

// hide replaces the values of sensitive variables in a text.
func (c *collector) hide(s string) string {
	for v := range c.secret {
		if v != "" && strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, scanner.Redacted)
		}
	}
	return s
}

// sensitiveStrings are the strings a plan's sensitive root variables hold
// (declared sensitive in its configuration): the value itself, and the keys
// and elements of a collection, at any depth.
func (d *document) sensitiveStrings() map[string]bool {
	if d.Configuration == nil || d.Configuration.RootModule == nil {
		return nil
	}
	out := map[string]bool{}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > maxModuleDepth {
			return
		}
		switch x := v.(type) {
		case string:
			out[x] = true
		case json.Number:
			out[x.String()] = true
		case bool:
			out[strconv.FormatBool(x)] = true
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		case map[string]any:
			for k, e := range x {
				out[k] = true
				walk(e, depth+1)
			}
		}
	}
	for name, cv := range d.Configuration.RootModule.Variables {
		if cv == nil || !cv.Sensitive {
			continue
		}
		if pv := d.Variables[name]; pv != nil {
			walk(pv.Value, 0)
		}
	}
	return out
}

func (c *collector) sorted() []*instance {
	out := make([]*instance, 0, len(c.seen))
	for _, inst := range c.seen {
		out = append(out, inst)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].address < out[j].address })
	return out
}
