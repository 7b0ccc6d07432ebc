package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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
	fs := res.List()
	fs[1].Message = "google_kms_crypto_key.app: name \x1b]0;pwned\x07 set"
	fs[1].Resource = "google_kms_crypto_key.\x1b[2Japp"
	res.SetFindings(fs)
	out := string(render(t, "text", res, Options{Color: true}))
	if strings.Contains(out, "\x1b]") || strings.Contains(out, "\x07") || strings.Contains(out, "\x1b[2J") {
		t.Errorf("control characters from the result reached the terminal:\n%q", out)
	}
	if !strings.Contains(out, `\x1b]0;pwned\x07`) {
		t.Error("neutralised message is missing")
	}
}

func TestTextNoFailures(t *testing.T) {
	res := scanner.NewResult(scanner.Tool{Name: "casascan", Version: "1.0.0"}, []*scanner.Check{checkENC001},
		[]scanner.Finding{finding(checkENC001, scanner.StatusPass, "google_storage_bucket.b", "google_storage_bucket", "", "passes",
			loc("main.tf", 1, 1, 1, 30, "google_storage_bucket.b"))}, nil)
	out := string(render(t, "text", res, Options{}))
	want := "casascan 1.0.0: 1 checks, 1 results\n\nNo failing findings.\n\nSummary: 0 failed, 1 passed, 0 ignored, 0 unknown, 0 out of scope\n"
	if out != want {
		t.Errorf("text output =\n%s\nwant\n%s", out, want)
	}
}

// TestTextRelatedOnce: a value that is one of several instances of one
// block relates the finding to each instance, all at the block's line; the
// text report prints that place once, naming them, and a place given twice
// once (golden: testdata/text_related.golden).
func TestTextRelatedOnce(t *testing.T) {
	rel := func(addr string, line int) scanner.Location {
		return scanner.Location{File: "main.tf", StartLine: line, StartCol: 1, EndLine: line, EndCol: 40,
			Address: addr, Kind: "resource", Message: "related resource " + addr}
	}
	f := finding(checkKMS006, scanner.StatusFail, "google_storage_bucket.b", "google_storage_bucket", "encryption.default_kms_key_name",
		"encryption.default_kms_key_name is one of google_kms_crypto_key.k[*], all SOFTWARE", loc("main.tf", 17, 5, 17, 60, "google_storage_bucket.b"))
	f.Related = []scanner.Location{
		moduleCall("mail|archive"), moduleCall("mail|archive"),
		rel(`google_kms_crypto_key.k["drive"]`, 7), rel(`google_kms_crypto_key.k["mail"]`, 7), rel(`google_kms_crypto_key.k["drive"]`, 7),
		rel("google_kms_crypto_key.other", 30),
	}
	many := finding(checkKMS006, scanner.StatusFail, "google_storage_bucket.c", "google_storage_bucket", "encryption.default_kms_key_name",
		"encryption.default_kms_key_name is one of google_kms_crypto_key.n[*], all SOFTWARE", loc("main.tf", 40, 5, 40, 60, "google_storage_bucket.c"))
	for i := range 6 {
		many.Related = append(many.Related, rel("google_kms_crypto_key.n["+string(rune('0'+i))+"]", 35))
	}
	res := scanner.NewResult(scanner.Tool{Name: "casascan", Version: "1.2.3"}, []*scanner.Check{checkKMS006},
		[]scanner.Finding{f, many}, nil)
	got := render(t, "text", res, Options{})
	path := filepath.Join("testdata", "text_related.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden (run go test -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("text output differs from %s (-want +got):\n%s", path, diff)
	}
	if n := strings.Count(string(got), `k["drive"]`); n != 1 {
		t.Errorf(`google_kms_crypto_key.k["drive"] is named %d times, want once`, n)
	}
}
