package checks

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/casascan/casascan/providers/gcp"
	"github.com/casascan/casascan/providers/link"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

// fixtureRoot holds fixtures/checks/<ID>/{pass,fail}/<case>/, each case a
// Terraform root module.
const fixtureRoot = "../fixtures/checks"

// catalogPath is the check catalog, a contract kept beside the repository.
const catalogPath = "../../shared/checks.md"

var catalogID = regexp.MustCompile(`^GCP-[A-Z]{3}-\d{3}$`)

// extensions are casascan's own checks beyond the policy's catalog: they
// are not rows of checks.md, so TestCatalogMatchesChecksMD checks that they
// stay out of it instead, and their family (DFT: drift between live
// resources and their Terraform) serves several measures, not one.
var extensions = map[string]bool{"GCP-DFT-001": true}

// familyMeasure is the measure each family of checks serves (checks.md).
var familyMeasure = map[string]scanner.Measure{
	"ENC": scanner.M1, "TLS": scanner.M2, "SEC": scanner.M3, "KMS": scanner.M4,
	"ACC": scanner.M5, "DEL": scanner.M6, "LOG": scanner.M7,
}

func TestCatalogInvariants(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range All() {
		if !catalogID.MatchString(c.ID) {
			t.Errorf("%q: ID does not match %s", c.ID, catalogID)
		}
		if seen[c.ID] {
			t.Errorf("%s: duplicate ID", c.ID)
		}
		seen[c.ID] = true
		if ByID(c.ID) != c {
			t.Errorf("%s: ByID does not return it", c.ID)
		}
		for field, empty := range map[string]bool{
			"Title": c.Title == "", "CWE": c.CWE <= 0, "ASVS": len(c.ASVS) == 0,
			"Measures": len(c.Measures) == 0, "Why": strings.TrimSpace(c.Why) == "",
			"Remediation": strings.TrimSpace(c.Remediation) == "", "Fix": strings.TrimSpace(c.Fix) == "",
			"Severity": c.Severity < scanner.Low || c.Severity > scanner.Critical,
		} {
			if empty {
				t.Errorf("%s: %s is missing", c.ID, field)
			}
		}
		if (len(c.Types) > 0) != (c.Test != nil) || (len(c.Types) == 0) != (c.TestGraph != nil) {
			t.Errorf("%s: want Types with Test, or TestGraph alone", c.ID)
		}
		if len(c.ID) == len("GCP-XXX-000") {
			if m, ok := familyMeasure[c.ID[4:7]]; ok && !containsMeasure(c.Measures, m) {
				t.Errorf("%s: Measures %v lack the family's %s", c.ID, c.Measures, m)
			} else if !ok && !extensions[c.ID] {
				t.Errorf("%s: family %s serves no measure and the check is not an extension", c.ID, c.ID[4:7])
			}
		}
	}
	if !sort.SliceIsSorted(All(), func(i, j int) bool { return All()[i].ID < All()[j].ID }) {
		t.Error("All is not sorted by ID")
	}
}

func containsMeasure(ms []scanner.Measure, m scanner.Measure) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

func TestCatalogFixtureDirs(t *testing.T) {
	for _, c := range All() {
		for _, kind := range []string{"pass", "fail"} {
			if cases := caseDirs(t, filepath.Join(fixtureRoot, c.ID, kind)); len(cases) == 0 {
				t.Errorf("%s: no fixtures in %s/%s/%s", c.ID, fixtureRoot, c.ID, kind)
			}
		}
	}
	dirs, err := os.ReadDir(fixtureRoot)
	if err != nil {
		t.Fatalf("reading %s: %v", fixtureRoot, err)
	}
	for _, d := range dirs {
		if ByID(d.Name()) == nil {
			t.Errorf("%s/%s names no check", fixtureRoot, d.Name())
		}
	}
}

// catalogRow is one check as checks.md states it.
type catalogRow struct {
	ID, Title string
	Severity  scanner.Severity
	CWE       int
	ASVS      []string
	CASA      []string
}

