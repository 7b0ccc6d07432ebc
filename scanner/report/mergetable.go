package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// MergeFormat says which format a report to merge is in, "sarif", "json" or
// "csv", from its content, the file name's extension (name may be "")
// deciding only when the content is neither JSON nor a casascan CSV.
func MergeFormat(name string, data []byte) (string, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var probe struct {
			Version       *string `json:"version"`
			Runs          present `json:"runs"`
			SchemaVersion *string `json:"schema_version"`
			Findings      present `json:"findings"`
		}
		if err := json.Unmarshal(trimmed, &probe); err == nil {
			switch {
			case bool(probe.Runs) && probe.Version != nil:
				return "sarif", nil
			case probe.SchemaVersion != nil && bool(probe.Findings):
				return "json", nil
			}
		}
	}
	if first, _, _ := bytes.Cut(trimmed, []byte("\n")); string(bytes.TrimRight(first, "\r")) == strings.Join(csvHeader, ",") {
		return "csv", nil
	}
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".sarif"), strings.HasSuffix(lower, ".sarif.json"):
		return "sarif", nil
	case strings.HasSuffix(lower, ".json"):
		return "json", nil
	case strings.HasSuffix(lower, ".csv"):
		return "csv", nil
	}
	return "", errors.New("not a casascan SARIF, JSON or CSV report")
}

// present records that a JSON field is there and not null, without
// keeping (copying) its value, which is most of a report.
type present bool

func (p *present) UnmarshalJSON(b []byte) error {
	*p = string(b) != "null"
	return nil
}

