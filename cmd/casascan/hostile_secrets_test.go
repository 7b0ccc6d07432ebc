package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/report"
)

// Secrets planted in the generated trees of the hostile secret tests.
const (
	hsDefaultKey = "sens-default-key-1a2b3c"                 // a sensitive variable's default, used as for_each keys
	hsCLIKey     = "sens-cli-key-4d5e6f"                     // a sensitive variable given by --var, used as module for_each keys
	hsArgument   = "sens-func-arg-7a8b9c"                    // a sensitive variable passed to functions that fail
	hsMember     = "sens-kms-member-0d1e"                    // GCP-KMS-005's member, from a sensitive variable
	hsProject    = "sens-kms-project-2f3a"                   // GCP-KMS-005's project, from a sensitive variable
	hsGitToken   = "x-token-auth:" + hsAPIKey                // credentials in an unfetched module's source
	hsAPIKey     = "AIzaSyHOSTILE-casascan-tst-key-01234567" // key-shaped literal (for_each key, env name, argument)
	hsTFVar      = "sens-tfvar-key-5b6c7d"                   // TF_VAR_ value used as for_each keys
)

var hsSecrets = []string{hsDefaultKey, hsCLIKey, hsArgument, hsMember, hsProject, hsGitToken, hsAPIKey, hsTFVar}

// hostileSecretsTree exercises every path by which a secret used to reach
// an address, a message or a diagnostic. The comment after each block says
// which line the test expects a diagnostic or finding at.
var hostileSecretsTree = map[string]hostileFile{
	"variables.tf": {Data: `variable "keys" {
  type      = set(string)
  sensitive = true
  default   = ["` + hsDefaultKey + `"]
}
variable "cli_keys" {
  type      = set(string)
  sensitive = true
}
variable "arg" {
  type      = string
  sensitive = true
  default   = "` + hsArgument + `"
}
variable "member" {
  type      = string
  sensitive = true
  default   = "user:` + hsMember + `@example.com"
}
variable "project" {
  type      = string
  sensitive = true
  default   = "` + hsProject + `"
}
variable "from_env" {
  type    = string
  default = "not-given"
}
`},
	"main.tf": {Data: `resource "google_storage_bucket" "by_default" {
  for_each = var.keys
  name     = each.key
  location = "EU"
}

module "by_cli" {
  source   = "./mod"
  for_each = var.cli_keys
  name     = each.key
}

resource "google_storage_bucket_iam_member" "keyed" {
  for_each = { "` + hsAPIKey + `" = "allUsers" }
  bucket   = "b"
  role     = "roles/storage.objectViewer"
  member   = each.value
}

resource "google_pubsub_topic" "f" {
  name = join("-", [
    parseint(var.arg, 10),
    tonumber(var.arg),
    tobool(var.arg),
    lookup({ a = 1 }, var.arg),
    timeadd("2020-01-01T00:00:00Z", var.arg),
    file(var.arg),
    templatefile(var.arg, {}),
    pathexpand("~/${var.arg}"),
    parseint("` + hsAPIKey + `", 10),
  ])
}

resource "google_project_iam_member" "admin" {
  project = var.project
  role    = "roles/cloudkms.admin"
  member  = var.member
}

resource "google_project_iam_member" "user" {
  project = var.project
  role    = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member  = var.member
}

module "remote" {
  source = "git::https://` + hsGitToken + `@git.example.com/infra.git"
}

resource "google_cloudfunctions2_function" "fn" {
  name     = "fn"
  location = "us-central1"
  service_config {
    environment_variables = {
      "` + hsAPIKey + `" = "` + hsAPIKey + `"
    }
  }
}

resource "google_storage_bucket" "from_env" {
  for_each = toset([var.from_env])
  name     = each.key
  location = "EU"
}
`},
	"mod/main.tf": {Data: `variable "name" {}
resource "google_pubsub_topic" "t" {
  name = var.name
}
`},
}

// TestHostileSecretsNeverShown scans a tree that uses sensitive values as
// for_each keys, passes them to failing functions, grants KMS roles to a
// sensitive member, calls a module through a URL with credentials, and
// uses a key-shaped literal as a map key and an environment variable name:
// no format, no stderr line and no baseline shows any of them, and every
// diagnostic and finding is still there, at its file and line.
func TestHostileSecretsNeverShown(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, hostileSecretsTree)
	lim := hostileLimits{Time: 20 * time.Second}
	args := []string{"scan", ".", "--var", `cli_keys=["` + hsCLIKey + `"]`}
	results := runHostileFormats(t, tree, lim, args...)
	for format, res := range results {
		assertExit(t, res, exitFindings)
		for _, s := range hsSecrets {
			assertNotShown(t, res, s)
		}
		assertNotShown(t, res, "x-token-auth")
		if format == "json" {
			for _, want := range []string{
				`"google_storage_bucket.by_default"`,
				`"module.by_cli.google_pubsub_topic.t"`,
				`google_storage_bucket_iam_member.keyed[\"` + scanner.RedactedKey(hsAPIKey) + `\"]`,
				`"GCP-KMS-005"`, `project (redacted)`,
				`(redacted) holds both roles/cloudkms.admin`,
				`environment variable (redacted) holds a literal value shaped like a credential`,
			} {
				if !strings.Contains(res.Output, want) {
					t.Errorf("the JSON report lacks %s:\n%s", want, clip(res.Output))
				}
			}
		}
	}
	res := results["text"]
	assertStderr(t, res,
		"main.tf:2:14: error: Invalid for_each argument: the for_each of google_storage_bucket.by_default is sensitive",
		"main.tf:9:14: error: Invalid for_each argument: the for_each of module.by_cli is sensitive",
		"main.tf:22:", "main.tf:23:", "main.tf:24:", "main.tf:25:", "main.tf:26:", "main.tf:27:", "main.tf:28:", "main.tf:30:",
		"main.tf:21:10: warning: home directory path not expanded; the path is sensitive and not shown",
		"the error is not shown, since an argument is sensitive",
		"main.tf:46:1: warning: module \"remote\" (git::https://***@git.example.com/infra.git) is not fetched",
	)

	// The baseline records the failures under the same redacted addresses.
	baseline := filepath.Join(t.TempDir(), "baseline.json")
	bres := runHostile(t, tree, lim, append(args, "--write-baseline", baseline)...)
	data, err := os.ReadFile(baseline)
	if err != nil {
		t.Fatalf("baseline not written: %v; stderr:\n%s", err, bres.Stderr)
	}
	bres.Output = string(data)
	for _, s := range hsSecrets {
		assertNotShown(t, bres, s)
	}
	if !strings.Contains(bres.Output, "GCP-KMS-005") {
		t.Errorf("the baseline does not record the GCP-KMS-005 failure:\n%s", clip(bres.Output))
	}
}

