package checks

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/casascan/casascan/scanner"
)

var gcpSEC001 = &scanner.Check{
	ID:       "GCP-SEC-001",
	Title:    "Secret written in plain text in configuration",
	Severity: scanner.High,
	CWE:      798,
	ASVS:     []string{"2.10.4"},
	CASA:     []string{"6.7.1"},
	Measures: []scanner.Measure{scanner.M3},
	Types:    secretTypes(),
	Why: "A password, API key, OAuth client secret or refresh token written as a literal " +
		"in Terraform is stored unencrypted in the repository, in every clone and fork, in " +
		"CI logs and in the Terraform state. Anyone who can read the code can then act as " +
		"the application: read users' Gmail or Drive data with a refresh token, or log " +
		"into the database that holds it. The Workspace policy asks that credentials and " +
		"OAuth tokens be encrypted at rest, which a literal in source never is.",
	Remediation: "Keep secrets in Secret Manager and reference them: secret_key_ref / " +
		"value_source.secret_key_ref for Cloud Run, secret_environment_variables for " +
		"Cloud Functions, a sensitive variable or an ephemeral/write-only value for " +
		"secret_data and database passwords. Rotate any credential that was ever committed.",
	Fix: `variable "db_password" {
  type      = string
  sensitive = true
}

resource "google_secret_manager_secret" "oauth_client" {
  secret_id = "oauth-client-secret"
  replication {
    auto {}
  }
}

resource "google_sql_user" "app" {
  name     = "app"
  instance = "mail-db"
  password = var.db_password
}

resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  template {
    containers {
      image = "europe-docker.pkg.dev/acme/api/api:1.0"
      env {
        name = "OAUTH_CLIENT_SECRET"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.oauth_client.secret_id
            version = "latest"
          }
        }
      }
    }
  }
}`,
	Test: testLiteralSecrets,
}

// secretAttrs are attributes that hold a secret whatever their name.
var secretAttrs = map[string][]string{
	"google_secret_manager_secret_version": {"secret_data", "secret_data_wo"},
	"google_sql_user":                      {"password", "password_wo"},
}

// envBlocks are the env { name value } blocks of container workloads.
var envBlocks = map[string][]string{
	"google_cloud_run_service":        {"template.spec.containers.*.env.*"},
	"google_cloud_run_v2_service":     {"template.containers.*.env.*"},
	"google_cloud_run_v2_job":         {"template.template.containers.*.env.*"},
	"google_cloud_run_v2_worker_pool": {"template.containers.*.env.*"},
}

// envMaps are environment-variable maps ({ NAME = "value" }).
var envMaps = map[string][]string{
	"google_cloudfunctions_function":         {"environment_variables", "build_environment_variables"},
	"google_cloudfunctions2_function":        {"service_config.environment_variables", "build_config.environment_variables"},
	"google_app_engine_standard_app_version": {"env_variables"},
	"google_app_engine_flexible_app_version": {"env_variables"},
}

