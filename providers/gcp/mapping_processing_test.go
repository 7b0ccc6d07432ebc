package gcp

import "testing"

const procKey = "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k"

var processingCases = []mapCase{
	{
		asset: "dataflow.googleapis.com/Job", full: "//dataflow.googleapis.com/projects/p/locations/us-central1/jobs/2026-01-01_00_00_00-123",
		data: `{"id":"2026-01-01_00_00_00-123","projectId":"p","name":"etl","type":"JOB_TYPE_BATCH","location":"us-central1","currentState":"JOB_STATE_RUNNING",
			"environment":{"serviceKmsKeyName":"` + procKey + `","serviceAccountEmail":"etl@p.iam.gserviceaccount.com"}}`,
		typ:  "google_dataflow_job",
		want: map[string]string{"name": "etl", "region": "us-central1", "kms_key_name": procKey, "state": "JOB_STATE_RUNNING"},
		refs: map[string]string{"kms_key_name": "//cloudkms.googleapis.com/" + procKey},
	},
	{
		asset: "composer.googleapis.com/Environment", full: "//composer.googleapis.com/projects/p/locations/us-central1/environments/flows",
		data: `{"name":"projects/p/locations/us-central1/environments/flows","config":{"encryptionConfig":{"kmsKeyName":"` + procKey + `"},
			"softwareConfig":{"imageVersion":"composer-2.9.0-airflow-2.9.1"}}}`,
		typ:  "google_composer_environment",
		want: map[string]string{"name": "flows", "region": "us-central1", "config.encryption_config.kms_key_name": procKey},
		refs: map[string]string{"config.encryption_config.kms_key_name": "//cloudkms.googleapis.com/" + procKey},
	},
	{
		asset: "aiplatform.googleapis.com/Dataset", full: "//aiplatform.googleapis.com/projects/p/locations/us-central1/datasets/42",
		data: `{"name":"projects/123/locations/us-central1/datasets/42","displayName":"mail-labels","metadataSchemaUri":"gs://google-cloud-aiplatform/schema/dataset/metadata/text_1.0.0.yaml",
			"encryptionSpec":{"kmsKeyName":"` + procKey + `"}}`,
		typ:  "google_vertex_ai_dataset",
		want: map[string]string{"display_name": "mail-labels", "region": "us-central1", "encryption_spec.kms_key_name": procKey},
		refs: map[string]string{"encryption_spec.kms_key_name": "//cloudkms.googleapis.com/" + procKey},
	},
	{
		asset: "notebooks.googleapis.com/Instance", full: "//notebooks.googleapis.com/projects/p/locations/us-central1-a/instances/nb",
		data: `{"name":"projects/p/locations/us-central1-a/instances/nb","machineType":"zones/us-central1-a/machineTypes/n1-standard-4",
			"diskEncryption":"CMEK","kmsKey":"` + procKey + `","bootDiskType":"PD_SSD"}`,
		typ:  "google_notebooks_instance",
		want: map[string]string{"name": "nb", "location": "us-central1-a", "machine_type": "n1-standard-4", "disk_encryption": "CMEK", "kms_key": procKey},
		refs: map[string]string{"kms_key": "//cloudkms.googleapis.com/" + procKey},
	},
	{
		name: "workbench instance (notebooks v2)", asset: "notebooks.googleapis.com/Instance", full: "//notebooks.googleapis.com/projects/p/locations/us-central1-a/instances/wb",
		data: `{"name":"projects/p/locations/us-central1-a/instances/wb","gceSetup":{"machineType":"e2-standard-4",
			"bootDisk":{"diskEncryption":"CMEK","kmsKey":"` + procKey + `"},"dataDisks":[{"diskEncryption":"GMEK"}]}}`,
		typ: "google_workbench_instance",
		want: map[string]string{"name": "wb", "location": "us-central1-a", "gce_setup.boot_disk.kms_key": procKey,
			"gce_setup.data_disks.disk_encryption": "GMEK", "gce_setup.data_disks.kms_key": "<absent>"},
	},
}

func TestMapProcessing(t *testing.T) { runMapCases(t, processingCases) }
