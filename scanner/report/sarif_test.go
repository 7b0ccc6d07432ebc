package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/casascan/casascan/internal/par"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/scannertest"
)

// schemaFile is the vendored SARIF schema, relative to this package.
const schemaFile = "../../fixtures/sarif/sarif-schema-2.1.0.json"

// sarifSchema compiles the vendored SARIF 2.1.0 schema once.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	return scannertest.SARIFSchema(t, schemaFile)
}

func validateSARIF(t *testing.T, out []byte) {
	t.Helper()
	scannertest.ValidateSARIF(t, schemaFile, out)
}

// The shapes the tests read back; only what they assert on.
type (
	sarifLog struct {
		Runs []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				SemanticVersion string `json:"semanticVersion"`
				Rules           []struct {
					ID         string         `json:"id"`
					Name       string         `json:"name"`
					Help       map[string]any `json:"help"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results           []sarifRes `json:"results"`
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
			Notes               []struct {
				Level   string            `json:"level"`
				Message map[string]string `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	}
	sarifRes struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           *int              `json:"ruleIndex"`
		Kind                string            `json:"kind"`
		Level               string            `json:"level"`
		Message             map[string]string `json:"message"`
		Locations           []sarifLoc        `json:"locations"`
		RelatedLocations    []sarifLoc        `json:"relatedLocations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		Suppressions        []struct {
			Kind          string `json:"kind"`
			Justification string `json:"justification"`
		} `json:"suppressions"`
	}
	sarifLoc struct {
		ID               int `json:"id"`
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
		LogicalLocations []struct {
			FullyQualifiedName string `json:"fullyQualifiedName"`
			Kind               string `json:"kind"`
		} `json:"logicalLocations"`
		Message map[string]string `json:"message"`
	}
)

func readSARIF(t *testing.T, res *scanner.Result, opts Options) sarifRun {
	t.Helper()
	out := render(t, "sarif", res, opts)
	validateSARIF(t, out)
	var log sarifLog
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatalf("decoding SARIF: %v", err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("got %d runs, want exactly one", len(log.Runs))
	}
	return log.Runs[0]
}

func TestSARIFGoldenValidates(t *testing.T) {
	for _, name := range []string{"sarif", "sarif_unknown"} {
		t.Run(name, func(t *testing.T) {
			out, err := os.ReadFile(filepath.Join("testdata", name+".golden"))
			if err != nil {
				t.Fatal(err)
			}
			validateSARIF(t, out)
		})
	}
}

// TestSARIFSchemaRejects proves the validation can fail: a result with a
// level outside the schema's enum must be rejected.
func TestSARIFSchemaRejects(t *testing.T) {
	out := render(t, "sarif", testResult(), Options{})
	bad := bytes.Replace(out, []byte(`"level": "error"`), []byte(`"level": "fatal"`), 1)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if err != nil {
		t.Fatal(err)
	}
	if sarifSchema(t).Validate(inst) == nil {
		t.Error("schema accepted a result with level \"fatal\"")
	}
}

func TestSARIFRuleIndex(t *testing.T) {
	res := testResult()
	// A finding whose check is missing from res.Checks still needs a rule.
	res.Checks = res.Checks[1:]
	run := readSARIF(t, res, Options{IncludeUnknown: true})
	rules := run.Tool.Driver.Rules
	if len(run.Results) == 0 {
		t.Fatal("no results")
	}
	for i, r := range run.Results {
		if r.RuleIndex == nil || *r.RuleIndex < 0 || *r.RuleIndex >= len(rules) {
			t.Fatalf("result %d (%s): ruleIndex %v out of range of %d rules", i, r.RuleID, r.RuleIndex, len(rules))
		}
		if got := rules[*r.RuleIndex].ID; got != r.RuleID {
			t.Errorf("result %d: ruleIndex %d points at %s, want %s", i, *r.RuleIndex, got, r.RuleID)
		}
	}
	ids := map[string]bool{}
	for _, r := range rules {
		if ids[r.ID] {
			t.Errorf("rule %s appears twice", r.ID)
		}
		ids[r.ID] = true
	}
	if !ids["GCP-ACC-001"] {
		t.Error("no rule for GCP-ACC-001, whose check was left out of res.Checks")
	}
}

func TestSARIFRules(t *testing.T) {
	run := readSARIF(t, testResult(), Options{})
	d := run.Tool.Driver
	if d.Name != "casascan" || d.SemanticVersion != "1.2.3" {
		t.Errorf("driver = %q %q, want casascan 1.2.3", d.Name, d.SemanticVersion)
	}
	var ids []string
	for _, r := range d.Rules {
		ids = append(ids, r.ID)
	}
	want := []string{"GCP-ACC-001", "GCP-ACC-002", "GCP-ENC-001", "GCP-ENC-006", "GCP-KMS-001", "GCP-KMS-006", "GCP-LOG-001"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Fatalf("one rule per check that ran, in order (-want +got):\n%s", diff)
	}
	kms := d.Rules[4]
	if kms.Name != "KeyNotBackedByAnHSM" {
		t.Errorf("rule name = %q", kms.Name)
	}
	if got := kms.Properties["security-severity"]; got != "8.0" {
		t.Errorf("security-severity = %#v, want the string \"8.0\"", got)
	}
	tags := fmt.Sprint(kms.Properties["tags"])
	if tags != "[security CWE-320 ASVS-6.4.2 CASA-4.1.3 M4]" {
		t.Errorf("tags = %s", tags)
	}
	md, _ := kms.Help["markdown"].(string)
	if !strings.Contains(md, "```hcl\nresource \"google_kms_crypto_key\"") || !strings.Contains(md, checkKMS001.Remediation) {
		t.Errorf("help.markdown lacks the remediation or the fixed Terraform in an hcl block:\n%s", md)
	}
	if txt, _ := kms.Help["text"].(string); !strings.Contains(txt, "protection_level = \"HSM\"") {
		t.Errorf("help.text lacks the fixed Terraform:\n%s", txt)
	}
}

