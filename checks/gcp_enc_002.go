package checks

import "github.com/casascan/casascan/scanner"

var gcpENC002 = scanner.Check{
	ID:       "GCP-ENC-002",
	Title:    "Cloud SQL instance without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_sql_database_instance"},
	Why: `A Cloud SQL database typically holds the app's users, their OAuth grants and the ` +
		`restricted-scope data the app derived from Gmail or Drive. Without a customer-managed key its ` +
		`disks, backups and replicas are encrypted only with Google-managed keys: you cannot restrict or ` +
		`audit who may decrypt them, nor revoke access to every copy at once by disabling one key. The ` +
		`key can only be chosen when the instance is created.`,
	Remediation: `Set encryption_key_name to a Cloud KMS key in the instance's region, after granting ` +
		`the Cloud SQL service agent (created with google_project_service_identity for ` +
		`sqladmin.googleapis.com) roles/cloudkms.cryptoKeyEncrypterDecrypter on it. The key cannot be ` +
		`added to an existing instance: create a new instance with the key and migrate the data.`,
	Fix: fixKey + `
resource "google_sql_database_instance" "app" {
  name                = "app-db"
  region              = "us-central1"
  database_version    = "POSTGRES_16"
  encryption_key_name = google_kms_crypto_key.data.id

  settings {
    tier = "db-custom-2-7680"
    ip_configuration {
      ipv4_enabled = false
      ssl_mode     = "ENCRYPTED_ONLY"
    }
  }
}
`,
	Test: requireCMEK("GCP-ENC-002"),
}
