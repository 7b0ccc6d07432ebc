package report

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casascan/casascan/scanner"
)

// mixedResult is a result of n findings drawn at random (from a fixed
// seed) to reach every branch of the writers: every status, the four
// severities and two a finding should not have, checks outside
// res.Checks, exact repeats, suppressions in force and expired, related
// locations and provenance, and locations that look alike once made CSV
// cells. The findings are in no particular order, as writers must keep
// the result's order whatever it is.
func mixedResult(seed uint64, n int) *scanner.Result {
	r := rand.New(rand.NewPCG(seed, 7))
	orphan := &scanner.Check{ID: "X-ORPHAN-1", Title: "orphan", Severity: scanner.High}
	orphan2 := &scanner.Check{ID: "=X-ORPHAN-2", Title: "orphan two", Severity: scanner.Low}
	from := []*scanner.Check{checkACC001, checkACC002, checkENC001, checkENC006, checkKMS001, checkKMS006, checkLOG001, orphan, orphan2}
	statuses := []scanner.Status{scanner.StatusFail, scanner.StatusFail, scanner.StatusFail, scanner.StatusPass,
		scanner.StatusPass, scanner.StatusIgnored, scanner.StatusUnknown, scanner.StatusOutOfScope}
	files := []string{"main.tf", "a/b.tf", "x:12", "=evil.tf", livePath, ""}
	addrs := []string{"google_storage_bucket.a", "google_storage_bucket.b", "-cmd", liveBucket, mailBucket}
	var fs []scanner.Finding
	for len(fs) < n {
		if len(fs) > 0 && r.IntN(10) == 0 {
			fs = append(fs, fs[r.IntN(len(fs))])
			continue
		}
		c, st := from[r.IntN(len(from))], statuses[r.IntN(len(statuses))]
		addr, file, line := addrs[r.IntN(len(addrs))], files[r.IntN(len(files))], r.IntN(4)
		f := finding(c, st, addr, "google_storage_bucket", "", fmt.Sprintf("problem %d", r.IntN(5)),
			loc(file, line, r.IntN(3), line+r.IntN(2), r.IntN(30), addr))
		switch r.IntN(12) {
		case 0:
			f.Severity = 0
		case 1:
			f.Severity = scanner.Critical + 1
		case 2, 3:
			f.Severity = scanner.Severity(1 + r.IntN(4))
		}
		if st == scanner.StatusIgnored || st == scanner.StatusFail && r.IntN(5) == 0 {
			f.Suppression = &scanner.Suppression{Kind: []string{"inSource", "external", "config"}[r.IntN(3)],
				Justification: []string{"", "because"}[r.IntN(2)], Expires: []string{"", "2025-01-01"}[r.IntN(2)],
				Expired: st == scanner.StatusFail, Location: scanner.Location{File: files[r.IntN(3)], StartLine: r.IntN(3)}}
		}
		if st == scanner.StatusUnknown || st == scanner.StatusOutOfScope || r.IntN(7) == 0 {
			f.Reason = fmt.Sprintf("reason %d", r.IntN(3))
		}
		if r.IntN(4) == 0 {
			f.Related = []scanner.Location{moduleCall(fmt.Sprint(r.IntN(3)))}
		}
		if r.IntN(5) == 0 {
			f.Provenance = &scanner.Provenance{Value: "V", Origins: []scanner.Origin{{Kind: scanner.OriginTFVars, Name: "var.x", File: "t.tfvars", Line: 2}}}
		}
		f.Fingerprint = fmt.Sprintf("fp-%d", r.IntN(n+1))
		fs = append(fs, f)
	}
	base := testResult()
	return scanner.NewResult(base.Tool, base.Checks[1:], fs, base.Diagnostics)
}

// oldMostSevereFirst is how the writers ordered failures when they held
// them: a stable sort by severity, most severe first.
func oldMostSevereFirst(fs []scanner.Finding) []scanner.Finding {
	fs = slices.Clone(fs)
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Severity > fs[j].Severity })
	return fs
}

