// Package terraform loads a Terraform configuration directory into a
// scanner.Graph, evaluating it as Terraform would: variables and tfvars,
// locals, functions, count, for_each, dynamic blocks and modules.
//
// It never executes anything: no providers, no data sources, no
// provisioners, no module downloads. Data sources and computed attributes
// are unknown values; files are read only inside the scanned tree.
package terraform

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Options steer Load.
type Options struct {
	// VarFiles are --var-file paths, in order; Vars are --var NAME=VALUE, in
	// order. Later ones win, as in Terraform.
	VarFiles []string
	Vars     []string
	// Env is the environment (os.Environ()); TF_VAR_* values are read from it.
	Env []string
	// Base is the directory file names are made relative to; "" means the
	// scanned directory itself.
	Base string
	// MapIgnoreID maps tfsec/trivy ignore IDs to casascan check IDs.
	MapIgnoreID scanner.IgnoreIDMapper
}

type loader struct {
	ctx  context.Context
	opts Options
	root string // absolute scanned directory
	base string // absolute directory names are relative to

	mods     map[string]*module // by absolute directory
	callDirs map[string]string  // "a.b" call path → module directory
	manifest map[string]string  // modules.json key → directory
	files    []*parsedFile

	rootVars map[string]cty.Value
	funcs    map[string]function.Function

	diags    []scanner.Diagnostic
	diagSeen map[string]bool
}

// Load reads the Terraform root module in dir and every module it calls. It
// returns an error only when dir cannot be read at all; everything else (a
// syntax error, a module not fetched, an unknown for_each) is a diagnostic in
// the graph, and the rest is still loaded.
func Load(ctx context.Context, dir string, opts Options) (*scanner.Graph, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", dir, err)
	}
	if fi, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("reading %s: not a directory", dir)
	}
	base := root
	if opts.Base != "" {
		if base, err = filepath.Abs(opts.Base); err != nil {
			return nil, fmt.Errorf("resolving %s: %w", opts.Base, err)
		}
	}
	l := &loader{ctx: ctx, opts: opts, root: root, base: base,
		mods: map[string]*module{}, callDirs: map[string]string{}, diagSeen: map[string]bool{}}
	l.readManifest()
	if err := l.discover(); err != nil {
		return nil, err
	}
	l.funcs = functions(funcContext{ModuleDir: root, Root: root, Warn: func(summary, detail string) {
		l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagWarning, Summary: summary, Detail: detail})
	}})
	rootMod := l.mods[root]
	l.rootVars = l.rootVariables(rootMod)

	g := &scanner.Graph{Root: base}
	top := newScope(l, rootMod, nil)
	l.walk(top, g)
	for _, f := range l.files {
		igs, diags := scanner.ParseIgnores(f.rel, f.src, opts.MapIgnoreID)
		g.Ignores = append(g.Ignores, igs...)
		g.Diagnostics = append(g.Diagnostics, diags...)
	}
	g.Diagnostics = append(g.Diagnostics, l.diags...)
	scanner.SortDiagnostics(g.Diagnostics)
	g.Index()
	return g, nil
}

// walk adds every resource instance of a module instance, then its children.
func (l *loader) walk(s *scope, g *scanner.Graph) {
	for _, d := range s.mod.resources {
		for _, ri := range s.instances(d) {
			g.Resources = append(g.Resources, &scanner.Resource{
				Address: ri.addr.String(), Mode: d.mode, Type: d.typ, Name: d.name,
				Body: s.instanceBody(ri), DefRange: d.defRange, Range: d.rng,
				Calls: s.calls, Source: scanner.SourceTerraform,
			})
		}
	}
	for _, call := range s.mod.calls {
		for _, kid := range s.childScopes(call) {
			l.walk(kid, g)
		}
	}
}

