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
	"github.com/casascan/casascan/providers/gcp"
	"github.com/casascan/casascan/providers/link"
	"github.com/casascan/casascan/providers/plan"
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
	// base is what file names in the report are relative to.
	base string
	kind sourceKind
}

const pathHint = "give a Terraform directory, a plan JSON file (terraform show -json) or an asset export file, for example: casascan scan ."

func (c *cli) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(c.dir, p)
}

// baseFor returns what file names of a source at dir are relative to: the
// working directory when dir is inside it, so that SARIF URIs are
// repository-relative when CI runs `casascan scan infra/` from the
// repository root; otherwise dir itself.
func (c *cli) baseFor(dir string) string {
	rel, err := filepath.Rel(c.dir, dir)
	if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
		return c.dir
	}
	return dir
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
	return out, nil
}

func (c *cli) classify(arg string) (source, error) {
	p := c.abs(arg)
	fi, err := os.Stat(p)
	if err != nil {
		return source{}, usageErrorf("reading %s: %v; %s", arg, pathErr(err), pathHint)
	}
	if fi.IsDir() {
		return source{arg: arg, path: p, base: c.baseFor(p), kind: kindTerraform}, nil
	}
	name := strings.ToLower(fi.Name())
	switch {
	case strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json"):
		dir := filepath.Dir(p)
		// Terraform reads a module as a whole directory: say so, since the
		// other files there are judged too.
		fmt.Fprintf(c.stderr, "casascan: %s is a file: its directory %s is scanned (every .tf file there)\n", arg, filepath.Dir(arg))
		return source{arg: filepath.Dir(arg), path: dir, base: c.baseFor(dir), kind: kindTerraform}, nil
	case strings.HasSuffix(name, ".tfvars") || strings.HasSuffix(name, ".tfvars.json"):
		return source{}, usageErrorf("%s is a variables file: scan its directory and pass it with --var-file, for example: casascan scan %s --var-file %s",
			arg, filepath.Dir(arg), arg)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return source{}, usageErrorf("reading %s: %v; %s", arg, pathErr(err), pathHint)
	}
	s := source{arg: arg, path: p, base: c.baseFor(filepath.Dir(p))}
	switch {
	case plan.Detect(data):
		s.kind = kindPlan
	case gcp.DetectExport(data):
		s.kind = kindExport
	default:
		return source{}, usageErrorf("%s is neither a plan JSON file (terraform show -json) nor an asset export (gcloud asset export); to scan Terraform, give its directory: casascan scan %s",
			arg, filepath.Dir(arg))
	}
	return s, nil
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

func checkReadable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return pathErr(err)
	}
	return f.Close()
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
func (c *cli) load(ctx context.Context, p *scanPlan) (*loaded, error) {
	l := &loaded{}
	planSource := c.planSourceDir(p.sources)
	for _, s := range p.sources {
		if s.kind == kindTerraform && s.path == planSource {
			continue // the plan given beside it already stands for it
		}
		gs, err := c.loadSource(ctx, p, s, planSource)
		if d, ok := notParsed(s, err); ok {
			// A plan file that does not parse is not judged: the scan
			// goes on with the rest and is incomplete (exit 3).
			gs, err = []*scanner.Graph{{Diagnostics: []scanner.Diagnostic{d}}}, nil
		}
		if err != nil {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("reading %s: %w", s.arg, err)}
		}
		if s.kind == kindExport {
			l.deployed = append(l.deployed, gs...)
		} else {
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
		_, diags := link.Link(l.deployed, l.declared)
		l.deployed[0].Diagnostics = append(l.deployed[0].Diagnostics, diags...)
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
func (c *cli) loadSource(ctx context.Context, p *scanPlan, s source, planSource string) ([]*scanner.Graph, error) {
	one := func(g *scanner.Graph, err error) ([]*scanner.Graph, error) {
		if err != nil || g == nil {
			return nil, err
		}
		return []*scanner.Graph{g}, nil
	}
	switch s.kind {
	case kindPlan:
		src := planSource
		if src == "" && hasTerraformFiles(filepath.Dir(s.path)) {
			src = filepath.Dir(s.path)
		}
		return one(plan.Load(ctx, s.path, plan.Options{Base: s.base, SourceDir: src, MapIgnoreID: checks.MapIgnoreID}))
	case kindExport:
		return one(gcp.LoadExport(ctx, s.path, s.base))
	}
	return terraform.LoadTree(ctx, s.path, terraform.Options{
		VarFiles: p.cfg.VarFiles, Vars: p.vars, Env: c.environ, Base: s.base,
		MapIgnoreID: checks.MapIgnoreID,
	})
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

func hasTerraformFiles(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")) {
			return true
		}
	}
	return false
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
