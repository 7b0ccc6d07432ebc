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
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/casascan/casascan/internal/par"
	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Options steer Load.
type Options struct {
	// VarArgs are the --var-file and --var arguments in command-line order:
	// a later one wins, as in Terraform. VarFiles (--var-file paths) and
	// Vars (--var NAME=VALUE) are the same for callers that have no
	// interleaved order: they apply before VarArgs, every file first.
	VarArgs  []VarArg
	VarFiles []string
	Vars     []string
	// Env is the environment (os.Environ()); TF_VAR_* values are read from it.
	Env []string
	// Base is the directory file names are made relative to; "" means the
	// scanned directory itself.
	Base string
	// MapIgnoreID maps tfsec/trivy ignore IDs to casascan check IDs.
	MapIgnoreID scanner.IgnoreIDMapper
	// FS is the scanned tree: every file is read through it, and nothing
	// outside it is read (var files named on the command line aside). With
	// no FS, the tree is Base when the directory lies inside it, else the
	// directory itself.
	FS *treefs.FS
	// MaxFileSize bounds each file read when Load opens the tree itself
	// (0: treefs.DefaultMaxFileSize).
	MaxFileSize int64
	// Limits bound what evaluating the tree may cost (instances, string
	// bytes, evaluation steps); zero fields take the defaults
	// (DefaultMaxInstances, DefaultMaxStringBytes, DefaultMaxSteps).
	Limits Limits

	// workers bounds the goroutines evaluating module instances; 0 means
	// GOMAXPROCS. Tests set it to compare parallel and sequential runs.
	workers int
}

// VarArg is one --var-file or --var argument.
type VarArg struct {
	// File says Value is a --var-file path; else it is a --var NAME=VALUE.
	File  bool
	Value string
	// Data, for a --var-file, is the file's content when the caller has
	// read it already through the same tree (the CLI checks each var file
	// before the scan): Load uses it and does not read the file again,
	// once per root module. nil: Load reads the file.
	Data []byte
}

// varArgs lists the variable arguments in the order they apply.
func (o *Options) varArgs() []VarArg {
	if len(o.VarFiles)+len(o.Vars) == 0 {
		return o.VarArgs
	}
	out := make([]VarArg, 0, len(o.VarFiles)+len(o.Vars)+len(o.VarArgs))
	for _, p := range o.VarFiles {
		out = append(out, VarArg{File: true, Value: p})
	}
	for _, kv := range o.Vars {
		out = append(out, VarArg{Value: kv})
	}
	return append(out, o.VarArgs...)
}

// tree is what every root module of a scanned tree shares: parsed modules
// (each directory parsed once) and diagnostics.
type tree struct {
	ctx  context.Context
	opts Options
	base string // absolute directory names are relative to
	top  string // absolute directory scanned: root modules are named relative to it
	fs   *treefs.FS
	// dirs are the module directories met so far with what they are on
	// disk, so that a directory reached through a link is known as the
	// same module (canonical). Shared by the root modules of a tree, which
	// meet them in root order (LoadTreeFunc).
	dirs *[]dirID

	mods  map[string]*module // by absolute directory
	files []*parsedFile
	ownFS bool // fs was opened by Load, which closes it
	// budget is what evaluating the tree may still spend, shared by every
	// root module and every goroutine.
	budget *budget
	// tables are the function tables the tree's loaders borrow, shared
	// by every root module.
	tables *funcTables

	mu       sync.Mutex // guards diags, diagSeen and keyed
	diags    []scanner.Diagnostic
	diagSeen map[string]bool
	// keyed are the diagnostics of diags recorded through add, by index,
	// with their key: a root module's are recorded again only when no
	// earlier root recorded them (rootTree.emit).
	keyed []keyedDiag
}

// keyedDiag is the index in tree.diags of a diagnostic add recorded, and
// its key.
type keyedDiag struct {
	i   int
	key string
}

