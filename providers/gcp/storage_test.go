package gcp

import (
	"testing"

	"cloud.google.com/go/iam/apiv1/iampb"
	"cloud.google.com/go/kms/apiv1/kmspb"
	"github.com/casascan/casascan/providers/gcp/internal/fake"
	storagev1 "google.golang.org/api/storage/v1"
	"google.golang.org/genproto/googleapis/type/expr"
)

const testBucketKey = "projects/p1/locations/us/keyRings/r/cryptoKeys/hsm"

func ptr[T any](v T) *T { return &v }

// storageWorld holds a bucket with every mapped field set, a bare bucket,
// and a bucket with legacy ACLs, beside the key the first one uses.
func storageWorld() *fake.World {
	full := &storagev1.Bucket{
		Name: "b-full", Location: "EU", StorageClass: "STANDARD", Labels: map[string]string{"team": "mail"},
		Encryption: &storagev1.BucketEncryption{DefaultKmsKeyName: testBucketKey},
		IamConfiguration: &storagev1.BucketIamConfiguration{
			UniformBucketLevelAccess: &storagev1.BucketIamConfigurationUniformBucketLevelAccess{Enabled: true},
			PublicAccessPrevention:   "enforced"},
		RetentionPolicy: &storagev1.BucketRetentionPolicy{RetentionPeriod: 86400, IsLocked: true, EffectiveTime: "2024-01-01T00:00:00Z"},
		Versioning:      &storagev1.BucketVersioning{Enabled: true},
		Lifecycle: &storagev1.BucketLifecycle{Rule: []*storagev1.BucketLifecycleRule{
			{Action: &storagev1.BucketLifecycleRuleAction{Type: "Delete"},
				Condition: &storagev1.BucketLifecycleRuleCondition{DaysSinceNoncurrentTime: 30, NumNewerVersions: 3,
					NoncurrentTimeBefore: "2025-01-01", IsLive: ptr(false)}},
			{Action: &storagev1.BucketLifecycleRuleAction{Type: "SetStorageClass", StorageClass: "NEARLINE"},
				Condition: &storagev1.BucketLifecycleRuleCondition{Age: ptr(int64(365)), CreatedBefore: "2024-06-01",
					MatchesStorageClass: []string{"STANDARD"}, IsLive: ptr(true)}},
			{Action: &storagev1.BucketLifecycleRuleAction{Type: "Delete"},
				Condition: &storagev1.BucketLifecycleRuleCondition{Age: ptr(int64(0))}},
		}},
		Logging:          &storagev1.BucketLogging{LogBucket: "logs", LogObjectPrefix: "b-full/"},
		SoftDeletePolicy: &storagev1.BucketSoftDeletePolicy{RetentionDurationSeconds: 604800},
	}
	bare := &storagev1.Bucket{Name: "b-bare", Location: "US"}
	acl := &storagev1.Bucket{Name: "b-acl", Location: "US",
		Acl:              []*storagev1.BucketAccessControl{{Entity: "allUsers", Role: "READER"}, {Entity: "project-owners-11", Role: "OWNER"}},
		DefaultObjectAcl: []*storagev1.ObjectAccessControl{{Entity: "allAuthenticatedUsers", Role: "READER"}}}
	cond := fake.Binding("roles/storage.objectAdmin", "group:ops@example.com")
	cond.Condition = &expr.Expr{Title: "prefix", Expression: `resource.name.startsWith("x")`}
	return &fake.World{Projects: []*fake.Project{{
		ID: "p1", Number: 11, Locations: []string{"us"},
		KeyRings:   []*kmspb.KeyRing{{Name: testRing}},
		CryptoKeys: []*kmspb.CryptoKey{fake.Key(testBucketKey, true, true)},
		Buckets:    []*storagev1.Bucket{full, bare, acl},
		Policies: map[string]*iampb.Policy{
			"b-full": fake.Policy(fake.Binding("roles/storage.objectViewer", "allUsers"), cond),
		},
	}}}
}

