package gcp

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// mapCase is one asset mapped through the table: the attributes the checks
// read, rendered by render, and the references they carry.
type mapCase struct {
	name  string // subtest name; the asset type when empty
	asset string
	full  string // full resource name
	data  string // resource.data
	typ   string // wanted Terraform type
	addr  string // wanted address; full when empty
	want  map[string]string
	refs  map[string]string // path → wanted first reference
}

// render shows a value for comparison: strings as they are, lists joined by
// commas in brackets, maps as sorted k=v, unknown as <unknown>, absent as
// <absent>.
func render(a *scanner.Attr) string {
	if a == nil {
		return "<absent>"
	}
	return renderValue(a.Value)
}

func renderValue(v cty.Value) string {
	switch {
	case v == cty.NilVal || (v.IsKnown() && v.IsNull()):
		return "<null>"
	case !v.IsKnown():
		return "<unknown>"
	}
	ty := v.Type()
	if ty.IsListType() || ty.IsSetType() || ty.IsTupleType() {
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			parts = append(parts, renderValue(ev))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	if ty.IsMapType() || ty.IsObjectType() {
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			parts = append(parts, k.AsString()+"="+renderValue(ev))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	}
	s, ok := scanner.ValueString(v)
	if !ok {
		return "<" + ty.FriendlyName() + ">"
	}
	return s
}

func decodeData(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var d map[string]any
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("bad test data %s: %v", s, err)
	}
	return d
}

func runMapCases(t *testing.T, cases []mapCase) {
	t.Helper()
	for _, tc := range cases {
		name := tc.name
		if name == "" {
			name = tc.asset
		}
		t.Run(name, func(t *testing.T) {
			a := Asset{Name: tc.full, AssetType: tc.asset, Resource: &AssetResource{Data: decodeData(t, tc.data)}}
			res, diags := mapAsset(a)
			if len(diags) > 0 || len(res) == 0 {
				t.Fatalf("mapAsset: %d resources, diagnostics %v", len(res), diags)
			}
			r := res[0]
			addr := tc.addr
			if addr == "" {
				addr = tc.full
			}
			if r.Type != tc.typ || r.Address != addr {
				t.Errorf("got %s at %s, want %s at %s", r.Type, r.Address, tc.typ, addr)
			}
			if r.Source != scanner.SourceExport || r.DefRange.Filename != "gcp/"+strings.TrimPrefix(addr, "//") || r.DefRange.Start.Line != 1 {
				t.Errorf("source %s, range %s, want export at gcp/...:1", r.Source, r.DefRange)
			}
			for path, want := range tc.want {
				if got := render(r.Get(path)); got != want {
					t.Errorf("%s = %s, want %s", path, got, want)
				}
			}
			for path, want := range tc.refs {
				a := r.Get(path)
				if a == nil || len(a.Refs) == 0 || a.Refs[0] != want {
					var got []string
					if a != nil {
						got = a.Refs
					}
					t.Errorf("%s refs = %v, want %s", path, got, want)
				}
			}
		})
	}
}

