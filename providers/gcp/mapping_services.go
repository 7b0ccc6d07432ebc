package gcp

import (
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Managed data services: GKE, Memorystore, Spanner, Bigtable, Dataproc,
// Artifact Registry, Filestore, Cloud Logging buckets, Firestore, AlloyDB.

// nodeConfigFields are a GKE NodeConfig as Terraform's node_config.
func nodeConfigFields() []field {
	return []field{
		f("machineType", "machine_type"),
		fc("diskSizeGb", "disk_size_gb", num),
		f("diskType", "disk_type"),
		fr("bootDiskKmsKey", "boot_disk_kms_key", kmsRef),
		f("serviceAccount", "service_account"),
		f("oauthScopes", "oauth_scopes"),
		f("imageType", "image_type"),
		blk("shieldedInstanceConfig", "shielded_instance_config",
			f("enableSecureBoot", "enable_secure_boot"), f("enableIntegrityMonitoring", "enable_integrity_monitoring")),
		blk("workloadMetadataConfig", "workload_metadata_config", f("mode", "mode")),
	}
}

var gkeClusterEntry = &entry{
	typ: "google_container_cluster",
	fields: []field{
		f("name", "name"),
		f("location", "location"),
		f("resourceLabels", "resource_labels"),
		blk("databaseEncryption", "database_encryption", f("state", "state"), fr("keyName", "key_name", kmsRef)),
		blk("nodeConfig", "node_config", nodeConfigFields()...),
		blk("nodePools", "node_pool", f("name", "name"), blk("config", "node_config", nodeConfigFields()...)),
		blk("privateClusterConfig", "private_cluster_config",
			f("enablePrivateNodes", "enable_private_nodes"), f("enablePrivateEndpoint", "enable_private_endpoint")),
		f("legacyAbac.enabled", "enable_legacy_abac"),
		// Only the certificate setting: masterAuth also carries the
		// issued client key and any basic-auth password, never mapped.
		blk("masterAuth", "master_auth",
			blk("clientCertificateConfig", "client_certificate_config",
				f("issueClientCertificate", "issue_client_certificate"))),
		f("autopilot.enabled", "enable_autopilot"),
		blk("autoscaling", "cluster_autoscaling",
			f("enableNodeAutoprovisioning", "enabled"),
			blk("autoprovisioningNodePoolDefaults", "auto_provisioning_defaults",
				fr("bootDiskKmsKey", "boot_disk_kms_key", kmsRef), f("serviceAccount", "service_account"))),
		fr("network", "network", computeRef),
	},
	extra: func(m *mapper, d obj) {
		// The API's top-level nodeConfig is the default pool's; without it,
		// the first pool's config stands for the cluster's nodes.
		// A cluster with neither has no default pool to judge.
		if d.has("nodeConfig") {
			return
		}
		pools := d.list("nodePools")
		if len(pools) == 0 && !m.partial {
			m.set(m.body, "remove_default_node_pool", cty.True, nil, false)
			return
		}
		if len(pools) > 0 {
			if p, ok := asMap(pools[0]); ok {
				if cfg := obj(p).sub("config"); cfg != nil {
					m.apply(m.newBlock(m.body, "node_config"), cfg, nodeConfigFields())
				}
			}
		}
	},
	extraPaths: []string{"node_config.boot_disk_kms_key"},
	kms:        "databaseEncryption.keyName",
}

var gkeNodePoolEntry = &entry{
	typ: "google_container_node_pool",
	fields: []field{
		f("name", "name"),
		fc("initialNodeCount", "initial_node_count", num),
		blk("config", "node_config", nodeConfigFields()...),
	},
	extra: func(m *mapper, d obj) {
		rel := relName(m.name)
		if c := parentName(rel, "nodePools"); c != "" {
			m.set(m.body, "cluster", cty.StringVal(lastPart(c)), []string{"//container.googleapis.com/" + c}, false)
		}
		if loc := segAfter(rel, "locations"); loc != "" {
			m.set(m.body, "location", cty.StringVal(loc), nil, false)
		} else if z := segAfter(rel, "zones"); z != "" {
			m.set(m.body, "location", cty.StringVal(z), nil, false)
		}
	},
	kms: "config.bootDiskKmsKey",
}

var redisEntry = &entry{
	typ: "google_redis_instance",
	fields: []field{
		fc("name", "name", lastSeg),
		f("tier", "tier"),
		f("redisVersion", "redis_version"),
		f("authEnabled", "auth_enabled"),
		f("transitEncryptionMode", "transit_encryption_mode"),
		fr("customerManagedKey", "customer_managed_key", kmsRef),
		fr("authorizedNetwork", "authorized_network", computeRef),
		f("connectMode", "connect_mode"),
		f("labels", "labels"),
	},
	extra:      locationAs("region"),
	extraPaths: []string{"region"},
	kms:        "customerManagedKey",
}

// locationAs writes the location segment of the asset's name to attr.
func locationAs(attr string) func(m *mapper, d obj) {
	return func(m *mapper, d obj) {
		if loc := segAfter(relName(m.name), "locations"); loc != "" {
			m.set(m.body, attr, cty.StringVal(loc), nil, false)
		}
	}
}

var spannerDatabaseEntry = &entry{
	typ: "google_spanner_database",
	fields: []field{
		fc("name", "name", lastSeg),
		f("databaseDialect", "database_dialect"),
		f("versionRetentionPeriod", "version_retention_period"),
		f("enableDropProtection", "enable_drop_protection"),
		blk("encryptionConfig", "encryption_config",
			fr("kmsKeyName", "kms_key_name", kmsRef), fr("kmsKeyNames", "kms_key_names", kmsRef)),
	},
	kmsAlso: []string{"encryptionConfig.kmsKeyNames"},
	extra: func(m *mapper, d obj) {
		rel := relName(m.name)
		if inst := parentName(rel, "databases"); inst != "" {
			m.set(m.body, "instance", cty.StringVal(lastPart(inst)), []string{"//spanner.googleapis.com/" + inst}, false)
		}
	},
	kms: "encryptionConfig.kmsKeyName",
}

var spannerInstanceEntry = &entry{
	typ: "google_spanner_instance",
	fields: []field{
		fc("name", "name", lastSeg),
		fc("config", "config", lastSeg),
		f("displayName", "display_name"),
		fc("nodeCount", "num_nodes", num),
		fc("processingUnits", "processing_units", num),
		f("labels", "labels"),
	},
	iam: iamSpannerInstance,
}

var bigtableInstanceEntry = &entry{
	typ: "google_bigtable_instance",
	fields: []field{
		fc("name", "name", lastSeg),
		f("displayName", "display_name"),
		f("type", "instance_type"),
		f("labels", "labels"),
	},
}

// bigtableClusterEntry folds a cluster asset into its instance as a cluster
// block (Terraform declares clusters inside google_bigtable_instance);
// newGraph merges it with the instance asset.
var bigtableClusterEntry = &entry{
	typ: "google_bigtable_instance",
	extra: func(m *mapper, d obj) {
		c := m.newBlock(m.body, "cluster")
		m.set(c, "cluster_id", cty.StringVal(lastPart(m.name)), nil, false)
		m.apply(c, d, []field{
			fc("location", "zone", lastSeg),
			fc("serveNodes", "num_nodes", num),
			f("defaultStorageType", "storage_type"),
			fr("encryptionConfig.kmsKeyName", "kms_key_name", kmsRef),
		})
	},
	extraPaths: []string{"cluster.kms_key_name"},
	kmsTF:      "cluster.kms_key_name",
	address: func(name string) string {
		if i := strings.Index(name, "/clusters/"); i >= 0 {
			return name[:i]
		}
		return name
	},
	kms: "encryptionConfig.kmsKeyName",
}

var bigtableTableEntry = &entry{
	typ: "google_bigtable_table",
	fields: []field{
		fc("name", "name", lastSeg),
	},
	extra: func(m *mapper, d obj) {
		rel := relName(m.name)
		if inst := parentName(rel, "tables"); inst != "" {
			m.set(m.body, "instance_name", cty.StringVal(lastPart(inst)), []string{"//bigtableadmin.googleapis.com/" + inst}, false)
		}
	},
	iam: iamBigtableTable,
}

var dataprocClusterEntry = &entry{
	typ: "google_dataproc_cluster",
	fields: []field{
		f("clusterName", "name"),
		f("projectId", "project"),
		f("labels", "labels"),
		blk("config", "cluster_config",
			blk("encryptionConfig", "encryption_config", fr("gcePdKmsKeyName", "kms_key_name", kmsRef)),
			blk("gceClusterConfig", "gce_cluster_config",
				f("internalIpOnly", "internal_ip_only"), f("serviceAccount", "service_account"),
				fc("zoneUri", "zone", lastSeg)),
			f("configBucket", "staging_bucket")),
	},
	extra: func(m *mapper, d obj) {
		if r := segAfter(relName(m.name), "regions"); r != "" {
			m.set(m.body, "region", cty.StringVal(r), nil, false)
		}
	},
	extraPaths: []string{"cluster_config.encryption_config.kms_key_name"},
	kmsTF:      "cluster_config.encryption_config.kms_key_name",
	kms:        "config.encryptionConfig.gcePdKmsKeyName",
}

var artifactRepoEntry = &entry{
	typ: "google_artifact_registry_repository",
	fields: []field{
		fc("name", "repository_id", lastSeg),
		f("format", "format"),
		f("mode", "mode"),
		fr("kmsKeyName", "kms_key_name", kmsRef),
		f("labels", "labels"),
	},
	extra: locationAs("location"),
	kms:   "kmsKeyName",
}

var filestoreEntry = &entry{
	typ: "google_filestore_instance",
	fields: []field{
		fc("name", "name", lastSeg),
		f("tier", "tier"),
		fr("kmsKeyName", "kms_key_name", kmsRef),
		f("labels", "labels"),
		blk("fileShares", "file_shares", f("name", "name"), fc("capacityGb", "capacity_gb", num)),
		blk("networks", "networks", fr("network", "network", computeRef), f("modes", "modes")),
	},
	extra: locationAs("location"),
	kms:   "kmsKeyName",
}

var logBucketEntry = &entry{
	typ: "google_logging_project_bucket_config",
	fields: []field{
		fc("name", "bucket_id", lastSeg),
		fc("retentionDays", "retention_days", num),
		f("locked", "locked"),
		f("analyticsEnabled", "enable_analytics"),
		blk("cmekSettings", "cmek_settings",
			fr("kmsKeyName", "kms_key_name", kmsRef),
			f("kmsKeyVersionName", "kms_key_version_name"),
			f("serviceAccountId", "service_account_id")),
	},
	extra: func(m *mapper, d obj) {
		locationAs("location")(m, d)
		rel := relName(m.name)
		for _, p := range []struct{ kind, attr, typ string }{
			{"folders", "folder", "google_logging_folder_bucket_config"},
			{"organizations", "organization", "google_logging_organization_bucket_config"},
			{"billingAccounts", "billing_account", "google_logging_billing_account_bucket_config"},
		} {
			if strings.HasPrefix(rel, p.kind+"/") {
				m.set(m.body, p.attr, cty.StringVal(segAfter(rel, p.kind)), nil, false)
				m.typ = p.typ
			}
		}
	},
	extraPaths: []string{"cmek_settings.kms_key_name"},
	kmsTF:      "cmek_settings.kms_key_name",
	kms:        "cmekSettings.kmsKeyName",
}

var firestoreEntry = &entry{
	typ: "google_firestore_database",
	fields: []field{
		fc("name", "name", lastSeg),
		f("locationId", "location_id"),
		f("type", "type"),
		f("pointInTimeRecoveryEnablement", "point_in_time_recovery_enablement"),
		f("deleteProtectionState", "delete_protection_state"),
		blk("cmekConfig", "cmek_config", fr("kmsKeyName", "kms_key_name", kmsRef), f("activeKeyVersion", "active_key_version")),
	},
	kms: "cmekConfig.kmsKeyName",
}

var alloydbClusterEntry = &entry{
	typ: "google_alloydb_cluster",
	fields: []field{
		fc("name", "cluster_id", lastSeg),
		f("databaseVersion", "database_version"),
		f("labels", "labels"),
		blk("encryptionConfig", "encryption_config", fr("kmsKeyName", "kms_key_name", kmsRef)),
		blk("networkConfig", "network_config", fr("network", "network", computeRef)),
		blk("automatedBackupPolicy", "automated_backup_policy",
			f("enabled", "enabled"),
			blk("encryptionConfig", "encryption_config", fr("kmsKeyName", "kms_key_name", kmsRef))),
	},
	extra: locationAs("location"),
	kms:   "encryptionConfig.kmsKeyName",
}