func TestSARIFTagLimit(t *testing.T) {
	c := *checkENC001
	for i := range 30 {
		c.ASVS = append(c.ASVS, fmt.Sprintf("1.%d", i))
	}
	res := &scanner.Result{Checks: []*scanner.Check{&c}}
	run := readSARIF(t, res, Options{})
	tags, _ := run.Tool.Driver.Rules[0].Properties["tags"].([]any)
	if len(tags) != 20 || tags[0] != "security" {
		t.Errorf("got %d tags starting %v, want the first 20", len(tags), tags[:1])
	}
}

func resultsByResource(run sarifRun) map[string][]sarifRes {
	out := map[string][]sarifRes{}
	for _, r := range run.Results {
		fqn := r.Locations[0].LogicalLocations[0].FullyQualifiedName
		out[fqn] = append(out[fqn], r)
	}
	return out
}

func TestSARIFResults(t *testing.T) {
	run := readSARIF(t, testResult(), Options{})
	by := resultsByResource(run)
	// FAIL (6) and IGNORED (1); no PASS, UNKNOWN or OUT_OF_SCOPE.
	if len(run.Results) != 7 {
		t.Errorf("got %d results, want 7", len(run.Results))
	}
	for _, addr := range []string{"google_sql_database_instance.db", "google_storage_bucket.site", "google_secret_manager_secret.token"} {
		if len(by[addr]) > 0 {
			t.Errorf("%s has a result; unknown, out-of-scope and passing findings stay out of SARIF", addr)
		}
	}
	t.Run("levels", func(t *testing.T) {
		want := map[string]string{"GCP-ACC-001": "error", "GCP-KMS-001": "error", "GCP-KMS-006": "warning", "GCP-ACC-002": "note"}
		for _, r := range run.Results {
			if w, ok := want[r.RuleID]; ok && r.Level != w {
				t.Errorf("%s level = %s, want %s", r.RuleID, r.Level, w)
			}
			if r.PartialFingerprints["casascan/v1"] == "" || len(r.PartialFingerprints) != 1 {
				t.Errorf("%s partialFingerprints = %v", r.RuleID, r.PartialFingerprints)
			}
		}
	})
	t.Run("ignored", func(t *testing.T) {
		rs := by[assetsBkt]
		if len(rs) != 1 || len(rs[0].Suppressions) != 1 {
			t.Fatalf("ignored finding: %+v, want one result with one suppression", rs)
		}
		s := rs[0].Suppressions[0]
		if s.Kind != "inSource" || s.Justification != "static assets, no user data" {
			t.Errorf("suppression = %+v", s)
		}
	})
	t.Run("expired", func(t *testing.T) {
		rs := by["google_storage_bucket_iam_member.public"]
		if len(rs) != 1 || len(rs[0].Suppressions) != 0 || rs[0].Kind != "fail" {
			t.Fatalf("expired ignore: %+v, want an unsuppressed failure", rs)
		}
		if msg := rs[0].Message["text"]; !strings.Contains(msg, "expired on 2025-01-31") {
			t.Errorf("message %q does not say the ignore expired", msg)
		}
	})
	t.Run("live", func(t *testing.T) {
		rs := by[liveBucket]
		if len(rs) != 1 {
			t.Fatalf("live bucket results: %d", len(rs))
		}
		pl := rs[0].Locations[0].PhysicalLocation
		if pl.ArtifactLocation.URI != livePath || pl.ArtifactLocation.URIBaseID != "%SRCROOT%" || pl.Region.StartLine != 1 {
			t.Errorf("live location = %+v", pl)
		}
		if k := rs[0].Locations[0].LogicalLocations[0].Kind; k != "resource" {
			t.Errorf("logical location kind = %q", k)
		}
	})
	t.Run("module call", func(t *testing.T) {
		rs := by[mailBucket]
		if len(rs) != 2 {
			t.Fatalf("mail bucket results: %d", len(rs))
		}
		rel := rs[0].RelatedLocations
		if len(rel) != 1 || rel[0].ID != 1 || rel[0].PhysicalLocation.ArtifactLocation.URI != "main.tf" ||
			rel[0].PhysicalLocation.Region.StartLine != 1 || rel[0].LogicalLocations[0].Kind != "module" ||
			!strings.Contains(rel[0].Message["text"], `module call module.storage["mail|archive"]`) {
			t.Errorf("related locations = %+v", rel)
		}
	})
}

