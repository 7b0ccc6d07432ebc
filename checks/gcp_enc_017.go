package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpENC017 = scanner.Check{
	ID:       "GCP-ENC-017",
	Title:    "Data processing service without CMEK",
	Severity: scanner.Low,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types: []string{
		"google_composer_environment", "google_dataflow_flex_template_job", "google_dataflow_job",
		"google_document_ai_processor", "google_notebooks_instance", "google_notebooks_runtime",
		"google_vertex_ai_dataset", "google_vertex_ai_endpoint", "google_vertex_ai_featurestore",
		"google_vertex_ai_index", "google_vertex_ai_metadata_store", "google_vertex_ai_tensorboard",
		"google_workbench_instance",
	},
	Why: `Pipelines, notebooks and ML datasets process restricted-scope data in bulk and keep it in ` +
		`worker disks, staging buckets, environment storage and training sets. Without a ` +
		`customer-managed key each of these is encrypted only with Google-managed keys, a copy of the ` +
		`data outside the keys you control.`,
	Remediation: `Set kms_key_name on Dataflow jobs (or, on a flex template job, the template ` +
		`parameter dataflow_kms_key), config.encryption_config.kms_key_name on Composer environments, ` +
		`encryption_spec.kms_key_name on Vertex AI datasets, metadata stores, endpoints, ` +
		`featurestores, tensorboards and indexes, kms_key_name on Document AI processors, kms_key (with ` +
		`disk_encryption = "CMEK") on Notebooks instances, ` +
		`virtual_machine.virtual_machine_config.encryption_config.kms_key on Notebooks runtimes, and ` +
		`gce_setup.boot_disk.kms_key and gce_setup.data_disks.kms_key (with disk_encryption = "CMEK") ` +
		`on Workbench instances, and grant each service's agent roles/cloudkms.cryptoKeyEncrypterDecrypter ` +
		`on the key.`,
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
    data_disks {
      disk_encryption = "CMEK"
      kms_key         = google_kms_crypto_key.data.id
    }
  }
}
`,
	Test: testENC017,
}

// flexKMSParam is where a Dataflow flex template job may name its key
// instead of kms_key_name: the template parameter, in either spelling.
const flexKMSParam = "parameters.dataflow_kms_key|dataflowKmsKey"

// testENC017 requires a key at every cmekPaths place; a flex template job
// also passes with the key given as the template parameter dataflow_kms_key
// (dataflowKmsKey).
func testENC017(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	out := missingKeys(r, "GCP-ENC-017", nil)
	if r.Type != "google_dataflow_flex_template_job" || len(out) != 1 || out[0].Unknown {
		return out
	}
	param := r.Slot(flexKMSParam)
	switch {
	case param.Whole:
		return []scanner.Problem{scanner.Unknown("parameters", "kms_key_name is not set, and the template parameters are not known before apply, so whether they name a key (dataflow_kms_key) cannot be decided")}
	case param.Required(keySet) == judge.Pass:
		return nil
	case param.Required(keySet) == judge.Unknown:
		return []scanner.Problem{scanner.Unknown(param.Path, "kms_key_name is not set, and the parameters block naming the key may not exist (it comes from a dynamic block whose for_each is not known before apply)")}
	}
	return []scanner.Problem{scanner.Fail("kms_key_name",
		"no customer-managed encryption key: neither kms_key_name nor the template parameter dataflow_kms_key is set, so the job's data is encrypted at rest only with a Google-managed key")}
}
