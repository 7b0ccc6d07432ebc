package baseline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/baseline"
)

func finding(id, addr, attr, file string, line int, st scanner.Status) scanner.Finding {
	return scanner.Finding{
		CheckID: id, Status: st, Resource: addr, Attribute: attr,
		Location:    scanner.Location{File: file, StartLine: line},
		Fingerprint: scanner.Fingerprint(id, addr, attr, ""),
	}
}

func sampleResult() *scanner.Result {
	return scanner.NewResult(scanner.Tool{}, nil, []scanner.Finding{
		finding("GCP-KMS-002", "google_kms_crypto_key.k", "rotation_period", "kms.tf", 9, scanner.StatusFail),
		finding("GCP-ENC-001", "google_storage_bucket.b", "encryption.default_kms_key_name", "storage.tf", 3, scanner.StatusFail),
		finding("GCP-ACC-003", "google_storage_bucket.b", "", "storage.tf", 3, scanner.StatusPass),
		finding("GCP-ENC-002", "google_sql_database_instance.db", "", "db.tf", 1, scanner.StatusIgnored),
		finding("GCP-ENC-001", "google_storage_bucket.u", "", "storage.tf", 20, scanner.StatusUnknown),
		// The same finding twice (two graphs reading one module) is recorded once.
		finding("GCP-KMS-002", "google_kms_crypto_key.k", "rotation_period", "kms.tf", 9, scanner.StatusFail),
	}, nil)
}

const wantJSON = `{
  "version": 1,
  "tool": "casascan",
  "findings": [
    {
      "fingerprint": "` + "%KMS%" + `",
      "check_id": "GCP-KMS-002",
      "resource": "google_kms_crypto_key.k",
      "attribute": "rotation_period",
      "file": "kms.tf"
    },
    {
      "fingerprint": "` + "%ENC%" + `",
      "check_id": "GCP-ENC-001",
      "resource": "google_storage_bucket.b",
      "attribute": "encryption.default_kms_key_name",
      "file": "storage.tf"
    }
  ]
}
`

func TestWrite(t *testing.T) {
	var a, b bytes.Buffer
	if err := baseline.Write(&a, sampleResult()); err != nil {
		t.Fatal(err)
	}
	// Only FAIL findings, deduplicated, sorted by file; no timestamps.
	want := strings.NewReplacer(
		"%KMS%", scanner.Fingerprint("GCP-KMS-002", "google_kms_crypto_key.k", "rotation_period", ""),
		"%ENC%", scanner.Fingerprint("GCP-ENC-001", "google_storage_bucket.b", "encryption.default_kms_key_name", ""),
	).Replace(wantJSON)
	if a.String() != want {
		t.Errorf("Write:\n%s\nwant:\n%s", a.String(), want)
	}
	// Input order does not matter.
	res := sampleResult()
	fs := res.List()
	slices.Reverse(fs)
	res.SetFindings(fs)
	if err := baseline.Write(&b, res); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("Write depends on finding order:\n%s\nvs\n%s", a.String(), b.String())
	}
	var empty bytes.Buffer
	if err := baseline.Write(&empty, &scanner.Result{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(empty.String(), `"findings": []`) {
		t.Errorf("empty baseline: %s", empty.String())
	}
}

func TestApply(t *testing.T) {
	var buf bytes.Buffer
	if err := baseline.Write(&buf, sampleResult()); err != nil {
		t.Fatal(err)
	}
	b, err := baseline.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	res := sampleResult()
	fs := append(res.List(),
		finding("GCP-ACC-002", "google_storage_bucket.b", "public_access_prevention", "storage.tf", 5, scanner.StatusFail))
	// An expired inline ignore leaves a FAIL; the baseline still covers it.
	fs[1].Suppression = &scanner.Suppression{Kind: "inSource", Expired: true, Expires: "2020-01-01"}
	res.SetFindings(fs)
	if n := b.Apply(res); n != 3 {
		t.Errorf("Apply = %d, want 3 (KMS-002 twice, ENC-001)", n)
	}
	want := []scanner.Status{scanner.StatusIgnored, scanner.StatusIgnored, scanner.StatusPass, scanner.StatusIgnored,
		scanner.StatusUnknown, scanner.StatusIgnored, scanner.StatusFail}
	got := res.List()
	if len(got) != len(want) {
		t.Fatalf("%d findings after Apply, want %d", len(got), len(want))
	}
	for i, f := range got {
		if f.Status != want[i] {
			t.Errorf("finding %d %s %s: status %s, want %s", i, f.CheckID, f.Resource, f.Status, want[i])
		}
	}
	s := got[1].Suppression
	if s == nil || s.Kind != "external" || s.Justification != "in baseline" || s.Expired {
		t.Errorf("suppression %+v", s)
	}
	if got[3].Suppression != nil {
		t.Error("Apply touched an IGNORED finding")
	}
	if n := b.Apply(res); n != 0 {
		t.Errorf("second Apply = %d, want 0", n)
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name, src, wantErr string
	}{
		{"valid", `{"version": 1, "tool": "casascan", "findings": [{"fingerprint": "ab", "check_id": "GCP-ENC-001", "resource": "r"}]}`, ""},
		{"empty findings", `{"version": 1, "tool": "casascan", "findings": []}`, ""},
		{"a SARIF file", `{"version": "2.1.0", "runs": []}`, "not a casascan baseline"},
		{"a JSON report", `{"tool": {"name": "casascan"}, "findings": []}`, "not a casascan baseline"},
		{"unknown field", `{"version": 1, "findings": [], "extra": true}`, `unknown field "extra"`},
		{"no version", `{"findings": []}`, `no "version"`},
		{"newer version", `{"version": 2, "findings": []}`, "baseline version 2 is newer"},
		{"no fingerprint", `{"version": 1, "findings": [{"check_id": "GCP-ENC-001"}]}`, "finding 1 has no fingerprint"},
		{"trailing data", `{"version": 1, "findings": []} {}`, "data after the JSON object"},
		{"not JSON", "fingerprint,check\n", "not a casascan baseline"},
		{"empty", "", "not a casascan baseline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := baseline.Read(strings.NewReader(tt.src))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				if b.Len() > 0 && !b.Contains("ab") {
					t.Error("Contains(ab) = false")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Read error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoadNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.json")
	if _, err := baseline.Load(path); err == nil || !strings.Contains(err.Error(), "reading baseline "+path) {
		t.Errorf("missing file: %v", err)
	}
	if err := os.WriteFile(path, []byte(`{"version": 9}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := baseline.Load(path); err == nil || !strings.Contains(err.Error(), "reading baseline "+path+": baseline version 9") {
		t.Errorf("bad file: %v", err)
	}
}
