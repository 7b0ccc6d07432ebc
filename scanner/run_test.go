package scanner

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// noKey fails every bucket without encryption.default_kms_key_name.
var noKey = &Check{
	ID: "GCP-ENC-001", Title: "Storage bucket without CMEK", Severity: Medium, CWE: 311, Measures: []Measure{M1},
	Types: []string{"google_storage_bucket"},
	Test: func(g *Graph, r *Resource) []Problem {
		a := r.Get("encryption.default_kms_key_name")
		switch {
		case a == nil || !a.Set():
			return []Problem{Fail("encryption.default_kms_key_name", "has no customer-managed key")}
		case !a.Known():
			return nil
		}
		return nil
	},
}

// uniform fails buckets whose uniform_bucket_level_access is not true.
var uniform = &Check{
	ID: "GCP-ACC-003", Title: "Bucket without uniform bucket-level access", Severity: Medium, CWE: 732, Measures: []Measure{M5},
	Types: []string{"google_storage_bucket"},
	Test: func(g *Graph, r *Resource) []Problem {
		if v, ok := r.Get("uniform_bucket_level_access").Bool(); ok && v {
			return nil
		}
		if a := r.Get("uniform_bucket_level_access"); a != nil && !a.Known() {
			return []Problem{Unknown("uniform_bucket_level_access", "uniform access is not known")}
		}
		return []Problem{Fail("uniform_bucket_level_access", "does not enforce uniform access")}
	},
}

func bucket(addr string, line int, attrs map[string]cty.Value, calls ...ModuleCall) *Resource {
	b := NewBody()
	i := 1
	for n, v := range attrs {
		b.Attrs[n] = &Attr{Name: n, Value: v, Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: line + i, Column: 3}}}
		i++
	}
	return &Resource{Address: addr, Type: "google_storage_bucket", Body: b, Calls: calls, Source: SourceTerraform,
		DefRange: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: line, Column: 1}}}
}

func TestRunIgnores(t *testing.T) {
	call := ModuleCall{Address: "module.m", Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 50, Column: 1}}}
	g := &Graph{
		Resources: []*Resource{
			bucket("google_storage_bucket.a", 10, nil),
			bucket("google_storage_bucket.b", 20, map[string]cty.Value{"uniform_bucket_level_access": cty.False}),
			bucket("google_storage_bucket.c", 30, nil),
			bucket("module.m.google_storage_bucket.d", 40, nil, call),
			bucket("google_storage_bucket.e", 60, map[string]cty.Value{"uniform_bucket_level_access": cty.UnknownVal(cty.Bool)}),
		},
		Ignores: []Ignore{
			{File: "main.tf", Line: 9, Target: 10, IDs: []string{"GCP-ENC-001"}, Reason: "block above"},
			{File: "main.tf", Line: 21, Target: 21, Trailing: true, IDs: []string{"GCP-ACC-003"}, Reason: "attribute"},
			{File: "main.tf", Line: 29, Target: 30, IDs: []string{"*"}, Expires: "2020-01-01"},
			{File: "main.tf", Line: 49, Target: 50, IDs: []string{"GCP-ENC-001"}, Reason: "module"},
		},
	}
	g.Index()
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	res := Run([]*Check{noKey, uniform}, []*Graph{g}, Options{Now: now})

	type key struct{ id, addr string }
	got := map[key]Status{}
	for _, f := range res.List() {
		got[key{f.CheckID, f.Resource}] = f.Status
		if f.Status == StatusFail && f.Resource == "google_storage_bucket.c" && (f.Suppression == nil || !f.Suppression.Expired) {
			t.Errorf("expired ignore must be reported on %s", f.Resource)
		}
	}
	want := map[key]Status{
		{"GCP-ENC-001", "google_storage_bucket.a"}:          StatusIgnored,
		{"GCP-ACC-003", "google_storage_bucket.a"}:          StatusFail,
		{"GCP-ENC-001", "google_storage_bucket.b"}:          StatusFail,
		{"GCP-ACC-003", "google_storage_bucket.b"}:          StatusIgnored,
		{"GCP-ENC-001", "google_storage_bucket.c"}:          StatusFail,
		{"GCP-ACC-003", "google_storage_bucket.c"}:          StatusFail,
		{"GCP-ENC-001", "module.m.google_storage_bucket.d"}: StatusIgnored,
		{"GCP-ACC-003", "module.m.google_storage_bucket.d"}: StatusFail,
		{"GCP-ENC-001", "google_storage_bucket.e"}:          StatusFail,
		{"GCP-ACC-003", "google_storage_bucket.e"}:          StatusUnknown,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s on %s = %q, want %q", k.id, k.addr, got[k], w)
		}
	}
	noIgnores := Run([]*Check{noKey}, []*Graph{g}, Options{Now: now, NoInlineIgnores: true})
	if n := noIgnores.Count(StatusIgnored); n != 0 {
		t.Errorf("NoInlineIgnores: %d ignored findings, want 0", n)
	}
	reasons := Run([]*Check{noKey, uniform}, []*Graph{g}, Options{Now: now, RequireReason: true})
	for _, f := range reasons.List() {
		if f.Status == StatusIgnored && f.Reason == "" {
			t.Errorf("RequireReason: %s on %s ignored without a reason", f.CheckID, f.Resource)
		}
	}
}

