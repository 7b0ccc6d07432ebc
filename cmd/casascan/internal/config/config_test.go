package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/casascan/casascan/scanner"
)

const fullFile = `# every key
checks: [gcp-enc-001, GCP-KMS-001]
skip-checks:
  - GCP-DEL-002
severity: [high, CRITICAL]
var-files: [env/prod.tfvars, ./common.tfvars]
exclude: ["legacy/**", "**/examples/**"]
scan-downloaded-modules: false
scope-labels:
  data: gmail
  tier: 1
ignores:
  require-reason: true
  inline-ignores: false
sarif:
  category: infra
  include-unknown: true
exit-code: 3
`

func TestLoadFull(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte(fullFile), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := &Config{
		Path:                  path,
		Checks:                []string{"GCP-ENC-001", "GCP-KMS-001"},
		SkipChecks:            []string{"GCP-DEL-002"},
		Severity:              []scanner.Severity{scanner.High, scanner.Critical},
		VarFiles:              []string{filepath.Join(dir, "env", "prod.tfvars"), filepath.Join(dir, "common.tfvars")},
		Exclude:               []string{"legacy/**", "**/examples/**"},
		ScanDownloadedModules: false,
		ScopeLabels:           map[string]string{"data": "gmail", "tier": "1"},
		Ignores:               Ignores{RequireReason: true, InlineIgnores: false},
		SARIF:                 SARIF{Category: "infra", IncludeUnknown: true},
		ExitCode:              3,
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Config{})); diff != "" {
		t.Errorf("Load (-want +got):\n%s", diff)
	}
}

