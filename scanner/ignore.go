package scanner

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Ignore is one ignore comment:
//
//	# casascan:ignore:GCP-ENC-001,GCP-ACC-002 exp:2026-12-31 -- static assets, no user data
//
// On the line directly above a resource, data or module block it covers every
// finding in that block (for a module block, in every instance of the
// module); at the end of an attribute's line, or on the line above it, it
// covers findings that point at that attribute.
type Ignore struct {
	File string // relative to the graph's root
	Line int    // the comment's own line
	// Target is the line the comment covers: its own line for a trailing
	// comment, else the next line that is not a comment.
	Target int
	// Trailing is true when code precedes the comment on its line.
	Trailing bool
	// IDs are the check IDs covered; "*" covers every check.
	IDs []string
	// Expires is the exp: date as written (YYYY-MM-DD), "" for none.
	Expires string
	Reason  string
	// Tool is the comment's prefix: casascan, tfsec or trivy.
	Tool string
}

// Covers reports whether the ignore names a check ID.
func (ig Ignore) Covers(id string) bool {
	for _, x := range ig.IDs {
		if x == "*" || strings.EqualFold(x, id) {
			return true
		}
	}
	return false
}

// Expired reports whether the ignore's exp: date is before the day of now.
// An ignore is valid through the whole day of its date.
func (ig Ignore) Expired(now time.Time) bool {
	if ig.Expires == "" || now.IsZero() {
		return false
	}
	d, err := time.Parse("2006-01-02", ig.Expires)
	if err != nil {
		return false
	}
	return now.UTC().Format("2006-01-02") > d.Format("2006-01-02")
}

// IgnoreIDMapper maps a foreign ignore ID (tfsec's, trivy's) to casascan
// check IDs; nil means foreign ignores are not honoured.
type IgnoreIDMapper func(tool, id string) []string

// ParseIgnores finds the ignore comments of one file. file is the name used
// in ranges (relative to the root). Malformed comments (a bad exp: date, no
// IDs) are returned as diagnostics and ignore nothing.
func ParseIgnores(file string, src []byte, mapID IgnoreIDMapper) ([]Ignore, []Diagnostic) {
	if !bytes.Contains(src, []byte(":ignore:")) {
		return nil, nil
	}
	lines := strings.Split(string(src), "\n")
	var out []Ignore
	var diags []Diagnostic
	var next []int // nextCodeLines(lines), computed when first needed
	for i, line := range lines {
		idx := strings.Index(line, ":ignore:")
		if idx < 0 {
			continue
		}
		code, comment, ok := splitComment(line)
		if !ok {
			continue
		}
		for _, tool := range []string{"casascan", "tfsec", "trivy"} {
			prefix := tool + ":ignore:"
			pos := strings.Index(comment, prefix)
			if pos < 0 {
				continue
			}
			ig, err := parseIgnoreText(comment[pos+len(prefix):])
			if err != nil {
				diags = append(diags, Diagnostic{Severity: DiagWarning, File: file, Line: i + 1,
					Summary: "malformed ignore comment", Detail: err.Error()})
				continue
			}
			ig.File, ig.Line, ig.Tool = file, i+1, tool
			ig.Trailing = strings.TrimSpace(code) != ""
			ig.Target = ig.Line
			if !ig.Trailing {
				if next == nil {
					next = nextCodeLines(lines)
				}
				ig.Target = next[i+1]
			}
			if tool != "casascan" {
				if mapID == nil {
					continue
				}
				var ids []string
				for _, id := range ig.IDs {
					ids = append(ids, mapID(tool, id)...)
				}
				if len(ids) == 0 {
					continue
				}
				ig.IDs = ids
			}
			out = append(out, ig)
		}
	}
	return out, diags
}

// splitComment splits a line into code and a trailing # or // comment,
// skipping comment markers inside double-quoted strings.
func splitComment(line string) (code, comment string, ok bool) {
	inStr := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case !inStr && c == '#':
			return line[:i], line[i+1:], true
		case !inStr && c == '/' && i+1 < len(line) && line[i+1] == '/':
			return line[:i], line[i+2:], true
		}
	}
	return line, "", false
}

// parseIgnoreText reads "ID[,ID...][:exp:DATE] [exp:DATE] [-- reason]".
func parseIgnoreText(s string) (Ignore, error) {
	var ig Ignore
	if body, reason, found := strings.Cut(s, "--"); found {
		s, ig.Reason = body, strings.TrimSpace(reason)
	}
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return ig, errors.New("no check ID after the ignore prefix")
	}
	idPart := fields[0]
	// tfsec/trivy style: ID:exp:2025-01-01 directly after the IDs.
	if before, date, found := strings.Cut(idPart, ":exp:"); found {
		idPart, ig.Expires = before, date
	}
	for _, id := range strings.Split(idPart, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ig.IDs = append(ig.IDs, id)
		}
	}
	if len(ig.IDs) == 0 {
		return ig, errors.New("no check ID after the ignore prefix")
	}
	for _, f := range fields[1:] {
		if d, found := strings.CutPrefix(f, "exp:"); found {
			ig.Expires = d
		}
	}
	if ig.Expires != "" {
		if _, err := time.Parse("2006-01-02", ig.Expires); err != nil {
			return ig, fmt.Errorf("exp: date %q is not YYYY-MM-DD", ig.Expires)
		}
	}
	return ig, nil
}

