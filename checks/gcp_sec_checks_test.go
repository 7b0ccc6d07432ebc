package checks

import "testing"

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