func TestSARIFIncludeUnknown(t *testing.T) {
	run := readSARIF(t, testResult(), Options{IncludeUnknown: true})
	rs := resultsByResource(run)["google_sql_database_instance.db"]
	if len(rs) != 1 || rs[0].Kind != "open" || rs[0].Level != "none" {
		t.Errorf("unknown result = %+v, want kind open, level none", rs)
	}
	if n := len(run.Results); n != 8 {
		t.Errorf("got %d results, want 8", n)
	}
}

func TestSARIFNotifications(t *testing.T) {
	run := readSARIF(t, testResult(), Options{})
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful {
		t.Fatalf("invocations = %+v", run.Invocations)
	}
	notes := run.Invocations[0].Notes
	if len(notes) != 2 || notes[0].Level != "warning" || notes[1].Level != "error" ||
		!strings.Contains(notes[1].Message["text"], "Invalid expression") {
		t.Errorf("notifications = %+v", notes)
	}
}

// TestSARIFLimit lowers the result limit: the most severe results are kept,
// the run says how many were dropped, and SARIFDropped agrees.
func TestSARIFLimit(t *testing.T) {
	defer func(n int) { sarifMaxResults = n }(sarifMaxResults)
	sarifMaxResults = 3
	res := testResult()
	run := readSARIF(t, res, Options{})
	var got []string
	for _, r := range run.Results {
		got = append(got, r.RuleID)
	}
	// CRITICAL, HIGH, then the first MEDIUM FAIL in result order.
	want := []string{"GCP-ENC-001", "GCP-KMS-001", "GCP-ACC-001"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("kept results (-want +got):\n%s", diff)
	}
	if fqn := run.Results[0].Locations[0].LogicalLocations[0].FullyQualifiedName; fqn != liveBucket {
		t.Errorf("kept MEDIUM result is %s, want the first in result order", fqn)
	}
	notes := run.Invocations[0].Notes
	last := notes[len(notes)-1].Message["text"]
	if !strings.HasPrefix(last, "4 of 7 results were left out") {
		t.Errorf("last notification = %q", last)
	}
	if r, err := Render("sarif", res, Options{}); err != nil || len(r.Warnings) != 1 || r.Warnings[0] != last {
		t.Errorf("Render warnings = %q (%v), want the notification %q", r.Warnings, err, last)
	}
}

func TestAutomationID(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"no root", Options{}, "casascan/"},
		{"dot", Options{Root: "."}, "casascan/"},
		{"dot slash", Options{Root: "./"}, "casascan/"},
		{"subdir", Options{Root: "infra/prod"}, "casascan/infra/prod/"},
		{"messy subdir", Options{Root: "./infra//prod/"}, "casascan/infra/prod/"},
		{"windows", Options{Root: `infra\prod`}, "casascan/infra/prod/"},
		{"category wins", Options{Root: "infra", Category: "tf/prod"}, "tf/prod/"},
		{"category with slash", Options{Category: "tf/prod/"}, "tf/prod/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := automationID(tc.opts); got != tc.want {
				t.Errorf("automationID(%+v) = %q, want %q", tc.opts, got, tc.want)
			}
		})
	}
}

