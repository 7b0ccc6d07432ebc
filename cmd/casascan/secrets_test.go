package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner/report"
	"github.com/google/go-cmp/cmp"
)

// Fake secrets planted in fixtures/cli/secrets, and given through TF_VAR_
// and --var: none may appear in any output.
const (
	secretPassword     = "Sup3r-S3cret-DB-pa55word!"
	secretData         = "gmail-oauth-client-secret-FAKE-7f3a9c"
	secretAPIKey       = "AIzaSyFAKE-casascan-test-key-0123456789"
	secretPrivateKey   = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCFAKEcasascanTESTkeyBODYdoNOTuse"
	secretRefreshToken = "1//0gFAKErefreshTOKENforCasascanTests-abcdefghij"
	secretSensitiveVar = "default-sensitive-pw-1a2b3c"
	secretTFVar        = "tfvar-signing-key-FAKE-9d8c7b"
	secretCLIVar       = "cli-var-api-token-FAKE-5e6f7a"
)

var plantedSecrets = []string{secretPassword, secretData, secretAPIKey, secretPrivateKey,
	secretRefreshToken, secretSensitiveVar, secretTFVar, secretCLIVar}

// TestSecretsNeverPrinted scans a tree holding literal secrets in every
// format, to stdout and to a file, and fails if any secret appears in any
// output or on stderr. It also checks that the secrets were found, so the
// test cannot pass by scanning nothing.
func TestSecretsNeverPrinted(t *testing.T) {
	tree, err := filepath.Abs(filepath.Join("..", "..", "fixtures", "cli", "secrets"))
	if err != nil {
		t.Fatal(err)
	}
	src := readTree(t, tree)
	for _, s := range plantedSecrets[:6] {
		if !strings.Contains(src, s) {
			t.Fatalf("fixture no longer holds the planted secret %q", s)
		}
	}
	env := []string{"TF_VAR_signing_key=" + secretTFVar}
	for _, format := range report.Formats() {
		for _, toFile := range []bool{false, true} {
			name := format
			if toFile {
				name += "/output"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				args := []string{"scan", tree, "--format", format, "--var", "api_token=" + secretCLIVar}
				out := filepath.Join(dir, "report."+format)
				if toFile {
					args = append(args, "--output", out)
				}
				c, stdout, stderr := newTestCLI(dir, env, testNow)
				if code := c.run(context.Background(), args); code != exitFindings {
					t.Errorf("exit code %d, want %d; stderr:\n%s", code, exitFindings, stderr)
				}
				outputs := map[string]string{"stdout": stdout.String(), "stderr": stderr.String()}
				if toFile {
					data, err := os.ReadFile(out)
					if err != nil {
						t.Fatalf("report not written: %v", err)
					}
					outputs["report file"] = string(data)
				}
				for where, text := range outputs {
					for _, s := range plantedSecrets {
						if strings.Contains(text, s) {
							t.Errorf("%s holds the secret %q", where, s)
						}
					}
				}
				if format == "json" && !toFile {
					checkSecretsFound(t, stdout.Bytes())
				}
			})
		}
	}
}

