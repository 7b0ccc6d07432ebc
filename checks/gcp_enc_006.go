package checks

import "github.com/casascan/casascan/scanner"

var gcpENC006 = scanner.Check{
	ID:       "GCP-ENC-006",
	Title:    "Secret without CMEK",
	Severity: scanner.High,
	CWE:      311,
	ASVS:     []string{"6.4.1"},
	CASA:     []string{"6.7.1"},
	Measures: []scanner.Measure{scanner.M1, scanner.M3},
	Types:    []string{"google_secret_manager_secret"},
	Why: `Secret Manager is where an app keeps the OAuth client secret and, often, users' OAuth access ` +
		`and refresh tokens: the credentials that open every user's Gmail or Drive. The policy asks ` +
		`that these tokens be encrypted at rest, and an assessor expects to see that you control the ` +
		`key. Without customer-managed encryption, secret payloads are protected only by Google-managed ` +
		`keys; with user-managed replication every replica needs its own key, so one replica without ` +
		`a key leaves a copy outside your control.`,
	Remediation: `With automatic replication set replication.auto.customer_managed_encryption.kms_key_name ` +
		`(a global key or multi-region key); with user-managed replication set ` +
		`customer_managed_encryption.kms_key_name on every replicas block, each to a key in that ` +
		`replica's location. Grant the Secret Manager service agent ` +
		`(service-PROJECT_NUMBER@gcp-sa-secretmanager.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter on each key.`,
	Fix: fixKey + `
resource "google_secret_manager_secret" "oauth_refresh_tokens" {
  secret_id = "oauth-refresh-tokens"

  replication {
    user_managed {
      replicas {
        location = "us-central1"
        customer_managed_encryption {
          kms_key_name = google_kms_crypto_key.data.id
        }
      }
    }
  }
}
`,
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		out := missingKeys(r, "GCP-ENC-006", nil)
		// Provider versions before 5.0 wrote automatic replication as
		// replication.automatic = true, which has no place for a key.
		if auto, known := boolAttr(r, "replication.automatic"); known && auto {
			out = append(out, scanner.Fail("replication.automatic",
				"replication.automatic = true cannot take a customer-managed key; the secret is encrypted only with a Google-managed key"))
		}
		return out
	},
}
