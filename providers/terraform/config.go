package terraform

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// module is one module source directory, parsed once however many instances
// of it the configuration has.
type module struct {
	dir       string // absolute
	vars      map[string]*varDecl
	locals    map[string]*hcl.Attribute
	outputs   map[string]*hcl.Attribute
	resources []*resDecl
	resByKey  map[string]*resDecl // "type.name" or "data.type.name"
	calls     []*callDecl
	callByKey map[string]*callDecl
	// accessed lists, per "type.name" or "data.type.name", the attribute
	// names other expressions read from it, so a computed attribute such as
	// id reads as unknown instead of failing for want of a schema.
	accessed map[string]map[string]bool
	// calledFuncs are the functions the module's native-syntax files call,
	// with where, so an unsupported one is reported once per call site.
	calledFuncs map[string][]hcl.Range
	// exprVars holds the traversals of every attribute expression of the
	// native-syntax files, computed once when the module is built.
	exprVars map[hcl.Expression][]hcl.Traversal
	// attrOrder holds each native-syntax body's attribute names, sorted.
	attrOrder map[*hclsyntax.Body][]string
	// dynamics holds each native-syntax dynamic block's decoded body.
	dynamics map[*hclsyntax.Body]decodedDynamic
	// metered are the nodes instrument wraps in the budget's functions,
	// found by the walk that records traversals (visit).
	metered []hclsyntax.Node

	// sensitiveOutputs are the outputs declared sensitive = true: their
	// value is sensitive for the caller, whatever it is made of.
	sensitiveOutputs map[string]bool
	// ephemerals are the ephemeral resources (Terraform 1.10+) by
	// "type.name": never persisted, so never in the graph, and every value
	// read from one is unknown and sensitive.
	ephemerals map[string]*resDecl
}

type varDecl struct {
	name      string
	def       hcl.Expression
	ty        cty.Type
	defaults  *typeexpr.Defaults
	sensitive bool
	nullable  bool
	rng       hcl.Range
}

type resDecl struct {
	mode     scanner.Mode
	typ      string
	name     string
	body     hcl.Body
	count    hcl.Expression
	forEach  hcl.Expression
	defRange hcl.Range
	rng      hcl.Range
	// overrides are the bodies of override-file blocks for this resource.
	overrides []hcl.Body
	// id is "type.name", or "data.type.name": the key of resByKey.
	id string
	// dup numbers a block that repeats an earlier one's id (Terraform
	// rejects it): it is still evaluated and judged on its own, under the
	// same address, so neither block's findings disappear; references go
	// to the first.
	dup int
	// invalid are the parts of the block Terraform would refuse whatever
	// the values: a block written as an attribute, an argument the block
	// does not take (checkArguments).
	invalid []scanner.Invalid
}

// key identifies the block in the evaluation caches: its id, made unique
// for a duplicate block.
func (r *resDecl) key() string {
	if r.dup > 0 {
		return fmt.Sprintf("%s#%d", r.id, r.dup)
	}
	return r.id
}

type callDecl struct {
	name     string
	source   string
	inputs   map[string]*hcl.Attribute
	count    hcl.Expression
	forEach  hcl.Expression
	defRange hcl.Range
}

var fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "terraform"},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "ephemeral", LabelNames: []string{"type", "name"}},
	{Type: "moved"},
	{Type: "import"},
	{Type: "removed"},
	{Type: "check", LabelNames: []string{"name"}},
}}

var variableSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "type"}, {Name: "default"}, {Name: "sensitive"}, {Name: "nullable"},
}}

var outputSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value"}, {Name: "sensitive"}}}

var metaSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "for_each"}}}

// parsedFile is one configuration file.
type parsedFile struct {
	abs   string
	rel   string // the name ranges carry: relative to Base, forward slashes
	src   []byte
	body  hcl.Body
	diags hcl.Diagnostics
	// unread is set when the file could not be read at all.
	unread bool
	// skipped is set when the file is not parsed at all (preScan).
	skipped *scanner.Diagnostic
}

// configFiles lists a directory's .tf and .tf.json files in lexical order,
// as Terraform reads them, skipping editor backups and override files'
// special merge (override files are read as ordinary files).
func configFiles(tfs *treefs.FS, dir string) ([]string, error) {
	entries, err := tfs.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "#") || strings.HasSuffix(n, "~") {
			continue
		}
		if strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json") {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Strings(out)
	return out, nil
}

