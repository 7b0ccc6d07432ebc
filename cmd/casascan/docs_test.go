package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/tools/txtar"
)

// docFiles are the documents whose commands and flags TestDocs holds to
// the CLI.
func docFiles(t *testing.T) []string {
	t.Helper()
	files := []string{filepath.Join("..", "..", "README.md")}
	more, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil || len(more) == 0 {
		t.Fatalf("no docs found (%v)", err)
	}
	return append(files, more...)
}

// docText is one stretch of a document that may hold a command: a line of
// a fenced code block, or an inline code span.
type docText struct {
	where string // file:line
	text  string
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

func docTexts(t *testing.T, file string) []docText {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(file)
	var out []docText
	fenced := false
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		where := name + ":" + strconv.Itoa(i+1)
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			// A shell line continued with \ is one command.
			for strings.HasSuffix(line, `\`) && i+1 < len(lines) {
				i++
				line = strings.TrimSuffix(line, `\`) + " " + strings.TrimSpace(lines[i])
			}
			out = append(out, docText{where, strings.TrimSpace(line)})
			continue
		}
		for _, m := range codeSpan.FindAllStringSubmatch(strings.ReplaceAll(line, `\|`, "|"), -1) {
			out = append(out, docText{where, strings.TrimSpace(m[1])})
		}
	}
	return out
}

// docCommand returns the casascan command line a text holds ("casascan
// scan . --fail-on HIGH"), without the program name, a trailing comment,
// a redirection or a pipe; ok is false when the text is no casascan
// command, or a synopsis with placeholders (casascan checks [ID]).
func docCommand(text string) (args []string, ok bool) {
	rest, ok := strings.CutPrefix(text, "go run ./cmd/casascan ")
	if !ok {
		if rest, ok = strings.CutPrefix(text, "casascan "); !ok {
			return nil, false
		}
	}
	text = rest
	// A comment, a redirection, a pipe, or the description column of a
	// synopsis ends the command.
	for _, cut := range []string{" #", " >", " |", " &&", ")", "   "} {
		if i := strings.Index(text, cut); i >= 0 {
			text = text[:i]
		}
	}
	words, err := splitArgs(text)
	if err != nil || len(words) == 0 {
		return nil, false
	}
	switch words[0] {
	case "scan", "checks", "merge", "version", "completion", "help":
	default:
		return nil, false // prose: "casascan checks Google Cloud ..."
	}
	for _, w := range words {
		if strings.ContainsAny(w, "[]") || strings.Contains(w, "...") || w == "ID" || w == "SHELL" || w == "IMAGE" {
			return nil, false
		}
	}
	return words, true
}

var docFlag = regexp.MustCompile(`(?:^|[\s(\[,])(--[a-z][a-z0-9-]*)`)

// notOurs are flags the docs name that belong to another program, with
// where they come from.
var notOurs = map[string]string{
	"--content-type": "gcloud asset export",
}

// TestDocs holds README.md and docs/*.md to the CLI, so they cannot drift:
// every casascan command line in them parses and passes the scan's
// validation (planScan, which reads no source), and every --flag they name
// is a flag of a casascan command, or a tfsec/trivy flag the CLI refuses
// with a hint, or another program's flag listed in notOurs.
func TestDocs(t *testing.T) {
	known := map[string]bool{}
	c0, _, _ := newTestCLI(t.TempDir(), nil, testNow)
	root := c0.rootCommand()
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpFlag()
	var visit func(cmd *cobra.Command)
	visit = func(cmd *cobra.Command) {
		cmd.InitDefaultHelpFlag()
		cmd.Flags().VisitAll(func(f *pflag.Flag) { known["--"+f.Name] = true })
		cmd.PersistentFlags().VisitAll(func(f *pflag.Flag) { known["--"+f.Name] = true })
		for _, sub := range cmd.Commands() {
			visit(sub)
		}
	}
	visit(root)
	known["--tfvars-file"] = true // flagAliases
	known["--version"] = true     // cobra's, from Version

	commands, flags := 0, 0
	for _, file := range docFiles(t) {
		for _, dt := range docTexts(t, file) {
			args, isCommand := docCommand(dt.text)
			if isCommand {
				commands++
				checkDocCommand(t, dt.where, args)
			}
			// Flags: in casascan commands, and in code spans that are a
			// flag ("--output FILE", "--scan-downloaded-modules=false").
			if !isCommand && !strings.HasPrefix(dt.text, "--") && !strings.HasPrefix(dt.text, "-f") && !strings.HasPrefix(dt.text, "args:") {
				continue
			}
			for _, m := range docFlag.FindAllStringSubmatch(dt.text, -1) {
				flag := m[1]
				flags++
				switch {
				case known[flag]:
				case foreignFlags[strings.TrimPrefix(flag, "--")] != "":
					checkForeignFlag(t, dt.where, flag)
				case notOurs[flag] != "":
				default:
					t.Errorf("%s: %s names %s, which no casascan command takes", dt.where, dt.text, flag)
				}
			}
		}
	}
	t.Logf("%d commands and %d flags checked", commands, flags)
	if commands < 20 || flags < 40 {
		t.Errorf("found only %d commands and %d flags in the docs: is the extraction broken?", commands, flags)
	}
}

// checkForeignFlag: a foreign flag the docs name is refused with a hint.
func checkForeignFlag(t *testing.T, where, flag string) {
	t.Helper()
	c, _, stderr := newTestCLI(t.TempDir(), nil, testNow)
	c.planOnly = true
	code := c.run(context.Background(), []string{"scan", flag})
	if code != exitUsage || !strings.Contains(stderr.String(), "casascan has no "+flag) {
		t.Errorf("%s: %s: exit %d, stderr %q; want a usage error naming casascan's flag", where, flag, code, stderr)
	}
}

// checkDocCommand runs a documented command line: scan only as far as
// planScan, in a directory holding the paths and files it names; checks,
// version and completion whole.
func checkDocCommand(t *testing.T, where string, args []string) {
	t.Helper()
	dir := t.TempDir()
	if args[0] == "merge" || (args[0] == "checks" && len(args) > 1 && args[1] == "test") {
		// merge reads SARIF files, checks test a user's checks and
		// fixtures: only their flags are checked.
		c, _, _ := newTestCLI(dir, nil, testNow)
		cmd, rest, err := c.rootCommand().Find(args)
		if err == nil {
			err = cmd.ParseFlags(rest)
		}
		if err != nil {
			t.Errorf("%s: casascan %s: %v", where, strings.Join(args, " "), err)
		}
		return
	}
	if args[0] == "scan" {
		prepareDocTree(t, dir, args)
	}
	for i, a := range args {
		// Custom check directories named: empty ones, no check in them.
		if v, ok := strings.CutPrefix(a, "--check-dir="); ok {
			os.MkdirAll(filepath.Join(dir, v), 0o755)
		} else if a == "--check-dir" && i+1 < len(args) {
			os.MkdirAll(filepath.Join(dir, args[i+1]), 0o755)
		}
	}
	c, stdout, stderr := newTestCLI(dir, nil, testNow)
	c.planOnly = true
	if code := c.run(context.Background(), args); code != exitOK {
		t.Errorf("%s: casascan %s: exit %d\nstdout:\n%.300s\nstderr:\n%s", where, strings.Join(args, " "), code, stdout, stderr)
	}
}

// prepareDocTree creates what a documented scan names: each PATH (a
// Terraform directory, or a plan or export from the CLI fixtures), and the
// files its flags read.
func prepareDocTree(t *testing.T, dir string, args []string) {
	t.Helper()
	fixture := func(txtarName, file string) []byte {
		ar, err := txtar.ParseFile(filepath.Join("..", "..", "fixtures", "cli", txtarName))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if f.Name == file {
				return f.Data
			}
		}
		t.Fatalf("%s has no %s", txtarName, file)
		return nil
	}
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, _, _ := newTestCLI(dir, nil, testNow)
	cmd, rest, err := c.rootCommand().Find(args)
	if err != nil {
		return // the run reports it
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return
	}
	for _, p := range cmd.Flags().Args() {
		switch {
		case strings.Contains(p, "plan"):
			write(p, fixture("plan_file.txtar", "infra/plan.json"))
		case strings.Contains(p, "asset"):
			write(p, fixture("asset_export.txtar", "assets.ndjson"))
		default:
			write(filepath.Join(p, "main.tf"), nil)
		}
	}
	for _, name := range []string{"var-file", "config", "baseline"} {
		if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
			vals := []string{f.Value.String()}
			if sv, ok := f.Value.(pflag.SliceValue); ok {
				vals = sv.GetSlice()
			}
			for _, v := range vals {
				if !slices.Contains([]string{"", "[]"}, v) {
					write(v, []byte("{}\n"))
				}
			}
		}
	}
}
