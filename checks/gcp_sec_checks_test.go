package checks

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks/checktest"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
)

// Fake credentials shaped like real ones, for tests only.
const (
	fakeAPIKey       = "AIzaFAKEfakeFAKEfakeFAKEfakeFAKEfake123"
	fakeRefreshToken = "1//0fake-refresh-token-for-tests-only-xxxxxxxx"
	fakePassword     = "hunter2-not-a-real-password"
)

func TestSEC001LiteralSecrets(t *testing.T) {
	runTF(t, gcpSEC001, []tfCase{
		{"secret version literal", `resource "google_secret_manager_secret_version" "v" {
  secret      = google_secret_manager_secret.s.id
  secret_data = "` + fakeRefreshToken + `"
}
resource "google_secret_manager_secret" "s" {}`, []string{"google_secret_manager_secret_version.v secret_data FAIL"}},
		{"secret version from variable", `resource "google_secret_manager_secret_version" "v" {
  secret      = google_secret_manager_secret.s.id
  secret_data = var.token
}
variable "token" {}
resource "google_secret_manager_secret" "s" {}`, nil},
		{"secret version from function of a reference", `resource "google_secret_manager_secret_version" "v" {
  secret_data = base64decode(google_service_account_key.k.private_key)
}
resource "google_service_account_key" "k" {}`, nil},
		{"sql password literal", `resource "google_sql_user" "u" {
  name     = "app"
  password = "` + fakePassword + `"
}`, []string{"google_sql_user.u password FAIL"}},
		{"sql password random", `resource "google_sql_user" "u" { password = random_password.db.result }
resource "random_password" "db" {}`, nil},
		{"run v2 env by name and by value", `resource "google_cloud_run_v2_service" "s" {
  template {
    containers {
      env {
        name  = "LOG_LEVEL"
        value = "debug"
      }
      env {
        name  = "DB_PASSWORD"
        value = "` + fakePassword + `"
      }
    }
    containers {
      env {
        name  = "MAPS"
        value = "` + fakeAPIKey + `"
      }
      env {
        name = "OAUTH_CLIENT_SECRET"
        value_source {
          secret_key_ref {
            secret = "s"
          }
        }
      }
    }
  }
}`, []string{
			"google_cloud_run_v2_service.s template.containers.0.env.1.value FAIL",
			"google_cloud_run_v2_service.s template.containers.1.env.0.value FAIL",
		}},
		{"run v1 env", `resource "google_cloud_run_service" "s" {
  template {
    spec {
      containers {
        env {
          name  = "REFRESH"
          value = "` + fakeRefreshToken + `"
        }
        env {
          name  = "API_TOKEN"
          value = var.api_token
        }
      }
    }
  }
}
variable "api_token" {}`, []string{"google_cloud_run_service.s template.spec.containers.0.env.0.value FAIL"}},
		{"run job env", `resource "google_cloud_run_v2_job" "j" {
  template {
    template {
      containers {
        env {
          name  = "PRIVATE_KEY"
          value = "-----BEGIN PRIVATE KEY-----\nFAKEFAKE\n-----END PRIVATE KEY-----"
        }
      }
    }
  }
}`, []string{"google_cloud_run_v2_job.j template.template.containers.0.env.0.value FAIL"}},
		{"functions v1 map", `resource "google_cloudfunctions_function" "f" {
  environment_variables = {
    GREETING      = "hello"
    CLIENT_SECRET = "` + fakePassword + `"
    FROM_VAR      = var.x
    API_KEY       = var.key
  }
}
variable "x" {}
variable "key" {}`, []string{"google_cloudfunctions_function.f environment_variables.CLIENT_SECRET FAIL"}},
		{"functions v2 secret-shaped value", `resource "google_cloudfunctions2_function" "f" {
  service_config {
    environment_variables = {
      UPSTREAM = "` + fakeAPIKey + `"
    }
  }
}`, []string{"google_cloudfunctions2_function.f service_config.environment_variables.UPSTREAM FAIL"}},
		{"app engine", `resource "google_app_engine_standard_app_version" "v" {
  env_variables = {
    PORT     = "8080"
    PASSWORD = "` + fakePassword + `"
  }
}`, []string{"google_app_engine_standard_app_version.v env_variables.PASSWORD FAIL"}},
		{"whole map from a variable", `resource "google_cloudfunctions_function" "f" { environment_variables = var.env }
variable "env" {}`, nil},
		{"credential names holding settings", `resource "google_cloud_run_v2_service" "s" {
  template {
    containers {
      env {
        name  = "GOOGLE_APPLICATION_CREDENTIALS"
        value = "/var/secrets/google/key.json"
      }
      env {
        name  = "ENABLE_TOKEN_REFRESH"
        value = "true"
      }
      env {
        name  = "PASSWORD_MIN_LENGTH"
        value = "12"
      }
      env {
        name  = "TOKEN_URI"
        value = "https://oauth2.googleapis.com/token"
      }
      env {
        name  = "CLIENT_SECRET_NAME"
        value = "projects/acme/secrets/oauth-client/versions/latest"
      }
      env {
        name  = "DATABASE_PASSWORD_URL"
        value = "postgres://app:hunter2-not-a-real-password@db:5432/mail"
      }
    }
  }
}`, []string{"google_cloud_run_v2_service.s template.containers.0.env.5.value FAIL"}},
		{"empty credential", `resource "google_cloudfunctions_function" "f" {
  environment_variables = { API_KEY = "" }
}`, nil},
	}, fakeAPIKey, fakeRefreshToken, fakePassword, "FAKEFAKE")
}

