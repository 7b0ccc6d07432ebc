package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casascan/casascan/scanner"
)

func TestVerdict(t *testing.T) {
	fail := scanner.Finding{CheckID: "GCP-ENC-001", Status: scanner.StatusFail}
	ignored := scanner.Finding{CheckID: "GCP-ENC-001", Status: scanner.StatusIgnored}
	unknown := scanner.Finding{CheckID: "GCP-ENC-001", Status: scanner.StatusUnknown}
	notFetched := scanner.Diagnostic{Severity: scanner.DiagWarning, File: "main.tf", Line: 3, Summary: "module \"x\" is not fetched", Skipped: true}
	liveSkipped := scanner.Diagnostic{Severity: scanner.DiagError, Subject: "projects/p", Summary: "permission denied", Skipped: true}
	parseError := scanner.Diagnostic{Severity: scanner.DiagError, File: "main.tf", Line: 1, Summary: "Invalid expression", Skipped: true}
	plainError := scanner.Diagnostic{Severity: scanner.DiagError, File: "main.tf", Line: 1, Summary: "Unsupported argument"}
	for _, tc := range []struct {
		name     string
		res      *scanner.Result
		failCode int
		want     int
	}{
		{"clean", &scanner.Result{}, 1, exitOK},
		{"only ignored and unknown", scanner.NewResult(scanner.Tool{}, nil, []scanner.Finding{ignored, unknown}, nil), 1, exitOK},
		{"failures", scanner.NewResult(scanner.Tool{}, nil, []scanner.Finding{fail}, nil), 1, 1},
		{"failures with --exit-code 5", scanner.NewResult(scanner.Tool{}, nil, []scanner.Finding{fail}, nil), 5, 5},
		{"failures with --exit-code 0", scanner.NewResult(scanner.Tool{}, nil, []scanner.Finding{fail}, nil), 0, exitOK},
		{"module not fetched is only a warning", &scanner.Result{Diagnostics: []scanner.Diagnostic{notFetched}}, 1, exitOK},
		{"an error that skips nothing", &scanner.Result{Diagnostics: []scanner.Diagnostic{plainError}}, 1, exitOK},
		{"live skipped, no failures", &scanner.Result{Diagnostics: []scanner.Diagnostic{liveSkipped}}, 1, exitSkipped},
		{"parse error, no failures", &scanner.Result{Diagnostics: []scanner.Diagnostic{notFetched, parseError}}, 1, exitSkipped},
		{"parse error beside unknowns", scanner.NewResult(scanner.Tool{}, nil, []scanner.Finding{unknown}, []scanner.Diagnostic{parseError}), 1, exitSkipped},
		{"live skipped with failures", scanner.NewResult(scanner.Tool{}, nil, []scanner.Finding{fail}, []scanner.Diagnostic{liveSkipped}), 1, 1},
		{"parse error with failures and --exit-code 7", scanner.NewResult(scanner.Tool{}, nil, []scanner.Finding{fail}, []scanner.Diagnostic{parseError}), 7, 7},
		{"live skipped with failures and --exit-code 0", scanner.NewResult(scanner.Tool{}, nil, []scanner.Finding{fail}, []scanner.Diagnostic{liveSkipped}), 0, exitSkipped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := exitOK
			if err := verdict(tc.res, tc.failCode); err != nil {
				got = err.(*exitError).code
			}
			if got != tc.want {
				t.Errorf("verdict = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestOutcome: findings that could not all be read back from the
// result's temporary file (scanner.Result.Err) make the scan incomplete
// (exit 3) whatever it would have ended with: a pass, failures (under any
// --exit-code), a writer's error; the message says so and names the error.
func TestOutcome(t *testing.T) {
	readErr := &os.PathError{Op: "read", Path: "/tmp/casascan-findings-123", Err: errors.New("input/output error")}
	fail := scanner.Finding{CheckID: "GCP-ENC-001", Status: scanner.StatusFail}
	failures := scanner.NewResult(scanner.Tool{}, nil, []scanner.Finding{fail}, nil)
	for _, tc := range []struct {
		name    string
		readErr error
		err     error
		want    int
	}{
		{"clean", nil, nil, exitOK},
		{"failures", nil, verdict(failures, 5), 5},
		{"a writer's error", nil, &exitError{code: exitUsage, err: errors.New("writing out.sarif: disk full")}, exitUsage},
		{"incomplete", nil, verdict(&scanner.Result{Diagnostics: []scanner.Diagnostic{{Severity: scanner.DiagError, Summary: "x", Skipped: true}}}, 1), exitSkipped},
		{"read error, else clean", readErr, nil, exitSkipped},
		{"read error beside failures", readErr, verdict(failures, 5), exitSkipped},
		{"read error beside failures and --exit-code 0", readErr, verdict(failures, exitOK), exitSkipped},
		{"read error beside a writer's error", readErr, &exitError{code: exitUsage, err: errors.New("writing the sarif report: " + readErr.Error())}, exitSkipped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := outcome(tc.readErr, tc.err)
			got := exitOK
			if err != nil {
				var ee *exitError
				if !errors.As(err, &ee) {
					t.Fatalf("outcome = %v, not an exit code", err)
				}
				got = ee.code
			}
			if got != tc.want {
				t.Errorf("exit code %d, want %d", got, tc.want)
			}
			if tc.readErr == nil {
				if err != tc.err {
					t.Errorf("outcome = %v, want %v as it is", err, tc.err)
				}
				return
			}
			msg := safeMessage(err)
			if !strings.Contains(msg, "the scan is incomplete") || !strings.Contains(msg, readErr.Error()) {
				t.Errorf("message %q does not say the scan is incomplete and why", msg)
			}
			if !errors.Is(err, readErr) {
				t.Error("the read error is not wrapped")
			}
		})
	}
}

func TestInferFormat(t *testing.T) {
	for out, want := range map[string]string{
		"":                "text",
		"out.sarif":       "sarif",
		"OUT.SARIF":       "sarif",
		"out.sarif.json":  "sarif",
		"out.json":        "json",
		"evidence.csv":    "csv",
		"summary.md":      "markdown",
		"report.txt":      "text",
		"dir.json/report": "text",
	} {
		if got := inferFormat(out); got != want {
			t.Errorf("inferFormat(%q) = %q, want %q", out, got, want)
		}
	}
}

func TestResolveBuild(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.99", Main: debug.Module{Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "deadbeef"}, {Key: "vcs.time", Value: "2026-02-03T00:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	for _, tc := range []struct {
		name                string
		ver, com, dat       string
		bi                  *debug.BuildInfo
		wantVer, wantCommit string
		wantDate            string
	}{
		{"ldflags win", "v2.0.0", "abc", "2026-01-01", info, "2.0.0", "abc", "2026-01-01"},
		{"build info fallback", "", "", "", info, "1.4.0", "deadbeef-dirty", "2026-02-03T00:00:00Z"},
		{"devel build", "", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "0.0.0-dev", "unknown", "unknown"},
		{"go install @tag", "", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "1.2.3", "tag v1.2.3", "unknown"},
		{"go install @pseudo-version", "", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.4-0.20260102030405-0123456789ab"}},
			"1.2.4-0.20260102030405-0123456789ab", "0123456789ab", "unknown"},
		{"clone build stamped by Go 1.24+", "", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260102030405-0123456789ab+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}},
			"0.0.0-20260102030405-0123456789ab+dirty", "0123456789abcdef0123456789abcdef01234567-dirty", "2026-01-02T03:04:05Z"},
		{"clone build with only vcs.revision", "", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}}},
			"0.0.0-dev+0123456789ab", "0123456789abcdef0123456789abcdef01234567", "2026-01-02T03:04:05Z"},
		{"no build info", "", "", "", nil, "0.0.0-dev", "unknown", "unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := resolveBuild(tc.ver, tc.com, tc.dat, tc.bi)
			if b.Version != tc.wantVer || b.Commit != tc.wantCommit || b.Date != tc.wantDate {
				t.Errorf("resolveBuild = %+v, want version %s commit %s date %s", b, tc.wantVer, tc.wantCommit, tc.wantDate)
			}
			if b.GoVersion == "" || b.Platform == "" {
				t.Errorf("resolveBuild left the Go version or platform empty: %+v", b)
			}
		})
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.sarif")
	if err := os.WriteFile(path, []byte("old report that is longer"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "new" {
		t.Errorf("file holds %q (%v), want %q", got, err, "new")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := writeFileAtomic(filepath.Join(dir, "missing", "out.sarif"), []byte("x")); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	// Only a regular file is removed before the rename: a directory in
	// the way stays and the write fails; a symbolic link is replaced,
	// what it points to untouched.
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(sub, []byte("x")); err == nil {
		t.Error("writing over a directory succeeded")
	}
	if fi, err := os.Stat(sub); err != nil || !fi.IsDir() {
		t.Errorf("the directory in the way went: %v", err)
	}
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.sarif")
	if err := os.Symlink(target, link); err == nil {
		if err := writeFileAtomic(link, []byte("new")); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(target); string(got) != "keep" {
			t.Errorf("the link's target holds %q", got)
		}
		if fi, err := os.Lstat(link); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("the link was not replaced by the report: %v", err)
		}
	}
}

func TestFormatDiagnostic(t *testing.T) {
	for _, tc := range []struct {
		d    scanner.Diagnostic
		want string
	}{
		{scanner.Diagnostic{Severity: scanner.DiagError, File: "infra/main.tf", Line: 3, Column: 7, Summary: "Invalid expression", Detail: "Expected the start of an expression."},
			"infra/main.tf:3:7: error: Invalid expression; Expected the start of an expression."},
		{scanner.Diagnostic{Severity: scanner.DiagWarning, Subject: "projects/acme", Summary: "permission denied", Skipped: true},
			"projects/acme: warning: permission denied (not scanned)"},
		{scanner.Diagnostic{Severity: scanner.DiagError, File: "main.tf", Line: 2, Summary: "Unclosed configuration block", Skipped: true},
			"main.tf:2: error: Unclosed configuration block (not judged)"},
		{scanner.Diagnostic{Severity: scanner.DiagWarning, Summary: "no resources"}, "warning: no resources"},
	} {
		if got := formatDiagnostic(tc.d); got != tc.want {
			t.Errorf("formatDiagnostic = %q, want %q", got, tc.want)
		}
	}
}

func TestTreeRootsAndBases(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"repo/.git", "repo/envs/prod", "repo/envs/staging", "plain/envs/prod", "plain/envs/staging", "other"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	j := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	for _, tc := range []struct {
		name, cwd string
		dirs      []string
		roots     []string
		base      string
	}{
		{"the repository from its top", "repo", []string{"repo/envs/prod"}, []string{"repo"}, "repo"},
		{"the repository from a subdirectory", "repo/envs/prod", []string{"repo/envs/prod"}, []string{"repo"}, "repo"},
		{"the repository from a sibling", "other", []string{"repo/envs/prod", "repo/envs/staging"}, []string{"repo", "repo"}, "repo"},
		{"no repository, inside the working directory", "plain", []string{"plain/envs/prod"}, []string{"plain"}, "plain"},
		{"no repository, from a sibling", "other", []string{"plain/envs/prod", "plain/envs/staging"},
			[]string{"plain/envs/prod", "plain/envs/staging"}, "plain/envs"},
		{"no repository, one outside", "other", []string{"plain/envs/prod"}, []string{"plain/envs/prod"}, "plain/envs/prod"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &cli{dir: j(tc.cwd)}
			var srcs []source
			for i, d := range tc.dirs {
				s := source{path: j(d), root: c.treeRoot(j(d))}
				if s.root != j(tc.roots[i]) {
					t.Errorf("treeRoot(%s) = %s, want %s", d, s.root, j(tc.roots[i]))
				}
				srcs = append(srcs, s)
			}
			c.setBases(srcs)
			for _, s := range srcs {
				if s.base != j(tc.base) {
					t.Errorf("base of %s = %s, want %s", s.path, s.base, j(tc.base))
				}
			}
		})
	}
}