// rel names a file relative to the base directory, with forward slashes.
func (l *loader) rel(abs string) string {
	r, err := filepath.Rel(l.base, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(r)
}

// pathModule is path.module: the module directory relative to the root.
func (l *loader) pathModule(dir string) string {
	r, err := filepath.Rel(l.root, dir)
	if err != nil {
		return dir
	}
	return filepath.ToSlash(r)
}

// discover parses the root module and every module it calls, level by
// level, each directory once, the files of a level in parallel.
func (l *loader) discover() error {
	type pending struct{ key, dir string }
	level := []pending{{"", l.root}}
	for depth := 0; len(level) > 0 && depth < maxModuleDepth; depth++ {
		var dirs []string
		for _, p := range level {
			if _, done := l.mods[p.dir]; !done && !containsDir(dirs, p.dir) {
				dirs = append(dirs, p.dir)
			}
		}
		if err := l.parseDirs(dirs, depth == 0); err != nil {
			return err
		}
		var next []pending
		for _, p := range level {
			m := l.mods[p.dir]
			if m == nil {
				continue
			}
			for _, c := range m.calls {
				key := joinKey(p.key, c.name)
				dir, ok := l.resolveSource(key, p.dir, c)
				if !ok {
					continue
				}
				l.callDirs[key] = dir
				next = append(next, pending{key, dir})
			}
		}
		level = next
	}
	return nil
}

func containsDir(dirs []string, d string) bool {
	for _, x := range dirs {
		if x == d {
			return true
		}
	}
	return false
}

// parseDirs parses the configuration files of several directories in
// parallel and builds one module per directory.
func (l *loader) parseDirs(dirs []string, isRoot bool) error {
	var all []*parsedFile
	perDir := map[string][]*parsedFile{}
	for _, d := range dirs {
		names, err := configFiles(d)
		if err != nil {
			if isRoot {
				return fmt.Errorf("reading %s: %w", d, err)
			}
			l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagError, Summary: "cannot read module directory",
				Detail: err.Error(), Subject: l.rel(d), Skipped: true})
			continue
		}
		for _, n := range names {
			pf := &parsedFile{abs: n, rel: l.rel(n)}
			all = append(all, pf)
			perDir[d] = append(perDir[d], pf)
		}
	}
	work := make(chan *parsedFile)
	var wg sync.WaitGroup
	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pf := range work {
				*pf = *parseFile(pf.abs, pf.rel)
			}
		}()
	}
	for _, pf := range all {
		work <- pf
	}
	close(work)
	wg.Wait()
	for _, d := range dirs {
		files := perDir[d]
		for _, f := range files {
			for _, diag := range f.diags {
				l.hclDiag(diag)
			}
		}
		m, diags := buildModule(d, files)
		for _, diag := range diags {
			l.hclDiag(diag)
		}
		l.mods[d] = m
		l.files = append(l.files, files...)
	}
	return nil
}

// readManifest reads .terraform/modules/modules.json, where terraform init
// records the directories of the modules it fetched.
func (l *loader) readManifest() {
	l.manifest = map[string]string{}
	data, err := os.ReadFile(filepath.Join(l.root, ".terraform", "modules", "modules.json"))
	if err != nil {
		return
	}
	var mf struct {
		Modules []struct{ Key, Source, Dir string }
	}
	if err := json.Unmarshal(data, &mf); err != nil {
		l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagWarning, Summary: "cannot read the module manifest",
			Detail: err.Error(), File: l.rel(filepath.Join(l.root, ".terraform", "modules", "modules.json"))})
		return
	}
	for _, m := range mf.Modules {
		if m.Key != "" {
			l.manifest[m.Key] = filepath.Join(l.root, filepath.FromSlash(m.Dir))
		}
	}
}

// resolveSource finds the directory of a module call: a local path, or what
// terraform init fetched. A module that is not there is a diagnostic; its
// resources are not scanned.
func (l *loader) resolveSource(key, parentDir string, c *callDecl) (string, bool) {
	src := c.source
	if strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || src == "." || src == ".." {
		dir := filepath.Clean(filepath.Join(parentDir, filepath.FromSlash(src)))
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir, true
		}
		l.skipped(scanner.DiagError, fmt.Sprintf("module %q: source %s not found", c.name, src), c.defRange)
		return "", false
	}
	if dir, ok := l.manifest[key]; ok {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir, true
		}
	}
	if src == "" {
		return "", false
	}
	l.skipped(scanner.DiagWarning, fmt.Sprintf("module %q (%s) is not fetched; run terraform init to fetch it", c.name, src), c.defRange)
	return "", false
}

// skipped records that a module call's resources are not scanned.
func (l *loader) skipped(sev scanner.DiagSeverity, summary string, rng hcl.Range) {
	l.diags = append(l.diags, scanner.Diagnostic{Severity: sev, Summary: summary, Detail: "its resources are not scanned",
		File: rng.Filename, Line: rng.Start.Line, Column: rng.Start.Column, Skipped: true})
}

// diag records a diagnostic once per place and summary.
func (l *loader) diag(sev scanner.DiagSeverity, summary, detail string, rng hcl.Range) {
	key := fmt.Sprintf("%s:%d:%d:%s", rng.Filename, rng.Start.Line, rng.Start.Column, summary)
	if l.diagSeen[key] {
		return
	}
	l.diagSeen[key] = true
	l.diags = append(l.diags, scanner.Diagnostic{Severity: sev, Summary: summary, Detail: detail,
		File: rng.Filename, Line: rng.Start.Line, Column: rng.Start.Column})
}

// hclDiag records an HCL diagnostic.
func (l *loader) hclDiag(d *hcl.Diagnostic) {
	sev := scanner.DiagError
	if d.Severity == hcl.DiagWarning {
		sev = scanner.DiagWarning
	}
	rng := hcl.Range{}
	if d.Subject != nil {
		rng = *d.Subject
	}
	l.diag(sev, strings.TrimSuffix(d.Summary, "."), strings.TrimSuffix(d.Detail, "."), rng)
}

func sortStrings(s []string) { sort.Strings(s) }
