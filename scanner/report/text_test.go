package report

import (
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
)

func TestTextColorOnlyWhenAsked(t *testing.T) {
	plain := string(render(t, "text", testResult(), Options{}))
	if strings.Contains(plain, "\x1b") {
		t.Error("text output without Color holds an escape character")
	}
	colored := string(render(t, "text", testResult(), Options{Color: true}))
	if !strings.Contains(colored, "\x1b[1;31mCRITICAL\x1b[0m") {
		t.Error("coloured text output does not paint the CRITICAL heading")
	}
}

func TestTextOrderAndContent(t *testing.T) {
	out := string(render(t, "text", testResult(), Options{}))
	// Severity groups, most severe first, then the other sections.
	order := []string{"CRITICAL (1)", "HIGH (1)", "MEDIUM (3)", "LOW (1)", "Ignored (1)", "Unknown (1)", "Not scanned (1)", "Diagnostics (1)", "Summary:"}
	last := -1
	for _, s := range order {
		i := strings.Index(out, s)
		if i < 0 {
			t.Fatalf("text output lacks %q", s)
		}
		if i < last {
			t.Errorf("%q comes before the section preceding it", s)
		}
		last = i
	}
	for _, want := range []string{
		"    at        main.tf:32\n",
		"    resource  google_storage_bucket_iam_member.public\n",
		"    why       A public bucket lets anyone on the internet read the user data in it.\n", // first sentence only
		"    fix       Remove allUsers and allAuthenticatedUsers",
		"ignore comment at main.tf:29 expired on 2025-01-31",
		`via       module call module.storage["mail|archive"] at main.tf:1`,
		"-- static assets, no user data (until 2099-12-31)",
		"GCP-LOG-001  1 result, e.g. google_sql_database_instance.db: database_flags is known only after apply",
		"error: broken.tf:3:5: Invalid expression",
		"Summary: 6 failed, 2 passed, 1 ignored, 1 unknown, 1 out of scope; 1 expired ignore comment; 2 diagnostics; " +
			"1 part not scanned (warning: a module terraform init has not fetched, listed above)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
	if strings.Contains(out, "Restricted-scope data must never be public") {
		t.Error("why it matters is printed beyond its first line")
	}
}

func TestTextNeutralisesControlCharacters(t *testing.T) {
	res := testResult()
	res.Findings[1].Message = "google_kms_crypto_key.app: name \x1b]0;pwned\x07 set"
	res.Findings[1].Resource = "google_kms_crypto_key.\x1b[2Japp"
	out := string(render(t, "text", res, Options{Color: true}))
	if strings.Contains(out, "\x1b]") || strings.Contains(out, "\x07") || strings.Contains(out, "\x1b[2J") {
		t.Errorf("control characters from the result reached the terminal:\n%q", out)
	}
	if !strings.Contains(out, `\x1b]0;pwned\x07`) {
		t.Error("neutralised message is missing")
	}
}

func TestTextNoFailures(t *testing.T) {
	res := &scanner.Result{Tool: scanner.Tool{Name: "casascan", Version: "1.0.0"}, Checks: []*scanner.Check{checkENC001},
		Findings: []scanner.Finding{finding(checkENC001, scanner.StatusPass, "google_storage_bucket.b", "google_storage_bucket", "", "passes",
			loc("main.tf", 1, 1, 1, 30, "google_storage_bucket.b"))}}
	out := string(render(t, "text", res, Options{}))
	want := "casascan 1.0.0: 1 checks, 1 results\n\nNo failing findings.\n\nSummary: 0 failed, 1 passed, 0 ignored, 0 unknown, 0 out of scope\n"
	if out != want {
		t.Errorf("text output =\n%s\nwant\n%s", out, want)
	}
}