// loader evaluates one root module of a tree.
type loader struct {
	*tree
	root     string            // absolute root module directory
	callDirs map[string]string // "a.b" call path → module directory
	manifest map[string]string // modules.json key → directory
	rootVars map[string]cty.Value
	funcs    map[string]function.Function
	// top is the root module's scope.
	top *scope

	// The fields below belong to one goroutine: the parallel evaluation
	// gives each of its workers a fork of the loader.

	// evalRange and evalScope are the expression being evaluated and its
	// scope, for diagnostics raised inside functions.
	evalRange hcl.Range
	evalScope *scope
	// meter charges this goroutine's evaluation to the tree's budget.
	meter *meter
	// table is the function table funcs is, borrowed from the tree.
	table *funcTable
	// literalCtx evaluates expressions that reference nothing.
	literalCtx *hcl.EvalContext
	// contexts are evaluation contexts to reuse (loader.context).
	contexts []*hcl.EvalContext
	// literals are the values of expressions that reference nothing
	// (evalTraversals).
	literals map[hcl.Expression]cty.Value
	// evaluating is set once every module instance's variables are known:
	// a module's outputs are then read only after its whole instance is
	// evaluated (scope.evaluate), so instances can run in parallel.
	evaluating bool
}

// Load reads the Terraform root module in dir and every module it calls, as
// terraform plan in dir would. It returns an error only when dir cannot be
// read at all; everything else (a syntax error, a module not fetched, an
// unknown for_each) is a diagnostic in the graph, and the rest is still
// loaded.
func Load(ctx context.Context, dir string, opts Options) (*scanner.Graph, error) {
	t, root, err := newTree(ctx, dir, opts)
	if err != nil {
		return nil, err
	}
	defer t.close()
	if err := t.parseDirs([]string{root}, true); err != nil {
		return nil, err
	}
	return t.finish(t.evaluate([]*loader{t.newLoader(root, true)}))[0], nil
}

func newTree(ctx context.Context, dir string, opts Options) (*tree, string, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, "", fmt.Errorf("resolving %s: %w", dir, err)
	}
	if fi, err := os.Stat(root); err != nil {
		return nil, "", fmt.Errorf("reading %s: %w", dir, relErr(err))
	} else if !fi.IsDir() {
		return nil, "", fmt.Errorf("reading %s: not a directory", dir)
	}
	base := root
	if opts.Base != "" {
		if base, err = filepath.Abs(opts.Base); err != nil {
			return nil, "", fmt.Errorf("resolving %s: %w", opts.Base, err)
		}
	}
	t := &tree{ctx: ctx, opts: opts, base: base, top: root, fs: opts.FS, mods: map[string]*module{}, diagSeen: map[string]bool{},
		budget: newBudget(opts.Limits), dirs: new([]dirID), tables: &funcTables{}}
	if t.fs == nil {
		top := root
		if treefs.Within(base, root) {
			top = base
		}
		if t.fs, err = treefs.Open(top, opts.MaxFileSize); err != nil {
			return nil, "", fmt.Errorf("reading %s: %w", dir, err)
		}
		t.ownFS = true
	}
	if !t.fs.Contains(root) {
		t.close()
		return nil, "", fmt.Errorf("reading %s: %w", dir, treefs.ErrOutside)
	}
	return t, root, nil
}

// InstancesPerBlock is how many instances each resource or module block of
// a tree may expand to on average before the instance budget, scaled with
// the tree, is spent (scaleBudget).
const InstancesPerBlock = 32

// scaleBudget raises the instance limit with the size of the parsed
// configuration, unless the user set one: a monorepo of thousands of root
// modules is no bomb, while a few blocks that ask for millions of
// instances still are.
func (t *tree) scaleBudget() {
	blocks := 0
	for _, m := range t.mods {
		blocks += len(m.resources) + len(m.calls)
	}
	t.scaleBudgetBlocks(blocks)
}

