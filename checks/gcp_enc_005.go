package checks

import "github.com/casascan/casascan/scanner"

var gcpENC005 = scanner.Check{
	ID:       "GCP-ENC-005",
	Title:    "Pub/Sub topic without CMEK",
	Severity: scanner.Low,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_pubsub_topic"},
	Why: `Gmail push notifications, Drive change events and the app's own work queues flow through ` +
		`Pub/Sub, and messages are stored until acknowledged, for up to the retention period. Their ` +
		`payloads often carry message IDs, subjects or file names of restricted-scope data. Without a ` +
		`customer-managed key they are encrypted at rest only with Google-managed keys.`,
	Remediation: `Set kms_key_name on the topic to a Cloud KMS key, and grant the Pub/Sub service agent ` +
		`(service-PROJECT_NUMBER@gcp-sa-pubsub.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter on it.`,
	Fix: fixKey + `
resource "google_pubsub_topic" "gmail_push" {
  name         = "gmail-push"
  kms_key_name = google_kms_crypto_key.data.id
}
`,
	Test: requireCMEK("GCP-ENC-005"),
}
