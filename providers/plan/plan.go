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
// When the Terraform source is at hand (Options.SourceDir, or .tf files
// beside the plan) each resource, attribute and nested block is given the
// file and line of its declaration there, and the source's ignore comments
// apply; otherwise every finding points at the plan file.
package plan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
)

// Options steer Load.
type Options struct {
	// Base is the directory file names are made relative to; "" means the
	// directory of the plan file.
	Base string
	// SourceDir, when set, is the Terraform configuration the plan was made
	// from; findings are then mapped to the file and line of each resource.
	// When it is empty and the plan file's directory holds .tf files, that
	// directory is used.
	SourceDir string
	// NoSource, when true, never reads the Terraform source: every finding
	// points at the plan file.
	NoSource bool
	// MapIgnoreID maps tfsec/trivy ignore IDs in the source to casascan
	// check IDs, as terraform.Options.MapIgnoreID does; nil honours only
	// casascan's own ignore comments.
	MapIgnoreID scanner.IgnoreIDMapper
	// FS is the scanned tree: the plan file is read through it when it
	// lies inside it, and the Terraform source always is. With no FS, the
	// plan is read as an ordinary file and the source through a tree
	// rooted at Base (or the source directory).
	FS *treefs.FS
}

// Detect reports whether data looks like terraform show -json output: a
// JSON object with format_version and planned_values, values,
// resource_changes or prior_state.
func Detect(data []byte) bool { return detect(data) }

// Load reads a plan or state JSON file. A file that cannot be read or is
// not terraform show -json output is an error naming it (a *ParseError,
// with the line, when it cannot be parsed); problems inside it
// (an address that cannot be parsed, a source without a resource's block)
// are diagnostics of the graph.
func Load(ctx context.Context, path string, opts Options) (*scanner.Graph, error) {
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
	var data []byte
	if opts.FS != nil {
		data, err = opts.FS.ReadArg(path, name)
	} else {
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
	if dir := sourceDir(path, opts); dir != "" {
		n, err := mapSource(ctx, g, omitted, dir, terraform.Options{Base: base, Vars: varArgs(doc.Variables), MapIgnoreID: opts.MapIgnoreID, FS: opts.FS})
		switch {
		case err != nil:
			g.Diagnostics = append(g.Diagnostics, scanner.Diagnostic{Severity: scanner.DiagWarning,
				Summary: "the Terraform source beside the plan cannot be read; findings point at the plan file",
				Detail:  err.Error(), Subject: relName(base, dir)})
		case n > 0:
			g.Diagnostics = append(g.Diagnostics, unmatchedDiag(n, relName(base, dir)))
		}
	}
	scanner.SortDiagnostics(g.Diagnostics)
	g.Index()
	return g, nil
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

// sourceDir is the Terraform configuration to map a plan to: the one given,
// or the plan file's own directory when it holds .tf files.
func sourceDir(path string, opts Options) string {
	if opts.NoSource {
		return ""
	}
	if opts.SourceDir != "" {
		return opts.SourceDir
	}
	dir := filepath.Dir(path)
	var entries []os.DirEntry
	var err error
	if opts.FS != nil {
		entries, err = opts.FS.ReadDir(dir)
	} else {
		entries, err = os.ReadDir(dir)
	}
	if err != nil {
		return ""
	}
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")) {
			return dir
		}
	}
	return ""
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
