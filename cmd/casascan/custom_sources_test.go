package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const customLabel = `id: ACME-LBL-009
title: Key rings carry an owner label
severity: LOW
types: [google_kms_key_ring]
fails_when: '!("owner" in resource.labels)'
message: has no owner label
`

const customTLS = `id: ACME-TLS-009
title: Key rings are named
severity: MEDIUM
types: [google_kms_key_ring]
fails_when: 'resource.name == ""'
message: has no name
`

// complete runs casascan's completion (cobra's __complete) in dir and
// returns the values offered, without their descriptions.
func complete(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	c, stdout, _ := newTestCLI(dir, nil, testNow)
	c.run(context.Background(), append([]string{"__complete"}, args...))
	var out []string
	for _, l := range strings.Split(stdout.String(), "\n") {
		if l == "" || strings.HasPrefix(l, ":") {
			continue
		}
		v, _, _ := strings.Cut(l, "\t")
		out = append(out, v)
	}
	return out
}

func offers(got []string, id string) bool {
	for _, g := range got {
		if g == id || strings.HasSuffix(g, ","+id) {
			return true
		}
	}
	return false
}

// TestCustomCheckCompletion: --checks, --skip-checks and casascan checks ID
// complete the custom check IDs of .casascan/checks, custom-checks: of
// .casascan.yaml and --check-dir, as a scan would load them.
func TestCustomCheckCompletion(t *testing.T) {
	dir := customWorkspace(t, map[string]string{
		"policy/label.yaml":               customLabel,
		"conf/tls.yaml":                   customTLS,
		".casascan.yaml":                  "custom-checks: [conf/tls.yaml]\n",
		"sub/main.tf":                     customTree,
		"sub/.casascan/checks/label.yaml": customLabel,
	})
	for _, tc := range []struct {
		args      []string
		want, not []string
	}{
		{[]string{"scan", "--checks", "ACME"}, []string{"ACME-KMS-002", "ACME-TLS-009"}, []string{"ACME-LBL-009", "GCP-KMS-001"}},
		{[]string{"scan", "--check-dir", "policy", "--checks", "ACME"}, []string{"ACME-KMS-002", "ACME-TLS-009", "ACME-LBL-009"}, nil},
		{[]string{"scan", "--skip-checks", "GCP-ENC-001,ACME-K"}, []string{"ACME-KMS-002"}, []string{"ACME-TLS-009"}},
		{[]string{"checks", "acme-"}, []string{"ACME-KMS-002", "ACME-TLS-009"}, []string{"GCP-TLS-001"}},
		{[]string{"checks", "--check-dir", "policy", "ACME-L"}, []string{"ACME-LBL-009"}, nil},
		// The scan root the PATH names is where .casascan/checks is read.
		{[]string{"scan", "sub", "--checks", "ACME"}, []string{"ACME-LBL-009"}, []string{"ACME-KMS-002", "ACME-TLS-009"}},
		{[]string{"scan", "--checks", "GCP-KMS-00"}, []string{"GCP-KMS-001"}, []string{"ACME-KMS-002"}},
	} {
		got := complete(t, dir, tc.args...)
		for _, w := range tc.want {
			if !offers(got, w) {
				t.Errorf("__complete %q lacks %s: %q", tc.args, w, got)
			}
		}
		for _, n := range tc.not {
			if offers(got, n) {
				t.Errorf("__complete %q offers %s: %q", tc.args, n, got)
			}
		}
	}

	// A custom check that does not load leaves the built-in IDs, and
	// completion writes no error into the shell.
	bad := customWorkspace(t, map[string]string{".casascan/checks/bad.yaml": "id: [\n"})
	c, stdout, stderr := newTestCLI(bad, nil, testNow)
	c.run(context.Background(), []string{"__complete", "scan", "--checks", "GCP-KMS-00"})
	if !strings.Contains(stdout.String(), "GCP-KMS-001") || strings.Contains(stdout.String(), "bad.yaml") || strings.Contains(stderr.String(), "bad.yaml") {
		t.Errorf("broken check file: stdout %q, stderr %q", stdout, stderr)
	}
}