// section cuts out of out the lines from the first starting with start
// up to the next starting with next (or the end), without the newlines
// that end it; "" if there is none.
func section(out, start, next string) string {
	i := strings.Index(out, "\n"+start)
	if i < 0 {
		return ""
	}
	rest := out[i+1:]
	if j := strings.Index(rest[len(start):], "\n"+next); j >= 0 {
		rest = rest[:len(start)+j]
	}
	return strings.TrimRight(rest, "\n")
}

func keep(fs []scanner.Finding, ok func(f scanner.Finding) bool) []scanner.Finding {
	var out []scanner.Finding
	for _, f := range fs {
		if ok(f) {
			out = append(out, f)
		}
	}
	return out
}

func withStatus(st scanner.Status) func(scanner.Finding) bool {
	return func(f scanner.Finding) bool { return f.Status == st }
}

// TestWritersIterate writes a large mixed result, whose findings every
// writer reads by iterating (several passes, a sort, a row limit), and
// compares each output with what a reference that holds every finding
// computes, as the writers did before: the JSON document encoded whole,
// the CSV rows sorted in memory, JUnit marshalled whole, the markdown and
// HTML sections from the failures sorted stably by severity, and SARIF
// built whole.
func TestWritersIterate(t *testing.T) {
	t.Run("in memory", func(t *testing.T) { testWritersIterate(t, false) })
	t.Run("on disk", func(t *testing.T) { testWritersIterate(t, true) })
}

