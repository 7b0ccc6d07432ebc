package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/providers/gcp"
	"github.com/casascan/casascan/providers/link"
	"github.com/casascan/casascan/providers/plan"
	"github.com/casascan/casascan/providers/plan/plansource"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
)

type sourceKind int

const (
	kindTerraform sourceKind = iota // a directory of .tf / .tf.json files
	kindPlan                        // terraform show -json of a plan or state
	kindExport                      // a Cloud Asset Inventory export
)

// source is one PATH of the command line.
type source struct {
	arg  string // as given, for messages
	path string // absolute
	// root is the tree the source belongs to: nothing outside it is read
	// on the tree's behalf (treeRoot).
	root string
	// base is what file names in the report are relative to (setBases).
	base string
	kind sourceKind
	// data is a plan's or an export's content, read once when it was
	// classified; load drops it once the source is read.
	data []byte
}

const pathHint = "give a Terraform directory, a plan JSON file (terraform show -json) or an asset export file, for example: casascan scan ."

func (c *cli) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(c.dir, p)
}

// treeRoot returns the tree a source in dir belongs to, which is all that
// may be read on its behalf (modules, tfvars, file()): the top of the git
// work tree holding dir, as CI checks a repository out; else the working
// directory when dir lies inside it; else dir itself.
func (c *cli) treeRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if treefs.Within(c.dir, dir) {
		return c.dir
	}
	return dir
}

// setBases decides what the report's file names are relative to, one base
// for every source so that no two files share a name: the working
// directory for a tree inside it, the tree itself otherwise, and, when the
// sources' trees differ, the directory that holds them all. Scanning the
// same repository from its top, from a subdirectory or from a sibling
// directory gives the same names.
func (c *cli) setBases(srcs []source) {
	base := ""
	for _, s := range srcs {
		d := s.root
		if treefs.Within(c.dir, d) {
			d = c.dir
		}
		if base == "" {
			base = d
		}
		for !treefs.Within(base, d) {
			base = filepath.Dir(base)
		}
	}
	for i := range srcs {
		srcs[i].base = base
	}
}

// resolve classifies every PATH; the same source given twice is read once.
func (c *cli) resolve(args []string) ([]source, error) {
	var out []source
	seen := map[string]bool{}
	for _, arg := range args {
		s, err := c.classify(arg)
		if err != nil {
			return nil, err
		}
		if seen[s.path] {
			continue
		}
		seen[s.path] = true
		out = append(out, s)
	}
	c.setBases(out)
	return out, nil
}

func (c *cli) classify(arg string) (source, error) {
	p := c.abs(arg)
	fi, err := os.Stat(p)
	if err != nil {
		return source{}, usageErrorf("reading %s: %v; %s", arg, pathErr(err), pathHint)
	}
	if fi.IsDir() {
		return source{arg: arg, path: p, root: c.treeRoot(p), kind: kindTerraform}, nil
	}
	name := strings.ToLower(fi.Name())
	switch {
	case strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json"):
		dir := filepath.Dir(p)
		// Terraform reads a module as a whole directory: say so, since the
		// other files there are judged too.
		fmt.Fprintf(c.stderr, "casascan: %s is a file: its directory %s is scanned (every .tf file there)\n", arg, filepath.Dir(arg))
		return source{arg: filepath.Dir(arg), path: dir, root: c.treeRoot(dir), kind: kindTerraform}, nil
	case strings.HasSuffix(name, ".tfvars") || strings.HasSuffix(name, ".tfvars.json"):
		return source{}, usageErrorf("%s is a variables file: scan its directory and pass it with --var-file, for example: casascan scan %s --var-file %s",
			arg, filepath.Dir(arg), arg)
	}
	s := source{arg: arg, path: p, root: c.treeRoot(filepath.Dir(p))}
	tree, err := c.tree(s.root)
	if err != nil {
		return source{}, usageErrorf("reading %s: %v", arg, pathErr(err))
	}
	data, err := tree.ReadArg(p, arg)
	if err != nil {
		return source{}, usageErrorf("reading %s: %v; %s", arg, pathErr(err), pathHint)
	}
	switch {
	case plan.Detect(data):
		s.kind, s.data = kindPlan, data
	case gcp.DetectExport(data) || gcp.DetectEmptyExport(name, data):
		s.kind, s.data = kindExport, data
	default:
		return source{}, usageErrorf("%s is neither a plan JSON file (terraform show -json) nor an asset export (gcloud asset export); to scan Terraform, give its directory: casascan scan %s",
			arg, filepath.Dir(arg))
	}
	return s, nil
}

