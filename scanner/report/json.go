package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/casascan/casascan/scanner"
)

// JSONSchemaVersion is the version of the JSON format below. It changes only
// when a field is removed or changes meaning; added fields keep it.
const JSONSchemaVersion = "1"

// jsonReport is the --format json document, for scripts and dashboards.
// Every list is present (possibly empty), in the result's order.
//
//	{
//	  "schema_version": "1",
//	  "tool":   {"name": "casascan", "version": "1.2.3"},
//	  "checks": [{                      // the checks that ran, by ID
//	    "id": "GCP-ENC-001", "title": "...", "severity": "MEDIUM",
//	    "cwe": 311,                     // 0 when the check has none
//	    "asvs": ["6.1.1"], "casa": ["4.1.3"], "measures": ["M1"]
//	  }],
//	  "findings": [{                    // every status, sorted by file, line, column, check, resource
//	    "check_id": "GCP-ENC-001",
//	    "status": "FAIL",               // FAIL, PASS, IGNORED, UNKNOWN or OUT_OF_SCOPE
//	    "severity": "MEDIUM",           // the check's severity
//	    "message": "google_storage_bucket.b: ...",  // names the resource; secrets redacted
//	    "resource": "google_storage_bucket.b",      // Terraform address or full resource name
//	    "resource_type": "google_storage_bucket",
//	    "source": "terraform",          // terraform, plan, live or export
//	    "attribute": "encryption",      // attribute path; absent for the resource as a whole
//	    "location": {"file": "main.tf", "start_line": 3, "start_column": 1,
//	                 "end_line": 3, "end_column": 40, "address": "...", "kind": "resource"},
//	    "related": [{...location, "message": "module call module.a"}],
//	    "fingerprint": "3f1c...",       // stable across runs: check, resource, attribute; no lines
//	    "suppression": {"kind": "inSource", "justification": "...", "expires": "2026-12-31",
//	                    "expired": true, "location": {...}},  // IGNORED, or FAIL with an expired ignore
//	    "reason": "...",                // why UNKNOWN, OUT_OF_SCOPE or IGNORED
//	    "provenance": {                 // the value judged; absent for a resource as a whole or an unset attribute
//	      "value": "SOFTWARE",          // as shown: "(redacted)" for a secret, "(known after apply)"
//	      "origins": [{                 // where it came from, nearest first
//	        "kind": "tfvars",           // module_argument, tfvars, var_file, var_flag, env, variable_default,
//	                                    // unset_variable, computed, one_of, data_source, provider_default,
//	                                    // api_default, absent_block, literal, record, more
//	        "name": "var.protection",   // the variable, resource or record
//	        "module": "module.kms",     // the module instance of a module's variable
//	        "file": "envs/prod/terraform.tfvars", "line": 3}]},
//	    "grant": {"asset": "//storage.googleapis.com/acme-exports",  // one grant of a live or exported
//	              "role": "roles/storage.objectViewer",              // asset's IAM policy or ACL; resource
//	              "member": "allUsers"}                              // is then the asset
//	  }],
//	  "diagnostics": [{"severity": "error", "summary": "...", "detail": "...",
//	                   "file": "main.tf", "line": 4, "column": 2, "subject": "...", "skipped": true}],
//	  "not_judged": [...],              // the diagnostics (error, skipped) naming what was not judged
//	  "summary": {"checks": 4, "findings": 9, "fail": 2, "pass": 3, "ignored": 1,
//	              "unknown": 1, "out_of_scope": 0, "expired_ignores": 1,
//	              "errors": 1, "warnings": 0, "skipped": true,
//	              "not_judged": 1, "not_scanned": 0,  // not scanned: warnings, modules not fetched
//	              "incomplete": true}              // part of the input was not judged (exit 3 without FAIL)
//	}
//
// A live resource's location.file is the pseudo-path gcp/<full resource name
// without the leading //> and has no lines.
type jsonReport struct {
	SchemaVersion string               `json:"schema_version"`
	Tool          scanner.Tool         `json:"tool"`
	Checks        []jsonCheck          `json:"checks"`
	Findings      []scanner.Finding    `json:"findings"`
	Diagnostics   []scanner.Diagnostic `json:"diagnostics"`
	// NotJudged are the diagnostics naming what was not judged at all
	// (also in Diagnostics): the scan is incomplete when there is one.
	NotJudged []scanner.Diagnostic `json:"not_judged"`
	Summary   jsonSummary          `json:"summary"`
}

type jsonCheck struct {
	ID       string            `json:"id"`
	Title    string            `json:"title"`
	Severity scanner.Severity  `json:"severity"`
	CWE      int               `json:"cwe"`
	ASVS     []string          `json:"asvs"`
	CASA     []string          `json:"casa"`
	Measures []scanner.Measure `json:"measures"`
}

