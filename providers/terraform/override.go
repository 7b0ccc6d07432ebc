package terraform

import (
	"path/filepath"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
)

// isOverrideFile tells Terraform's override files (override.tf,
// *_override.tf and their .tf.json forms), which are merged into the
// blocks they name after every other file is read.
func isOverrideFile(path string) bool {
	name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".json"), ".tf")
	return name == "override" || strings.HasSuffix(name, "_override")
}

// applyOverride merges one block of an override file into the block it
// names, as Terraform does: its arguments replace the original's, and its
// nested blocks replace every nested block of the same type.
func (m *module) applyOverride(blk *hcl.Block) hcl.Diagnostics {
	missing := func(what string) hcl.Diagnostics {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "missing base " + what + " for override",
			Detail: "an override file can only change a block declared in another file", Subject: blk.DefRange.Ptr()}}
	}
	switch blk.Type {
	case "resource", "data":
		key := blk.Labels[0] + "." + blk.Labels[1]
		if blk.Type == "data" {
			key = "data." + key
		}
		r := m.resByKey[key]
		if r == nil {
			return missing(blk.Type + " " + key)
		}
		c, _, diags := blk.Body.PartialContent(metaSchema)
		if a := c.Attributes["count"]; a != nil {
			r.count = a.Expr
		}
		if a := c.Attributes["for_each"]; a != nil {
			r.forEach = a.Expr
		}
		r.overrides = append(r.overrides, blk.Body)
		return diags
	case "variable":
		v := m.vars[blk.Labels[0]]
		if v == nil {
			return missing("variable " + blk.Labels[0])
		}
		o, diags := decodeVariable(blk)
		c, _, _ := blk.Body.PartialContent(variableSchema)
		if c.Attributes["type"] != nil {
			v.ty, v.defaults = o.ty, o.defaults
		}
		if c.Attributes["default"] != nil {
			v.def = o.def
		}
		if c.Attributes["sensitive"] != nil {
			v.sensitive = o.sensitive
		}
		if c.Attributes["nullable"] != nil {
			v.nullable = o.nullable
		}
		return diags
	case "locals":
		attrs, diags := blk.Body.JustAttributes()
		for name, a := range attrs {
			m.locals[name] = a
		}
		return diags
	case "output":
		if m.outputs[blk.Labels[0]] == nil {
			return missing("output " + blk.Labels[0])
		}
		c, _, diags := blk.Body.PartialContent(outputSchema)
		if a := c.Attributes["value"]; a != nil {
			m.outputs[blk.Labels[0]] = a
		}
		return append(diags, m.outputSensitive(blk.Labels[0], c.Attributes["sensitive"])...)
	case "module":
		call := m.callByKey[blk.Labels[0]]
		if call == nil {
			return missing("module " + blk.Labels[0])
		}
		o, diags := decodeCall(blk)
		if o.source != "" {
			call.source = o.source
		}
		if o.count != nil {
			call.count = o.count
		}
		if o.forEach != nil {
			call.forEach = o.forEach
		}
		for name, a := range o.inputs {
			call.inputs[name] = a
		}
		return diags
	}
	return nil
}

// mergeOverride applies an override body, converted, onto a base body.
func mergeOverride(base, over *scanner.Body) {
	for name, a := range over.Attrs {
		base.Attrs[name] = a
	}
	replaced := map[string]bool{}
	for _, b := range over.Blocks {
		replaced[b.Type] = true
	}
	kept := base.Blocks[:0]
	for _, b := range base.Blocks {
		if !replaced[b.Type] {
			kept = append(kept, b)
		}
	}
	base.Blocks = append(kept, over.Blocks...)
}
