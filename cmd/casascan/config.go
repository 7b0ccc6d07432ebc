package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/cmd/casascan/internal/config"
	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/baseline"
)

// maxConfigSize bounds a configuration file: it comes from the scanned,
// untrusted tree.
const maxConfigSize = 1 << 20

// configuration returns the configuration in force: the file (--config, or
// .casascan.yaml at the scan root) with the flags the user gave on top.
// Every mistake in it is a usage error.
func (c *cli) configuration(p *scanPlan) (*config.Config, error) {
	f := p.flags
	file, err := c.configFile(p)
	if err != nil {
		return nil, err
	}
	flags, err := c.configFlags(f)
	if err != nil {
		return nil, err
	}
	cfg := file.Merge(flags)
	if p.custom, err = c.customChecks(p, cfg); err != nil {
		return nil, err
	}
	isCustom := map[string]bool{}
	for _, ch := range p.custom {
		isCustom[ch.ID] = true
	}
	if err := cfg.ValidateChecks(func(id string) bool { return checks.ByID(id) != nil || isCustom[id] }); err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if err := checkExitCode(cfg, flags.ExitCode != nil); err != nil {
		return nil, err
	}
	origin := "--var-file"
	if flags.VarFiles == nil && file != nil {
		origin = "var-files of " + file.Path + ":"
	}
	tree, err := c.tree(c.configTree(p))
	if err != nil {
		return nil, usageErrorf("reading %s: %v", c.display(c.configTree(p)), pathErr(err))
	}
	p.varData, p.varTree = map[string][]byte{}, c.configTree(p)
	for i, vf := range cfg.VarFiles {
		cfg.VarFiles[i] = c.abs(vf)
		data, err := tree.ReadArg(cfg.VarFiles[i], vf)
		if err != nil {
			return nil, usageErrorf("%s %s: %v", origin, c.display(cfg.VarFiles[i]), pathErr(err))
		}
		p.varData[cfg.VarFiles[i]] = append([]byte{}, data...) // never nil: read once, here
	}
	if flags.Exclude != nil {
		for _, pat := range flags.Exclude {
			if err := config.ValidatePattern(pat); err != nil {
				return nil, usageErrorf("--exclude %q: %v", pat, err)
			}
		}
	}
	return cfg, nil
}

// checkExitCode keeps the exit code for findings apart from the codes that
// mean something else: a pipeline that sees 2 or 3 must be able to tell a
// usage error or an incomplete scan from findings.
func checkExitCode(cfg *config.Config, fromFlag bool) error {
	name := "--exit-code"
	if !fromFlag && cfg.Path != "" {
		name = cfg.Path + ": exit-code"
	}
	switch n := cfg.ExitCode; {
	case n < 0 || n > 125:
		return usageErrorf("%s %d is out of range: want 0, 1 or 4 to 125", name, n)
	case n == exitUsage:
		return usageErrorf("%s %d would look like a usage error (exit code 2): want 0, 1 or 4 to 125", name, n)
	case n == exitSkipped:
		return usageErrorf("%s %d would look like an incomplete scan (exit code 3): want 0, 1 or 4 to 125", name, n)
	}
	return nil
}

// configRoot is the directory whose .casascan.yaml applies: the first
// PATH's directory, or the working directory for a live-only scan. Exclude
// patterns are relative to it.
func (c *cli) configRoot(p *scanPlan) string {
	if len(p.sources) == 0 {
		return c.dir
	}
	if s := p.sources[0]; s.kind == kindTerraform {
		return s.path
	} else {
		return filepath.Dir(s.path)
	}
}

