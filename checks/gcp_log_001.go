package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpLOG001 = &scanner.Check{
	ID:       "GCP-LOG-001",
	Title:    "Database logs statements with their data",
	Severity: scanner.Medium,
	CWE:      532,
	ASVS:     []string{"7.1.1"},
	CASA:     []string{"6.5.1"},
	Measures: []scanner.Measure{scanner.M7},
	Types:    []string{"google_sql_database_instance"},
	Why: "Statement logging copies SQL text, literal values and bind parameters into " +
		"Cloud Logging: email subjects and bodies, addresses, file names, OAuth tokens " +
		"stored by the app. Logs are kept for weeks, exported to sinks, and readable by far " +
		"more people than the database, so users' restricted-scope data ends up where the " +
		"policy says nothing sensitive may be written.",
	Remediation: "On PostgreSQL leave log_statement at none or ddl, log_min_duration_statement " +
		"at -1 and pgaudit.log_parameter off; on MySQL leave general_log off. Use Query " +
		"Insights or pgaudit without parameters to see what runs, not with what data.",
	Fix: `resource "google_sql_database_instance" "db" {
  name             = "mail-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"
    ip_configuration {
      ssl_mode = "ENCRYPTED_ONLY"
    }
    database_flags {
      name  = "log_statement"
      value = "ddl"
    }
    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }
  }
}`,
	Test: testStatementLogging,
}

// loggingFlags maps each database flag that logs statement data to the test
// its value fails.
var loggingFlags = map[string]func(string) bool{
	"log_statement":              func(v string) bool { return v == "all" || v == "mod" },
	"log_min_duration_statement": func(v string) bool { return v != "-1" },
	"pgaudit.log_parameter":      flagOn,
	"general_log":                flagOn,
}

func flagOn(v string) bool {
	switch v {
	case "on", "true", "1", "yes":
		return true
	}
	return false
}

func testStatementLogging(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	var out []scanner.Problem
	for _, f := range r.Lookup("settings.database_flags.*.name").Slots {
		if f.Whole {
			out = append(out, scanner.Unknown(f.Path, "the database flags are not known before apply"))
			continue
		}
		nameValue := f.Value()
		if !nameValue.IsWhollyKnown() {
			out = append(out, scanner.Unknown(f.Path, "a database flag's name is not known before apply"))
			continue
		}
		name, _ := scanner.ValueString(nameValue)
		fails := loggingFlags[strings.ToLower(strings.TrimSpace(name))]
		if fails == nil {
			continue
		}
		valuePath := strings.TrimSuffix(f.Path, "name") + "value"
		value := f.Block.Lookup("value").Slots[0]
		switch value.StrIs(func(v string) bool { return fails(strings.ToLower(strings.TrimSpace(v))) }) {
		case judge.Unknown:
			out = append(out, scanner.Unknown(valuePath, "the value of database flag %s is not known before apply", name))
		case judge.Pass:
			out = append(out, scanner.Fail(valuePath, "database flag %s = %s writes SQL statements and their data to the logs", name, scanner.Display(value.Attr)))
		}
	}
	return out
}
