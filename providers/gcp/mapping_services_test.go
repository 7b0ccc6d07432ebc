package gcp

import "testing"

var serviceCases = []mapCase{
	{
		asset: "container.googleapis.com/Cluster", full: "//container.googleapis.com/projects/p/locations/us-east1/clusters/gke",
		data: `{"name":"gke","location":"us-east1","databaseEncryption":{"state":"ENCRYPTED","keyName":"` + hsmKey + `"},
			"nodeConfig":{"machineType":"e2-standard-4","bootDiskKmsKey":"` + hsmKey + `"},
			"nodePools":[{"name":"default-pool","config":{"bootDiskKmsKey":"` + hsmKey + `"}},{"name":"batch","config":{"machineType":"n2"}}]}`,
		typ: "google_container_cluster",
		want: map[string]string{
			"database_encryption.state": "ENCRYPTED", "database_encryption.key_name": hsmKey,
			"node_config.boot_disk_kms_key": hsmKey, "node_pool.0.name": "default-pool",
			"node_pool.1.node_config.machine_type": "n2", "node_pool.1.node_config.boot_disk_kms_key": "<absent>",
		},
		refs: map[string]string{"database_encryption.key_name": hsmKeyFull, "node_pool.0.node_config.boot_disk_kms_key": hsmKeyFull},
	},
	{
		name: "cluster issuing client certificates", asset: "container.googleapis.com/Cluster", full: "//container.googleapis.com/projects/p/locations/us-east1/clusters/legacy",
		data: `{"name":"legacy","masterAuth":{"username":"admin","password":"not-mapped-password","clientKey":"not-mapped-key",
			"clientCertificate":"not-mapped-cert","clientCertificateConfig":{"issueClientCertificate":true}}}`,
		typ: "google_container_cluster",
		want: map[string]string{
			"master_auth.client_certificate_config.issue_client_certificate": "true",
			"master_auth.client_key": "<absent>", "master_auth.password": "<absent>",
			"master_auth.username": "<absent>", "master_auth.client_certificate": "<absent>",
		},
	},
	{
		name: "cluster with an empty clientCertificateConfig", asset: "container.googleapis.com/Cluster", full: "//container.googleapis.com/projects/p/locations/us-east1/clusters/modern",
		data: `{"name":"modern","masterAuth":{"clusterCaCertificate":"LS0t","clientCertificateConfig":{}}}`,
		typ:  "google_container_cluster",
		want: map[string]string{
			"master_auth.client_certificate_config.issue_client_certificate": "<absent>",
			"master_auth.cluster_ca_certificate":                             "<absent>",
		},
	},
	{
		name: "cluster without top-level nodeConfig", asset: "container.googleapis.com/Cluster", full: "//container.googleapis.com/projects/p/locations/us-east1/clusters/g2",
		data: `{"name":"g2","databaseEncryption":{"state":"DECRYPTED"},"nodePools":[{"name":"a","config":{"machineType":"e2"}}]}`,
		typ:  "google_container_cluster",
		want: map[string]string{"database_encryption.state": "DECRYPTED", "database_encryption.key_name": "<absent>", "node_config.machine_type": "e2"},
	},
	{
		name: "autopilot cluster", asset: "container.googleapis.com/Cluster", full: "//container.googleapis.com/projects/p/locations/us-east1/clusters/ap",
		data: `{"name":"ap","autopilot":{"enabled":true},"autoscaling":{"enableNodeAutoprovisioning":true,
			"autoprovisioningNodePoolDefaults":{"bootDiskKmsKey":"` + hsmKey + `"}}}`,
		typ: "google_container_cluster",
		want: map[string]string{
			"enable_autopilot": "true", "remove_default_node_pool": "true", "node_config.boot_disk_kms_key": "<absent>",
			"cluster_autoscaling.auto_provisioning_defaults.boot_disk_kms_key": hsmKey,
		},
		refs: map[string]string{"cluster_autoscaling.auto_provisioning_defaults.boot_disk_kms_key": hsmKeyFull},
	},
	{
		asset: "container.googleapis.com/NodePool", full: "//container.googleapis.com/projects/p/locations/us-east1/clusters/gke/nodePools/np",
		data: `{"name":"np","config":{"bootDiskKmsKey":"` + hsmKey + `"},"initialNodeCount":3}`,
		typ:  "google_container_node_pool",
		want: map[string]string{"node_config.boot_disk_kms_key": hsmKey, "cluster": "gke", "location": "us-east1", "initial_node_count": "3"},
		refs: map[string]string{"cluster": "//container.googleapis.com/projects/p/locations/us-east1/clusters/gke"},
	},
	{
		asset: "redis.googleapis.com/Instance", full: "//redis.googleapis.com/projects/p/locations/us-east1/instances/cache",
		data: `{"name":"projects/p/locations/us-east1/instances/cache","transitEncryptionMode":"DISABLED","customerManagedKey":"` + hsmKey + `","authEnabled":false}`,
		typ:  "google_redis_instance",
		want: map[string]string{"name": "cache", "region": "us-east1", "transit_encryption_mode": "DISABLED", "customer_managed_key": hsmKey, "auth_enabled": "false"},
		refs: map[string]string{"customer_managed_key": hsmKeyFull},
	},
	{
		asset: "spanner.googleapis.com/Database", full: "//spanner.googleapis.com/projects/p/instances/i/databases/db",
		data: `{"name":"projects/p/instances/i/databases/db","encryptionConfig":{"kmsKeyNames":["` + hsmKey + `"]}}`,
		typ:  "google_spanner_database",
		want: map[string]string{"name": "db", "instance": "i", "encryption_config.kms_key_names": "[" + hsmKey + "]", "encryption_config.kms_key_name": "<absent>"},
		refs: map[string]string{"encryption_config.kms_key_names": hsmKeyFull, "instance": "//spanner.googleapis.com/projects/p/instances/i"},
	},
	{
		asset: "spanner.googleapis.com/Instance", full: "//spanner.googleapis.com/projects/p/instances/i",
		data: `{"name":"projects/p/instances/i","config":"projects/p/instanceConfigs/regional-us-east1","displayName":"I","nodeCount":2}`,
		typ:  "google_spanner_instance",
		want: map[string]string{"name": "i", "config": "regional-us-east1", "display_name": "I", "num_nodes": "2", "processing_units": "<absent>"},
	},
	{
		asset: "bigtableadmin.googleapis.com/Table", full: "//bigtableadmin.googleapis.com/projects/p/instances/bt/tables/t",
		data: `{"name":"projects/p/instances/bt/tables/t","granularity":"MILLIS"}`,
		typ:  "google_bigtable_table",
		want: map[string]string{"name": "t", "instance_name": "bt"},
		refs: map[string]string{"instance_name": "//bigtableadmin.googleapis.com/projects/p/instances/bt"},
	},
	{
		asset: "bigtableadmin.googleapis.com/Instance", full: "//bigtableadmin.googleapis.com/projects/p/instances/bt",
		data: `{"name":"projects/p/instances/bt","displayName":"BT","type":"PRODUCTION"}`,
		typ:  "google_bigtable_instance",
		want: map[string]string{"name": "bt", "instance_type": "PRODUCTION"},
	},
	{
		asset: "bigtableadmin.googleapis.com/Cluster", full: "//bigtableadmin.googleapis.com/projects/p/instances/bt/clusters/c1",
		data: `{"name":"projects/p/instances/bt/clusters/c1","location":"projects/p/locations/us-east1-b","serveNodes":3,"encryptionConfig":{"kmsKeyName":"` + hsmKey + `"}}`,
		typ:  "google_bigtable_instance", addr: "//bigtableadmin.googleapis.com/projects/p/instances/bt",
		want: map[string]string{"cluster.cluster_id": "c1", "cluster.zone": "us-east1-b", "cluster.num_nodes": "3", "cluster.kms_key_name": hsmKey},
		refs: map[string]string{"cluster.kms_key_name": hsmKeyFull},
	},
	{
		asset: "dataproc.googleapis.com/Cluster", full: "//dataproc.googleapis.com/projects/p/regions/us-east1/clusters/dp",
		data: `{"clusterName":"dp","projectId":"p","config":{"encryptionConfig":{"gcePdKmsKeyName":"` + hsmKey + `"},"gceClusterConfig":{"internalIpOnly":true}}}`,
		typ:  "google_dataproc_cluster",
		want: map[string]string{"name": "dp", "region": "us-east1", "cluster_config.encryption_config.kms_key_name": hsmKey, "cluster_config.gce_cluster_config.internal_ip_only": "true"},
		refs: map[string]string{"cluster_config.encryption_config.kms_key_name": hsmKeyFull},
	},
	{
		asset: "artifactregistry.googleapis.com/Repository", full: "//artifactregistry.googleapis.com/projects/p/locations/us/repositories/images",
		data: `{"name":"projects/p/locations/us/repositories/images","format":"DOCKER"}`,
		typ:  "google_artifact_registry_repository",
		want: map[string]string{"repository_id": "images", "location": "us", "format": "DOCKER", "kms_key_name": "<absent>"},
	},
	{
		asset: "file.googleapis.com/Instance", full: "//file.googleapis.com/projects/p/locations/us-east1-b/instances/nfs",
		data: `{"name":"projects/p/locations/us-east1-b/instances/nfs","tier":"BASIC_HDD","kmsKeyName":"` + hsmKey + `","fileShares":[{"name":"share","capacityGb":"1024"}]}`,
		typ:  "google_filestore_instance",
		want: map[string]string{"name": "nfs", "kms_key_name": hsmKey, "file_shares.capacity_gb": "1024"},
		refs: map[string]string{"kms_key_name": hsmKeyFull},
	},
	{
		asset: "logging.googleapis.com/LogBucket", full: "//logging.googleapis.com/projects/p/locations/global/buckets/_Default",
		data: `{"name":"projects/p/locations/global/buckets/_Default","retentionDays":30,"cmekSettings":{"kmsKeyName":"` + hsmKey + `"}}`,
		typ:  "google_logging_project_bucket_config",
		want: map[string]string{"bucket_id": "_Default", "location": "global", "retention_days": "30", "cmek_settings.kms_key_name": hsmKey},
		refs: map[string]string{"cmek_settings.kms_key_name": hsmKeyFull},
	},
	{
		name: "folder log bucket", asset: "logging.googleapis.com/LogBucket", full: "//logging.googleapis.com/folders/7/locations/global/buckets/audit",
		data: `{"name":"folders/7/locations/global/buckets/audit"}`,
		typ:  "google_logging_folder_bucket_config",
		want: map[string]string{"folder": "7", "bucket_id": "audit", "cmek_settings.kms_key_name": "<absent>"},
	},
	{
		asset: "firestore.googleapis.com/Database", full: "//firestore.googleapis.com/projects/p/databases/(default)",
		data: `{"name":"projects/p/databases/(default)","locationId":"nam5","type":"FIRESTORE_NATIVE","cmekConfig":{"kmsKeyName":"` + hsmKey + `"}}`,
		typ:  "google_firestore_database",
		want: map[string]string{"name": "(default)", "location_id": "nam5", "cmek_config.kms_key_name": hsmKey},
		refs: map[string]string{"cmek_config.kms_key_name": hsmKeyFull},
	},
	{
		asset: "alloydb.googleapis.com/Cluster", full: "//alloydb.googleapis.com/projects/p/locations/us-east1/clusters/adb",
		data: `{"name":"projects/p/locations/us-east1/clusters/adb","encryptionConfig":{"kmsKeyName":"` + hsmKey + `"}}`,
		typ:  "google_alloydb_cluster",
		want: map[string]string{"cluster_id": "adb", "location": "us-east1", "encryption_config.kms_key_name": hsmKey},
		refs: map[string]string{"encryption_config.kms_key_name": hsmKeyFull},
	},
}

func TestMapServices(t *testing.T) { runMapCases(t, serviceCases) }