// configFile reads --config, or the .casascan.yaml found at the scan root;
// nil when there is none. The file at the scan root comes from the tree,
// and so do the var files it names: they are read through the tree, and
// must lie inside it.
func (c *cli) configFile(p *scanPlan) (*config.Config, error) {
	name := p.flags.config
	path := c.abs(name)
	root := c.configRoot(p)
	tree, err := c.tree(c.configTree(p))
	if err != nil {
		return nil, usageErrorf("reading %s: %v", c.display(root), pathErr(err))
	}
	var src []byte
	if name == "" {
		found := false
		for _, n := range []string{config.FileName, config.FileNameAlt} {
			path = filepath.Join(root, n)
			if _, err := os.Lstat(path); err != nil {
				continue // not there (a link out of the tree is there, and refused below)
			}
			found, name = true, c.display(path)
			if src, err = tree.ReadFile(path); err != nil {
				return nil, usageErrorf("reading %s: %v", name, pathErr(err))
			}
			break
		}
		if !found {
			return nil, nil
		}
	} else if src, err = tree.ReadArg(path, name); err != nil {
		return nil, usageErrorf("reading %s: %v", name, pathErr(err))
	}
	if len(src) > maxConfigSize {
		return nil, usageErrorf("reading %s: too large for a configuration file (over the limit of %d bytes, 1 MiB)", name, maxConfigSize)
	}
	cfg, err := config.Parse(name, src)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	// Var files in the file are relative to the file, whatever the
	// working directory, and must lie inside the tree.
	for i, vf := range cfg.VarFiles {
		if !filepath.IsAbs(vf) {
			vf = filepath.Join(filepath.Dir(path), filepath.FromSlash(vf))
		}
		if !tree.Contains(vf) {
			return nil, usageErrorf("%s: var-files: %s is outside the scanned tree; name it with --var-file instead", name, cfg.VarFiles[i])
		}
		cfg.VarFiles[i] = vf
	}
	for i, cc := range cfg.CustomChecks {
		abs := filepath.Join(filepath.Dir(path), filepath.FromSlash(cc))
		if !tree.Contains(abs) {
			return nil, usageErrorf("%s: custom-checks: %s is outside the scanned tree; name it with --check-dir instead", name, cc)
		}
		cfg.CustomChecks[i] = abs
	}
	return cfg, nil
}

// configTree is the tree the configuration file at the scan root belongs
// to.
func (c *cli) configTree(p *scanPlan) string {
	if len(p.sources) > 0 {
		return p.sources[0].root
	}
	return c.treeRoot(c.dir)
}

// display names a path for messages: relative to the working directory
// when inside it.
func (c *cli) display(path string) string {
	if rel, err := filepath.Rel(c.dir, path); err == nil && treefs.Within(c.dir, path) {
		return rel
	}
	return path
}

