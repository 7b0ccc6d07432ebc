package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casascan/casascan/scanner/scannertest"
)

// The incomplete-scan cases: a clean tree plus one input that cannot be
// judged exits 3, names the input with file:line on stderr, and every
// format lists it; with a FAIL as well the failure code wins; an unfetched
// module alone keeps the scan complete.

var completeLimits = hostileLimits{Time: 20 * time.Second, Memory: 1 << 30} // the address-space limit is this plus 1 GB; less starves the runtime

const sarifSchemaPath = "../../fixtures/sarif/sarif-schema-2.1.0.json"

// cleanBucket passes GCP-ENC-001.
const cleanBucket = `resource "google_storage_bucket" "clean" {
  name     = "clean"
  location = "EU"
  encryption {
    default_kms_key_name = "projects/p/locations/eu/keyRings/r/cryptoKeys/k"
  }
}
`

// noCMEKBucket fails GCP-ENC-001.
const noCMEKBucket = `resource "google_storage_bucket" "plain" {
  name     = "plain"
  location = "EU"
}
`

const exportLine = `{"name":"//storage.googleapis.com/exported","assetType":"storage.googleapis.com/Bucket","resource":{"data":{"name":"exported","encryption":{"defaultKmsKeyName":"projects/p/locations/eu/keyRings/r/cryptoKeys/k"}}}}`

// failingExport is an asset export of a bucket without CMEK.
const failingExport = `{"name":"//storage.googleapis.com/plain","assetType":"storage.googleapis.com/Bucket","resource":{"data":{"name":"plain"}}}` + "\n"

const planHead = `{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{"root_module":{"resources":[
{"address":"google_storage_bucket.planned","mode":"managed","type":"google_storage_bucket","name":"planned","values":{"name":"planned","location":"EU"`

func TestHostileIncomplete(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]hostileFile
		args  []string
		where string // the file:line stderr names
		setup func(t *testing.T, tree string)
	}{
		{name: "syntax error", files: map[string]hostileFile{
			"main.tf":   {Data: cleanBucket},
			"broken.tf": {Data: "locals {\n  x = \n"},
		}, args: []string{"."}, where: "broken.tf:2"},
		{name: "local module missing", files: map[string]hostileFile{
			"main.tf": {Data: cleanBucket + "\nmodule \"gone\" {\n  source = \"./modules/gone\"\n}\n"},
		}, args: []string{"."}, where: "main.tf:9"},
		{name: "dangling symlink", files: map[string]hostileFile{
			"main.tf": {Data: cleanBucket},
			"gone.tf": {Link: "nowhere.tf"},
		}, args: []string{"."}, where: "gone.tf:1"},
		{name: "unreadable file", files: map[string]hostileFile{
			"main.tf":   {Data: cleanBucket},
			"locked.tf": {Data: noCMEKBucket, Mode: 0o200},
		}, args: []string{"."}, where: "locked.tf:1"},
		{name: "unreadable var file", files: map[string]hostileFile{
			"main.tf":            {Data: cleanBucket},
			"secret.auto.tfvars": {Data: "x = 1\n", Mode: 0o200},
			"variables.tf":       {Data: "variable \"x\" {\n  default = 0\n}\n"},
		}, args: []string{"."}, where: "secret.auto.tfvars"},
		{name: "truncated export", files: map[string]hostileFile{
			"export.json": {Data: exportLine + "\n" + exportLine[:60]},
		}, args: []string{"export.json"}, where: "export.json:2"},
		{name: "truncated plan", files: map[string]hostileFile{
			"plan.json": {Data: planHead},
		}, args: []string{"plan.json"}, where: "plan.json:2"},
		{name: "plan with an empty duplicate root_module", files: map[string]hostileFile{
			"plan.json": {Data: planHead + `,"encryption":[{"default_kms_key_name":"k"}]}}]},` + "\n" + `"root_module":{}}}`},
		}, args: []string{"plan.json"}, where: "plan.json:3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if os.Geteuid() == 0 && strings.HasPrefix(tc.name, "unreadable") {
				t.Skip("root reads every file")
			}
			_, tree := hostileWorkspace(t)
			writeTree(t, tree, tc.files)
			args := append([]string{"scan"}, tc.args...)
			args = append(args, "--checks", "GCP-ENC-001")
			res := runHostile(t, tree, completeLimits, args...)
			assertExit(t, res, exitSkipped)
			assertStderr(t, res, tc.where, "(not judged)", "the scan is incomplete")
			t.Logf("peak RSS %d MB, %v", res.MaxRSS>>20, res.Elapsed)
			assertNotShown(t, res, hostileMarker)
			for format, r := range runHostileFormats(t, tree, completeLimits, args...) {
				assertExit(t, r, exitSkipped)
				file, _, _ := strings.Cut(tc.where, ":")
				if !strings.Contains(r.Output, file) {
					t.Errorf("%s report does not name %s:\n%s", format, file, clip(r.Output))
				}
				want := map[string]string{"text": "INCOMPLETE:", "json": `"incomplete": true`, "sarif": `"executionSuccessful": false`,
					"csv": ",NOT_JUDGED,", "markdown": "**Incomplete scan**"}[format]
				if !strings.Contains(r.Output, want) {
					t.Errorf("%s report lacks %q:\n%s", format, want, clip(r.Output))
				}
				if format == "sarif" {
					scannertest.ValidateSARIF(t, sarifSchemaPath, []byte(r.Output))
				}
			}
			// With a FAIL as well, the failure code wins.
			writeTree(t, tree, map[string]hostileFile{"fail.json": {Data: failingExport}})
			fargs := append(append([]string{"scan"}, tc.args...), "fail.json", "--checks", "GCP-ENC-001")
			assertExit(t, runHostile(t, tree, completeLimits, fargs...), exitFindings)
		})
	}
}

