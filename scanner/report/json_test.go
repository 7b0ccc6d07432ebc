package report

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casascan/casascan/scanner"
)

// decodedJSON mirrors the documented JSON schema, so a renamed or dropped
// field fails this test before it breaks a consumer.
type decodedJSON struct {
	SchemaVersion string `json:"schema_version"`
	Tool          struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"tool"`
	Checks []struct {
		ID       string   `json:"id"`
		Title    string   `json:"title"`
		Severity string   `json:"severity"`
		CWE      int      `json:"cwe"`
		ASVS     []string `json:"asvs"`
		CASA     []string `json:"casa"`
		Measures []string `json:"measures"`
	} `json:"checks"`
	Findings    []scanner.Finding    `json:"findings"`
	Diagnostics []scanner.Diagnostic `json:"diagnostics"`
	Summary     map[string]any       `json:"summary"`
}

func TestJSONRoundTrip(t *testing.T) {
	res := testResult()
	var doc decodedJSON
	if err := json.Unmarshal(render(t, "json", res, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != "1" || doc.Tool.Name != "casascan" || doc.Tool.Version != "1.2.3" {
		t.Errorf("header = %q %+v", doc.SchemaVersion, doc.Tool)
	}
	if len(doc.Checks) != len(res.Checks) {
		t.Fatalf("got %d checks, want %d", len(doc.Checks), len(res.Checks))
	}
	c := doc.Checks[3] // GCP-ENC-006
	if c.ID != "GCP-ENC-006" || c.Severity != "HIGH" || c.CWE != 311 ||
		!cmp.Equal(c.Measures, []string{"M1", "M3"}) || !cmp.Equal(c.CASA, []string{"6.7.1"}) {
		t.Errorf("check = %+v", c)
	}
	if diff := cmp.Diff(res.List(), doc.Findings); diff != "" {
		t.Errorf("findings do not survive a round trip (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(res.Diagnostics, doc.Diagnostics); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	want := map[string]any{"checks": 7.0, "findings": 11.0, "fail": 6.0, "pass": 2.0, "ignored": 1.0, "unknown": 1.0,
		"out_of_scope": 1.0, "expired_ignores": 1.0, "errors": 1.0, "warnings": 1.0, "skipped": true,
		"not_judged": 0.0, "not_scanned": 1.0, "incomplete": false}
	if diff := cmp.Diff(want, doc.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	res := &scanner.Result{Checks: []*scanner.Check{{ID: "GCP-X-001", Title: "x", Severity: scanner.Low}}}
	var doc map[string]any
	if err := json.Unmarshal(render(t, "json", res, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"findings", "diagnostics", "not_judged"} {
		if _, ok := doc[k].([]any); !ok {
			t.Errorf("%s = %#v, want []", k, doc[k])
		}
	}
	check := doc["checks"].([]any)[0].(map[string]any)
	for _, k := range []string{"asvs", "casa", "measures"} {
		if _, ok := check[k].([]any); !ok {
			t.Errorf("check %s = %#v, want []", k, check[k])
		}
	}
}
