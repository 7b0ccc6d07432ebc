package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casascan/casascan/cmd/casascan/internal/config"
	"github.com/casascan/casascan/scanner"
)

// TestGate: --fail-on and --soft-fail decide the exit code apart from what
// is reported; an incomplete scan still exits 3 under --soft-fail (it is a
// failed run, not a finding).
func TestGate(t *testing.T) {
	high := scanner.Finding{CheckID: "GCP-TLS-002", Status: scanner.StatusFail, Severity: scanner.High}
	medium := scanner.Finding{CheckID: "GCP-ENC-001", Status: scanner.StatusFail, Severity: scanner.Medium}
	ignoredCritical := scanner.Finding{CheckID: "GCP-ACC-001", Status: scanner.StatusIgnored, Severity: scanner.Critical}
	for _, tc := range []struct {
		name        string
		findings    []scanner.Finding
		failOn      scanner.Severity
		softFail    bool
		liveSkipped bool
		want        int
	}{
		{"no --fail-on: any FAIL", []scanner.Finding{medium}, 0, false, false, 5},
		{"--fail-on HIGH, a HIGH FAIL", []scanner.Finding{medium, high}, scanner.High, false, false, 5},
		{"--fail-on HIGH, only MEDIUM", []scanner.Finding{medium}, scanner.High, false, false, exitOK},
		{"--fail-on CRITICAL, an ignored CRITICAL", []scanner.Finding{ignoredCritical, high}, scanner.Critical, false, false, exitOK},
		{"--fail-on HIGH, only MEDIUM, incomplete", []scanner.Finding{medium}, scanner.High, false, true, exitSkipped},
		{"--soft-fail", []scanner.Finding{high, medium}, 0, true, false, exitOK},
		{"--soft-fail, incomplete", []scanner.Finding{high}, 0, true, true, exitSkipped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.ExitCode = 5
			p := &scanPlan{flags: &scanFlags{softFail: tc.softFail}, cfg: cfg, failOn: tc.failOn}
			res := scanner.NewResult(scanner.Tool{}, nil, tc.findings, nil)
			if tc.liveSkipped {
				res.Diagnostics = []scanner.Diagnostic{{Severity: scanner.DiagError, Subject: "projects/p", Summary: "permission denied", Skipped: true}}
			}
			got := exitOK
			if err := verdict(res, p.failCode(res)); err != nil {
				got = err.(*exitError).code
			}
			if got != tc.want {
				t.Errorf("exit code %d, want %d", got, tc.want)
			}
		})
	}
}

