package checks

import "testing"

func TestLOG001StatementLogging(t *testing.T) {
	sql := func(flags ...[2]string) string {
		s := `resource "google_sql_database_instance" "db" {
  settings {
`
		for _, f := range flags {
			s += "    database_flags {\n      name  = " + f[0] + "\n      value = " + f[1] + "\n    }\n"
		}
		return s + "  }\n}"
	}
	const db = "google_sql_database_instance.db "
	runTF(t, gcpLOG001, []tfCase{
		{"safe flags", sql([2]string{`"log_statement"`, `"ddl"`}, [2]string{`"log_min_duration_statement"`, `"-1"`}, [2]string{`"max_connections"`, `"100"`}), nil},
		{"log all and mod", sql([2]string{`"log_statement"`, `"all"`}, [2]string{`"log_connections"`, `"on"`}, [2]string{`"log_statement"`, `"mod"`}),
			[]string{db + "settings.database_flags.0.value FAIL", db + "settings.database_flags.2.value FAIL"}},
		{"min duration", sql([2]string{`"log_min_duration_statement"`, `"0"`}), []string{db + "settings.database_flags.0.value FAIL"}},
		{"pgaudit parameters", sql([2]string{`"pgaudit.log_parameter"`, `"on"`}), []string{db + "settings.database_flags.0.value FAIL"}},
		{"pgaudit parameters off", sql([2]string{`"pgaudit.log_parameter"`, `"off"`}), nil},
		{"mysql general log", sql([2]string{`"general_log"`, `"ON"`}), []string{db + "settings.database_flags.0.value FAIL"}},
		{"no flags", `resource "google_sql_database_instance" "db" { name = "db" }`, nil},
		{"unknown value", sql([2]string{`"log_statement"`, `var.level`}) + `
variable "level" {}`, []string{db + "settings.database_flags.0.value UNKNOWN"}},
		{"unknown name", sql([2]string{`var.flag`, `"all"`}) + `
variable "flag" {}`, []string{db + "settings.database_flags.0.name UNKNOWN"}},
	})
}
