package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/scanner"
)

// explainCheck writes what a newcomer needs to fix a finding: what the check
// looks at, why it matters, how to fix it, the corrected Terraform, and how
// to silence it where it does not apply.
func explainCheck(w io.Writer, chk *scanner.Check) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n\n", chk.ID, chk.Title)
	row := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %-10s %s\n", name, value)
		}
	}
	row("Severity", chk.Severity.String())
	row("Measures", measureNames(chk.Measures, ", "))
	row("CWE", cweName(chk.CWE))
	row("ASVS", strings.Join(chk.ASVS, ", "))
	row("CASA", strings.Join(chk.CASA, ", "))
	row("Resources", strings.Join(chk.Types, ", "))
	section := func(title, text string) {
		if strings.TrimSpace(text) == "" {
			return
		}
		fmt.Fprintf(&b, "\n%s\n", title)
		for _, line := range wrap(text, 76) {
			b.WriteString("  " + line + "\n")
		}
	}
	section("Why it matters", chk.Why)
	section("How to fix", chk.Remediation)
	if fix := strings.Trim(chk.Fix, "\n"); fix != "" {
		b.WriteString("\nFixed Terraform\n")
		for _, line := range strings.Split(fix, "\n") {
			b.WriteString(strings.TrimRight("    "+line, " ") + "\n")
		}
	}
	fmt.Fprintf(&b, "\nWhere it does not apply, say why on the line above the block:\n    # casascan:ignore:%s -- reason\n", chk.ID)
	// A custom check's text comes from the tree: no line of it may reach
	// a terminal or CI log as a control sequence or workflow command.
	_, err := io.WriteString(w, safetext.Lines(strings.ReplaceAll(b.String(), "\t", "    ")))
	return err
}

func measureNames(ms []scanner.Measure, sep string) string {
	var parts []string
	for _, m := range ms {
		if t := scanner.MeasureTitle[m]; t != "" {
			parts = append(parts, string(m)+" "+t)
		} else {
			parts = append(parts, string(m))
		}
	}
	return strings.Join(parts, sep)
}

func cweName(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("CWE-%d", n)
}

// wrap fills paragraphs (separated by blank lines) to width columns.
func wrap(text string, width int) []string {
	var out []string
	for i, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if i > 0 {
			out = append(out, "")
		}
		line := ""
		for _, word := range strings.Fields(para) {
			if line != "" && len(line)+1+len(word) > width {
				out = append(out, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += word
		}
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// checksReference renders docs/checks.md from the checks' metadata, so the
// reference can never drift from the code (TestChecksDoc fails when the
// committed file is stale).
func checksReference(all []*scanner.Check) []byte {
	var b bytes.Buffer
	groups := groupChecks(all)
	b.WriteString("# casascan checks\n\n")
	b.WriteString("<!-- Generated from the checks' metadata by `go test ./cmd/casascan -run TestChecksDoc -update` (or `casascan checks --markdown`). Do not edit by hand. -->\n\n")
	fmt.Fprintf(&b, "casascan runs %d checks. Each family serves one of the security measures (M1 to M7) that Google's Workspace API user-data policy requires of apps holding restricted-scope data (CASA); families that serve several measures come last. ", len(all))
	b.WriteString("Each check names the CWE weakness, the OWASP ASVS 4.0.3 requirement and the CASA test case it covers; SARIF carries them in `properties.tags`.\n\n")
	b.WriteString("| measure | family | checks |\n|---|---|---:|\n")
	for _, g := range groups {
		fmt.Fprintf(&b, "| [%s](#%s) | `%s-*` | %d |\n", mdCell(g.Title()), slug(g.Title()), g.Family, len(g.Checks))
	}
	for _, g := range groups {
		fmt.Fprintf(&b, "\n## %s\n\n", g.Title())
		b.WriteString("| ID | title | severity | CWE | ASVS | CASA |\n|---|---|---|---|---|---|\n")
		for _, chk := range g.Checks {
			fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s | %s |\n", chk.ID, slug(chk.ID+": "+chk.Title),
				mdCell(chk.Title), chk.Severity, cweLink(chk.CWE), strings.Join(chk.ASVS, ", "), strings.Join(chk.CASA, ", "))
		}
		for _, chk := range g.Checks {
			writeCheckMarkdown(&b, chk)
		}
	}
	return b.Bytes()
}

func writeCheckMarkdown(b *bytes.Buffer, chk *scanner.Check) {
	fmt.Fprintf(b, "\n### %s: %s\n\n", chk.ID, chk.Title)
	meta := []string{"**Severity** " + chk.Severity.String()}
	if chk.CWE > 0 {
		meta = append(meta, "**CWE** "+cweLink(chk.CWE))
	}
	if len(chk.ASVS) > 0 {
		meta = append(meta, "**ASVS** "+strings.Join(chk.ASVS, ", "))
	}
	if len(chk.CASA) > 0 {
		meta = append(meta, "**CASA** "+strings.Join(chk.CASA, ", "))
	}
	if len(chk.Measures) > 0 {
		meta = append(meta, "**Measures** "+measureNames(chk.Measures, "; "))
	}
	b.WriteString(strings.Join(meta, " · ") + "\n")
	if len(chk.Types) > 0 {
		fmt.Fprintf(b, "\n**Resources** `%s`\n", strings.Join(chk.Types, "`, `"))
	}
	if why := strings.TrimSpace(chk.Why); why != "" {
		fmt.Fprintf(b, "\n**Why it matters.** %s\n", why)
	}
	if rem := strings.TrimSpace(chk.Remediation); rem != "" {
		fmt.Fprintf(b, "\n**How to fix.** %s\n", rem)
	}
	if fix := strings.Trim(chk.Fix, "\n"); fix != "" {
		fmt.Fprintf(b, "\n```hcl\n%s\n```\n", fix)
	}
}

func cweLink(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("[CWE-%d](https://cwe.mitre.org/data/definitions/%d.html)", n, n)
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// slug is the anchor GitHub gives a heading: lower case, punctuation
// dropped, spaces turned into hyphens.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
