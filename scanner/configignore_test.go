package scanner

import (
	"path"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// globMatch stands in for the CLI's config.Match (which scanner must not import): a
// path.Match on the whole name, or on a leading directory.
func globMatch(pattern, file string) bool {
	pattern = strings.TrimSuffix(pattern, "/**")
	for p := file; p != "." && p != "/"; p = path.Dir(p) {
		if ok, _ := path.Match(pattern, p); ok {
			return true
		}
	}
	return false
}

func TestRunConfigIgnores(t *testing.T) {
	vendored := bucket("module.cdn.google_storage_bucket.assets", 5, nil,
		ModuleCall{Address: "module.cdn", Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 1, Column: 1}}})
	vendored.DefRange.Filename = "vendor/cdn/main.tf"
	g := &Graph{Resources: []*Resource{
		vendored,
		bucket("google_storage_bucket.mail", 10, nil),
		bucket("google_storage_bucket.logs", 20, nil),
		bucket("google_storage_bucket.tmp", 30, map[string]cty.Value{"uniform_bucket_level_access": cty.False}),
	}, Ignores: []Ignore{
		// An expired comment on tmp: the live configuration entry wins.
		{File: "main.tf", Line: 29, Target: 30, IDs: []string{"GCP-ACC-003"}, Expires: "2020-01-01", Tool: "casascan"},
	}}
	g.Index()
	cfg := []ConfigIgnore{
		{File: ".casascan.yaml", Line: 3, ID: "GCP-ENC-001", Path: "vendor/**", MatchPath: globMatch, Reason: "vendored static assets"},
		{File: ".casascan.yaml", Line: 7, ID: "gcp-enc-001", Resource: "google_storage_bucket.l*s", Expires: "2025-01-31", Reason: "old"},
		{File: ".casascan.yaml", Line: 10, ID: "*", Resource: "*.tmp", Reason: "scratch"},
		{File: ".casascan.yaml", Line: 13, ID: "GCP-ENC-001", Resource: "google_storage_bucket.mail"}, // no reason
	}
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	run := func(opts Options) map[string]Finding {
		opts.Now, opts.ConfigIgnores = now, cfg
		got := map[string]Finding{}
		for _, f := range Run([]*Check{noKey, uniform}, []*Graph{g}, opts).List() {
			got[f.CheckID+" "+f.Resource] = f
		}
		return got
	}
	got := run(Options{})
	type want struct {
		status  Status
		expired bool
		line    int // of the suppression
		kind    string
	}
	wants := map[string]want{
		"GCP-ENC-001 module.cdn.google_storage_bucket.assets": {StatusIgnored, false, 3, SuppressionConfig},
		"GCP-ACC-003 module.cdn.google_storage_bucket.assets": {StatusFail, false, 0, ""},
		"GCP-ENC-001 google_storage_bucket.logs":              {StatusFail, true, 7, SuppressionConfig},
		"GCP-ENC-001 google_storage_bucket.tmp":               {StatusIgnored, false, 10, SuppressionConfig},
		"GCP-ACC-003 google_storage_bucket.tmp":               {StatusIgnored, false, 10, SuppressionConfig},
		"GCP-ENC-001 google_storage_bucket.mail":              {StatusIgnored, false, 13, SuppressionConfig},
	}
	for k, w := range wants {
		f := got[k]
		var gw want
		gw.status = f.Status
		if s := f.Suppression; s != nil {
			gw.expired, gw.line, gw.kind = s.Expired, s.Location.StartLine, s.Kind
			if s.Location.File != ".casascan.yaml" {
				t.Errorf("%s: suppression at %s, want the configuration file", k, s.Location)
			}
		}
		if diff := cmp.Diff(w, gw, cmp.AllowUnexported(want{})); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	if r := got["GCP-ENC-001 module.cdn.google_storage_bucket.assets"].Reason; r != "vendored static assets" {
		t.Errorf("reason = %q, want the entry's", r)
	}
	// require-reason: the entry without a reason suppresses nothing.
	if f := run(Options{RequireReason: true})["GCP-ENC-001 google_storage_bucket.mail"]; f.Status != StatusFail || f.Suppression != nil {
		t.Errorf("RequireReason: mail = %s %+v, want FAIL without suppression", f.Status, f.Suppression)
	}
	// An audit (no ignores) honours none.
	for k, f := range run(Options{NoInlineIgnores: true}) {
		if f.Suppression != nil {
			t.Errorf("NoInlineIgnores: %s suppressed by %+v", k, f.Suppression)
		}
	}
}

func TestWildcardMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"google_storage_bucket.a", "google_storage_bucket.a", true},
		{"google_storage_bucket.a", "google_storage_bucket.ab", false},
		{"module.cdn.*", `module.cdn.google_storage_bucket.x["k"]`, true},
		{"module.cdn.*", "module.cdnx.google_storage_bucket.x", false},
		{"*.tmp", "google_storage_bucket.tmp", true},
		{"*.tmp", "google_storage_bucket.tmp2", false},
		{"a*b*c", "abc", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "acb", false},
		{"*", "", true},
		{"ab*ba", "aba", false},
	}
	for _, tc := range cases {
		if got := WildcardMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("WildcardMatch(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestRunUnknownIgnoreIDs(t *testing.T) {
	g := &Graph{Resources: []*Resource{bucket("google_storage_bucket.a", 10, nil)}, Ignores: []Ignore{
		{File: "main.tf", Line: 9, Target: 10, IDs: []string{"GCP-ENC-01", "GCP-ACC-003", "*"}, Tool: "casascan"},
		{File: "main.tf", Line: 12, Target: 13, IDs: []string{"NOTHING-LIKE-IT-AT-ALL"}, Tool: "casascan"},
	}}
	g.Index()
	known := []string{"GCP-ACC-003", "GCP-ENC-001", "GCP-ENC-002"}
	res := Run([]*Check{noKey}, []*Graph{g}, Options{CheckIDs: known,
		ConfigIgnores: []ConfigIgnore{{File: ".casascan.yaml", Line: 4, ID: "GCP-ACC-03"}}})
	var got []string
	for _, d := range res.Diagnostics {
		if d.Skipped || d.Severity != DiagWarning {
			t.Errorf("diagnostic %s: want a warning that skips nothing", d)
		}
		got = append(got, d.String())
	}
	want := []string{
		`warning: .casascan.yaml:4: configuration ignore names unknown check ID "GCP-ACC-03"; it suppresses nothing; did you mean GCP-ACC-003? (run 'casascan checks' for the list)`,
		`warning: main.tf:9: ignore comment names unknown check ID "GCP-ENC-01"; it suppresses nothing; did you mean GCP-ENC-001? (run 'casascan checks' for the list)`,
		`warning: main.tf:12: ignore comment names unknown check ID "NOTHING-LIKE-IT-AT-ALL"; it suppresses nothing; run 'casascan checks' for the list`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if d := Run([]*Check{noKey}, []*Graph{g}, Options{}).Diagnostics; len(d) != 0 {
		t.Errorf("without CheckIDs: %v, want no warnings", d)
	}
}