// scaleBudgetBlocks is scaleBudget for a tree of this many blocks.
func (t *tree) scaleBudgetBlocks(blocks int) {
	if t.opts.Limits.Instances > 0 {
		return
	}
	if n := int64(blocks) * InstancesPerBlock; n > t.budget.limits.Instances {
		t.budget.limits.Instances = n
	}
}

// close releases the tree's file system when Load opened it.
func (t *tree) close() {
	if t.ownFS {
		t.fs.Close()
	}
}

// configDirs lists the directories under top that hold configuration
// files, in lexical order, skipping hidden directories. A directory below
// top that cannot be read is a diagnostic: what it holds is not judged.
func (t *tree) configDirs(top string) ([]string, error) {
	var dirs []string
	unreadable := func(p string, err error) {
		t.diags = append(t.diags, scanner.Diagnostic{Severity: scanner.DiagError, Summary: "cannot read directory",
			Detail: relErr(err).Error(), Subject: t.rel(p), Skipped: true})
	}
	err := t.fs.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == top {
				return err
			}
			unreadable(p, err)
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		if p != top && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		files, err := configFiles(t.fs, p)
		if err != nil {
			if p == top {
				return err
			}
			unreadable(p, err)
			return filepath.SkipDir
		}
		if len(files) > 0 {
			dirs = append(dirs, p)
		}
		return nil
	})
	return dirs, err
}

// dirID is a module directory and what it is on disk.
type dirID struct {
	path string
	info fs.FileInfo
}

// canonical returns the path under which dir (absolute) is known: the
// first path met for the same directory, so that a module reached through
// a link (self -> .) is the module itself, and a call cycle through links
// is seen as one.
func (t *tree) canonical(dir string) string {
	fi, err := t.fs.Stat(dir)
	if err != nil {
		return dir
	}
	for _, d := range *t.dirs {
		if d.path == dir || os.SameFile(d.info, fi) {
			return d.path
		}
	}
	*t.dirs = append(*t.dirs, dirID{dir, fi})
	return dir
}

// newLoader prepares one root module for evaluation: the modules it calls
// are parsed, its variables read.
func (t *tree) newLoader(root string, only bool) *loader {
	l := &loader{tree: t, root: root, callDirs: map[string]string{}}
	l.readManifest()
	// The root itself is parsed already; modules report their own errors.
	if err := l.discover(); err != nil {
		l.skipped(scanner.DiagError, "cannot read the modules of "+l.rel(root), hcl.Range{Filename: l.rel(root)}, relErr(err).Error())
	}
	l.setFunctions(nil)
	for _, dir := range sortedKeys(l.mods) {
		l.addMissingFunctions(l.mods[dir])
	}
	rootMod := l.mods[root]
	l.rootVars = l.rootVariables(rootMod, only)
	l.top = newScope(l, rootMod, nil)
	return l
}

// setFunctions gives l a function table, borrowed from the tree (its
// meter becomes l's): Terraform's functions, whose file functions report
// to l, then base's stand-ins for the functions casascan lacks.
func (l *loader) setFunctions(base map[string]function.Function) {
	tb := l.tables.borrow(l)
	l.table, l.funcs, l.meter, l.literalCtx = tb, tb.funcs, tb.meter, tb.literalCtx
	for name, f := range base {
		if _, ok := l.funcs[name]; !ok {
			l.setFunc(name, f)
		}
	}
}

// setFunc sets one function of l's table, for this loan only.
func (l *loader) setFunc(name string, f function.Function) {
	l.funcs[name] = f
	l.table.dirty = true
}

// funcTables lends function tables to the loaders of a tree. A table is
// the same for every loader but for where its file functions read from
// and report to, and its meter: so a table is built once for each loader
// evaluating at the same time, not once for each root module and
// goroutine (building one is hundreds of functions).
type funcTables struct {
	mu   sync.Mutex
	free []*funcTable
}

