package checks

import "github.com/casascan/casascan/scanner"

var gcpENC011 = scanner.Check{
	ID:       "GCP-ENC-011",
	Title:    "Dataproc cluster without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_dataproc_cluster"},
	Why: `Dataproc jobs that process mailboxes or Drive content spill intermediate data to the cluster's ` +
		`persistent disks and HDFS. Without a customer-managed key those disks are encrypted only with ` +
		`Google-managed keys.`,
	Remediation: `Set cluster_config.encryption_config.kms_key_name to a Cloud KMS key in the cluster's ` +
		`region, and grant the Compute Engine service agent ` +
		`(service-PROJECT_NUMBER@compute-system.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter.`,
	Fix: fixKey + `
resource "google_dataproc_cluster" "etl" {
  name   = "mail-etl"
  region = "us-central1"

  cluster_config {
    encryption_config {
      kms_key_name = google_kms_crypto_key.data.id
    }
  }
}
`,
	Test: requireCMEK("GCP-ENC-011"),
}