func TestPascalCase(t *testing.T) {
	cases := map[string]string{
		"Key not backed by an HSM":                   "KeyNotBackedByAnHSM",
		"Storage bucket without CMEK":                "StorageBucketWithoutCMEK",
		"Plain-HTTP load balancer serves content":    "PlainHTTPLoadBalancerServesContent",
		"Key not rotated within 90 days":             "KeyNotRotatedWithin90Days",
		"HTTPS or SSL proxy without an SSL policy":   "HTTPSOrSSLProxyWithoutAnSSLPolicy",
		"Secret written in plain text (config) file": "SecretWrittenInPlainTextConfigFile",
	}
	for in, want := range cases {
		if got := pascalCase(in); got != want {
			t.Errorf("pascalCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	cases := map[string]string{
		"main.tf":                 "main.tf",
		"./modules/a/main.tf":     "modules/a/main.tf",
		`modules\a\main.tf`:       "modules/a/main.tf",
		"dir with space/x.tf":     "dir%20with%20space/x.tf",
		"c:weird/x.tf":            "c%3Aweird/x.tf",
		livePath:                  livePath,
		"/abs/leading/slash.tf":   "abs/leading/slash.tf",
		"pct%/hash#/question?.tf": "pct%25/hash%23/question%3F.tf",
	}
	for in, want := range cases {
		if got := artifactURI(in); got != want {
			t.Errorf("artifactURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStableGUID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`)
	a, b := stableGUID("suppression", "x"), stableGUID("suppression", "y")
	if !re.MatchString(a) || !re.MatchString(b) {
		t.Errorf("GUIDs %q, %q do not match the schema's pattern", a, b)
	}
	if a == b || a != stableGUID("suppression", "x") {
		t.Errorf("GUIDs must be stable per input and differ between inputs: %q %q", a, b)
	}
}

// TestSARIFLiveWithoutFile: a live finding that reaches the writer without
// a location still points at its pseudo-path, so GitHub can show it.
func TestSARIFLiveWithoutFile(t *testing.T) {
	f := finding(checkENC001, scanner.StatusFail, liveBucket, "google_storage_bucket", "", "no key", scanner.Location{})
	f.Source = scanner.SourceLive
	run := readSARIF(t, scanner.NewResult(scanner.Tool{}, []*scanner.Check{checkENC001}, []scanner.Finding{f}, nil), Options{})
	pl := run.Results[0].Locations[0].PhysicalLocation
	if pl.ArtifactLocation.URI != livePath || pl.Region.StartLine != 1 {
		t.Errorf("physical location = %+v, want %s line 1", pl, livePath)
	}
}

// TestSARIFCompressedLimit lowers the gzipped-size limit below what the
// whole run needs: the output fits, keeps the most severe results, says how
// many were left out, and SARIFDropped agrees.
func TestSARIFCompressedLimit(t *testing.T) {
	res := testResult()
	full, err := encodeSARIF(res, Options{})
	if err != nil || full.dropped != 0 || full.notice != "" {
		t.Fatalf("encode: %v, dropped %d", err, full.dropped)
	}
	whole, err := gzipSize(full.data)
	if err != nil {
		t.Fatal(err)
	}
	defer func(n int) { sarifMaxCompressed = n }(sarifMaxCompressed)
	sarifMaxCompressed = whole - 200
	out, err := encodeSARIF(res, Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, dropped := out.data, out.dropped
	if size, _ := gzipSize(data); size > sarifMaxCompressed {
		t.Errorf("gzipped size %d over the limit %d", size, sarifMaxCompressed)
	}
	if dropped == 0 {
		t.Fatal("nothing was left out")
	}
	if r, err := Render("sarif", res, Options{}); err != nil || len(r.Warnings) != 1 || !strings.HasPrefix(r.Warnings[0], fmt.Sprint(dropped)+" of ") {
		t.Errorf("Render warnings = %q (%v), want one saying %d were left out", r.Warnings, err, dropped)
	}
	run := readSARIF(t, res, Options{})
	if len(run.Results) == 0 || run.Results[0].RuleID != "GCP-ENC-001" {
		t.Errorf("the most severe result must be kept, got %d results", len(run.Results))
	}
	notes := run.Invocations[0].Notes
	if last := notes[len(notes)-1].Message["text"]; !strings.Contains(last, "results were left out") {
		t.Errorf("last notification = %q", last)
	}
	validateSARIF(t, data)
}

// TestSARIFParallelEncoding checks that a large report, whose results are
// encoded in parallel chunks and spliced in, is byte for byte the report
// encoded whole, and valid.
func TestSARIFParallelEncoding(t *testing.T) {
	res := largeResult(sarifIndentLimit + 3*resultChunk + 7)
	defer func(f func() int) { encodeWorkers = f }(encodeWorkers)
	encodeWorkers = func() int { return 3 }
	rep, kept, _ := buildSARIF(t, res, Options{}, sarifMaxResults)
	if kept <= sarifIndentLimit {
		t.Fatalf("only %d results: the report would be indented, not encoded in chunks", kept)
	}
	got, err := encodeReport(rep, false)
	if err != nil {
		t.Fatal(err)
	}
	var whole bytes.Buffer
	enc := json.NewEncoder(&whole)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, whole.Bytes()) {
		i := 0
		for i < min(len(got), whole.Len()) && got[i] == whole.Bytes()[i] {
			i++
		}
		t.Fatalf("chunked encoding differs from the whole at byte %d of %d/%d", i, len(got), whole.Len())
	}
	validateSARIF(t, got)
}

// TestSARIFStreamed checks that the SARIF written as a stream (Stream, the
// command's path) is byte for byte the run encoded whole, when its bytes
// are kept and when they are encoded a second time (over sarifKeepBytes),
// and when results are left out for the size limit.
func TestSARIFStreamed(t *testing.T) {
	res := largeResult(sarifIndentLimit + 3*resultChunk + 7)
	defer func(f func() int, keep, max int) {
		encodeWorkers, sarifKeepBytes, sarifMaxCompressed = f, keep, max
	}(encodeWorkers, sarifKeepBytes, sarifMaxCompressed)
	encodeWorkers = func() int { return 3 }
	for _, tc := range []struct {
		name      string
		keep, max int
	}{
		{"kept", 64 << 20, sarifMaxCompressed},
		{"encoded twice", 1 << 10, sarifMaxCompressed},
		{"over the size limit", 1 << 10, 20 << 10},
	} {
		sarifKeepBytes, sarifMaxCompressed = tc.keep, tc.max
		want, err := encodeSARIF(res, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		warnings, err := Stream(&got, "sarif", res, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.data) {
			t.Errorf("%s: the streamed SARIF differs from the whole (%d and %d bytes)", tc.name, got.Len(), len(want.data))
		}
		if (want.notice == "") != (len(warnings) == 0) {
			t.Errorf("%s: warnings %q, want the notice %q", tc.name, warnings, want.notice)
		}
	}
}

// largeResult repeats testResult's findings, each copy of a resource
// renamed, until there are at least n; in the result's order of the copies.
func largeResult(n int) *scanner.Result {
	base := testResult()
	var fs []scanner.Finding
	for i := 0; len(fs) < n; i++ {
		for f := range base.All() {
			f.Resource = fmt.Sprintf("%s_%d", f.Resource, i)
			f.Fingerprint = fmt.Sprintf("%s-%d", f.Fingerprint, i)
			fs = append(fs, f)
		}
	}
	return scanner.NewResult(base.Tool, base.Checks, fs, base.Diagnostics)
}

// buildSARIF builds the run whole, with at most limit results, every
// result in it; it returns how many it kept and how many it left out.
func buildSARIF(t *testing.T, res *scanner.Result, opts Options, limit int) (*sarif.Report, int, int) {
	t.Helper()
	counts, err := countSARIF(res, opts)
	if err != nil {
		t.Fatal(err)
	}
	rep, sel, err := buildSARIFRun(res, opts, counts, limit)
	if err != nil {
		t.Fatal(err)
	}
	fs := slices.Collect(sel.findings(res))
	results := make([]*sarif.Result, len(fs))
	par.Each(len(fs), 0, func(_, i int) { results[i] = sarifResult(fs[i]) })
	run := rep.Runs[0]
	for _, r := range results {
		run.AddResult(r)
	}
	return rep, sel.kept, sel.dropped
}

// encodeReport encodes a report built whole (buildSARIF) as the writer
// encodes its runs: compact, its results encoded in parallel chunks and
// spliced in.
func encodeReport(rep *sarif.Report, indent bool) ([]byte, error) {
	run := rep.Runs[0]
	results := run.Results
	run.Results = []*sarif.Result{}
	defer func() { run.Results = results }()
	var out []byte
	err := encodeResultsTo(rep, len(results), indent, slices.Values(results),
		func(dst []byte, r *sarif.Result) []byte {
			b, err := encodeJSON(r, false)
			if err != nil {
				panic(err)
			}
			return append(dst, bytes.TrimSuffix(b, []byte("\n"))...)
		},
		func(p []byte) error { out = append(out, p...); return nil })
	return out, err
}
