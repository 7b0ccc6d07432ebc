package gcp

// Data processing services that GCP-ENC-017 judges: Dataflow jobs, Cloud
// Composer environments, Vertex AI datasets and Vertex AI Workbench
// (user-managed notebooks and Workbench instances). REST field names from
// each API's reference; Terraform names from the Google provider.

var dataflowJobEntry = &entry{
	typ: "google_dataflow_job",
	fields: []field{
		f("name", "name"),
		f("type", "type"),
		f("location", "region"),
		f("labels", "labels"),
		f("currentState", "state"),
		// The key Dataflow encrypts the job's state and data at rest with.
		fr("environment.serviceKmsKeyName", "kms_key_name", kmsRef),
		f("environment.serviceAccountEmail", "service_account_email"),
	},
	kms: "environment.serviceKmsKeyName",
}

var composerEnvironmentEntry = &entry{
	typ: "google_composer_environment",
	fields: []field{
		fc("name", "name", lastSeg),
		f("labels", "labels"),
		blk("config", "config",
			blk("encryptionConfig", "encryption_config", fr("kmsKeyName", "kms_key_name", kmsRef)),
			blk("softwareConfig", "software_config", f("imageVersion", "image_version"))),
	},
	extra: locationAs("region"),
	kms:   "config.encryptionConfig.kmsKeyName",
}

var vertexDatasetEntry = &entry{
	typ: "google_vertex_ai_dataset",
	fields: []field{
		f("displayName", "display_name"),
		f("metadataSchemaUri", "metadata_schema_uri"),
		f("labels", "labels"),
		blk("encryptionSpec", "encryption_spec", fr("kmsKeyName", "kms_key_name", kmsRef)),
	},
	extra: locationAs("region"),
	kms:   "encryptionSpec.kmsKeyName",
}

// notebooksInstanceEntry maps a user-managed notebook (Notebooks API v1):
// its disks are encrypted with kmsKey when diskEncryption is CMEK. A
// Workbench instance (API v2, with gceSetup) is the same asset type with
// another shape: notebooksWorkbenchEntry.
var notebooksInstanceEntry = &entry{
	typ: "google_notebooks_instance",
	fields: []field{
		fc("name", "name", lastSeg),
		fc("machineType", "machine_type", lastSeg),
		f("labels", "labels"),
		f("diskEncryption", "disk_encryption"),
		fr("kmsKey", "kms_key", kmsRef),
		f("bootDiskType", "boot_disk_type"),
		f("dataDiskType", "data_disk_type"),
		f("noPublicIp", "no_public_ip"),
	},
	extra:   locationAs("location"),
	kms:     "kmsKey",
	variant: workbenchVariant,
}

// workbenchVariant picks the Workbench instance mapping for v2 data.
func workbenchVariant(d obj) *entry {
	if d.has("gceSetup") {
		return notebooksWorkbenchEntry
	}
	return nil
}

var notebooksWorkbenchEntry = &entry{
	typ: "google_workbench_instance",
	fields: []field{
		fc("name", "name", lastSeg),
		f("labels", "labels"),
		blk("gceSetup", "gce_setup",
			fc("machineType", "machine_type", lastSeg),
			blk("bootDisk", "boot_disk", f("diskEncryption", "disk_encryption"), fr("kmsKey", "kms_key", kmsRef)),
			blk("dataDisks", "data_disks", f("diskEncryption", "disk_encryption"), fr("kmsKey", "kms_key", kmsRef)),
			f("disablePublicIp", "disable_public_ip")),
	},
	extra: locationAs("location"),
}