// funcTable is a function table and what its functions are bound to.
type funcTable struct {
	lent       funcBinding
	meter      *meter
	funcs      map[string]function.Function // with Terraform's core:: names
	literalCtx *hcl.EvalContext
	// pristine is funcs as built; dirty, that a loan changed funcs (its
	// stand-ins), which are then restored when it comes back.
	pristine map[string]function.Function
	dirty    bool
}

// borrow lends a table to l: relative paths are read from l's root, its
// warnings go to l, and its meter, fresh, charges l's budget.
func (ts *funcTables) borrow(l *loader) *funcTable {
	ts.mu.Lock()
	var tb *funcTable
	if n := len(ts.free); n > 0 {
		tb, ts.free = ts.free[n-1], ts.free[:n-1]
	}
	ts.mu.Unlock()
	if tb == nil {
		tb = &funcTable{meter: newMeter(l.budget)}
		fs := functions(funcContext{FS: l.fs, Lent: &tb.lent, Meter: tb.meter})
		tb.funcs = make(map[string]function.Function, 2*len(fs))
		for name, f := range fs {
			tb.funcs[name] = f
			tb.funcs["core::"+name] = f // Terraform's namespaced form
		}
		tb.pristine = maps.Clone(tb.funcs)
		tb.literalCtx = &hcl.EvalContext{Functions: tb.funcs}
	}
	tb.lent = funcBinding{moduleDir: l.root, warn: l.warn}
	*tb.meter = meter{b: l.budget}
	return tb
}

// giveBack returns the tables of loaders that are done: nothing they
// evaluated is evaluated again. The loaders let go of everything that
// refers to a table (its functions, meter and contexts), so none can
// reach one lent to another loader.
func (ts *funcTables) giveBack(ls ...*loader) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, l := range ls {
		tb := l.table
		if tb == nil {
			continue
		}
		l.table, l.funcs, l.meter, l.literalCtx, l.contexts = nil, nil, nil, nil, nil
		if tb.dirty {
			clear(tb.funcs)
			maps.Copy(tb.funcs, tb.pristine)
			tb.dirty = false
		}
		tb.lent = funcBinding{}
		ts.free = append(ts.free, tb)
	}
}

// warn records a diagnostic raised inside a function, at the expression
// being evaluated.
func (l *loader) warn(summary, detail string) {
	if l.evalScope != nil {
		l.evalScope.diag(scanner.DiagWarning, summary, detail, l.evalRange)
		return
	}
	l.diag(scanner.DiagWarning, summary, detail, l.evalRange)
}

// fork copies l for one worker of the parallel evaluation.
func (l *loader) fork() *loader {
	f := *l
	f.evalRange, f.evalScope, f.literals, f.contexts = hcl.Range{}, nil, nil, nil
	f.setFunctions(l.funcs)
	return &f
}

