package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpACC005 = &scanner.Check{
	ID:       "GCP-ACC-005",
	Title:    "BigQuery dataset open to the public",
	Severity: scanner.Critical,
	CWE:      732,
	ASVS:     []string{"4.1.3"},
	Measures: []scanner.Measure{scanner.M5},
	Types:    append(iamTypes("google_bigquery_dataset"), "google_bigquery_dataset", "google_bigquery_dataset_access"),
	Why: "BigQuery datasets are where mail metadata, Drive activity and analytics on " +
		"users' data are collected. An access entry or IAM grant for allUsers or " +
		"allAuthenticatedUsers lets anyone query every table in the dataset, and because " +
		"BigQuery bills the querying project, nothing in your own project shows the reads.",
	Remediation: "Remove special_group / iam_member entries for allAuthenticatedUsers or " +
		"allUsers from the dataset's access blocks, google_bigquery_dataset_access and " +
		"google_bigquery_dataset_iam_* resources; grant roles to named groups or service " +
		"accounts instead.",
	Fix: `resource "google_bigquery_dataset" "mail" {
  dataset_id = "mail_analytics"
  location   = "EU"

  access {
    role          = "OWNER"
    special_group = "projectOwners"
  }
  access {
    role           = "READER"
    group_by_email = "mail-analysts@example.com"
  }
}`,
	Test: testDatasetPublic,
}

func testDatasetPublic(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	switch r.Type {
	case "google_bigquery_dataset":
		var out []scanner.Problem
		if whole := r.Body.Reach("access.*").WholePath; whole != "" {
			out = append(out, scanner.Unknown(whole, "the dataset's access entries are not known before apply"))
		}
		return append(out, datasetAccessProblems(r, "access.*.")...)
	case "google_bigquery_dataset_access":
		return datasetAccessProblems(r, "")
	}
	return publicGrant(g, r, "dataset")
}

// datasetAccessProblems judges the access entries under prefix ("access.*."
// for a dataset's blocks, "" for a dataset access resource): special_group
// or iam_member naming allUsers or allAuthenticatedUsers (memberPrivate: an
// entry of a dynamic whose for_each is not known is public only in some
// outcomes).
func datasetAccessProblems(r *scanner.Resource, prefix string) []scanner.Problem {
	var out []scanner.Problem
	for _, name := range []string{"special_group", "iam_member"} {
		for _, s := range r.Lookup(prefix + name).Slots {
			if s.Whole {
				continue // the entries themselves are not known: said once, above
			}
			switch v, public := memberPrivate(s); v {
			case judge.Unknown:
				out = append(out, scanner.Unknown(s.Path, "the dataset access entry's %s is not known before apply", name))
			case judge.Fail:
				out = append(out, scanner.Fail(s.Path, "gives %s access to the dataset, so anyone can query it", public[0]))
			}
		}
	}
	return out
}
