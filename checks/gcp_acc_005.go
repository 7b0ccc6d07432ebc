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
		entries := r.Body.Reach("access.*")
		if entries.WholePath != "" {
			out = append(out, scanner.Unknown(entries.WholePath, "the dataset's access entries are not known before apply"))
		}
		for _, acc := range entries.Blocks {
			if acc.Body != nil {
				out = append(out, datasetAccessProblems(acc)...)
			}
		}
		return out
	case "google_bigquery_dataset_access":
		return datasetAccessProblems(scanner.BlockSlot{Body: r.Body})
	}
	return publicGrant(g, r, "dataset")
}

// datasetAccessProblems judges one access entry: special_group or iam_member
// naming allUsers or allAuthenticatedUsers (memberPrivate: an entry of a
// dynamic whose for_each is not known is public only in some outcomes).
func datasetAccessProblems(acc scanner.BlockSlot) []scanner.Problem {
	var out []scanner.Problem
	for _, name := range []string{"special_group", "iam_member"} {
		path := joinPath(acc.Path, name)
		s := scanner.Slot{Path: path, Attr: acc.Body.Attrs[name], Block: acc.Body, Unexpanded: acc.Unexpanded, MaybeMissing: acc.MaybeMissing}
		switch v, public := memberPrivate(s); v {
		case judge.Unknown:
			out = append(out, scanner.Unknown(path, "the dataset access entry's %s is not known before apply", name))
		case judge.Fail:
			out = append(out, scanner.Fail(path, "gives %s access to the dataset, so anyone can query it", public[0]))
		}
	}
	return out
}