// TestHostileUnfetchedModuleIsAWarning: a registry module terraform init
// has not fetched, alone, keeps the scan complete: exit 0, a warning named
// in the summary of every format, SARIF executionSuccessful.
func TestHostileUnfetchedModuleIsAWarning(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{"main.tf": {Data: cleanBucket +
		"\nmodule \"net\" {\n  source  = \"terraform-google-modules/network/google\"\n  version = \"~> 9.0\"\n}\n"}})
	for format, r := range runHostileFormats(t, tree, completeLimits, "scan", ".", "--checks", "GCP-ENC-001") {
		assertExit(t, r, exitOK)
		assertStderr(t, r, "main.tf:9:1: warning: module \"net\"", "(not scanned)")
		want := map[string]string{"text": "1 part not scanned (warning", "json": `"not_scanned": 1`, "sarif": `"executionSuccessful": true`,
			"csv": ",NOT_SCANNED,", "markdown": "Not scanned (warning)"}[format]
		if !strings.Contains(r.Output, want) || strings.Contains(r.Output, "INCOMPLETE") {
			t.Errorf("%s report lacks %q or says incomplete:\n%s", format, want, clip(r.Output))
		}
		if format == "sarif" {
			scannertest.ValidateSARIF(t, sarifSchemaPath, []byte(r.Output))
		}
	}
}

// TestHostileDuplicateResource: two blocks with one address both keep
// their public grant, and the diagnostic names both places.
func TestHostileDuplicateResource(t *testing.T) {
	_, tree := hostileWorkspace(t)
	grant := func(name, member string) string {
		return "resource \"google_storage_bucket_iam_member\" \"m\" {\n  bucket = \"" + name + "\"\n  role   = \"roles/storage.objectViewer\"\n  member = \"" + member + "\"\n}\n"
	}
	writeTree(t, tree, map[string]hostileFile{"a.tf": {Data: grant("one", "allUsers")}, "b.tf": {Data: "\n" + grant("two", "allAuthenticatedUsers")}})
	res := runHostile(t, tree, completeLimits, "scan", ".", "--checks", "GCP-ACC-001", "--format", "json")
	assertExit(t, res, exitFindings)
	assertStderr(t, res, "b.tf:2:1: error: duplicate resource google_storage_bucket_iam_member.m", "also declared at a.tf:1")
	for _, want := range []string{`"file": "a.tf"`, `"file": "b.tf"`, "to allUsers", "to allAuthenticatedUsers"} {
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, clip(res.Stdout))
		}
	}
}

// TestHostileTfFileAsPath and the scope label: said, not silent.
func TestHostileSaidNotSilent(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{"infra/main.tf": {Data: cleanBucket}, "infra/other.tf": {Data: noCMEKBucket}})
	res := runHostile(t, tree, completeLimits, "scan", filepath.Join("infra", "main.tf"), "--checks", "GCP-ENC-001")
	assertExit(t, res, exitFindings)
	assertStderr(t, res, "infra/main.tf is a file: its directory infra is scanned")
	res = runHostile(t, tree, completeLimits, "scan", "infra", "--checks", "GCP-ENC-001", "--scope-label", "data=gmial")
	assertExit(t, res, exitOK)
	assertStderr(t, res, "scope label data=gmial: warning: no resource carries this scope label")
}
