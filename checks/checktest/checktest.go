// Package checktest loads the inputs of check tests through the real
// readers (the Terraform evaluator, the asset export reader, the plan
// reader) and runs a check over them, so a test reads as a table of inline
// Terraform and expected verdicts (tflint's helper.TestRunner is the model).
// A check test never builds a graph by hand: a hand-built graph drifts from
// what users get.
package checktest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/casascan/casascan/providers/gcp"
	"github.com/casascan/casascan/providers/plan"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
)

// Option steers Load.
type Option func(*options)

type options struct {
	vars  []string
	env   []string
	diags []string
}

// Vars sets root variables as --var NAME=VALUE does.
func Vars(nameValues ...string) Option {
	return func(o *options) { o.vars = append(o.vars, nameValues...) }
}

// Env sets the environment (TF_VAR_*, TF_WORKSPACE) as NAME=VALUE pairs.
func Env(pairs ...string) Option {
	return func(o *options) { o.env = append(o.env, pairs...) }
}

// Diagnostics declares the error diagnostics the input is expected to
// raise, by summary: every error must be listed and every listed summary
// raised. Without it, any error diagnostic fails the test.
func Diagnostics(summaries ...string) Option {
	return func(o *options) { o.diags = append(o.diags, summaries...) }
}

// Load writes files (a path relative to the root module → its content;
// "modules/x/main.tf" for a local module) to a temporary directory and
// loads it as one Terraform root module with the real evaluator.
func Load(t testing.TB, files map[string]string, opts ...Option) *scanner.Graph {
	t.Helper()
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	dir := writeFiles(t, files)
	g, err := terraform.Load(context.Background(), dir, terraform.Options{Base: dir, Vars: o.vars, Env: o.env})
	if err != nil {
		t.Fatalf("loading Terraform: %v", err)
	}
	checkDiagnostics(t, g.Diagnostics, o.diags)
	return g
}

// HCL loads src as the main.tf of a root module, or, when src starts with a
// "-- name --" line, as the files of a txtar archive (see Files).
func HCL(t testing.TB, src string, opts ...Option) *scanner.Graph {
	t.Helper()
	return Load(t, Files(src), opts...)
}

// Files reads a txtar-like archive: each "-- path --" line starts a file
// that runs to the next such line. Text before the first header (or all of
// src when there is none) is main.tf.
func Files(src string) map[string]string {
	files := map[string]string{}
	name := "main.tf"
	var body strings.Builder
	flush := func() {
		if name != "main.tf" || strings.TrimSpace(body.String()) != "" {
			files[name] += body.String()
		}
		body.Reset()
	}
	for _, line := range strings.SplitAfter(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") && len(trimmed) > 6 {
			flush()
			name = strings.TrimSpace(trimmed[3 : len(trimmed)-3])
			continue
		}
		body.WriteString(line)
	}
	flush()
	return files
}

// Export reads ndjson, a Cloud Asset Inventory export, with the real export
// reader: live resources as casascan maps them.
func Export(t testing.TB, ndjson string, opts ...Option) *scanner.Graph {
	t.Helper()
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	dir := t.TempDir()
	g, err := gcp.ReadExport(context.Background(), []byte(ndjson), "assets.ndjson", dir)
	if err != nil {
		t.Fatalf("reading the asset export: %v", err)
	}
	checkDiagnostics(t, g.Diagnostics, o.diags)
	return g
}

// Plan reads planJSON (terraform show -json output) with the real plan
// reader, with no Terraform source beside it.
func Plan(t testing.TB, planJSON string, opts ...Option) *scanner.Graph {
	t.Helper()
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	dir := writeFiles(t, map[string]string{"plan.json": planJSON})
	g, err := plan.Load(context.Background(), filepath.Join(dir, "plan.json"), plan.Options{Base: dir})
	if err != nil {
		t.Fatalf("reading the plan: %v", err)
	}
	checkDiagnostics(t, g.Diagnostics, o.diags)
	return g
}

