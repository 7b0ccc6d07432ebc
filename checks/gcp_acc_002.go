package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpACC002 = &scanner.Check{
	ID:       "GCP-ACC-002",
	Title:    "Bucket without public access prevention",
	Severity: scanner.Low,
	CWE:      732,
	ASVS:     []string{"4.1.3"},
	Measures: []scanner.Measure{scanner.M5},
	Types:    []string{"google_storage_bucket"},
	Why: "Public access prevention is the guard rail that makes a bucket refuse any " +
		"grant to allUsers or allAuthenticatedUsers, whatever IAM binding or ACL someone " +
		"adds later by hand, by script or by a mistaken module. Without it (the default is " +
		"\"inherited\", which is open unless an organization policy enforces it) one bad " +
		"change exposes users' data to the internet.",
	Remediation: "Set public_access_prevention = \"enforced\" on every bucket that holds " +
		"user data, and the storage.publicAccessPrevention organization policy where you can.",
	Fix: `resource "google_storage_bucket" "mail" {
  name                        = "acme-mail-exports"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}`,
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		const path = "public_access_prevention"
		pap := r.Slot(path)
		switch pap.StrIn("enforced") {
		case judge.Unknown:
			return []scanner.Problem{scanner.Unknown(path, "public_access_prevention is not known before apply")}
		case judge.Pass:
			return nil
		}
		return []scanner.Problem{scanner.Fail(path, "public_access_prevention is %s, not enforced", pap.Show())}
	},
}
