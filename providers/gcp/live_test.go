package gcp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"github.com/casascan/casascan/providers/gcp/internal/fake"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/option"
	"google.golang.org/protobuf/types/known/structpb"
)

// sqlAsset is a Cloud SQL instance asset in project p.
func sqlAsset(p, name string) *assetpb.Asset {
	data, _ := structpb.NewStruct(map[string]any{"name": name, "project": p, "databaseVersion": "POSTGRES_15"})
	return &assetpb.Asset{Name: "//cloudsql.googleapis.com/projects/" + p + "/instances/" + name,
		AssetType: "sqladmin.googleapis.com/Instance", Resource: &assetpb.Resource{Data: data}}
}

func TestLivePagination(t *testing.T) {
	w := fake.Generate(fake.Spec{Projects: 1, Buckets: 7, Keys: 9, Locations: []string{"global", "us", "eu"}})
	p := w.Projects[0]
	for i := 0; i < 5; i++ {
		p.Assets = append(p.Assets, sqlAsset(p.ID, fmt.Sprintf("db%d", i)))
	}
	w.PageSize = 2
	g, srv := loadFake(t, w, func(_ *fake.Server, o *Options) { o.Projects = []string{p.ID} })
	if got := len(addresses(g, "google_storage_bucket")); got != 7 {
		t.Errorf("buckets: got %d, want 7", got)
	}
	if got := len(addresses(g, "google_kms_crypto_key")); got != 9 {
		t.Errorf("keys: got %d, want 9", got)
	}
	if got := len(addresses(g, "google_sql_database_instance")); got != 5 {
		t.Errorf("SQL instances: got %d, want 5", got)
	}
	// Calls are pages: 3 locations in 2 pages; one page of rings per
	// location; rings of 5 and 4 keys in 3 and 2 pages; 7 buckets in 4;
	// 6 resource assets (project + 5 instances) in 3 pages and no IAM
	// policy in 1. Policies are one call per ring, key and bucket.
	want := map[string]int{
		fake.ListLocations: 2, fake.ListKeyRings: 3, fake.ListCryptoKeys: 5,
		fake.GetIamPolicy: 2 + 9, fake.ListBuckets: 4, fake.GetBucketIAM: 7, fake.ListAssets: 3 + 1,
	}
	if diff := cmp.Diff(want, srv.CallCounts()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestLiveRefusals(t *testing.T) {
	tests := []struct {
		name       string
		refuse     func(*fake.Server)
		wantSkip   string
		absentType string // no resource of this type in the refused project
	}{
		{"kms denied", func(s *fake.Server) { s.Deny(fake.ServiceKMS, "proj-001") },
			"projects/proj-001 (cloudkms.googleapis.com): skipped: permission denied", "google_kms_crypto_key"},
		{"kms disabled", func(s *fake.Server) { s.Disable(fake.ServiceKMS, "proj-001") },
			"projects/proj-001 (cloudkms.googleapis.com): skipped: API disabled", "google_kms_key_ring"},
		{"storage denied", func(s *fake.Server) { s.Deny(fake.ServiceStorage, "proj-001") },
			"projects/proj-001 (storage.googleapis.com): skipped: permission denied", "google_storage_bucket"},
		{"storage disabled", func(s *fake.Server) { s.Disable(fake.ServiceStorage, "proj-001") },
			"projects/proj-001 (storage.googleapis.com): skipped: API disabled", "google_storage_bucket"},
		{"asset denied", func(s *fake.Server) { s.Deny(fake.ServiceAsset, "proj-001") },
			"projects/proj-001 (cloudasset.googleapis.com): skipped: permission denied", "google_sql_database_instance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := fake.Generate(fake.Spec{Projects: 3, Buckets: 6, Keys: 6, Assets: true})
			g, _ := loadFake(t, w, func(s *fake.Server, o *Options) {
				o.Projects = []string{"proj-000", "proj-001", "proj-002"}
				tt.refuse(s)
			})
			if diff := cmp.Diff([]string{tt.wantSkip}, skipped(g)); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			perProject := map[string]int{}
			for _, r := range g.OfType(tt.absentType) {
				perProject[r.Project]++
			}
			if perProject["proj-001"] != 0 || perProject["proj-000"] == 0 || perProject["proj-002"] == 0 {
				t.Errorf("%s per project = %v, want none in proj-001 and some in the others", tt.absentType, perProject)
			}
		})
	}
}

func TestLiveQuotaRetried(t *testing.T) {
	spec := fake.Spec{Projects: 2, Buckets: 4, Keys: 4, Assets: true}
	opts := func(_ *fake.Server, o *Options) { o.Projects = []string{"proj-000", "proj-001"} }
	base, baseSrv := loadFake(t, fake.Generate(spec), opts)
	methods := []string{fake.ListLocations, fake.ListKeyRings, fake.ListCryptoKeys, fake.GetIamPolicy,
		fake.ListAssets, fake.ListBuckets, fake.GetBucketIAM}
	g, srv := loadFake(t, fake.Generate(spec), func(s *fake.Server, o *Options) {
		opts(s, o)
		for _, m := range methods {
			s.Exhaust(m, 2)
		}
	})
	if d := skipped(g); len(d) != 0 {
		t.Errorf("skipped after retries: %v", d)
	}
	if diff := cmp.Diff(addresses(base), addresses(g)); diff != "" {
		t.Errorf("resources differ from a run without quota errors (-want +got):\n%s", diff)
	}
	for _, m := range methods {
		if got, want := srv.Calls(m), baseSrv.Calls(m)+2; got != want {
			t.Errorf("%s: %d calls, want %d (2 retried)", m, got, want)
		}
	}
}

func TestLiveQuotaExhausted(t *testing.T) {
	w := fake.Generate(fake.Spec{Projects: 1, Buckets: 1, Keys: 4})
	g, srv := loadFake(t, w, func(s *fake.Server, o *Options) {
		o.Projects = []string{"proj-000"}
		s.Exhaust(fake.ListCryptoKeys, 1000)
	})
	want := []string{"projects/proj-000 (cloudkms.googleapis.com): skipped: quota exhausted after retries"}
	if diff := cmp.Diff(want, skipped(g)); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	// Two rings, each tried 4 times (the test policy's attempts), then given up.
	if got := srv.Calls(fake.ListCryptoKeys); got != 2*4 {
		t.Errorf("ListCryptoKeys calls = %d, want 8", got)
	}
	if len(g.OfType("google_kms_key_ring")) != 2 || len(g.OfType("google_storage_bucket")) != 1 {
		t.Errorf("the rings and the bucket should still be read: %v", addresses(g))
	}
}

func TestLiveFolderWithManyProjects(t *testing.T) {
	const n = 60
	w := fake.Generate(fake.Spec{Projects: n, Buckets: 2 * n, Keys: n, Assets: true})
	w.Projects = append(w.Projects, &fake.Project{ID: "elsewhere", Number: 9, Ancestors: []string{"folders/200", fake.Org}})
	w.Projects = append(w.Projects, &fake.Project{ID: "deleted", Number: 8, State: "DELETE_REQUESTED", Ancestors: []string{fake.Folder}})
	g, srv := loadFake(t, w, func(_ *fake.Server, o *Options) {
		o.Folders = []string{"folders/100"}
		o.Projects = []string{"proj-007"} // also in the folder: read once
	})
	perProject := map[string]int{}
	for _, r := range g.OfType("google_storage_bucket") {
		perProject[r.Project]++
	}
	if len(perProject) != n {
		t.Errorf("buckets from %d projects, want %d", len(perProject), n)
	}
	for p, c := range perProject {
		if c != 2 {
			t.Errorf("%s: %d buckets, want 2", p, c)
		}
	}
	if got := len(g.OfType("google_sql_database_instance")); got != n {
		t.Errorf("SQL instances = %d, want %d", got, n)
	}
	if g.Lookup("//cloudresourcemanager.googleapis.com/folders/100/iam/roles/resourcemanager.folderViewer/group:auditors@example.com") == nil {
		t.Error("the folder's own IAM binding is missing")
	}
	// One project enumeration and one folder-wide listing per content type;
	// KMS and Storage per project, and never for the deleted project.
	if got := srv.Calls(fake.ListAssets); got != 3 {
		t.Errorf("ListAssets calls = %d, want 3", got)
	}
	if got := srv.Calls(fake.ListLocations); got != n {
		t.Errorf("ListLocations calls = %d, want %d", got, n)
	}
	if d := skipped(g); len(d) != 0 {
		t.Errorf("skipped: %v", d)
	}
}

// TestLiveShards checks that the shards of a folder scan together find
// exactly what one unsharded scan finds, down to the findings of every check.
func TestLiveShards(t *testing.T) {
	const shards = 3
	spec := fake.Spec{Projects: 7, Buckets: 14, Keys: 14, Assets: true}
	whole, _ := loadFake(t, fake.Generate(spec), func(_ *fake.Server, o *Options) { o.Folders = []string{"100"} })
	var union []string
	var unionFindings []string
	seenProjects := map[string]int{}
	for i := 0; i < shards; i++ {
		g, _ := loadFake(t, fake.Generate(spec), func(_ *fake.Server, o *Options) {
			o.Folders, o.ShardIndex, o.ShardCount = []string{"100"}, i, shards
		})
		union = append(union, addresses(g)...)
		unionFindings = append(unionFindings, findingKeys(g)...)
		for _, r := range g.OfType("google_storage_bucket") {
			seenProjects[r.Project] = i
		}
	}
	if diff := cmp.Diff(addresses(whole), sorted(union)); diff != "" {
		t.Errorf("union of shards differs from the unsharded scan (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(findingKeys(whole), sorted(unionFindings)); diff != "" {
		t.Errorf("findings of the shards differ from the unsharded scan (-want +got):\n%s", diff)
	}
	if len(seenProjects) != spec.Projects {
		t.Errorf("projects seen across shards: %d, want %d", len(seenProjects), spec.Projects)
	}
}

func TestLoadNoCredentials(t *testing.T) {
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", filepath.Join(t.TempDir(), "missing.json"))
	_, err := Load(context.Background(), Options{Projects: []string{"p"}})
	if !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("Load error = %v, want ErrNoCredentials", err)
	}
	if !strings.Contains(err.Error(), "gcloud auth application-default login") {
		t.Errorf("error %q does not say how to log in", err)
	}
}

func TestLoadRejectedCredentials(t *testing.T) {
	for _, svc := range []string{fake.ServiceKMS, fake.ServiceStorage, fake.ServiceAsset} {
		t.Run(svc, func(t *testing.T) {
			srv := fake.Start(t, fake.Generate(fake.Spec{Projects: 1, Buckets: 1, Keys: 1}))
			srv.Unauthenticate(svc, "proj-000")
			opts := fakeOptions(srv)
			opts.Projects = []string{"proj-000"}
			if _, err := Load(context.Background(), opts); !errors.Is(err, ErrNoCredentials) {
				t.Errorf("Load error = %v, want ErrNoCredentials", err)
			}
		})
	}
}

func TestLoadBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no scope", Options{}, "no project, folder or organization"},
		{"shard out of range", Options{Projects: []string{"p"}, ShardIndex: 3, ShardCount: 3}, "shard 3 of 3"},
		{"bad project", Options{Projects: []string{"a/b"}}, `bad project ID "a/b"`},
		{"bad folder", Options{Folders: []string{"folders/"}}, `bad folder ID ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.WithoutADC = true
			_, err := Load(context.Background(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestLiveDeterministic(t *testing.T) {
	spec := fake.Spec{Projects: 4, Buckets: 40, Keys: 20, Assets: true}
	dump := func() string {
		g, _ := loadFake(t, fake.Generate(spec), func(_ *fake.Server, o *Options) {
			o.Folders, o.Concurrency = []string{"100"}, 16
		})
		var b strings.Builder
		for _, r := range g.Resources {
			fmt.Fprintf(&b, "%s %s %s\n", r.Address, r.Type, r.Project)
			for _, a := range allAttrsOf(r.Body) {
				fmt.Fprintf(&b, "  %s=%s %v\n", a.Name, a.Value.GoString(), a.Refs)
			}
		}
		return b.String()
	}
	if first, second := dump(), dump(); first != second {
		t.Errorf("two scans of the same world differ:\n%s", cmp.Diff(first, second))
	}
}

func TestLiveProgress(t *testing.T) {
	var out bytes.Buffer
	loadFake(t, fake.Generate(fake.Spec{Projects: 2, Buckets: 2, Keys: 2}), func(_ *fake.Server, o *Options) {
		o.Folders, o.Progress = []string{"100"}, &out
	})
	text := out.String()
	for _, want := range []string{
		"casascan: folders/100: 2 active projects\n",
		"casascan: Cloud KMS: locations of projects 2/2\n",
		"casascan: Cloud Storage: buckets of projects 2/2\n",
		"casascan: read ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("progress lacks %q:\n%s", want, text)
		}
	}
}

// TestServiceOptions checks the wiring of --quota-project: the fakes run
// without authentication, and the clients attach the quota project header
// only along with credentials, so the header itself cannot be observed.
func TestServiceOptions(t *testing.T) {
	kmsOpts, gcsOpts, caiOpts := serviceOptions(Options{QuotaProject: "billing-1"}, nil)
	has := func(opts []option.ClientOption, want option.ClientOption) bool {
		for _, o := range opts {
			if reflect.DeepEqual(o, want) {
				return true
			}
		}
		return false
	}
	quota, scope := option.WithQuotaProject("billing-1"), option.WithScopes(ReadOnlyScope)
	if !has(caiOpts, quota) || has(kmsOpts, quota) || has(gcsOpts, quota) {
		t.Error("the quota project must go to the Asset Inventory client only")
	}
	for name, opts := range map[string][]option.ClientOption{"kms": kmsOpts, "storage": gcsOpts, "asset": caiOpts} {
		if !has(opts, scope) {
			t.Errorf("%s client lacks the read-only scope", name)
		}
	}
}

// allAttrsOf lists the attributes of a body and its blocks, in order.
func allAttrsOf(b *scanner.Body) []*scanner.Attr {
	var out []*scanner.Attr
	for _, k := range sortedKeys(b.Attrs) {
		out = append(out, b.Attrs[k])
	}
	for _, blk := range b.Blocks {
		out = append(out, allAttrsOf(blk.Body)...)
	}
	return out
}
