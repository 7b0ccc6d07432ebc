package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpTLS007 = &scanner.Check{
	ID:       "GCP-TLS-007",
	Title:    "App Engine handler accepts plain HTTP",
	Severity: scanner.Medium,
	CWE:      319,
	ASVS:     []string{"9.1.1"},
	Measures: []scanner.Measure{scanner.M2},
	Types:    []string{"google_app_engine_standard_app_version", "google_app_engine_flexible_app_version"},
	Why: "An App Engine handler whose security_level is not SECURE_ALWAYS (the default, " +
		"SECURE_DEFAULT, behaves like SECURE_OPTIONAL) serves the same URLs over plain " +
		"http://. Pages and API calls that carry users' Workspace data or session cookies " +
		"can then be read and altered in transit.",
	Remediation: "Set security_level = \"SECURE_ALWAYS\" in every handlers block, so " +
		"App Engine redirects plain-HTTP requests to HTTPS.",
	Fix: `resource "google_app_engine_standard_app_version" "web" {
  version_id = "v1"
  service    = "default"
  runtime    = "go122"

  entrypoint {
    shell = "./server"
  }
  deployment {
    zip {
      source_url = "https://storage.googleapis.com/acme-apps-src/app.zip"
    }
  }
  handlers {
    url_regex      = "/.*"
    security_level = "SECURE_ALWAYS"
    script {
      script_path = "auto"
    }
  }
}`,
	Test: testAppEngineHandlers,
}

// testAppEngineHandlers fails every handler whose security_level is not
// SECURE_ALWAYS, and a standard app version with no handlers at all: its
// default handler serves the app over plain HTTP too. A flexible version
// without handlers is routed by the app itself and not judged here.
func testAppEngineHandlers(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	var out []scanner.Problem
	slots := r.Lookup("handlers.*.security_level")
	mayBeNone := true // every handler may not exist (dynamic, for_each not known)
	for _, h := range slots.Slots {
		if h.Whole {
			out = append(out, scanner.Unknown(h.Path, "the handlers are not known before apply"))
			mayBeNone = false
			continue
		}
		if !h.Unexpanded && !h.MaybeMissing {
			mayBeNone = false
		}
		switch h.StrIn("SECURE_ALWAYS") {
		case judge.Unknown:
			out = append(out, scanner.Unknown(h.Path, "the handler's security_level is not known before apply"))
		case judge.Fail:
			out = append(out, scanner.Fail(h.Path, "handler has security_level %s, so it answers plain http:// requests", h.Show()))
		}
	}
	if r.Type != "google_app_engine_standard_app_version" || !mayBeNone || len(out) > 0 {
		return out
	}
	if len(slots.Slots) == 0 && !slots.Open {
		return []scanner.Problem{scanner.Fail("handlers",
			"has no handlers block, so the default handler serves the app over plain http:// as well as HTTPS")}
	}
	return []scanner.Problem{scanner.Unknown("handlers",
		"the handlers come from a dynamic block whose for_each is not known before apply; with none, the default handler serves plain http://")}
}