// TestChecksListsConfigCustomChecks: casascan checks, checks ID and checks
// test (with no DIR) see the checks custom-checks: names, as a scan does.
func TestChecksListsConfigCustomChecks(t *testing.T) {
	dir := customWorkspace(t, map[string]string{
		".casascan/checks/regions.yaml": "",
		"conf/tls.yaml":                 customTLS,
		"conf/pass/main.tf":             "resource \"google_kms_key_ring\" \"r\" {\n  name     = \"r\"\n  location = \"eu\"\n}\n",
		"conf/fail/main.tf":             "resource \"google_kms_key_ring\" \"r\" {\n  name     = \"\" # want: ACME-TLS-009\n  location = \"eu\"\n}\n",
		".casascan.yaml":                "custom-checks: [conf/tls.yaml]\n",
	})
	code, out, errOut := runIn(t, dir, "checks")
	if code != 0 || !strings.Contains(out, "ACME-TLS-009") || strings.Contains(out, "ACME-KMS-002") {
		t.Errorf("checks: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runIn(t, dir, "checks", "ACME-TLS-009")
	if code != 0 || !strings.Contains(out, "Key rings are named") {
		t.Errorf("checks ACME-TLS-009: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runIn(t, dir, "checks", "test")
	if code != 0 || !strings.Contains(out, "ok    ACME-TLS-009 conf/pass") || !strings.Contains(out, "2 cases, 0 failed") {
		t.Errorf("checks test: exit %d\n%s\n%s", code, out, errOut)
	}
	// --config names another configuration file.
	if err := writeFile(dir, "other.yaml", "custom-checks: [policy]\n"); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(dir, "policy/label.yaml", customLabel); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runIn(t, dir, "checks", "--config", "other.yaml")
	if code != 0 || !strings.Contains(out, "ACME-LBL-009") || strings.Contains(out, "ACME-TLS-009") {
		t.Errorf("checks --config: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestCustomCheckForeignID: a custom check may not take a tfsec/trivy ID
// that maps to a built-in check (its ignore comments suppress that check):
// refused like a GCP- ID, naming file:line:col, by scan and checks test.
func TestCustomCheckForeignID(t *testing.T) {
	for _, id := range []string{"AVD-GCP-0039", "avd-gcp-0001", "google-storage-enable-ubla", "GCP013"} {
		t.Run(id, func(t *testing.T) {
			dir := customWorkspace(t, map[string]string{".casascan/checks/regions.yaml": strings.Replace(customKeyRing, "ACME-KMS-002", id, 1)})
			code, out, errOut := runIn(t, dir, "scan", ".", "--format", "json")
			want := ".casascan/checks/regions.yaml:1:5: id \"" + id + "\" is taken: it is the tfsec/trivy ID of casascan's GCP-"
			if code != 2 || out != "" || !strings.Contains(errOut, want) {
				t.Fatalf("scan: exit %d, stderr %q; want 2 and %q", code, errOut, want)
			}
			code, _, errOut = runIn(t, dir, "checks", "test", ".casascan/checks")
			if code != 2 || !strings.Contains(errOut, want) {
				t.Fatalf("checks test: exit %d, stderr %q; want 2 and %q", code, errOut, want)
			}
		})
	}
}

// TestChecksEscapesCustomText: a custom check's title, why and fix reach
// the terminal of casascan checks inert: no line starts a GitHub Actions
// workflow command.
func TestChecksEscapesCustomText(t *testing.T) {
	check := strings.Replace(customKeyRing, "title: Key rings are in an allowed European region", "title: 'Regions ##[error]fake'", 1)
	check = strings.Replace(check, "why: Keys stay in the region of our agreement.", "why: |\n  ::add-mask::x\n  ##[group]y", 1)
	dir := customWorkspace(t, map[string]string{".casascan/checks/regions.yaml": check})
	for _, args := range [][]string{{"checks"}, {"checks", "ACME-KMS-002"}} {
		code, out, errOut := runIn(t, dir, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
		if strings.Contains(out, "##[") {
			t.Errorf("%v: a workflow command reached the output:\n%s", args, out)
		}
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimLeft(l, " \t"), "::") {
				t.Errorf("%v: line %q starts a workflow command", args, l)
			}
		}
	}
}

func writeFile(dir, name, data string) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(data), 0o644)
}

// TestChecksTestFixturesStayInTree: checks test reads a check's fixtures
// through the check file's tree: a pass/ linked out of it is refused, not
// scanned.
func TestChecksTestFixturesStayInTree(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	outside := t.TempDir()
	if err := writeFile(outside, "main.tf", customTree); err != nil {
		t.Fatal(err)
	}
	dir := customWorkspace(t, map[string]string{
		"policy/regions.yaml": customKeyRing,
		"policy/fail/main.tf": "resource \"google_kms_key_ring\" \"r\" {\n  name     = \"r\"\n  location = \"us-east1\" # want: ACME-KMS-002\n}\n",
	})
	if err := os.Symlink(outside, filepath.Join(dir, "policy", "pass")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runIn(t, dir, "checks", "test", "policy")
	if code != 2 || !strings.Contains(errOut, "policy/regions.yaml: check ACME-KMS-002: pass/:") || strings.Contains(out, "ok") {
		t.Fatalf("exit %d, want 2 naming pass/\n%s\n%s", code, out, errOut)
	}
}

// TestChecksTestMarkerGrammar: checks test reads the markers of the
// built-in fixtures (package fixture): a "//" property in .tf.json, the
// addresses a marker lists, IDs separated by commas.
func TestChecksTestMarkerGrammar(t *testing.T) {
	dir := customWorkspace(t, map[string]string{
		"policy/regions.yaml": customKeyRing,
		"policy/pass/main.tf": "resource \"google_kms_key_ring\" \"r\" {\n  name     = \"r\"\n  location = \"europe-west1\"\n}\n",
		"policy/fail/json/main.tf.json": `{"resource": {"google_kms_key_ring": {"r": {
  "name": "r",
  "location": "us-east1", "//": "want: ACME-KMS-002"}}}}
`,
		"policy/fail/each/main.tf": `resource "google_kms_key_ring" "r" {
  for_each = toset(["a", "b"])
  name     = each.key
  location = each.key == "a" ? "us-east1" : "europe-west1" # want: GCP-KMS-001, ACME-KMS-002 google_kms_key_ring.r["a"]
}
`,
	})
	code, out, errOut := runIn(t, dir, "checks", "test", "policy")
	if code != 0 || !strings.Contains(out, "3 cases, 0 failed") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	// The address is checked: a marker naming the wrong instance fails.
	if err := writeFile(dir, "policy/fail/each/main.tf", strings.ReplaceAll(`resource "google_kms_key_ring" "r" {
  for_each = toset(["a", "b"])
  name     = each.key
  location = each.key == "a" ? "us-east1" : "europe-west1" # want: ACME-KMS-002 google_kms_key_ring.r[~b~]
}
`, "~", `"`)); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runIn(t, dir, "checks", "test", "policy")
	if code != 1 || !strings.Contains(out, `main.tf:4 google_kms_key_ring.r["a"]: unexpected FAIL`) || !strings.Contains(out, `main.tf:4 google_kms_key_ring.r["b"]: want FAIL, got nothing`) {
		t.Fatalf("wrong address: exit %d\n%s", code, out)
	}
}

// TestChecksMarkdownIgnoresCustomChecks: the reference of casascan's own
// checks is written whatever the working directory's custom checks or
// configuration hold.
func TestChecksMarkdownIgnoresCustomChecks(t *testing.T) {
	dir := customWorkspace(t, map[string]string{".casascan/checks/bad.yaml": "id: [\n", ".casascan.yaml": "nonsense: 1\n"})
	code, out, errOut := runIn(t, dir, "checks", "--markdown")
	if code != 0 || !strings.Contains(out, "GCP-KMS-001") || strings.Contains(out, "ACME-") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if code, _, errOut := runIn(t, dir, "checks"); code != 2 || !strings.Contains(errOut, "bad.yaml") && !strings.Contains(errOut, "nonsense") {
		t.Errorf("checks: exit %d, want 2 naming the problem\n%s", code, errOut)
	}
}

// TestCustomCheckSubdirectories: scan, checks and checks test read a
// directory of checks the same way, subdirectories included (one check
// per directory with its fixtures beside it), pass/ and fail/ left out:
// --check-dir fixtures/custom loads the documented examples.
func TestCustomCheckSubdirectories(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runIn(t, root, "checks", "--check-dir", "fixtures/custom")
	for _, id := range []string{"ACME-KMS-001", "ACME-LBL-001", "ACME-KMS-002", "ACME-SQL-001", "ACME-TLS-001"} {
		if code != 0 || !strings.Contains(out, id) {
			t.Errorf("checks --check-dir fixtures/custom: exit %d, %s missing\n%s\n%s", code, id, out, errOut)
		}
	}
	dir := customWorkspace(t, map[string]string{
		".casascan/checks/regions.yaml":           "",
		".casascan/checks/team/regions.yaml":      customKeyRing,
		".casascan/checks/team/pass/ignored.yaml": "not: a check\n",
	})
	code, out, errOut = runIn(t, dir, "scan", ".", "--format", "json")
	if code != 1 || len(findingsOf(t, out, "ACME-KMS-002")) != 3 {
		t.Fatalf("scan: exit %d\n%s", code, errOut)
	}
}
