package fake

import (
	"fmt"
	"time"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"cloud.google.com/go/iam/apiv1/iampb"
	"cloud.google.com/go/kms/apiv1/kmspb"
	storagev1 "google.golang.org/api/storage/v1"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Spec describes a synthetic organization: Projects projects in folder
// Folder of organization Org, with Buckets buckets and Keys keys spread as
// evenly as the division allows.
type Spec struct {
	Projects, Buckets, Keys int
	// Locations of every project; keys go to rings in all but the first, as
	// real projects have many empty KMS locations. Default: global, us,
	// europe-west1.
	Locations []string
	// Assets adds, per project, a Cloud SQL instance and the project's IAM
	// policy, served by Asset Inventory.
	Assets bool
}

// Folder and Org hold every generated project.
const (
	Folder = "folders/100"
	Org    = "organizations/1"
)

// ProjectID names the i-th generated project.
func ProjectID(i int) string { return fmt.Sprintf("proj-%03d", i) }

// Generate builds the world of a Spec. Attributes cycle deterministically so
// that every check verdict occurs: one key in three is SOFTWARE, one in two
// has no rotation, one bucket in four has no CMEK, one in fifty is public.
func Generate(sp Spec) *World {
	locs := sp.Locations
	if len(locs) == 0 {
		locs = []string{"global", "us", "europe-west1"}
	}
	w := &World{}
	for i := 0; i < sp.Projects; i++ {
		p := &Project{ID: ProjectID(i), Number: int64(100000 + i), Ancestors: []string{Folder, Org},
			Locations: locs, Policies: map[string]*iampb.Policy{}}
		addKeys(p, share(sp.Keys, sp.Projects, i))
		addBuckets(p, share(sp.Buckets, sp.Projects, i))
		if sp.Assets {
			addAssets(p)
		}
		w.Projects = append(w.Projects, p)
	}
	w.Outside = []*assetpb.Asset{{
		Name: "//cloudresourcemanager.googleapis.com/" + Folder, AssetType: "cloudresourcemanager.googleapis.com/Folder",
		Ancestors: []string{Folder, Org},
		Resource: &assetpb.Resource{Data: must(structpb.NewStruct(map[string]any{
			"name": Folder, "displayName": "prod", "parent": Org, "lifecycleState": "ACTIVE"}))},
		IamPolicy: Policy(Binding("roles/resourcemanager.folderViewer", "group:auditors@example.com")),
	}}
	return w
}

// share is the part of total that the i-th of n gets.
func share(total, n, i int) int {
	if n == 0 {
		return 0
	}
	s := total / n
	if i < total%n {
		s++
	}
	return s
}

func addKeys(p *Project, n int) {
	if n == 0 || len(p.Locations) < 2 {
		return
	}
	used := p.Locations[1:]
	for li, loc := range used {
		if li >= n {
			break
		}
		ring := &kmspb.KeyRing{Name: fmt.Sprintf("projects/%s/locations/%s/keyRings/ring-%s", p.ID, loc, loc),
			CreateTime: timestamppb.New(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))}
		p.KeyRings = append(p.KeyRings, ring)
		p.Policies[ring.Name] = Policy(Binding("roles/cloudkms.admin", "group:kms-admins@example.com"))
	}
	for j := 0; j < n; j++ {
		ring := p.KeyRings[j%len(p.KeyRings)]
		k := Key(fmt.Sprintf("%s/cryptoKeys/key-%04d", ring.Name, j), j%3 != 0, j%2 == 0)
		if j%10 == 9 {
			k.Purpose = kmspb.CryptoKey_ASYMMETRIC_SIGN
			k.VersionTemplate.Algorithm = kmspb.CryptoKeyVersion_EC_SIGN_P256_SHA256
			k.Primary, k.RotationSchedule, k.NextRotationTime = nil, nil, nil
		}
		p.CryptoKeys = append(p.CryptoKeys, k)
		if j%5 == 0 {
			p.Policies[k.Name] = Policy(Binding("roles/cloudkms.cryptoKeyEncrypterDecrypter",
				"serviceAccount:app@"+p.ID+".iam.gserviceaccount.com"))
		}
	}
}

