package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpTLS006 = &scanner.Check{
	ID:       "GCP-TLS-006",
	Title:    "Cloud Function accepts plain HTTP",
	Severity: scanner.High,
	CWE:      319,
	ASVS:     []string{"9.1.1"},
	Measures: []scanner.Measure{scanner.M2},
	Types:    []string{"google_cloudfunctions_function"},
	Why: "A 1st-gen HTTP Cloud Function created through the API answers plain http:// " +
		"requests unless https_trigger_security_level is SECURE_ALWAYS (the API default " +
		"is SECURE_OPTIONAL). Callers that follow an http:// link or a misconfigured " +
		"webhook then send bearer tokens and users' data unencrypted, and the response " +
		"comes back the same way.",
	Remediation: "Set https_trigger_security_level = \"SECURE_ALWAYS\" on every function " +
		"with trigger_http = true, so plain-HTTP requests are redirected to HTTPS.",
	Fix: `resource "google_cloudfunctions_function" "api" {
  name                         = "mail-webhook"
  runtime                      = "go122"
  entry_point                  = "Handle"
  source_archive_bucket        = "acme-functions-src"
  source_archive_object        = "mail-webhook.zip"
  trigger_http                 = true
  https_trigger_security_level = "SECURE_ALWAYS"
}`,
	Test: testFunctionHTTPS,
}

func testFunctionHTTPS(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	const path = "https_trigger_security_level"
	httpTrigger := r.Slot("trigger_http").BoolIs(true)
	level := r.Slot(path)
	secure := level.StrIn("SECURE_ALWAYS")
	switch {
	case httpTrigger == judge.Fail || secure == judge.Pass:
		return nil
	case secure == judge.Unknown:
		return []scanner.Problem{scanner.Unknown(path, "https_trigger_security_level is not known before apply")}
	case httpTrigger == judge.Unknown:
		return []scanner.Problem{scanner.Unknown("trigger_http", "whether the function is HTTP-triggered is not known before apply")}
	}
	return []scanner.Problem{scanner.Fail(path, "HTTP-triggered function has https_trigger_security_level %s, so it answers plain http:// requests",
		level.Show())}
}