func TestParseIgnoreList(t *testing.T) {
	src := `# central ignores
ignore:
  - id: gcp-enc-001
    path: "vendor/**"
    exp: 2026-12-31
    reason: vendored static assets
  - id: "*"
    resource: 'module.cdn.*'
`
	c, err := Parse(FileName, []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []IgnoreEntry{
		{Line: 3, ID: "GCP-ENC-001", Path: "vendor/**", Expires: "2026-12-31", Reason: "vendored static assets"},
		{Line: 7, ID: "*", Resource: "module.cdn.*"},
	}
	if diff := cmp.Diff(want, c.Ignore); diff != "" {
		t.Errorf("Ignore (-want +got):\n%s", diff)
	}
	got := c.RunOptions().ConfigIgnores
	if len(got) != 2 || got[0].File != FileName || got[0].Line != 3 || got[1].Resource != "module.cdn.*" {
		t.Fatalf("ConfigIgnores = %+v", got)
	}
	if !got[0].Covers("GCP-ENC-001", "google_storage_bucket.a", "vendor/cdn/main.tf") ||
		got[0].Covers("GCP-ENC-001", "google_storage_bucket.a", "main.tf") {
		t.Error("the path glob is not matched with the exclude syntax")
	}
	// Merge keeps the list, a flag does not replace it.
	if m := c.Merge(Flags{}); len(m.Ignore) != 2 {
		t.Errorf("Merge dropped the ignore list: %+v", m.Ignore)
	}
}

func TestParseDefaults(t *testing.T) {
	for name, src := range map[string]string{
		"empty":         "",
		"comment only":  "# nothing yet\n",
		"null values":   "checks:\nignores:\nsarif:\nexit-code:\n",
		"empty ignores": "ignores: {}\n",
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(FileName, []byte(src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := Default()
			want.Path = FileName
			if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Config{})); diff != "" {
				t.Errorf("defaults (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseErrors asserts the file, line and key of each kind of mistake.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // each a substring of one error line, in order
	}{
		{"unknown key with suggestion", "checks: [GCP-ENC-001]\n\n\n\n\n\nsevrity: [HIGH]\n",
			[]string{`.casascan.yaml:7: unknown key "sevrity" (did you mean "severity"?)`}},
		{"underscore spelling", "skip_checks: [GCP-ENC-001]\n",
			[]string{`.casascan.yaml:1: unknown key "skip_checks" (did you mean "skip-checks"?)`}},
		{"unknown nested key", "ignores:\n  require-reasons: true\n",
			[]string{`.casascan.yaml:2: unknown key "ignores.require-reasons" (did you mean "ignores.require-reason"?)`}},
		{"unknown key far from any", "colour: red\n",
			[]string{`.casascan.yaml:1: unknown key "colour" (known keys: checks, custom-checks, exclude,`}},
		{"list given a string", "severity: HIGH\n",
			[]string{`.casascan.yaml:1: severity: want a list, for example [HIGH, CRITICAL]; found "HIGH"`}},
		{"bool given a string", "scan-downloaded-modules: yes\n",
			[]string{`.casascan.yaml:1: scan-downloaded-modules: want true or false, found "yes"`}},
		{"nested bool given a number", "sarif:\n  category: x\n  include-unknown: 1\n",
			[]string{`.casascan.yaml:3: sarif.include-unknown: want true or false, found a number`}},
		{"int given a string", "exit-code: one\n",
			[]string{`.casascan.yaml:1: exit-code: want a whole number from 0 to 125, found "one"`}},
		{"int out of range", "\nexit-code: 200\n",
			[]string{`.casascan.yaml:2: exit-code: 200 is out of range: want 0 to 125`}},
		{"section given a list", "ignores: [true]\n",
			[]string{`.casascan.yaml:1: ignores: want a mapping (key: value), found a list`}},
		{"bad severity", "severity:\n  - HIGH\n  - SEVERE\n",
			[]string{`.casascan.yaml:3: severity: unknown severity "SEVERE"`}},
		{"list entry not a string", "checks:\n  - GCP-ENC-001\n  - [GCP-KMS-001]\n",
			[]string{`.casascan.yaml:3: checks[1]: want a string, found a list`}},
		{"bad glob", "exclude:\n  - ok/**\n  - \"bad[\"\n",
			[]string{`.casascan.yaml:3: exclude: pattern "bad[" is malformed: syntax error in pattern`}},
		{"var file outside the tree", "var-files:\n  - ok.tfvars\n  - ../../secrets.tfvars\n  - /etc/passwd\n",
			[]string{`.casascan.yaml:3: var-files: "../../secrets.tfvars" leaves the configuration file's directory`,
				`.casascan.yaml:4: var-files: "/etc/passwd" is absolute`}},
		{"glob leaves the root", "exclude: [../other]\n",
			[]string{`.casascan.yaml:1: exclude: pattern "../other" uses ".."`}},
		{"duplicate key", "checks: [GCP-ENC-001]\nchecks: [GCP-KMS-001]\n",
			[]string{`.casascan.yaml:2: key "checks" is set twice (first on line 1)`}},
		{"scope label value a list", "scope-labels:\n  data: [gmail]\n",
			[]string{`.casascan.yaml:2: scope-labels.data: want a label value, found a list`}},
		{"alias", "checks: &c [GCP-ENC-001]\nskip-checks: *c\n",
			[]string{`.casascan.yaml:2: skip-checks: YAML aliases are not supported`}},
		{"top level a list", "- checks\n",
			[]string{`.casascan.yaml:1: want a mapping of settings (key: value), found a list`}},
		{"syntax error", "checks: [GCP-ENC-001\nseverity: [HIGH]\n",
			[]string{`.casascan.yaml:`, `not valid YAML`}},
		{"ignore not a list", "ignore: {id: GCP-ENC-001}\n",
			[]string{`.casascan.yaml:1: ignore: want a list of entries`}},
		{"ignore without id", "ignore:\n  - path: vendor/**\n    reason: x\n",
			[]string{`.casascan.yaml:2: ignore[0]: id is required`}},
		{"ignore entry typo", "ignore:\n  - id: GCP-ENC-001\n    reson: x\n",
			[]string{`.casascan.yaml:3: unknown key "ignore[0].reson" (did you mean "ignore[0].reason"?)`}},
		{"ignore bad date", "ignore:\n  - id: GCP-ENC-001\n    exp: 31-12-2026\n",
			[]string{`.casascan.yaml:3: ignore[0].exp: "31-12-2026" is not a date YYYY-MM-DD`}},
		{"ignore bad glob", "ignore:\n  - id: GCP-ENC-001\n    path: ../x\n",
			[]string{`.casascan.yaml:3: ignore[0].path: pattern "../x" uses ".."`}},
		{"every problem reported", "sevrity: [HIGH]\nexit-code: -1\n",
			[]string{`.casascan.yaml:1: unknown key "sevrity"`, `.casascan.yaml:2: exit-code: -1 is out of range`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(FileName, []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse accepted:\n%s", tt.src)
			}
			lines := strings.Split(err.Error(), "\n")
			if tt.name != "syntax error" && len(lines) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if tt.name == "syntax error" {
					i = 0
				}
				if !strings.Contains(lines[i], w) {
					t.Errorf("error %d = %q, want it to contain %q", i, lines[i], w)
				}
			}
			var e *Error
			if !errors.As(err, &e) || e.File != FileName {
				t.Errorf("error is not a *Error naming the file: %#v", err)
			}
		})
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	if _, ok := Find(dir); ok {
		t.Fatal("Find found a file in an empty directory")
	}
	// A directory of that name is not a configuration.
	if err := os.Mkdir(filepath.Join(dir, FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	if p, ok := Find(dir); ok {
		t.Fatalf("Find returned directory %s", p)
	}
	alt := filepath.Join(dir, FileNameAlt)
	if err := os.WriteFile(alt, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if p, ok := Find(dir); !ok || p != alt {
		t.Fatalf("Find = %q, %v; want %q", p, ok, alt)
	}
	sub := t.TempDir()
	both := filepath.Join(sub, FileName)
	for _, p := range []string{both, filepath.Join(sub, FileNameAlt)} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if p, ok := Find(sub); !ok || p != both {
		t.Fatalf("Find = %q, %v; want the .yaml spelling %q", p, ok, both)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml: no such file") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", maxFileSize)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("big file: %v", err)
	}
}

func TestValidateChecks(t *testing.T) {
	c, err := Parse(FileName, []byte("checks:\n  - GCP-ENC-001\n  - GCP-NOPE-001\nskip-checks: [gcp-kms-999]\n"))
	if err != nil {
		t.Fatal(err)
	}
	known := func(id string) bool { return id == "GCP-ENC-001" }
	err = c.ValidateChecks(known)
	want := ".casascan.yaml:3: checks: unknown check ID \"GCP-NOPE-001\" (run 'casascan checks' for the list)\n" +
		".casascan.yaml:4: skip-checks: unknown check ID \"GCP-KMS-999\" (run 'casascan checks' for the list)"
	if err == nil || err.Error() != want {
		t.Errorf("ValidateChecks = %v\nwant %s", err, want)
	}
	// IDs given as flags are left to scanner.Select, even at an index the
	// file used.
	merged := c.Merge(Flags{Checks: []string{"GCP-ENC-001", "GCP-FLAG-001"}, SkipChecks: []string{}})
	if err := merged.ValidateChecks(known); err != nil {
		t.Errorf("after Merge: %v", err)
	}
}

func TestMerge(t *testing.T) {
	file, err := Parse(FileName, []byte(fullFile))
	if err != nil {
		t.Fatal(err)
	}
	yes, no, cat, code := true, false, "pr", 0
	tests := []struct {
		name  string
		base  *Config
		flags Flags
		check func(t *testing.T, c *Config)
	}{
		{"no flags keep the file", file, Flags{}, func(t *testing.T, c *Config) {
			if diff := cmp.Diff(file, c, cmpopts.IgnoreUnexported(Config{})); diff != "" {
				t.Errorf("(-file +merged):\n%s", diff)
			}
		}},
		{"lists replace, not append", file, Flags{Checks: []string{"GCP-TLS-001"}, Severity: []scanner.Severity{scanner.Low}}, func(t *testing.T, c *Config) {
			if !cmp.Equal(c.Checks, []string{"GCP-TLS-001"}) || !cmp.Equal(c.Severity, []scanner.Severity{scanner.Low}) {
				t.Errorf("Checks %v Severity %v", c.Checks, c.Severity)
			}
			if !cmp.Equal(c.SkipChecks, []string{"GCP-DEL-002"}) {
				t.Errorf("SkipChecks %v: a flag not given must keep the file's", c.SkipChecks)
			}
		}},
		{"empty list flag clears", file, Flags{Checks: []string{}}, func(t *testing.T, c *Config) {
			if len(c.Checks) != 0 {
				t.Errorf("Checks %v", c.Checks)
			}
		}},
		{"scalars and booleans", file, Flags{NoInlineIgnores: &no, RequireReason: &no, ScanDownloadedModules: &yes,
			SARIFCategory: &cat, SARIFIncludeUnknown: &no, ExitCode: &code}, func(t *testing.T, c *Config) {
			want := Ignores{RequireReason: false, InlineIgnores: true}
			if c.Ignores != want || !c.ScanDownloadedModules || c.SARIF != (SARIF{Category: "pr"}) || c.ExitCode != 0 {
				t.Errorf("got %+v %+v %v %d", c.Ignores, c.SARIF, c.ScanDownloadedModules, c.ExitCode)
			}
		}},
		{"no file", nil, Flags{NoInlineIgnores: &yes, ScopeLabels: map[string]string{"a": "b"}}, func(t *testing.T, c *Config) {
			o := c.RunOptions()
			if !o.NoInlineIgnores || o.RequireReason || !cmp.Equal(o.ScopeLabels, map[string]string{"a": "b"}) || c.ExitCode != DefaultExitCode || !c.ScanDownloadedModules {
				t.Errorf("got %+v exit %d", o, c.ExitCode)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := *file
			tt.check(t, tt.base.Merge(tt.flags))
			if !cmp.Equal(before, *file, cmpopts.IgnoreUnexported(Config{})) || file.Checks[0] != "GCP-ENC-001" {
				t.Error("Merge modified its receiver")
			}
		})
	}
}