// TestSEC001ValueInputs: a password that reaches google_sql_user.password
// through a variable is a literal in the configuration when it was written
// in the tree (a tfvars file, a --var-file inside the tree, the variable's
// default, in fixtures/checks/GCP-SEC-001/fail/from_variable_default) and not when it is an input to the scan (--var, TF_VAR_*, a
// --var-file outside the tree). The message names where it was written,
// never the value.
func TestSEC001ValueInputs(t *testing.T) {
	const main = `variable "pw" {
  type      = string
  sensitive = true
}
resource "google_sql_user" "u" {
  name     = "app"
  password = var.pw
}
`
	outside := t.TempDir()
	outsideFile := filepath.Join(outside, "prod.tfvars")
	if err := os.WriteFile(outsideFile, []byte(`pw = "`+fakePassword+`"`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		files    map[string]string
		varFiles []string // relative to the root, or absolute
		vars     []string
		env      []string
		want     string // the message's provenance, "" for no finding
	}{
		{name: "terraform.tfvars", files: map[string]string{"terraform.tfvars": `pw = "` + fakePassword + `"`},
			want: "(var.pw, set in terraform.tfvars:1)"},
		{name: "auto tfvars", files: map[string]string{"secrets.auto.tfvars": `pw = "` + fakePassword + `"`},
			want: "(var.pw, set in secrets.auto.tfvars:1)"},
		{name: "var file inside the tree", files: map[string]string{"envs/prod.tfvars": `pw = "` + fakePassword + `"`},
			varFiles: []string{"envs/prod.tfvars"}, want: "(var.pw, set in envs/prod.tfvars:1 (--var-file))"},
		{name: "var file outside the tree", varFiles: []string{outsideFile}},
		{name: "--var", vars: []string{"pw=" + fakePassword}},
		{name: "TF_VAR_", env: []string{"TF_VAR_pw=" + fakePassword}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"main.tf": main}
			for k, v := range tc.files {
				files[k] = v
			}
			dir := t.TempDir()
			for name, src := range files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var varFiles []string
			for _, f := range tc.varFiles {
				if !filepath.IsAbs(f) {
					f = filepath.Join(dir, filepath.FromSlash(f))
				}
				varFiles = append(varFiles, f)
			}
			g, err := terraform.Load(context.Background(), dir, terraform.Options{Base: dir, VarFiles: varFiles, Vars: tc.vars, Env: tc.env})
			if err != nil {
				t.Fatal(err)
			}
			res := checktest.Run(t, gcpSEC001, []*scanner.Graph{g}, fakePassword)
			fails := res.WithStatus(scanner.StatusFail)
			switch {
			case tc.want == "" && len(fails) > 0:
				t.Errorf("got %q, want no finding", fails[0].Message)
			case tc.want != "" && len(fails) != 1:
				t.Errorf("got %v, want one FAIL", checktest.Lines(res, gcpSEC001.ID, true))
			case tc.want != "" && !strings.Contains(fails[0].Message, "written in plain text in the configuration "+tc.want):
				t.Errorf("message %q should end with where the value was written, %s", fails[0].Message, tc.want)
			}
		})
	}
}

