package main

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/scanner/report"
)

// maxSnippetSource bounds the bytes of one file the text report reads to
// show the lines around a finding.
const maxSnippetSource = 4 << 20

// evidenceOptions fills what the evidence formats print besides the
// result: the scope and filters in force (html, csv), the date (only from
// SOURCE_DATE_EPOCH, so output stays reproducible), the forge link base
// (markdown, from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA),
// and, for the text report, the source lines and the width.
func (c *cli) evidenceOptions(p *scanPlan, args []string) error {
	f := p.flags
	o := &p.report
	for _, a := range args {
		o.Scope.Inputs = append(o.Scope.Inputs, c.scanRoot([]string{a}, &scanFlags{}, &scanPlan{}))
	}
	for _, s := range []struct {
		kind string
		ids  []string
	}{{"projects/", f.projects}, {"folders/", f.folders}, {"organizations/", f.orgs}} {
		for _, id := range s.ids {
			o.Scope.Inputs = append(o.Scope.Inputs, s.kind+id)
		}
	}
	if p.shardCount > 1 {
		o.Scope.Inputs = append(o.Scope.Inputs, fmt.Sprintf("shard %d of %d", p.shardIndex, p.shardCount))
	}
	cfg := p.cfg
	if cfg.Path != "" {
		o.Scope.Config = filepath.ToSlash(cfg.Path)
	}
	o.Scope.Checks = slices.Clone(cfg.Checks)
	o.Scope.SkipChecks = slices.Clone(cfg.SkipChecks)
	for _, s := range cfg.Severity {
		o.Scope.Severity = append(o.Scope.Severity, s.String())
	}
	o.Scope.Exclude = slices.Clone(cfg.Exclude)
	for _, k := range slices.Sorted(maps.Keys(cfg.ScopeLabels)) {
		o.Scope.ScopeLabels = append(o.Scope.ScopeLabels, k+"="+cfg.ScopeLabels[k])
	}
	o.Scope.Baseline = f.baseline
	o.Scope.NoInlineIgnores = !cfg.Ignores.InlineIgnores

	if v, ok := c.getenv("SOURCE_DATE_EPOCH"); ok && v != "" {
		secs, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || secs < 0 {
			return usageErrorf("SOURCE_DATE_EPOCH %q: want a whole number of seconds since 1970-01-01 UTC", v)
		}
		o.Date = time.Unix(secs, 0).UTC().Format("2006-01-02")
	}
	server, _ := c.getenv("GITHUB_SERVER_URL")
	repo, _ := c.getenv("GITHUB_REPOSITORY")
	sha, _ := c.getenv("GITHUB_SHA")
	o.LinkBase = report.GitHubLinkBase(server, repo, sha)

	o.Compact = f.compact
	o.Width = 100
	if v, ok := c.getenv("COLUMNS"); ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 40 && n <= 1000 {
			o.Width = n
		}
	}
	o.Source = c.sourceReader(p)
	return nil
}

// sourceCache is how many bytes of source files sourceReader keeps: the
// text report shows its snippets file by file (findings are in file
// order), so a few recent files are all it needs, however large the tree.
const sourceCache = 4 << 20

// sourceReader returns the report's Source: a file named as in a finding
// (relative to the sources' base) read through the tree of the source that
// holds it, so nothing outside the scanned trees is read; nil for anything
// it cannot read or that is too large. The files read last are kept, up to
// sourceCache bytes, so a file is read again only after many others.
func (c *cli) sourceReader(p *scanPlan) func(string) []byte {
	cache := map[string][]byte{}
	missing := map[string]bool{} // files that could not be read: names only
	var order []string           // the cached files read, oldest first
	held := 0
	keep := func(file string, b []byte) {
		for held+len(b) > sourceCache && len(order) > 0 {
			held -= len(cache[order[0]])
			delete(cache, order[0])
			order = order[1:]
		}
		cache[file] = b
		order = append(order, file)
		held += len(b)
	}
	return func(file string) []byte {
		if b, ok := cache[file]; ok {
			return b
		}
		if missing[file] || len(p.sources) == 0 || file == "" {
			return nil
		}
		abs := filepath.Join(p.sources[0].base, filepath.FromSlash(file))
		for _, s := range p.sources {
			if !treefs.Within(s.root, abs) {
				continue
			}
			tree, err := c.tree(s.root)
			if err != nil {
				continue
			}
			b, err := tree.ReadFile(abs)
			if err != nil || len(b) > maxSnippetSource {
				continue
			}
			keep(file, b)
			return b
		}
		missing[file] = true
		return nil
	}
}