// MergeJSON joins casascan JSON reports (the outputs of the shards of one
// scan) into the report one unsharded scan writes: the checks united by
// ID, findings and diagnostics concatenated, exact repeats dropped, sorted
// as the scanner sorts them, and the summary recomputed. The inputs' tool
// versions and schema versions must agree.
func MergeJSON(w io.Writer, inputs ...io.Reader) error {
	if len(inputs) == 0 {
		return errors.New("merging JSON: no input")
	}
	res := &scanner.Result{}
	var findings []scanner.Finding
	checks := map[string]*scanner.Check{}
	seenF, seenD := map[string]bool{}, map[string]bool{}
	for i, in := range inputs {
		name := inputName(in, i)
		data, err := mergeData(in, name, "JSON")
		if err != nil {
			return err
		}
		var doc jsonReport
		if err := json.Unmarshal(data, &doc); err != nil {
			return fmt.Errorf("reading %s: not a casascan JSON report: %w", name, err)
		}
		if doc.SchemaVersion != JSONSchemaVersion {
			return fmt.Errorf("reading %s: JSON schema version %q, want %q", name, doc.SchemaVersion, JSONSchemaVersion)
		}
		if i == 0 {
			res.Tool = doc.Tool
		} else if doc.Tool != res.Tool {
			return fmt.Errorf("merging JSON: %s was written by %s %q, the first input by %s %q; merge outputs of one version",
				name, doc.Tool.Name, doc.Tool.Version, res.Tool.Name, res.Tool.Version)
		}
		for _, c := range doc.Checks {
			if checks[c.ID] == nil {
				checks[c.ID] = &scanner.Check{ID: c.ID, Title: c.Title, Severity: c.Severity, CWE: c.CWE,
					ASVS: c.ASVS, CASA: c.CASA, Measures: c.Measures}
			}
		}
		for _, f := range doc.Findings {
			if key := jsonKey(f); !seenF[key] {
				seenF[key] = true
				findings = append(findings, f)
			}
		}
		for _, d := range doc.Diagnostics {
			if key := jsonKey(d); !seenD[key] {
				seenD[key] = true
				res.Diagnostics = append(res.Diagnostics, d)
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(checks)) {
		res.Checks = append(res.Checks, checks[id])
	}
	scanner.SortFindings(findings)
	res.SetFindings(findings)
	scanner.SortDiagnostics(res.Diagnostics)
	return writeJSON(w, res, Options{})
}

func jsonKey(v any) string {
	b, _ := json.Marshal(v) // findings and diagnostics always marshal
	return string(b)
}

// MergeCSV joins casascan CSV evidence files (the outputs of the shards of
// one scan) into the file one unsharded scan writes: the scope record
// joined (the inputs united and sorted, a field on which the inputs
// disagree lists each value once, not_judged recounted), the finding rows
// and the rows of what was not judged concatenated, exact repeats dropped,
// and sorted as the writer sorts them. The inputs' tool versions must
// agree.
func MergeCSV(w io.Writer, inputs ...io.Reader) error {
	if len(inputs) == 0 {
		return errors.New("merging CSV: no input")
	}
	scope := map[string][]string{} // field → distinct values, in the order met
	var findings, skipped [][]string
	seen := map[string]bool{}
	tool := ""
	for i, in := range inputs {
		name := inputName(in, i)
		r := csv.NewReader(in)
		r.FieldsPerRecord = len(csvHeader)
		rows, err := r.ReadAll()
		if err != nil {
			return fmt.Errorf("reading %s: not a casascan CSV report: %w", name, err)
		}
		if len(rows) == 0 || !slices.Equal(rows[0], csvHeader) {
			return fmt.Errorf("reading %s: not a casascan CSV report (its header is not %s)", name, strings.Join(csvHeader, ","))
		}
		inputTool := ""
		for _, row := range rows[1:] {
			switch row[csvColStatus] {
			case csvScope:
				field, value := row[csvColTitle], row[csvColReason]
				if field == "tool" {
					inputTool = value
				}
				if !slices.Contains(scope[field], value) {
					scope[field] = append(scope[field], value)
				}
				continue
			}
			key := strings.Join(row, "\x00")
			if seen[key] {
				continue
			}
			seen[key] = true
			switch row[csvColStatus] {
			case csvNotJudged, csvNotScanned:
				skipped = append(skipped, row)
			default:
				findings = append(findings, row)
			}
		}
		if i == 0 {
			tool = inputTool
		} else if inputTool != tool {
			return fmt.Errorf("merging CSV: %s was written by %q, the first input by %q; merge outputs of one version", name, inputTool, tool)
		}
	}
	sortCSVRows(findings)
	sort.SliceStable(skipped, func(i, j int) bool { return skippedLess(skipped[i], skipped[j]) })

	notJudged := 0
	for _, row := range skipped {
		if row[csvColStatus] == csvNotJudged {
			notJudged++
		}
	}
	scope["not_judged"] = []string{csvNotJudgedValue(notJudged)}
	if ins := scope["input"]; len(ins) > 1 {
		ins = slices.DeleteFunc(ins, func(s string) bool { return s == "not recorded" })
		slices.Sort(ins)
		scope["input"] = ins
	}

	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, field := range csvScopeFields {
		values := scope[field]
		if field != "input" && len(values) > 1 {
			values = []string{strings.Join(values, " | ")}
		}
		for _, v := range values {
			row := make([]string, len(csvHeader))
			row[csvColTitle], row[csvColStatus], row[csvColReason] = field, csvScope, v
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	for _, rows := range [][][]string{findings, skipped} {
		for _, row := range rows {
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// skippedLess orders the rows of what was not judged as the scanner orders
// diagnostics: by file and line (a row naming a file has no resource),
// then subject, then text.
func skippedLess(a, b []string) bool {
	key := func(r []string) (string, int, string) {
		if r[csvColResource] != "" {
			return "", 0, r[csvColResource]
		}
		f, l := splitLocation(r[csvColLocation])
		return f, l, ""
	}
	af, al, as := key(a)
	bf, bl, bs := key(b)
	switch {
	case af != bf:
		return af < bf
	case al != bl:
		return al < bl
	case as != bs:
		return as < bs
	}
	return a[csvColReason] < b[csvColReason]
}
