package plan

import (
	"encoding/json"
	"sort"

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
	c := collector{seen: map[string]*instance{}, doc: d, file: file}
	if !d.isPlan() {
		if d.Values != nil {
			c.module(d.Values.RootModule, 0)
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
	doc      *document
	file     string // the plan file, relative to the root, for diagnostics
	located  int    // how many records were looked for in the file
}

func (c *collector) module(m *tfjson.StateModule, depth int) {
	if m == nil || depth > maxModuleDepth {
		return
	}
	for _, r := range m.Resources {
		if r == nil || c.seen[normalize(r.Address)] != nil {
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
	addr, err := scanner.ParseAddress(address)
	if err != nil {
		d := scanner.Diagnostic{Severity: scanner.DiagError, File: c.file,
			Summary: "resource address cannot be read; the resource is not scanned", Detail: err.Error(), Subject: address, Skipped: true}
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
func normalize(address string) string {
	if a, err := scanner.ParseAddress(address); err == nil {
		return a.String()
	}
	return address
}

func (c *collector) sorted() []*instance {
	out := make([]*instance, 0, len(c.seen))
	for _, inst := range c.seen {
		out = append(out, inst)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].address < out[j].address })
	return out
}