func TestRunLocationsAndFingerprints(t *testing.T) {
	call := ModuleCall{Address: "module.m", Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 50, Column: 1}}}
	g := &Graph{Resources: []*Resource{bucket("module.m.google_storage_bucket.d", 40, map[string]cty.Value{"uniform_bucket_level_access": cty.False}, call)}}
	g.Index()
	res := Run([]*Check{uniform}, []*Graph{g}, Options{})
	if len(res.List()) != 1 {
		t.Fatalf("findings = %d, want 1", len(res.List()))
	}
	f := res.List()[0]
	if f.Location.StartLine != 41 || f.Attribute != "uniform_bucket_level_access" {
		t.Errorf("finding points at line %d attr %q, want the attribute at 41", f.Location.StartLine, f.Attribute)
	}
	if len(f.Related) != 1 || f.Related[0].Kind != "module" || f.Related[0].StartLine != 50 {
		t.Errorf("related = %+v, want the module call site", f.Related)
	}
	if f.Message != "module.m.google_storage_bucket.d: does not enforce uniform access" {
		t.Errorf("message = %q", f.Message)
	}
	// Moving the resource leaves the fingerprint as it was.
	moved := &Graph{Resources: []*Resource{bucket("module.m.google_storage_bucket.d", 140, map[string]cty.Value{"uniform_bucket_level_access": cty.False}, call)}}
	moved.Index()
	if m := Run([]*Check{uniform}, []*Graph{moved}, Options{}).List()[0]; m.Fingerprint != f.Fingerprint || m.Location.StartLine == f.Location.StartLine {
		t.Errorf("fingerprint changed when the resource moved: %s vs %s", m.Fingerprint, f.Fingerprint)
	}
}

func TestRunScope(t *testing.T) {
	g := &Graph{Resources: []*Resource{
		bucket("google_storage_bucket.mail", 1, map[string]cty.Value{"labels": cty.ObjectVal(map[string]cty.Value{"data": cty.StringVal("restricted")})}),
		bucket("google_storage_bucket.static", 10, nil),
	}}
	g.Index()
	res := Run([]*Check{noKey, uniform}, []*Graph{g}, Options{ScopeLabels: map[string]string{"data": "restricted"}})
	for _, f := range res.List() {
		switch {
		case f.CheckID == "GCP-ENC-001" && f.Resource == "google_storage_bucket.static" && f.Status != StatusOutOfScope:
			t.Errorf("unlabelled bucket: %s, want OUT_OF_SCOPE for an M1 check", f.Status)
		case f.CheckID == "GCP-ACC-003" && f.Status != StatusFail:
			t.Errorf("%s: M5 checks are not narrowed by scope, got %s", f.Resource, f.Status)
		case f.CheckID == "GCP-ENC-001" && f.Resource == "google_storage_bucket.mail" && f.Status != StatusFail:
			t.Errorf("labelled bucket: %s, want FAIL", f.Status)
		}
	}
}

// TestRunUnusedScopeLabel: a scope label no resource carries (a typo) is a
// warning naming it; a label some resource carries is not.
func TestRunUnusedScopeLabel(t *testing.T) {
	g := &Graph{Resources: []*Resource{
		bucket("google_storage_bucket.mail", 1, map[string]cty.Value{"labels": cty.ObjectVal(map[string]cty.Value{"data": cty.StringVal("restricted")})}),
	}}
	g.Index()
	res := Run([]*Check{noKey}, []*Graph{g}, Options{ScopeLabels: map[string]string{"data": "restricted", "dta": "restricted"}})
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, d.String())
	}
	want := []string{"warning: scope label dta=restricted: no resource carries this scope label; every resource the M1, M3 and M4 checks judge is out of scope; check the label's spelling (--scope-label or scope-labels in .casascan.yaml)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestSelect(t *testing.T) {
	all := []*Check{uniform, noKey}
	got, err := Select(all, nil, []string{"gcp-acc-003"}, nil)
	if err != nil || len(got) != 1 || got[0].ID != "GCP-ENC-001" {
		t.Errorf("skip: got %v, %v", got, err)
	}
	got, err = Select(all, nil, nil, []Severity{High})
	if err != nil || len(got) != 0 {
		t.Errorf("severity filter: got %d checks, %v", len(got), err)
	}
	if _, err := Select(all, []string{"GCP-NOP-999"}, nil, nil); err == nil {
		t.Error("unknown ID: want error")
	}
}