// readCatalog parses the check tables of checks.md: ID | title | fails when
// | sev | CWE | ASVS / CASA. The last three cells are taken from the end of
// the row, so a pipe inside "fails when" cannot shift them.
func readCatalog(t *testing.T) map[string]catalogRow {
	t.Helper()
	src, err := os.ReadFile(catalogPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s is not beside the repository", catalogPath)
	}
	if err != nil {
		t.Fatalf("reading %s: %v", catalogPath, err)
	}
	rows := map[string]catalogRow{}
	for _, line := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(line, "| GCP-") {
			continue
		}
		cells := strings.Split(line, "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		n := len(cells)
		if n < 8 {
			t.Fatalf("%s: short row %q", catalogPath, line)
		}
		sev, err := scanner.ParseSeverity(cells[n-4])
		if err != nil {
			t.Fatalf("%s: %s: %v", catalogPath, cells[1], err)
		}
		cwe, err := strconv.Atoi(cells[n-3])
		if err != nil {
			t.Fatalf("%s: %s: CWE %q: %v", catalogPath, cells[1], cells[n-3], err)
		}
		asvs, casa, _ := strings.Cut(cells[n-2], "/")
		rows[cells[1]] = catalogRow{ID: cells[1], Title: cells[2], Severity: sev, CWE: cwe,
			ASVS: splitList(asvs), CASA: splitList(casa)}
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no check rows found", catalogPath)
	}
	return rows
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func TestCatalogMatchesChecksMD(t *testing.T) {
	rows := readCatalog(t)
	for id := range extensions {
		if ByID(id) == nil {
			t.Errorf("extension %s names no check", id)
		}
	}
	for _, c := range All() {
		row, ok := rows[c.ID]
		if extensions[c.ID] {
			if ok {
				t.Errorf("%s is in %s now: take it out of extensions", c.ID, catalogPath)
			}
			continue
		}
		if !ok {
			t.Errorf("%s is not in %s", c.ID, catalogPath)
			continue
		}
		got := catalogRow{ID: c.ID, Title: c.Title, Severity: c.Severity, CWE: c.CWE, ASVS: c.ASVS, CASA: c.CASA}
		if diff := cmp.Diff(row, got); diff != "" {
			t.Errorf("%s differs from %s (-checks.md +code):\n%s", c.ID, catalogPath, diff)
		}
	}
}

// TestCatalogComplete fails while a check of checks.md is not implemented.
func TestCatalogComplete(t *testing.T) {
	rows := readCatalog(t)
	var missing []string
	for id := range rows {
		if ByID(id) == nil {
			missing = append(missing, id)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d checks of %s are not implemented: %s", len(missing), catalogPath, strings.Join(missing, " "))
	}
}

// removalFixes are the checks whose fix is to remove every resource of their
// types (a service account key is never acceptable), so their Fix holds none.
var removalFixes = map[string]bool{"GCP-SEC-002": true}

// TestFixPasses loads each check's Fix snippet as a Terraform root and runs
// the check over it: the corrected Terraform must not fail its own check, and
// must hold a resource the check judges.
func TestFixPasses(t *testing.T) {
	for _, c := range All() {
		t.Run(c.ID, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(c.Fix), 0o644); err != nil {
				t.Fatal(err)
			}
			g, err := terraform.Load(context.Background(), dir, terraform.Options{Base: dir})
			if err != nil {
				t.Fatalf("loading the Fix: %v", err)
			}
			for _, d := range g.Diagnostics {
				if d.Severity == scanner.DiagError {
					t.Errorf("Fix raises %s", d)
				}
			}
			res := scanner.Run([]*scanner.Check{c}, []*scanner.Graph{g}, scanner.Options{})
			for _, f := range res.Failures() {
				t.Errorf("Fix fails its own check: %s: %s", f.Location, f.Message)
			}
			if len(c.Types) > 0 && !removalFixes[c.ID] && judgesTerraform(c) && res.Count(scanner.StatusPass) == 0 {
				t.Errorf("Fix holds no resource of %v that passes", c.Types)
			}
		})
	}
}

// judgesTerraform reports whether a check applies to Terraform resources;
// one that judges only deployed resources (GCP-DFT-*) has no result on its
// Fix, which must then only not fail.
func judgesTerraform(c *scanner.Check) bool {
	return len(c.Sources) == 0 || slices.Contains(c.Sources, scanner.SourceTerraform)
}

// caseDirs lists the case directories under dir, sorted.
func caseDirs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestChecks runs each check over its fixtures. A fail/ case marks each
// expected FAIL finding on the line its location starts on:
//
//	resource "google_storage_bucket" "b" { # want: GCP-ENC-001
//	  kms_key_name = "" # want: GCP-ENC-005 google_pubsub_topic.t["a"] google_pubsub_topic.t["b"]
//
// (in .tf.json, as a comment property: "//": "want: GCP-ENC-001"). A bare ID
// expects exactly one finding there; addresses after it expect exactly those
// resources. A pass/ case must have no FAIL finding of its check and no
// marker, and must give the check something to judge (judgedAny). "unknown:" markers, when a case has any for its check, likewise
// pin its UNKNOWN findings. A case may not raise an error diagnostic unless it
// lists the expected summaries in diagnostics.txt.
//
// A case may also hold an asset export, assets.ndjson, beside its Terraform:
// the export is loaded as live resources, linked with the Terraform
// (providers/link), and both graphs are judged. Linked live findings point
// at the .tf lines, so the markers there expect them as they do Terraform
// findings (the drift checks, GCP-DFT-*, are written this way).
func TestChecks(t *testing.T) {
	for _, c := range All() {
		for _, kind := range []string{"pass", "fail"} {
			for _, name := range caseDirs(t, filepath.Join(fixtureRoot, c.ID, kind)) {
				dir := filepath.Join(fixtureRoot, c.ID, kind, name)
				t.Run(c.ID+"/"+kind+"/"+name, func(t *testing.T) {
					t.Parallel()
					runCase(t, c, kind, dir)
				})
			}
		}
	}
}

