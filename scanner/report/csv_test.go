package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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
	// A header, one row per finding, then one per part of the input not
	// scanned (the unfetched module).
	if len(rows) != 1+len(res.Findings)+1 {
		t.Fatalf("got %d rows, want a header, one per finding (%d) and one per part not scanned (1)", len(rows), len(res.Findings))
	}
	wantLast := []string{"", "", "part of the input not scanned (warning)", "warning", "", "", "", "module.remote", "module.remote",
		"NOT_SCANNED", "Module not installed; run terraform init to fetch it"}
	if diff := cmp.Diff(wantLast, rows[len(rows)-1]); diff != "" {
		t.Errorf("not-scanned row (-want +got):\n%s", diff)
	}
	statuses := map[string]bool{}
	byKey := map[string][]string{}
	for _, r := range rows[1 : len(rows)-1] {
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
				"google_secret_manager_secret.token", "main.tf:40", "PASS", ""}},
		{"ignored with reason", "GCP-ENC-001 " + assetsBkt + " IGNORED",
			[]string{"M1", "GCP-ENC-001", "Storage bucket without CMEK", "MEDIUM", "CWE-311", "6.1.1", "4.1.3",
				assetsBkt, "modules/bucket/main.tf:3", "IGNORED", "ignored: static assets, no user data"}},
		{"expired ignore", "GCP-ACC-001 google_storage_bucket_iam_member.public FAIL",
			[]string{"M5", "GCP-ACC-001", "Bucket open to the public", "CRITICAL", "CWE-732", "", "4.1.3",
				"google_storage_bucket_iam_member.public", "main.tf:32", "FAIL",
				"google_storage_bucket_iam_member.public: grants roles/storage.objectViewer to allUsers (ignore comment at main.tf:29 expired on 2025-01-31)"}},
		{"unknown", "GCP-LOG-001 google_sql_database_instance.db UNKNOWN",
			[]string{"M7", "GCP-LOG-001", "Database logs statements with their data", "MEDIUM", "CWE-532", "7.1.1", "6.5.1",
				"google_sql_database_instance.db", "main.tf:20", "UNKNOWN", "database_flags is known only after apply"}},
		{"live", "GCP-ENC-001 " + liveBucket + " FAIL",
			[]string{"M1", "GCP-ENC-001", "Storage bucket without CMEK", "MEDIUM", "CWE-311", "6.1.1", "4.1.3",
				liveBucket, livePath, "FAIL", liveBucket + ": no customer-managed key (encryption.default_kms_key_name is not set)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, byKey[tc.key]); diff != "" {
				t.Errorf("row (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	res := testResult()
	res.Findings[0].Resource = "=cmd|' /C calc'!A0"
	res.Findings[0].Message = "@evil"
	res.Findings[1].Message = "\t-2+3 \x1b[2Jcleared\r\nnext"
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