// TestRunAnchorsDownloadedModules: a finding inside a module under
// .terraform/modules points at the module call in the repository, and keeps
// where in the module it is.
func TestRunAnchorsDownloadedModules(t *testing.T) {
	outer := ModuleCall{Address: "module.vpc", Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 3, Column: 1}}}
	inner := ModuleCall{Address: "module.vpc.module.sub", Range: hcl.Range{Filename: ".terraform/modules/vpc/main.tf", Start: hcl.Pos{Line: 9, Column: 1}}}
	r := bucket("module.vpc.module.sub.google_storage_bucket.b", 2, map[string]cty.Value{"uniform_bucket_level_access": cty.False}, outer, inner)
	r.DefRange.Filename = ".terraform/modules/vpc/modules/sub/main.tf"
	for _, a := range r.Body.Attrs {
		a.Range.Filename = r.DefRange.Filename
	}
	g := &Graph{Resources: []*Resource{r}}
	g.Index()
	f := Run([]*Check{uniform}, []*Graph{g}, Options{}).List()[0]
	if f.Location.File != "main.tf" || f.Location.StartLine != 3 {
		t.Errorf("location = %s, want the module call at main.tf:3", f.Location)
	}
	if f.DownloadedModule == nil || f.DownloadedModule.File != ".terraform/modules/vpc/modules/sub/main.tf" || f.DownloadedModule.StartLine != 3 {
		t.Errorf("downloaded module location = %+v", f.DownloadedModule)
	}
}

// TestRunDedupe: a finding that repeats another (same check, resource,
// attribute, message, place and status) is reported once; two different
// problems on the same attribute both stay, with distinct fingerprints.
func TestRunDedupe(t *testing.T) {
	twice := &Check{
		ID: "GCP-ACC-003", Title: "t", Severity: Medium, Measures: []Measure{M5},
		Types: []string{"google_storage_bucket"},
		Test: func(g *Graph, r *Resource) []Problem {
			return []Problem{
				Fail("uniform_bucket_level_access", "first problem"),
				Fail("uniform_bucket_level_access", "first problem"),
				Fail("uniform_bucket_level_access", "second problem"),
			}
		},
	}
	g := &Graph{Resources: []*Resource{bucket("google_storage_bucket.b", 1, map[string]cty.Value{"uniform_bucket_level_access": cty.False})}}
	g.Index()
	res := Run([]*Check{twice}, []*Graph{g}, Options{})
	if len(res.List()) != 2 {
		t.Fatalf("findings = %d, want 2: %+v", len(res.List()), res.List())
	}
	a, b := res.List()[0], res.List()[1]
	if a.Message == b.Message || a.Fingerprint == b.Fingerprint {
		t.Errorf("the two problems must differ in message and fingerprint: %q %s, %q %s", a.Message, a.Fingerprint, b.Message, b.Fingerprint)
	}
	if want := Fingerprint("GCP-ACC-003", "google_storage_bucket.b", "uniform_bucket_level_access", ""); a.Fingerprint != want && b.Fingerprint != want {
		t.Errorf("neither finding keeps the plain fingerprint %s", want)
	}
}

// TestSessionRepeatsOnlyWhenRepeated: a graph's findings come from each
// check in turn; the second check of a root is not a repeat of the first,
// so a session of roots of their own never takes the dedupe sort.
func TestSessionRepeatsOnlyWhenRepeated(t *testing.T) {
	graph := func(root string) *Graph {
		b := bucket("google_storage_bucket.b", 1, map[string]cty.Value{"uniform_bucket_level_access": cty.False})
		g := &Graph{Resources: []*Resource{b}, RootModule: root}
		g.Index()
		return g
	}
	s := NewSession([]*Check{noKey, uniform}, Options{})
	s.Add(graph("envs/a"))
	s.Add(graph("envs/b"))
	if s.store.repeated {
		t.Error("two checks on roots of their own were taken for repeats")
	}
	s.Add(graph("envs/a"))
	if !s.store.repeated {
		t.Error("a root added twice was not taken for a repeat")
	}
	res := s.Result()
	if got := res.Count(StatusFail); got != 4 {
		t.Errorf("failures = %d, want 4 (the root added twice counted once)", got)
	}
}

