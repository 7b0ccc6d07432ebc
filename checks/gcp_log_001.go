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

// loggingFlag is a database flag that logs statement data on one engine:
// fails says which of its values do.
type loggingFlag struct {
	engine string // the database_version prefix of the engine that has it
	fails  func(string) bool
}

// loggingFlags maps each database flag that logs statement data to its
// engine and the test its value fails. A flag is judged only on its own
// engine: a PostgreSQL flag on a MySQL instance is not this check's business.
var loggingFlags = map[string]loggingFlag{
	"log_statement":              {"POSTGRES", func(v string) bool { return v == "all" || v == "mod" }},
	"log_min_duration_statement": {"POSTGRES", func(v string) bool { return v != "-1" }},
	"pgaudit.log_parameter":      {"POSTGRES", flagOn},
	"general_log":                {"MYSQL", flagOn},
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
	version := r.Slot("database_version")
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
		flag, ok := loggingFlags[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			continue
		}
		valuePath := strings.TrimSuffix(f.Path, "name") + "value"
		value := f.Block.Lookup("value").Slots[0]
		logs := value.StrIs(func(v string) bool { return flag.fails(strings.ToLower(strings.TrimSpace(v))) })
		if logs == judge.Fail {
			continue
		}
		engine := version.StrIs(func(v string) bool { return strings.HasPrefix(strings.ToUpper(strings.TrimSpace(v)), flag.engine+"_") })
		switch {
		case engine == judge.Fail && version.Known() && !version.Attr.Null():
			continue // another engine's flag
		case engine != judge.Pass:
			out = append(out, scanner.Unknown("database_version",
				"database flag %s logs statement data on %s, and the instance's engine is not known (database_version %s)", name, engineName(flag.engine), version.Show()))
		case logs == judge.Unknown:
			out = append(out, scanner.Unknown(valuePath, "the value of database flag %s is not known before apply", name))
		default:
			out = append(out, scanner.Fail(valuePath, "database flag %s = %s writes SQL statements and their data to the logs", name, scanner.Display(value.Attr)))
		}
	}
	return out
}

// engineName names an engine by its database_version prefix.
func engineName(prefix string) string {
	if prefix == "POSTGRES" {
		return "PostgreSQL"
	}
	return "MySQL"
}
