// Package plan loads the JSON that `terraform show -json` writes for a plan
// or a state into a scanner.Graph.
//
// A plan's resources are its planned values: what the resources will be
// after apply, in every module instance, at the plan's own addresses. A
// value Terraform cannot know before apply (after_unknown) that the
// configuration sets is an unknown cty value at its path, so a key created
// in the same plan makes a bucket's key unknown, never missing; one the
// configuration leaves to the provider (public_access_prevention) is left
// out, as in the source, and judged by the provider's default. The
// configuration section's references become the graph's edges. A state's
// resources are its current values; its edges come from values that name
// another resource's id.
//
// Load never reads the Terraform source: every finding points at the plan
// file. Mapping a plan to the source it was made from needs the Terraform
// evaluator, which this package does not import; package plansource does it
// (Read, then MapSource with the graph providers/terraform loads, then
// Graph), so that each resource, attribute and nested block is given the
// file and line of its declaration there and the source's ignore comments
// apply.
package plan

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
)

// Options steer Load.
type Options struct {
	// Base is the directory file names are made relative to; "" means the
	// directory of the plan file.
	Base string
	// FS is the scanned tree: the plan file is read through it when it
	// lies inside it. With no FS, the plan is read as an ordinary file.
	FS *treefs.FS
	// Data, when not nil, is the file's content, already read through the
	// tree by a caller that classified the file (Detect): the file is not
	// read a second time.
	Data []byte
}

// Detect reports whether data looks like terraform show -json output: a
// JSON object with format_version and planned_values, values,
// resource_changes or prior_state; or like a raw terraform.tfstate (a
// version and lineage, serial or resources), read as its state.
func Detect(data []byte) bool { return detect(data) }

// Load reads a plan or state JSON file into an indexed graph, without its
// Terraform source. A file that cannot be read or is not terraform show
// -json output is an error naming it (a *ParseError, with the line, when it
// cannot be parsed); problems inside it (an address that cannot be parsed)
// are diagnostics of the graph.
func Load(ctx context.Context, path string, opts Options) (*scanner.Graph, error) {
	p, err := Read(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	return p.Graph(), nil
}

// Plan is a plan or state file read but not yet indexed: MapSource may
// still give its resources the places of their Terraform source. Graph
// ends it.
type Plan struct {
	g       *scanner.Graph
	omitted omissions
	vars    []string
	base    string
	done    bool
}

// Read reads a plan or state JSON file as Load does, and stops before the
// graph is indexed.
func Read(ctx context.Context, path string, opts Options) (*Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	base, err := filepath.Abs(opts.Base)
	if opts.Base == "" {
		base, err = filepath.Abs(filepath.Dir(path))
	}
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", opts.Base, err)
	}
	name := relName(base, path)
	data := opts.Data
	switch {
	case data != nil:
	case opts.FS != nil:
		data, err = opts.FS.ReadArg(path, name)
	default:
		data, err = treefs.ReadRegular(path, name, treefs.DefaultMaxFileSize)
	}
	if err != nil {
		return nil, err
	}
	doc, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", name, asParseError(err))
	}
	g, omitted := build(doc, name)
	g.Root = base
	return &Plan{g: g, omitted: omitted, vars: varArgs(doc.Variables), base: base}, nil
}

// Base is the absolute directory the plan's file names are relative to;
// the source's names must be relative to it too.
func (p *Plan) Base() string { return p.base }

// Vars are the plan's root variable values as --var arguments (NAME=VALUE),
// so that the source, evaluated with them, expands count and for_each to
// the plan's own instances.
func (p *Plan) Vars() []string { return p.vars }

// SourceUnreadable records that the Terraform source in dir could not be
// loaded: findings point at the plan file.
func (p *Plan) SourceUnreadable(dir string, err error) {
	p.g.Diagnostics = append(p.g.Diagnostics, scanner.Diagnostic{Severity: scanner.DiagWarning,
		Summary: "the Terraform source beside the plan cannot be read; findings point at the plan file",
		Detail:  err.Error(), Subject: relName(p.base, dir)})
}

