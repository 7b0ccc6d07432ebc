package checks

import "github.com/casascan/casascan/scanner"

var gcpENC016 = scanner.Check{
	ID:       "GCP-ENC-016",
	Title:    "AlloyDB cluster without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_alloydb_cluster"},
	Why: `An AlloyDB cluster holds the app's relational data, user records and whatever restricted-scope ` +
		`data is derived from Workspace. Without a customer-managed key its storage is encrypted only ` +
		`with Google-managed keys, outside your control and audit.`,
	Remediation: `Set encryption_config.kms_key_name to a Cloud KMS key in the cluster's region, and ` +
		`grant the AlloyDB service agent (service-PROJECT_NUMBER@gcp-sa-alloydb.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter. Set the automated and continuous backup ` +
		`encryption_config too, so backups use the key.`,
	Fix: fixKey + `
resource "google_alloydb_cluster" "app" {
  cluster_id = "app"
  location   = "us-central1"

  network_config {
    network = "projects/acme-mail-prod/global/networks/default"
  }

  encryption_config {
    kms_key_name = google_kms_crypto_key.data.id
  }
}
`,
	Test: requireCMEK("GCP-ENC-016"),
}
