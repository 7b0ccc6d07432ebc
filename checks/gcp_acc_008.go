package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
)

// dataStoreIAM names the protected thing of each parent type of GCP-ACC-008
// for its messages.
var dataStoreIAM = []struct{ parent, what string }{
	{"google_bigquery_table", "BigQuery table"},
	{"google_spanner_instance", "Spanner instance"},
	{"google_spanner_database", "Spanner database"},
	{"google_bigtable_instance", "Bigtable instance"},
	{"google_bigtable_table", "Bigtable table"},
	{"google_artifact_registry_repository", "Artifact Registry repository"},
	{"google_dataproc_cluster", "Dataproc cluster"},
}

var gcpACC008 = &scanner.Check{
	ID:       "GCP-ACC-008",
	Title:    "Data store open to the public",
	Severity: scanner.Critical,
	CWE:      732,
	ASVS:     []string{"4.1.3"},
	Measures: []scanner.Measure{scanner.M5},
	Types: func() []string {
		var out []string
		for _, d := range dataStoreIAM {
			out = append(out, iamTypes(d.parent)...)
		}
		return out
	}(),
	Why: "BigQuery tables, Spanner and Bigtable databases hold users' data directly; " +
		"Artifact Registry repositories hold the images that run against it, with their " +
		"baked-in configuration; Dataproc clusters process it. A role granted to allUsers " +
		"or allAuthenticatedUsers lets anyone on the internet, or anyone with a Google " +
		"account, use that role on the resource, bypassing every control the app puts in " +
		"front of the data.",
	Remediation: "Remove allUsers and allAuthenticatedUsers from the resource's " +
		"google_*_iam_member, _iam_binding and _iam_policy resources (and from the " +
		"google_iam_policy documents they use); grant roles to named groups and service " +
		"accounts instead. Enforce the iam.allowedPolicyMemberDomains organization policy.",
	Fix: `resource "google_spanner_instance" "mail" {
  name         = "mail"
  config       = "regional-europe-west1"
  display_name = "mail"
  num_nodes    = 1
}

resource "google_spanner_instance_iam_member" "api" {
  instance = google_spanner_instance.mail.name
  role     = "roles/spanner.databaseReader"
  member   = "serviceAccount:mail-api@acme-prod.iam.gserviceaccount.com"
}`,
	Test: func(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		what := "data store"
		for _, d := range dataStoreIAM {
			if strings.HasPrefix(r.Type, d.parent+"_iam_") {
				what = d.what
			}
		}
		return publicGrant(g, r, what)
	},
}
