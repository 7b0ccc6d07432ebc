package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/checks/custom"
	"github.com/casascan/casascan/cmd/casascan/internal/config"
	"github.com/casascan/casascan/scanner"
)

// builtinIDs are the IDs of casascan's own checks.
func builtinIDs() []string {
	var ids []string
	for _, ch := range checks.All() {
		ids = append(ids, ch.ID)
	}
	return ids
}

// catalog is every check a scan knows: the built-in ones and the custom
// ones, sorted by ID.
func catalog(customs []*scanner.Check) []*scanner.Check {
	all := append(checks.All(), customs...)
	slices.SortFunc(all, func(a, b *scanner.Check) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return all
}

// customChecks loads the custom checks of a scan: .casascan/checks at the
// scan root, the configuration file's custom-checks: (resolved inside the
// tree by configFile), and --check-dir. A problem in any of them is a
// usage error: nothing is judged with a check set the user did not mean.
func (c *cli) customChecks(p *scanPlan, cfg *config.Config) ([]*scanner.Check, error) {
	tree, err := c.tree(c.configTree(p))
	if err != nil {
		return nil, usageErrorf("reading %s: %v", c.display(c.configTree(p)), pathErr(err))
	}
	rootDir := filepath.Join(c.configRoot(p), filepath.FromSlash(custom.DirName))
	sources := []custom.Source{{Tree: tree, Path: rootDir, Shown: c.display(rootDir), Optional: true}}
	for _, cc := range cfg.CustomChecks {
		sources = append(sources, custom.Source{Tree: tree, Path: cc, Shown: c.display(cc)})
	}
	more, err := c.checkDirSources(p.flags.checkDirs)
	if err != nil {
		return nil, err
	}
	return c.loadCustom(append(sources, more...))
}

// checkDirSources are the --check-dir paths: each read through a tree of
// its own (the path was named by the user, not found in the scanned tree).
func (c *cli) checkDirSources(dirs []string) ([]custom.Source, error) {
	var out []custom.Source
	for _, d := range dirs {
		abs := c.abs(d)
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, usageErrorf("--check-dir %s: %v", d, pathErr(err))
		}
		root := abs
		if !fi.IsDir() {
			root = filepath.Dir(abs)
		}
		tree, err := c.tree(root)
		if err != nil {
			return nil, usageErrorf("--check-dir %s: %v", d, pathErr(err))
		}
		out = append(out, custom.Source{Tree: tree, Path: abs, Shown: c.display(abs)})
	}
	return out, nil
}

func (c *cli) loadCustom(sources []custom.Source) ([]*scanner.Check, error) {
	cs, err := custom.Load(sources, builtinIDs())
	if err != nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("custom checks:\n%w", err)}
	}
	return cs, nil
}

// workdirCustomChecks are the custom checks `casascan checks` lists: the
// working directory's .casascan/checks and --check-dir.
func (c *cli) workdirCustomChecks(dirs []string) ([]*scanner.Check, error) {
	tree, err := c.tree(c.treeRoot(c.dir))
	if err != nil {
		return nil, usageErrorf("reading %s: %v", c.dir, pathErr(err))
	}
	rootDir := filepath.Join(c.dir, filepath.FromSlash(custom.DirName))
	sources := []custom.Source{{Tree: tree, Path: rootDir, Shown: c.display(rootDir), Optional: true}}
	more, err := c.checkDirSources(dirs)
	if err != nil {
		return nil, err
	}
	return c.loadCustom(append(sources, more...))
}
