package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMerge scans two roots to SARIF and merges them: the merged run holds
// the results of both, once each.
func TestMerge(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"a/main.tf": "resource \"google_storage_bucket\" \"a\" {\n  name     = \"acme-a\"\n  location = \"US\"\n}\n",
		"b/main.tf": "resource \"google_storage_bucket\" \"b\" {\n  name     = \"acme-b\"\n  location = \"US\"\n}\n",
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (int, string, string) {
		c, stdout, stderr := newTestCLI(dir, nil, testNow)
		code := c.run(context.Background(), args)
		return code, stdout.String(), stderr.String()
	}
	for _, root := range []string{"a", "b"} {
		if code, _, stderr := run("scan", root, "--checks", "GCP-ENC-001", "--output", root+".sarif"); code != exitFindings {
			t.Fatalf("scan %s: exit code %d; stderr:\n%s", root, code, stderr)
		}
	}
	code, _, stderr := run("merge", "a.sarif", "b.sarif", "--output", "merged.sarif")
	if code != exitOK {
		t.Fatalf("merge: exit code %d; stderr:\n%s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "merged.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	merged := string(data)
	for _, want := range []string{`"fullyQualifiedName": "google_storage_bucket.a"`, `"fullyQualifiedName": "google_storage_bucket.b"`} {
		if strings.Count(merged, want) != 1 {
			t.Errorf("merged SARIF holds %q %d times, want once", want, strings.Count(merged, want))
		}
	}
	if strings.Count(merged, `"runs"`) != 1 || strings.Count(merged, `"tool"`) != 1 {
		t.Errorf("merged SARIF is not one run:\n%s", merged)
	}

	if code, stdout, stderr := run("merge", "a.sarif", "b.sarif", "-o", "-"); code != exitOK || stdout != merged {
		t.Errorf("merge -o - (stdout): exit code %d, stdout differs from --output's file: %v; stderr:\n%s", code, stdout != merged, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "-")); err == nil {
		t.Error("merge -o - wrote a file named -")
	}

	if code, _, stderr := run("merge", "a.sarif", "missing.sarif"); code != exitUsage || !strings.Contains(stderr, "reading missing.sarif") {
		t.Errorf("merge of a missing file: exit code %d, stderr:\n%s", code, stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not sarif"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run("merge", "a.sarif", "notes.txt"); code != exitUsage || !strings.Contains(stderr, "notes.txt") {
		t.Errorf("merge of a non-SARIF file: exit code %d, stderr:\n%s", code, stderr)
	}
}

// TestMergeCSVAndJSON: the CSV and JSON outputs of two scans merge into
// exactly what one scan of both roots writes, and formats are not mixed.
func TestMergeCSVAndJSON(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"a/main.tf": "resource \"google_storage_bucket\" \"a\" {\n  name     = \"acme-a\"\n  location = \"US\"\n  uniform_bucket_level_access = true\n}\n",
		"b/main.tf": "resource \"google_storage_bucket\" \"b\" {\n  name     = \"acme-b\"\n  location = \"US\"\n}\nresource \"google_storage_bucket\" \"c\" {\n  name = \"acme-c\"\n  location = \"US\"\n}\n",
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (int, string, string) {
		c, stdout, stderr := newTestCLI(dir, nil, testNow)
		code := c.run(context.Background(), args)
		return code, stdout.String(), stderr.String()
	}
	for _, ext := range []string{"csv", "json"} {
		t.Run(ext, func(t *testing.T) {
			// b first: the merge sorts, whatever the order of its inputs.
			for _, root := range []string{"b", "a"} {
				if code, _, stderr := run("scan", root, "--output", root+"."+ext); code != exitFindings {
					t.Fatalf("scan %s: exit code %d; stderr:\n%s", root, code, stderr)
				}
			}
			code, want, stderr := run("scan", "a", "b", "--format", ext)
			if code != exitFindings {
				t.Fatalf("scan a b: exit code %d; stderr:\n%s", code, stderr)
			}
			code, got, stderr := run("merge", "b."+ext, "a."+ext, "a."+ext)
			if code != exitOK {
				t.Fatalf("merge: exit code %d; stderr:\n%s", code, stderr)
			}
			if got != want {
				t.Errorf("merged %s differs from one scan of both roots:\n--- merged\n%s\n--- one scan\n%s", ext, got, want)
			}
		})
	}
	if code, _, stderr := run("merge", "a.csv", "a.json"); code != exitUsage || !strings.Contains(stderr, "merge reports of one format") {
		t.Errorf("merge of CSV and JSON: exit code %d, stderr:\n%s", code, stderr)
	}
}
