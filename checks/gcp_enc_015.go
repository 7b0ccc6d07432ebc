package checks

import "github.com/casascan/casascan/scanner"

var gcpENC015 = scanner.Check{
	ID:       "GCP-ENC-015",
	Title:    "Firestore database without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_firestore_database"},
	Why: `Firestore is a common store for per-user app state: settings, synced mail labels, document ` +
		`metadata, sometimes tokens. Without a customer-managed key the database and its backups are ` +
		`encrypted only with Google-managed keys. The key can only be chosen when the database is created.`,
	Remediation: `Set cmek_config.kms_key_name to a Cloud KMS key in the database's location (a ` +
		`multi-region key for nam5 or eur3), and grant the Firestore service agent ` +
		`(service-PROJECT_NUMBER@gcp-sa-firestore.iam.gserviceaccount.com) roles/cloudkms.cryptoKeyEncrypterDecrypter.`,
	Fix: fixKey + `
resource "google_firestore_database" "app" {
  name        = "app"
  location_id = "us-central1"
  type        = "FIRESTORE_NATIVE"

  cmek_config {
    kms_key_name = google_kms_crypto_key.data.id
  }
}
`,
	Test: requireCMEK("GCP-ENC-015"),
}
