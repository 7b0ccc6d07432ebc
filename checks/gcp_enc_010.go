package checks

import "github.com/casascan/casascan/scanner"

var gcpENC010 = scanner.Check{
	ID:       "GCP-ENC-010",
	Title:    "Memorystore Redis without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_redis_instance"},
	Why: `Redis caches sessions, OAuth access tokens and fragments of restricted-scope data, and with ` +
		`persistence enabled writes them to disk. Without a customer-managed key those snapshots and ` +
		`the instance's storage are encrypted only with Google-managed keys.`,
	Remediation: `Set customer_managed_key to a Cloud KMS key in the instance's region, and grant the ` +
		`Memorystore service agent (service-PROJECT_NUMBER@cloud-redis.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter. The key is set at creation.`,
	Fix: fixKey + `
resource "google_redis_instance" "sessions" {
  name                    = "sessions"
  region                  = "us-central1"
  tier                    = "STANDARD_HA"
  memory_size_gb          = 1
  transit_encryption_mode = "SERVER_AUTHENTICATION"
  customer_managed_key    = google_kms_crypto_key.data.id
}
`,
	Test: requireCMEK("GCP-ENC-010"),
}
