// Package report writes a scanner.Result in each output format. Writers only
// present the result: they never decide what is a finding, and never decide
// the exit code.
//
// Every format is one function in the writers map (text, json, sarif, csv,
// markdown, junit, html); flag help and validation in cmd read the same map through
// Formats. Writers share a few rules:
//
//   - They print no attribute value other than what is already in
//     Finding.Message, which scanner.Run built through the redacting
//     scanner.Display.
//   - Output depends only on the Result and Options: no clock, no map order,
//     no machine; identical input gives byte-identical output.
//   - Every write error is returned as it is (the caller adds the step), and
//     nothing panics on an odd Result (empty, unknown check IDs, no lines).
//   - Text that reaches a terminal or a rendered page (text, markdown) has
//     control characters neutralised, because resource addresses and
//     messages come from untrusted configuration.
package report

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/scanner"
)

// Options steer the writers.
type Options struct {
	// Color enables ANSI colour in the text format (only on a terminal).
	Color bool
	// IncludeUnknown adds UNKNOWN results to SARIF as kind "open".
	IncludeUnknown bool
	// Category is the SARIF automationDetails.id prefix ("" derives one from Root).
	Category string
	// Root is the scanned root as given on the command line, for the category.
	Root string

	// Scope says what was scanned and under which filters, for the
	// evidence formats (html, csv); the command fills it.
	Scope Scope
	// Date is the report's date (YYYY-MM-DD) or "" for none. The command
	// sets it only from SOURCE_DATE_EPOCH, so identical input still gives
	// byte-identical output.
	Date string
	// LinkBase, when set, makes markdown link each file and line on the
	// forge: LinkBase + path + "#L" + line, for example
	// "https://github.com/acme/infra/blob/<sha>/". "" keeps links relative.
	LinkBase string
	// Source returns the content of a file named as in a finding's
	// location (relative to the scanned root), or nil when it cannot be
	// read; the text format shows the lines around a finding from it.
	Source func(file string) []byte
	// Compact makes the text format print one line per finding.
	Compact bool
	// Width is the width the text format wraps to (0: 100 columns).
	Width int
}

// Scope describes a scan for the evidence: what was read and which
// filters were in force. Every field is as the user gave it (from the
// command line or the configuration file), never a value from the scanned
// files.
type Scope struct {
	// Inputs are the paths and live scopes scanned, as given.
	Inputs []string
	// Config is the configuration file in force, "" for none.
	Config string
	// Checks and SkipChecks are the --checks and --skip-checks lists;
	// Severity the --severity list; Exclude the exclude patterns.
	Checks, SkipChecks, Severity, Exclude []string
	// ScopeLabels are the scope labels in force, KEY=VALUE, sorted.
	ScopeLabels []string
	// Baseline is the baseline file in force, "" for none.
	Baseline string
	// InlineIgnores is false when ignore comments were not honoured.
	NoInlineIgnores bool
}

type writer func(w io.Writer, res *scanner.Result, opts Options) error

// writers is the one list of formats: flag help and validation come from it.
var writers = map[string]writer{
	"text":     writeText,
	"json":     writeJSON,
	"sarif":    writeSARIF,
	"csv":      writeCSV,
	"markdown": writeMarkdown,
	"junit":    writeJUnit,
	"html":     writeHTML,
}

// Formats lists the format names, sorted.
func Formats() []string {
	var names []string
	for n := range writers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Write writes res to w in a format.
func Write(w io.Writer, format string, res *scanner.Result, opts Options) error {
	wr, ok := writers[format]
	if !ok {
		return fmt.Errorf("unknown format %q (want one of %v)", format, Formats())
	}
	if res == nil {
		res = &scanner.Result{}
	}
	// Write errors come back as they are: the caller wraps them with the
	// step it was at ("writing the sarif report: ...").
	return wr(w, res, opts)
}

// Stream writes res in a format to w, as Write does, and returns the
// warnings Render would. Text, JSON, CSV and the other formats are written
// as they are made, never held whole; SARIF's results are encoded first
// (GitHub's limits on it are decided on the whole run), a chunk at a time,
// and written without being joined.
func Stream(w io.Writer, format string, res *scanner.Result, opts Options) ([]string, error) {
	if format == "sarif" {
		if res == nil {
			res = &scanner.Result{}
		}
		notice, err := streamSARIF(w, res, opts)
		if err != nil || notice == "" {
			return nil, err
		}
		return []string{notice}, nil
	}
	return nil, Write(w, format, res, opts)
}

// Rendered is a report rendered whole in memory, ready to write.
type Rendered struct {
	Data []byte
	// Warnings say what the report had to leave out (SARIF results over
	// GitHub's limits, as its toolExecutionNotifications say), for the
	// command to repeat on stderr.
	Warnings []string
}

// Render renders res in a format, whole: what Write writes, and the
// warnings about it.
func Render(format string, res *scanner.Result, opts Options) (Rendered, error) {
	if format == "sarif" {
		if res == nil {
			res = &scanner.Result{}
		}
		out, err := encodeSARIF(res, opts)
		if err != nil || out.notice == "" {
			return Rendered{Data: out.data}, err
		}
		return Rendered{Data: out.data, Warnings: []string{out.notice}}, nil
	}
	var buf bytes.Buffer
	err := Write(&buf, format, res, opts)
	return Rendered{Data: buf.Bytes()}, err
}

// printer writes formatted text and keeps the first error, so a writer can
// print line after line and check once at the end; after an error it writes
// nothing more.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.w, format, args...)
}

