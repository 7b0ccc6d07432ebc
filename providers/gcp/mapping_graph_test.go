package gcp

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
)

// dumpGraph renders a graph as sorted text: every resource with its type,
// project, source and every attribute (with refs) down its blocks.
func dumpGraph(g *scanner.Graph) string {
	var b strings.Builder
	for _, r := range g.Resources {
		fmt.Fprintf(&b, "%s %s project=%s source=%s file=%s\n", r.Address, r.Type, r.Project, r.Source, r.DefRange.Filename)
		dumpBody(&b, r.Body, "  ")
	}
	for _, d := range g.Diagnostics {
		fmt.Fprintf(&b, "diag %s\n", d)
	}
	return b.String()
}

func dumpBody(b *strings.Builder, body *scanner.Body, indent string) {
	names := make([]string, 0, len(body.Attrs))
	for n := range body.Attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := body.Attrs[n]
		fmt.Fprintf(b, "%s%s = %s", indent, n, render(a))
		if len(a.Refs) > 0 {
			fmt.Fprintf(b, " -> %s", strings.Join(a.Refs, ","))
		}
		b.WriteByte('\n')
	}
	for _, blk := range body.Blocks {
		fmt.Fprintf(b, "%s%s {\n", indent, blk.Type)
		dumpBody(b, blk.Body, indent+"  ")
		fmt.Fprintf(b, "%s}\n", indent)
	}
}