// tree returns the file system of the tree rooted at root, opened once.
func (c *cli) tree(root string) (*treefs.FS, error) {
	if f := c.trees[root]; f != nil {
		return f, nil
	}
	f, err := treefs.Open(root, c.maxFileSize)
	if err != nil {
		return nil, err
	}
	if c.trees == nil {
		c.trees = map[string]*treefs.FS{}
	}
	c.trees[root] = f
	return f, nil
}

// closeTrees releases the trees' directory handles.
func (c *cli) closeTrees() {
	for _, f := range c.trees {
		f.Close()
	}
	c.trees = nil
}

// pathErr drops the absolute path os adds, so messages name the path as the
// user gave it.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// loaded are the graphs of a scan: what is declared (Terraform, plans,
// states) and what is deployed (asset exports, the live scan).
type loaded struct {
	declared, deployed []*scanner.Graph
	live               *scanner.Graph // also in deployed; nil without live sources
}

func (l *loaded) all() []*scanner.Graph { return append(slices.Clone(l.declared), l.deployed...) }

// load reads every source into its own graph. A source that cannot be read
// at all stops the scan (exit 2); problems inside a source are diagnostics.
// When both declared and deployed resources were read, each deployed one is
// linked to the Terraform that declares it, so its findings point at the .tf
// line and inline ignores apply.
//
// When nothing deployed is read (no asset export, no live scope), nothing
// links graphs together: each graph is judged by session as soon as it is
// loaded, in source order, and released, so that a tree of thousands of
// root modules is never held whole; the graphs returned are then none.
func (c *cli) load(ctx context.Context, p *scanPlan, session *scanner.Session) (*loaded, error) {
	l := &loaded{}
	planSource := c.planSourceDir(p.sources)
	stream := !p.live && !slices.ContainsFunc(p.sources, func(s source) bool { return s.kind == kindExport })
	for i, s := range p.sources {
		if s.kind == kindTerraform && s.path == planSource {
			continue // the plan given beside it already stands for it
		}
		var sink func(*scanner.Graph)
		if stream {
			sink = session.Add
		}
		gs, err := c.loadSource(ctx, p, s, planSource, sink)
		p.sources[i].data = nil // read: not kept for the rest of the scan
		if d, ok := notParsed(s, err); ok {
			// A plan file that does not parse is not judged: the scan
			// goes on with the rest and is incomplete (exit 3).
			gs, err = []*scanner.Graph{{Diagnostics: []scanner.Diagnostic{d}}}, nil
		}
		if err != nil {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("reading %s: %w", s.arg, err)}
		}
		switch {
		case stream:
			for _, g := range gs {
				session.Add(g)
			}
		case s.kind == kindExport:
			l.deployed = append(l.deployed, gs...)
		default:
			l.declared = append(l.declared, gs...)
		}
	}
	if p.live {
		g, err := gcp.Load(ctx, p.gcpOptions(c))
		if err != nil {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("reading live Google Cloud: %w", err)}
		}
		if g != nil {
			l.live = g
			l.deployed = append(l.deployed, g)
		}
	}
	if len(l.declared) > 0 && len(l.deployed) > 0 {
		// Linking makes new graphs rather than changing the loaded ones,
		// which are indexed and so immutable; its warnings go in a graph
		// of their own, as Run reports every graph's diagnostics together.
		linked, _, diags := link.Graphs(l.deployed, l.declared)
		for i, g := range l.deployed {
			if g == l.live {
				l.live = linked[i]
			}
		}
		l.deployed = linked
		if len(diags) > 0 {
			dg := &scanner.Graph{Diagnostics: diags}
			dg.Index()
			l.deployed = append(l.deployed, dg)
		}
	}
	return l, nil
}

