package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/casascan/casascan/internal/par"
	"github.com/casascan/casascan/scanner"
)

// LoadTree reads every root module under dir: each directory with
// configuration files that no other directory of the tree calls as a local
// module. This is what a user scanning a repository expects; each root
// becomes its own graph, so equal addresses in two roots never meet.
// Hidden directories (.terraform, .git) are not searched. The tree's
// diagnostics are on the first graph.
func LoadTree(ctx context.Context, dir string, opts Options) ([]*scanner.Graph, error) {
	var graphs []*scanner.Graph
	var diags []scanner.Diagnostic
	err := LoadTreeFunc(ctx, dir, opts, func(g *scanner.Graph) error {
		diags = append(diags, g.Diagnostics...)
		g.Diagnostics = nil
		graphs = append(graphs, g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	scanner.SortDiagnostics(diags)
	graphs[0].Diagnostics = diags
	return graphs, nil
}

// LoadTreeFunc is LoadTree handing each root module's graph to fn as soon
// as it is evaluated, in LoadTree's order, and keeping nothing of it, so
// that a tree of thousands of roots is held one batch of roots at a time:
// root modules are independent. Each graph carries the diagnostics first
// recorded while loading it (the first one, the tree's own as well). An
// error from fn stops the load and is returned.
//
// It goes in two steps. The survey parses every configuration directory,
// a chunk at a time, and keeps of each only the modules it calls, its
// ignore comments and its diagnostics; the modules other directories call
// stay parsed, shared by every root. Then the roots are loaded a batch at
// a time: each root's directory parsed again, its modules found in root
// order (so that a module reached through a link has the name the first
// root gave it, as when the roots were loaded together), the batch
// evaluated in parallel, and the graphs handed to fn in order.
func LoadTreeFunc(ctx context.Context, dir string, opts Options, fn func(*scanner.Graph) error) error {
	t, top, err := newTree(ctx, dir, opts)
	if err != nil {
		return err
	}
	defer t.close()
	dirs, err := t.configDirs(top)
	if err != nil {
		return fmt.Errorf("reading %s: %w", dir, err)
	}
	if len(dirs) == 0 {
		t.diags = append(t.diags, scanner.Diagnostic{Severity: scanner.DiagWarning, Subject: t.rel(top),
			Summary: "no Terraform files (.tf, .tf.json) found", Detail: "nothing was scanned there; hidden directories such as .terraform are not searched"})
		dirs = []string{top}
	}
	sv, err := t.survey(dirs)
	if err != nil {
		return err
	}
	var roots []string
	for _, d := range dirs {
		if !sv.called[d] {
			roots = append(roots, d)
		}
	}
	if len(roots) == 0 { // every directory calls another: start at the top
		roots = dirs[:1]
	}
	workers := t.opts.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	seen := map[string]bool{} // diagnostic keys already handed on
	for _, k := range t.keyed {
		seen[k.key] = true
	}
	first := true
	// finish hands a batch's graphs on in order. It runs while the next
	// batch is parsed and evaluated, so that judging one batch (fn) and
	// loading the next use the cores together; one batch waits at most.
	finish := func(subs []*tree, graphs []*scanner.Graph) error {
		for j, g := range graphs {
			var diags []scanner.Diagnostic
			if first {
				diags, first = t.diags, false
			}
			diags = append(diags, subs[j].emit(g, sv, seen)...)
			scanner.SortDiagnostics(diags)
			g.Diagnostics = diags
			g.Index()
			subs[j], graphs[j] = nil, nil
			if err := fn(g); err != nil {
				return err
			}
		}
		return nil
	}
	var pending chan error // the previous batch's finish
	wait := func() error {
		if pending == nil {
			return nil
		}
		err := <-pending
		pending = nil
		return err
	}
	for i := 0; i < len(roots); i += workers {
		if err := ctx.Err(); err != nil {
			_ = wait()
			return err
		}
		batch := roots[i:min(i+workers, len(roots))]
		subs := make([]*tree, len(batch))
		for j := range batch {
			subs[j] = t.rootTree()
		}
		par.Each(len(batch), len(batch), func(_, j int) { subs[j].parseRoot(batch[j]) })
		loaders := make([]*loader, len(batch))
		for j, r := range batch {
			loaders[j] = subs[j].newLoader(r, len(roots) == 1)
		}
		graphs := make([]*scanner.Graph, len(batch))
		par.Each(len(batch), len(batch), func(_, j int) {
			graphs[j] = subs[j].evaluate(loaders[j : j+1])[0]
		})
		if err := wait(); err != nil {
			return err
		}
		done := make(chan error, 1)
		pending = done
		go func() { done <- finish(subs, graphs) }()
	}
	return wait()
}

// survey is what the survey of a tree keeps: which directories other
// directories call, and the ignore comments of every file it parsed.
type survey struct {
	called  map[string]bool
	ignores []scanner.Ignore
	// surveyed are the files whose ignore comments are in ignores (their
	// diagnostics handed on with the tree's); read, the other files whose
	// ignore comments' diagnostics were handed on.
	surveyed, read map[string]bool
	// blocks are the resource, data and module blocks of the tree.
	blocks int
}

// surveyChunk is how many directories the survey parses at once.
const surveyChunk = 16

// survey reads dirs a chunk at a time. Of a directory that a directory
// before it called, the module is parsed and stays parsed (t.mods),
// shared by the roots; of the others, only the modules it calls, its
// ignore comments and its diagnostics are kept: read from its files by
// scanDir without parsing them when they are ordinary enough, else
// parsed (a tree of one chunk stays parsed whole). A called directory met
// before its first caller is parsed at the end. It scales the instance
// budget with the blocks of every directory, as when they were all held
// at once. A directory the survey did not parse reports its parse
// diagnostics when its root is loaded (parseRoot).
func (t *tree) survey(dirs []string) (*survey, error) {
	sv := &survey{called: map[string]bool{}, surveyed: map[string]bool{}, read: map[string]bool{}}
	blocks := 0
	small := len(dirs) <= surveyChunk
	addIgnores := func(rel string, src []byte) {
		igs, diags := scanner.ParseIgnores(rel, src, t.opts.MapIgnoreID)
		sv.ignores = append(sv.ignores, igs...)
		t.diags = append(t.diags, diags...)
		sv.surveyed[rel] = true
	}
	for i := 0; i < len(dirs); i += surveyChunk {
		part := dirs[i:min(i+surveyChunk, len(dirs))]
		scanned := make([]*scannedDir, len(part))
		if !small {
			par.Each(len(part), 0, func(_, j int) {
				if !sv.called[part[j]] {
					scanned[j] = t.scanDir(part[j])
				}
			})
			for _, sd := range scanned {
				if sd != nil {
					blocks += sd.blocks
					for _, c := range sd.called {
						sv.called[c] = true
					}
				}
			}
		}
		var parse []string
		for j, d := range part {
			if scanned[j] != nil && sv.called[d] {
				// Called by a directory of this chunk: parsed as a module,
				// its blocks counted once.
				blocks -= scanned[j].blocks
				scanned[j] = nil
			}
			if scanned[j] == nil {
				parse = append(parse, d)
			}
		}
		if err := t.parseDirs(parse, false); err != nil {
			return nil, err
		}
		for _, d := range parse {
			m := t.mods[d]
			if m == nil {
				continue
			}
			blocks += len(m.resources) + len(m.calls)
			for _, c := range m.calls {
				if isLocalSource(c.source) {
					sv.called[filepath.Clean(filepath.Join(d, filepath.FromSlash(c.source)))] = true
				}
			}
		}
		// Ignore comments in the order of the directories and their files.
		files := t.files
		for j, d := range part {
			if sd := scanned[j]; sd != nil {
				for _, f := range sd.files {
					addIgnores(f.rel, f.src)
				}
				continue
			}
			for len(files) > 0 && filepath.Dir(files[0].abs) == d {
				addIgnores(files[0].rel, files[0].src)
				files = files[1:]
			}
		}
		for _, f := range files { // none: parseDirs keeps each directory's files together
			addIgnores(f.rel, f.src)
		}
		t.files = nil
		if small {
			break // a small tree stays parsed: its roots are not parsed again
		}
		for _, d := range part {
			if !sv.called[d] {
				delete(t.mods, d)
			}
		}
	}
	var again []string
	for _, d := range dirs {
		if _, ok := t.mods[d]; sv.called[d] && !ok {
			again = append(again, d)
		}
	}
	if err := t.parseDirs(again, false); err != nil {
		return nil, err
	}
	t.files = nil
	sv.blocks = blocks
	t.scaleBudgetBlocks(blocks)
	return sv, nil
}

// scannedDir is what the survey learns of a directory without parsing it
// (scanDir).
type scannedDir struct {
	files  []scannedSource
	called []string // the local module directories it calls
	blocks int      // its resource, data and module blocks
}

type scannedSource struct {
	rel string
	src []byte
}

// scanDir reads a directory's configuration files as parseDirs does and
// scans them (scanFile), or returns nil when the directory must be parsed
// to be known: a file that cannot be read, that preScan refuses or that
// scanFile gives up on, a .tf.json or override file, two module calls of
// one name (the second is dropped by the full parse). Whatever makes it
// return nil is reported by the parse, as before.
func (t *tree) scanDir(d string) *scannedDir {
	names, err := configFiles(t.fs, d)
	if err != nil {
		return nil
	}
	sd := &scannedDir{}
	var modules []string
	for _, n := range names {
		if strings.HasSuffix(n, ".json") || isOverrideFile(n) {
			return nil
		}
		src, err := t.fs.ReadFile(n)
		if err != nil {
			return nil
		}
		rel := t.rel(n)
		if preScan(src, rel, false) != nil {
			return nil
		}
		calls, blocks, ok := scanFile(src)
		if !ok {
			return nil
		}
		for _, c := range calls {
			if slices.Contains(modules, c.name) {
				return nil
			}
			modules = append(modules, c.name)
			if isLocalSource(c.source) {
				sd.called = append(sd.called, filepath.Clean(filepath.Join(d, filepath.FromSlash(c.source))))
			}
		}
		sd.blocks += blocks
		sd.files = append(sd.files, scannedSource{rel, src})
	}
	return sd
}

// rootTree returns a tree for one root module of t: it shares t's file
// system, budget, module directories met and surveyed modules, and has
// its own diagnostics.
func (t *tree) rootTree() *tree {
	s := &tree{ctx: t.ctx, opts: t.opts, base: t.base, top: t.top, fs: t.fs, dirs: t.dirs,
		mods: make(map[string]*module, len(t.mods)), budget: t.budget, tables: t.tables, diagSeen: map[string]bool{}}
	for d, m := range t.mods {
		s.mods[d] = m
	}
	return s
}

// parseRoot parses a root module's directory, unless the survey kept it.
// Of a directory the survey did not parse (scanDir), the diagnostics of
// the parse are first recorded here.
func (t *tree) parseRoot(dir string) {
	if _, ok := t.mods[dir]; ok {
		return
	}
	// The directory was read by the survey; a failure now is a race with
	// a change to the tree, reported as the survey would have.
	_ = t.parseDirs([]string{dir}, false)
}

// emit finishes a root module's graph: the survey's ignore comments and
// those of the files only this root read (modules terraform init fetched
// for it), and returns its diagnostics that no root before it recorded
// (seen): a module called from several roots reports its problems once.
func (t *tree) emit(g *scanner.Graph, sv *survey, seen map[string]bool) []scanner.Diagnostic {
	ignores := slices.Clip(sv.ignores)
	var extra []scanner.Diagnostic
	for _, f := range t.files {
		if sv.surveyed[f.rel] {
			continue
		}
		igs, diags := scanner.ParseIgnores(f.rel, f.src, t.opts.MapIgnoreID)
		ignores = append(ignores, igs...)
		if !sv.read[f.rel] {
			sv.read[f.rel] = true
			extra = append(extra, diags...)
		}
	}
	g.Ignores = ignores
	drop := map[int]bool{}
	for _, k := range t.keyed {
		if seen[k.key] {
			drop[k.i] = true
		}
		seen[k.key] = true
	}
	var out []scanner.Diagnostic
	for i, d := range t.diags {
		if !drop[i] {
			out = append(out, d)
		}
	}
	return append(out, extra...)
}
