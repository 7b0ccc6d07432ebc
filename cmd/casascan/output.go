package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/report"
)

// inferFormat picks the format from the --output file name, so that
// `--output results.sarif` needs no --format.
func inferFormat(output string) string {
	name := strings.ToLower(output)
	switch {
	case strings.HasSuffix(name, ".sarif"), strings.HasSuffix(name, ".sarif.json"):
		return "sarif"
	case strings.HasSuffix(name, ".json"):
		return "json"
	case strings.HasSuffix(name, ".csv"):
		return "csv"
	case strings.HasSuffix(name, ".md"), strings.HasSuffix(name, ".markdown"):
		return "markdown"
	case strings.HasSuffix(name, ".xml"):
		return "junit"
	case strings.HasSuffix(name, ".html"), strings.HasSuffix(name, ".htm"):
		return "html"
	}
	return "text"
}

func validFormat(name string) bool { return slices.Contains(report.Formats(), name) }

// writeReport renders the whole report before writing anything, so a writer
// error never leaves half a file, and replaces --output atomically so a
// reader (a CI upload step) never sees a partial report.
func (c *cli) writeReport(p *scanPlan, res *scanner.Result) error {
	r, err := report.Render(p.format, res, p.report)
	if err != nil {
		return fmt.Errorf("writing the %s report: %w", p.format, err)
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(c.stderr, "casascan: warning: %s\n", safetext.Line(scanner.RedactText(w)))
	}
	if p.output == "" {
		if _, err := c.stdout.Write(r.Data); err != nil {
			return fmt.Errorf("writing the report: %w", err)
		}
		return nil
	}
	if err := writeFileAtomic(c.abs(p.output), r.Data); err != nil {
		return fmt.Errorf("writing %s: %w", p.output, err)
	}
	fmt.Fprintf(c.stderr, "casascan: wrote %s (%s)\n", safetext.Line(p.output), summary(res))
	return nil
}

// summary counts the results by status: "2 failed, 5 passed, 1 ignored".
func summary(res *scanner.Result) string {
	parts := []string{
		fmt.Sprintf("%d failed", res.Count(scanner.StatusFail)),
		fmt.Sprintf("%d passed", res.Count(scanner.StatusPass)),
	}
	for _, s := range []struct {
		status scanner.Status
		word   string
	}{{scanner.StatusIgnored, "ignored"}, {scanner.StatusUnknown, "unknown"}, {scanner.StatusOutOfScope, "out of scope"}} {
		if n := res.Count(s.status); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s.word))
		}
	}
	return strings.Join(parts, ", ")
}

// writeFileAtomic writes data to a temporary file beside path and renames it
// into place.
func writeFileAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return pathErr(err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