// TestSEC001MixedMap: in one environment map, each entry has its own
// provenance: a password from a variable's default fails and names only that
// variable; a token given by --var beside it does not fail.
func TestSEC001MixedMap(t *testing.T) {
	g := checktest.HCL(t, `
variable "db_pass" {
  type    = string
  default = "`+fakePassword+`"
}
variable "api_token" { type = string }
resource "google_cloudfunctions_function" "f" {
  environment_variables = {
    DB_PASS   = var.db_pass
    API_TOKEN = var.api_token
    REGION    = "europe-west1"
  }
}`, checktest.Vars("api_token=cli-token-FAKE-0123456789"))
	res := checktest.Run(t, gcpSEC001, []*scanner.Graph{g}, fakePassword, "cli-token-FAKE")
	fails := res.WithStatus(scanner.StatusFail)
	if len(fails) != 1 || fails[0].Attribute != "environment_variables.DB_PASS" {
		t.Fatalf("got %v, want one FAIL on environment_variables.DB_PASS", checktest.Lines(res, gcpSEC001.ID, true))
	}
	if msg := fails[0].Message; !strings.HasSuffix(msg, "in the configuration (var.db_pass, its default at main.tf:4)") {
		t.Errorf("message %q should name var.db_pass's default, and nothing else", msg)
	}
}

func TestSEC002ServiceAccountKey(t *testing.T) {
	runTF(t, gcpSEC002, []tfCase{
		{"key", `resource "google_service_account_key" "k" { service_account_id = "sa" }`,
			[]string{"google_service_account_key.k  FAIL"}},
		{"service account beside its key", `
resource "google_service_account" "sa" { account_id = "sa" }
resource "google_service_account_key" "k" { service_account_id = google_service_account.sa.name }`,
			[]string{"google_service_account_key.k  FAIL"}},
	})
}

func TestSEC003PublicSecret(t *testing.T) {
	runTF(t, gcpSEC003, []tfCase{
		{"member allUsers", `resource "google_secret_manager_secret_iam_member" "m" {
  role   = "roles/secretmanager.secretAccessor"
  member = "allUsers"
}`, []string{"google_secret_manager_secret_iam_member.m member FAIL"}},
		{"binding with allAuthenticatedUsers", `resource "google_secret_manager_secret_iam_binding" "b" {
  role    = "roles/secretmanager.secretAccessor"
  members = ["user:a@example.com", "allAuthenticatedUsers"]
}`, []string{"google_secret_manager_secret_iam_binding.b members FAIL"}},
		{"policy from data source", `
data "google_iam_policy" "p" {
  binding {
    role    = "roles/secretmanager.secretAccessor"
    members = ["allUsers"]
  }
}
resource "google_secret_manager_secret_iam_policy" "p" {
  policy_data = data.google_iam_policy.p.policy_data
}`, []string{"google_secret_manager_secret_iam_policy.p policy_data FAIL -> data.google_iam_policy.p"}},
		{"private member", `resource "google_secret_manager_secret_iam_member" "m" {
  role   = "roles/secretmanager.secretAccessor"
  member = "serviceAccount:api@p.iam.gserviceaccount.com"
}`, nil},
		{"unknown member", `resource "google_secret_manager_secret_iam_member" "m" {
  role   = "roles/secretmanager.secretAccessor"
  member = var.member
}
variable "member" {}`, []string{"google_secret_manager_secret_iam_member.m member UNKNOWN"}},
	})
}

func TestSEC004ClientCertificate(t *testing.T) {
	runTF(t, gcpSEC004, []tfCase{
		{"issued", `resource "google_container_cluster" "c" {
  master_auth {
    client_certificate_config {
      issue_client_certificate = true
    }
  }
}`, []string{"google_container_cluster.c master_auth.client_certificate_config.issue_client_certificate FAIL"}},
		{"not issued", `resource "google_container_cluster" "c" {
  master_auth {
    client_certificate_config {
      issue_client_certificate = false
    }
  }
}`, nil},
		{"no master_auth (default false)", `resource "google_container_cluster" "c" { name = "c" }`, nil},
		{"master_auth without client_certificate_config", `resource "google_container_cluster" "c" {
  master_auth {}
}`, nil},
		{"unknown", `resource "google_container_cluster" "c" {
  master_auth {
    client_certificate_config {
      issue_client_certificate = var.legacy
    }
  }
}
variable "legacy" {}`, []string{"google_container_cluster.c master_auth.client_certificate_config.issue_client_certificate UNKNOWN"}},
	})
}