// TestSortedStable sorts enough findings to take the parallel path and
// compares with one stable sort: equal findings keep their order.
func TestSortedStable(t *testing.T) {
	var fs []Finding
	for i := range 9000 {
		fs = append(fs, Finding{
			CheckID: []string{"GCP-B", "GCP-A", "GCP-C"}[i%3], Resource: "r",
			Location:    Location{File: []string{"b.tf", "a.tf"}[i%2], StartLine: i % 17},
			Fingerprint: fmt.Sprint(i), // tells equal findings apart
		})
	}
	want := slices.Clone(fs)
	slices.SortStableFunc(want, func(a, b Finding) int { return findingCmp(&a, &b) })
	ptrs := make([]*Finding, len(fs))
	for i := range fs {
		ptrs[i] = &fs[i]
	}
	got := sorted(ptrs)
	for i := range want {
		if got[i].Fingerprint != want[i].Fingerprint {
			t.Fatalf("at %d: finding %s, want %s", i, got[i].Fingerprint, want[i].Fingerprint)
		}
	}
}

// TestRunCheckPanics: a check that panics on one resource does not stop
// the scan: that resource is UNKNOWN, an error diagnostic names the check
// and the resource (so the scan is incomplete), and the other resources and
// checks are judged as usual.
func TestRunCheckPanics(t *testing.T) {
	crashing := &Check{
		ID: "GCP-ACC-002", Title: "crashes on b", Severity: Low, CWE: 732, Measures: []Measure{M5},
		Types: []string{"google_storage_bucket"},
		Test: func(g *Graph, r *Resource) []Problem {
			if r.Address == "google_storage_bucket.b" {
				var none []int
				_ = none[len(r.Address)] // an index out of range: a runtime panic
			}
			return nil
		},
	}
	g := &Graph{Resources: []*Resource{bucket("google_storage_bucket.a", 10, nil), bucket("google_storage_bucket.b", 20, nil)}}
	g.Index()
	res := Run([]*Check{crashing, noKey}, []*Graph{g}, Options{})
	status := map[string]Status{}
	for _, f := range res.List() {
		status[f.CheckID+" "+f.Resource] = f.Status
	}
	want := map[string]Status{
		"GCP-ACC-002 google_storage_bucket.a": StatusPass,
		"GCP-ACC-002 google_storage_bucket.b": StatusUnknown,
		"GCP-ENC-001 google_storage_bucket.a": StatusFail,
		"GCP-ENC-001 google_storage_bucket.b": StatusFail,
	}
	for k, v := range want {
		if status[k] != v {
			t.Errorf("%s: %s, want %s", k, status[k], v)
		}
	}
	if len(res.Diagnostics) != 1 {
		t.Fatalf("diagnostics %v, want one", res.Diagnostics)
	}
	d := res.Diagnostics[0]
	if d.Severity != DiagError || !d.Skipped || d.File != "main.tf" || d.Line != 20 ||
		d.Summary != "internal error: check GCP-ACC-002 failed on google_storage_bucket.b" {
		t.Errorf("diagnostic %+v", d)
	}
}

// TestCapDiagnostics: a file's diagnostics past the first
// MaxDiagnosticsPerFile become one that counts them, which keeps the
// severity and the skipped mark of those it replaces; other files and
// diagnostics without a file are untouched.
func TestCapDiagnostics(t *testing.T) {
	var ds []Diagnostic
	for i := 1; i <= 5000; i++ {
		ds = append(ds, Diagnostic{Severity: DiagWarning, File: "a.tf", Line: i, Summary: "bad"})
	}
	ds[4000].Severity, ds[4000].Skipped = DiagError, true
	ds = append(ds, Diagnostic{Severity: DiagError, File: "b.tf", Line: 1, Summary: "x"},
		Diagnostic{Severity: DiagWarning, Subject: "project p", Summary: "denied"},
		Diagnostic{Severity: DiagWarning, Subject: "project q", Summary: "denied"})
	g := &Graph{Diagnostics: ds}
	res := Run(nil, []*Graph{g}, Options{})
	got := res.Diagnostics
	if len(got) != 2+MaxDiagnosticsPerFile+1+1 {
		t.Fatalf("%d diagnostics: %v", len(got), got)
	}
	if got[0].Subject != "project p" || got[1].Subject != "project q" {
		t.Errorf("diagnostics without a file: %v", got[:2])
	}
	for i, d := range got[2 : 2+MaxDiagnosticsPerFile] {
		if d.File != "a.tf" || d.Line != i+1 {
			t.Errorf("kept diagnostic %d is %v", i, d)
		}
	}
	more := got[2+MaxDiagnosticsPerFile]
	want := Diagnostic{Severity: DiagError, File: "a.tf", Line: MaxDiagnosticsPerFile + 1, Skipped: true,
		Summary: "4980 more diagnostics in this file not shown",
		Detail:  "only the first 20 of a file are shown; of the rest, 1 are errors and 4979 warnings, and 1 say a part of the file was not scanned"}
	if more != want {
		t.Errorf("count diagnostic\n got %+v\nwant %+v", more, want)
	}
	if !res.Skipped() {
		t.Error("the skipped mark was lost")
	}
	if last := got[len(got)-1]; last.File != "b.tf" {
		t.Errorf("b.tf's diagnostic: %v", last)
	}
}