func TestIAMBindings(t *testing.T) {
	policy := &IAMPolicy{Bindings: []IAMBinding{
		{Role: "roles/viewer", Members: []string{"user:b@x.example", "allUsers"}},
		{Role: "roles/viewer", Members: []string{"group:g@x.example"}, Condition: &IAMCondition{Title: "office hours", Expression: "request.time < x"}},
		{Role: "", Members: []string{"user:ignored@x.example"}},
	}}
	cases := []struct {
		asset, full, typ, attr, id string
	}{
		{"storage.googleapis.com/Bucket", "//storage.googleapis.com/b", "google_storage_bucket_iam_member", "bucket", "b"},
		{"cloudkms.googleapis.com/CryptoKey", hsmKeyFull, "google_kms_crypto_key_iam_member", "crypto_key_id", hsmKey},
		{"cloudkms.googleapis.com/KeyRing", "//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r", "google_kms_key_ring_iam_member", "key_ring_id", "projects/p/locations/us/keyRings/r"},
		{"secretmanager.googleapis.com/Secret", "//secretmanager.googleapis.com/projects/42/secrets/s", "google_secret_manager_secret_iam_member", "secret_id", "projects/42/secrets/s"},
		{"pubsub.googleapis.com/Topic", "//pubsub.googleapis.com/projects/p/topics/t", "google_pubsub_topic_iam_member", "topic", "projects/p/topics/t"},
		{"pubsub.googleapis.com/Subscription", "//pubsub.googleapis.com/projects/p/subscriptions/s", "google_pubsub_subscription_iam_member", "subscription", "projects/p/subscriptions/s"},
		{"bigquery.googleapis.com/Dataset", "//bigquery.googleapis.com/projects/p/datasets/d", "google_bigquery_dataset_iam_member", "dataset_id", "d"},
		{"bigquery.googleapis.com/Table", "//bigquery.googleapis.com/projects/p/datasets/d/tables/t", "google_bigquery_table_iam_member", "table_id", "t"},
		{"cloudresourcemanager.googleapis.com/Project", "//cloudresourcemanager.googleapis.com/projects/42", "google_project_iam_member", "project", "42"},
		{"cloudresourcemanager.googleapis.com/Folder", "//cloudresourcemanager.googleapis.com/folders/7", "google_folder_iam_member", "folder", "folders/7"},
		{"cloudresourcemanager.googleapis.com/Organization", "//cloudresourcemanager.googleapis.com/organizations/9", "google_organization_iam_member", "org_id", "9"},
		{"iam.googleapis.com/ServiceAccount", "//iam.googleapis.com/projects/p/serviceAccounts/a@p.iam.gserviceaccount.com", "google_service_account_iam_member", "service_account_id", "projects/p/serviceAccounts/a@p.iam.gserviceaccount.com"},
		{"spanner.googleapis.com/Instance", "//spanner.googleapis.com/projects/p/instances/i", "google_spanner_instance_iam_member", "instance", "i"},
		{"spanner.googleapis.com/Database", "//spanner.googleapis.com/projects/p/instances/i/databases/d", "google_spanner_database_iam_member", "name", "projects/p/instances/i/databases/d"},
		{"bigtableadmin.googleapis.com/Instance", "//bigtableadmin.googleapis.com/projects/p/instances/bt", "google_bigtable_instance_iam_member", "name", "projects/p/instances/bt"},
		{"bigtableadmin.googleapis.com/Table", "//bigtableadmin.googleapis.com/projects/p/instances/bt/tables/t", "google_bigtable_table_iam_member", "table", "t"},
		{"artifactregistry.googleapis.com/Repository", "//artifactregistry.googleapis.com/projects/p/locations/us/repositories/r", "google_artifact_registry_repository_iam_member", "name", "projects/p/locations/us/repositories/r"},
		{"dataproc.googleapis.com/Cluster", "//dataproc.googleapis.com/projects/p/regions/us-east1/clusters/c", "google_dataproc_cluster_iam_member", "name", "projects/p/regions/us-east1/clusters/c"},
		{"run.googleapis.com/Service", "//run.googleapis.com/projects/p/locations/l/services/s", "google_cloud_run_v2_service_iam_member", "name", "projects/p/locations/l/services/s"},
	}
	for _, tc := range cases {
		t.Run(tc.asset, func(t *testing.T) {
			res, diags := mapAsset(Asset{Name: tc.full, AssetType: tc.asset, IAMPolicy: policy})
			// One grant per role and member, each naming the asset.
			wantAddr := []string{tc.full + "/iam/roles/viewer/allUsers", tc.full + "/iam/roles/viewer/user:b@x.example", tc.full + "/iam/roles/viewer/group:g@x.example"}
			wantMember := []string{"allUsers", "user:b@x.example", "group:g@x.example"}
			if len(diags) > 0 || len(res) != len(wantAddr) {
				t.Fatalf("got %d resources, %v; want %d grants", len(res), diags, len(wantAddr))
			}
			for i, r := range res {
				if r.Type != tc.typ || r.Address != wantAddr[i] || r.Mode != scanner.Managed {
					t.Errorf("grant %d: %s %s, want %s %s", i, r.Type, r.Address, tc.typ, wantAddr[i])
				}
				want := scanner.Grant{Asset: tc.full, Role: "roles/viewer", Member: wantMember[i]}
				if r.Grant == nil || *r.Grant != want || r.Reported() != tc.full || r.DefRange.Filename != "gcp/"+tc.full[2:] {
					t.Errorf("grant %d: %+v at %s, want %+v at the asset", i, r.Grant, r.DefRange.Filename, want)
				}
				id := r.Get(tc.attr)
				if got := render(id); got != tc.id || id == nil || !slices.Equal(id.Refs, []string{tc.full}) {
					t.Errorf("%s = %s refs %v, want %s -> %s", tc.attr, got, id.Refs, tc.id, tc.full)
				}
				if got := render(r.Get("role")); got != "roles/viewer" {
					t.Errorf("role = %s", got)
				}
				if got := render(r.Get("member")); got != wantMember[i] {
					t.Errorf("member = %s, want %s", got, wantMember[i])
				}
			}
			if got := render(res[2].Get("condition.title")); got != "office hours" {
				t.Errorf("condition.title = %s", got)
			}
		})
	}
}

func bt(name string, data map[string]any) []*scanner.Resource {
	typ := "bigtableadmin.googleapis.com/Instance"
	if strings.Contains(name, "/clusters/") {
		typ = "bigtableadmin.googleapis.com/Cluster"
	}
	res, _ := mapAsset(Asset{Name: "//bigtableadmin.googleapis.com/projects/p/instances/" + name, AssetType: typ, Resource: &AssetResource{Data: data}})
	return res
}

