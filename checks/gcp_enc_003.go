package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpENC003 = scanner.Check{
	ID:       "GCP-ENC-003",
	Title:    "BigQuery data without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    []string{"google_bigquery_dataset", "google_bigquery_table"},
	Why: `Analytics copies of restricted-scope data (message metadata, document indexes, usage events ` +
		`keyed by user) tend to land in BigQuery, where they are queried widely and kept long. Without ` +
		`a customer-managed key, datasets and tables are encrypted only with Google-managed keys, so ` +
		`access to the data cannot be cut off or audited at the key. A dataset without a default key ` +
		`lets every new table in it be created without CMEK. A table without a key of its own ` +
		`inherits its dataset's default key, so it passes when its dataset has one.`,
	Remediation: `Set default_encryption_configuration.kms_key_name on each dataset, and ` +
		`encryption_configuration.kms_key_name on each google_bigquery_table, to a Cloud KMS key in ` +
		`the dataset's location. Grant the BigQuery service agent ` +
		`(bq-PROJECT_NUMBER@bigquery-encryption.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter on the key.`,
	Fix: fixKey + `
resource "google_bigquery_dataset" "mail_analytics" {
  dataset_id = "mail_analytics"
  location   = "us-central1"

  default_encryption_configuration {
    kms_key_name = google_kms_crypto_key.data.id
  }
}

resource "google_bigquery_table" "messages" {
  dataset_id = google_bigquery_dataset.mail_analytics.dataset_id
  table_id   = "messages"

  encryption_configuration {
    kms_key_name = google_kms_crypto_key.data.id
  }
}
`,
	Test: func(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		if r.Type != "google_bigquery_table" {
			return requireCMEK("GCP-ENC-003")(g, r)
		}
		// A logical view stores no data: its query reads tables that are
		// judged themselves.
		if len(r.Body.BlocksNamed("view")) > 0 {
			return nil
		}
		return tableKey(g, r)
	},
}

const datasetKeyPath = "default_encryption_configuration.kms_key_name"

// tableKey judges a google_bigquery_table: its own
// encryption_configuration.kms_key_name, else the default key of the
// dataset it is in, which it inherits. The dataset is the one dataset_id
// refers to, or, for a literal dataset_id, the dataset of that dataset_id
// and project in the same configuration or export.
func tableKey(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	own := missingKeys(r, "GCP-ENC-003", nil)
	if len(own) == 0 || own[0].Unknown {
		return own
	}
	path := own[0].Path
	sure, maybe := tableDatasets(g, r)
	datasets := sure
	if len(datasets) == 0 {
		datasets = maybe
	}
	inherits := judge.OneOf(datasets, func(d *scanner.Resource) judge.Verdict {
		if d.Mode == scanner.Data {
			return judge.Unknown // read at apply time
		}
		return d.Slot(datasetKeyPath).Required(keySet)
	})
	var p scanner.Problem
	switch {
	case inherits == judge.Pass && len(sure) > 0:
		return nil
	case inherits == judge.Fail && len(sure) > 0:
		p = scanner.Fail(path, "no customer-managed encryption key: %s is not set and its dataset %s has no %s to inherit, so the data is encrypted at rest only with a Google-managed key",
			path, addresses(datasets), datasetKeyPath)
	case len(datasets) == 0:
		p = scanner.Unknown(path, "%s is not set, and dataset %s is not in what was scanned, so whether the table inherits a default key from it cannot be decided",
			path, datasetName(r))
	case len(sure) == 0:
		p = scanner.Unknown(path, "%s is not set; dataset %s may be the table's, but its project is not written on both, so whether the table inherits its default key cannot be decided",
			path, addresses(datasets))
	default:
		p = scanner.Unknown(path, "%s is not set, and whether its dataset %s has a default key (%s) is not known before apply",
			path, addresses(datasets), datasetKeyPath)
	}
	p.Related = datasets
	return []scanner.Problem{p}
}

// tableDatasets finds the dataset a table is in: the ones its dataset_id
// refers to (sure), else the datasets of the same dataset_id whose project
// is the table's (sure) or is written on only one of the two, leaving the
// provider's default project to decide (maybe).
func tableDatasets(g *scanner.Graph, r *scanner.Resource) (sure, maybe []*scanner.Resource) {
	if ds := g.Follow(r, "dataset_id", "google_bigquery_dataset"); len(ds) > 0 {
		return ds, nil
	}
	id, ok := knownString(r.Slot("dataset_id"))
	if !ok || id == "" {
		return nil, nil
	}
	project, projectKnown := knownString(r.Slot("project"))
	for _, d := range g.OfType("google_bigquery_dataset") {
		if did, ok := knownString(d.Slot("dataset_id")); !ok || did != id {
			continue
		}
		dp, dpKnown := knownString(d.Slot("project"))
		switch {
		case !projectKnown || !dpKnown:
			maybe = append(maybe, d)
		case dp == project:
			sure = append(sure, d)
		case dp == "" || project == "":
			maybe = append(maybe, d)
		}
	}
	return sure, maybe
}

// knownString is a slot's string value when it is known ("" when absent).
func knownString(s scanner.Slot) (string, bool) {
	if s.Attr.Null() {
		return "", true
	}
	if !s.Known() {
		return "", false
	}
	return scanner.ValueString(s.Value())
}

// datasetName names the dataset a table's dataset_id names, for a message.
func datasetName(r *scanner.Resource) string {
	if id, ok := knownString(r.Slot("dataset_id")); ok && id != "" {
		return scanner.Display(r.Slot("dataset_id").Attr)
	}
	return "(its dataset_id, not known before apply)"
}