// Graph sorts the diagnostics, indexes the graph and returns it; the Plan
// is not to be changed afterwards.
func (p *Plan) Graph() *scanner.Graph {
	if !p.done {
		p.done = true
		scanner.SortDiagnostics(p.g.Diagnostics)
		p.g.Index()
	}
	return p.g
}

// build makes the graph of a decoded file; file names the plan file in
// ranges (relative to the root). It also returns the provider-computed
// attributes it left out of each body (see builder.body).
func build(doc *document, file string) (*scanner.Graph, omissions) {
	insts, diags := doc.instances(file)
	for _, dk := range duplicateKeys(doc.src) {
		diags = append(diags, scanner.Diagnostic{Severity: scanner.DiagError, File: file, Line: dk.line,
			Summary: fmt.Sprintf("duplicate key %q in one object", clipKey(dk.key)),
			Detail:  "only its last value is read: what the earlier one holds is not scanned", Skipped: true})
	}
	if len(insts) == 0 && len(diags) == 0 {
		diags = append(diags, scanner.Diagnostic{Severity: scanner.DiagWarning, Subject: file,
			Summary: "no resources in the file; nothing was judged"})
	}
	g := &scanner.Graph{Diagnostics: diags}
	if doc.Errored {
		g.Diagnostics = append(g.Diagnostics, scanner.Diagnostic{Severity: scanner.DiagWarning, Subject: file,
			Summary: "terraform reported errors while planning; the plan may be missing resources"})
	} else if doc.Complete != nil && !*doc.Complete {
		g.Diagnostics = append(g.Diagnostics, scanner.Diagnostic{Severity: scanner.DiagWarning, Subject: file,
			Summary: "the plan is incomplete (deferred changes); resources planned later are not scanned"})
	}
	var cfg map[string]*configModule
	if doc.Configuration != nil {
		cfg = doc.Configuration.index()
	}
	b := &builder{rv: newResolver(cfg, insts), omitted: omissions{}}
	head := hcl.Range{Filename: file, Start: hcl.InitialPos, End: hcl.InitialPos}
	for _, inst := range insts {
		var cr *configResource
		if m := cfg[staticPath(inst.addr.Module)]; m != nil {
			cr = m.byName[resourceKey(inst.addr.Mode == scanner.Data, inst.addr.Type, inst.addr.Name)]
		}
		r := &scanner.Resource{
			Address: inst.address, Mode: inst.addr.Mode, Type: inst.addr.Type, Name: inst.addr.Name,
			Body: b.resourceBody(inst, cr), DefRange: head, Range: head,
			Calls: planCalls(inst.addr.Module, cfg, head), Source: scanner.SourcePlan,
			// Every value is the plan's (or state's) record of the instance.
			Record: &scanner.Origin{Kind: scanner.OriginRecord, Name: inst.address, File: file},
		}
		if p, ok := r.Body.Attrs["project"].Str(); ok {
			r.Project = p
		}
		g.Resources = append(g.Resources, r)
	}
	valueEdges(g.Resources)
	return g, b.omitted
}

// planCalls is the module call chain of a resource without source: the
// module instances and their sources, placed at the plan file.
func planCalls(steps []scanner.ModuleStep, cfg map[string]*configModule, head hcl.Range) []scanner.ModuleCall {
	var out []scanner.ModuleCall
	for i := range steps {
		c := scanner.ModuleCall{Address: scanner.ModulePath(steps[:i+1]), Range: head}
		if m := cfg[staticPath(steps[:i])]; m != nil && m.ModuleCalls[steps[i].Name] != nil {
			c.Source = m.ModuleCalls[steps[i].Name].Source
		}
		out = append(out, c)
	}
	return out
}

// relName names a file relative to base with forward slashes, or as given
// when it is not under base.
func relName(base, path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// clipKey shortens a key from the file for a diagnostic.
func clipKey(k string) string {
	const max = 64
	if r := []rune(k); len(r) > max {
		return string(r[:max]) + "…"
	}
	return k
}
