package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite docs/checks.md and the -- stdout -- sections of fixtures/cli/*.txtar")

// testNow is the clock of every test run, so ignore expiry is deterministic.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

var testBuild = buildInfo{Version: "0.0.0-test", Commit: "0123abc", Date: "2026-01-02T03:04:05Z", GoVersion: "go1.x", Platform: "os/arch"}

// newTestCLI returns a cli working in dir with a fixed clock, version and
// environment, writing to buffers; never a terminal.
func newTestCLI(dir string, env []string, now time.Time) (*cli, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	return &cli{
		stdout: &stdout, stderr: &stderr,
		dir: dir, environ: env, now: func() time.Time { return now },
		isTerminal: func(io.Writer) bool { return false },
		build:      testBuild,
	}, &stdout, &stderr
}

// cliCase is one fixtures/cli/*.txtar file. Its comment holds directives
// (other lines describe the case):
//
//	args: scan . --format json     the command line (quotes group words)
//	exit: 1                        the expected exit code
//	env: TF_VAR_region=eu          an environment variable (repeatable)
//	now: 2027-01-01                the clock (default testNow)
//
// Files whose names are below are expectations; every other file is written
// into the case's working directory before the run.
//
//	stdout                  stdout exactly (-update rewrites it)
//	stdout-contains         each non-blank line appears in stdout
//	stdout-not-contains     no non-blank line appears in stdout
//	stderr-contains         each non-blank line appears in stderr
//	stderr-not-contains     no non-blank line appears in stderr
//	written:FILE            FILE exists after the run and holds each line
//
// Before comparing, the case's directory in the output becomes $WORK.
type cliCase struct {
	args   []string
	exit   int
	env    []string
	now    time.Time
	inputs []txtar.File
	expect map[string]string
	order  []string // expectation names in file order
}

func parseCase(data []byte) (*cliCase, error) {
	ar := txtar.Parse(data)
	c := &cliCase{exit: -1, now: testNow, expect: map[string]string{}}
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		key, val, ok := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		switch {
		case !ok:
			continue
		case key == "args":
			args, err := splitArgs(val)
			if err != nil {
				return nil, err
			}
			c.args = args
		case key == "exit":
			n, err := strconv.Atoi(val)
			if err != nil {
				return nil, fmt.Errorf("exit: %w", err)
			}
			c.exit = n
		case key == "env":
			c.env = append(c.env, val)
		case key == "now":
			t, err := time.Parse("2006-01-02", val)
			if err != nil {
				return nil, fmt.Errorf("now: %w", err)
			}
			c.now = t
		}
	}
	if c.args == nil || c.exit < 0 {
		return nil, fmt.Errorf("the comment needs an args: and an exit: line")
	}
	for _, f := range ar.Files {
		if isExpectation(f.Name) {
			c.expect[f.Name] = string(f.Data)
			c.order = append(c.order, f.Name)
			continue
		}
		c.inputs = append(c.inputs, f)
	}
	return c, nil
}

func isExpectation(name string) bool {
	switch name {
	case "stdout", "stdout-contains", "stdout-not-contains", "stderr-contains", "stderr-not-contains":
		return true
	}
	return strings.HasPrefix(name, "written:")
}

// splitArgs splits a command line on spaces; single or double quotes group
// words, as a shell would.
func splitArgs(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated quote in %q", s)
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args, nil
}

func TestSplitArgs(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"scan . --format sarif", []string{"scan", ".", "--format", "sarif"}},
		{`scan --var 'name=a b' --var "x=1"`, []string{"scan", "--var", "name=a b", "--var", "x=1"}},
		{`scan --var ''`, []string{"scan", "--var", ""}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := splitArgs(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("splitArgs(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
	if _, err := splitArgs(`scan 'open`); err == nil {
		t.Error("splitArgs accepted an unterminated quote")
	}
}

// TestCLI runs every fixtures/cli/*.txtar case through run, in-process.
func TestCLI(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "fixtures", "cli", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CLI cases found (%v)", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			runCase(t, file)
		})
	}
}

func runCase(t *testing.T, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tc, err := parseCase(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	dir := t.TempDir()
	for _, f := range tc.inputs {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, stdout, stderr := newTestCLI(dir, tc.env, tc.now)
	code := c.run(context.Background(), tc.args)
	norm := func(s string) string { return strings.ReplaceAll(s, dir, "$WORK") }
	out, errOut := norm(stdout.String()), norm(stderr.String())
	if code != tc.exit {
		t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.exit, out, errOut)
	}
	if want, ok := tc.expect["stdout"]; ok {
		if *update {
			rewriteStdout(t, file, data, out)
		} else if diff := cmp.Diff(want, out); diff != "" {
			t.Errorf("stdout (-want +got):\n%s\nstderr:\n%s", diff, errOut)
		}
	}
	for _, name := range tc.order {
		want := tc.expect[name]
		switch {
		case name == "stdout-contains":
			checkContains(t, "stdout", out, want, true)
		case name == "stdout-not-contains":
			checkContains(t, "stdout", out, want, false)
		case name == "stderr-contains":
			checkContains(t, "stderr", errOut, want, true)
		case name == "stderr-not-contains":
			checkContains(t, "stderr", errOut, want, false)
		case strings.HasPrefix(name, "written:"):
			target := strings.TrimPrefix(name, "written:")
			got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(target)))
			if err != nil {
				t.Errorf("%s was not written: %v\nstderr:\n%s", target, err, errOut)
				continue
			}
			checkContains(t, target, norm(string(got)), want, true)
		}
	}
}

// checkContains checks that each non-blank line of lines is (or is not) in
// got.
func checkContains(t *testing.T, what, got, lines string, want bool) {
	t.Helper()
	for _, line := range strings.Split(lines, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.Contains(got, line) != want {
			verb := "lacks"
			if !want {
				verb = "holds"
			}
			t.Errorf("%s %s %q; it is:\n%s", what, verb, line, got)
		}
	}
}

func rewriteStdout(t *testing.T, file string, data []byte, out string) {
	t.Helper()
	ar := txtar.Parse(data)
	for i := range ar.Files {
		if ar.Files[i].Name == "stdout" {
			ar.Files[i].Data = []byte(out)
		}
	}
	if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}
