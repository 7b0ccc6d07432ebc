package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/casascan/casascan/scanner"
)

// The hostile-tree cases of parsing: inputs that crashed casascan with a
// stack overflow, exhausted its memory or made it run for minutes. Each is
// generated here, run under a tight limit, and must end with its
// diagnostic at file:line while the rest of the tree is still scanned.

// boundsMemory is the peak resident memory each case may reach. (The
// child's address space is limited to this plus 1 GiB, and below about
// 700 MB the runtime's own start-up reservations sometimes fail; the cases
// that read big inputs have 1 GiB.)
const boundsMemory = 800 << 20

// publicBucket is a file whose public grant every case must still report.
var publicBucket = strings.ReplaceAll(outsideModule, hostileMarker, "inside_bucket")

// assertPublicBucketFound fails unless the JSON report on stdout holds the
// GCP-ACC-001 finding of publicBucket.
func assertPublicBucketFound(t *testing.T, res hostileResult) {
	t.Helper()
	if !strings.Contains(res.Stdout, `"GCP-ACC-001"`) || !strings.Contains(res.Stdout, "google_storage_bucket_iam_member.inside_bucket") {
		t.Errorf("the public bucket of main.tf was not reported:\n%s", clip(res.Stdout))
	}
}

// assertStderrMatches fails unless a line of stderr matches the pattern.
func assertStderrMatches(t *testing.T, res hostileResult, pattern string) {
	t.Helper()
	if !regexp.MustCompile(`(?m)^` + pattern).MatchString(res.Stderr) {
		t.Errorf("stderr has no line matching %q:\n%s", pattern, clip(res.Stderr))
	}
}

// TestHostileNesting: files nested deep enough to overflow HCL's stack
// (a fatal error no recover catches), operator chains as long, binary
// files and a quadratic heredoc are each one skipped error at file:line;
// the public bucket beside them is still found.
func TestHostileNesting(t *testing.T) {
	const deep = 100_000
	cases := []struct {
		name  string
		files map[string]string
		want  string // a regexp for the diagnostic line on stderr
	}{
		{"parentheses", map[string]string{"deep.tf": "locals {\n  x = " + strings.Repeat("(", deep) + "1" + strings.Repeat(")", deep) + "\n}\n"},
			`deep\.tf:2:\d+: error: nested too deeply`},
		{"brackets", map[string]string{"deep.tf": "locals {\n  x = " + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "\n}\n"},
			`deep\.tf:2:\d+: error: nested too deeply`},
		{"objects", map[string]string{"deep.tf": "locals {\n  x = " + strings.Repeat("{a=", deep) + "1" + strings.Repeat("}", deep) + "\n}\n"},
			`deep\.tf:2:\d+: error: nested too deeply`},
		{"interpolations", map[string]string{"deep.tf": "locals {\n  x = " + strings.Repeat(`"${`, deep) + "1" + strings.Repeat(`}"`, deep) + "\n}\n"},
			`deep\.tf:2:\d+: error: nested too deeply`},
		{"blocks", map[string]string{"deep.tf": strings.Repeat("a {\n", 400_000) + strings.Repeat("}\n", 400_000)},
			`deep\.tf:1000:\d+: error: nested too deeply`},
		{"json arrays", map[string]string{"deep.tf.json": `{"locals": {"x":` + "\n" + strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000) + "}}"},
			`deep\.tf\.json:2:\d+: error: nested too deeply`},
		{"sum", map[string]string{"long.tf": "locals {\n  x = 1" + strings.Repeat("+1", 1_000_000) + "\n}\n"},
			`long\.tf:2:\d+: error: expression too long`},
		{"conjunction", map[string]string{"long.tf": "locals {\n  x = true" + strings.Repeat(" && true", deep) + "\n}\n"},
			`long\.tf:2:\d+: error: expression too long`},
		{"conditional", map[string]string{"long.tf": "locals {\n  x = " + strings.Repeat("true ? 1 : ", deep) + "1\n}\n"},
			`long\.tf:2:\d+: error: expression too long`},
		{"traversal", map[string]string{"long.tf": "locals {\n  x = local.y" + strings.Repeat("[0]", deep) + "\n  y = [1]\n}\n"},
			`long\.tf:2:\d+: error: expression too long`},
		{"tfvars", map[string]string{"terraform.tfvars": "\nx = " + strings.Repeat("[", deep) + "\n"},
			`terraform\.tfvars:2:\d+: error: nested too deeply`},
		{"tfvars json", map[string]string{"a.auto.tfvars.json": `{"x": "` + strings.Repeat("${", deep) + `"}`},
			`a\.auto\.tfvars\.json:1:\d+: error: nested too deeply`},
		{"NUL bytes", map[string]string{"zero.tf": strings.Repeat("\x00", 10<<20)},
			`zero\.tf:1: error: not a text file`},
		{"binary", map[string]string{"bin.tf": "# a comment\n" + strings.Repeat("\xff\xfe\x80", 1<<20/3)},
			`bin\.tf:2: error: not a text file`},
		{"heredoc", map[string]string{"text.tf": "locals {\n  x = <<EOT\n" + strings.Repeat("line\n", 64_000) + "EOT\n}\n"},
			`text\.tf:64003:\d+: error: template too large`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, tree := hostileWorkspace(t)
			files := map[string]hostileFile{"main.tf": {Data: publicBucket}}
			for name, data := range c.files {
				files[name] = hostileFile{Data: data}
			}
			writeTree(t, tree, files)
			res := runHostile(t, tree, hostileLimits{Time: 20 * time.Second, Memory: boundsMemory}, "scan", ".", "--format", "json")
			assertExit(t, res, 1)
			assertStderrMatches(t, res, c.want)
			assertPublicBucketFound(t, res)
			if n := strings.Count(res.Stderr, "\n"); n > 10 {
				t.Errorf("%d lines on stderr, want the one diagnostic:\n%s", n, clip(res.Stderr))
			}
		})
	}
}

