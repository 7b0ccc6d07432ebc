package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/baseline"
	"github.com/casascan/casascan/scanner/config"
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
	if err := cfg.ValidateChecks(func(id string) bool { return checks.ByID(id) != nil }); err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if cfg.ExitCode < 0 || cfg.ExitCode > 125 {
		return nil, usageErrorf("--exit-code %d is out of range: want 0 to 125", cfg.ExitCode)
	}
	origin := "--var-file"
	if flags.VarFiles == nil && file != nil {
		origin = "var-files of " + file.Path + ":"
	}
	for i, vf := range cfg.VarFiles {
		cfg.VarFiles[i] = c.abs(vf)
		if err := checkReadable(cfg.VarFiles[i]); err != nil {
			return nil, usageErrorf("%s %s: %v", origin, c.display(cfg.VarFiles[i]), err)
		}
	}
	if flags.Exclude != nil {
		for _, pat := range flags.Exclude {
			if err := config.ValidatePattern(pat); err != nil {
				return nil, usageErrorf("--exclude %q: %v", pat, err)
			}
		}
	}
	if !cfg.ScanDownloadedModules {
		fmt.Fprintln(c.stderr, "casascan: warning: scan-downloaded-modules: false is not supported yet; modules under .terraform/modules are scanned")
	}
	return cfg, nil
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
// nil when there is none.
func (c *cli) configFile(p *scanPlan) (*config.Config, error) {
	name := p.flags.config
	path := c.abs(name)
	if name == "" {
		found, ok := config.Find(c.configRoot(p))
		if !ok {
			return nil, nil
		}
		path, name = found, c.display(found)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, usageErrorf("reading %s: %v", name, pathErr(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, usageErrorf("reading %s: not a regular file", name)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, usageErrorf("reading %s: %v", name, pathErr(err))
	}
	defer fh.Close()
	src, err := io.ReadAll(io.LimitReader(fh, maxConfigSize+1))
	if err != nil {
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
	// working directory.
	for i, vf := range cfg.VarFiles {
		if !filepath.IsAbs(vf) {
			cfg.VarFiles[i] = filepath.Join(filepath.Dir(path), filepath.FromSlash(vf))
		}
	}
	return cfg, nil
}

// display names a path for messages: relative to the working directory
// when inside it.
func (c *cli) display(path string) string {
	if rel, err := filepath.Rel(c.dir, path); err == nil && c.baseFor(path) == c.dir {
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
	if given("scope-label") {
		labels, err := parseScopeLabels(f.scopeLabels)
		if err != nil {
			return fl, err
		}
		fl.ScopeLabels = labels
	}
	setIf(given("require-reason"), &fl.RequireReason, f.requireReason)
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
	if len(p.cfg.Exclude) == 0 {
		return
	}
	prefix := ""
	if root := c.configRoot(p); c.baseFor(root) == c.dir {
		if rel, err := filepath.Rel(c.dir, root); err == nil && rel != "." {
			prefix = filepath.ToSlash(rel) + "/"
		}
	}
	excluded := func(file string) bool {
		rel, ok := strings.CutPrefix(file, prefix)
		return file != "" && ok && p.cfg.Excluded(rel)
	}
	kept := res.Findings[:0]
	for _, f := range res.Findings {
		if !excluded(f.Location.File) {
			kept = append(kept, f)
		}
	}
	res.Findings = kept
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
		var buf bytes.Buffer
		if err := baseline.Write(&buf, res); err != nil {
			return fmt.Errorf("writing baseline %s: %w", f.writeBaseline, err)
		}
		if err := writeFileAtomic(c.abs(f.writeBaseline), buf.Bytes()); err != nil {
			return fmt.Errorf("writing baseline %s: %w", f.writeBaseline, err)
		}
		written = baseline.New(res)
		written.Name = f.writeBaseline
	}
	if f.baseline != "" {
		b, err := baseline.Load(c.abs(f.baseline))
		if err != nil {
			return errors.New(strings.ReplaceAll(err.Error(), c.abs(f.baseline), f.baseline))
		}
		b.Name = f.baseline
		if n := b.Apply(res); n > 0 {
			fmt.Fprintf(c.stderr, "casascan: %d findings recorded in %s are not reported as failures\n", n, f.baseline)
		}
	}
	if written != nil {
		n := written.Apply(res)
		fmt.Fprintf(c.stderr, "casascan: wrote %s (%d findings, now accepted)\n", f.writeBaseline, n)
	}
	return nil
}