// TestNewGraphMerge folds Bigtable clusters into their instance whatever the
// order the assets come in.
func TestNewGraphMerge(t *testing.T) {
	inst := func() []*scanner.Resource {
		return bt("bt", map[string]any{"name": "projects/p/instances/bt", "displayName": "BT"})
	}
	c1 := func() []*scanner.Resource {
		return bt("bt/clusters/c1", map[string]any{"encryptionConfig": map[string]any{"kmsKeyName": hsmKey}})
	}
	c2 := func() []*scanner.Resource { return bt("bt/clusters/c2", map[string]any{}) }
	var dumps []string
	for _, order := range [][]func() []*scanner.Resource{{inst, c1, c2}, {c2, c1, inst}, {c1, inst, c2}} {
		var rs []*scanner.Resource
		for _, f := range order {
			rs = append(rs, f()...)
		}
		g := newGraph(rs, nil)
		if len(g.Resources) != 1 {
			t.Fatalf("got %d resources, want the one instance", len(g.Resources))
		}
		r := g.Resources[0]
		if got := render(r.Get("display_name")); got != "BT" {
			t.Errorf("display_name = %s", got)
		}
		if got := render(r.Get("cluster.0.cluster_id")) + render(r.Get("cluster.1.cluster_id")); got != "c1c2" {
			t.Errorf("clusters = %s, want c1 then c2", got)
		}
		if got := render(r.Get("cluster.0.kms_key_name")); got != hsmKey {
			t.Errorf("cluster.0.kms_key_name = %s", got)
		}
		dumps = append(dumps, dumpGraph(g))
	}
	for _, d := range dumps[1:] {
		if d != dumps[0] {
			t.Errorf("graph depends on asset order:\n%s\nvs\n%s", dumps[0], d)
		}
	}
}

func TestNewGraphProjectsAndDiagnostics(t *testing.T) {
	var rs []*scanner.Resource
	var diags []scanner.Diagnostic
	add := func(a Asset) {
		r, d := mapAsset(a)
		rs, diags = append(rs, r...), append(diags, d...)
	}
	anc := []string{"projects/42"}
	add(Asset{Name: "//cloudresourcemanager.googleapis.com/projects/42", AssetType: "cloudresourcemanager.googleapis.com/Project",
		Resource:  &AssetResource{Data: map[string]any{"projectId": "acme", "projectNumber": "42"}},
		IAMPolicy: &IAMPolicy{Bindings: []IAMBinding{{Role: "roles/owner", Members: []string{"user:a@x.example"}}}}})
	add(Asset{Name: "//storage.googleapis.com/b", AssetType: "storage.googleapis.com/Bucket", Ancestors: anc,
		Resource: &AssetResource{Data: map[string]any{"name": "b"}}})
	add(Asset{Name: "//compute.googleapis.com/projects/acme/global/networks/n", AssetType: "compute.googleapis.com/Network", Resource: &AssetResource{}})
	add(Asset{Name: "//compute.googleapis.com/projects/acme/global/networks/m", AssetType: "compute.googleapis.com/Network", Resource: &AssetResource{}})
	add(Asset{Name: "//dns.googleapis.com/projects/acme/managedZones/z", AssetType: "dns.googleapis.com/ManagedZone", Resource: &AssetResource{}})
	// The same address under another type is dropped with a warning.
	clash := &scanner.Resource{Address: "//storage.googleapis.com/b", Type: "google_storage_bucket_acl", Body: scanner.NewBody()}
	g := newGraph(append(rs, clash), diags)

	b := g.Lookup("//storage.googleapis.com/b")
	if b == nil || b.Type != "google_storage_bucket" || b.Project != "acme" || render(b.Get("project")) != "acme" {
		t.Fatalf("bucket: %+v, want google_storage_bucket in project acme", b)
	}
	binding := g.Lookup("//cloudresourcemanager.googleapis.com/projects/42/iam/roles/owner/user:a@x.example")
	if binding == nil || render(binding.Get("project")) != "acme" {
		t.Fatalf("project binding: want project = acme, got %s", dumpGraph(g))
	}
	var got []string
	for _, d := range g.Diagnostics {
		got = append(got, d.Summary+" | "+d.Detail)
	}
	want := []string{
		"//storage.googleapis.com/b also maps to google_storage_bucket_acl; kept google_storage_bucket | ",
		"3 assets of 2 types that casascan does not map not judged | compute.googleapis.com/Network: 2, dns.googleapis.com/ManagedZone: 1",
	}
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
