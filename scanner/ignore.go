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
