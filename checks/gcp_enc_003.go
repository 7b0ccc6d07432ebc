package checks

import "github.com/casascan/casascan/scanner"

var gcpENC003 = scanner.Check{
	ID:       "GCP-ENC-003",
	Title:    "BigQuery data without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_bigquery_dataset", "google_bigquery_table"},
	Why: `Analytics copies of restricted-scope data (message metadata, document indexes, usage events ` +
		`keyed by user) tend to land in BigQuery, where they are queried widely and kept long. Without ` +
		`a customer-managed key, datasets and tables are encrypted only with Google-managed keys, so ` +
		`access to the data cannot be cut off or audited at the key. A dataset without a default key ` +
		`lets every new table in it be created without CMEK, and a table is judged by its own ` +
		`encryption_configuration as checks.md states.`,
	Remediation: `Set default_encryption_configuration.kms_key_name on each dataset, and ` +
		`encryption_configuration.kms_key_name on each google_bigquery_table, to a Cloud KMS key in ` +
		`the dataset's location. Grant the BigQuery service agent ` +
		`(bq-PROJECT_NUMBER@bigquery-encryption.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter on the key.`,
	Fix: fixKey + `
resource "google_bigquery_dataset" "mail_analytics" {
  dataset_id = "mail_analytics"
  location   = "us-central1"

  default_encryption_configuration {
    kms_key_name = google_kms_crypto_key.data.id
  }
}

resource "google_bigquery_table" "messages" {
  dataset_id = google_bigquery_dataset.mail_analytics.dataset_id
  table_id   = "messages"

  encryption_configuration {
    kms_key_name = google_kms_crypto_key.data.id
  }
}
`,
	Test: func(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		// A logical view stores no data: its query reads tables that are
		// judged themselves.
		if r.Type == "google_bigquery_table" && len(r.Body.BlocksNamed("view")) > 0 {
			return nil
		}
		return requireCMEK("GCP-ENC-003")(g, r)
	},
}
