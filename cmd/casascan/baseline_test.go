package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBaseline writes a baseline, then scans with it after unrelated edits
// and a new problem: the old finding stays accepted, the new one fails.
func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	write := func(src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	scan := func(args ...string) (int, string, string) {
		t.Helper()
		c, stdout, stderr := newTestCLI(dir, nil, testNow)
		code := c.run(context.Background(), append([]string{"scan", ".", "--checks", "GCP-ENC-001", "--format", "csv"}, args...))
		return code, stdout.String(), stderr.String()
	}
	bucket := func(name string) string {
		return "resource \"google_storage_bucket\" \"" + name + "\" {\n  name     = \"acme-" + name + "\"\n  location = \"US\"\n}\n"
	}

	write(bucket("mail"))
	if code, _, stderr := scan("--write-baseline", "casascan-baseline.json"); code != exitOK {
		t.Fatalf("--write-baseline: exit code %d, want 0 (the recorded findings are accepted); stderr:\n%s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "casascan-baseline.json"))
	if err != nil || !strings.Contains(string(data), `"resource": "google_storage_bucket.mail"`) {
		t.Fatalf("baseline file: %v\n%s", err, data)
	}

	// Unrelated edits move the bucket; a new bucket has the same problem.
	write("# storage of the mail service\n\nlocals {\n  region = \"us\"\n}\n\n" + bucket("mail") + "\n" + bucket("logs"))
	code, stdout, stderr := scan("--baseline", "casascan-baseline.json")
	if code != exitFindings {
		t.Errorf("--baseline with a new finding: exit code %d, want %d; stderr:\n%s", code, exitFindings, stderr)
	}
	for _, want := range []string{
		"google_storage_bucket.logs,main.tf:12,FAIL,",
		"google_storage_bucket.mail,main.tf:7,IGNORED,",
		"in baseline casascan-baseline.json",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "1 findings recorded in casascan-baseline.json") {
		t.Errorf("stderr does not say what the baseline accepted:\n%s", stderr)
	}

	if code, _, stderr := scan("--baseline", "missing.json"); code != exitUsage || !strings.Contains(stderr, "missing.json") {
		t.Errorf("missing baseline: exit code %d, want %d, naming the file; stderr:\n%s", code, exitUsage, stderr)
	}
}
