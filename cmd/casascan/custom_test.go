package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runIn runs casascan in-process in dir and returns the exit code, stdout
// and stderr.
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	c, stdout, stderr := newTestCLI(dir, nil, testNow)
	code := c.run(context.Background(), args)
	return code, stdout.String(), stderr.String()
}

// TestCustomChecksExamples runs casascan checks test over the documented
// examples, as a user's CI would.
func TestCustomChecksExamples(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runIn(t, root, "checks", "test", "fixtures/custom")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, id := range []string{"ACME-KMS-001", "ACME-LBL-001", "ACME-KMS-002", "ACME-SQL-001", "ACME-TLS-001"} {
		for _, kind := range []string{"pass", "fail"} {
			if !strings.Contains(out, "ok    "+id+" ") || !strings.Contains(out, "/"+kind) {
				t.Errorf("%s %s not run:\n%s", id, kind, out)
			}
		}
	}
	if !strings.Contains(out, "10 cases, 0 failed") {
		t.Errorf("summary:\n%s", out)
	}
}

const customKeyRing = `id: ACME-KMS-002
title: Key rings are in an allowed European region
severity: HIGH
measures: [M4]
cwe: 320
asvs: ["6.4.1"]
casa: ["4.1.3"]
types: [google_kms_key_ring]
fails_when: '!(resource.location in ["europe-west1"])'
message: is outside europe-west1
why: Keys stay in the region of our agreement.
fix: |
  resource "google_kms_key_ring" "r" {
    location = "europe-west1"
  }
`

const customTree = `resource "google_kms_key_ring" "us" {
  name     = "us"
  location = "us-central1"
}

# casascan:ignore:ACME-KMS-002 -- legacy ring, migrating
resource "google_kms_key_ring" "legacy" {
  name     = "legacy"
  location = "asia-east1"
}

resource "google_kms_key_ring" "eu" {
  name     = "eu"
  location = "europe-west1"
}
`