// Key is a symmetric key with an enabled primary version, in an HSM or in
// software, rotated every 90 days or never.
func Key(name string, hsm, rotated bool) *kmspb.CryptoKey {
	level := kmspb.ProtectionLevel_SOFTWARE
	if hsm {
		level = kmspb.ProtectionLevel_HSM
	}
	alg := kmspb.CryptoKeyVersion_GOOGLE_SYMMETRIC_ENCRYPTION
	k := &kmspb.CryptoKey{
		Name: name, Purpose: kmspb.CryptoKey_ENCRYPT_DECRYPT,
		VersionTemplate: &kmspb.CryptoKeyVersionTemplate{ProtectionLevel: level, Algorithm: alg},
		Primary: &kmspb.CryptoKeyVersion{Name: name + "/cryptoKeyVersions/1", State: kmspb.CryptoKeyVersion_ENABLED,
			ProtectionLevel: level, Algorithm: alg},
		DestroyScheduledDuration: durationpb.New(24 * time.Hour),
	}
	if rotated {
		k.RotationSchedule = &kmspb.CryptoKey_RotationPeriod{RotationPeriod: durationpb.New(90 * 24 * time.Hour)}
		k.NextRotationTime = timestamppb.New(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	}
	return k
}

func addBuckets(p *Project, n int) {
	var cmek string
	for _, k := range p.CryptoKeys {
		if k.Purpose == kmspb.CryptoKey_ENCRYPT_DECRYPT {
			cmek = k.Name
			break
		}
	}
	for b := 0; b < n; b++ {
		bk := &storagev1.Bucket{Name: fmt.Sprintf("%s-b%05d", p.ID, b), Location: "US", StorageClass: "STANDARD",
			ProjectNumber: uint64(p.Number), Kind: "storage#bucket",
			IamConfiguration: &storagev1.BucketIamConfiguration{
				UniformBucketLevelAccess: &storagev1.BucketIamConfigurationUniformBucketLevelAccess{Enabled: b%7 != 0},
				PublicAccessPrevention:   map[bool]string{true: "enforced", false: "inherited"}[b%2 == 0]},
			Versioning: &storagev1.BucketVersioning{Enabled: b%3 == 0}}
		if b%4 != 3 && cmek != "" {
			bk.Encryption = &storagev1.BucketEncryption{DefaultKmsKeyName: cmek}
		}
		if b%6 == 0 {
			bk.Lifecycle = &storagev1.BucketLifecycle{Rule: []*storagev1.BucketLifecycleRule{{
				Action:    &storagev1.BucketLifecycleRuleAction{Type: "Delete"},
				Condition: &storagev1.BucketLifecycleRuleCondition{DaysSinceNoncurrentTime: 30}}}}
		}
		if b%11 == 0 {
			bk.RetentionPolicy = &storagev1.BucketRetentionPolicy{RetentionPeriod: 86400, IsLocked: b%22 == 0,
				EffectiveTime: "2024-01-01T00:00:00Z"}
		}
		p.Buckets = append(p.Buckets, bk)
		members := []string{"serviceAccount:app@" + p.ID + ".iam.gserviceaccount.com"}
		if b%50 == 49 {
			members = append(members, "allUsers")
		}
		p.Policies[bk.Name] = Policy(Binding("roles/storage.objectViewer", members...))
	}
}

func addAssets(p *Project) {
	sql := &assetpb.Asset{
		Name:      fmt.Sprintf("//cloudsql.googleapis.com/projects/%s/instances/db", p.ID),
		AssetType: "sqladmin.googleapis.com/Instance",
		Resource: &assetpb.Resource{Data: must(structpb.NewStruct(map[string]any{
			"name": "db", "project": p.ID, "databaseVersion": "POSTGRES_15", "region": "us-central1",
			"settings": map[string]any{"ipConfiguration": map[string]any{"sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED"}},
		}))},
	}
	iam := &assetpb.Asset{
		Name:      fmt.Sprintf("//cloudresourcemanager.googleapis.com/projects/%d", p.Number),
		AssetType: "cloudresourcemanager.googleapis.com/Project",
		IamPolicy: Policy(Binding("roles/cloudkms.admin", "user:ops@example.com"),
			Binding("roles/cloudkms.cryptoKeyEncrypterDecrypter", "user:ops@example.com")),
	}
	p.Assets = append(p.Assets, sql, iam)
}

// Policy is an IAM policy of bindings.
func Policy(bindings ...*iampb.Binding) *iampb.Policy {
	return &iampb.Policy{Version: 1, Bindings: bindings, Etag: []byte("BwX")}
}

// Binding grants role to members.
func Binding(role string, members ...string) *iampb.Binding {
	return &iampb.Binding{Role: role, Members: members}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
