package gcp

import (
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// Data stores and keys: Cloud Storage, Cloud KMS, Cloud SQL, BigQuery,
// Pub/Sub and Secret Manager. REST field names from each API's reference.

var bucketEntry = &entry{
	typ: "google_storage_bucket",
	fields: []field{
		f("name", "name"),
		f("location", "location"),
		f("storageClass", "storage_class"),
		f("labels", "labels"),
		fr("encryption.defaultKmsKeyName", "encryption.default_kms_key_name", kmsRef),
		// The legacy bucketPolicyOnly first, so the current field wins.
		f("iamConfiguration.bucketPolicyOnly.enabled", "uniform_bucket_level_access"),
		f("iamConfiguration.uniformBucketLevelAccess.enabled", "uniform_bucket_level_access"),
		f("iamConfiguration.publicAccessPrevention", "public_access_prevention"),
		blk("retentionPolicy", "retention_policy",
			fc("retentionPeriod", "retention_period", num),
			f("isLocked", "is_locked")),
		blk("versioning", "versioning", f("enabled", "enabled")),
		blk("lifecycle.rule", "lifecycle_rule",
			blk("action", "action", f("type", "type"), f("storageClass", "storage_class")),
			blk("condition", "condition",
				fc("age", "age", num),
				f("createdBefore", "created_before"),
				fc("isLive", "with_state", liveState),
				fc("numNewerVersions", "num_newer_versions", num),
				fc("daysSinceNoncurrentTime", "days_since_noncurrent_time", num),
				f("noncurrentTimeBefore", "noncurrent_time_before"),
				fc("daysSinceCustomTime", "days_since_custom_time", num),
				f("matchesStorageClass", "matches_storage_class"),
				f("matchesPrefix", "matches_prefix"),
				f("matchesSuffix", "matches_suffix"))),
		blk("logging", "logging", f("logBucket", "log_bucket"), f("logObjectPrefix", "log_object_prefix")),
		blk("softDeletePolicy", "soft_delete_policy", fc("retentionDurationSeconds", "retention_duration_seconds", num)),
	},
	kms:      "encryption.defaultKmsKeyName",
	children: bucketACLs,
	iam:      iamBucket,
}

// liveState turns a lifecycle condition's isLive into Terraform's with_state.
func liveState(v any) (cty.Value, bool) {
	b, ok := boolean(v)
	if !ok || b.Type() != cty.Bool {
		return cty.NilVal, false
	}
	if b.True() {
		return cty.StringVal("LIVE"), true
	}
	return cty.StringVal("ARCHIVED"), true
}

// bucketACLs turns a bucket's ACL (present when the export has it) into one
// google_storage_bucket_access_control per entry and its default object ACL
// into google_storage_default_object_access_control resources, the
// Terraform resources GCP-ACC-001 reads. Each entry is a grant of the
// bucket: findings name the bucket, with the role and entity.
func bucketACLs(m *mapper, parent *scanner.Resource, d obj) []*scanner.Resource {
	bucket := d.str("name")
	if bucket == "" {
		bucket = lastPart(parent.Address)
	}
	var out []*scanner.Resource
	for _, acl := range []struct{ api, kind, typ string }{
		{"acl", "/acl/", "google_storage_bucket_access_control"},
		{"defaultObjectAcl", "/defaultObjectAcl/", "google_storage_default_object_access_control"},
	} {
		for _, el := range d.list(acl.api) {
			o, _ := asMap(el)
			entity, role := obj(o).str("entity"), obj(o).str("role")
			if entity == "" || role == "" {
				continue
			}
			r := childResource(m, parent, parent.Address+acl.kind+entity, acl.typ)
			r.DefRange, r.Range = parent.DefRange, parent.Range
			r.Grant = &scanner.Grant{Asset: parent.Address, Role: role, Member: entity}
			m.setIn(r.Body, "bucket", cty.StringVal(bucket), parent.Address)
			m.setIn(r.Body, "entity", cty.StringVal(entity), "")
			m.setIn(r.Body, "role", cty.StringVal(role), "")
			out = append(out, r)
		}
	}
	return out
}

// childResource is a resource derived from another asset's data.
func childResource(m *mapper, parent *scanner.Resource, addr, typ string) *scanner.Resource {
	rng := pseudoRange(addr)
	return &scanner.Resource{
		Address: addr, Mode: scanner.Managed, Type: typ, Name: lastPart(addr),
		Body: scanner.NewBody(), DefRange: rng, Range: rng,
		Source: parent.Source, Project: parent.Project,
	}
}

// setIn writes one top-level attribute at the body's own pseudo-range; ref,
// when not empty, is the address it refers to.
func (m *mapper) setIn(body *scanner.Body, name string, v cty.Value, ref string) {
	a := &scanner.Attr{Name: name, Value: v, Range: m.rng, ExprRange: m.rng, Literal: true}
	if ref != "" {
		a.Refs = []string{ref}
	}
	body.Attrs[name] = a
}

var keyRingEntry = &entry{
	typ:    "google_kms_key_ring",
	fields: []field{fc("name", "name", lastSeg)},
	extra: func(m *mapper, d obj) {
		rel := relName(m.name)
		m.set(m.body, "location", cty.StringVal(segAfter(rel, "locations")), nil, false)
	},
	iam: iamKeyRing,
}

var cryptoKeyEntry = &entry{
	typ: "google_kms_crypto_key",
	fields: []field{
		fc("name", "name", lastSeg),
		f("purpose", "purpose"),
		f("rotationPeriod", "rotation_period"),
		f("nextRotationTime", "next_rotation_time"),
		f("destroyScheduledDuration", "destroy_scheduled_duration"),
		f("importOnly", "import_only"),
		f("cryptoKeyBackend", "crypto_key_backend"),
		f("labels", "labels"),
		// The template first; the primary version, when present, is what
		// really protects the data and wins.
		f("versionTemplate.protectionLevel", "version_template.protection_level"),
		f("versionTemplate.algorithm", "version_template.algorithm"),
		f("primary.protectionLevel", "version_template.protection_level"),
		f("primary.algorithm", "version_template.algorithm"),
		blk("primary", "primary", fr("name", "name", kmsRef), f("state", "state"),
			f("protectionLevel", "protection_level"), f("algorithm", "algorithm")),
	},
	extra: func(m *mapper, d obj) {
		ring := parentName(relName(m.name), "cryptoKeys")
		if ring != "" {
			m.set(m.body, "key_ring", cty.StringVal(ring), []string{"//cloudkms.googleapis.com/" + ring}, false)
		}
	},
	iam: iamCryptoKey,
}

var sqlEntry = &entry{
	typ: "google_sql_database_instance",
	fields: []field{
		f("name", "name"),
		f("databaseVersion", "database_version"),
		f("region", "region"),
		f("instanceType", "instance_type"),
		f("masterInstanceName", "master_instance_name"),
		fr("diskEncryptionConfiguration.kmsKeyName", "encryption_key_name", kmsRef),
		f("settings.tier", "settings.tier"),
		f("settings.availabilityType", "settings.availability_type"),
		f("settings.deletionProtectionEnabled", "settings.deletion_protection_enabled"),
		f("settings.userLabels", "settings.user_labels"),
		f("settings.ipConfiguration.ipv4Enabled", "settings.ip_configuration.ipv4_enabled"),
		fc("settings.ipConfiguration.requireSsl", "settings.ip_configuration.require_ssl", boolean),
		f("settings.ipConfiguration.sslMode", "settings.ip_configuration.ssl_mode"),
		fr("settings.ipConfiguration.privateNetwork", "settings.ip_configuration.private_network", computeRef),
		blk("settings.ipConfiguration.authorizedNetworks", "settings.ip_configuration.authorized_networks",
			f("name", "name"), f("value", "value"), f("expirationTime", "expiration_time")),
		blk("settings.databaseFlags", "settings.database_flags", f("name", "name"), f("value", "value")),
		blk("settings.backupConfiguration", "settings.backup_configuration",
			f("enabled", "enabled"), f("binaryLogEnabled", "binary_log_enabled"),
			f("pointInTimeRecoveryEnabled", "point_in_time_recovery_enabled")),
	},
	kms: "diskEncryptionConfiguration.kmsKeyName",
}

var datasetEntry = &entry{
	typ: "google_bigquery_dataset",
	fields: []field{
		f("datasetReference.datasetId", "dataset_id"),
		f("datasetReference.projectId", "project"),
		f("location", "location"),
		f("friendlyName", "friendly_name"),
		f("labels", "labels"),
		fc("defaultTableExpirationMs", "default_table_expiration_ms", num),
		blk("defaultEncryptionConfiguration", "default_encryption_configuration",
			fr("kmsKeyName", "kms_key_name", kmsRef)),
		blk("access", "access",
			f("role", "role"), f("userByEmail", "user_by_email"), f("groupByEmail", "group_by_email"),
			f("specialGroup", "special_group"), f("iamMember", "iam_member"), f("domain", "domain"),
			blk("view", "view", f("projectId", "project_id"), f("datasetId", "dataset_id"), f("tableId", "table_id"))),
	},
	kms: "defaultEncryptionConfiguration.kmsKeyName",
	iam: iamDataset,
}

var tableEntry = &entry{
	typ: "google_bigquery_table",
	fields: []field{
		f("tableReference.tableId", "table_id"),
		f("tableReference.datasetId", "dataset_id"),
		f("tableReference.projectId", "project"),
		f("labels", "labels"),
		blk("encryptionConfiguration", "encryption_configuration", fr("kmsKeyName", "kms_key_name", kmsRef)),
	},
	extra: func(m *mapper, d obj) {
		rel := relName(m.name)
		if ds := parentName(rel, "tables"); ds != "" {
			if a := m.body.Attrs["dataset_id"]; a != nil {
				a.Refs = []string{"//bigquery.googleapis.com/" + ds}
			}
		}
	},
	kms: "encryptionConfiguration.kmsKeyName",
	iam: iamTable,
}

var topicEntry = &entry{
	typ: "google_pubsub_topic",
	fields: []field{
		fc("name", "name", lastSeg),
		fr("kmsKeyName", "kms_key_name", kmsRef),
		f("labels", "labels"),
		f("messageRetentionDuration", "message_retention_duration"),
	},
	kms: "kmsKeyName",
	iam: iamTopic,
}

var subscriptionEntry = &entry{
	typ: "google_pubsub_subscription",
	fields: []field{
		fc("name", "name", lastSeg),
		fr("topic", "topic", serviceRef("pubsub.googleapis.com")),
		f("labels", "labels"),
		fc("ackDeadlineSeconds", "ack_deadline_seconds", num),
		f("messageRetentionDuration", "message_retention_duration"),
		blk("pushConfig", "push_config",
			f("pushEndpoint", "push_endpoint"),
			f("attributes", "attributes"),
			blk("oidcToken", "oidc_token", f("serviceAccountEmail", "service_account_email"), f("audience", "audience"))),
		blk("bigqueryConfig", "bigquery_config", f("table", "table")),
		blk("cloudStorageConfig", "cloud_storage_config", f("bucket", "bucket")),
	},
	iam: iamSubscription,
}

var secretEntry = &entry{
	typ: "google_secret_manager_secret",
	fields: []field{
		fc("name", "secret_id", lastSeg),
		f("labels", "labels"),
		f("expireTime", "expire_time"),
		f("ttl", "ttl"),
		blk("replication.automatic", "replication.auto",
			fr("customerManagedEncryption.kmsKeyName", "customer_managed_encryption.kms_key_name", kmsRef)),
		blk("replication.userManaged.replicas", "replication.user_managed.replicas",
			f("location", "location"),
			fr("customerManagedEncryption.kmsKeyName", "customer_managed_encryption.kms_key_name", kmsRef)),
		blk("rotation", "rotation", f("rotationPeriod", "rotation_period"), f("nextRotationTime", "next_rotation_time")),
		blk("topics", "topics", fr("name", "name", serviceRef("pubsub.googleapis.com"))),
	},
	iam: iamSecret,
}

// regional picks the region_ variant of a compute type when the data names a
// region.
func regional(global, region string) func(d obj) string {
	return func(d obj) string {
		if d.has("region") || strings.Contains(d.str("selfLink"), "/regions/") {
			return region
		}
		return global
	}
}
