package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/scanner"
)

func readCSV(t *testing.T, res *scanner.Result) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(render(t, "csv", res, Options{}))).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	return rows
}

func TestCSVRows(t *testing.T) {
	res := testResult()
	rows := readCSV(t, res)
	if diff := cmp.Diff(csvHeader, rows[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	// A header, the scope record, one row per finding, then one per part
	// of the input not scanned (the unfetched module).
	scope := csvScopeRows(res, Options{})
	if len(rows) != 1+len(scope)+res.Len()+1 {
		t.Fatalf("got %d rows, want a header, the scope record (%d), one per finding (%d) and one per part not scanned (1)", len(rows), len(scope), res.Len())
	}
	wantLast := []string{"", "", "part of the input not scanned (warning)", "warning", "", "", "", "module.remote", "module.remote",
		"NOT_SCANNED", "Module not installed; run terraform init to fetch it", ""}
	if diff := cmp.Diff(wantLast, rows[len(rows)-1]); diff != "" {
		t.Errorf("not-scanned row (-want +got):\n%s", diff)
	}
	statuses := map[string]bool{}
	byKey := map[string][]string{}
	for _, r := range rows[1+len(scope) : len(rows)-1] {
		statuses[r[9]] = true
		byKey[r[1]+" "+r[7]+" "+r[9]] = r
	}
	for _, s := range []scanner.Status{scanner.StatusFail, scanner.StatusPass, scanner.StatusIgnored, scanner.StatusUnknown, scanner.StatusOutOfScope} {
		if !statuses[string(s)] {
			t.Errorf("no %s row", s)
		}
	}
	cases := []struct {
		name, key string
		want      []string
	}{
		{"two measures and the live pseudo-path", "GCP-ENC-006 google_secret_manager_secret.token PASS",
			[]string{"M1;M3", "GCP-ENC-006", "Secret without CMEK", "HIGH", "CWE-311", "6.4.1", "6.7.1",
				"google_secret_manager_secret.token", "main.tf:40", "PASS", "", "Set customer_managed_encryption.kms_key_name on every replica."}},
		{"ignored with reason", "GCP-ENC-001 " + assetsBkt + " IGNORED",
			[]string{"M1", "GCP-ENC-001", "Storage bucket without CMEK", "MEDIUM", "CWE-311", "6.1.1", "4.1.3",
				assetsBkt, "modules/bucket/main.tf:3", "IGNORED", "ignored: static assets, no user data", "Set encryption.default_kms_key_name to a Cloud KMS key in an HSM."}},
		{"expired ignore", "GCP-ACC-001 google_storage_bucket_iam_member.public FAIL",
			[]string{"M5", "GCP-ACC-001", "Bucket open to the public", "CRITICAL", "CWE-732", "", "4.1.3",
				"google_storage_bucket_iam_member.public", "main.tf:32", "FAIL",
				"google_storage_bucket_iam_member.public: grants roles/storage.objectViewer to allUsers (ignore comment at main.tf:29 expired on 2025-01-31)", "Remove allUsers and allAuthenticatedUsers from the bucket's IAM members."}},
		{"unknown", "GCP-LOG-001 google_sql_database_instance.db UNKNOWN",
			[]string{"M7", "GCP-LOG-001", "Database logs statements with their data", "MEDIUM", "CWE-532", "7.1.1", "6.5.1",
				"google_sql_database_instance.db", "main.tf:20", "UNKNOWN", "database_flags is known only after apply", "Set log_statement to none or ddl."}},
		{"live", "GCP-ENC-001 " + liveBucket + " FAIL",
			[]string{"M1", "GCP-ENC-001", "Storage bucket without CMEK", "MEDIUM", "CWE-311", "6.1.1", "4.1.3",
				liveBucket, livePath, "FAIL", liveBucket + ": no customer-managed key (encryption.default_kms_key_name is not set)",
				"Set encryption.default_kms_key_name to a Cloud KMS key in an HSM."}},
		{"no CASA test case", "GCP-KMS-006 google_storage_bucket.logs FAIL",
			[]string{"M4", "GCP-KMS-006", "Data store protected by a software key", "MEDIUM", "CWE-320", "6.4.2", "none",
				"google_storage_bucket.logs", "main.tf:12", "FAIL", "google_storage_bucket.logs: CMEK key google_kms_crypto_key.app is a software key (from an attribute of google_kms_crypto_key.app declared at main.tf:5)",
				"Point the data store at an HSM-backed key."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, byKey[tc.key]); diff != "" {
				t.Errorf("row (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCSVScope: the scope record opens the file, one SCOPE row per field
// (one per input), values as given, "all"/"none" when a filter is unset.
func TestCSVScope(t *testing.T) {
	res := testResult()
	res.Diagnostics = append(res.Diagnostics, scanner.Diagnostic{Severity: scanner.DiagError, Skipped: true, File: "bad.tf", Line: 2, Summary: "unreadable"})
	opts := Options{Date: "2026-01-01", Scope: Scope{Inputs: []string{"infra", "projects/acme"}, Config: "infra/.casascan.yaml",
		Severity: []string{"HIGH", "CRITICAL"}, ScopeLabels: []string{"data=gmail"}, NoInlineIgnores: true}}
	rows, err := csv.NewReader(bytes.NewReader(render(t, "csv", res, opts))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[1:] {
		if r[csvColStatus] != csvScope {
			break
		}
		got = append(got, r[csvColTitle]+"="+r[csvColReason])
	}
	want := []string{"tool=casascan 1.2.3", "date=2026-01-01", "input=infra", "input=projects/acme", "config=infra/.casascan.yaml",
		"checks=all", "skip_checks=none", "severity=HIGH;CRITICAL", "exclude=none", "scope_labels=data=gmail", "baseline=none",
		"ignores=not honoured", "not_judged=1 (incomplete scan: see the NOT_JUDGED rows)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("scope record (-want +got):\n%s", diff)
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	res := testResult()
	fs := res.List()
	fs[0].Resource = "=cmd|' /C calc'!A0"
	fs[0].Message = "@evil"
	fs[1].Message = "\t-2+3 \x1b[2Jcleared\r\nnext"
	res.SetFindings(fs)
	rows := readCSV(t, res)[1:]
	for _, r := range rows {
		for _, cell := range r {
			if t2 := strings.TrimLeft(cell, " \t\r"); t2 != "" && strings.ContainsRune("=+-@", rune(t2[0])) {
				t.Errorf("cell %q starts a formula", cell)
			}
			if strings.ContainsAny(cell, "\x1b\r") {
				t.Errorf("cell %q holds a control character", cell)
			}
		}
	}
	all := fmt.Sprint(rows)
	for _, want := range []string{"'=cmd|' /C calc'!A0", "' -2+3 [2Jcleared next"} {
		if !strings.Contains(all, want) {
			t.Errorf("no cell holds %q: %s", want, all)
		}
	}
}

// TestCSVRecordRoundTrip: a row's sort record gives the row back, and a
// record cut short is refused, not read as a row.
func TestCSVRecordRoundTrip(t *testing.T) {
	row := []string{"m", "GCP-ENC-001", "t", "HIGH", "CWE-311", "a", "c", "x.y", "a.tf:12", "FAIL", "why \x00 not", ""}
	rec := appendCSVRecord(nil, row)
	got, ok := csvRecordRow(nil, rec)
	if !ok || !slices.Equal(got, row) {
		t.Fatalf("round trip: %q, %v", got, ok)
	}
	for cut := range len(rec) {
		if _, ok := csvRecordRow(nil, rec[:cut]); ok {
			t.Errorf("a record cut to %d of %d bytes was read as a row", cut, len(rec))
		}
	}
}

// TestCSVRowOrder: the finding rows come out as sortCSVRows orders the
// full rows, whether the records hold only the findings' cells (check IDs
// whose cells differ) or every cell (two IDs that CSVCell makes alike),
// the result in memory or on disk.
func TestCSVRowOrder(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	all := checks.All()
	for _, tc := range []struct {
		name    string
		ids     []string
		compact bool
	}{
		{"checks of their own", []string{all[0].ID, all[1].ID, all[2].ID, "CUSTOM-1"}, true},
		{"two IDs alike", []string{all[0].ID, "=x", "'=x", "\x1b=x"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var fs []scanner.Finding
			for range 3000 {
				pick := func(ss ...string) string { return ss[rng.IntN(len(ss))] }
				fs = append(fs, scanner.Finding{
					CheckID:  tc.ids[rng.IntN(len(tc.ids))],
					Severity: scanner.Severity(rng.IntN(5)),
					Status:   []scanner.Status{scanner.StatusFail, scanner.StatusPass, scanner.StatusUnknown}[rng.IntN(3)],
					Resource: pick("a.b", "a.c", "=d.e"),
					Message:  pick("m1", "m2", "=m3"), Reason: pick("r1", "r2"),
					Location: scanner.Location{File: pick("x.tf", "y/z.tf", ""), StartLine: rng.IntN(30)},
				})
			}
			res := scanner.NewResult(scanner.Tool{}, all, fs, nil)
			if got := newCSVRecords(res).compact; got != tc.compact {
				t.Fatalf("compact records = %v, want %v", got, tc.compact)
			}
			rows := csvRows{}
			var want [][]string
			for f := range res.All() {
				want = append(want, rows.row(checkFor(res, f), f))
			}
			sortCSVRows(want)
			for _, spilled := range []bool{false, true} {
				if spilled {
					if err := res.Spill(); err != nil {
						t.Fatal(err)
					}
				}
				got := readCSV(t, res)
				got = got[1+len(csvScopeRows(res, Options{})):]
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("spilled %v: rows (-sortCSVRows +written):\n%s", spilled, diff)
				}
			}
		})
	}
}