// write writes s as it is.
func (p *printer) write(s string) {
	if p.err != nil {
		return
	}
	_, p.err = io.WriteString(p.w, s)
}

// failureSeverities returns the severities of the FAIL findings, most
// severe first (any value a finding carries, not only the four named
// ones), and how many FAIL findings there are, from the result's groups.
func failureSeverities(res *scanner.Result) ([]scanner.Severity, int) {
	seen := map[scanner.Severity]bool{}
	total := 0
	for _, g := range res.Groups() {
		if g.Status == scanner.StatusFail {
			seen[g.Severity] = true
			total += g.Count
		}
	}
	sevs := slices.Collect(maps.Keys(seen))
	slices.SortFunc(sevs, func(a, b scanner.Severity) int { return cmp.Compare(b, a) })
	return sevs, total
}

// mostSevereFailures yields the FAIL findings by severity, in the order of
// sevs (failureSeverities), each severity's in the result's order: what a
// stable sort of the failures by severity, most severe first, gives, read
// one severity per pass so that they are never held. A caller that stops
// early (a table with a row limit) reads no further.
func mostSevereFailures(res *scanner.Result, sevs []scanner.Severity) iter.Seq[scanner.Finding] {
	return func(yield func(scanner.Finding) bool) {
		for _, sev := range sevs {
			for f := range res.OnlySeverity(scanner.StatusFail, sev) {
				if !yield(f) {
					return
				}
			}
		}
	}
}

// severitiesDesc lists the severities from CRITICAL down to LOW.
var severitiesDesc = []scanner.Severity{scanner.Critical, scanner.High, scanner.Medium, scanner.Low}

// clean makes text from the scanned tree inert on a terminal, in a CI log
// and in a rendered page (safetext.Line): control characters (ANSI escapes,
// newlines, carriage returns, bidi overrides) become visible escapes, so
// every field is printed on one line and cannot rewrite the terminal, and
// nothing can start a CI workflow command.
func clean(s string) string { return safetext.Line(s) }

// oneLine collapses whitespace and keeps the first sentence of s, cut at a
// word boundary to at most max runes: the "why it matters" line of a report.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	cut := string(r[:max])
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "..."
}

// expiredNote says that a FAIL finding's ignore comment (or configuration
// ignore: entry) has expired, or "" when it has none.
func expiredNote(f scanner.Finding) string {
	s := f.Suppression
	if s == nil || !s.Expired {
		return ""
	}
	note := suppressionOrigin(s)
	if s.Location.File != "" {
		note += " at " + s.Location.String()
	}
	if s.Expires != "" {
		note += " expired on " + s.Expires
	} else {
		note += " has expired"
	}
	return note
}

// measureList renders a check's measures joined by sep.
func measureList(c *scanner.Check, sep string) string {
	var ms []string
	for _, m := range c.Measures {
		ms = append(ms, string(m))
	}
	return strings.Join(ms, sep)
}

// checkFor returns the check of a finding, or a stand-in carrying what the
// finding knows, so a writer never dereferences nil for a check that is not
// in res.Checks.
func checkFor(res *scanner.Result, f scanner.Finding) *scanner.Check {
	if c := res.Check(f.CheckID); c != nil {
		return c
	}
	return &scanner.Check{ID: f.CheckID, Title: f.CheckID, Severity: f.Severity}
}

func itoa(n int) string { return strconv.Itoa(n) }

// plural renders "1 noun" or "n nouns".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
