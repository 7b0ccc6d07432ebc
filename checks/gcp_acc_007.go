package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpACC007 = &scanner.Check{
	ID:       "GCP-ACC-007",
	Title:    "Memorystore Redis without AUTH",
	Severity: scanner.Medium,
	CWE:      306,
	ASVS:     []string{"4.1.3"},
	Measures: []scanner.Measure{scanner.M5},
	Types:    []string{"google_redis_instance"},
	Why: "Memorystore for Redis accepts every connection that reaches it unless " +
		"auth_enabled is true (the default is false): any workload on the authorized " +
		"network, or anything that compromises one, can read and overwrite the cache. " +
		"Caches hold sessions, message snippets and OAuth access tokens, so network " +
		"reachability alone then decides who reads users' data.",
	Remediation: "Set auth_enabled = true, give clients the AUTH string " +
		"(the instance's auth_string, kept in Secret Manager rather than in code), and " +
		"enable in-transit encryption so the AUTH string is not sent in clear text.",
	Fix: fixRedis,
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		const path = "auth_enabled"
		auth := r.Slot(path)
		switch auth.BoolIs(true) {
		case judge.Unknown:
			return []scanner.Problem{scanner.Unknown(path, "auth_enabled is not known before apply")}
		case judge.Pass:
			return nil
		}
		return []scanner.Problem{scanner.Fail(path, "auth_enabled is %s: clients connect without AUTH, so anyone who reaches the network can read the cache",
			auth.Show())}
	},
}