// nextCodeLines returns, for each line index i (and len(lines)), the
// 1-based number of the first line at or after i that is not comment-only;
// stacked ignore comments above one block all cover it. One pass from the
// end: a stack of thousands of comments costs no more than their lines.
func nextCodeLines(lines []string) []int {
	next := make([]int, len(lines)+1)
	next[len(lines)] = len(lines) + 1
	for i := len(lines) - 1; i >= 0; i-- {
		t := strings.TrimSpace(lines[i])
		if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") {
			next[i] = next[i+1]
		} else {
			next[i] = i + 1
		}
	}
	return next
}

// ConfigIgnore is one entry of the configuration file's ignore: list, for
// teams that cannot or will not touch the Terraform (vendored modules):
//
//	ignore:
//	  - id: GCP-ENC-001
//	    path: "vendor/**"
//	    resource: 'module.cdn.google_storage_bucket.*'
//	    exp: 2026-12-31
//	    reason: static assets, no user data
//
// It suppresses FAIL findings of check ID whose file matches Path and whose
// resource address matches Resource (each "" for any), with the expiry and
// reporting rules of an ignore comment; the suppression names File:Line.
type ConfigIgnore struct {
	// File and Line are where the entry is written.
	File string
	Line int
	// ID is the check ID; "*" covers every check.
	ID string
	// Path is a glob relative to the scan root; MatchPath decides it (the
	// configuration package's exclude syntax). A finding anchored at a
	// module call is also matched by where it is inside the downloaded
	// module.
	Path      string
	MatchPath func(pattern, file string) bool
	// Resource is an address pattern where * stands for any run of
	// characters.
	Resource string
	Expires  string // YYYY-MM-DD, "" for none
	Reason   string
}

// Expired reports whether the entry's exp date is before the day of now.
func (ci ConfigIgnore) Expired(now time.Time) bool {
	return Ignore{Expires: ci.Expires}.Expired(now)
}

// Covers reports whether the entry covers a finding of check id on a
// resource address, located in file (or, inside a downloaded module, in
// alt).
func (ci ConfigIgnore) Covers(id, address string, files ...string) bool {
	if ci.ID != "*" && !strings.EqualFold(ci.ID, id) {
		return false
	}
	if ci.Resource != "" && !WildcardMatch(ci.Resource, address) {
		return false
	}
	if ci.Path == "" {
		return true
	}
	if ci.MatchPath == nil {
		return false
	}
	for _, f := range files {
		if f != "" && ci.MatchPath(ci.Path, f) {
			return true
		}
	}
	return false
}

// WildcardMatch reports whether s matches pattern, where * stands for any
// run of characters (dots and brackets included) and everything else is
// literal.
func WildcardMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return len(s) >= len(last) && strings.HasSuffix(s, last)
}

// unknownIDs warns about each ignore comment and configuration entry that
// names a check ID the catalog does not have: it suppresses nothing, and a
// typo would otherwise go unnoticed. The warning names the nearest real ID.
// It looks at one graph at a time (Session), each file, line and ID once.
type unknownIDs struct {
	known   []string
	isKnown map[string]bool
	seen    map[string]bool
	out     []Diagnostic
}

func newUnknownIDs(known []string) unknownIDs {
	u := unknownIDs{known: known, isKnown: make(map[string]bool, len(known)), seen: map[string]bool{}}
	for _, id := range known {
		u.isKnown[strings.ToUpper(id)] = true
	}
	return u
}

func (u *unknownIDs) warn(file string, line int, what, id string) {
	if len(u.known) == 0 || id == "*" || u.isKnown[strings.ToUpper(id)] {
		return
	}
	key := fmt.Sprintf("%s\x00%d\x00%s", file, line, id)
	if u.seen[key] {
		return
	}
	u.seen[key] = true
	d := Diagnostic{Severity: DiagWarning, File: file, Line: line,
		Summary: fmt.Sprintf("%s names unknown check ID %q; it suppresses nothing", what, id),
		Detail:  "run 'casascan checks' for the list"}
	if near := NearestID(id, u.known); near != "" {
		d.Detail = fmt.Sprintf("did you mean %s? (run 'casascan checks' for the list)", near)
	}
	u.out = append(u.out, d)
}

// graph looks at a graph's ignore comments.
func (u *unknownIDs) graph(g *Graph) {
	if len(u.known) == 0 {
		return
	}
	for _, ig := range g.Ignores {
		if ig.Tool != "" && ig.Tool != "casascan" {
			continue // mapped from a foreign ID: the table holds only real IDs
		}
		for _, id := range ig.IDs {
			u.warn(ig.File, ig.Line, "ignore comment", id)
		}
	}
}

// config looks at the configuration file's ignore: entries and returns
// every warning, in the order found.
func (u *unknownIDs) config(cfg []ConfigIgnore) []Diagnostic {
	if len(u.known) == 0 {
		return nil
	}
	for _, ci := range cfg {
		u.warn(ci.File, ci.Line, "configuration ignore", ci.ID)
	}
	return u.out
}

// NearestID returns the ID of known closest to id in edits (ignoring
// case), or "" when none is within half of id's length.
func NearestID(id string, known []string) string {
	id = strings.ToUpper(id)
	best, bestDist := "", len(id)/2+1
	for _, k := range known {
		if d := EditDistance(id, strings.ToUpper(k)); d < bestDist || d == bestDist && best != "" && k < best {
			best, bestDist = k, d
		}
	}
	return best
}

// EditDistance is the Levenshtein distance between a and b, in bytes: what
// "did you mean" suggestions are measured by.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