// testWritersIterate is TestWritersIterate on a result in memory or, as a
// large scan's result is, in a temporary file, sorted on disk in runs of
// 100 findings.
func testWritersIterate(t *testing.T, spill bool) {
	res := mixedResult(1, sarifIndentLimit+3*resultChunk+11)
	if spill {
		t.Setenv("TMPDIR", t.TempDir())
		t.Cleanup(scanner.SetSpillRun(100))
		if err := res.Spill(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := res.Err(); err != nil {
				t.Error(err)
			}
			res.Close()
		})
	}
	all := res.List()
	fails := keep(all, withStatus(scanner.StatusFail))
	expired := keep(fails, func(f scanner.Finding) bool { return f.Suppression != nil && f.Suppression.Expired })
	ignored := keep(all, withStatus(scanner.StatusIgnored))
	if len(fails) <= mdMaxRows || len(ignored)+len(expired) <= mdMaxRows || len(expired) == 0 {
		t.Fatalf("%d failures, %d ignored, %d expired: the row limits are not reached", len(fails), len(ignored), len(expired))
	}
	small := func(fs []scanner.Finding) *scanner.Result { return scanner.NewResult(res.Tool, res.Checks, fs, nil) }

	t.Run("json", func(t *testing.T) {
		doc := jsonReport{SchemaVersion: JSONSchemaVersion, Tool: res.Tool, Checks: []jsonCheck{}, Findings: all,
			Diagnostics: res.Diagnostics, NotJudged: nonNil(res.NotJudged()), Summary: summarize(res)}
		for _, c := range res.Checks {
			doc.Checks = append(doc.Checks, jsonCheck{ID: c.ID, Title: c.Title, Severity: c.Severity, CWE: c.CWE,
				ASVS: nonNil(c.ASVS), CASA: nonNil(c.CASA), Measures: nonNil(c.Measures)})
		}
		want, err := encodeIndented(doc, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := render(t, "json", res, Options{}); !bytes.Equal(got, want) {
			t.Errorf("the streamed JSON differs from the document encoded whole:\n%s", cmp.Diff(string(want), string(got)))
		}
	})

	t.Run("csv", func(t *testing.T) {
		var rows [][]string
		for _, f := range all {
			rows = append(rows, csvRow(checkFor(res, f), f))
		}
		sortCSVRows(rows)
		var want bytes.Buffer
		cw := csv.NewWriter(&want)
		_ = cw.Write(csvHeader)
		_ = cw.WriteAll(csvScopeRows(res, Options{}))
		_ = cw.WriteAll(rows)
		for _, d := range res.Diagnostics {
			if d.Skipped {
				_ = cw.Write(csvSkippedRow(d))
			}
		}
		cw.Flush()
		if got := render(t, "csv", res, Options{}); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("CSV rows are not in the order of sortCSVRows:\n%s", cmp.Diff(want.String(), string(got)))
		}
	})

	t.Run("junit", func(t *testing.T) {
		want := junitWhole(t, res)
		if got := render(t, "junit", res, Options{}); !bytes.Equal(got, want) {
			t.Errorf("the streamed JUnit differs from the document marshalled whole:\n%s", cmp.Diff(string(want), string(got)))
		}
	})

	t.Run("markdown", func(t *testing.T) {
		out := string(render(t, "markdown", res, Options{}))
		// The first mdMaxRows failures of the stable sort, and a count of
		// the rest.
		ref := string(render(t, "markdown", small(oldMostSevereFirst(fails)[:mdMaxRows]), Options{}))
		want := section(ref, "### Failing resources", "### ") +
			fmt.Sprintf("\n\n%d more failing results are not shown; the SARIF and CSV outputs list them all.", len(fails)-mdMaxRows)
		if got := section(out, "### Failing resources", "### "); got != want {
			t.Errorf("failing resources:\n%s", cmp.Diff(want, got))
		}
		// The first mdMaxRows suppressed or expired findings in the
		// result's order, and a count of the rest.
		supp := keep(all, func(f scanner.Finding) bool {
			return f.Status == scanner.StatusIgnored || f.Status == scanner.StatusFail && f.Suppression != nil && f.Suppression.Expired
		})
		ref = string(render(t, "markdown", small(supp[:mdMaxRows]), Options{}))
		want = section(ref, "### Ignored findings", "### ") +
			fmt.Sprintf("\n\n%d more ignored findings are not shown; the SARIF and CSV outputs list them all.", len(supp)-mdMaxRows)
		if got := section(out, "### Ignored findings", "### "); got != want {
			t.Errorf("ignored findings:\n%s", cmp.Diff(want, got))
		}
	})

	t.Run("html", func(t *testing.T) {
		// The template shows each section's findings as the iterators
		// give them, under their count.
		d := htmlDataOf(res, Options{})
		for _, tc := range []struct {
			id   string
			n    int
			got  iter.Seq[htmlFinding]
			want []scanner.Finding
		}{
			{"failures", d.NFailures, d.Failures, oldMostSevereFirst(fails)},
			{"ignored", d.NIgnored, d.Ignored, append(slices.Clone(ignored), expired...)},
			{"unknown", d.NUnknown, d.Unknown, keep(all, withStatus(scanner.StatusUnknown))},
			{"out of scope", d.NOutOfScope, d.OutOfScope, keep(all, withStatus(scanner.StatusOutOfScope))},
		} {
			var want []htmlFinding
			for _, f := range tc.want {
				want = append(want, htmlFindingOf(res, f, Options{}))
			}
			if tc.n != len(want) {
				t.Errorf("%s: counted %d, want %d", tc.id, tc.n, len(want))
			}
			if diff := cmp.Diff(want, slices.Collect(tc.got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.id, diff)
			}
		}
		out := string(render(t, "html", res, Options{}))
		if got, want := strings.Count(out, `<article class="finding">`), len(fails); got != want {
			t.Errorf("%d failures written, want %d", got, want)
		}
	})

	t.Run("text", func(t *testing.T) {
		out := string(render(t, "text", res, Options{Compact: true}))
		// The failures of each named severity, in the result's order.
		for _, sev := range severitiesDesc {
			var want strings.Builder
			fs := keep(fails, func(f scanner.Finding) bool { return f.Severity == sev })
			fmt.Fprintf(&want, "%s (%d)\n", sev, len(fs))
			for _, f := range fs {
				line := "  " + clean(f.Location.String()) + " " + clean(f.CheckID) + " " + clean(f.Message)
				if note := expiredNote(f); note != "" {
					line += " (" + clean(note) + ")"
				}
				want.WriteString(line + "\n")
			}
			if got := section(out, sev.String()+" (", "\n"); got != strings.TrimSuffix(want.String(), "\n") {
				t.Errorf("%s failures:\n%s", sev, cmp.Diff(want.String(), got))
			}
		}
		// Unknown results per check, in the order the checks come, with
		// the first as the example.
		unknown := keep(all, withStatus(scanner.StatusUnknown))
		want := fmt.Sprintf("Unknown (%d): not decidable before apply, never counted as failures\n", len(unknown))
		seen := map[string]bool{}
		for _, f := range unknown {
			if seen[f.CheckID] {
				continue
			}
			seen[f.CheckID] = true
			n := len(keep(unknown, func(g scanner.Finding) bool { return g.CheckID == f.CheckID }))
			want += fmt.Sprintf("  %s  %s, e.g. %s (%s)\n", clean(f.CheckID), plural(n, "result"), clean(f.Message), clean(f.Location.String()))
		}
		if got := section(out, "Unknown (", "\n"); got != strings.TrimSuffix(want, "\n") {
			t.Errorf("unknown results:\n%s", cmp.Diff(want, got))
		}
		if got, want := strings.Count(section(out, "Ignored (", "\n"), "\n"), len(ignored); got != want {
			t.Errorf("%d ignored lines, want %d", got, want)
		}
	})

	t.Run("sarif", func(t *testing.T) {
		defer func(f func() int) { encodeWorkers = f }(encodeWorkers)
		for _, workers := range []int{1, 3} {
			encodeWorkers = func() int { return workers }
			rep, kept, _ := buildSARIF(t, res, Options{IncludeUnknown: true}, sarifMaxResults)
			if kept <= sarifIndentLimit {
				t.Fatalf("only %d results: the report would be indented, not encoded in chunks", kept)
			}
			want, err := encodeJSON(rep, false)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if _, err := Stream(&got, "sarif", res, Options{IncludeUnknown: true}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%d workers: the streamed SARIF differs from the run built and encoded whole (%d and %d bytes)", workers, got.Len(), len(want))
			}
		}
	})
}

