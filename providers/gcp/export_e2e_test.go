package gcp

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

const (
	kr       = "//cloudkms.googleapis.com/projects/acme-prod/locations/us/keyRings/casa"
	compute  = "//compute.googleapis.com/projects/acme-prod/global/"
	projIAM  = "//cloudresourcemanager.googleapis.com/projects/123456789012"
	secrets  = "//secretmanager.googleapis.com/projects/123456789012/secrets/"
	topics   = "//pubsub.googleapis.com/projects/acme-prod/"
	cloudSQL = "//cloudsql.googleapis.com/projects/acme-prod/instances/"
)

// TestExportChecks scans the export fixtures with every check, as `casascan
// scan FILE` does, and compares the failing check IDs per full resource
// name: every expected finding, and nothing on the compliant resources
// (acme-mail, mail-hsm, acme-db, modern-tls, web-https, web-http-redirect,
// web-backend, mail-events, oauth-refresh-tokens).
func TestExportChecks(t *testing.T) {
	prod := map[string][]string{
		kr + "/cryptoKeys/legacy-soft":                {"GCP-KMS-001", "GCP-KMS-002", "GCP-KMS-003"},
		projIAM:                                       {"GCP-KMS-005", "GCP-KMS-005"},
		cloudSQL + "legacy-db":                        {"GCP-ACC-004", "GCP-ENC-002", "GCP-LOG-001", "GCP-TLS-004"},
		compute + "backendServices/ext-backend":       {"GCP-TLS-008"},
		compute + "sslPolicies/legacy-tls":            {"GCP-TLS-001"},
		compute + "targetHttpProxies/legacy-http":     {"GCP-TLS-003"},
		compute + "targetHttpsProxies/api-https":      {"GCP-TLS-002"},
		topics + "subscriptions/partner-push":         {"GCP-TLS-009"},
		topics + "topics/audit-feed":                  {"GCP-ACC-006", "GCP-ENC-005"},
		secrets + "partner-api-key":                   {"GCP-ENC-006", "GCP-SEC-003"},
		"//storage.googleapis.com/acme-exports":       {"GCP-KMS-006"},
		"//storage.googleapis.com/acme-public-assets": {"GCP-ACC-001", "GCP-ACC-002", "GCP-ACC-003", "GCP-DEL-001", "GCP-DEL-002", "GCP-ENC-001"},
	}
	// acme-apps: the other services, camelCase. Compliant: clusters/secure,
	// instances/sessions, datasets/mail, databases/users, disks/data,
	// functions/secure-hook, services/web, the system-managed key, queues/mail,
	// notificationChannels/2, buckets/audit, clusters/ledger, instances/share,
	// instances/main and tables/clicks (their resources; not their IAM), and
	// the private IAM of databases/users and instances/metrics. The default
	// pool of clusters/plain is judged once, on its NodePool asset, not again
	// as the cluster's nodeConfig and nodePools entry.
	a := "//%s.googleapis.com/projects/acme-apps/"
	at := func(svc, rest string) string { return fmt.Sprintf(a, svc) + rest }
	apps := map[string][]string{
		"//appengine.googleapis.com/apps/acme-apps/services/default/versions/v1":        {"GCP-TLS-007"},
		at("artifactregistry", "locations/us/repositories/images"):                      {"GCP-ACC-008", "GCP-ENC-012"},
		at("bigquery", "datasets/open"):                                                 {"GCP-ACC-005", "GCP-ENC-003"},
		at("bigquery", "datasets/open/tables/events"):                                   {"GCP-ACC-008", "GCP-ENC-003"},
		at("bigtableadmin", "instances/metrics/tables/clicks"):                          {"GCP-ACC-008"},
		at("bigtableadmin", "instances/metrics"):                                        {"GCP-ENC-009"},
		at("cloudfunctions", "locations/us-east1/functions/webhook"):                    {"GCP-TLS-006"},
		at("cloudscheduler", "locations/us-east1/jobs/digest"):                          {"GCP-TLS-009"},
		at("compute", "zones/us-east1-b/disks/scratch"):                                 {"GCP-ENC-004"},
		at("container", "locations/us-east1/clusters/plain"):                            {"GCP-ENC-007", "GCP-SEC-004"},
		at("container", "locations/us-east1/clusters/plain/nodePools/default-pool"):     {"GCP-ENC-004"},
		at("dataproc", "regions/us-east1/clusters/etl"):                                 {"GCP-ACC-008", "GCP-ENC-011"},
		at("firestore", "databases/(default)"):                                          {"GCP-ENC-015"},
		at("iam", "serviceAccounts/ci@acme-apps.iam.gserviceaccount.com/keys/0a1b2c3d"): {"GCP-SEC-002"},
		at("logging", "locations/global/buckets/_Default"):                              {"GCP-ENC-014"},
		at("monitoring", "notificationChannels/1"):                                      {"GCP-TLS-009"},
		at("redis", "locations/us-east1/instances/cache"):                               {"GCP-ACC-007", "GCP-ENC-010", "GCP-TLS-005"},
		at("run", "locations/us-east1/services/api"):                                    {"GCP-SEC-001"},
		at("spanner", "instances/main/databases/scratch"):                               {"GCP-ENC-008"},
		at("spanner", "instances/main"):                                                 {"GCP-ACC-008"},
	}
	cases := []struct {
		file string
		want map[string][]string
	}{
		{"acme-prod.ndjson", prod},
		{"acme-prod.list.json", prod},
		{"acme-apps.ndjson", apps},
		{"acme-search.json", map[string][]string{
			"//storage.googleapis.com/acme-search-plain": {"GCP-ENC-001"},
			kr + "/cryptoKeys/search-soft":               {"GCP-KMS-001"},
		}},
		{"acme-iam-search.json", map[string][]string{
			"//storage.googleapis.com/acme-search-plain": {"GCP-ACC-001"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			g := load(t, filepath.Join(fixtures, tc.file))
			res := scanner.Run(checks.All(), []*scanner.Graph{g}, scanner.Options{})
			got := map[string][]string{}
			for _, f := range res.Failures() {
				got[f.Resource] = append(got[f.Resource], f.CheckID)
				want := "gcp/" + strings.TrimPrefix(f.Resource, "//")
				if f.Location.File != want || f.Location.StartLine != 1 || f.Source != scanner.SourceExport {
					t.Errorf("%s %s at %s (%s), want %s:1 (export)", f.CheckID, f.Resource, f.Location, f.Source, want)
				}
			}
			for _, ids := range got {
				sort.Strings(ids)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("failing checks per resource (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSearchResultsUnknown: a search result says nothing about a bucket's
// access settings, so those checks cannot decide, and say so.
func TestSearchResultsUnknown(t *testing.T) {
	g := load(t, filepath.Join(fixtures, "acme-search.json"))
	res := scanner.Run(checks.All(), []*scanner.Graph{g}, scanner.Options{})
	status := map[string]scanner.Status{}
	for _, f := range res.List() {
		if f.Resource == "//storage.googleapis.com/acme-search-plain" {
			status[f.CheckID] = f.Status
		}
	}
	for _, id := range []string{"GCP-ACC-002", "GCP-ACC-003", "GCP-DEL-001"} {
		if status[id] != scanner.StatusUnknown {
			t.Errorf("%s on a search result: %s, want UNKNOWN", id, status[id])
		}
	}
}

// TestBucketACLChecks: an export that carries a bucket's ACL is judged by
// GCP-ACC-001 like Terraform's ACL resources.
func TestBucketACLChecks(t *testing.T) {
	line := `{"name":"//storage.googleapis.com/pub","asset_type":"storage.googleapis.com/Bucket","resource":{"data":{"name":"pub",` +
		`"iamConfiguration":{"uniformBucketLevelAccess":{"enabled":false},"publicAccessPrevention":"inherited"},` +
		`"acl":[{"entity":"project-owners-42","role":"OWNER"},{"entity":"allUsers","role":"READER"}],` +
		`"defaultObjectAcl":[{"entity":"project-readers-42","role":"READER"},{"entity":"allAuthenticatedUsers","role":"READER"}]}}}`
	path := filepath.Join(t.TempDir(), "acl.ndjson")
	if err := os.WriteFile(path, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := scanner.Run(checks.All(), []*scanner.Graph{load(t, path)}, scanner.Options{})
	var got []string
	for _, f := range res.Failures() {
		if f.CheckID == "GCP-ACC-001" {
			got = append(got, fmt.Sprintf("%s at %s grant=%+v: %s", f.Resource, f.Location, *f.Grant, f.Message))
		}
	}
	// Each ACL entry is a grant of the bucket: the finding names the
	// bucket at its pseudo-path, with the role and entity.
	const pub = "//storage.googleapis.com/pub"
	want := []string{
		pub + " at gcp/storage.googleapis.com/pub:1 grant={Asset://storage.googleapis.com/pub Role:READER Member:allAuthenticatedUsers}: " +
			pub + ": grants access to allAuthenticatedUsers, so anyone can read the bucket's objects (READER to allAuthenticatedUsers)",
		pub + " at gcp/storage.googleapis.com/pub:1 grant={Asset://storage.googleapis.com/pub Role:READER Member:allUsers}: " +
			pub + ": grants access to allUsers, so anyone can read the bucket's objects (READER to allUsers)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GCP-ACC-001 failures (-want +got):\n%s", diff)
	}
}

// TestSearchResultsAuthUnknown: a search result carries neither a cluster's
// master_auth nor an instance's authEnabled, so GCP-SEC-004 and GCP-ACC-007
// cannot decide (the provider default would pass the cluster and fail the
// instance), while a full export record is judged.
func TestSearchResultsAuthUnknown(t *testing.T) {
	const (
		cluster = "//container.googleapis.com/projects/p/locations/us-east1/clusters/c"
		redis   = "//redis.googleapis.com/projects/p/locations/us-east1/instances/r"
	)
	search := `[{"name":"` + cluster + `","assetType":"container.googleapis.com/Cluster","project":"projects/1","displayName":"c","location":"us-east1"},
{"name":"` + redis + `","assetType":"redis.googleapis.com/Instance","project":"projects/1","displayName":"r","location":"us-east1"}]`
	export := `{"name":"` + cluster + `","assetType":"container.googleapis.com/Cluster","resource":{"data":{"name":"c","masterAuth":{"clientCertificateConfig":{}}}}}
{"name":"` + redis + `","assetType":"redis.googleapis.com/Instance","resource":{"data":{"name":"projects/p/locations/us-east1/instances/r","authEnabled":true}}}
`
	for _, tc := range []struct {
		file, content string
		want          scanner.Status
	}{
		{"search.json", search, scanner.StatusUnknown},
		{"export.ndjson", export, scanner.StatusPass},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			sel := []*scanner.Check{checks.ByID("GCP-SEC-004"), checks.ByID("GCP-ACC-007")}
			res := scanner.Run(sel, []*scanner.Graph{load(t, path)}, scanner.Options{})
			got := map[string]scanner.Status{}
			for _, f := range res.List() {
				got[f.CheckID+" "+f.Resource] = f.Status
			}
			want := map[string]scanner.Status{"GCP-SEC-004 " + cluster: tc.want, "GCP-ACC-007 " + redis: tc.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPartialRecords: what a record does not carry is unknown, what it
// reports as absent is absent. A search result carries no configuration
// (an HTTPS proxy's SSL policy, a secret's replication, an instance's
// disks: UNKNOWN, never PASS) but lists the CMEK keys of the types that
// have them (a disk or Spanner database without kmsKeys has no key: FAIL,
// kms_key_names included); an export without a Bigtable instance's Cluster
// records cannot tell its clusters' keys; a key in a project the export
// does not hold has no known protection level.
func TestPartialRecords(t *testing.T) {
	const (
		edge    = "//compute.googleapis.com/projects/acme-edge/"
		spanner = "//spanner.googleapis.com/projects/acme-edge/instances/main/databases/"
		secret  = "//secretmanager.googleapis.com/projects/acme-edge/secrets/oauth-client"
		central = "//cloudkms.googleapis.com/projects/acme-central-kms/locations/us/keyRings/mail/cryptoKeys/mail-data"
	)
	ids := []string{"GCP-TLS-002", "GCP-ENC-004", "GCP-ENC-006", "GCP-ENC-008", "GCP-ENC-009", "GCP-ENC-011", "GCP-ENC-014", "GCP-KMS-006"}
	cases := []struct {
		file string
		want map[string]scanner.Status
	}{
		{"acme-search-partial.json", map[string]scanner.Status{
			"GCP-TLS-002 " + edge + "global/targetHttpsProxies/web-https ssl_policy":                                  scanner.StatusUnknown,
			"GCP-ENC-006 " + secret + " replication.auto.0.customer_managed_encryption.kms_key_name":                  scanner.StatusUnknown,
			"GCP-ENC-006 " + secret + " replication.user_managed.replicas.0.customer_managed_encryption.kms_key_name": scanner.StatusUnknown,
			"GCP-KMS-006 " + secret + " replication.auto.0.customer_managed_encryption.kms_key_name":                  scanner.StatusUnknown,
			"GCP-KMS-006 " + secret + " replication.user_managed.replicas.0.customer_managed_encryption.kms_key_name": scanner.StatusUnknown,
			"GCP-ENC-004 " + edge + "zones/us-east1-b/instances/worker boot_disk.kms_key_self_link":                   scanner.StatusUnknown,
			"GCP-KMS-006 " + edge + "zones/us-east1-b/instances/worker boot_disk.kms_key_self_link":                   scanner.StatusUnknown,
			"GCP-ENC-004 " + edge + "zones/us-east1-b/disks/plain-disk disk_encryption_key.kms_key_self_link":         scanner.StatusFail,
			"GCP-KMS-006 " + edge + "zones/us-east1-b/disks/plain-disk ":                                              scanner.StatusPass,
			"GCP-ENC-004 " + edge + "zones/us-east1-b/disks/cmek-disk ":                                               scanner.StatusPass,
			"GCP-KMS-006 " + edge + "zones/us-east1-b/disks/cmek-disk disk_encryption_key.kms_key_self_link":          scanner.StatusUnknown,
			"GCP-ENC-008 " + spanner + "no-key encryption_config.kms_key_name":                                        scanner.StatusFail,
			"GCP-KMS-006 " + spanner + "no-key ":                                                                      scanner.StatusPass,
			"GCP-ENC-008 " + spanner + "with-key ":                                                                    scanner.StatusPass,
			"GCP-KMS-006 " + spanner + "with-key encryption_config.kms_key_name":                                      scanner.StatusUnknown,
			// Types whose key sits, Terraform-side, in a block the result does not carry: no kmsKeys is still no key.
			"GCP-ENC-009 //bigtableadmin.googleapis.com/projects/acme-edge/instances/metrics cluster.0.kms_key_name":                               scanner.StatusFail,
			"GCP-KMS-006 //bigtableadmin.googleapis.com/projects/acme-edge/instances/metrics ":                                                     scanner.StatusPass,
			"GCP-ENC-011 //dataproc.googleapis.com/projects/acme-edge/regions/us-east1/clusters/etl cluster_config.encryption_config.kms_key_name": scanner.StatusFail,
			"GCP-KMS-006 //dataproc.googleapis.com/projects/acme-edge/regions/us-east1/clusters/etl ":                                              scanner.StatusPass,
			"GCP-ENC-014 //logging.googleapis.com/projects/acme-edge/locations/global/buckets/audit cmek_settings.kms_key_name":                    scanner.StatusFail,
			"GCP-KMS-006 //logging.googleapis.com/projects/acme-edge/locations/global/buckets/audit ":                                              scanner.StatusPass,
		}},
		{"acme-bigtable-no-clusters.ndjson", map[string]scanner.Status{
			"GCP-ENC-009 //bigtableadmin.googleapis.com/projects/acme-apps/instances/events cluster.0.kms_key_name": scanner.StatusUnknown,
			"GCP-KMS-006 //bigtableadmin.googleapis.com/projects/acme-apps/instances/events cluster.0.kms_key_name": scanner.StatusUnknown,
		}},
		{"acme-central-kms.ndjson", map[string]scanner.Status{
			"GCP-KMS-006 //storage.googleapis.com/acme-mail-central encryption.default_kms_key_name": scanner.StatusUnknown,
			"GCP-KMS-006 //storage.googleapis.com/acme-mail-local ":                                  scanner.StatusPass,
		}},
	}
	var sel []*scanner.Check
	for _, id := range ids {
		sel = append(sel, checks.ByID(id))
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			res := scanner.Run(sel, []*scanner.Graph{load(t, filepath.Join(fixtures, tc.file))}, scanner.Options{})
			got := map[string]scanner.Status{}
			for _, f := range res.List() {
				got[f.CheckID+" "+f.Resource+" "+f.Attribute] = f.Status
				if f.Status == scanner.StatusUnknown && !strings.Contains(f.Reason, "not known") {
					t.Errorf("%s %s: UNKNOWN without saying what is not known: %q", f.CheckID, f.Resource, f.Reason)
				}
				if strings.Contains(f.Reason, "dynamic block") || strings.Contains(f.Reason, "before apply") {
					t.Errorf("%s %s: a record's unknown worded as Terraform's: %q", f.CheckID, f.Resource, f.Reason)
				}
				if f.CheckID == "GCP-KMS-006" && strings.Contains(f.Resource, "acme-mail-central") && !strings.Contains(f.Reason, central) {
					t.Errorf("GCP-KMS-006 on a key outside the scan should name it: %q", f.Reason)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOtherExportForms: the BigQuery table form (resource.data a JSON
// string), get-history and real-time feed TemporalAssets (the latest window
// counts; a deletion is no resource, with a warning) are read as exports.
func TestOtherExportForms(t *testing.T) {
	cases := []struct {
		file  string
		fails map[string][]string
		warn  string
	}{
		{"acme-bigquery.ndjson", map[string][]string{
			"//storage.googleapis.com/acme-bq-exports": {"GCP-ACC-001", "GCP-ACC-002", "GCP-ENC-001"},
			kr + "/cryptoKeys/bq-soft":                 {"GCP-KMS-001"},
		}, ""},
		{"acme-history.json", map[string][]string{
			"//storage.googleapis.com/acme-history": {"GCP-ACC-002", "GCP-ACC-003", "GCP-ENC-001"},
		}, "1 asset deleted in the latest window of its history: not a resource, not judged"},
		{"acme-feed.ndjson", map[string][]string{
			"//storage.googleapis.com/acme-feed": {"GCP-ACC-002", "GCP-ACC-003", "GCP-ENC-001"},
		}, "1 asset deleted in the latest window of its history: not a resource, not judged"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(fixtures, tc.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !DetectExport(data) {
				t.Errorf("DetectExport does not recognise %s", tc.file)
			}
			g := load(t, path)
			var warns []string
			for _, d := range g.Diagnostics {
				if d.Severity == scanner.DiagError {
					t.Errorf("diagnostic %s", d)
				}
				warns = append(warns, d.Summary)
			}
			if tc.warn != "" && !slices.Contains(warns, tc.warn) {
				t.Errorf("diagnostics %q, want %q", warns, tc.warn)
			}
			res := scanner.Run(checks.All(), []*scanner.Graph{g}, scanner.Options{})
			got := map[string][]string{}
			for _, f := range res.Failures() {
				got[f.Resource] = append(got[f.Resource], f.CheckID)
			}
			for _, ids := range got {
				sort.Strings(ids)
			}
			if diff := cmp.Diff(tc.fails, got); diff != "" {
				t.Errorf("failing checks per resource (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEmptyExport: an export without records is a valid, empty input that
// says it read 0 resources.
func TestEmptyExport(t *testing.T) {
	for _, content := range []string{"", "\n", "[]", `{"assets": []}`, `{"results": []}`} {
		g, err := ReadExport(context.Background(), []byte(content), "empty.ndjson", "")
		if err != nil {
			t.Fatalf("%q: %v", content, err)
		}
		if len(g.Resources) != 0 || len(g.Diagnostics) != 1 || g.Diagnostics[0].Severity != scanner.DiagWarning ||
			!strings.Contains(g.Diagnostics[0].Summary, "0 resources") {
			t.Errorf("%q: %d resources, diagnostics %v; want none and one warning saying 0 resources", content, len(g.Resources), g.Diagnostics)
		}
	}
	if !DetectEmptyExport("assets.ndjson", []byte(" \n")) || DetectEmptyExport("notes.txt", nil) || DetectEmptyExport("a.json", []byte("x")) {
		t.Error("DetectEmptyExport: want an empty .ndjson only")
	}
}

// TestSEC002ExportWording: GCP-SEC-002 on an exported key speaks of the
// deployed key, not of a Terraform state it may never have been in.
func TestSEC002ExportWording(t *testing.T) {
	res := scanner.Run([]*scanner.Check{checks.ByID("GCP-SEC-002")}, []*scanner.Graph{load(t, filepath.Join(fixtures, "acme-apps.ndjson"))}, scanner.Options{})
	fails := res.Failures()
	if len(fails) == 0 {
		t.Fatal("no GCP-SEC-002 failure on the exported key")
	}
	for _, f := range fails {
		if strings.Contains(f.Message, "Terraform") || !strings.Contains(f.Message, "user-managed, long-lived service account key") {
			t.Errorf("message %q: want the deployed key's wording, no Terraform state", f.Message)
		}
	}
}

// TestProcessingExportENC017: the data processing assets map into the
// Terraform names GCP-ENC-017 reads, so it fires on exports too.
func TestProcessingExportENC017(t *testing.T) {
	g := load(t, filepath.Join(fixtures, "acme-processing.ndjson"))
	res := scanner.Run([]*scanner.Check{checks.ByID("GCP-ENC-017")}, []*scanner.Graph{g}, scanner.Options{})
	const p = "projects/acme-data/locations/"
	legacy := "//notebooks.googleapis.com/" + p + "us-central1-a/instances/legacy-nb"
	got := map[string]scanner.Status{}
	var legacyStatus []scanner.Status
	for _, f := range res.List() {
		if f.Resource == legacy {
			legacyStatus = append(legacyStatus, f.Status)
			continue
		}
		got[f.Resource+" "+f.Attribute] = f.Status
	}
	want := map[string]scanner.Status{
		"//dataflow.googleapis.com/" + p + "us-central1/jobs/2026-03-01_02_00_00-111 kms_key_name":                scanner.StatusFail,
		"//dataflow.googleapis.com/" + p + "us-central1/jobs/2026-03-01_02_00_00-222 ":                            scanner.StatusPass,
		"//composer.googleapis.com/" + p + "us-central1/environments/flows config.encryption_config.kms_key_name": scanner.StatusFail,
		"//aiplatform.googleapis.com/" + p + "us-central1/datasets/77 encryption_spec.kms_key_name":               scanner.StatusFail,
		"//notebooks.googleapis.com/" + p + "us-central1-a/instances/analysis gce_setup.boot_disk.kms_key":        scanner.StatusFail,
		// The API always creates a data disk; a record without one has
		// no key for it (GCP-ENC-017's Workbench rule).
		"//notebooks.googleapis.com/" + p + "us-central1-a/instances/analysis gce_setup.data_disks.kms_key": scanner.StatusFail,
	}
	// The user-managed notebook maps to google_notebooks_instance (kms_key,
	// disk_encryption); GCP-ENC-017 fails it once the check reads that type.
	if slices.Contains(checks.ByID("GCP-ENC-017").Types, "google_notebooks_instance") && !slices.Contains(legacyStatus, scanner.StatusFail) {
		t.Errorf("legacy notebook without CMEK: %v, want a FAIL", legacyStatus)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GCP-ENC-017 (-want +got):\n%s", diff)
	}
	nb := g.Lookup(legacy)
	if nb == nil || nb.Type != "google_notebooks_instance" || render(nb.Get("disk_encryption")) != "GMEK" || nb.Get("kms_key") != nil {
		t.Errorf("legacy notebook: %v, want google_notebooks_instance, disk_encryption GMEK, no kms_key", nb)
	}
}

// TestAPIDefaultWording: a field an exported record leaves out is judged by
// the API's default, and the finding says so; "(the provider default)" is
// Terraform's wording only.
func TestAPIDefaultWording(t *testing.T) {
	g := load(t, filepath.Join(fixtures, "acme-feed.ndjson"))
	res := scanner.Run([]*scanner.Check{checks.ByID("GCP-ACC-002"), checks.ByID("GCP-ACC-003")}, []*scanner.Graph{g}, scanner.Options{})
	fails := res.Failures()
	if len(fails) != 2 {
		t.Fatalf("%d failures, want GCP-ACC-002 and GCP-ACC-003 on acme-feed", len(fails))
	}
	for _, f := range fails {
		if strings.Contains(f.Message, "provider default") || !strings.Contains(f.Message, "(absent from the record: the API's default)") {
			t.Errorf("%s message %q: want the API's default, not the provider's", f.CheckID, f.Message)
		}
		p := f.Provenance
		if p == nil || len(p.Origins) != 1 || p.Origins[0].Kind != scanner.OriginAPIDefault || p.Origins[0].Line != 1 {
			t.Errorf("%s provenance %+v, want the API's default at the record's line", f.CheckID, p)
		} else if s := scanner.ProvenanceText(p.Origins); strings.Contains(s, "provider default") {
			t.Errorf("%s provenance text %q speaks of the provider default", f.CheckID, s)
		}
	}
}

// TestHistoryOrder: the latest window wins whatever the order of the lines,
// and one asset granted the same role to the same member under two
// conditions gives two grants with fingerprints of their own.
func TestHistoryOrder(t *testing.T) {
	const b = "//storage.googleapis.com/acme-order"
	lines := `{"window":{"startTime":"2026-02-01T00:00:00Z"},"asset":{"name":"` + b + `","assetType":"storage.googleapis.com/Bucket","resource":{"data":{"name":"acme-order"}},` +
		`"iamPolicy":{"bindings":[{"role":"roles/storage.objectViewer","members":["allUsers"],"condition":{"title":"a","expression":"true"}},` +
		`{"role":"roles/storage.objectViewer","members":["allUsers"],"condition":{"title":"b","expression":"true"}}]}}}
{"window":{"startTime":"2026-01-01T00:00:00Z"},"deleted":true,"asset":{"name":"` + b + `","assetType":"storage.googleapis.com/Bucket"}}
`
	g, err := ReadExport(context.Background(), []byte(lines), "feed.ndjson", "")
	if err != nil {
		t.Fatal(err)
	}
	if g.Lookup(b) == nil {
		t.Fatalf("the bucket, re-created after its deletion, is missing:\n%s", dumpGraph(g))
	}
	res := scanner.Run([]*scanner.Check{checks.ByID("GCP-ACC-001")}, []*scanner.Graph{g}, scanner.Options{})
	fails := res.Failures()
	if len(fails) != 2 || fails[0].Resource != b || fails[1].Resource != b || fails[0].Fingerprint == fails[1].Fingerprint {
		t.Errorf("want two GCP-ACC-001 failures on %s with distinct fingerprints, got %+v", b, fails)
	}
}

// TestHistoryOrderByTime: window starts are compared as times, not as text.
// A deletion at 10:00:01.5Z follows a state at 10:00:01Z (as text "1Z"
// sorts after "1.5Z"), and 12:00+02:00 is 10:00Z, before 11:00Z.
func TestHistoryOrderByTime(t *testing.T) {
	const b = "//storage.googleapis.com/acme-when"
	asset := `"asset":{"name":"` + b + `","assetType":"storage.googleapis.com/Bucket","resource":{"data":{"name":"acme-when"}}}`
	gone := `"deleted":true,"asset":{"name":"` + b + `","assetType":"storage.googleapis.com/Bucket"}`
	for _, tc := range []struct {
		name, lines string
		present     bool
	}{
		{"fraction", `{"window":{"startTime":"2026-02-01T10:00:01Z"},` + asset + "}\n" +
			`{"window":{"startTime":"2026-02-01T10:00:01.5Z"},` + gone + "}\n", false},
		{"offset", `{"window":{"startTime":"2026-02-01T11:00:00Z"},` + asset + "}\n" +
			`{"window":{"startTime":"2026-02-01T12:00:00+02:00"},` + gone + "}\n", true},
	} {
		g, err := ReadExport(context.Background(), []byte(tc.lines), "feed.ndjson", "")
		if err != nil {
			t.Fatal(err)
		}
		if got := g.Lookup(b) != nil; got != tc.present {
			t.Errorf("%s: bucket present = %v, want %v (the latest window decides)", tc.name, got, tc.present)
		}
	}
}