// checkSecretsFound asserts that GCP-SEC-001 failed on every resource that
// holds a literal secret.
func checkSecretsFound(t *testing.T, data []byte) {
	t.Helper()
	var doc struct {
		Findings []struct {
			CheckID   string `json:"check_id"`
			Status    string `json:"status"`
			Resource  string `json:"resource"`
			Attribute string `json:"attribute"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("decoding the JSON report: %v", err)
	}
	failed := map[string]bool{}
	for _, f := range doc.Findings {
		if f.CheckID == "GCP-SEC-001" && f.Status == "FAIL" {
			failed[f.Resource] = true
		}
	}
	for _, want := range []string{
		"google_sql_user.app",
		"google_secret_manager_secret_version.token",
		"google_cloud_run_v2_service.api",
		"google_cloudfunctions2_function.sync",
		// A sensitive variable's default is still written in the tree.
		"google_sql_user.root",
	} {
		if !failed[want] {
			t.Errorf("GCP-SEC-001 did not fail on %s (failed on %v)", want, failed)
		}
	}
	// Values given by TF_VAR_ and --var are inputs to the scan, not
	// configuration: no finding on the attributes they reach.
	for _, f := range doc.Findings {
		if f.CheckID == "GCP-SEC-001" && f.Status == "FAIL" && (strings.HasSuffix(f.Attribute, ".API_TOKEN") || f.Attribute == "template.containers.0.env.2.value") {
			t.Errorf("GCP-SEC-001 failed on %s %s, whose value comes from --var or TF_VAR_", f.Resource, f.Attribute)
		}
	}
}

func readTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		b.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSecretProvenanceShown: a finding on a value from a sensitive
// variable says where the value was set (TF_VAR_*, a tfvars line) and
// never what it is, in every format. The value here is the one that
// fails the check ("SOFTWARE"), so it is the one that must not appear.
func TestSecretProvenanceShown(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf": `variable "env_level" {
  type      = string
  sensitive = true
}
variable "file_level" {
  type      = string
  sensitive = true
}
resource "google_kms_crypto_key" "a" {
  name     = "a"
  key_ring = "projects/p/locations/us/keyRings/r"
  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = var.env_level
  }
}
resource "google_kms_crypto_key" "b" {
  name     = "b"
  key_ring = "projects/p/locations/us/keyRings/r"
  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = var.file_level
  }
}
`,
		"terraform.tfvars": "# levels\nfile_level = \"SOFTWARE\"\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"TF_VAR_env_level=SOFTWARE"}
	for _, format := range report.Formats() {
		t.Run(format, func(t *testing.T) {
			c, stdout, stderr := newTestCLI(dir, env, testNow)
			if code := c.run(context.Background(), []string{"scan", ".", "--checks", "GCP-KMS-001", "--format", format}); code != exitFindings {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitFindings, stderr)
			}
			out := stdout.String()
			results := out
			if format == "sarif" {
				// The rules' help text speaks of SOFTWARE keys: look at the results.
				_, results, _ = strings.Cut(out, `"results"`)
			}
			if strings.Contains(results, "SOFTWARE") || strings.Contains(stderr.String(), "SOFTWARE") {
				t.Errorf("the %s report shows the sensitive value:\n%s", format, out)
			}
			var want []string
			switch format {
			case "text":
				want = []string{"value     (redacted) from var.env_level, set by TF_VAR_env_level",
					"value     (redacted) from var.file_level, set in terraform.tfvars:2"}
			case "json":
				var doc struct {
					Findings []struct {
						Resource   string `json:"resource"`
						Provenance struct {
							Value   string           `json:"value"`
							Origins []map[string]any `json:"origins"`
						} `json:"provenance"`
					} `json:"findings"`
				}
				if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
					t.Fatal(err)
				}
				got := map[string]string{}
				for _, f := range doc.Findings {
					p := f.Provenance
					if p.Value != "(redacted)" || len(p.Origins) != 1 {
						t.Errorf("%s: value %q, origins %v; want (redacted) and one origin", f.Resource, p.Value, p.Origins)
						continue
					}
					o := p.Origins[0]
					got[f.Resource] = fmt.Sprint(o["kind"], " ", o["name"], " ", o["file"], " ", o["line"])
				}
				wantJSON := map[string]string{
					"google_kms_crypto_key.a": "env var.env_level <nil> <nil>",
					"google_kms_crypto_key.b": "tfvars var.file_level terraform.tfvars 2",
				}
				if diff := cmp.Diff(wantJSON, got); diff != "" {
					t.Errorf("provenance (-want +got):\n%s", diff)
				}
			case "sarif":
				want = []string{`"text": "value set here (var.file_level)"`, `"kind": "env"`}
			}
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("the %s report lacks %q:\n%s", format, w, out)
				}
			}
		})
	}
}