func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func checkDiagnostics(t testing.TB, diags []scanner.Diagnostic, expected []string) {
	t.Helper()
	raised := map[string]bool{}
	for _, d := range diags {
		raised[d.Summary] = true
		if d.Severity == scanner.DiagError && !slices.Contains(expected, d.Summary) {
			t.Errorf("unexpected diagnostic: %s", d)
		}
	}
	for _, s := range expected {
		if !raised[s] {
			t.Errorf("expected diagnostic %q was not raised", s)
		}
	}
}

// Now is the fixed time checks run at, so ignore expiry is reproducible.
var Now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Run runs c over graphs as a scan does (scanner.Run: the check's Sources,
// ignore comments, deduplication) and returns the result. It fails the test
// when a finding has no message, when a message shows one of secrets, or,
// for a per-resource check, when the check judged no resource at all: such
// a case does not exercise the check, whatever it expects.
func Run(t testing.TB, c *scanner.Check, graphs []*scanner.Graph, secrets ...string) *scanner.Result {
	t.Helper()
	res := scanner.Run([]*scanner.Check{c}, graphs, scanner.Options{Now: Now})
	for _, d := range res.Diagnostics {
		if strings.HasPrefix(d.Summary, "internal error") {
			t.Errorf("%s crashed: %s", c.ID, d)
		}
	}
	judged := 0
	for f := range res.All() {
		if f.CheckID != c.ID {
			continue
		}
		judged++
		if f.Message == "" || f.Message == f.Resource+": " {
			t.Errorf("%s: the finding on %s (%s) has no message", c.ID, f.Resource, f.Attribute)
		}
		for _, s := range secrets {
			if strings.Contains(f.Message, s) || strings.Contains(f.Reason, s) {
				t.Errorf("%s: message %q shows a secret value", c.ID, f.Message)
			}
		}
	}
	if err := res.Err(); err != nil {
		t.Errorf("%s: reading the findings back: %v", c.ID, err)
	}
	if judged == 0 && len(c.Types) > 0 {
		t.Errorf("%s judged nothing: the input holds no resource of %v it judges", c.ID, c.Types)
	}
	return res
}

// Judge runs c over graphs (see Run) and returns one line per finding that
// is not a PASS, "ADDRESS ATTRIBUTE STATUS", followed by " -> ADDRESS" for
// each related resource, sorted.
func Judge(t testing.TB, c *scanner.Check, graphs ...*scanner.Graph) []string {
	t.Helper()
	return Lines(Run(t, c, graphs), c.ID, false)
}

// Lines renders the findings of check id in res as Judge does; with passes,
// PASS findings too.
func Lines(res *scanner.Result, id string, passes bool) []string {
	var out []string
	for f := range res.All() {
		if f.CheckID != id || (f.Status == scanner.StatusPass && !passes) {
			continue
		}
		s := f.Resource + " " + f.Attribute + " " + string(f.Status)
		for _, r := range f.Related {
			if r.Kind == "resource" {
				s += " -> " + r.Address
			}
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// Verdicts runs c over graphs (see Run) and returns each judged resource's
// status: its worst, FAIL over UNKNOWN over the others, when it has several
// findings.
func Verdicts(t testing.TB, c *scanner.Check, graphs ...*scanner.Graph) map[string]scanner.Status {
	t.Helper()
	rank := map[scanner.Status]int{scanner.StatusFail: 3, scanner.StatusUnknown: 2, scanner.StatusIgnored: 1}
	out := map[string]scanner.Status{}
	res := Run(t, c, graphs)
	for f := range res.All() {
		if f.CheckID != c.ID {
			continue
		}
		if old, ok := out[f.Resource]; !ok || rank[f.Status] > rank[old] {
			out[f.Resource] = f.Status
		}
	}
	if err := res.Err(); err != nil {
		t.Errorf("%s: reading the findings back: %v", c.ID, err)
	}
	return out
}
