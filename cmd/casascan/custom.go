package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/checks/custom"
	"github.com/casascan/casascan/cmd/casascan/internal/config"
	"github.com/casascan/casascan/scanner"
)

// catalog is every check a scan knows: the built-in ones and the custom
// ones, sorted by ID.
func catalog(customs []*scanner.Check) []*scanner.Check {
	all := append(checks.All(), customs...)
	slices.SortFunc(all, func(a, b *scanner.Check) int { return strings.Compare(a.ID, b.ID) })
	return all
}

// reservedID says what a custom check ID already names, or "": one of
// casascan's own checks, or a tfsec/trivy ID of one (the alias table of
// checks.MapIgnoreID), whose ignore comments suppress that check.
func reservedID(id string) string {
	if checks.ByID(strings.ToUpper(id)) != nil {
		return "a built-in check"
	}
	if ids := checks.MapIgnoreID("trivy", id); len(ids) > 0 {
		return "the tfsec/trivy ID of casascan's " + strings.Join(ids, " and ") + " (its ignore comments suppress that check)"
	}
	return ""
}

// customSources is where custom checks come from, for every command that
// loads them (scan, checks, checks test, shell completion):
// .casascan/checks at the configuration root, the configuration file's
// custom-checks: (resolved inside the tree by configFile; cfg may be nil,
// no file), and --check-dir.
func (c *cli) customSources(p *scanPlan, cfg *config.Config) ([]custom.Source, error) {
	tree, err := c.tree(c.configTree(p))
	if err != nil {
		return nil, usageErrorf("reading %s: %v", c.display(c.configTree(p)), pathErr(err))
	}
	rootDir := filepath.Join(c.configRoot(p), filepath.FromSlash(custom.DirName))
	sources := []custom.Source{{Tree: tree, Path: rootDir, Shown: c.display(rootDir), Optional: true}}
	if cfg != nil {
		for _, cc := range cfg.CustomChecks {
			sources = append(sources, custom.Source{Tree: tree, Path: cc, Shown: c.display(cc)})
		}
	}
	more, err := c.checkDirSources("--check-dir ", p.flags.checkDirs)
	if err != nil {
		return nil, err
	}
	return append(sources, more...), nil
}

// customChecks loads the custom checks of a scan (customSources). A
// problem in any of them is a usage error: nothing is judged with a check
// set the user did not mean.
func (c *cli) customChecks(p *scanPlan, cfg *config.Config) ([]*scanner.Check, error) {
	sources, err := c.customSources(p, cfg)
	if err != nil {
		return nil, err
	}
	cs, err := custom.Load(sources, custom.Options{Reserved: reservedID})
	if err != nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("custom checks:\n%w", err)}
	}
	return cs, nil
}

// checkDirSources are check files or directories named on the command
// line (--check-dir, the arguments of checks test; flag prefixes them in
// messages): each read through a tree of its own (the path was named by
// the user, not found in the scanned tree).
func (c *cli) checkDirSources(flag string, dirs []string) ([]custom.Source, error) {
	var out []custom.Source
	for _, d := range dirs {
		abs := c.abs(d)
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, usageErrorf("%s%s: %v", flag, d, pathErr(err))
		}
		root := abs
		if !fi.IsDir() {
			root = filepath.Dir(abs)
		}
		tree, err := c.tree(root)
		if err != nil {
			return nil, usageErrorf("%s%s: %v", flag, d, pathErr(err))
		}
		out = append(out, custom.Source{Tree: tree, Path: abs, Shown: c.display(abs)})
	}
	return out, nil
}

// plainPlan is the scan plan of a command that names custom checks
// without scanning (checks, checks test, completion): the configuration
// root is the first of paths (a scan's PATH) or the working directory, and
// its configuration file (--config, or .casascan.yaml there) is read for
// custom-checks:.
func (c *cli) plainPlan(paths []string, f *scanFlags) (*scanPlan, *config.Config, error) {
	p := &scanPlan{flags: f}
	if len(paths) > 0 {
		var err error
		if p.sources, err = c.resolve(paths); err != nil {
			return nil, nil, err
		}
	}
	cfg, err := c.configFile(p)
	if err != nil {
		return nil, nil, err
	}
	return p, cfg, nil
}

// plainCustomChecks are the custom checks casascan checks lists and
// completion offers: those a scan of paths (none: the working directory)
// with f's --config and --check-dir would load.
func (c *cli) plainCustomChecks(paths []string, f *scanFlags) ([]*scanner.Check, error) {
	p, cfg, err := c.plainPlan(paths, f)
	if err != nil {
		return nil, err
	}
	return c.customChecks(p, cfg)
}