type jsonSummary struct {
	Checks         int  `json:"checks"`
	Findings       int  `json:"findings"`
	Fail           int  `json:"fail"`
	Pass           int  `json:"pass"`
	Ignored        int  `json:"ignored"`
	Unknown        int  `json:"unknown"`
	OutOfScope     int  `json:"out_of_scope"`
	ExpiredIgnores int  `json:"expired_ignores"`
	Errors         int  `json:"errors"`
	Warnings       int  `json:"warnings"`
	Skipped        bool `json:"skipped"`
	// NotJudged counts what was not judged; Incomplete is NotJudged > 0.
	// NotScanned counts the warnings about what was knowingly left out
	// (modules not fetched), which keep the scan complete.
	NotJudged  int  `json:"not_judged"`
	NotScanned int  `json:"not_scanned"`
	Incomplete bool `json:"incomplete"`
}

func writeJSON(w io.Writer, res *scanner.Result, _ Options) error {
	doc := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          res.Tool,
		Checks:        []jsonCheck{},
		Findings:      []scanner.Finding{},
		Diagnostics:   res.Diagnostics,
		NotJudged:     nonNil(res.NotJudged()),
		Summary:       summarize(res),
	}
	if doc.Diagnostics == nil {
		doc.Diagnostics = []scanner.Diagnostic{}
	}
	for _, c := range res.Checks {
		doc.Checks = append(doc.Checks, jsonCheck{
			ID: c.ID, Title: c.Title, Severity: c.Severity, CWE: c.CWE,
			ASVS: nonNil(c.ASVS), CASA: nonNil(c.CASA), Measures: nonNil(c.Measures),
		})
	}
	return encodeJSONStream(w, doc, res)
}

// findingsHole is the findings member of the document encoded without
// findings: the only member at the top level's indent that is an empty
// list named "findings".
const findingsHole = "\n  \"findings\": [],\n"

// encodeJSONStream writes doc, whose findings are empty, with the findings
// of res in its findings member: the bytes of encoding the document whole
// with every finding in it (json.Encoder, indented by two spaces, no HTML
// escaping), but each finding is encoded as it is read from res, so
// neither the findings nor the report are ever held whole.
func encodeJSONStream(w io.Writer, doc jsonReport, res *scanner.Result) error {
	head, err := encodeIndented(doc, "")
	if err != nil {
		return err
	}
	// A JSON string holds no raw newline, so the hole is the document's
	// own findings member, found once; anything else is a bug here, not a
	// report to write without its findings.
	at := bytes.Index(head, []byte(findingsHole))
	if at < 0 || bytes.Count(head, []byte(findingsHole)) != 1 {
		return errors.New("encoding the JSON report: no place for the findings in the document")
	}
	// Findings are written by hand (appendFindingJSON: the bytes
	// encoding/json gives them there), a batch of about 64 KiB at a time.
	var buf []byte
	n := 0
	for f := range res.All() {
		if n == 0 {
			// The document up to its findings, written with the first
			// one: without findings it is written as encoded, "[]".
			buf = append(buf, head[:at]...)
			buf = append(buf, "\n  \"findings\": ["...)
		} else {
			buf = append(buf, ',')
		}
		n++
		buf = append(buf, "\n    "...)
		buf = appendFindingJSON(buf, &f, "    ")
		if len(buf) >= 64<<10 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	// A finding that could not be read back ends the document here,
	// unfinished, rather than closing it as though it were complete.
	if err := res.Err(); err != nil {
		return err
	}
	if n == 0 {
		_, err = w.Write(head)
		return err
	}
	_, err = io.WriteString(w, "\n  ],\n"+string(head[at+len(findingsHole):]))
	return err
}

// encodeIndented encodes v as the JSON report does, indented by two spaces
// after prefix.
func encodeIndented(v any, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// summarize counts findings by status, expired ignores and diagnostics; the
// text and markdown writers print the same numbers.
func summarize(res *scanner.Result) jsonSummary {
	// Counted as the findings were laid down: no pass over them.
	s := jsonSummary{Checks: len(res.Checks), Findings: res.Len(), Skipped: res.Skipped(),
		Fail: res.Count(scanner.StatusFail), Pass: res.Count(scanner.StatusPass),
		Ignored: res.Count(scanner.StatusIgnored), Unknown: res.Count(scanner.StatusUnknown),
		OutOfScope: res.Count(scanner.StatusOutOfScope), ExpiredIgnores: res.ExpiredIgnores()}
	for _, d := range res.Diagnostics {
		if d.Severity == scanner.DiagError {
			s.Errors++
		} else {
			s.Warnings++
		}
		switch {
		case d.NotJudged():
			s.NotJudged++
		case d.NotScanned():
			s.NotScanned++
		}
	}
	s.Incomplete = res.Incomplete()
	return s
}

// nonNil makes an absent list encode as [] rather than null, so consumers
// need not tell the two apart.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
