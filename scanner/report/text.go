package report

import (
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/casascan/casascan/scanner"
)

// ANSI styles of the text format, used only when Options.Color is set.
const (
	ansiReset = "\x1b[0m"
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
)

var severityStyle = map[scanner.Severity]string{
	scanner.Critical: "\x1b[1;31m", // bold red
	scanner.High:     "\x1b[31m",   // red
	scanner.Medium:   "\x1b[33m",   // yellow
	scanner.Low:      "\x1b[36m",   // cyan
}

// whyWidth caps the one-line "why it matters" of a finding.
const whyWidth = 160

// defaultTextWidth is the width the text report wraps to when Options.Width
// is not set (the command passes COLUMNS, else this).
const defaultTextWidth = 100

// textReport prints the terminal report: what a person fixes first comes
// first. Every field from the result goes through clean, since addresses and
// messages come from the scanned tree.
type textReport struct {
	printer
	color   bool
	compact bool
	width   int
	source  func(file string) []byte
	// the last file's lines for snippets, and the snippet lines made
	linesOf string
	lines   []string
	hidden  []bool
	made    map[snippetKey]string
	// the why and fix fields of each check (by check and finding ID)
	checkText map[[2]string]string
}

func (t *textReport) paint(style, s string) string {
	if !t.color || style == "" {
		return s
	}
	return style + s + ansiReset
}

// writeText writes failing findings grouped by severity, CRITICAL first, each
// with its place, resource, message, why it matters and how to fix it; then
// ignored findings with their reason, unknown results summarised per check,
// diagnostics, and a summary line.
func writeText(w io.Writer, res *scanner.Result, opts Options) error {
	t := &textReport{printer: printer{w: w}, color: opts.Color, compact: opts.Compact, width: opts.Width, source: opts.Source}
	if t.width <= 0 {
		t.width = defaultTextWidth
	}
	name := res.Tool.Name
	if name == "" {
		name = "casascan"
	}
	t.printf("%s %s: %d checks, %d results\n", t.paint(ansiBold, clean(name)), clean(res.Tool.Version), len(res.Checks), res.Len())
	if res.Count(scanner.StatusFail) == 0 {
		t.printf("\nNo failing findings.\n")
	}
	// The failures by severity, most severe first, each severity's in the
	// result's order: counted from the result's groups, then read a
	// severity per pass, so that they are never held.
	perSev := map[scanner.Severity]int{}
	for _, g := range res.Groups() {
		if g.Status == scanner.StatusFail {
			perSev[g.Severity] += g.Count
		}
	}
	for _, sev := range severitiesDesc {
		n := perSev[sev]
		if n == 0 {
			continue
		}
		t.printf("\n%s (%d)\n", t.paint(severityStyle[sev], sev.String()), n)
		for f := range res.OnlySeverity(scanner.StatusFail, sev) {
			if t.compact {
				t.compactFinding(f)
				continue
			}
			t.finding(checkFor(res, f), f)
		}
	}
	t.ignored(res)
	t.unknown(res)
	t.skipped("Not judged", "the scan is incomplete: these parts of the input were not judged at all", res.NotJudged())
	t.skipped("Not scanned", "warnings: left out knowingly, the scan is still complete", res.NotScanned())
	t.diagnostics(res.Diagnostics)
	t.summary(summarize(res))
	if t.err != nil {
		return t.err
	}
	// A finding that could not be read back ended a pass early: the report
	// is missing findings and must not pass for complete.
	return res.Err()
}

func (t *textReport) finding(c *scanner.Check, f scanner.Finding) {
	t.write("\n  " + t.paint(ansiBold, clean(f.CheckID)) + "  " + clean(c.Title) + "\n")
	t.field("at", t.paint(ansiDim, clean(f.Location.String())))
	t.snippet(f.Location)
	t.field("resource", clean(f.Resource))
	if f.RootModule != "" && len(f.Related) > 0 && f.Related[0].Kind == "module" {
		// A module's finding names the root it was evaluated from.
		t.field("root", clean(f.RootModule))
	}
	t.field("problem", clean(f.Message))
	if note := provenanceNote(f); note != "" {
		t.field("value", clean(note))
	}
	for _, rel := range relatedLines(f.Related) {
		t.field(rel.label, clean(rel.what)+" at "+t.paint(ansiDim, clean(rel.at)))
	}
	t.write(t.whyFix(c, f.CheckID))
	if note := expiredNote(f); note != "" {
		t.field("note", t.paint(severityStyle[scanner.Medium], clean(note)+"; it no longer suppresses this finding"))
	}
}