// notParsed turns the error of a plan file that cannot be parsed into the
// diagnostic that says it was not judged, naming the file (relative to the
// scanned root) and the line.
func notParsed(s source, err error) (scanner.Diagnostic, bool) {
	var pe *plan.ParseError
	if s.kind != kindPlan || !errors.As(err, &pe) {
		return scanner.Diagnostic{}, false
	}
	file := filepath.Base(s.path)
	if rel, err := filepath.Rel(s.base, s.path); err == nil && !strings.HasPrefix(rel, "..") {
		file = filepath.ToSlash(rel)
	}
	return scanner.Diagnostic{Severity: scanner.DiagError, File: file, Line: pe.Line, Column: pe.Column,
		Summary: "cannot parse the plan file; nothing in it is scanned", Detail: pe.Err.Error(), Skipped: true}, true
}

// loadSource reads one PATH. A Terraform directory may hold several root
// modules (a repository of environments, a collection of modules with
// examples): each becomes its own graph, as terraform.LoadTree finds them.
// With sink, a Terraform directory's graphs go to sink one root at a time
// as they are loaded (terraform.LoadTreeFunc), and none is returned.
func (c *cli) loadSource(ctx context.Context, p *scanPlan, s source, planSource string, sink func(*scanner.Graph)) ([]*scanner.Graph, error) {
	one := func(g *scanner.Graph, err error) ([]*scanner.Graph, error) {
		if err != nil || g == nil {
			return nil, err
		}
		return []*scanner.Graph{g}, nil
	}
	tree, err := c.tree(s.root)
	if err != nil {
		return nil, err
	}
	switch s.kind {
	case kindPlan:
		// With no Terraform directory given beside it, plansource maps the
		// plan to the .tf files in its own directory, if any.
		return one(plansource.Load(ctx, s.path, plansource.Options{Base: s.base, SourceDir: planSource, MapIgnoreID: checks.MapIgnoreID, FS: tree, Data: s.data}))
	case kindExport:
		return one(gcp.ReadExport(ctx, s.data, relTo(s.base, s.path), s.base))
	}
	opts := terraform.Options{
		VarArgs: p.varArgs(s.root), Env: c.environ, Base: s.base,
		MapIgnoreID: checks.MapIgnoreID, FS: tree, Limits: p.limits,
	}
	if sink != nil {
		return nil, terraform.LoadTreeFunc(ctx, s.path, opts, func(g *scanner.Graph) error { sink(g); return nil })
	}
	return terraform.LoadTree(ctx, s.path, opts)
}

// varArgs are the variable arguments in the order they apply: the
// configuration file's var-files first (when no --var-file replaces them),
// then --var-file and --var in command-line order, the later one winning.
// Var files are as the configuration resolved them (absolute), with the
// content it read when the source's tree (root) is the one it read them
// through: a link is judged against the tree it is read from.
func (p *scanPlan) varArgs(root string) []terraform.VarArg {
	files := p.cfg.VarFiles
	var out []terraform.VarArg
	if p.flags.changed == nil || !p.flags.changed("var-file") {
		for _, f := range files {
			out = append(out, terraform.VarArg{File: true, Value: f})
		}
		files = nil
	}
	i := 0
	for _, a := range p.flags.varArgs {
		if a.File {
			if i < len(files) {
				a.Value = files[i]
			}
			i++
		}
		out = append(out, a)
	}
	if root == p.varTree {
		for i := range out {
			if out[i].File {
				out[i].Data = p.varData[out[i].Value]
			}
		}
	}
	return out
}

// planSourceDir returns the first Terraform directory given beside a plan
// file: the plan's findings are mapped to its files, and it is not scanned a
// second time on its own.
func (c *cli) planSourceDir(srcs []source) string {
	hasPlan, dir := false, ""
	for _, s := range srcs {
		switch {
		case s.kind == kindPlan:
			hasPlan = true
		case s.kind == kindTerraform && dir == "":
			dir = s.path
		}
	}
	if !hasPlan {
		return ""
	}
	return dir
}

// relTo names path relative to base with forward slashes.
func relTo(base, path string) string {
	rel, err := filepath.Rel(base, path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

func (p *scanPlan) gcpOptions(c *cli) gcp.Options {
	o := gcp.Options{
		Projects: p.flags.projects, Folders: p.flags.folders, Organizations: p.flags.orgs,
		QuotaProject: p.flags.quotaProject,
		ShardIndex:   p.shardIndex, ShardCount: p.shardCount,
	}
	// Progress only on an interactive terminal: nothing in CI logs.
	if c.isTerminal(c.stderr) {
		o.Progress = c.stderr
	}
	return o
}
