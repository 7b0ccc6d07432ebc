package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/internal/spill"
	"github.com/casascan/casascan/scanner"
)

// csvHeader names the evidence columns: what a CASA Tier 2 submission asks
// for, pass/fail per requirement in a machine-readable file.
var csvHeader = []string{
	"measure", "check_id", "title", "severity", "cwe", "asvs", "casa",
	"resource", "location", "status", "reason", "fix",
}

// The columns the rows are ordered and merged by.
const (
	csvColCheck    = 1
	csvColTitle    = 2
	csvColSeverity = 3
	csvColResource = 7
	csvColLocation = 8
	csvColStatus   = 9
	csvColReason   = 10
)

// csvScope is the status of the rows that describe the scan (the scope
// record): title names the field, reason holds the value. They come first,
// in csvScopeFields order.
const csvScope = "SCOPE"

// csvScopeFields are the scope record's fields, in order; "input" repeats,
// one row per input, sorted.
var csvScopeFields = []string{"tool", "date", "input", "config", "checks", "skip_checks", "severity",
	"exclude", "scope_labels", "baseline", "ignores", "not_judged"}

// writeCSV writes the evidence file: the scope record (rows of status
// SCOPE: tool, inputs, filters, scope labels, how much was not judged),
// then one row per check and resource (and per attribute, when a check
// finds several problems on one resource), every status, ordered by check,
// resource and location so an assessor reads it requirement by
// requirement, then a row per part of the input not judged. The record
// type lives in the status column, beside FAIL and PASS, so the columns
// stay those of earlier versions and a reader that wants findings only
// filters on status.
func writeCSV(w io.Writer, res *scanner.Result, opts Options) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, row := range csvScopeRows(res, opts) {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	// Each finding's row is made once, as a sort record (appendCSVRecord) whose
	// bytes order it as sortCSVRows orders rows; the records go through
	// an external sort, so neither the rows nor the findings are ever
	// held all at once.
	recs, sorter := newCSVRecords(res), spill.NewSorter("rows", csvSortBytes, 0)
	defer sorter.Close()
	var rec []byte
	for f := range res.All() {
		rec = recs.append(rec[:0], checkFor(res, f), f)
		sorter.Add(rec)
	}
	if err := res.Err(); err != nil {
		return err
	}
	var row []string
	var werr error
	err := sorter.Each(func(rec []byte) bool {
		var ok bool
		if row, ok = recs.row(row[:0], rec); !ok {
			werr = errors.New("writing the CSV report: a row held in a temporary file is corrupt")
			return false
		}
		werr = cw.Write(row)
		return werr == nil
	})
	if werr != nil {
		return werr
	}
	if err != nil {
		return err
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

// csvRows makes rows as csvRow does, the cells of each check made once
// (by ID: a stand-in for a check not in the result has the same cells
// for every finding).
type csvRows map[string][]string

func (rs csvRows) row(c *scanner.Check, f scanner.Finding) []string {
	row := slices.Clone(rs.checkCells(c))
	csvFindingCells(f).put(row)
	return row
}

// checkCells is the row of c with no finding: the cells of the check.
func (rs csvRows) checkCells(c *scanner.Check) []string {
	cells := rs[c.ID]
	if cells == nil {
		cells = csvRow(c, scanner.Finding{})
		rs[c.ID] = cells
	}
	return cells
}

// csvCells are the cells of a row that come from its finding (csvRow's
// columns check, severity, resource, location, status and reason); the
// others are its check's.
type csvCells struct{ check, severity, resource, location, status, reason string }

func csvFindingCells(f scanner.Finding) csvCells {
	return csvCells{
		check:    safetext.CSVCell(f.CheckID),
		severity: safetext.CSVCell(f.Severity.String()),
		resource: safetext.CSVCell(f.Resource),
		location: safetext.CSVCell(f.Location.String()),
		status:   safetext.CSVCell(string(f.Status)),
		reason:   safetext.CSVCell(csvReason(f)),
	}
}

// put sets the finding's cells of row.
func (c csvCells) put(row []string) {
	row[csvColCheck], row[csvColSeverity], row[csvColResource] = c.check, c.severity, c.resource
	row[csvColLocation], row[csvColStatus], row[csvColReason] = c.location, c.status, c.reason
}

// csvRecords makes the sort records of a result's finding rows and reads
// them back. When no two checks of the result have the same check cell
// (CSVCell can make two IDs alike), a record holds only the finding's
// cells (appendCSVFindingRecord) and the check's cells are put back from
// the check cell: rows of one check cell have the same check cells, so
// csvRowLess, which compares those only between rows of one check cell,
// orders the records' rows as it does the full rows. Otherwise a record
// holds every cell (appendCSVRecord).
type csvRecords struct {
	rows    csvRows
	compact bool
	byCell  map[string][]string // check cell → the check's cells (compact)
}

func newCSVRecords(res *scanner.Result) *csvRecords {
	r := &csvRecords{rows: csvRows{}, compact: true, byCell: map[string][]string{}}
	ids := map[string]string{} // check cell → check ID
	for _, g := range res.Groups() {
		cell := safetext.CSVCell(g.CheckID)
		if id, seen := ids[cell]; seen && id != g.CheckID {
			r.compact = false
		}
		ids[cell] = g.CheckID
	}
	return r
}

// append appends the sort record of f's row (c is f's check).
func (r *csvRecords) append(dst []byte, c *scanner.Check, f scanner.Finding) []byte {
	if !r.compact {
		return appendCSVRecord(dst, r.rows.row(c, f))
	}
	cells := csvFindingCells(f)
	if r.byCell[cells.check] == nil {
		r.byCell[cells.check] = r.rows.checkCells(c)
	}
	return appendCSVFindingRecord(dst, cells)
}

// row appends to dst the cells of the row of a record append made; false
// for a record that is not one. The cells may share rec's bytes.
func (r *csvRecords) row(dst []string, rec []byte) ([]string, bool) {
	if !r.compact {
		return csvRecordRow(dst, rec)
	}
	cells, ok := csvFindingRecordCells(rec)
	check := r.byCell[cells.check]
	if !ok || check == nil {
		return dst, false
	}
	dst = append(dst, check...)
	cells.put(dst)
	return dst, true
}

// appendCSVFindingRecord appends the sort record of a finding's cells: its
// check, resource and location's file and line as csvRowLess compares them
// first, then the finding's other cells in the row's order.
func appendCSVFindingRecord(dst []byte, c csvCells) []byte {
	file, line := splitLocation(c.location)
	dst = scanner.AppendKeyString(dst, c.check)
	dst = scanner.AppendKeyString(dst, c.resource)
	dst = scanner.AppendKeyString(dst, file)
	dst = scanner.AppendKeyInt(dst, int64(line))
	dst = scanner.AppendKeyString(dst, c.severity)
	dst = scanner.AppendKeyString(dst, c.location)
	dst = scanner.AppendKeyString(dst, c.status)
	return scanner.AppendKeyString(dst, c.reason)
}

// csvFindingRecordCells reads the cells of a record appendCSVFindingRecord
// made, as views of rec; false for a record that is not one.
func csvFindingRecordCells(rec []byte) (csvCells, bool) {
	var c csvCells
	var ok bool
	if c.check, c.resource, rec, ok = cutCSVSortHead(rec); !ok {
		return c, false
	}
	for _, s := range []*string{&c.severity, &c.location, &c.status, &c.reason} {
		if *s, rec, ok = scanner.CutKeyStringView(rec); !ok {
			return c, false
		}
	}
	return c, len(rec) == 0
}

// cutCSVSortHead reads the head both kinds of CSV sort record start with
// (check, resource, file and line), as views of rec, and returns the check,
// the resource and the rest of rec.
func cutCSVSortHead(rec []byte) (check, resource string, rest []byte, ok bool) {
	if check, rec, ok = scanner.CutKeyStringView(rec); !ok {
		return "", "", nil, false
	}
	if resource, rec, ok = scanner.CutKeyStringView(rec); !ok {
		return "", "", nil, false
	}
	if _, rec, ok = scanner.CutKeyStringView(rec); !ok || len(rec) < 8 { // the file, then the line
		return "", "", nil, false
	}
	return check, resource, rec[8:], true
}

func csvRow(c *scanner.Check, f scanner.Finding) []string {
	cwe := ""
	if c.CWE > 0 {
		cwe = fmt.Sprintf("CWE-%d", c.CWE)
	}
	row := []string{
		measureList(c, ";"), f.CheckID, c.Title, f.Severity.String(), cwe,
		strings.Join(c.ASVS, ";"), casaList(c, ";"),
		f.Resource, f.Location.String(), string(f.Status), csvReason(f),
		strings.Join(strings.Fields(c.Remediation), " "),
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
	row := []string{"", "", title, string(d.Severity), "", "", "", d.Subject, where, status, reason, ""}
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
		msg := f.Message
		if from := provenanceFrom(f); from != "" {
			msg += " (" + from + ")"
		}
		if note := expiredNote(f); note != "" {
			return msg + " (" + note + ")"
		}
		return msg
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

// csvScopeRows is the scope record: what was scanned, with which filters,
// and how much was not judged (the NOT_JUDGED rows at the end say what).
func csvScopeRows(res *scanner.Result, opts Options) [][]string {
	s := opts.Scope
	list := func(l []string, none string) string {
		if len(l) == 0 {
			return none
		}
		return strings.Join(l, ";")
	}
	orNone := func(v string) string {
		if v == "" {
			return "none"
		}
		return v
	}
	name := res.Tool.Name
	if name == "" {
		name = "casascan"
	}
	tool := strings.TrimSpace(name + " " + res.Tool.Version)
	ignores := "honoured"
	if s.NoInlineIgnores {
		ignores = "not honoured"
	}
	nj := csvNotJudgedValue(len(res.NotJudged()))
	var rows [][]string
	add := func(field, value string) {
		row := make([]string, len(csvHeader))
		row[csvColTitle], row[csvColStatus], row[csvColReason] = field, csvScope, safetext.CSVCell(value)
		rows = append(rows, row)
	}
	add("tool", tool)
	if opts.Date != "" {
		add("date", opts.Date)
	}
	if len(s.Inputs) == 0 {
		add("input", "not recorded")
	}
	// Sorted, so that the merge of shards (which meets them in any
	// order) writes the same record.
	for _, in := range slices.Sorted(slices.Values(s.Inputs)) {
		add("input", in)
	}
	add("config", orNone(s.Config))
	add("checks", list(s.Checks, "all"))
	add("skip_checks", list(s.SkipChecks, "none"))
	add("severity", list(s.Severity, "all"))
	add("exclude", list(s.Exclude, "none"))
	add("scope_labels", list(s.ScopeLabels, "none"))
	add("baseline", orNone(s.Baseline))
	add("ignores", ignores)
	add("not_judged", nj)
	return rows
}

// csvSortBytes is about how many bytes of rows the CSV writer holds in
// memory to sort them; beyond that it sorts on disk.
const csvSortBytes = 2 << 20

// appendCSVRecord appends a row's sort record, a sort key
// (scanner.AppendKeyString, AppendKeyInt): its check, resource and
// location's file and line as csvRowLess compares them first, then every
// cell of the row, so that the records' bytes order the rows as
// csvRowLess does.
func appendCSVRecord(dst []byte, row []string) []byte {
	file, line := splitLocation(row[csvColLocation])
	dst = scanner.AppendKeyString(dst, row[csvColCheck])
	dst = scanner.AppendKeyString(dst, row[csvColResource])
	dst = scanner.AppendKeyString(dst, file)
	dst = scanner.AppendKeyInt(dst, int64(line))
	for _, c := range row {
		dst = scanner.AppendKeyString(dst, c)
	}
	return dst
}

// csvRecordRow appends to dst the cells of a record appendCSVRecord made;
// false for a record that is not one. The cells may share rec's bytes:
// they are valid while rec is.
func csvRecordRow(dst []string, rec []byte) ([]string, bool) {
	_, _, rec, ok := cutCSVSortHead(rec)
	if !ok {
		return dst, false
	}
	for len(rec) > 0 {
		var c string
		if c, rec, ok = scanner.CutKeyStringView(rec); !ok {
			return dst, false
		}
		dst = append(dst, c)
	}
	return dst, len(dst) == len(csvHeader)
}

// sortCSVRows orders finding rows by check, resource, file and line (the
// line as a number), then by the whole row, so the order depends on the
// rows alone: a merge of shards sorts the same way.
func sortCSVRows(rows [][]string) {
	sort.SliceStable(rows, func(i, j int) bool { return csvRowLess(rows[i], rows[j]) })
}

func csvRowLess(a, b []string) bool {
	if a[csvColCheck] != b[csvColCheck] {
		return a[csvColCheck] < b[csvColCheck]
	}
	if a[csvColResource] != b[csvColResource] {
		return a[csvColResource] < b[csvColResource]
	}
	af, al := splitLocation(a[csvColLocation])
	bf, bl := splitLocation(b[csvColLocation])
	if af != bf {
		return af < bf
	}
	if al != bl {
		return al < bl
	}
	return slices.Compare(a, b) < 0
}

// splitLocation splits "file:line" into the file and the line (0 when
// there is none).
func splitLocation(loc string) (string, int) {
	i := strings.LastIndexByte(loc, ':')
	if i < 0 {
		return loc, 0
	}
	n, err := strconv.Atoi(loc[i+1:])
	if err != nil || n <= 0 {
		return loc, 0
	}
	return loc[:i], n
}

// csvNotJudgedValue is the scope record's not_judged field, as the writer
// and MergeCSV both write it.
func csvNotJudgedValue(n int) string {
	if n == 0 {
		return "0"
	}
	return itoa(n) + " (incomplete scan: see the NOT_JUDGED rows)"
}
