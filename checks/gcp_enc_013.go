package checks

import "github.com/casascan/casascan/scanner"

var gcpENC013 = scanner.Check{
	ID:       "GCP-ENC-013",
	Title:    "Filestore instance without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_filestore_instance"},
	Why: `Filestore shares hold files that workers read and write, often downloaded Drive documents or ` +
		`mail attachments being processed. Without a customer-managed key the share is encrypted only ` +
		`with Google-managed keys.`,
	Remediation: `Set kms_key_name to a Cloud KMS key in the instance's region (Enterprise, zonal and ` +
		`regional tiers support CMEK), and grant the Filestore service agent ` +
		`(service-PROJECT_NUMBER@cloud-filer.iam.gserviceaccount.com) roles/cloudkms.cryptoKeyEncrypterDecrypter.`,
	Fix: fixKey + `
resource "google_filestore_instance" "attachments" {
  name         = "attachments"
  location     = "us-central1"
  tier         = "REGIONAL"
  kms_key_name = google_kms_crypto_key.data.id

  file_shares {
    name        = "share1"
    capacity_gb = 1024
  }

  networks {
    network = "default"
    modes   = ["MODE_IPV4"]
  }
}
`,
	Test: requireCMEK("GCP-ENC-013"),
}