// TestEveryAssetTypeHasACase keeps the table and its tests together.
func TestEveryAssetTypeHasACase(t *testing.T) {
	covered := map[string]bool{}
	for _, cases := range [][]mapCase{storageCases, computeCases, serviceCases, appCases, processingCases} {
		for _, c := range cases {
			covered[c.asset] = true
		}
	}
	covered["cloudresourcemanager.googleapis.com/Organization"] = true // IAM only: TestIAMBindings
	var missing []string
	for typ := range assetTypes {
		if !covered[typ] {
			missing = append(missing, typ)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("asset types without a mapping test: %s", strings.Join(missing, ", "))
	}
}

const (
	hsmKey     = "projects/p/locations/us/keyRings/r/cryptoKeys/k"
	hsmKeyFull = "//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k"
	cs         = "https://www.googleapis.com/compute/v1/projects/p/"
)

var storageCases = []mapCase{
	{
		name: "bucket compliant", asset: "storage.googleapis.com/Bucket", full: "//storage.googleapis.com/acme-mail",
		data: `{"name":"acme-mail","projectNumber":"42","location":"US","encryption":{"defaultKmsKeyName":"` + hsmKey + `"},
			"iamConfiguration":{"bucketPolicyOnly":{"enabled":false},"uniformBucketLevelAccess":{"enabled":true},"publicAccessPrevention":"enforced"},
			"retentionPolicy":{"retentionPeriod":"86400","isLocked":false},"versioning":{"enabled":true},
			"lifecycle":{"rule":[{"action":{"type":"SetStorageClass","storageClass":"NEARLINE"},"condition":{"age":30}},
				{"action":{"type":"Delete"},"condition":{"numNewerVersions":3,"isLive":false}}]},"labels":{"data":"restricted"}}`,
		typ: "google_storage_bucket",
		want: map[string]string{
			"name": "acme-mail", "encryption.default_kms_key_name": hsmKey,
			"uniform_bucket_level_access": "true", "public_access_prevention": "enforced",
			"retention_policy.retention_period": "86400", "retention_policy.is_locked": "false",
			"versioning.enabled": "true", "lifecycle_rule.0.action.type": "SetStorageClass",
			"lifecycle_rule.1.action.type": "Delete", "lifecycle_rule.1.condition.num_newer_versions": "3",
			"lifecycle_rule.1.condition.with_state": "ARCHIVED", "labels.data": "restricted",
		},
		refs: map[string]string{"encryption.default_kms_key_name": hsmKeyFull},
	},
	{
		name: "bucket legacy bucketPolicyOnly", asset: "storage.googleapis.com/Bucket", full: "//storage.googleapis.com/old",
		data: `{"name":"old","iamConfiguration":{"bucketPolicyOnly":{"enabled":true}}}`,
		typ:  "google_storage_bucket",
		want: map[string]string{"uniform_bucket_level_access": "true", "encryption.default_kms_key_name": "<absent>", "public_access_prevention": "<absent>"},
	},
	{
		asset: "cloudkms.googleapis.com/KeyRing", full: "//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r",
		data: `{"name":"projects/p/locations/us/keyRings/r"}`,
		typ:  "google_kms_key_ring",
		want: map[string]string{"name": "r", "location": "us", "project": "p"},
	},
	{
		name: "crypto key HSM", asset: "cloudkms.googleapis.com/CryptoKey", full: hsmKeyFull,
		data: `{"name":"` + hsmKey + `","purpose":"ENCRYPT_DECRYPT","rotationPeriod":"7776000s",
			"primary":{"name":"` + hsmKey + `/cryptoKeyVersions/2","state":"ENABLED","protectionLevel":"HSM","algorithm":"GOOGLE_SYMMETRIC_ENCRYPTION"},
			"versionTemplate":{"protectionLevel":"HSM","algorithm":"GOOGLE_SYMMETRIC_ENCRYPTION"}}`,
		typ: "google_kms_crypto_key",
		want: map[string]string{
			"name": "k", "purpose": "ENCRYPT_DECRYPT", "rotation_period": "7776000s",
			"version_template.protection_level": "HSM", "version_template.algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION",
			"key_ring": "projects/p/locations/us/keyRings/r", "primary.state": "ENABLED",
		},
		refs: map[string]string{"key_ring": "//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r", "primary.name": hsmKeyFull},
	},
	{
		name: "crypto key primary wins over template", asset: "cloudkms.googleapis.com/CryptoKey", full: hsmKeyFull,
		data: `{"name":"` + hsmKey + `","primary":{"protectionLevel":"SOFTWARE"},"versionTemplate":{"protectionLevel":"HSM"}}`,
		typ:  "google_kms_crypto_key",
		want: map[string]string{"version_template.protection_level": "SOFTWARE", "rotation_period": "<absent>", "purpose": "<absent>"},
	},
	{
		name: "crypto key template only", asset: "cloudkms.googleapis.com/CryptoKey", full: hsmKeyFull,
		data: `{"name":"` + hsmKey + `","purpose":"ASYMMETRIC_SIGN","versionTemplate":{"protectionLevel":"EXTERNAL","algorithm":"RSA_SIGN_PKCS1_2048_SHA256"}}`,
		typ:  "google_kms_crypto_key",
		want: map[string]string{"version_template.protection_level": "EXTERNAL", "version_template.algorithm": "RSA_SIGN_PKCS1_2048_SHA256"},
	},
	{
		asset: "sqladmin.googleapis.com/Instance", full: "//cloudsql.googleapis.com/projects/p/instances/db",
		data: `{"name":"db","project":"p","databaseVersion":"POSTGRES_15","region":"us-central1",
			"diskEncryptionConfiguration":{"kmsKeyName":"` + hsmKey + `/cryptoKeyVersions/1"},
			"settings":{"tier":"db-f1-micro","userLabels":{"env":"prod"},"ipConfiguration":{"ipv4Enabled":true,"requireSsl":true,"sslMode":"ENCRYPTED_ONLY",
				"privateNetwork":"projects/p/global/networks/vpc","authorizedNetworks":[{"value":"10.0.0.0/8","name":"office"},{"value":"0.0.0.0/0"}]},
				"databaseFlags":[{"name":"log_statement","value":"all"},{"name":"pgaudit.log_parameter","value":"on"}]}}`,
		typ: "google_sql_database_instance",
		want: map[string]string{
			"name": "db", "database_version": "POSTGRES_15", "encryption_key_name": hsmKey + "/cryptoKeyVersions/1",
			"settings.tier": "db-f1-micro", "settings.user_labels.env": "prod",
			"settings.ip_configuration.require_ssl": "true", "settings.ip_configuration.ssl_mode": "ENCRYPTED_ONLY",
			"settings.ip_configuration.authorized_networks.0.value": "10.0.0.0/8",
			"settings.ip_configuration.authorized_networks.1.value": "0.0.0.0/0",
			"settings.database_flags.0.name":                        "log_statement", "settings.database_flags.0.value": "all",
			"settings.database_flags.1.name": "pgaudit.log_parameter",
		},
		refs: map[string]string{"encryption_key_name": hsmKeyFull, "settings.ip_configuration.private_network": "//compute.googleapis.com/projects/p/global/networks/vpc"},
	},
	{
		name: "sql requireSsl as string", asset: "sqladmin.googleapis.com/Instance", full: "//cloudsql.googleapis.com/projects/p/instances/db2",
		data: `{"name":"db2","settings":{"ipConfiguration":{"requireSsl":"false"}}}`,
		typ:  "google_sql_database_instance",
		want: map[string]string{"settings.ip_configuration.require_ssl": "false", "encryption_key_name": "<absent>", "settings.ip_configuration.ssl_mode": "<absent>"},
	},
	{
		asset: "bigquery.googleapis.com/Dataset", full: "//bigquery.googleapis.com/projects/p/datasets/mail",
		data: `{"datasetReference":{"datasetId":"mail","projectId":"p"},"location":"US","defaultEncryptionConfiguration":{"kmsKeyName":"` + hsmKey + `"},
			"access":[{"role":"OWNER","specialGroup":"projectOwners"},{"role":"READER","iamMember":"allUsers"},{"role":"READER","specialGroup":"allAuthenticatedUsers"}]}`,
		typ: "google_bigquery_dataset",
		want: map[string]string{
			"dataset_id": "mail", "project": "p", "default_encryption_configuration.kms_key_name": hsmKey,
			"access.0.special_group": "projectOwners", "access.1.iam_member": "allUsers", "access.2.special_group": "allAuthenticatedUsers",
		},
		refs: map[string]string{"default_encryption_configuration.kms_key_name": hsmKeyFull},
	},
	{
		asset: "bigquery.googleapis.com/Table", full: "//bigquery.googleapis.com/projects/p/datasets/mail/tables/msgs",
		data: `{"tableReference":{"projectId":"p","datasetId":"mail","tableId":"msgs"},"encryptionConfiguration":{"kmsKeyName":"` + hsmKey + `"}}`,
		typ:  "google_bigquery_table",
		want: map[string]string{"table_id": "msgs", "dataset_id": "mail", "encryption_configuration.kms_key_name": hsmKey},
		refs: map[string]string{"dataset_id": "//bigquery.googleapis.com/projects/p/datasets/mail", "encryption_configuration.kms_key_name": hsmKeyFull},
	},
	{
		asset: "pubsub.googleapis.com/Topic", full: "//pubsub.googleapis.com/projects/p/topics/t",
		data: `{"name":"projects/p/topics/t","kmsKeyName":"` + hsmKey + `","labels":{"a":"b"}}`,
		typ:  "google_pubsub_topic",
		want: map[string]string{"name": "t", "kms_key_name": hsmKey, "project": "p"},
		refs: map[string]string{"kms_key_name": hsmKeyFull},
	},
	{
		asset: "pubsub.googleapis.com/Subscription", full: "//pubsub.googleapis.com/projects/p/subscriptions/s",
		data: `{"name":"projects/p/subscriptions/s","topic":"projects/p/topics/t","pushConfig":{"pushEndpoint":"http://hooks.example/x","oidcToken":{"serviceAccountEmail":"sa@p.iam.gserviceaccount.com"}}}`,
		typ:  "google_pubsub_subscription",
		want: map[string]string{"name": "s", "push_config.push_endpoint": "http://hooks.example/x", "push_config.oidc_token.service_account_email": "sa@p.iam.gserviceaccount.com"},
		refs: map[string]string{"topic": "//pubsub.googleapis.com/projects/p/topics/t"},
	},
	{
		name: "secret automatic without key", asset: "secretmanager.googleapis.com/Secret", full: "//secretmanager.googleapis.com/projects/42/secrets/s",
		data: `{"name":"projects/42/secrets/s","replication":{"automatic":{}}}`,
		typ:  "google_secret_manager_secret",
		want: map[string]string{"secret_id": "s", "replication.auto.customer_managed_encryption.kms_key_name": "<absent>"},
	},
	{
		name: "secret user managed", asset: "secretmanager.googleapis.com/Secret", full: "//secretmanager.googleapis.com/projects/42/secrets/u",
		data: `{"name":"projects/42/secrets/u","replication":{"userManaged":{"replicas":[
			{"location":"us-east1","customerManagedEncryption":{"kmsKeyName":"` + hsmKey + `"}},{"location":"us-west1"}]}}}`,
		typ: "google_secret_manager_secret",
		want: map[string]string{
			"replication.user_managed.replicas.0.location":                                 "us-east1",
			"replication.user_managed.replicas.0.customer_managed_encryption.kms_key_name": hsmKey,
			"replication.user_managed.replicas.1.location":                                 "us-west1",
			"replication.user_managed.replicas.1.customer_managed_encryption.kms_key_name": "<absent>",
		},
		refs: map[string]string{"replication.user_managed.replicas.0.customer_managed_encryption.kms_key_name": hsmKeyFull},
	},
}

func TestMapStorage(t *testing.T) { runMapCases(t, storageCases) }

// TestBucketACLs turns a bucket's ACL and default object ACL, when the
// export carries them, into the Terraform ACL resources GCP-ACC-001 reads.
func TestBucketACLs(t *testing.T) {
	res, _ := mapAsset(Asset{
		Name: "//storage.googleapis.com/pub", AssetType: "storage.googleapis.com/Bucket",
		Resource: &AssetResource{Data: decodeData(t, `{"name":"pub",
			"acl":[{"entity":"project-owners-42","role":"OWNER"},{"entity":"allUsers","role":"READER"}],
			"defaultObjectAcl":[{"entity":"allAuthenticatedUsers","role":"READER"}]}`)},
	})
	got := map[string]string{}
	for _, r := range res[1:] {
		if r.Reported() != "//storage.googleapis.com/pub" || r.DefRange.Filename != "gcp/storage.googleapis.com/pub" {
			t.Errorf("%s names %s at %s, want the bucket", r.Address, r.Reported(), r.DefRange.Filename)
		}
		for _, attr := range []string{"bucket", "role_entity", "entity", "role"} {
			if a := r.Get(attr); a != nil {
				got[r.Type+" "+r.Address+" "+attr] = render(a)
				if attr == "bucket" && (len(a.Refs) != 1 || a.Refs[0] != "//storage.googleapis.com/pub") {
					t.Errorf("%s bucket refs %v", r.Address, a.Refs)
				}
			}
		}
	}
	want := map[string]string{
		"google_storage_bucket_access_control //storage.googleapis.com/pub/acl/project-owners-42 bucket":                          "pub",
		"google_storage_bucket_access_control //storage.googleapis.com/pub/acl/project-owners-42 entity":                          "project-owners-42",
		"google_storage_bucket_access_control //storage.googleapis.com/pub/acl/project-owners-42 role":                            "OWNER",
		"google_storage_bucket_access_control //storage.googleapis.com/pub/acl/allUsers bucket":                                   "pub",
		"google_storage_bucket_access_control //storage.googleapis.com/pub/acl/allUsers entity":                                   "allUsers",
		"google_storage_bucket_access_control //storage.googleapis.com/pub/acl/allUsers role":                                     "READER",
		"google_storage_default_object_access_control //storage.googleapis.com/pub/defaultObjectAcl/allAuthenticatedUsers bucket": "pub",
		"google_storage_default_object_access_control //storage.googleapis.com/pub/defaultObjectAcl/allAuthenticatedUsers entity": "allAuthenticatedUsers",
		"google_storage_default_object_access_control //storage.googleapis.com/pub/defaultObjectAcl/allAuthenticatedUsers role":   "READER",
	}
	if len(got) != len(want) {
		t.Errorf("got %d attributes, want %d: %v", len(got), len(want), got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// BenchmarkMapBucket measures the mapping of one bucket with its IAM policy,
// the most numerous asset of an organization scan.
func BenchmarkMapBucket(b *testing.B) {
	data := storageCases[0].data
	var d map[string]any
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		b.Fatal(err)
	}
	a := Asset{
		Name: "//storage.googleapis.com/acme-mail", AssetType: "storage.googleapis.com/Bucket",
		Resource:  &AssetResource{Data: d},
		IAMPolicy: &IAMPolicy{Bindings: []IAMBinding{{Role: "roles/storage.objectViewer", Members: []string{"allUsers"}}}},
	}
	for b.Loop() {
		mapAsset(a)
	}
}
