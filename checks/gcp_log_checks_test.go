package checks

import "testing"

func TestLOG001StatementLogging(t *testing.T) {
	sqlOn := func(version string, flags ...[2]string) string {
		s := `resource "google_sql_database_instance" "db" {
  database_version = ` + version + `
  settings {
`
		for _, f := range flags {
			s += "    database_flags {\n      name  = " + f[0] + "\n      value = " + f[1] + "\n    }\n"
		}
		return s + "  }\n}"
	}
	sql := func(flags ...[2]string) string { return sqlOn(`"POSTGRES_16"`, flags...) }
	const db = "google_sql_database_instance.db "
	runTF(t, gcpLOG001, []tfCase{
		{"safe flags", sql([2]string{`"log_statement"`, `"ddl"`}, [2]string{`"log_min_duration_statement"`, `"-1"`}, [2]string{`"max_connections"`, `"100"`}), nil},
		{"log all and mod", sql([2]string{`"log_statement"`, `"all"`}, [2]string{`"log_connections"`, `"on"`}, [2]string{`"log_statement"`, `"mod"`}),
			[]string{db + "settings.database_flags.0.value FAIL", db + "settings.database_flags.2.value FAIL"}},
		{"min duration", sql([2]string{`"log_min_duration_statement"`, `"0"`}), []string{db + "settings.database_flags.0.value FAIL"}},
		{"pgaudit parameters", sql([2]string{`"pgaudit.log_parameter"`, `"on"`}), []string{db + "settings.database_flags.0.value FAIL"}},
		{"pgaudit parameters off", sql([2]string{`"pgaudit.log_parameter"`, `"off"`}), nil},
		{"mysql general log", sqlOn(`"MYSQL_8_0"`, [2]string{`"general_log"`, `"ON"`}), []string{db + "settings.database_flags.0.value FAIL"}},
		{"general log on postgres", sql([2]string{`"general_log"`, `"on"`}), nil},
		{"postgres flags on mysql", sqlOn(`"MYSQL_8_0"`, [2]string{`"log_statement"`, `"all"`}, [2]string{`"pgaudit.log_parameter"`, `"on"`}), nil},
		{"engine unknown", sqlOn(`var.version`, [2]string{`"log_statement"`, `"all"`}) + `
variable "version" {}`, []string{db + "database_version UNKNOWN"}},
		{"engine unknown, flag harmless", sqlOn(`var.version`, [2]string{`"log_statement"`, `"ddl"`}) + `
variable "version" {}`, nil},
		{"engine not set", sqlOn(`null`, [2]string{`"general_log"`, `"on"`}), []string{db + "database_version UNKNOWN"}},
		{"no flags", `resource "google_sql_database_instance" "db" { name = "db" }`, nil},
		{"unknown value", sql([2]string{`"log_statement"`, `var.level`}) + `
variable "level" {}`, []string{db + "settings.database_flags.0.value UNKNOWN"}},
		{"unknown name", sql([2]string{`var.flag`, `"all"`}) + `
variable "flag" {}`, []string{db + "settings.database_flags.0.name UNKNOWN"}},
	})
}