// TestPlanOutputs covers the ways of naming reports; TestCLI's output_*
// cases run them end to end.
func TestPlanOutputs(t *testing.T) {
	dir := t.TempDir()
	c, _, _ := newTestCLI(dir, nil, testNow)
	for _, tc := range []struct {
		name    string
		format  string
		outputs []string
		want    string // format:path, ...; "" path is stdout
		wantErr string
	}{
		{"default", "", nil, "text:", ""},
		{"format to stdout", "SARIF", nil, "sarif:", ""},
		{"table is text", "table", nil, "text:", ""},
		{"inferred from the extension", "", []string{"out.sarif"}, "sarif:out.sarif", ""},
		{"format wins over the extension", "json", []string{"out.sarif"}, "json:out.sarif", ""},
		{"dash is stdout", "csv", []string{"-"}, "csv:", ""},
		{"list into a directory", "sarif,markdown,csv", []string{"res"}, "sarif:res/casascan.sarif,markdown:res/casascan.md,csv:res/casascan.csv", ""},
		{"repeated format in the list", "sarif,sarif", []string{"out.sarif"}, "sarif:out.sarif", ""},
		{"pairs", "", []string{"sarif=a.sarif", "markdown=summary.md"}, "sarif:a.sarif,markdown:summary.md", ""},
		{"a file name with =", "", []string{"./a=b.json"}, "json:./a=b.json", ""},
		{"unknown format", "yaml", nil, "", `unknown --format "yaml"`},
		{"list to stdout", "sarif,csv", nil, "", "name a directory"},
		{"two plain outputs", "", []string{"a.sarif", "b.md"}, "", "--output is given 2 times"},
		{"pairs and a plain output", "", []string{"sarif=a.sarif", "b.md"}, "", "names each report's format"},
		{"two reports to stdout", "", []string{"sarif=-", "json=-"}, "", "only one report can go to stdout"},
		{"empty file", "", []string{"sarif="}, "", "want FORMAT=FILE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.planOutputs(tc.format, tc.outputs)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, o := range got {
				parts = append(parts, o.format+":"+strings.ReplaceAll(o.path, `\`, "/"))
			}
			if s := strings.Join(parts, ","); s != tc.want {
				t.Errorf("outputs %s, want %s", s, tc.want)
			}
		})
	}
}

// TestCompletion: cobra's completion command writes each shell's script,
// and flags and the checks argument complete their values.
func TestCompletion(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash":       "bash completion V2 for casascan",
		"zsh":        "#compdef casascan",
		"fish":       "fish completion for casascan",
		"powershell": "powershell completion for casascan",
	} {
		c, stdout, stderr := newTestCLI(t.TempDir(), nil, testNow)
		if code := c.run(context.Background(), []string{"completion", shell}); code != exitOK {
			t.Errorf("completion %s: exit %d: %s", shell, code, stderr)
		}
		if !strings.Contains(stdout.String(), marker) {
			t.Errorf("completion %s lacks %q", shell, marker)
		}
	}
	for _, tc := range []struct {
		args      []string
		want, not []string
	}{
		{[]string{"scan", "--format", "sa"}, []string{"sarif"}, []string{"csv"}},
		{[]string{"scan", "--format", "sarif,m"}, []string{"sarif,markdown"}, []string{"sarif,csv"}},
		{[]string{"scan", "--checks", "GCP-KMS-00"}, []string{"GCP-KMS-001\tKey not backed by an HSM"}, []string{"GCP-ENC-001"}},
		{[]string{"scan", "--skip-checks", "GCP-ENC-001,GCP-TLS-00"}, []string{"GCP-ENC-001,GCP-TLS-004"}, nil},
		{[]string{"scan", "--severity", ""}, []string{"CRITICAL", "LOW"}, nil},
		{[]string{"scan", "--fail-on", ""}, []string{"HIGH"}, nil},
		{[]string{"checks", "gcp-tls-00"}, []string{"GCP-TLS-001"}, []string{"GCP-KMS-001"}},
	} {
		c, stdout, _ := newTestCLI(t.TempDir(), nil, testNow)
		c.run(context.Background(), append([]string{"__complete"}, tc.args...))
		lines := strings.Split(stdout.String(), "\n")
		has := func(s string) bool {
			for _, l := range lines {
				if value, _, _ := strings.Cut(l, "\t"); l == s || value == s {
					return true
				}
			}
			return false
		}
		for _, w := range tc.want {
			if !has(w) {
				t.Errorf("__complete %q lacks %q:\n%s", tc.args, w, stdout)
			}
		}
		for _, n := range tc.not {
			for _, l := range lines {
				if strings.HasPrefix(l, n) {
					t.Errorf("__complete %q offers %q:\n%s", tc.args, n, stdout)
				}
			}
		}
	}
}

// TestShardedOutputNames: in --output DIR, each shard of a sharded live
// scan writes its own file, so the tasks of one job need no shell to keep
// apart; a named file is left as given.
func TestShardedOutputNames(t *testing.T) {
	dirTarget := reportTarget{format: "sarif", path: "/results/casascan.sarif", inDir: true}
	if got, want := dirTarget.sharded(2, 8), "/results/casascan-shard-2-of-8.sarif"; filepath.ToSlash(got) != want {
		t.Errorf("sharded = %s, want %s", got, want)
	}
	if got := dirTarget.sharded(0, 1); got != dirTarget.path {
		t.Errorf("unsharded = %s, want %s", got, dirTarget.path)
	}
	file := reportTarget{format: "sarif", path: "out.sarif"}
	if got := file.sharded(2, 8); got != "out.sarif" {
		t.Errorf("a named file became %s", got)
	}
}
