package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpDEL001 = &scanner.Check{
	ID:       "GCP-DEL-001",
	Title:    "Bucket retention is locked",
	Severity: scanner.Medium,
	CWE:      212,
	ASVS:     []string{"8.3.2"},
	Measures: []scanner.Measure{scanner.M6},
	Types:    []string{"google_storage_bucket"},
	Why: "A locked retention policy cannot be shortened or removed, by anyone, until " +
		"every object has reached its retention period; objects cannot be deleted before " +
		"then. When a user revokes access or asks for their Workspace data to be deleted, " +
		"copies in such a bucket stay for months or years, and the app cannot honour the " +
		"request as the user-data policy requires.",
	Remediation: "Do not lock retention on buckets that hold users' data: leave " +
		"is_locked false (and keep the retention period no longer than needed), or keep " +
		"legally required records in a separate bucket that holds no Workspace user data.",
	Fix: `resource "google_storage_bucket" "mail" {
  name                        = "acme-mail-exports"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  retention_policy {
    retention_period = 86400
    is_locked        = false
  }
}`,
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		const path = "retention_policy.is_locked"
		s := r.Slot(path)
		switch s.BoolIs(true) {
		case judge.Unknown:
			if why, ok := blockMayNotExist(s); ok {
				return []scanner.Problem{scanner.Unknown(path, "is_locked is %s, but %s", scanner.Display(s.Attr), why)}
			}
			return []scanner.Problem{scanner.Unknown(path, "whether the retention policy is locked is not known before apply")}
		case judge.Pass:
			return []scanner.Problem{scanner.Fail(path, "retention policy is locked: no object can be deleted before its retention period ends, even when a user asks")}
		}
		return nil
	},
}
