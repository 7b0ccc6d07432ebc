// Package config reads casascan's configuration file, .casascan.yaml.
//
// The file sits at the scan root (Find) or is named with --config (Load).
// Every key is optional; a key the package does not know, or a value of the
// wrong type, is an error naming the file, line and key, because a typo in a
// security tool's configuration ("sevrity") must not silently widen or narrow
// what is checked:
//
//	# .casascan.yaml
//	checks: [GCP-ENC-001, GCP-KMS-001]   # run only these (default: all)
//	skip-checks: [GCP-DEL-002]           # never run these
//	severity: [HIGH, CRITICAL]           # run only checks of these severities
//	var-files: [env/prod.tfvars]         # relative to this file's directory, inside it
//	custom-checks: [policy/checks]       # custom check files or directories, likewise
//	exclude: ["legacy/**", "**/examples/**"]
//	scan-downloaded-modules: true        # read modules under .terraform/modules
//	scope-labels: {data: gmail}          # narrow M1/M3/M4 checks to labelled resources
//	ignore:                              # suppress findings without touching the Terraform
//	  - id: GCP-ENC-001                  # check ID (required; "*" for every check)
//	    path: "vendor/**"                # glob relative to the scan root (exclude's syntax)
//	    resource: "module.cdn.*"         # address pattern, * for any run of characters
//	    exp: 2026-12-31                  # no longer suppresses after this day
//	    reason: static assets, no user data
//	ignores:
//	  require-reason: true               # ignore comments without "-- reason" suppress nothing
//	  inline-ignores: true               # false: ignore comments are not honoured (audits)
//	sarif:
//	  category: infra                    # automationDetails.id
//	  include-unknown: false             # add UNKNOWN results to SARIF
//	exit-code: 1                         # exit code when FAIL findings remain
//
// Command-line flags override the file: Merge takes the flags the user
// actually gave (cobra's Changed) and returns the configuration in force.
// A list given on the command line replaces the file's list; it is not
// appended.
package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// FileName is the configuration file Find looks for at the scan root.
// FileNameAlt, the .yml spelling, is accepted when FileName is absent.
const (
	FileName    = ".casascan.yaml"
	FileNameAlt = ".casascan.yml"
)

// maxFileSize bounds what Load reads: a configuration file is a few lines,
// and the scanned tree (where the file may come from) is untrusted.
const maxFileSize = 1 << 20

// Config is the content of a configuration file, with every default filled
// in. The zero value is not meaningful; use Default.
type Config struct {
	// Path is the file the configuration was read from; "" for Default.
	Path string

	Checks     []string
	SkipChecks []string
	Severity   []scanner.Severity
	// VarFiles are relative to the configuration file's directory and may
	// not leave it (the file is part of the untrusted scanned tree); Load
	// joins them to that directory, so the file means the same whatever
	// directory casascan runs in.
	VarFiles []string
	// CustomChecks are custom check files or directories of them
	// (docs/custom-checks.md), relative to the configuration file's
	// directory and inside it, as written.
	CustomChecks []string
	// Exclude are glob patterns of paths not to scan; see Match.
	Exclude []string
	// ScanDownloadedModules is true unless the file sets it to false:
	// modules fetched by terraform init under .terraform/modules are read.
	ScanDownloadedModules bool
	ScopeLabels           map[string]string

	// Ignore are the ignore: entries, suppressing findings as ignore
	// comments do (scanner.ConfigIgnore).
	Ignore  []IgnoreEntry
	Ignores Ignores
	SARIF   SARIF
	// ExitCode is the exit code when FAIL findings remain (0 to 125).
	ExitCode int

	// lines records where each list entry was written ("checks.2" → line),
	// so a later validation (ValidateChecks) can point at it.
	lines map[string]int
}

// IgnoreEntry is one entry of the ignore: list.
type IgnoreEntry struct {
	Line     int    // where the entry starts in the file
	ID       string // check ID, upper-cased; "*" for every check
	Path     string // glob relative to the scan root (Match), "" for any
	Resource string // address pattern with *, "" for any
	Expires  string // YYYY-MM-DD, "" for never
	Reason   string
}

// Ignores is the policy for inline ignore comments.
type Ignores struct {
	// RequireReason makes ignore comments without "-- reason" suppress
	// nothing (default false).
	RequireReason bool
	// InlineIgnores honours ignore comments (default true); false is for
	// audits, where only fixes count.
	InlineIgnores bool
}

// SARIF holds the SARIF writer's settings.
type SARIF struct {
	// Category is automationDetails.id; "" derives it from the scanned root.
	Category string
	// IncludeUnknown adds UNKNOWN results to SARIF.
	IncludeUnknown bool
}

// DefaultExitCode is the exit code when FAIL findings remain and neither
// the file nor --exit-code sets one.
const DefaultExitCode = 1

// Default returns the configuration in force when there is no file.
func Default() *Config {
	return &Config{
		ScanDownloadedModules: true,
		Ignores:               Ignores{InlineIgnores: true},
		ExitCode:              DefaultExitCode,
	}
}

// Find returns the configuration file at the scan root root (FileName, else
// FileNameAlt), and whether there is one. Only regular files count; a
// directory named .casascan.yaml is not a configuration.
func Find(root string) (string, bool) {
	for _, name := range []string{FileName, FileNameAlt} {
		p := filepath.Join(root, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, true
		}
	}
	return "", false
}