func secretTypes() []string {
	var out []string
	for _, m := range []map[string][]string{secretAttrs, envBlocks, envMaps} {
		for t := range m {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// testLiteralSecrets fails only literals: a value from a variable, a
// reference or a function of those passes, whatever it evaluates to.
// Messages name the attribute or variable, never the value.
func testLiteralSecrets(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	var out []scanner.Problem
	for _, name := range secretAttrs[r.Type] {
		if a := r.Get(name); literalString(a) != "" {
			out = append(out, scanner.Fail(name, "%s is written in plain text %s", name, plainTextWhere(a)))
		}
	}
	for _, pattern := range envBlocks[r.Type] {
		for _, env := range r.Body.Reach(pattern).Blocks {
			if env.Body == nil {
				continue
			}
			value, path := env.Body.Attrs["value"], joinPath(env.Path, "value")
			na := env.Body.Attrs["name"]
			name, _ := na.Str()
			if p, ok := envProblem(name, na != nil && na.Sensitive, value, path); ok {
				out = append(out, p)
			}
		}
	}
	for _, path := range envMaps[r.Type] {
		for _, m := range r.Body.Reach(path).Blocks {
			if m.Body == nil {
				continue
			}
			names := make([]string, 0, len(m.Body.Attrs))
			for n := range m.Body.Attrs {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				if p, ok := envProblem(n, false, m.Body.Attrs[n], m.Path+"."+n); ok {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// envProblem fails a literal environment variable whose name says it holds
// a credential or whose value has the shape of one. The message shows the
// name unless it is sensitive or itself shaped like a credential.
func envProblem(name string, nameSensitive bool, value *scanner.Attr, path string) (scanner.Problem, bool) {
	v := literalString(value)
	if v == "" {
		return scanner.Problem{}, false
	}
	label := "an environment variable"
	if name != "" {
		label = "environment variable " + shownText(name, nameSensitive)
	}
	switch {
	case name != "" && scanner.LooksLikeCredentialName(name) && !plainSetting(v):
		return scanner.Fail(path, "%s is named like a credential and its value is written in plain text %s", label, plainTextWhere(value)), true
	case scanner.LooksLikeSecret(v):
		msg := label + " holds a literal value shaped like a credential (API key, OAuth token or private key)"
		if !value.Literal {
			msg += ", written " + plainTextWhere(value)
		}
		return scanner.Fail(path, "%s", msg), true
	}
	return scanner.Problem{}, false
}

// plainSetting reports whether a value, whatever its variable's name, is a
// setting rather than a credential: a flag or number (ENABLE_TOKEN_REFRESH =
// "true", PASSWORD_MIN_LENGTH = "12"), a file path
// (GOOGLE_APPLICATION_CREDENTIALS = "/var/secrets/key.json"), a URL without a
// password (TOKEN_URI), or a Secret Manager resource name (SECRET_NAME).
// Values shaped like a credential are judged by LooksLikeSecret regardless.
func plainSetting(v string) bool {
	v = strings.TrimSpace(v)
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "on", "off", "enabled", "disabled":
		return true
	}
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return true
	}
	if strings.HasPrefix(v, "/") && !strings.ContainsAny(v, " \t\n") {
		return true
	}
	if strings.HasPrefix(v, "projects/") && strings.Contains(v, "/secrets/") {
		return true
	}
	u, err := url.Parse(v)
	if err == nil && u.Scheme != "" && u.Host != "" {
		_, hasPassword := u.User.Password()
		return !hasPassword
	}
	return false
}

// literalString returns an attribute's value when it is a non-empty string
// written in the configuration, and "" otherwise (see writtenInTree).
func literalString(a *scanner.Attr) string {
	if a == nil || !a.Known() || !(a.Literal || writtenInTree(a)) {
		return ""
	}
	s, _ := a.Str()
	return s
}

// writtenInTree reports whether a value that is not a literal where it is
// used was still written in the scanned tree: every place it came from is a
// variable's declared default, a tfvars file the root module loads, a
// --var-file inside the tree, or a module argument (whose own origins
// follow it), and it refers to no resource. A value given by --var,
// TF_VAR_* or a --var-file outside the tree is an input to the scan, not
// configuration, and so is anything computed or read at apply time.
func writtenInTree(a *scanner.Attr) bool {
	if len(a.Refs) > 0 || len(a.Origins) == 0 {
		return false
	}
	for _, o := range a.Origins {
		switch o.Kind {
		case scanner.OriginVarDefault, scanner.OriginTFVars, scanner.OriginModuleArg, scanner.OriginLiteral:
		case scanner.OriginVarFile:
			if o.Outside {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// plainTextWhere says where a literal secret is written: "in the
// configuration", or, for one that reaches the attribute through variables,
// where those were set ("in var.db_password, its default at variables.tf:3").
// It names places, never the value.
func plainTextWhere(a *scanner.Attr) string {
	if a.Literal {
		return "in the configuration"
	}
	var via []scanner.Origin
	for _, o := range a.Origins {
		if o.Kind != scanner.OriginLiteral {
			via = append(via, o)
		}
	}
	return "in the configuration (" + scanner.ProvenanceText(via) + ")"
}
