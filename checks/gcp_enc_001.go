package checks

import "github.com/casascan/casascan/scanner"

var gcpENC001 = scanner.Check{
	ID:       "GCP-ENC-001",
	Title:    "Storage bucket without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	CASA:     []string{"4.1.3"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_storage_bucket"},
	Why: `Buckets are where apps most often keep copies of restricted-scope data: exported mail, Drive ` +
		`files, attachments, backups. Without a customer-managed key the objects are encrypted only ` +
		`with keys Google manages on your behalf, so you cannot show an assessor who may decrypt them, ` +
		`cannot see each use of the key in Cloud Audit Logs, and cannot make the data unreadable by ` +
		`disabling or destroying a key you control. CMEK is how the policy's "encrypted at rest" is ` +
		`evidenced for data you store.`,
	Remediation: `Set encryption.default_kms_key_name to a Cloud KMS key in the bucket's location, and ` +
		`grant the Cloud Storage service agent (service-PROJECT_NUMBER@gs-project-accounts.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter on that key. New objects are then encrypted with it; ` +
		`rewrite existing objects to re-encrypt them.`,
	Fix: fixKey + `
resource "google_storage_bucket" "mail_exports" {
  name                        = "acme-mail-exports"
  location                    = "US-CENTRAL1"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  encryption {
    default_kms_key_name = google_kms_crypto_key.data.id
  }
}
`,
	Test: requireCMEK("GCP-ENC-001"),
}