// TestHostileManyDiagnostics: a file with a hundred thousand errors shows
// the first of them and one that counts the rest.
func TestHostileManyDiagnostics(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{
		"main.tf":   {Data: publicBucket},
		"broken.tf": {Data: strings.Repeat("a = }\n", 170_000)},
	})
	res := runHostile(t, tree, hostileLimits{Time: 20 * time.Second, Memory: 1 << 30}, "scan", ".", "--format", "json")
	assertExit(t, res, 1)
	assertPublicBucketFound(t, res)
	if n := len(regexp.MustCompile(`(?m)^broken\.tf:`).FindAllString(res.Stderr, -1)); n != 21 {
		t.Errorf("%d diagnostics of broken.tf on stderr, want 20 and a count:\n%s", n, clip(res.Stderr))
	}
	assertStderrMatches(t, res, `broken\.tf:21:1: error: 169980 more diagnostics in this file not shown`)
	var report struct {
		Diagnostics, NotJudged []scanner.Diagnostic
	}
	if err := json.Unmarshal([]byte(res.Stdout), &struct {
		Diagnostics *[]scanner.Diagnostic `json:"diagnostics"`
		NotJudged   *[]scanner.Diagnostic `json:"not_judged"`
	}{&report.Diagnostics, &report.NotJudged}); err != nil {
		t.Fatal(err)
	}
	for name, ds := range map[string][]scanner.Diagnostic{"diagnostics": report.Diagnostics, "not_judged": report.NotJudged} {
		n := 0
		for _, d := range ds {
			if d.File == "broken.tf" {
				n++
			}
		}
		if n == 0 || n > 21 {
			t.Errorf("the JSON report's %s list %d diagnostics of broken.tf, want 1 to 21", name, n)
		}
	}
}

// TestHostileStackedIgnores: 160,000 ignore comments stacked above one
// block are read in linear time, and all cover it.
func TestHostileStackedIgnores(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{
		"main.tf": {Data: strings.Replace(publicBucket, `resource "google_storage_bucket_iam_member"`,
			strings.Repeat("# casascan:ignore:GCP-ACC-001 -- public on purpose\n", 160_000)+`resource "google_storage_bucket_iam_member"`, 1)},
	})
	res := runHostile(t, tree, hostileLimits{Time: 20 * time.Second, Memory: 1 << 30}, "scan", ".", "--format", "json", "--checks", "GCP-ACC-001")
	assertExit(t, res, 0)
	if !strings.Contains(res.Stdout, `"IGNORED"`) {
		t.Errorf("the public grant is not ignored:\n%s", clip(res.Stdout))
	}
}

// TestHostileExcludePattern: an exclude pattern of many ** against a deep
// directory is matched in polynomial time.
func TestHostileExcludePattern(t *testing.T) {
	_, tree := hostileWorkspace(t)
	deepDir := strings.Repeat("d/", 40)
	writeTree(t, tree, map[string]hostileFile{
		"main.tf":                 {Data: publicBucket},
		deepDir + "main.tf":       {Data: "locals {\n  x = 1\n}\n"},
		".casascan.yaml":          {Data: "exclude:\n  - '" + strings.Repeat("**/*/", 10) + "x'\n"},
		deepDir + "other/main.tf": {Data: "locals {\n  y = 1\n}\n"},
	})
	res := runHostile(t, tree, hostileLimits{Time: 20 * time.Second, Memory: boundsMemory}, "scan", ".", "--format", "json")
	assertExit(t, res, 1)
	assertPublicBucketFound(t, res)
}

// TestHostileConfigTooLarge: a configuration file over 1 MiB is a usage
// error that names the file and the limit.
func TestHostileConfigTooLarge(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{
		"main.tf":        {Data: publicBucket},
		".casascan.yaml": {Data: "# " + strings.Repeat("x", 1<<20) + "\n"},
	})
	res := runHostile(t, tree, hostileLimits{Time: 20 * time.Second, Memory: boundsMemory}, "scan", ".")
	assertExit(t, res, 2)
	assertStderr(t, res, ".casascan.yaml: too large for a configuration file (over the limit of 1048576 bytes, 1 MiB)")
	if strings.Contains(res.Stderr, "<nil>") {
		t.Errorf("stderr says <nil>:\n%s", res.Stderr)
	}
}

