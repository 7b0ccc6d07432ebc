package checks

import "github.com/casascan/casascan/scanner"

var gcpENC012 = scanner.Check{
	ID:       "GCP-ENC-012",
	Title:    "Artifact Registry repository without CMEK",
	Severity: scanner.Low,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_artifact_registry_repository"},
	Why: `Container images and packages are built from the app's code and configuration and sometimes ` +
		`carry baked-in credentials or test data taken from real accounts. Without a customer-managed ` +
		`key the repository is encrypted only with Google-managed keys.`,
	Remediation: `Set kms_key_name on the repository to a Cloud KMS key in its location, and grant the ` +
		`Artifact Registry service agent ` +
		`(service-PROJECT_NUMBER@gcp-sa-artifactregistry.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter. The key is set at creation.`,
	Fix: fixKey + `
resource "google_artifact_registry_repository" "images" {
  repository_id = "app-images"
  location      = "us-central1"
  format        = "DOCKER"
  kms_key_name  = google_kms_crypto_key.data.id
}
`,
	Test: requireCMEK("GCP-ENC-012"),
}