func runCase(t *testing.T, c *scanner.Check, kind, dir string) {
	marks := readMarkers(t, dir)
	want, wantUnknown := marks.expected(c.ID, "want"), marks.expected(c.ID, "unknown")
	switch {
	case kind == "pass" && len(want) > 0:
		t.Fatalf("a pass case has want markers for %s: %v", c.ID, want)
	case kind == "fail" && len(want) == 0:
		t.Fatalf("a fail case has no want marker for %s", c.ID)
	}
	graphs, diags := loadCase(t, dir)
	checkDiagnostics(t, dir, diags)
	res := scanner.Run([]*scanner.Check{c}, graphs, scanner.Options{})
	if kind == "pass" && !judgedAny(t, res, c, graphs) {
		t.Errorf("judged nothing: the fixture does not exercise %s\nall findings:\n%s", c.ID, describe(res))
	}
	got := marks.found(c.ID, "want", res.WithStatus(scanner.StatusFail))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FAIL findings of %s (-want +got):\n%s\nall findings:\n%s", c.ID, diff, describe(res))
	}
	if len(wantUnknown) > 0 {
		got := marks.found(c.ID, "unknown", res.WithStatus(scanner.StatusUnknown))
		if diff := cmp.Diff(wantUnknown, got); diff != "" {
			t.Errorf("UNKNOWN findings of %s (-want +got):\n%s\nall findings:\n%s", c.ID, diff, describe(res))
		}
	}
}

// judgedAny reports whether c reached a verdict on anything in res: a PASS,
// FAIL, UNKNOWN, IGNORED or OUT_OF_SCOPE finding of its own. A whole-graph
// check (no Types: GCP-KMS-005) reports problems only, never a PASS, so for
// it a case counts as judged when it holds a resource of the types the check
// reads (wholeGraphTypes).
func judgedAny(t *testing.T, res *scanner.Result, c *scanner.Check, graphs []*scanner.Graph) bool {
	t.Helper()
	for _, f := range res.List() {
		if f.CheckID == c.ID {
			return true
		}
	}
	if len(c.Types) > 0 {
		return false
	}
	types, ok := wholeGraphTypes[c.ID]
	if !ok {
		t.Fatalf("%s is a whole-graph check missing from wholeGraphTypes", c.ID)
	}
	return holdsManaged(graphs, types)
}

// holdsManaged reports whether graphs hold a managed resource of types.
func holdsManaged(graphs []*scanner.Graph, types []string) bool {
	for _, g := range graphs {
		for _, typ := range types {
			for _, r := range g.OfType(typ) {
				if r.Mode == scanner.Managed {
					return true
				}
			}
		}
	}
	return false
}

// wholeGraphTypes are the resource types each whole-graph check reads.
var wholeGraphTypes = map[string][]string{
	"GCP-KMS-005": {"google_project_iam_binding", "google_project_iam_member", "google_project_iam_policy"},
}

// loadCase loads a case's Terraform and, when it has one, its asset export
// linked with the Terraform (the export's graph first).
func loadCase(t *testing.T, dir string) ([]*scanner.Graph, []scanner.Diagnostic) {
	t.Helper()
	ctx := context.Background()
	g, err := terraform.Load(ctx, dir, terraform.Options{Base: dir})
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	export := filepath.Join(dir, "assets.ndjson")
	if _, err := os.Stat(export); errors.Is(err, fs.ErrNotExist) {
		return []*scanner.Graph{g}, g.Diagnostics
	}
	live, err := gcp.LoadExport(ctx, export, dir)
	if err != nil {
		t.Fatalf("loading %s: %v", export, err)
	}
	linked, _, linkDiags := link.Graphs([]*scanner.Graph{live}, []*scanner.Graph{g})
	diags := append(append(append([]scanner.Diagnostic(nil), g.Diagnostics...), live.Diagnostics...), linkDiags...)
	return []*scanner.Graph{linked[0], g}, diags
}

func describe(res *scanner.Result) string {
	var b strings.Builder
	for _, f := range res.List() {
		b.WriteString("  " + string(f.Status) + " " + f.Location.String() + " " + f.Message + "\n")
	}
	for _, d := range res.Diagnostics {
		b.WriteString("  diagnostic " + d.String() + "\n")
	}
	return b.String()
}

// checkDiagnostics fails on error diagnostics, unless diagnostics.txt lists
// the expected summaries (one a line): then every error must be listed and
// every listed summary raised.
func checkDiagnostics(t *testing.T, dir string, diags []scanner.Diagnostic) {
	t.Helper()
	var listed []string
	if src, err := os.ReadFile(filepath.Join(dir, "diagnostics.txt")); err == nil {
		listed = splitLines(string(src))
	}
	raised := map[string]bool{}
	for _, d := range diags {
		raised[d.Summary] = true
		if d.Severity == scanner.DiagError && !contains(listed, d.Summary) {
			t.Errorf("unexpected diagnostic: %s", d)
		}
	}
	for _, s := range listed {
		if !raised[s] {
			t.Errorf("diagnostics.txt lists %q, which was not raised", s)
		}
	}
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
