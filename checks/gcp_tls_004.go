package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
)

var gcpTLS004 = &scanner.Check{
	ID:       "GCP-TLS-004",
	Title:    "Cloud SQL accepts unencrypted connections",
	Severity: scanner.High,
	CWE:      319,
	ASVS:     []string{"9.2.2"},
	Measures: []scanner.Measure{scanner.M2},
	Types:    []string{"google_sql_database_instance"},
	Why: "Unless ssl_mode says otherwise, Cloud SQL accepts plain-text connections " +
		"(ALLOW_UNENCRYPTED_AND_ENCRYPTED). An application, job or person connecting " +
		"without TLS then sends queries, results and database passwords in the clear " +
		"across the network; for a database that stores users' restricted-scope data or " +
		"their OAuth refresh tokens that is exactly the exposure the transport requirement " +
		"forbids.",
	Remediation: "Set settings.ip_configuration.ssl_mode to ENCRYPTED_ONLY, or to " +
		"TRUSTED_CLIENT_CERTIFICATE_REQUIRED to also require client certificates. (The " +
		"legacy require_ssl = true is accepted on older providers.) Connections through " +
		"the Cloud SQL Auth Proxy or connectors are encrypted either way.",
	Fix: `resource "google_sql_database_instance" "db" {
  name             = "mail-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"
    ip_configuration {
      ipv4_enabled = false
      ssl_mode     = "ENCRYPTED_ONLY"
    }
  }
}`,
	Test: testSQLSSLMode,
}

const sqlSSLModePath = "settings.ip_configuration.ssl_mode"

// testSQLSSLMode passes ENCRYPTED_ONLY, TRUSTED_CLIENT_CERTIFICATE_REQUIRED
// or the legacy require_ssl = true; an unset ssl_mode allows unencrypted
// connections.
func testSQLSSLMode(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	requireSSL, reqKnown := boolOrDefault(getAttr(r.Body, "settings.ip_configuration.require_ssl"), false)
	if reqKnown && requireSSL {
		return nil
	}
	mode, known := strOrDefault(getAttr(r.Body, sqlSSLModePath), "")
	switch {
	case known && (strings.EqualFold(mode, "ENCRYPTED_ONLY") || strings.EqualFold(mode, "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")):
		return nil
	case !known:
		return []scanner.Problem{scanner.Unknown(sqlSSLModePath, "whether unencrypted connections are accepted depends on ssl_mode, which is not known before apply")}
	case !reqKnown:
		return []scanner.Problem{scanner.Unknown("settings.ip_configuration.require_ssl", "whether unencrypted connections are accepted depends on require_ssl, which is not known before apply")}
	case mode == "":
		return []scanner.Problem{scanner.Fail(sqlSSLModePath, "has no ssl_mode, so it accepts unencrypted connections (ALLOW_UNENCRYPTED_AND_ENCRYPTED)")}
	}
	return []scanner.Problem{scanner.Fail(sqlSSLModePath, "ssl_mode %s accepts connections that are not encrypted", scanner.Display(r.Get(sqlSSLModePath)))}
}