// Load reads and validates the configuration file at path. Errors name the
// path as given and the line: ".casascan.yaml:7: unknown key "sevrity" (did
// you mean "severity"?)". Every problem in the file is reported, not only
// the first (errors.Join of *Error values).
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, unwrapPath(err))
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("reading %s: not a regular file", path)
	}
	src, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(src) > maxFileSize {
		return nil, fmt.Errorf("reading %s: too large for a configuration file (limit %d bytes)", path, maxFileSize)
	}
	c, err := Parse(path, src)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	for i, vf := range c.VarFiles {
		c.VarFiles[i] = filepath.Join(dir, filepath.FromSlash(vf))
	}
	return c, nil
}

// Parse decodes configuration source; name is used in errors and stored as
// Path. Var-file paths are left as written (Load resolves them).
func Parse(name string, src []byte) (*Config, error) {
	d := &decoder{file: name}
	c := Default()
	c.Path = name
	c.lines = map[string]int{}
	d.decode(src, c)
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return c, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ValidateChecks reports check IDs that the file's checks and skip-checks
// list and known rejects, at the line they were written; IDs that came from
// flags (Merge) are left to scanner.Select. The package cannot import the
// catalog (scanner packages never import checks), so the caller passes it:
//
//	cfg.ValidateChecks(func(id string) bool { return checks.ByID(id) != nil })
func (c *Config) ValidateChecks(known func(id string) bool) error {
	var errs []error
	for _, list := range []struct {
		key string
		ids []string
	}{{"checks", c.Checks}, {"skip-checks", c.SkipChecks}} {
		for i, id := range list.ids {
			line, fromFile := c.lines[fmt.Sprintf("%s.%d", list.key, i)]
			if fromFile && !known(id) {
				errs = append(errs, &Error{File: c.Path, Line: line,
					Msg: fmt.Sprintf("%s: unknown check ID %q (run 'casascan checks' for the list)", list.key, id)})
			}
		}
	}
	return errors.Join(errs...)
}

// RunOptions returns the scanner options the file decides; the caller sets
// Now.
func (c *Config) RunOptions() scanner.Options {
	return scanner.Options{
		NoInlineIgnores: !c.Ignores.InlineIgnores,
		RequireReason:   c.Ignores.RequireReason,
		ScopeLabels:     maps.Clone(c.ScopeLabels),
		ConfigIgnores:   c.ConfigIgnores(),
	}
}

// ConfigIgnores returns the ignore: entries as the scanner takes them,
// located at the file's path and each entry's line, paths matched with
// Match.
func (c *Config) ConfigIgnores() []scanner.ConfigIgnore {
	var out []scanner.ConfigIgnore
	for _, e := range c.Ignore {
		out = append(out, scanner.ConfigIgnore{
			File: filepath.ToSlash(c.Path), Line: e.Line, ID: e.ID,
			Path: e.Path, MatchPath: Match, Resource: e.Resource,
			Expires: e.Expires, Reason: e.Reason,
		})
	}
	return out
}

// Flags are the command-line values that override the file. A nil slice,
// map or pointer means the flag was not given (cobra: !Flags().Changed);
// a non-nil empty slice means it was given empty, which clears the file's
// list (--checks "" runs every check).
type Flags struct {
	Checks, SkipChecks []string
	Severity           []scanner.Severity
	VarFiles           []string // as the flags give them (relative to the working directory)
	Exclude            []string
	ScopeLabels        map[string]string

	ScanDownloadedModules *bool
	RequireReason         *bool
	NoInlineIgnores       *bool // --no-inline-ignores sets InlineIgnores to false
	SARIFCategory         *string
	SARIFIncludeUnknown   *bool
	ExitCode              *int
}

// Merge returns the configuration in force: c (Default when nil) with every
// flag that was given replacing the file's value. c is not modified.
func (c *Config) Merge(f Flags) *Config {
	out := Default()
	if c != nil {
		*out = *c
		out.Checks = slices.Clone(c.Checks)
		out.SkipChecks = slices.Clone(c.SkipChecks)
		out.Severity = slices.Clone(c.Severity)
		out.VarFiles = slices.Clone(c.VarFiles)
		out.CustomChecks = slices.Clone(c.CustomChecks)
		out.Exclude = slices.Clone(c.Exclude)
		out.ScopeLabels = maps.Clone(c.ScopeLabels)
		out.Ignore = slices.Clone(c.Ignore)
		out.lines = maps.Clone(c.lines)
	}
	override(&out.Checks, f.Checks)
	override(&out.SkipChecks, f.SkipChecks)
	// IDs that came from flags have no line; ValidateChecks passes them
	// over (scanner.Select reports them).
	for key, flag := range map[string][]string{"checks.": f.Checks, "skip-checks.": f.SkipChecks} {
		if flag != nil {
			maps.DeleteFunc(out.lines, func(k string, _ int) bool { return strings.HasPrefix(k, key) })
		}
	}
	override(&out.Severity, f.Severity)
	override(&out.VarFiles, f.VarFiles)
	override(&out.Exclude, f.Exclude)
	if f.ScopeLabels != nil {
		out.ScopeLabels = maps.Clone(f.ScopeLabels)
	}
	set(&out.ScanDownloadedModules, f.ScanDownloadedModules)
	set(&out.Ignores.RequireReason, f.RequireReason)
	if f.NoInlineIgnores != nil {
		out.Ignores.InlineIgnores = !*f.NoInlineIgnores
	}
	set(&out.SARIF.Category, f.SARIFCategory)
	set(&out.SARIF.IncludeUnknown, f.SARIFIncludeUnknown)
	set(&out.ExitCode, f.ExitCode)
	return out
}

func override[T any](dst *[]T, flag []T) {
	if flag != nil {
		*dst = slices.Clone(flag)
	}
}

func set[T any](dst *T, flag *T) {
	if flag != nil {
		*dst = *flag
	}
}
