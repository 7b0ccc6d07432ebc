package config

import (
	"errors"
	"path"
	"slices"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// ValidatePattern reports a malformed exclude pattern.
func ValidatePattern(pattern string) error {
	p := normalizePattern(pattern)
	if p == "" {
		return errors.New("empty pattern")
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return errors.New(`pattern ` + quote(pattern) + ` uses "..": patterns are relative to the scan root`)
		}
		if seg == "**" {
			continue
		}
		if _, err := path.Match(seg, ""); err != nil {
			return errors.New("pattern " + quote(pattern) + " is malformed: " + err.Error())
		}
	}
	return nil
}

// Match reports whether an exclude pattern covers name, a slash path
// relative to the scan root. A malformed pattern matches nothing.
//
// Paths are written with forward slashes ("envs/dev/main.tf") and matched
// segment by segment:
//
//   - within a segment, path.Match syntax: * (any run of characters but /),
//     ? (one character), [a-z] (a class);
//   - a segment that is exactly ** matches zero or more whole segments, so
//     "**/examples/**" excludes every examples directory at any depth;
//   - a pattern that matches a directory excludes everything under it:
//     "legacy" and "legacy/**" both exclude legacy/main.tf;
//   - patterns are anchored at the scan root: "main.tf" is only the root's
//     main.tf; write "**/main.tf" for every one;
//   - a leading "./" or "/" and a trailing "/" are ignored; ".." is an error
//     (nothing outside the root is scanned anyway).
func Match(pattern, name string) bool {
	p := normalizePattern(pattern)
	n := strings.Trim(path.Clean("/"+strings.ReplaceAll(name, `\`, "/")), "/")
	if p == "" || n == "" {
		return false
	}
	ps, ns := strings.Split(p, "/"), strings.Split(n, "/")
	// The pattern covers name when it matches name or one of its parent
	// directories.
	return matchPrefix(ps, ns)
}

// matchPrefix reports whether pattern segments match path segments ns or
// one of their non-empty prefixes; ** takes zero or more path segments. It
// fills a table of which pattern prefix matches which path prefix, so many
// ** against a deep path cost len(ps)×len(ns) steps, never an exponential
// backtrack.
func matchPrefix(ps, ns []string) bool {
	// row[j] is true when the pattern's first i segments match ns[:j].
	w := len(ns) + 1
	row, next := make([]bool, w), make([]bool, w)
	row[0] = true
	for _, p := range ps {
		for j := 0; j < w; j++ {
			if p == "**" { // zero segments, or one more
				next[j] = row[j] || j > 0 && next[j-1]
				continue
			}
			next[j] = false
			if j > 0 && row[j-1] {
				m, err := path.Match(p, ns[j-1])
				next[j] = err == nil && m
			}
		}
		row, next = next, row
	}
	return slices.Contains(row[1:], true)
}

func normalizePattern(p string) string {
	p = strings.TrimSpace(strings.ReplaceAll(p, `\`, "/"))
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	return strings.Trim(p, "/")
}

func quote(s string) string { return `"` + s + `"` }

// Excluded reports whether any of the configuration's exclude patterns
// covers rel, a path relative to the scan root. Loaders call it for each
// directory and file before reading it.
func (c *Config) Excluded(rel string) bool {
	for _, p := range c.Exclude {
		if Match(p, rel) {
			return true
		}
	}
	return false
}

// DropExcluded removes from res the findings and diagnostics located in
// excluded files, and returns how many findings it removed. It is the
// fallback for sources whose loader cannot skip files itself: the excluded
// files were read (references into them still resolve), but nothing in them
// is reported. Live resources (pseudo-paths under gcp/) match like any path.
func (c *Config) DropExcluded(res *scanner.Result) int {
	if len(c.Exclude) == 0 {
		return 0
	}
	dropped := res.Update(func(f *scanner.Finding) bool { return f.Location.File == "" || !c.Excluded(f.Location.File) })
	diags := res.Diagnostics[:0]
	for _, d := range res.Diagnostics {
		if d.File == "" || !c.Excluded(d.File) {
			diags = append(diags, d)
		}
	}
	res.Diagnostics = diags
	return dropped
}
