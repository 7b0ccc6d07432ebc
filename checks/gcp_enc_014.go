package checks

import "github.com/casascan/casascan/scanner"

var gcpENC014 = scanner.Check{
	ID:       "GCP-ENC-014",
	Title:    "Log bucket without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"7.1.2"},
	Measures: []scanner.Measure{scanner.M1},
	Types: []string{
		"google_logging_project_bucket_config", "google_logging_folder_bucket_config",
		"google_logging_organization_bucket_config", "google_logging_billing_account_bucket_config",
	},
	Why: `However careful the app is, logs end up holding user identifiers, request paths with message ` +
		`or file IDs and, in error cases, fragments of restricted-scope data. Log buckets keep them for ` +
		`their retention period; without a customer-managed key they are encrypted only with ` +
		`Google-managed keys.`,
	Remediation: `Set cmek_settings.kms_key_name on the log bucket to a Cloud KMS key in the bucket's ` +
		`location, and grant the Cloud Logging service account of the project, folder or organization ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter on it. CMEK must be set when the bucket is created.`,
	Fix: fixKey + `
resource "google_logging_project_bucket_config" "app_logs" {
  project        = "acme-mail-prod"
  location       = "us-central1"
  bucket_id      = "app-logs"
  retention_days = 30

  cmek_settings {
    kms_key_name = google_kms_crypto_key.data.id
  }
}
`,
	Test: requireCMEK("GCP-ENC-014"),
}
