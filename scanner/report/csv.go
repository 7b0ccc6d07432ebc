package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/scanner"
)

// csvHeader names the evidence columns: what a CASA Tier 2 submission asks
// for, pass/fail per requirement in a machine-readable file.
var csvHeader = []string{
	"measure", "check_id", "title", "severity", "cwe", "asvs", "casa",
	"resource", "location", "status", "reason",
}

// writeCSV writes the evidence file: one row per check and resource (and per
// attribute, when a check finds several problems on one resource), every
// status, ordered by check, resource and location so an assessor reads it
// requirement by requirement.
func writeCSV(w io.Writer, res *scanner.Result, _ Options) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	fs := append([]scanner.Finding(nil), res.Findings...)
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		switch {
		case a.CheckID != b.CheckID:
			return a.CheckID < b.CheckID
		case a.Resource != b.Resource:
			return a.Resource < b.Resource
		case a.Location.File != b.Location.File:
			return a.Location.File < b.Location.File
		}
		return a.Location.StartLine < b.Location.StartLine
	})
	for _, f := range fs {
		if err := cw.Write(csvRow(checkFor(res, f), f)); err != nil {
			return err
		}
	}
	// What was not judged closes the file, one row each, so the evidence
	// never reads as complete when it is not.
	for _, d := range res.Diagnostics {
		if d.Skipped {
			if err := cw.Write(csvSkippedRow(d)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvRow(c *scanner.Check, f scanner.Finding) []string {
	cwe := ""
	if c.CWE > 0 {
		cwe = fmt.Sprintf("CWE-%d", c.CWE)
	}
	row := []string{
		measureList(c, ";"), f.CheckID, c.Title, f.Severity.String(), cwe,
		strings.Join(c.ASVS, ";"), strings.Join(c.CASA, ";"),
		f.Resource, f.Location.String(), string(f.Status), csvReason(f),
	}
	for i, cell := range row {
		row[i] = safetext.CSVCell(cell)
	}
	return row
}

// The statuses of the rows that name a part of the input instead of a
// finding.
const (
	csvNotJudged  = "NOT_JUDGED"  // not judged at all: the scan is incomplete
	csvNotScanned = "NOT_SCANNED" // a warning: a module terraform init has not fetched
)

// csvSkippedRow is the row of a diagnostic naming a part of the input that
// was not judged: where (file:line, or the subject), the status, and why.
func csvSkippedRow(d scanner.Diagnostic) []string {
	status, title := csvNotScanned, "part of the input not scanned (warning)"
	if d.NotJudged() {
		status, title = csvNotJudged, "part of the input not judged: the scan is incomplete"
	}
	where := d.Subject
	if d.File != "" {
		where = scanner.Location{File: d.File, StartLine: d.Line}.String()
	}
	reason := d.Summary
	if d.Detail != "" {
		reason += "; " + d.Detail
	}
	row := []string{"", "", title, string(d.Severity), "", "", "", d.Subject, where, status, reason}
	for i, cell := range row {
		row[i] = safetext.CSVCell(cell)
	}
	return row
}

// csvReason explains the status: the failure message, the ignore reason, or
// why the result is unknown or out of scope. Empty for a pass.
func csvReason(f scanner.Finding) string {
	switch f.Status {
	case scanner.StatusFail:
		if note := expiredNote(f); note != "" {
			return f.Message + " (" + note + ")"
		}
		return f.Message
	case scanner.StatusIgnored:
		reason := f.Reason
		if reason == "" && f.Suppression != nil {
			reason = f.Suppression.Justification
		}
		if reason == "" {
			reason = "no reason given"
		}
		return "ignored: " + reason
	case scanner.StatusPass:
		return ""
	}
	return f.Reason
}