// TestHostileSecretsFromEnvironment: a TF_VAR_ value is sensitive; used as
// for_each keys it is refused like a sensitive variable, in every format
// and in a baseline. (The child-process harness runs with a fixed
// environment, so this case runs in-process.)
func TestHostileSecretsFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, hostileSecretsTree)
	env := []string{"TF_VAR_from_env=" + hsTFVar}
	for _, format := range report.Formats() {
		c, stdout, stderr := newTestCLI(dir, env, testNow)
		base := filepath.Join(t.TempDir(), "b.json")
		code := c.run(context.Background(), []string{"scan", dir, "--format", format,
			"--var", `cli_keys=["` + hsCLIKey + `"]`, "--write-baseline", base})
		if code != exitOK {
			t.Errorf("%s: exit code %d, want 0 (the failures go to the baseline); stderr:\n%s", format, code, stderr)
		}
		data, _ := os.ReadFile(base)
		all := stdout.String() + stderr.String() + string(data)
		for _, s := range hsSecrets {
			if strings.Contains(all, s) {
				t.Errorf("%s: %q is shown:\n%s", format, s, clip(all))
			}
		}
		if !strings.Contains(stderr.String(), "main.tf:61:14: error: Invalid for_each argument: the for_each of google_storage_bucket.from_env is sensitive") {
			t.Errorf("%s: no error at the for_each of from_env:\n%s", format, clip(stderr.String()))
		}
	}
}

// hostileInjectionTree names files, file() paths and module sources with
// line breaks, workflow commands, escape sequences and NUL bytes.
var hostileInjectionTree = map[string]hostileFile{
	"main.tf": {Data: `resource "google_pubsub_topic" "t" {
  name = file("x\n::error title=owned::file-path\u001b[2J\u0000")
}

module "m" {
  source = "./nowhere\n::error title=owned::module-source\u001b]0;title\u0007"
}
`},
	"bad\n::error title=owned::file-name\x1b[31m.tf": {Data: "resource \"google_pubsub_topic\" {\n"},
	"a##[error]legacy.tf":                            {Data: "resource \"x\" {\n"},
	"::error title=owned::leading.tf":                {Data: "resource \"x\" {\n"},
}

// TestHostileInjectionNeutralised: nothing from the tree starts a line of
// stderr with a workflow command, and no control byte reaches the output
// in the text format; the diagnostics are still there, escaped, at their
// file and line.
func TestHostileInjectionNeutralised(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, hostileInjectionTree)
	lim := hostileLimits{Time: 20 * time.Second}
	for format, res := range runHostileFormats(t, tree, lim, "scan", ".") {
		for _, out := range []struct{ name, text string }{{"stderr", res.Stderr}, {"report", res.Output}} {
			for _, line := range strings.Split(out.text, "\n") {
				// JSON and SARIF are data: their strings keep file names
				// exactly, and no line of theirs starts with one.
				legacy := strings.Contains(line, "##[") && (out.name == "stderr" || format == "text" || format == "markdown")
				if strings.HasPrefix(strings.TrimLeft(line, " \t"), "::") || legacy {
					t.Errorf("%s %s: a line is a workflow command: %q", format, out.name, line)
				}
			}
		}
		if strings.ContainsAny(res.Stderr, "\x1b\x00\x07\r") {
			t.Errorf("%s: a control byte reaches stderr: %q", format, clip(res.Stderr))
		}
		if format == "text" || format == "markdown" || format == "csv" {
			if strings.ContainsAny(res.Output, "\x1b\x00\x07\r") {
				t.Errorf("%s: a control byte reaches the report: %q", format, clip(res.Output))
			}
		}
		assertStderr(t, res,
			`main.tf:2:`, `x\n::error title=owned::file-path\x1b[2J\x00`,
			`main.tf:5:`, `nowhere\n::error title=owned::module-source\x1b]0;title\x07`,
			`bad\n::error title=owned::file-name\x1b[31m.tf:1:`,
			`a#\x23[error]legacy.tf:1:`,
			`\x3a:error title=owned::leading.tf:1:`,
		)
	}
}