// junitWhole is the JUnit document as the writer made it when it held the
// findings: grouped by check in memory, marshalled whole.
func junitWhole(t *testing.T, res *scanner.Result) []byte {
	t.Helper()
	doc := junitSuites{Name: "casascan", Time: "0"}
	if v := res.Tool.Version; v != "" {
		doc.Name += " " + clean(v)
	}
	byCheck := map[string][]scanner.Finding{}
	for _, f := range res.List() {
		byCheck[f.CheckID] = append(byCheck[f.CheckID], f)
	}
	var ids []string
	seen := map[string]bool{}
	for _, c := range res.Checks {
		if !seen[c.ID] {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	for id := range byCheck {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := res.Check(id)
		if c == nil {
			c = checkFor(res, byCheck[id][0])
		}
		s := junitCheckSuite(c)
		for _, f := range byCheck[id] {
			s.Cases = append(s.Cases, junitCase(c, f))
			s.Tests++
			switch f.Status {
			case scanner.StatusFail:
				s.Failures++
			case scanner.StatusPass:
			default:
				s.Skipped++
			}
		}
		doc.Suites = append(doc.Suites, s)
	}
	if s, ok := junitInput(res); ok {
		doc.Suites = append(doc.Suites, s)
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("\n")
	return buf.Bytes()
}

// oldSARIFFindings is how SARIF chose its findings when it held them all:
// the carried statuses, and over limit a stable sort of them by severity
// (most severe first) and status (FAIL, IGNORED, UNKNOWN) cut at limit,
// put back in the result's order.
func oldSARIFFindings(all []scanner.Finding, unknown bool, limit int) []scanner.Finding {
	statuses := []scanner.Status{scanner.StatusFail, scanner.StatusIgnored}
	if unknown {
		statuses = append(statuses, scanner.StatusUnknown)
	}
	var idx []int
	for i := range all {
		if slices.Contains(statuses, all[i].Status) {
			idx = append(idx, i)
		}
	}
	if len(idx) > limit {
		rank := map[scanner.Status]int{scanner.StatusFail: 0, scanner.StatusIgnored: 1, scanner.StatusUnknown: 2}
		byRank := slices.Clone(idx)
		sort.SliceStable(byRank, func(a, b int) bool {
			fa, fb := &all[byRank[a]], &all[byRank[b]]
			if fa.Severity != fb.Severity {
				return fa.Severity > fb.Severity
			}
			return rank[fa.Status] < rank[fb.Status]
		})
		byRank = byRank[:limit]
		sort.Ints(byRank)
		idx = byRank
	}
	out := make([]scanner.Finding, len(idx))
	for i, j := range idx {
		out[i] = all[j]
	}
	return out
}

// TestSARIFSelection checks that the findings SARIF keeps under a limit,
// counted by class and read back in the result's order, are those the
// stable sort kept, at every limit around the classes' edges, and that
// the rules of checks outside res.Checks are those of the kept findings,
// in their order.
func TestSARIFSelection(t *testing.T) {
	res := mixedResult(2, 3000)
	all := res.List()
	for _, unknown := range []bool{false, true} {
		opts := Options{IncludeUnknown: unknown}
		counts, err := countSARIF(res, opts)
		if err != nil {
			t.Fatal(err)
		}
		limits := []int{0, 1, 2, 7, 100, counts.total - 1, counts.total, counts.total + 1}
		// Every class edge, and one either side.
		edge := 0
		for _, cl := range sortedClasses(counts) {
			edge += counts.classes[cl]
			limits = append(limits, edge-1, edge, edge+1)
		}
		if len(counts.classes) < 8 || len(counts.others) == 0 {
			t.Fatalf("%d classes, %d checks outside res.Checks: the input is not mixed enough", len(counts.classes), len(counts.others))
		}
		for _, limit := range limits {
			if limit < 0 {
				continue
			}
			want := oldSARIFFindings(all, unknown, limit)
			rep, sel, err := buildSARIFRun(res, opts, counts, limit)
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Collect(sel.findings(res))
			if len(want)+len(got) > 0 && !reflect.DeepEqual(want, got) {
				t.Fatalf("unknown=%v limit %d: kept findings (-old +new):\n%s", unknown, limit, cmp.Diff(want, got))
			}
			if sel.kept != len(want) || sel.kept+sel.dropped != counts.total {
				t.Errorf("unknown=%v limit %d: kept %d, dropped %d of %d; want %d kept", unknown, limit, sel.kept, sel.dropped, counts.total, len(want))
			}
			var wantRules []string
			for _, c := range res.Checks {
				if !slices.Contains(wantRules, c.ID) {
					wantRules = append(wantRules, c.ID)
				}
			}
			for _, f := range want {
				if !slices.Contains(wantRules, f.CheckID) {
					wantRules = append(wantRules, f.CheckID)
				}
			}
			var gotRules []string
			for _, r := range rep.Runs[0].Tool.Driver.Rules {
				gotRules = append(gotRules, r.ID)
			}
			if diff := cmp.Diff(wantRules, gotRules); diff != "" {
				t.Errorf("unknown=%v limit %d: rules (-want +got):\n%s", unknown, limit, diff)
			}
		}
	}
}

func sortedClasses(c sarifCounts) []sarifClass {
	var out []sarifClass
	for cl := range c.classes {
		out = append(out, cl)
	}
	slices.SortFunc(out, func(a, b sarifClass) int {
		if a.sev != b.sev {
			return int(b.sev - a.sev)
		}
		return a.rank - b.rank
	})
	return out
}

// TestWritersDoNotMaterialize: no writer reads the findings through the
// methods that hold them all (List, Failures, WithStatus), which are for
// tests and small results; writers iterate All or SortedBy.
func TestWritersDoNotMaterialize(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch name := sel.Sel.Name; {
			case (name == "List" || name == "Failures") && len(call.Args) == 0, name == "WithStatus" && statusArgs(call.Args):
				t.Errorf("%s: %s holds every finding; iterate All or SortedBy", fset.Position(call.Pos()), name)
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("only %d files read", checked)
	}
}

// statusArgs reports whether a call's arguments name scanner statuses (a
// Result's WithStatus, not go-sarif's).
func statusArgs(args []ast.Expr) bool {
	for _, a := range args {
		if sel, ok := a.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "scanner" && strings.HasPrefix(sel.Sel.Name, "Status") {
				return true
			}
		}
	}
	return false
}
