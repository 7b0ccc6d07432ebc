package report

import (
	"io"
	"net/url"
	"regexp"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// mdMaxRows caps the failing-resources table: a pull-request comment holds
// at most 65,536 characters, and the SARIF and CSV outputs have every row.
const mdMaxRows = 100

// measures lists M1 to M7 in order: the markdown table always has all seven,
// so a reader sees a measure with nothing to judge as zeros, not as missing.
var measures = []scanner.Measure{scanner.M1, scanner.M2, scanner.M3, scanner.M4, scanner.M5, scanner.M6, scanner.M7}

// writeMarkdown writes the summary for pull-request comments and CI job
// summaries: counts per measure, the failing resources (most severe first,
// linked to file and line: on the forge when Options.LinkBase is set,
// relative to the scanned root otherwise), the ignored findings with their
// reasons and expiry (so a reviewer sees new suppressions), then
// diagnostics.
func writeMarkdown(w io.Writer, res *scanner.Result, opts Options) error {
	p := &printer{w: w}
	s := summarize(res)
	p.printf("## casascan\n\n")
	p.printf("**%s**, %d passing, %d unknown, %d ignored, %d out of scope (%s",
		plural(s.Fail, "failing result"), s.Pass, s.Unknown, s.Ignored, s.OutOfScope, plural(s.Checks, "check"))
	if v := res.Tool.Version; v != "" {
		p.printf(", casascan %s", mdEscape(v))
	}
	p.printf(")\n")
	if s.ExpiredIgnores > 0 {
		p.printf("\nExpired ignore comments: %d (the findings they covered count as failures again).\n", s.ExpiredIgnores)
	}
	if s.Incomplete {
		p.printf("\n**Incomplete scan**: %s of the input could not be judged (listed below); a result without failures cannot be trusted.\n", plural(s.NotJudged, "part"))
	}
	if s.NotScanned > 0 {
		p.printf("\nNot scanned (warning): %s, listed below.\n", notScannedWhat(s.NotScanned))
	}
	mdMeasures(p, res)
	mdFailures(p, res, opts.LinkBase)
	mdIgnored(p, res, opts.LinkBase)
	mdSkipped(p, "Not judged", res.NotJudged())
	mdSkipped(p, "Not scanned", res.NotScanned())
	mdDiagnostics(p, res.Diagnostics)
	if p.err != nil {
		return p.err
	}
	return res.Err()
}

func mdMeasures(p *printer, res *scanner.Result) {
	type counts struct{ pass, fail, unknown, ignored int }
	per := map[scanner.Measure]*counts{}
	for _, m := range measures {
		per[m] = &counts{}
	}
	for _, g := range res.Groups() {
		for _, m := range checkFor(res, scanner.Finding{CheckID: g.CheckID, Severity: g.Severity}).Measures {
			c := per[m]
			if c == nil {
				continue
			}
			switch g.Status {
			case scanner.StatusPass:
				c.pass += g.Count
			case scanner.StatusFail:
				c.fail += g.Count
			case scanner.StatusUnknown:
				c.unknown += g.Count
			case scanner.StatusIgnored:
				c.ignored += g.Count
			}
		}
	}
	p.printf("\n| Measure | Requirement | Pass | Fail | Unknown | Ignored |\n|---|---|---:|---:|---:|---:|\n")
	for _, m := range measures {
		c := per[m]
		fail := itoa(c.fail)
		if c.fail > 0 {
			fail = "**" + fail + "**"
		}
		p.printf("| %s | %s | %d | %s | %d | %d |\n", m, mdEscape(scanner.MeasureTitle[m]), c.pass, fail, c.unknown, c.ignored)
	}
}

// mdFailures lists the failing results most severe first, each
// severity's in the result's order, at most mdMaxRows of them: the rows
// are read a severity per pass and printed as they come, and the rest are
// only counted.
func mdFailures(p *printer, res *scanner.Result, base string) {
	sevs, total := failureSeverities(res)
	if total == 0 {
		return
	}
	p.printf("\n### Failing resources\n\n| Severity | Check | Resource | Location | Problem |\n|---|---|---|---|---|\n")
	shown := 0
	for f := range mostSevereFailures(res, sevs) {
		if shown == mdMaxRows {
			break
		}
		shown++
		c := checkFor(res, f)
		problem := mdEscape(f.Message)
		if from := provenanceFrom(f); from != "" {
			problem += " _(" + mdEscape(from) + ")_"
		}
		if note := expiredNote(f); note != "" {
			problem += " _(" + mdEscape(note) + ")_"
		}
		p.printf("| %s | %s %s | %s | %s | %s |\n", f.Severity, mdEscape(f.CheckID), mdEscape(c.Title),
			mdCode(f.Resource), mdLink(f.Location, base), problem)
	}
	if total > mdMaxRows {
		p.printf("\n%d more failing results are not shown; the SARIF and CSV outputs list them all.\n", total-mdMaxRows)
	}
}

// mdIgnored lists the suppressed findings, and those whose suppression
// has expired, with the reason, the expiry and where the suppression is
// written: the first mdMaxRows in the result's order, in one pass that
// counts the rest.
func mdIgnored(p *printer, res *scanner.Result, base string) {
	n := 0
	for f := range res.Only(scanner.StatusIgnored, scanner.StatusFail) {
		if f.Status != scanner.StatusIgnored && (f.Status != scanner.StatusFail || f.Suppression == nil || !f.Suppression.Expired) {
			continue
		}
		n++
		if n == 1 {
			p.printf("\n### Ignored findings\n\n| Check | Resource | Location | Reason | Expires | Suppressed by |\n|---|---|---|---|---|---|\n")
		}
		if n > mdMaxRows {
			continue
		}
		reason := mdEscape(ignoreReason(f))
		if f.Status == scanner.StatusFail {
			reason += " **(expired: counted as failing)**"
		}
		expires, by := "never", ""
		if s := f.Suppression; s != nil {
			if s.Expires != "" {
				expires = mdEscape(s.Expires)
			}
			by = suppressionOrigin(s)
			if s.Location.File != "" {
				by += " " + mdLink(s.Location, base)
			}
		}
		p.printf("| %s | %s | %s | %s | %s | %s |\n", mdEscape(f.CheckID), mdCode(f.Resource), mdLink(f.Location, base), reason, expires, by)
	}
	if n > mdMaxRows {
		p.printf("\n%d more ignored findings are not shown; the SARIF and CSV outputs list them all.\n", n-mdMaxRows)
	}
}

// mdSkipped lists what was not judged (or knowingly not scanned).
func mdSkipped(p *printer, title string, ds []scanner.Diagnostic) {
	if len(ds) == 0 {
		return
	}
	p.printf("\n### %s\n\n", title)
	for _, d := range ds {
		mdDiagnostic(p, d)
	}
}

// mdDiagnostics lists the diagnostics that skipped nothing (mdSkipped
// lists the others).
func mdDiagnostics(p *printer, all []scanner.Diagnostic) {
	var ds []scanner.Diagnostic
	for _, d := range all {
		if !d.Skipped {
			ds = append(ds, d)
		}
	}
	if len(ds) == 0 {
		return
	}
	p.printf("\n### Diagnostics\n\n")
	for _, d := range ds {
		mdDiagnostic(p, d)
	}
}

func mdDiagnostic(p *printer, d scanner.Diagnostic) {
	where := d.Subject
	if d.File != "" {
		where = scanner.Location{File: d.File, StartLine: d.Line}.String()
	}
	text := d.Summary
	if d.Detail != "" {
		text += "; " + d.Detail
	}
	switch {
	case d.NotJudged():
		text += " (not judged)"
	case d.Skipped:
		text += " (not scanned)"
	}
	if where != "" {
		p.printf("- **%s** %s: %s\n", d.Severity, mdCode(where), mdEscape(text))
	} else {
		p.printf("- **%s** %s\n", d.Severity, mdEscape(text))
	}
}

// mdLink links a location to its file and line: on the forge when base is
// set (forgeLink), else relative to the scanned root. A location without a
// line (a live resource's pseudo-path) is not a file in the repository and
// gets no link.
func mdLink(l scanner.Location, base string) string {
	if l.File == "" {
		return ""
	}
	if l.StartLine == 0 {
		return mdCode(l.File)
	}
	target := artifactURI(l.File) + "#L" + itoa(l.StartLine)
	if base != "" {
		target = forgeLink(base, l)
	}
	return "[" + mdEscape(l.String()) + "](" + target + ")"
}

// forgeLink is the address of a file and line on the forge, base being
// "{server}/{repository}/blob/{commit}/" (GitHub's blob view): the path is
// percent-escaped segment by segment, so nothing in it can end the link.
func forgeLink(base string, l scanner.Location) string {
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base + artifactURI(l.File) + "#L" + itoa(l.StartLine)
}

// GitHubLinkBase returns the LinkBase for a GitHub Actions run from its
// GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA, or "" when one is
// missing or malformed (links then stay relative).
func GitHubLinkBase(server, repo, sha string) string {
	server = strings.TrimRight(strings.TrimSpace(server), "/")
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return ""
	}
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || !githubName.MatchString(owner) || !githubName.MatchString(name) || !commitSHA.MatchString(sha) {
		return ""
	}
	return server + "/" + owner + "/" + name + "/blob/" + sha + "/"
}

var (
	githubName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	commitSHA  = regexp.MustCompile(`^[0-9a-fA-F]{7,64}$`)
)

// mdEscape makes untrusted text inert in a table cell: control characters
// neutralised, Markdown and HTML punctuation backslash-escaped (a | would end
// the cell, a [ start a link, an @ mention someone).
func mdEscape(s string) string {
	s = clean(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]<>#!|~&@", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode puts text in a code span, fenced by more backticks than it holds;
// inside a table cell a | still needs its backslash (GFM removes it first).
func mdCode(s string) string {
	s = strings.ReplaceAll(clean(s), "|", `\|`)
	if s == "" {
		return ""
	}
	fence, run := "`", 0
	for _, r := range s {
		if r == '`' {
			run++
			if run >= len(fence) {
				fence += "`"
			}
		} else {
			run = 0
		}
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
