package checks

import "github.com/casascan/casascan/scanner"

var gcpENC017 = scanner.Check{
	ID:       "GCP-ENC-017",
	Title:    "Data processing service without CMEK",
	Severity: scanner.Low,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types: []string{
		"google_dataflow_job", "google_dataflow_flex_template_job", "google_composer_environment",
		"google_vertex_ai_dataset", "google_workbench_instance",
	},
	Why: `Pipelines, notebooks and ML datasets process restricted-scope data in bulk and keep it in ` +
		`worker disks, staging buckets, environment storage and training sets. Without a ` +
		`customer-managed key each of these is encrypted only with Google-managed keys, a copy of the ` +
		`data outside the keys you control.`,
	Remediation: `Set kms_key_name on Dataflow jobs, config.encryption_config.kms_key_name on Composer ` +
		`environments, encryption_spec.kms_key_name on Vertex AI datasets, and ` +
		`gce_setup.boot_disk.kms_key (with disk_encryption = "CMEK") on Workbench instances, and grant ` +
		`each service's agent roles/cloudkms.cryptoKeyEncrypterDecrypter on the key.`,
	Fix: fixKey + `
resource "google_dataflow_job" "index" {
  name              = "mail-index"
  region            = "us-central1"
  template_gcs_path = "gs://dataflow-templates/latest/Word_Count"
  temp_gcs_location = "gs://acme-dataflow-tmp/tmp"
  kms_key_name      = google_kms_crypto_key.data.id
}

resource "google_workbench_instance" "analysis" {
  name     = "analysis"
  location = "us-central1-a"

  gce_setup {
    machine_type = "e2-standard-4"
    boot_disk {
      disk_encryption = "CMEK"
      kms_key         = google_kms_crypto_key.data.id
    }
  }
}
`,
	Test: requireCMEK("GCP-ENC-017"),
}