// configFlags collects the flags the user gave, to override the file.
func (c *cli) configFlags(f *scanFlags) (config.Flags, error) {
	var fl config.Flags
	given := func(name string) bool { return f.changed != nil && f.changed(name) }
	if given("checks") {
		fl.Checks = nonNil(f.checks)
	}
	if given("skip-checks") {
		fl.SkipChecks = nonNil(f.skip)
	}
	if given("severity") {
		fl.Severity = []scanner.Severity{}
		for _, s := range f.severity {
			if strings.TrimSpace(s) == "" {
				continue
			}
			sev, err := scanner.ParseSeverity(s)
			if err != nil {
				return fl, usageErrorf("--severity: %v", err)
			}
			fl.Severity = append(fl.Severity, sev)
		}
	}
	if given("var-file") {
		fl.VarFiles = nonNil(f.varFiles)
	}
	if given("exclude") {
		fl.Exclude = nonNil(f.exclude)
	}
	// --skip-dirs DIR (trivy's) is --exclude DIR/**; given with --exclude,
	// both apply.
	if given("skip-dirs") {
		for _, d := range f.skipDirs {
			if d = strings.TrimSuffix(strings.TrimSpace(d), "/"); d != "" {
				fl.Exclude = append(nonNil(fl.Exclude), d+"/**")
			}
		}
	}
	if given("scope-label") {
		labels, err := parseScopeLabels(f.scopeLabels)
		if err != nil {
			return fl, err
		}
		fl.ScopeLabels = labels
	}
	setIf(given("require-reason"), &fl.RequireReason, f.requireReason)
	setIf(given("scan-downloaded-modules"), &fl.ScanDownloadedModules, f.scanDownloadedModules)
	setIf(given("no-inline-ignores"), &fl.NoInlineIgnores, f.noInlineIgnores)
	setIf(given("sarif-category"), &fl.SARIFCategory, f.sarifCategory)
	setIf(given("sarif-include-unknown"), &fl.SARIFIncludeUnknown, f.sarifIncludeUnknown)
	setIf(given("exit-code"), &fl.ExitCode, f.exitCode)
	return fl, nil
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

func setIf[T any](given bool, dst **T, v T) {
	if given {
		*dst = &v
	}
}

// dropExcluded removes the findings and diagnostics located in excluded
// paths. The loaders read every file (references into excluded files still
// resolve); nothing located in them is reported. Report paths are relative
// to the working directory, patterns to the scan root, so the root's
// prefix is taken off first.
func (c *cli) dropExcluded(p *scanPlan, res *scanner.Result) {
	if !p.cfg.ScanDownloadedModules {
		c.dropDownloaded(res)
	}
	if len(p.cfg.Exclude) == 0 {
		return
	}
	prefix := ""
	if len(p.sources) > 0 {
		if rel, err := filepath.Rel(p.sources[0].base, c.configRoot(p)); err == nil && rel != "." {
			prefix = filepath.ToSlash(rel) + "/"
		}
	}
	excluded := func(file string) bool {
		rel, ok := strings.CutPrefix(file, prefix)
		return file != "" && ok && p.cfg.Excluded(rel)
	}
	res.Update(func(f *scanner.Finding) bool { return !excluded(f.Location.File) })
	diags := res.Diagnostics[:0]
	for _, d := range res.Diagnostics {
		if !excluded(d.File) {
			diags = append(diags, d)
		}
	}
	res.Diagnostics = diags
}

// applyBaselines writes --write-baseline from every FAIL finding, then
// marks the findings recorded in --baseline (and in the baseline just
// written: those are accepted now) as IGNORED.
func (c *cli) applyBaselines(p *scanPlan, res *scanner.Result) error {
	f := p.flags
	var written *baseline.Baseline
	if f.writeBaseline != "" {
		written = baseline.New(res)
		if err := res.Err(); err != nil {
			// A baseline missing failures is not written (scan ends
			// incomplete: see outcome).
			return fmt.Errorf("writing baseline %s: reading the findings: %w", f.writeBaseline, err)
		}
		var buf bytes.Buffer
		if err := written.Encode(&buf); err != nil {
			return fmt.Errorf("writing baseline %s: %w", f.writeBaseline, err)
		}
		if err := writeFileAtomic(c.abs(f.writeBaseline), buf.Bytes()); err != nil {
			return fmt.Errorf("writing baseline %s: %w", f.writeBaseline, err)
		}
		written.Name = f.writeBaseline
	}
	if f.baseline != "" {
		b, err := c.readBaseline(p, f.baseline)
		if err != nil {
			return err
		}
		b.Name = f.baseline
		if n := b.Apply(res); n > 0 {
			fmt.Fprintf(c.stderr, "casascan: %d findings recorded in %s are not reported as failures\n", n, safetext.Line(f.baseline))
		}
	}
	if written != nil {
		n := written.Apply(res)
		fmt.Fprintf(c.stderr, "casascan: wrote %s (%d findings, now accepted)\n", safetext.Line(f.writeBaseline), n)
	}
	return nil
}

// readBaseline reads --baseline: through the scanned tree when it lies in
// it (a link placed in the tree cannot lead out of it).
func (c *cli) readBaseline(p *scanPlan, name string) (*baseline.Baseline, error) {
	tree, err := c.tree(c.configTree(p))
	if err != nil {
		return nil, fmt.Errorf("reading baseline %s: %w", name, pathErr(err))
	}
	data, err := tree.ReadArg(c.abs(name), name)
	if err != nil {
		return nil, fmt.Errorf("reading baseline: %w", err)
	}
	b, err := baseline.Read(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading baseline %s: %w", name, err)
	}
	b.Name = name
	return b, nil
}

// dropDownloaded removes, for scan-downloaded-modules: false, the results
// and diagnostics located in modules terraform init downloaded (under
// .terraform/modules): a finding anchored at the module call that brings
// one in (Finding.DownloadedModule), or located in one. Resources in the
// repository that refer to them are still judged with them. It says how
// many it dropped, so nothing goes missing silently.
func (c *cli) dropDownloaded(res *scanner.Result) {
	n := res.Update(func(f *scanner.Finding) bool {
		return f.DownloadedModule == nil && !inDownloadedModule(f.Location.File)
	})
	diags := res.Diagnostics[:0]
	for _, d := range res.Diagnostics {
		if inDownloadedModule(d.File) {
			n++
			continue
		}
		diags = append(diags, d)
	}
	res.Diagnostics = diags
	if n > 0 {
		fmt.Fprintf(c.stderr, "casascan: scan-downloaded-modules is false: %d results and diagnostics in modules under .terraform/modules are not reported\n", n)
	}
}

// inDownloadedModule reports whether a report path lies under a
// .terraform/modules directory.
func inDownloadedModule(file string) bool {
	return strings.HasPrefix(file, ".terraform/modules/") || strings.Contains(file, "/.terraform/modules/")
}