// evaluate evaluates the root modules into graphs, module instances in
// parallel. It goes in two steps. First, in order: every module call is
// expanded and every module instance's variables are evaluated; this is
// where a module instance reads its parent. Then each module instance is
// evaluated whole (scope.evaluate), on as many goroutines as the machine
// has, and a module's outputs are read only once its instance is done. The
// result, diagnostics included, does not depend on which goroutine
// evaluated what.
func (t *tree) evaluate(ls []*loader) []*scanner.Graph {
	var units []*scope
	for _, l := range ls {
		units = l.top.units(units)
	}
	for _, u := range units {
		for _, name := range sortedKeys(u.mod.vars) {
			u.variable(name)
		}
	}
	for _, l := range ls {
		l.evaluating = true
	}
	workers := t.opts.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// The first goroutine evaluates with the roots' loaders themselves,
	// each other one with its own fork of a root's loader, made when it
	// first needs it from a copy taken now (the first goroutine changes
	// the loader as it evaluates).
	var forks []map[*loader]*loader
	protos := map[*loader]*loader{}
	if workers > 1 && len(units) > 1 {
		forks = make([]map[*loader]*loader, workers)
		for _, l := range ls {
			c := *l
			protos[l] = &c
		}
	}
	par.Each(len(units), workers, func(w, i int) {
		u, l := units[i], units[i].base
		if w > 0 {
			if forks[w] == nil {
				forks[w] = map[*loader]*loader{}
			}
			if forks[w][l] == nil {
				forks[w][l] = protos[l].fork()
			}
			l = forks[w][l]
		}
		u.evaluate(l)
	})
	graphs := make([]*scanner.Graph, len(ls))
	for i, l := range ls {
		graphs[i] = &scanner.Graph{Root: t.base, RootModule: t.rootModule(l.root)}
		l.walk(l.top, graphs[i])
		propagateInvalid(graphs[i])
	}
	// Evaluating is over: the function tables go back for the next roots.
	t.tables.giveBack(ls...)
	for _, fw := range forks {
		for _, f := range fw {
			t.tables.giveBack(f)
		}
	}
	for _, u := range units {
		for _, d := range u.diags {
			t.add(d)
		}
	}
	return graphs
}

// finish attaches ignore comments to every graph (they are matched by file
// and line) and the tree's diagnostics to the first, and indexes them.
func (t *tree) finish(graphs []*scanner.Graph) []*scanner.Graph {
	var ignores []scanner.Ignore
	for _, f := range t.files {
		igs, diags := scanner.ParseIgnores(f.rel, f.src, t.opts.MapIgnoreID)
		ignores = append(ignores, igs...)
		t.diags = append(t.diags, diags...)
	}
	scanner.SortDiagnostics(t.diags)
	for i, g := range graphs {
		g.Ignores = ignores
		if i == 0 {
			g.Diagnostics = t.diags
		}
		g.Index()
	}
	return graphs
}

// walk adds every resource instance of a module instance, then its children.
func (l *loader) walk(s *scope, g *scanner.Graph) {
	for _, d := range s.mod.resources {
		for _, ri := range s.instances(d) {
			body := s.instanceBody(ri)
			uncertain := ri.uncertain
			if uncertain == "" {
				uncertain = s.uncertain
			}
			g.Resources = append(g.Resources, &scanner.Resource{
				Address: ri.addr.String(), Mode: d.mode, Type: d.typ, Name: d.name,
				Body: body, DefRange: d.defRange, Range: d.rng,
				Calls: s.calls, Source: scanner.SourceTerraform, Invalid: s.invalidParts(d, body), Uncertain: uncertain,
			})
		}
	}
	for _, call := range s.mod.calls {
		for _, kid := range s.childScopes(call) {
			l.walk(kid, g)
		}
	}
}

// rootModule names a root module directory relative to the scanned
// directory, with forward slashes: "." for the scanned directory itself.
func (t *tree) rootModule(dir string) string {
	r, err := filepath.Rel(t.top, dir)
	if err != nil {
		return filepath.ToSlash(dir)
	}
	return filepath.ToSlash(r)
}