func TestLiveStorageFields(t *testing.T) {
	g, _ := loadFake(t, storageWorld(), func(_ *fake.Server, o *Options) { o.Projects = []string{"p1"} })
	const full, bare = "//storage.googleapis.com/b-full", "//storage.googleapis.com/b-bare"
	tests := []struct {
		addr, path, want string
	}{
		{full, "name", "b-full"},
		{full, "location", "EU"},
		{full, "project", "p1"},
		{full, "labels.team", "mail"},
		{full, "encryption.default_kms_key_name", testBucketKey},
		{full, "uniform_bucket_level_access", "true"},
		{full, "public_access_prevention", "enforced"},
		{full, "retention_policy.retention_period", "86400"},
		{full, "retention_policy.is_locked", "true"},
		{full, "versioning.enabled", "true"},
		{full, "lifecycle_rule.0.action.type", "Delete"},
		{full, "lifecycle_rule.0.condition.days_since_noncurrent_time", "30"},
		{full, "lifecycle_rule.0.condition.num_newer_versions", "3"},
		{full, "lifecycle_rule.0.condition.noncurrent_time_before", "2025-01-01"},
		{full, "lifecycle_rule.0.condition.with_state", "ARCHIVED"},
		{full, "lifecycle_rule.0.condition.age", "<nil>"},
		{full, "lifecycle_rule.1.action.type", "SetStorageClass"},
		{full, "lifecycle_rule.1.action.storage_class", "NEARLINE"},
		{full, "lifecycle_rule.1.condition.age", "365"},
		{full, "lifecycle_rule.1.condition.created_before", "2024-06-01"},
		{full, "lifecycle_rule.1.condition.matches_storage_class", "[STANDARD]"},
		{full, "lifecycle_rule.1.condition.with_state", "LIVE"},
		{full, "lifecycle_rule.2.condition.age", "0"},
		{full, "lifecycle_rule.2.condition.with_state", "<nil>"},
		{full, "logging.log_bucket", "logs"},
		{full, "soft_delete_policy.retention_duration_seconds", "604800"},
		{bare, "encryption.default_kms_key_name", "<nil>"},
		{bare, "uniform_bucket_level_access", "false"},
		{bare, "versioning.enabled", "false"},
		{bare, "retention_policy.is_locked", "<nil>"},
		{full + "/iam/roles/storage.objectViewer/allUsers", "bucket", "b-full"},
		{full + "/iam/roles/storage.objectViewer/allUsers", "member", "allUsers"},
		{full + "/iam/roles/storage.objectAdmin/group:ops@example.com", "condition.expression", `resource.name.startsWith("x")`},
		{"//storage.googleapis.com/b-acl/acl/allUsers", "role", "READER"},
		{"//storage.googleapis.com/b-acl/acl/project-owners-11", "role", "OWNER"},
		{"//storage.googleapis.com/b-acl/defaultObjectAcl/allAuthenticatedUsers", "role", "READER"},
	}
	for _, tt := range tests {
		t.Run(tt.addr[len("//storage.googleapis.com/"):]+"/"+tt.path, func(t *testing.T) {
			r := g.Lookup(tt.addr)
			if r == nil {
				t.Fatalf("no resource %s; have %v", tt.addr, addresses(g))
			}
			if got := attrString(r, tt.path); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestLiveStorageEdges(t *testing.T) {
	g, _ := loadFake(t, storageWorld(), func(_ *fake.Server, o *Options) { o.Projects = []string{"p1"} })
	edges := []struct{ from, path, to string }{
		// A bucket's key, read from Cloud Storage, is the key read from Cloud KMS.
		{"//storage.googleapis.com/b-full", "encryption.default_kms_key_name", "//cloudkms.googleapis.com/" + testBucketKey},
		{"//storage.googleapis.com/b-full/iam/roles/storage.objectViewer/allUsers", "bucket", "//storage.googleapis.com/b-full"},
		{"//storage.googleapis.com/b-acl/acl/allUsers", "bucket", "//storage.googleapis.com/b-acl"},
	}
	for _, e := range edges {
		t.Run(e.from+" "+e.path, func(t *testing.T) {
			r := g.Lookup(e.from)
			if r == nil {
				t.Fatalf("no resource %s", e.from)
			}
			got := g.Follow(r, e.path)
			if len(got) != 1 || got[0].Address != e.to {
				t.Errorf("Follow = %v, want %s", got, e.to)
			}
		})
	}
	wantTypes := map[string]string{
		"//storage.googleapis.com/b-full": "google_storage_bucket",
		"//storage.googleapis.com/b-full/iam/roles/storage.objectAdmin/group:ops@example.com": "google_storage_bucket_iam_member",
		"//storage.googleapis.com/b-acl/acl/allUsers":                                         "google_storage_bucket_access_control",
		"//storage.googleapis.com/b-acl/defaultObjectAcl/allAuthenticatedUsers":               "google_storage_default_object_access_control",
	}
	for addr, typ := range wantTypes {
		if r := g.Lookup(addr); r == nil || r.Type != typ {
			t.Errorf("%s: got %v, want type %s", addr, r, typ)
		}
	}
}