// TestHostileDeepConfig: a configuration file nested deep is refused by
// the YAML decoder's own limit, naming the file.
func TestHostileDeepConfig(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{
		"main.tf":        {Data: publicBucket},
		".casascan.yaml": {Data: "exclude: " + strings.Repeat("[", 400_000) + "\n"},
	})
	res := runHostile(t, tree, hostileLimits{Time: 20 * time.Second, Memory: boundsMemory}, "scan", ".")
	assertExit(t, res, 2)
	assertStderr(t, res, ".casascan.yaml", "exceeded max depth")
}

// TestHostileLargeExport: an asset export of 150,000 records (each line
// lookup once recounted the file from its start) loads in linear time, and
// a bad record is named at its line.
func TestHostileLargeExport(t *testing.T) {
	dir := t.TempDir()
	const n = 150_000
	var b strings.Builder
	b.WriteString("[\n")
	for i := range n {
		fmt.Fprintf(&b, `{"name":"//storage.googleapis.com/b%d","assetType":"storage.googleapis.com/Bucket","resource":{"data":{"name":"b%d"}}},`+"\n", i, i)
	}
	b.WriteString(`{"name":"//storage.googleapis.com/public","assetType":"storage.googleapis.com/Bucket","resource":{"data":{"name":"public"}},` +
		`"iamPolicy":{"bindings":[{"role":"roles/storage.objectViewer","members":["allUsers"]}]}},` + "\n")
	b.WriteString(`{"assetType":"storage.googleapis.com/Bucket"}` + "\n]\n")
	if err := os.WriteFile(filepath.Join(dir, "export.json"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runHostile(t, dir, hostileLimits{Time: 60 * time.Second, Memory: 1 << 30}, "scan", "export.json", "--format", "json", "--checks", "GCP-ACC-001")
	assertExit(t, res, 1)
	assertStderrMatches(t, res, fmt.Sprintf(`export\.json:%d: error: not a Cloud Asset Inventory record`, n+3))
	if !strings.Contains(res.Stdout, "//storage.googleapis.com/public") {
		t.Errorf("the public bucket of the export is not reported:\n%s", clip(res.Stdout))
	}
}

// TestHostileDeepJSONSources: a plan and an export nested as deep as
// encoding/json allows do not overflow the stack; deeper is refused by its
// limit with the file named.
func TestHostileDeepJSONSources(t *testing.T) {
	for _, depth := range []int{9_000, 20_000} {
		dir := t.TempDir()
		nest := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		writeTree(t, dir, map[string]hostileFile{
			"plan.json": {Data: `{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{"root_module":{"resources":[` +
				`{"address":"google_storage_bucket.b","mode":"managed","type":"google_storage_bucket","name":"b","values":{"name":"b","labels":` + nest + `}}]}}}`},
			"export.json": {Data: `{"name":"//storage.googleapis.com/b","assetType":"storage.googleapis.com/Bucket","resource":{"data":{"name":"b","labels":` + nest + `}}}` + "\n"},
		})
		for _, input := range []string{"plan.json", "export.json"} {
			res := runHostile(t, dir, hostileLimits{Time: 20 * time.Second, Memory: boundsMemory}, "scan", input, "--format", "json")
			if res.Code != 0 && res.Code != 1 && res.Code != 2 && res.Code != 3 {
				t.Errorf("%s nested %d deep: exit %d", input, depth, res.Code)
			}
			if depth > 10_000 && !strings.Contains(res.Stderr, input) {
				t.Errorf("%s nested %d deep: the error does not name the file:\n%s", input, depth, clip(res.Stderr))
			}
		}
	}
}

// TestHostileMergeDeep: casascan merge refuses SARIF whose properties nest
// thousands deep (decoded, they were written out in quadratic space) with
// an error naming the file.
func TestHostileMergeDeep(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{"main.tf": {Data: publicBucket}})
	res := runHostile(t, tree, hostileLimits{Time: 20 * time.Second, Memory: boundsMemory}, "scan", ".", "--format", "sarif", "--output", "a.sarif")
	assertExit(t, res, 1)
	data, err := os.ReadFile(filepath.Join(tree, "a.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	const depth = 9_000
	props := `"properties": {"x": ` + strings.Repeat(`{"a": `, depth) + "1" + strings.Repeat("}", depth) + "}, "
	deep := strings.Replace(string(data), `"ruleId"`, props+`"ruleId"`, 1)
	if deep == string(data) {
		t.Fatal("no result in the SARIF")
	}
	writeTree(t, tree, map[string]hostileFile{"deep.sarif": {Data: deep}})
	res = runHostile(t, tree, hostileLimits{Time: 20 * time.Second, Memory: boundsMemory}, "merge", "a.sarif", "deep.sarif", "--output", "merged.sarif")
	assertExit(t, res, 2)
	assertStderrMatches(t, res, `casascan: reading deep\.sarif:\d+: nested more than 64 levels deep`)
	if _, err := os.Stat(filepath.Join(tree, "merged.sarif")); err == nil {
		t.Error("merged.sarif was written")
	}
}