// parseFile reads and parses one file of the tree; it is safe to call from
// several goroutines. A file that cannot be read (outside the tree through a
// link, not a regular file, too large) is a diagnostic and an empty body.
func parseFile(tfs *treefs.FS, abs, rel string) *parsedFile {
	pf := &parsedFile{abs: abs, rel: rel}
	src, err := tfs.ReadFile(abs)
	if err != nil {
		pf.diags = hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "cannot read file", Detail: relErr(err).Error(),
			Subject: &hcl.Range{Filename: rel, Start: hcl.InitialPos, End: hcl.InitialPos}}}
		pf.body = hcl.EmptyBody()
		pf.unread = true
		return pf
	}
	if d := preScan(src, rel, strings.HasSuffix(abs, ".json")); d != nil {
		pf.skipped, pf.body = d, hcl.EmptyBody()
		return pf
	}
	pf.src = src
	var f *hcl.File
	if strings.HasSuffix(abs, ".json") {
		f, pf.diags = hcljson.Parse(src, rel)
	} else {
		f, pf.diags = hclsyntax.ParseConfig(src, rel, hcl.InitialPos)
	}
	if f == nil || f.Body == nil {
		pf.body = hcl.EmptyBody()
	} else {
		pf.body = f.Body
	}
	return pf
}

// buildModule assembles a module from its parsed files.
func buildModule(dir string, files []*parsedFile) (*module, hcl.Diagnostics) {
	m := &module{
		dir: dir, vars: map[string]*varDecl{}, locals: map[string]*hcl.Attribute{},
		outputs: map[string]*hcl.Attribute{}, resByKey: map[string]*resDecl{},
		callByKey: map[string]*callDecl{}, accessed: map[string]map[string]bool{}, ephemerals: map[string]*resDecl{},
		calledFuncs: map[string][]hcl.Range{},
	}
	var diags hcl.Diagnostics
	// Ordinary files first, then override files, each set in lexical order.
	for _, override := range []bool{false, true} {
		for _, f := range files {
			if isOverrideFile(f.abs) != override {
				continue
			}
			content, _, d := f.body.PartialContent(fileSchema)
			diags = append(diags, d...)
			if content == nil {
				continue
			}
			for _, blk := range content.Blocks {
				if override {
					diags = append(diags, m.applyOverride(blk)...)
				} else {
					diags = append(diags, m.addBlock(blk)...)
				}
			}
		}
	}
	sort.Slice(m.calls, func(i, j int) bool { return m.calls[i].name < m.calls[j].name })
	m.collectAccessed(files)
	instrumentNodes(m.metered)
	m.metered = nil
	return m, diags
}

func (m *module) addBlock(blk *hcl.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	switch blk.Type {
	case "variable":
		v, d := decodeVariable(blk)
		diags = append(diags, d...)
		if _, dup := m.vars[v.name]; dup {
			return append(diags, dupDiag("variable", v.name, blk.DefRange))
		}
		m.vars[v.name] = v
	case "locals":
		attrs, d := blk.Body.JustAttributes()
		diags = append(diags, d...)
		for name, a := range attrs {
			if _, dup := m.locals[name]; dup {
				diags = append(diags, dupDiag("local value", name, a.NameRange))
				continue
			}
			m.locals[name] = a
		}
	case "output":
		c, _, d := blk.Body.PartialContent(outputSchema)
		diags = append(diags, d...)
		if a := c.Attributes["value"]; a != nil {
			m.outputs[blk.Labels[0]] = a
		}
		diags = append(diags, m.outputSensitive(blk.Labels[0], c.Attributes["sensitive"])...)
	case "resource", "data":
		r := &resDecl{typ: blk.Labels[0], name: blk.Labels[1], body: blk.Body, defRange: blk.DefRange, rng: blockRange(blk)}
		r.id = r.typ + "." + r.name
		if blk.Type == "data" {
			r.mode, r.id = scanner.Data, "data."+r.id
		}
		c, _, d := blk.Body.PartialContent(metaSchema)
		diags = append(diags, d...)
		r.invalid, d = checkArguments(strings.TrimSuffix(r.id, "."+r.name), blk.Body)
		diags = append(diags, d...)
		if a := c.Attributes["count"]; a != nil {
			r.count = a.Expr
		}
		if a := c.Attributes["for_each"]; a != nil {
			r.forEach = a.Expr
		}
		if first, dup := m.resByKey[r.id]; dup {
			// Both blocks are judged: the diagnostic names both places.
			for _, o := range m.resources {
				if o.id == r.id {
					r.dup++
				}
			}
			m.resources = append(m.resources, r)
			return append(diags, &hcl.Diagnostic{Severity: hcl.DiagError,
				Summary: "duplicate " + blk.Type + " " + r.typ + "." + r.name,
				Detail: fmt.Sprintf("also declared at %s:%d; Terraform rejects this, and both blocks are scanned under the one address",
					first.defRange.Filename, first.defRange.Start.Line),
				Subject: blk.DefRange.Ptr()})
		}
		m.resByKey[r.key()] = r
		m.resources = append(m.resources, r)
	case "ephemeral":
		r := &resDecl{typ: blk.Labels[0], name: blk.Labels[1], body: blk.Body, defRange: blk.DefRange, rng: blockRange(blk)}
		r.id = "ephemeral." + r.typ + "." + r.name
		if _, dup := m.ephemerals[r.typ+"."+r.name]; dup {
			return append(diags, dupDiag("ephemeral", r.typ+"."+r.name, blk.DefRange))
		}
		m.ephemerals[r.typ+"."+r.name] = r
	case "module":
		c, d := decodeCall(blk)
		diags = append(diags, d...)
		if _, dup := m.callByKey[c.name]; dup {
			return append(diags, dupDiag("module call", c.name, blk.DefRange))
		}
		m.callByKey[c.name] = c
		m.calls = append(m.calls, c)
	}
	return diags
}

