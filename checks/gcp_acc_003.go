package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpACC003 = &scanner.Check{
	ID:       "GCP-ACC-003",
	Title:    "Bucket without uniform bucket-level access",
	Severity: scanner.Medium,
	CWE:      732,
	ASVS:     []string{"4.1.3"},
	Measures: []scanner.Measure{scanner.M5},
	Types:    []string{"google_storage_bucket"},
	Why: "Without uniform bucket-level access (the default is off) every object carries " +
		"its own ACL, set by whoever uploaded it. Access to users' data is then decided " +
		"object by object, invisible to IAM reviews and audit tooling, and a single " +
		"object ACL can expose a file the bucket's IAM policy would never allow.",
	Remediation: "Set uniform_bucket_level_access = true so only bucket-level IAM decides " +
		"access, and grant roles with IAM (conditions where finer control is needed).",
	Fix: `resource "google_storage_bucket" "mail" {
  name                        = "acme-mail-exports"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}`,
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		const path = "uniform_bucket_level_access"
		ubla := r.Slot(path)
		switch ubla.BoolIs(true) {
		case judge.Unknown:
			return []scanner.Problem{scanner.Unknown(path, "uniform_bucket_level_access is not known before apply")}
		case judge.Pass:
			return nil
		}
		return []scanner.Problem{scanner.Fail(path, "uniform_bucket_level_access is %s, so object ACLs decide access", ubla.Show())}
	},
}