// relatedLine is one "related" or "via" line of a finding.
type relatedLine struct {
	label, what, at string
	addrs           []string // the resources named, for a line of resources
}

// maxRelatedNames bounds the resources one related line names; the rest
// are counted.
const maxRelatedNames = 4

// relatedLines prints each related place once: the candidates of a value
// that is one of several instances of one block (google_kms_crypto_key.k
// ["drive"], k["mail"]) are all at that block's line, and make one line
// naming them, not one line each; a place given twice is printed once.
func relatedLines(rels []scanner.Location) []relatedLine {
	var out []relatedLine
	at := map[string]int{}
	for _, rel := range rels {
		label := "related"
		if rel.Kind == "module" {
			label = "via"
		}
		what := rel.Message
		if what == "" {
			what = rel.Address
		}
		key := label + "\x00" + rel.Kind + "\x00" + rel.String()
		i, seen := at[key]
		if !seen {
			at[key] = len(out)
			line := relatedLine{label: label, what: what, at: rel.String()}
			if rel.Kind == "resource" && rel.Address != "" {
				line.addrs = []string{rel.Address}
			}
			out = append(out, line)
			continue
		}
		l := &out[i]
		if l.addrs == nil || rel.Kind != "resource" || rel.Address == "" {
			if !slices.Contains(strings.Split(l.what, "; "), what) {
				l.what += "; " + what
			}
			continue
		}
		if slices.Contains(l.addrs, rel.Address) {
			continue
		}
		l.addrs = append(l.addrs, rel.Address)
		names := l.addrs
		if len(names) > maxRelatedNames {
			names = append(names[:maxRelatedNames-1:maxRelatedNames-1], strconv.Itoa(len(l.addrs)-(maxRelatedNames-1))+" more")
		}
		l.what = "related resources " + strings.Join(names, ", ")
	}
	return out
}

// field prints a labelled value, wrapped to the width under its label.
func (t *textReport) field(label, value string) {
	t.write(t.fieldText(label, value))
}