// outputSensitive records an output's sensitive argument, when given. One
// that is not a literal bool is Terraform's error, and the output is then
// treated as sensitive: a secret is never shown for want of a flag.
func (m *module) outputSensitive(name string, a *hcl.Attribute) hcl.Diagnostics {
	if a == nil {
		return nil
	}
	sens, ok := literalBool(a)
	var diags hcl.Diagnostics
	if !ok {
		sens = true
		diags = hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid value for sensitive",
			Detail: "it must be true or false, written literally; the output is treated as sensitive", Subject: a.Expr.Range().Ptr()}}
	}
	if m.sensitiveOutputs == nil {
		m.sensitiveOutputs = map[string]bool{}
	}
	m.sensitiveOutputs[name] = sens
	return diags
}

func decodeVariable(blk *hcl.Block) (*varDecl, hcl.Diagnostics) {
	v := &varDecl{name: blk.Labels[0], ty: cty.DynamicPseudoType, nullable: true, rng: blk.DefRange}
	c, _, diags := blk.Body.PartialContent(variableSchema)
	if a := c.Attributes["type"]; a != nil {
		ty, defaults, d := typeexpr.TypeConstraintWithDefaults(a.Expr)
		diags = append(diags, d...)
		if !d.HasErrors() {
			v.ty, v.defaults = ty, defaults
		}
	}
	if a := c.Attributes["default"]; a != nil {
		v.def = a.Expr
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"nullable", &v.nullable}, {"sensitive", &v.sensitive}} {
		if a := c.Attributes[f.name]; a != nil {
			b, ok := literalBool(a)
			if !ok {
				// Terraform refuses it; a secret is never shown for it.
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid value for " + f.name,
					Detail:  "it must be true or false, written literally; the variable is treated as " + f.name,
					Subject: a.Expr.Range().Ptr()})
				b = true
			}
			*f.dst = b
		}
	}
	return v, diags
}

// literalBool reads an argument that must be a literal true or false.
func literalBool(a *hcl.Attribute) (bool, bool) {
	b, d := a.Expr.Value(nil)
	if d.HasErrors() || !b.IsKnown() || b.IsNull() {
		return false, false
	}
	if b, err := convert.Convert(b, cty.Bool); err == nil && b.IsKnown() && !b.IsNull() {
		return b.True(), true
	}
	return false, false
}

var callMeta = map[string]bool{"source": true, "version": true, "count": true, "for_each": true, "providers": true, "depends_on": true}

func decodeCall(blk *hcl.Block) (*callDecl, hcl.Diagnostics) {
	c := &callDecl{name: blk.Labels[0], inputs: map[string]*hcl.Attribute{}, defRange: blk.DefRange}
	attrs, diags := blk.Body.JustAttributes()
	// A block inside a module call (lifecycle, a providers block instead
	// of the map) is Terraform's error too; the arguments still count.
	diags = blockComplaints(diags)
	for name, a := range attrs {
		switch name {
		case "source":
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				c.source = v.AsString()
			} else {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "module source must be a literal string", Subject: a.Expr.Range().Ptr()})
			}
		case "count":
			c.count = a.Expr
		case "for_each":
			c.forEach = a.Expr
		default:
			if !callMeta[name] {
				c.inputs[name] = a
			}
		}
	}
	return c, diags
}

// blockComplaints words JustAttributes' complaint about a block in a
// module call as Terraform does.
func blockComplaints(diags hcl.Diagnostics) hcl.Diagnostics {
	for i, d := range diags {
		if typ, ok := strings.CutPrefix(d.Summary, "Unexpected "); ok && strings.HasSuffix(typ, " block") {
			c := *d
			c.Summary = "Unsupported block type"
			c.Detail = "Blocks of type " + strings.TrimSuffix(typ, " block") + " are not expected in a module call; the module's arguments are still read"
			diags[i] = &c
		}
	}
	return diags
}

func dupDiag(kind, name string, rng hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "duplicate " + kind + " " + name, Subject: rng.Ptr()}
}

// blockRange is the whole block for native syntax, the header otherwise.
func blockRange(blk *hcl.Block) hcl.Range {
	if sb, ok := blk.Body.(*hclsyntax.Body); ok {
		return hcl.RangeBetween(blk.DefRange, sb.SrcRange)
	}
	return blk.DefRange
}
