package checks

import "github.com/casascan/casascan/scanner"

var gcpENC008 = scanner.Check{
	ID:       "GCP-ENC-008",
	Title:    "Spanner database without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_spanner_database"},
	Why: `A Spanner database holding user records or restricted-scope data replicates it across zones ` +
		`and keeps backups. Without a customer-managed key every replica and backup is encrypted only ` +
		`with Google-managed keys, beyond your control and audit. The key is fixed when the database is ` +
		`created.`,
	Remediation: `Set encryption_config.kms_key_name (or kms_key_names, one key per region of a ` +
		`multi-region instance) to Cloud KMS keys in the instance's locations, and grant the Spanner ` +
		`service agent (service-PROJECT_NUMBER@gcp-sa-spanner.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter. Create a new database with the key and copy the data.`,
	Fix: fixKey + `
resource "google_spanner_database" "app" {
  instance = "app-instance"
  name     = "app"

  encryption_config {
    kms_key_name = google_kms_crypto_key.data.id
  }
}
`,
	Test: requireCMEK("GCP-ENC-008"),
}