// fieldText is a field as field prints it: the label, and the value
// wrapped to the report's width under it.
func (t *textReport) fieldText(label, value string) string {
	const indent = "              " // "    " + 9 + " "
	lines := wrapText(value, t.width-len(indent))
	var b strings.Builder
	b.WriteString("    ")
	b.WriteString(label)
	for n := utf8.RuneCountInString(label); n < 9; n++ { // "%-9s"
		b.WriteByte(' ')
	}
	b.WriteByte(' ')
	b.WriteString(lines[0])
	b.WriteByte('\n')
	for _, l := range lines[1:] {
		b.WriteString(indent)
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// whyFix is a finding's "why" and "fix" fields, which depend on its check
// alone (and the ID it was found under), made once a check.
func (t *textReport) whyFix(c *scanner.Check, id string) string {
	k := [2]string{c.ID, id}
	if s, ok := t.checkText[k]; ok {
		return s
	}
	var s string
	if why := oneLine(c.Why, whyWidth); why != "" {
		s = t.fieldText("why", clean(why))
	}
	fix := strings.Join(strings.Fields(c.Remediation), " ")
	if fix != "" {
		fix += " "
	}
	s += t.fieldText("fix", clean(fix)+"(casascan checks "+clean(id)+" shows the fixed Terraform)")
	if t.checkText == nil {
		t.checkText = map[[2]string]string{}
	}
	t.checkText[k] = s
	return s
}

// compactFinding prints a FAIL finding on one line:
// "file:line CHECK-ID resource: message".
func (t *textReport) compactFinding(f scanner.Finding) {
	line := "  " + t.paint(ansiDim, clean(f.Location.String())) + " " + t.paint(ansiBold, clean(f.CheckID)) + " " + clean(f.Message)
	if note := expiredNote(f); note != "" {
		line += " (" + clean(note) + ")"
	}
	t.printf("%s\n", line)
}

// ignored lists the IGNORED findings, in the result's order.
func (t *textReport) ignored(res *scanner.Result) {
	n := res.Count(scanner.StatusIgnored)
	if n == 0 {
		return
	}
	t.printf("\n%s (%d)\n", t.paint(ansiBold, "Ignored"), n)
	for f := range res.Only(scanner.StatusIgnored) {
		if f.Status != scanner.StatusIgnored {
			continue
		}
		reason := f.Reason
		if reason == "" && f.Suppression != nil {
			reason = f.Suppression.Justification
		}
		if reason == "" {
			reason = "no reason given"
		}
		line := "  " + clean(f.CheckID) + "  " + clean(f.Resource) + "  " + t.paint(ansiDim, clean(f.Location.String())) + "  -- " + clean(reason)
		if s := f.Suppression; s != nil && s.Expires != "" {
			line += " (until " + clean(s.Expires) + ")"
		}
		t.printf("%s\n", line)
	}
}

// unknown summarises UNKNOWN results per check: how many, and the first as
// an example. They are never failures, but a reader should know what could
// not be decided before apply. It keeps a count and the first example per
// check, in the order the checks first appear, never the results.
func (t *textReport) unknown(res *scanner.Result) {
	total := res.Count(scanner.StatusUnknown)
	if total == 0 {
		return
	}
	t.printf("\n%s (%d): not decidable before apply, never counted as failures\n", t.paint(ansiBold, "Unknown"), total)
	type group struct {
		n        int
		msg, loc string
	}
	var order []string
	byCheck := map[string]*group{}
	for f := range res.Only(scanner.StatusUnknown) {
		if f.Status != scanner.StatusUnknown {
			continue
		}
		g := byCheck[f.CheckID]
		if g == nil {
			g = &group{msg: f.Message, loc: f.Location.String()}
			byCheck[f.CheckID] = g
			order = append(order, f.CheckID)
		}
		g.n++
	}
	for _, id := range order {
		g := byCheck[id]
		n := "1 result"
		if g.n > 1 {
			n = itoa(g.n) + " results"
		}
		t.printf("  %s  %s, e.g. %s (%s)\n", clean(id), n, clean(g.msg), t.paint(ansiDim, clean(g.loc)))
	}
}

// skipped lists what was not judged (or knowingly not scanned), each with
// its place and why.
func (t *textReport) skipped(title, what string, ds []scanner.Diagnostic) {
	if len(ds) == 0 {
		return
	}
	t.printf("\n%s (%d): %s\n", t.paint(ansiBold, title), len(ds), what)
	for _, d := range ds {
		t.diagnostic(d)
	}
}

// diagnostics lists the diagnostics that skipped nothing (those that did
// are listed by skipped).
func (t *textReport) diagnostics(all []scanner.Diagnostic) {
	var ds []scanner.Diagnostic
	for _, d := range all {
		if !d.Skipped {
			ds = append(ds, d)
		}
	}
	if len(ds) == 0 {
		return
	}
	t.printf("\n%s (%d)\n", t.paint(ansiBold, "Diagnostics"), len(ds))
	for _, d := range ds {
		t.diagnostic(d)
	}
}

func (t *textReport) diagnostic(d scanner.Diagnostic) {
	style := severityStyle[scanner.Medium]
	if d.Severity == scanner.DiagError {
		style = severityStyle[scanner.High]
	}
	t.printf("  %s\n", t.paint(style, clean(d.String())))
}

func (t *textReport) summary(s jsonSummary) {
	line := itoa(s.Fail) + " failed, " + itoa(s.Pass) + " passed, " + itoa(s.Ignored) + " ignored, " +
		itoa(s.Unknown) + " unknown, " + itoa(s.OutOfScope) + " out of scope"
	if s.ExpiredIgnores > 0 {
		line += "; " + plural(s.ExpiredIgnores, "expired ignore comment")
	}
	if n := s.Errors + s.Warnings; n > 0 {
		line += "; " + plural(n, "diagnostic")
	}
	if s.NotScanned > 0 {
		line += "; " + plural(s.NotScanned, "part") + " not scanned (warning: " + notScannedWhat(s.NotScanned) + ", listed above)"
	}
	if s.Incomplete {
		line += "; INCOMPLETE: " + plural(s.NotJudged, "part") + " of the input not judged"
	}
	style := ""
	if s.Fail > 0 || s.Incomplete {
		style = severityStyle[scanner.High]
	}
	t.printf("\n%s %s\n", t.paint(ansiBold, "Summary:"), t.paint(style, line))
}

// notScannedWhat says what the not-scanned warnings are about.
func notScannedWhat(n int) string {
	if n == 1 {
		return "a module terraform init has not fetched"
	}
	return "modules terraform init has not fetched"
}
