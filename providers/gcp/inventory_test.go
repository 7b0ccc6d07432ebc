package gcp

import (
	"sort"
	"strings"
	"testing"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"cloud.google.com/go/iam/apiv1/iampb"
	"github.com/casascan/casascan/providers/gcp/internal/fake"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/expr"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestInventoryTypes(t *testing.T) {
	types := inventoryTypes()
	if !sort.StringsAreSorted(types) {
		t.Error("types are not sorted")
	}
	for _, typ := range types {
		if strings.HasPrefix(typ, "cloudkms.googleapis.com/") || strings.HasPrefix(typ, "storage.googleapis.com/") {
			t.Errorf("%s is read directly and must not be listed", typ)
		}
	}
	for _, want := range append([]string{projectAssetType, "sqladmin.googleapis.com/Instance"}, outsideProjectTypes...) {
		if !containsStr(types, want) {
			t.Errorf("%s missing", want)
		}
	}
	for typ := range assetTypes {
		direct := strings.HasPrefix(typ, "cloudkms.googleapis.com/") || strings.HasPrefix(typ, "storage.googleapis.com/")
		if containsStr(types, typ) == direct {
			t.Errorf("%s: listed %v, read directly %v; want exactly one", typ, !direct, direct)
		}
	}
}

func TestInventoryListings(t *testing.T) {
	type listing struct {
		Parent      string
		AllTypes    bool
		OutsideOnly bool
	}
	tests := []struct {
		name     string
		opts     Options
		projects []string
		covered  map[string]bool
		want     []listing
	}{
		{"projects", Options{Projects: []string{"a", "b"}}, []string{"a", "b"}, nil,
			[]listing{{"projects/a", true, false}, {"projects/b", true, false}}},
		{"folder covers a project", Options{Projects: []string{"a", "z"}, Folders: []string{"1"}, Organizations: []string{"9"}},
			[]string{"a", "b", "z"}, map[string]bool{"a": true, "b": true},
			[]listing{{"folders/1", true, false}, {"organizations/9", true, false}, {"projects/z", true, false}}},
		{"shard 0 reads outside projects", Options{Folders: []string{"1"}, ShardIndex: 0, ShardCount: 2},
			[]string{"a", "c"}, map[string]bool{"a": true, "b": true, "c": true},
			[]listing{{"folders/1", false, true}, {"projects/a", true, false}, {"projects/c", true, false}}},
		{"shard 1 reads its projects", Options{Folders: []string{"1"}, ShardIndex: 1, ShardCount: 2},
			[]string{"b"}, map[string]bool{"a": true, "b": true, "c": true},
			[]listing{{"projects/b", true, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &liveScan{opts: tt.opts}
			if err := s.normalise(); err != nil {
				t.Fatal(err)
			}
			var got []listing
			for _, l := range s.inventoryListings(tt.projects, tt.covered) {
				all := cmp.Equal(l.types, inventoryTypes())
				if !all && !cmp.Equal(l.types, outsideProjectTypes) {
					t.Errorf("%s: unexpected types %v", l.parent, l.types)
				}
				got = append(got, listing{l.parent, all, l.outsideOnly})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("listings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMapInventoryAsset(t *testing.T) {
	data, err := structpb.NewStruct(map[string]any{
		"name": "db", "project": "p1", "databaseVersion": "MYSQL_8_0",
		"settings": map[string]any{"ipConfiguration": map[string]any{"sslMode": "ENCRYPTED_ONLY",
			"authorizedNetworks": []any{map[string]any{"value": "0.0.0.0/0"}}}},
		"diskEncryptionConfiguration": map[string]any{"kmsKeyName": "projects/p1/locations/us/keyRings/r/cryptoKeys/k"},
	})
	if err != nil {
		t.Fatal(err)
	}
	binding := fake.Binding("roles/cloudsql.client", "user:a@example.com")
	binding.Condition = &expr.Expr{Title: "office", Expression: "true"}
	project := &assetpb.Asset{Name: "//cloudresourcemanager.googleapis.com/projects/11",
		AssetType: projectAssetType, IamPolicy: &iampb.Policy{Bindings: []*iampb.Binding{binding}},
		Ancestors: []string{"projects/11", "folders/1"}}
	sql := &assetpb.Asset{Name: "//cloudsql.googleapis.com/projects/p1/instances/db",
		AssetType: "sqladmin.googleapis.com/Instance", Resource: &assetpb.Resource{Data: data}}
	var res []*scanner.Resource
	for _, a := range []*assetpb.Asset{project, sql} {
		r, diags := mapInventoryAsset(a)
		if len(diags) != 0 {
			t.Errorf("diagnostics: %v", diags)
		}
		res = append(res, r...)
	}
	g := newGraph(res, nil)
	tests := []struct{ addr, path, want string }{
		{"//cloudresourcemanager.googleapis.com/projects/11/iam/roles/cloudsql.client/user:a@example.com", "condition.title", "office"},
		{"//cloudresourcemanager.googleapis.com/projects/11/iam/roles/cloudsql.client/user:a@example.com", "member", "user:a@example.com"},
		{sql.Name, "settings.ip_configuration.ssl_mode", "ENCRYPTED_ONLY"},
		{sql.Name, "settings.ip_configuration.authorized_networks.value", "0.0.0.0/0"},
		{sql.Name, "encryption_key_name", "projects/p1/locations/us/keyRings/r/cryptoKeys/k"},
	}
	for _, tt := range tests {
		r := g.Lookup(tt.addr)
		if r == nil {
			t.Fatalf("no %s; have %v", tt.addr, addresses(g))
		}
		if r.Source != scanner.SourceLive {
			t.Errorf("%s: source %s, want live", tt.addr, r.Source)
		}
		if got := attrString(r, tt.path); got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.addr, tt.path, got, tt.want)
		}
	}
}

// TestInventoryOverlap scans projects through a folder and through the
// organization above it, and one project on its own too: each asset is
// mapped once (a merged duplicate would double the blocks).
func TestInventoryOverlap(t *testing.T) {
	w := fake.Generate(fake.Spec{Projects: 2, Assets: true})
	w.Projects = append(w.Projects, &fake.Project{ID: "other", Number: 7, Ancestors: []string{"folders/200"},
		Assets: []*assetpb.Asset{sqlAsset("other", "db")}})
	g, srv := loadFake(t, w, func(_ *fake.Server, o *Options) {
		o.Projects, o.Folders, o.Organizations = []string{"proj-001", "other"}, []string{"100"}, []string{"1"}
	})
	if got := len(g.OfType("google_sql_database_instance")); got != 3 {
		t.Errorf("SQL instances = %d, want 3", got)
	}
	for _, r := range g.OfType("google_sql_database_instance") {
		if n := len(r.All("settings")); r.Project != "other" && n != 1 {
			t.Errorf("%s: %d settings blocks, want 1", r.Address, n)
		}
	}
	// Two enumerations, then two content types for the folder, the
	// organization and "other"; proj-001 is covered by the folder.
	if got := srv.Calls(fake.ListAssets); got != 2+3*2 {
		t.Errorf("ListAssets calls = %d, want 8", got)
	}
}
