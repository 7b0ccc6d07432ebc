package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpTLS005 = &scanner.Check{
	ID:       "GCP-TLS-005",
	Title:    "Memorystore Redis without in-transit encryption",
	Severity: scanner.High,
	CWE:      319,
	ASVS:     []string{"9.2.2"},
	Measures: []scanner.Measure{scanner.M2},
	Types:    []string{"google_redis_instance"},
	Why: "Memorystore for Redis speaks plain text unless transit_encryption_mode is " +
		"SERVER_AUTHENTICATION (the default is DISABLED). Caches commonly hold session " +
		"data, message snippets and OAuth access tokens, and AUTH strings travel with " +
		"every connection; without TLS anything on the VPC path can read or alter them.",
	Remediation: "Set transit_encryption_mode = \"SERVER_AUTHENTICATION\" and connect " +
		"with TLS using the instance's server CA. The mode can only be chosen when the " +
		"instance is created, so plan a migration for existing instances.",
	Fix: fixRedis,
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		const path = "transit_encryption_mode"
		mode := r.Slot(path)
		switch mode.StrIn("SERVER_AUTHENTICATION") {
		case judge.Pass:
			return nil
		case judge.Unknown:
			return []scanner.Problem{scanner.Unknown(path, "transit_encryption_mode is not known before apply")}
		}
		return []scanner.Problem{scanner.Fail(path, "transit_encryption_mode is %s: clients connect without TLS", mode.Show())}
	},
}

// fixRedis is a Memorystore instance that passes both Redis checks: AUTH
// on (GCP-ACC-007) and in-transit encryption (GCP-TLS-005).
const fixRedis = `resource "google_redis_instance" "cache" {
  name                    = "sessions"
  tier                    = "STANDARD_HA"
  memory_size_gb          = 4
  auth_enabled            = true
  transit_encryption_mode = "SERVER_AUTHENTICATION"
}`