// customWorkspace is a repository with a custom check in .casascan/checks.
func customWorkspace(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	all := map[string]string{".git/HEAD": "ref: refs/heads/main\n", "main.tf": customTree, ".casascan/checks/regions.yaml": customKeyRing}
	for k, v := range files {
		all[k] = v
	}
	for name, data := range all {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if data == "" {
			continue
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// findingsOf reads a JSON report: resource → status of check id.
func findingsOf(t *testing.T, report, id string) map[string]string {
	t.Helper()
	var res struct {
		Findings []struct {
			CheckID  string `json:"check_id"`
			Status   string `json:"status"`
			Resource string `json:"resource"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(report), &res); err != nil {
		t.Fatalf("%v\n%s", err, report)
	}
	got := map[string]string{}
	for _, f := range res.Findings {
		if f.CheckID == id {
			got[f.Resource] = f.Status
		}
	}
	return got
}

// TestCustomCheckScan: a custom check from .casascan/checks is judged like
// a built-in one: findings, ignore comments, filters and SARIF rules.
func TestCustomCheckScan(t *testing.T) {
	dir := customWorkspace(t, nil)
	code, out, errOut := runIn(t, dir, "scan", ".", "--format", "json", "--checks", "ACME-KMS-002")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errOut)
	}
	got := findingsOf(t, out, "ACME-KMS-002")
	if other := findingsOf(t, out, "GCP-KMS-001"); len(other) > 0 {
		t.Errorf("built-in findings with --checks ACME-KMS-002: %v", other)
	}
	for addr, status := range map[string]string{"google_kms_key_ring.us": "FAIL", "google_kms_key_ring.legacy": "IGNORED", "google_kms_key_ring.eu": "PASS"} {
		if got[addr] != status {
			t.Errorf("%s: %q, want %s (all: %v)", addr, got[addr], status, got)
		}
	}

	code, out, _ = runIn(t, dir, "scan", ".", "--format", "sarif")
	if code != 1 {
		t.Fatalf("sarif: exit %d", code)
	}
	for _, want := range []string{`"id": "ACME-KMS-002"`, `"CWE-320"`, `"ASVS-6.4.1"`, `"CASA-4.1.3"`, `"M4"`, `location = \"europe-west1\"`, `"security-severity": "8.0"`} {
		if !strings.Contains(out, want) {
			t.Errorf("SARIF lacks %s", want)
		}
	}

	// Filters: skipped, or below the severity asked for.
	for _, args := range [][]string{{"--skip-checks", "ACME-KMS-002"}, {"--severity", "CRITICAL"}} {
		_, out, _ := runIn(t, dir, append([]string{"scan", ".", "--format", "json"}, args...)...)
		if len(findingsOf(t, out, "ACME-KMS-002")) > 0 {
			t.Errorf("%v: the custom check still ran", args)
		}
	}

	// A baseline accepts its findings like a built-in check's.
	if code, _, errOut := runIn(t, dir, "scan", ".", "--checks", "ACME-KMS-002", "--write-baseline", "base.json"); code != 0 {
		t.Fatalf("--write-baseline: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := runIn(t, dir, "scan", ".", "--checks", "ACME-KMS-002", "--baseline", "base.json"); code != 0 {
		t.Fatalf("--baseline: exit %d\n%s", code, errOut)
	}

	// casascan checks lists and explains it.
	code, out, _ = runIn(t, dir, "checks")
	if code != 0 || !strings.Contains(out, "ACME-KMS-002") {
		t.Errorf("checks: exit %d\n%s", code, out)
	}
	code, out, _ = runIn(t, dir, "checks", "ACME-KMS-002")
	if code != 0 || !strings.Contains(out, "Keys stay in the region") || !strings.Contains(out, `location = "europe-west1"`) {
		t.Errorf("checks ACME-KMS-002: exit %d\n%s", code, out)
	}
}

// TestCustomCheckSources: --check-dir and custom-checks: in .casascan.yaml,
// whose checks: may name custom IDs.
func TestCustomCheckSources(t *testing.T) {
	dir := customWorkspace(t, map[string]string{".casascan/checks/regions.yaml": "", "policy/regions.yaml": customKeyRing})
	os.Remove(filepath.Join(dir, ".casascan/checks/regions.yaml"))
	if _, out, _ := runIn(t, dir, "scan", ".", "--format", "json"); len(findingsOf(t, out, "ACME-KMS-002")) > 0 {
		t.Fatal("a check outside .casascan/checks ran unasked")
	}
	code, out, errOut := runIn(t, dir, "scan", ".", "--format", "json", "--check-dir", "policy")
	if code != 1 || len(findingsOf(t, out, "ACME-KMS-002")) != 3 {
		t.Fatalf("--check-dir: exit %d\n%s", code, errOut)
	}
	if err := os.WriteFile(filepath.Join(dir, ".casascan.yaml"), []byte("custom-checks: [policy/regions.yaml]\nchecks: [ACME-KMS-002]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runIn(t, dir, "scan", ".", "--format", "json")
	if code != 1 || len(findingsOf(t, out, "ACME-KMS-002")) != 3 || strings.Contains(out, `"check_id": "GCP-`) {
		t.Fatalf("custom-checks: exit %d\n%s\n%s", code, errOut, out)
	}
	// A central ignore: entry suppresses a custom finding, without warning
	// that the ID is unknown.
	if err := os.WriteFile(filepath.Join(dir, ".casascan.yaml"), []byte("custom-checks: [policy]\nignore:\n  - id: ACME-KMS-002\n    resource: google_kms_key_ring.us\n    reason: migrating\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runIn(t, dir, "scan", ".", "--format", "json")
	if got := findingsOf(t, out, "ACME-KMS-002"); code != 0 || got["google_kms_key_ring.us"] != "IGNORED" || strings.Contains(errOut, "ACME-KMS-002") {
		t.Fatalf("ignore: entry: exit %d, %v\n%s", code, got, errOut)
	}
	if err := os.WriteFile(filepath.Join(dir, ".casascan.yaml"), []byte("custom-checks: [../elsewhere]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runIn(t, dir, "scan", "."); code != 2 || !strings.Contains(errOut, "leaves the configuration file's directory") {
		t.Fatalf("custom-checks outside: exit %d\n%s", code, errOut)
	}
}

// TestCustomCheckLoadErrors: a bad check file stops the scan with exit 2,
// naming file:line:col, before anything is judged.
func TestCustomCheckLoadErrors(t *testing.T) {
	for _, tc := range []struct{ name, file, want string }{
		{"unknown field", strings.Replace(customKeyRing, "why:", "whyy:", 1), `.casascan/checks/bad.yaml:11:1: unknown field "whyy"`},
		{"GCP id", strings.Replace(customKeyRing, "ACME-KMS-002", "GCP-KMS-002", 1), ".casascan/checks/bad.yaml:1:5: id \"GCP-KMS-002\""},
		{"duplicate", customKeyRing, "id ACME-KMS-002 is already taken by .casascan/checks/"},
		{"syntax", strings.Replace(customKeyRing, `'!(resource.location in ["europe-west1"])'`, `'resource.location in ['`, 1), ".casascan/checks/bad.yaml:9:"},
		{"yaml", "id: [\n", ".casascan/checks/bad.yaml:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := customWorkspace(t, map[string]string{".casascan/checks/bad.yaml": tc.file})
			code, out, errOut := runIn(t, dir, "scan", ".", "--format", "json")
			if code != 2 {
				t.Fatalf("exit %d, want 2\n%s", code, errOut)
			}
			if out != "" {
				t.Errorf("a report was written:\n%s", out)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, errOut)
			}
		})
	}
}

// TestChecksTestReportsDifferences: a fixture whose marker disagrees with
// the check fails casascan checks test, saying where.
func TestChecksTestReportsDifferences(t *testing.T) {
	dir := customWorkspace(t, map[string]string{
		"policy/regions.yaml":   customKeyRing,
		"policy/pass/main.tf":   "resource \"google_kms_key_ring\" \"r\" {\n  name     = \"r\"\n  location = \"us-east1\"\n}\n",
		"policy/fail/a/main.tf": "resource \"google_kms_key_ring\" \"r\" {\n  name     = \"r\"\n  location = \"europe-west1\" # want: ACME-KMS-002\n}\n",
	})
	code, out, errOut := runIn(t, dir, "checks", "test", "policy")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"FAIL  ACME-KMS-002 policy/pass", "main.tf:3: unexpected FAIL", "FAIL  ACME-KMS-002 policy/fail/a", "main.tf:3: want FAIL, got nothing", "2 cases, 2 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestChecksTestErrors: a check file that does not load, or a check with
// no fixtures, is a usage error naming the file.
func TestChecksTestErrors(t *testing.T) {
	dir := customWorkspace(t, map[string]string{
		"bad/x.yaml":      strings.Replace(customKeyRing, "severity: HIGH", "severity: URGENT", 1),
		"nofix/x.yaml":    customKeyRing,
		"nofix/pass/a.tf": customTree,
	})
	for sub, want := range map[string]string{"bad": "bad/x.yaml:3:11: severity", "nofix": "nofix/x.yaml: check ACME-KMS-002 has no fail/ fixtures"} {
		code, _, errOut := runIn(t, dir, "checks", "test", sub)
		if code != 2 || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", sub, code, errOut, want)
		}
	}
}
