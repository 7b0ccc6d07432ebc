package checks

import "github.com/casascan/casascan/scanner"

var gcpENC009 = scanner.Check{
	ID:       "GCP-ENC-009",
	Title:    "Bigtable cluster without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_bigtable_instance"},
	Why: `Bigtable stores large per-user datasets such as message indexes and activity timelines. Each ` +
		`cluster of an instance keeps its own full copy of the data, encrypted with the key set on that ` +
		`cluster; one cluster without a customer-managed key leaves a complete replica protected only ` +
		`by Google-managed keys.`,
	Remediation: `Set kms_key_name on every cluster block of the instance, each to a Cloud KMS key in ` +
		`that cluster's region, and grant the Bigtable service agent ` +
		`(service-PROJECT_NUMBER@gcp-sa-bigtable.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter.`,
	Fix: fixKey + `
resource "google_bigtable_instance" "activity" {
  name = "activity"

  cluster {
    cluster_id   = "activity-c1"
    zone         = "us-central1-b"
    num_nodes    = 1
    storage_type = "SSD"
    kms_key_name = google_kms_crypto_key.data.id
  }

  cluster {
    cluster_id   = "activity-c2"
    zone         = "us-central1-c"
    num_nodes    = 1
    storage_type = "SSD"
    kms_key_name = google_kms_crypto_key.data.id
  }
}
`,
	Test: requireCMEK("GCP-ENC-009"),
}
