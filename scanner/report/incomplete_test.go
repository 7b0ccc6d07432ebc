package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
)

// incompleteResult is a clean result of which one file was not judged (a
// syntax error) and one module not fetched (a warning).
func incompleteResult() *scanner.Result {
	return scanner.NewResult(
		scanner.Tool{Name: "casascan", Version: "1.2.3"},
		[]*scanner.Check{checkENC001},
		[]scanner.Finding{finding(checkENC001, scanner.StatusPass, "google_storage_bucket.b", "google_storage_bucket", "", "passes",
			loc("main.tf", 1, 1, 1, 30, "google_storage_bucket.b"))},
		[]scanner.Diagnostic{
			{Severity: scanner.DiagError, File: "broken.tf", Line: 7, Column: 3, Summary: "Unclosed configuration block",
				Detail: "There is no closing brace for this block", Skipped: true},
			{Severity: scanner.DiagWarning, File: "main.tf", Line: 12, Summary: `module "net" (git::https://example.com/net.git) is not fetched`,
				Detail: "its resources are not scanned", Skipped: true},
		},
	)
}

// TestIncompleteInEveryFormat: every format says the scan is incomplete and
// names what was not judged, with its file:line and why.
func TestIncompleteInEveryFormat(t *testing.T) {
	res := incompleteResult()
	if !res.Incomplete() || len(res.NotJudged()) != 1 || len(res.NotScanned()) != 1 {
		t.Fatalf("Incomplete = %v, NotJudged = %v, NotScanned = %v", res.Incomplete(), res.NotJudged(), res.NotScanned())
	}
	for format, want := range map[string][]string{
		"text": {"Not judged (1): the scan is incomplete", "error: broken.tf:7:3: Unclosed configuration block",
			"Not scanned (1)", "INCOMPLETE: 1 part of the input not judged", "1 part not scanned (warning"},
		"markdown": {"**Incomplete scan**: 1 part of the input could not be judged", "### Not judged",
			"`broken.tf:7`: Unclosed configuration block; There is no closing brace for this block (not judged)", "### Not scanned"},
		"csv": {"error,,,,,broken.tf:7,NOT_JUDGED,Unclosed configuration block; There is no closing brace for this block",
			"main.tf:12,NOT_SCANNED,"},
		"json":  {`"incomplete": true`, `"not_judged": 1`, `"not_scanned": 1`},
		"sarif": {`"executionSuccessful": false`, "Unclosed configuration block; There is no closing brace for this block (not judged)", "the scan is incomplete: 1 part"},
	} {
		out := string(render(t, format, res, Options{}))
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s output lacks %q:\n%s", format, w, out)
			}
		}
	}
	var doc struct {
		NotJudged []scanner.Diagnostic `json:"not_judged"`
	}
	if err := json.Unmarshal(render(t, "json", res, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.NotJudged) != 1 || doc.NotJudged[0].File != "broken.tf" || doc.NotJudged[0].Line != 7 {
		t.Errorf("json not_judged = %+v", doc.NotJudged)
	}
	run := readSARIF(t, res, Options{}) // validates against the schema
	if len(run.Invocations) != 1 || run.Invocations[0].ExecutionSuccessful {
		t.Errorf("SARIF invocation of an incomplete scan = %+v, want executionSuccessful false", run.Invocations)
	}
}

// TestCompleteWithUnfetchedModule: a module not fetched alone keeps the scan
// complete, and SARIF says the run succeeded.
func TestCompleteWithUnfetchedModule(t *testing.T) {
	res := incompleteResult()
	res.Diagnostics = res.Diagnostics[1:]
	if res.Incomplete() {
		t.Fatal("an unfetched module made the scan incomplete")
	}
	if out := string(render(t, "text", res, Options{})); strings.Contains(out, "INCOMPLETE") || !strings.Contains(out, "1 part not scanned (warning") {
		t.Errorf("text summary:\n%s", out)
	}
	run := readSARIF(t, res, Options{})
	if !run.Invocations[0].ExecutionSuccessful {
		t.Error("SARIF says a complete scan did not succeed")
	}
}