func TestParseScopeLabels(t *testing.T) {
	got, err := parseScopeLabels([]string{"data=gmail", "env=prod", "data=gmail"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"data": "gmail", "env": "prod"}, got); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	for _, bad := range [][]string{{"data"}, {"=x"}, {"data=gmail", "data=drive"}} {
		if _, err := parseScopeLabels(bad); err == nil {
			t.Errorf("parseScopeLabels(%q) accepted it", bad)
		}
	}
}

func TestGroupChecks(t *testing.T) {
	all := []*scanner.Check{
		{ID: "GCP-ACC-001", Measures: []scanner.Measure{scanner.M5}},
		{ID: "GCP-ENC-006", Measures: []scanner.Measure{scanner.M3, scanner.M1}},
		{ID: "GCP-ENC-001", Measures: []scanner.Measure{scanner.M1}},
		{ID: "GCP-LOG-001"},
		{ID: "GCP-XYZ-001", Measures: []scanner.Measure{scanner.M2}},
		{ID: "GCP-DFT-001", Measures: []scanner.Measure{scanner.M1, scanner.M4}},
		{ID: "GCP-TLS-001", Measures: []scanner.Measure{scanner.M2}},
	}
	var got, titles []string
	for _, g := range groupChecks(all) {
		titles = append(titles, g.Title())
		var ids []string
		for _, c := range g.Checks {
			ids = append(ids, c.ID)
		}
		got = append(got, string(g.Measure)+" "+g.Family+": "+strings.Join(ids, ","))
	}
	want := []string{
		"M1 GCP-ENC: GCP-ENC-001,GCP-ENC-006",
		"M2 GCP-TLS: GCP-TLS-001",
		"M5 GCP-ACC: GCP-ACC-001",
		"M7 GCP-LOG: GCP-LOG-001",
		" GCP-DFT: GCP-DFT-001",
		" GCP-XYZ: GCP-XYZ-001",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if titles[4] != "Drift between Terraform and what is deployed" || titles[5] != "Other checks (GCP-XYZ)" {
		t.Errorf("titles of the families of no single measure: %q", titles[4:])
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"GCP-ENC-001: Storage bucket without CMEK": "gcp-enc-001-storage-bucket-without-cmek",
		"M1 · User data encrypted at rest":         "m1--user-data-encrypted-at-rest",
		"GCP-TLS-003: Plain-HTTP (load) balancer":  "gcp-tls-003-plain-http-load-balancer",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("one two three four\n\nfive", 9)
	want := []string{"one two", "three", "four", "", "five"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("wrap (-want +got):\n%s", diff)
	}
}

func TestPlanShard(t *testing.T) {
	for _, tc := range []struct {
		name      string
		live      bool
		flag      string
		env       []string
		wantIndex int
		wantCount int
		wantErr   bool
	}{
		{"flag", true, "1/4", nil, 1, 4, false},
		{"flag wins over env", true, "0/2", []string{"CLOUD_RUN_TASK_INDEX=3", "CLOUD_RUN_TASK_COUNT=5"}, 0, 2, false},
		{"cloud run env", true, "", []string{"CLOUD_RUN_TASK_INDEX=3", "CLOUD_RUN_TASK_COUNT=5"}, 3, 5, false},
		{"env ignored without live sources", false, "", []string{"CLOUD_RUN_TASK_INDEX=3", "CLOUD_RUN_TASK_COUNT=5"}, 0, 0, false},
		{"index out of range", true, "4/4", nil, 0, 0, true},
		{"not I/N", true, "2", nil, 0, 0, true},
		{"flag without live sources", false, "0/2", nil, 0, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &cli{environ: tc.env}
			p := &scanPlan{live: tc.live}
			err := c.planShard(p, tc.flag)
			if (err != nil) != tc.wantErr {
				t.Fatalf("planShard error = %v, want error %v", err, tc.wantErr)
			}
			if err == nil && (p.shardIndex != tc.wantIndex || p.shardCount != tc.wantCount) {
				t.Errorf("shard %d/%d, want %d/%d", p.shardIndex, p.shardCount, tc.wantIndex, tc.wantCount)
			}
		})
	}
}

func TestScanRoot(t *testing.T) {
	dir := t.TempDir()
	c := &cli{dir: dir}
	for _, tc := range []struct {
		name string
		args []string
		f    scanFlags
		p    scanPlan
		want string
	}{
		{"default", []string{"."}, scanFlags{}, scanPlan{}, "."},
		{"relative path", []string{"infra/"}, scanFlags{}, scanPlan{}, "infra"},
		{"absolute path inside the working directory", []string{filepath.Join(dir, "infra")}, scanFlags{}, scanPlan{}, "infra"},
		{"live scopes", nil, scanFlags{projects: []string{"p1"}, orgs: []string{"42"}}, scanPlan{}, "projects/p1,organizations/42"},
		{"shard", nil, scanFlags{orgs: []string{"42"}}, scanPlan{shardIndex: 2, shardCount: 8}, "organizations/42,shard-2-of-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.scanRoot(tc.args, &tc.f, &tc.p); got != tc.want {
				t.Errorf("scanRoot = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestColor checks that colour is used only on a terminal, never when the
// report goes to a file, and never with --no-color, NO_COLOR or TERM=dumb.
func TestColor(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name     string
		terminal bool
		env      []string
		f        scanFlags
		want     bool
	}{
		{"terminal", true, nil, scanFlags{}, true},
		{"not a terminal", false, nil, scanFlags{}, false},
		{"--no-color", true, nil, scanFlags{noColor: true}, false},
		{"NO_COLOR", true, []string{"NO_COLOR=1"}, scanFlags{}, false},
		{"empty NO_COLOR", true, []string{"NO_COLOR="}, scanFlags{}, true},
		{"TERM=dumb", true, []string{"TERM=dumb"}, scanFlags{}, false},
		{"--output", true, nil, scanFlags{outputs: []string{"out.txt"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _, _ := newTestCLI(dir, tc.env, testNow)
			c.isTerminal = func(io.Writer) bool { return tc.terminal }
			p, err := c.planScan(&tc.f, []string{"."})
			if err != nil {
				t.Fatal(err)
			}
			if p.report.Color != tc.want {
				t.Errorf("colour = %v, want %v", p.report.Color, tc.want)
			}
		})
	}
}

// panicWriter panics on every write, standing in for a bug anywhere in a
// command.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("bug\x1b[31m in a writer") }

// TestRunRecoversPanics: a panic is an internal error, reported escaped,
// and exits 3 (incomplete), never 2 (usage) or 0.
func TestRunRecoversPanics(t *testing.T) {
	c, _, stderr := newTestCLI(t.TempDir(), nil, testNow)
	c.stdout = panicWriter{}
	if code := c.run(context.Background(), []string{"checks"}); code != exitSkipped {
		t.Errorf("exit code %d, want %d", code, exitSkipped)
	}
	got := stderr.String()
	if !strings.Contains(got, `casascan: internal error: "bug\x1b[31m in a writer"; the scan is incomplete`) || strings.Contains(got, "\x1b") {
		t.Errorf("stderr:\n%s", got)
	}
	if !strings.Contains(got, "panicWriter.Write") {
		t.Errorf("stderr has no stack:\n%s", got)
	}
}
