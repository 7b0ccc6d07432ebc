package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
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
	require := r.Slot("settings.ip_configuration.require_ssl")
	mode := r.Slot(sqlSSLModePath)
	modeOK := mode.StrIn("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
	// require_ssl counts only when ssl_mode is absent.
	legacy := mode.IsSet().Not().And(require.BoolIs(true))
	switch modeOK.Or(legacy) {
	case judge.Pass:
		return nil
	case judge.Unknown:
		if modeOK == judge.Unknown && mode.Known() && mode.MaybeMissing {
			return []scanner.Problem{scanner.Unknown(sqlSSLModePath, "ssl_mode is set in an ip_configuration that comes from a dynamic block whose for_each is not known before apply, so it may not exist")}
		}
		if modeOK == judge.Unknown {
			return []scanner.Problem{scanner.Unknown(sqlSSLModePath, "whether unencrypted connections are accepted depends on ssl_mode, which is not known before apply")}
		}
		return []scanner.Problem{scanner.Unknown("settings.ip_configuration.require_ssl", "whether unencrypted connections are accepted depends on require_ssl, which is not known before apply")}
	}
	if mode.IsSet() == judge.Fail {
		return []scanner.Problem{scanner.Fail(sqlSSLModePath, "has no ssl_mode, so it accepts unencrypted connections (ALLOW_UNENCRYPTED_AND_ENCRYPTED)")}
	}
	return []scanner.Problem{scanner.Fail(sqlSSLModePath, "ssl_mode %s accepts connections that are not encrypted", mode.Show())}
}