// rel names a file relative to the base directory, with forward slashes.
func (l *tree) rel(abs string) string {
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
	type pending struct {
		key, dir  string
		ancestors []string // module directories on the call path, for cycles
	}
	l.canonical(l.root)
	level := []pending{{"", l.root, nil}}
	// Every call path is a module instance at least (count = 0 aside):
	// past the instance limit, the calls are not followed. Two calls of
	// the next directory in each of 40 make 2^40 paths.
	paths, maxPaths := 0, l.budget.limits.Instances/moduleShare
	for depth := 0; len(level) > 0 && depth < maxModuleDepth; depth++ {
		var dirs []string
		for _, p := range level {
			if _, done := l.mods[p.dir]; !done && !slices.Contains(dirs, p.dir) {
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
				if paths++; int64(paths) > maxPaths {
					l.skipped(scanner.DiagError, fmt.Sprintf("module %q is not read: instance limit reached", c.name), c.defRange,
						fmt.Sprintf("the tree calls modules along more than %d paths (the scan's limit of module instances); its resources are not scanned", maxPaths))
					continue
				}
				key := joinKey(p.key, c.name)
				dir, ok := l.resolveSource(key, p.dir, c)
				if !ok {
					continue
				}
				dir = l.canonical(dir)
				l.callDirs[key] = dir
				anc := append(append([]string{}, p.ancestors...), p.dir)
				if slices.Contains(anc, dir) {
					continue // a module calling itself: reported when evaluated
				}
				next = append(next, pending{key, dir, anc})
			}
		}
		level = next
	}
	return nil
}

// parseDirs parses the configuration files of several directories in
// parallel and builds one module per directory.
func (l *tree) parseDirs(dirs []string, isRoot bool) error {
	var all []*parsedFile
	perDir := map[string][]*parsedFile{}
	for _, d := range dirs {
		names, err := configFiles(l.fs, d)
		if err != nil {
			if isRoot {
				return fmt.Errorf("reading %s: %w", l.rel(d), relErr(err))
			}
			l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagError, Summary: "cannot read module directory",
				Detail: relErr(err).Error(), Subject: l.rel(d), Skipped: true})
			continue
		}
		for _, n := range names {
			pf := &parsedFile{abs: n, rel: l.rel(n)}
			all = append(all, pf)
			perDir[d] = append(perDir[d], pf)
		}
	}
	par.Each(len(all), 0, func(_, i int) {
		*all[i] = *parseFile(l.fs, all[i].abs, all[i].rel)
	})
	// Modules are built in parallel too, their diagnostics taken in order.
	built := make([]*module, len(dirs))
	diags := make([]hcl.Diagnostics, len(dirs))
	par.Each(len(dirs), 0, func(_, i int) {
		built[i], diags[i] = buildModule(dirs[i], perDir[dirs[i]])
	})
	for i, d := range dirs {
		files := perDir[d]
		for _, f := range files {
			if f.skipped != nil {
				l.add(*f.skipped)
			}
			for _, diag := range f.diags {
				l.parseDiag(diag)
			}
		}
		for _, diag := range diags[i] {
			l.hclDiag(diag)
		}
		l.mods[d] = built[i]
		l.files = append(l.files, files...)
	}
	return nil
}

// readManifest reads .terraform/modules/modules.json, where terraform init
// records the directories of the modules it fetched. A directory it names
// outside the tree is refused when a call resolves to it.
func (l *loader) readManifest() {
	l.manifest = map[string]string{}
	name := filepath.Join(l.root, ".terraform", "modules", "modules.json")
	data, err := l.fs.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	var mf struct {
		Modules []struct{ Key, Source, Dir string }
	}
	if err == nil {
		err = json.Unmarshal(data, &mf)
	}
	if err != nil {
		l.diags = append(l.diags, scanner.Diagnostic{Severity: scanner.DiagError, Summary: "cannot read the module manifest",
			Detail: relErr(err).Error() + "; modules fetched by terraform init are not scanned", File: l.rel(name), Skipped: true})
		return
	}
	for _, m := range mf.Modules {
		if m.Key != "" {
			l.manifest[m.Key] = filepath.Join(l.root, filepath.FromSlash(m.Dir))
		}
	}
}

// resolveSource finds the directory of a module call: a local path, or what
// terraform init fetched. A module that is not there, or that lies outside
// the scanned tree, is a diagnostic; its resources are not scanned.
func (l *loader) resolveSource(key, parentDir string, c *callDecl) (string, bool) {
	src := c.source
	if isLocalSource(src) {
		dir := filepath.Clean(filepath.Join(parentDir, filepath.FromSlash(src)))
		return l.moduleDir(dir, c, "source "+src)
	}
	if dir, ok := l.manifest[key]; ok {
		return l.moduleDir(dir, c, "directory "+l.rel(dir)+" (from .terraform/modules/modules.json)")
	}
	if src == "" {
		return "", false
	}
	l.skipped(scanner.DiagWarning, fmt.Sprintf("module %q (%s) is not fetched; run terraform init to fetch it", c.name, src), c.defRange, "")
	return "", false
}

// moduleDir checks that dir, where call c's module should be, is a
// directory of the tree; what names it is how the message shows it.
func (l *loader) moduleDir(dir string, c *callDecl, what string) (string, bool) {
	fi, err := l.fs.Stat(dir)
	switch {
	case !l.fs.Contains(dir) || treefs.IsOutside(err):
		l.skipped(scanner.DiagError, fmt.Sprintf("module %q: %s is outside the scanned tree, and is not read", c.name, what), c.defRange, "")
	case err != nil:
		l.skipped(scanner.DiagError, fmt.Sprintf("module %q: %s not found", c.name, what), c.defRange, "")
	case !fi.IsDir():
		l.skipped(scanner.DiagError, fmt.Sprintf("module %q: %s is a file; a module source names the directory that holds the module's .tf files", c.name, what), c.defRange, "")
	default:
		return dir, true
	}
	return "", false
}

// skipped records that a module call's resources are not scanned; detail
// "" says just that.
func (l *tree) skipped(sev scanner.DiagSeverity, summary string, rng hcl.Range, detail string) {
	if detail == "" {
		detail = "its resources are not scanned"
	}
	l.add(scanner.Diagnostic{Severity: sev, Summary: summary, Detail: detail,
		File: rng.Filename, Line: rng.Start.Line, Column: rng.Start.Column, Skipped: true})
}

// diag records a diagnostic once per place and summary.
func (t *tree) diag(sev scanner.DiagSeverity, summary, detail string, rng hcl.Range) {
	t.add(newDiag(sev, summary, detail, rng))
}

// hclDiag records an HCL diagnostic.
func (t *tree) hclDiag(d *hcl.Diagnostic) { t.add(fromHCL(d)) }

// parseDiag records an HCL diagnostic raised reading or parsing a file (a
// configuration or variables file): an error leaves the file not judged
// whole, so the scan is incomplete.
func (t *tree) parseDiag(d *hcl.Diagnostic) {
	sd := fromHCL(d)
	sd.Skipped = sd.Severity == scanner.DiagError
	t.add(sd)
}

// add records d unless a diagnostic with its place and summary is there.
func (t *tree) add(d scanner.Diagnostic) {
	key := fmt.Sprintf("%s:%d:%d:%s", d.File, d.Line, d.Column, d.Summary)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.diagSeen[key] {
		return
	}
	t.diagSeen[key] = true
	t.keyed = append(t.keyed, keyedDiag{len(t.diags), key})
	t.diags = append(t.diags, d)
}

func newDiag(sev scanner.DiagSeverity, summary, detail string, rng hcl.Range) scanner.Diagnostic {
	return scanner.Diagnostic{Severity: sev, Summary: summary, Detail: detail,
		File: rng.Filename, Line: rng.Start.Line, Column: rng.Start.Column}
}

func fromHCL(d *hcl.Diagnostic) scanner.Diagnostic {
	sev := scanner.DiagError
	if d.Severity == hcl.DiagWarning {
		sev = scanner.DiagWarning
	}
	rng := hcl.Range{}
	if d.Subject != nil {
		rng = *d.Subject
	}
	return newDiag(sev, strings.TrimSuffix(d.Summary, "."), strings.TrimSuffix(d.Detail, "."), rng)
}

// isLocalSource tells a local module path from a registry or remote source.
func isLocalSource(src string) bool {
	return strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || src == "." || src == ".."
}
