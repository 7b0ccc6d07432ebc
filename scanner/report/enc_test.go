package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/providers/gcp"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/providers/terraform/gentree"
	"github.com/casascan/casascan/scanner"
)

// The hand-written encoders (sarifenc.go, jsonenc.go) are checked against
// encoding/json on the values the writers encoded before them: the bytes
// must be the same, or the reports change.

// encRefSARIF is the result as the SARIF writer encoded it with
// encoding/json: sarifResult(f).WithRuleIndex(idx), compact, HTML not
// escaped (encodeJSON), without the encoder's newline.
func encRefSARIF(t testing.TB, f scanner.Finding, idx int) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sarifResult(f).WithRuleIndex(idx)); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// encRefFinding is the finding as the JSON writer encoded it with
// encoding/json: indented by two spaces after prefix, HTML not escaped
// (encodeJSONStream), without the encoder's newline.
func encRefFinding(t testing.TB, f *scanner.Finding, prefix string) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(f); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// encCompare checks both encoders on f against encoding/json, and that
// each appends to what dst already holds.
func encCompare(t testing.TB, name string, f scanner.Finding) {
	t.Helper()
	for _, idx := range []int{0, 3, -1} {
		want := encRefSARIF(t, f, idx)
		got := appendSARIFResult([]byte("x"), f, idx)
		if !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Fatalf("%s: appendSARIFResult(ruleIndex %d) differs from encoding/json:\ngot  %s\nwant %s\nfinding %#v", name, idx, got[1:], want, f)
		}
	}
	for _, prefix := range []string{"    ", "", "\t"} {
		want := encRefFinding(t, &f, prefix)
		got := appendFindingJSON([]byte("x"), &f, prefix)
		if !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Fatalf("%s: appendFindingJSON(prefix %q) differs from encoding/json:\ngot  %s\nwant %s\nfinding %#v", name, prefix, got[1:], want, f)
		}
	}
}

// encFill sets every exported field of v to a value that is not zero,
// recursively (two elements to a slice), like scanner's store test.
func encFill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		encFill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		encFill(v.Index(0), n)
		encFill(v.Index(1), n)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				encFill(v.Field(i), n)
			}
		}
	}
}

// encFull is a finding with every field set; its origins have files and
// lines, so SARIF makes related locations of them.
func encFull() scanner.Finding {
	var f scanner.Finding
	n := 0
	encFill(reflect.ValueOf(&f).Elem(), &n)
	f.Status = scanner.StatusIgnored
	f.Severity = scanner.High
	return f
}

// encStringFields returns a setter for every string field of a finding,
// by path, nested ones included (through pointers and slice elements).
func encStringFields(f *scanner.Finding) map[string]reflect.Value {
	out := map[string]reflect.Value{}
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			out[path] = v
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), path+"."+v.Type().Field(i).Name)
				}
			}
		}
	}
	walk(reflect.ValueOf(f).Elem(), "")
	return out
}

// encNasty are strings that JSON escapes, or that look as if it should.
var encNasty = []string{
	"",
	`"quoted" and \back\slashed\`,
	"controls \x00\x01\x07\b\t\n\v\f\r\x0e\x1b\x1f\x7f end",
	"html <script>alert('&amp;')</script> &lt;",
	"separators \u2028 and \u2029 and \u2027\u202a",
	"invalid \xff\xfe, cut \xe2\x82, lone \x80, overlong \xc0\xaf, surrogate \xed\xa0\x80",
	"\xe2\x82", // a rune cut at the end, which the next part must not complete
	"\xac" + "€ ünïcødé 日本語 🎉 \U0010FFFF \uFFFD",
	strings.Repeat(`long "\ `+"\x01\u2028\xff", 300), // past every buffer
	"main.tf", "gcp/storage.googleapis.com/b", "a b/c%d/é.tf", "./x/../y.tf", "/abs/path.tf",
	"C:\\win\\path.tf", "c:x.tf", "dir//file.tf", "dir/./file.tf", "dir/", ".", "..", "a/..",
	"...", ".hidden/..x/x..", "$&+=@~-_.tf", "a;b,c?d#e", "//storage.googleapis.com/acme",
	"//", "//x", "x//y",
	"google_storage_bucket.b", "module.a[\"k\"].google_kms_crypto_key.k[*]",
}

func TestEncFixtures(t *testing.T) {
	for i, f := range encFixtureFindings() {
		encCompare(t, fmt.Sprintf("fixture %d (%s %s)", i, f.CheckID, f.Status), f)
	}
}

// TestEncEveryField: a finding with every field set, under every status
// and suppression kind, and with each pointer or slice taken away.
func TestEncEveryField(t *testing.T) {
	statuses := []scanner.Status{scanner.StatusFail, scanner.StatusPass, scanner.StatusIgnored, scanner.StatusUnknown, scanner.StatusOutOfScope, "OTHER", ""}
	kinds := []string{scanner.SuppressionInSource, scanner.SuppressionExternal, scanner.SuppressionConfig, "", "other"}
	for _, st := range statuses {
		for _, k := range kinds {
			for _, expired := range []bool{false, true} {
				for sev := scanner.Severity(-1); sev <= scanner.Critical+1; sev++ {
					f := encFull()
					f.Status, f.Suppression.Kind, f.Suppression.Expired, f.Severity = st, k, expired, sev
					encCompare(t, fmt.Sprintf("full %s %q expired=%v %d", st, k, expired, sev), f)
				}
			}
		}
	}
	drop := map[string]func(*scanner.Finding){
		"no related":             func(f *scanner.Finding) { f.Related = nil },
		"empty related":          func(f *scanner.Finding) { f.Related = []scanner.Location{} },
		"no provenance":          func(f *scanner.Finding) { f.Provenance = nil },
		"nil origins":            func(f *scanner.Finding) { f.Provenance.Origins = nil },
		"empty origins":          func(f *scanner.Finding) { f.Provenance.Origins = []scanner.Origin{} },
		"zero origin":            func(f *scanner.Finding) { f.Provenance.Origins = []scanner.Origin{{}} },
		"zero related":           func(f *scanner.Finding) { f.Related = []scanner.Location{{}} },
		"no suppression":         func(f *scanner.Finding) { f.Suppression = nil },
		"zero suppression":       func(f *scanner.Finding) { f.Suppression = &scanner.Suppression{} },
		"no grant":               func(f *scanner.Finding) { f.Grant = nil },
		"zero grant":             func(f *scanner.Finding) { f.Grant = &scanner.Grant{} },
		"no downloaded module":   func(f *scanner.Finding) { f.DownloadedModule = nil },
		"zero downloaded module": func(f *scanner.Finding) { f.DownloadedModule = &scanner.Location{} },
		"no location":            func(f *scanner.Finding) { f.Location = scanner.Location{} },
		"live location":          func(f *scanner.Finding) { f.Location = scanner.Location{}; f.Resource = "//x.googleapis.com/p/y" },
		"live location of //":    func(f *scanner.Finding) { f.Location = scanner.Location{}; f.Resource = "//" },
		"live location of ///":   func(f *scanner.Finding) { f.Location = scanner.Location{}; f.Resource = "///x/" },
		"no suppression location": func(f *scanner.Finding) {
			f.Suppression.Location = scanner.Location{}
		},
		"no locations at all": func(f *scanner.Finding) { f.Suppression.Location, f.Location = scanner.Location{}, scanner.Location{} },
		"negative numbers": func(f *scanner.Finding) {
			f.Location = scanner.Location{File: "a.tf", StartLine: -3, StartCol: -1, EndLine: -2, EndCol: -9}
			f.Related[0].StartLine, f.Related[0].EndLine, f.Related[1].EndLine = -1, -5, 1
			f.Provenance.Origins[0].Line, f.Suppression.Location.StartLine, f.DownloadedModule.StartLine = -7, -1, -2
		},
		"huge numbers": func(f *scanner.Finding) {
			f.Location = scanner.Location{File: "a.tf", StartLine: 1 << 62, StartCol: 1<<63 - 1, EndLine: 1<<63 - 1, EndCol: -1 << 63}
		},
		"end before start": func(f *scanner.Finding) {
			f.Location = scanner.Location{File: "a.tf", StartLine: 9, StartCol: 2, EndLine: 3, EndCol: 4}
		},
		"no justification": func(f *scanner.Finding) { f.Suppression.Justification = "" },
		"empty messages": func(f *scanner.Finding) {
			f.Message, f.Related[0].Message, f.Related[0].Address, f.Related[1].Kind = "", "", "", ""
		},
		"empty message and check": func(f *scanner.Finding) { f.Message, f.CheckID = "", "" },
		"message names resource":  func(f *scanner.Finding) { f.Message = "x " + f.Resource + " y" },
		"empty resource":          func(f *scanner.Finding) { f.Resource = "" },
	}
	for name, change := range drop {
		for _, st := range []scanner.Status{scanner.StatusIgnored, scanner.StatusUnknown} {
			for _, expired := range []bool{false, true} {
				f := encFull()
				f.Status = st
				change(&f)
				if f.Suppression != nil {
					f.Suppression.Expired = expired
				}
				encCompare(t, fmt.Sprintf("%s %s expired=%v", name, st, expired), f)
			}
		}
	}
	encCompare(t, "zero finding", scanner.Finding{})
	encCompare(t, "zero ignored", scanner.Finding{Status: scanner.StatusIgnored, Suppression: &scanner.Suppression{}})
}

// TestEncNastyStrings puts each nasty string in each string field of a
// full finding in turn, and all at once.
func TestEncNastyStrings(t *testing.T) {
	full := encFull()
	paths := encStringFields(&full)
	if len(paths) < 30 {
		t.Fatalf("only %d string fields found in a full finding", len(paths))
	}
	// Each field and string once, IGNORED (SARIF's suppression) or FAIL
	// with an expired ignore (SARIF's message note) in turn.
	for j, path := range slices.Sorted(maps.Keys(paths)) {
		for i, s := range encNasty {
			st := []scanner.Status{scanner.StatusIgnored, scanner.StatusFail}[(i+j)%2]
			f := encFull()
			f.Status = st
			f.Suppression.Expired = st == scanner.StatusFail
			f.Suppression.Kind = []string{scanner.SuppressionConfig, scanner.SuppressionInSource, scanner.SuppressionExternal}[i%3]
			encStringFields(&f)[path].SetString(s)
			encCompare(t, fmt.Sprintf("%s = nasty %d (%s)", path, i, st), f)
		}
	}
	for i, s := range encNasty {
		f := encFull()
		for _, v := range encStringFields(&f) {
			v.SetString(s)
		}
		encCompare(t, fmt.Sprintf("every string = nasty %d", i), f)
		// The message is built of the resource and the message: a cut rune
		// at the end of one must not join the start of the other.
		for _, t2 := range encNasty[:9] {
			f := encFull()
			f.Resource, f.Message = s, t2
			encCompare(t, fmt.Sprintf("resource nasty %d, message %q", i, t2), f)
		}
	}
}

// TestEncOrigins: each kind of origin, in the tree or out of it, on the
// finding's own line or not, and one already a related location.
func TestEncOrigins(t *testing.T) {
	kinds := []scanner.OriginKind{scanner.OriginModuleArg, scanner.OriginTFVars, scanner.OriginVarFile, scanner.OriginVarFlag,
		scanner.OriginEnv, scanner.OriginVarDefault, scanner.OriginUnset, scanner.OriginComputed, scanner.OriginOneOf,
		scanner.OriginDataSource, scanner.OriginProviderDefault, scanner.OriginAPIDefault, scanner.OriginAbsentBlock,
		scanner.OriginLiteral, scanner.OriginRecord, scanner.OriginMore, "", "unheard_of"}
	files := []string{"", "main.tf", "vars/prod.tfvars", "../outside.tfvars", "/abs.tfvars", "C:\\x.tfvars", "..", "a\\..\\b.tf"}
	for _, k := range kinds {
		for _, file := range files {
			for _, line := range []int{0, 1, 5, 7, -2} {
				for _, name := range []string{"", "var.x", "google_kms_crypto_key.k[*]", "google_kms_crypto_key.k", "data.x.y"} {
					f := scanner.Finding{CheckID: "GCP-X-001", Status: scanner.StatusFail, Severity: scanner.Medium, Resource: "r.x",
						Location: scanner.Location{File: "main.tf", StartLine: 5, EndLine: 7},
						Related:  []scanner.Location{{File: "vars/prod.tfvars", StartLine: 7}},
						Provenance: &scanner.Provenance{Value: "v", Origins: []scanner.Origin{
							{Kind: k, File: file, Line: line, Name: name, Module: "module.m", Outside: line == 1},
							{Kind: k, File: file, Line: line + 1, Name: name},
						}}}
					encCompare(t, fmt.Sprintf("origin %s %s:%d %s", k, file, line, name), f)
				}
			}
		}
	}
}

// TestEncInReport: appendFindingJSON with prefix "    " is an element of
// the findings array of an indented document, at the depth the report
// has it.
func TestEncInReport(t *testing.T) {
	fs := encFixtureFindings()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(struct {
		Findings []scanner.Finding `json:"findings"`
	}{fs}); err != nil {
		t.Fatal(err)
	}
	got := []byte("{\n  \"findings\": [")
	for i := range fs {
		if i > 0 {
			got = append(got, ',')
		}
		got = append(got, "\n    "...)
		got = appendFindingJSON(got, &fs[i], "    ")
	}
	got = append(got, "\n  ]\n}\n"...)
	if !bytes.Equal(got, buf.Bytes()) {
		t.Errorf("findings written one by one differ from the document:\ngot  %s\nwant %s", got, buf.Bytes())
	}
}

// TestEncSARIFIndented: the indented SARIF of a small run is
// json.Indent of the compact bytes (encoding/json indents its compact
// encoding), so a writer may splice appendSARIFResult's output into the
// compact report and indent the whole: a result of runs[0].results sits
// four levels deep.
func TestEncSARIFIndented(t *testing.T) {
	const prefix = "        "
	for i, f := range encFixtureFindings() {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent(prefix, "  ")
		if err := enc.Encode(sarifResult(f).WithRuleIndex(i)); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := json.Indent(&got, appendSARIFResult(nil, f, i), prefix, "  "); err != nil {
			t.Fatal(err)
		}
		got.WriteByte('\n')
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("fixture %d indented:\ngot  %s\nwant %s", i, got.Bytes(), want.Bytes())
		}
	}
}

// TestEncScans compares every finding of real scans: the demo, tree and
// check fixtures, and the asset exports.
func TestEncScans(t *testing.T) {
	n := 0
	for _, f := range encScanFindings(t, false) {
		encCompare(t, fmt.Sprintf("scan finding %s %s %s", f.CheckID, f.Resource, f.Status), f)
		n++
	}
	if n < 1000 {
		t.Errorf("only %d findings from the scans", n)
	}
}

// TestEncAllocs: the usual results cost no allocation beyond dst's growth.
func TestEncAllocs(t *testing.T) {
	fs := encFixtureFindings()
	full := encFull() // related locations, a suppression, a grant...
	full.Provenance, full.Suppression.Expired = nil, false
	fs = append(fs, full)
	buf := make([]byte, 0, 1<<16)
	for i := range fs {
		f := fs[i]
		if f.Suppression != nil && f.Suppression.Expired || f.Provenance != nil {
			continue // the expired note and origins' messages are built
		}
		if a := testing.AllocsPerRun(20, func() { buf = appendSARIFResult(buf[:0], f, 1) }); a != 0 {
			t.Errorf("appendSARIFResult(fixture %d): %v allocations, want 0", i, a)
		}
		if a := testing.AllocsPerRun(20, func() { buf = appendFindingJSON(buf[:0], &f, "    ") }); a != 0 {
			t.Errorf("appendFindingJSON(fixture %d): %v allocations, want 0", i, a)
		}
	}
}

// encFixtureFindings are findings of the shapes the writers meet: terraform
// and live, with and without provenance, related locations, ignores of
// each kind, a downloaded module, a grant, a root module.
func encFixtureFindings() []scanner.Finding {
	loc := func(file string, l1, c1, l2, c2 int, addr string) scanner.Location {
		return scanner.Location{File: file, StartLine: l1, StartCol: c1, EndLine: l2, EndCol: c2, Address: addr, Kind: "resource"}
	}
	fp := func(s string) string { return scanner.Fingerprint("GCP-ENC-001", s, "", "") }
	const live = "//storage.googleapis.com/acme-mail"
	return []scanner.Finding{
		{CheckID: "GCP-ENC-001", Status: scanner.StatusFail, Severity: scanner.Medium, Message: "no customer-managed key (encryption.default_kms_key_name is not set)",
			Resource: live, ResourceType: "google_storage_bucket", Source: scanner.SourceLive, Attribute: "encryption.default_kms_key_name",
			Location: scanner.Location{Address: live, Kind: "resource"}, Fingerprint: fp(live)},
		{CheckID: "GCP-ACC-002", Status: scanner.StatusPass, Severity: scanner.Low, Message: live + ": passes",
			Resource: live, ResourceType: "google_storage_bucket", Source: scanner.SourceLive,
			Location: loc("gcp/storage.googleapis.com/acme-mail", 0, 0, 0, 0, live), Fingerprint: fp("p" + live)},
		{CheckID: "GCP-KMS-001", Status: scanner.StatusFail, Severity: scanner.High, Message: "protection level is SOFTWARE (want HSM)",
			Resource: "google_kms_crypto_key.app", ResourceType: "google_kms_crypto_key", Source: scanner.SourceTerraform,
			Attribute: "version_template.protection_level", Location: loc("main.tf", 5, 1, 5, 40, "google_kms_crypto_key.app"),
			Fingerprint: fp("kms"), Provenance: &scanner.Provenance{Value: "SOFTWARE", Origins: []scanner.Origin{
				{Kind: scanner.OriginTFVars, Name: "var.protection", File: "envs/prod/terraform.tfvars", Line: 3},
				{Kind: scanner.OriginVarDefault, Name: "var.protection", File: "variables.tf", Line: 12},
				{Kind: scanner.OriginVarFile, Name: "var.protection", File: "/etc/prod.tfvars", Line: 1, Outside: true}}}},
		{CheckID: "GCP-KMS-006", Status: scanner.StatusFail, Severity: scanner.Critical, Message: "CMEK key google_kms_crypto_key.app is a software key",
			Resource: "google_storage_bucket.logs", ResourceType: "google_storage_bucket", Source: scanner.SourceTerraform,
			Attribute: "encryption.default_kms_key_name", Location: loc("main.tf", 12, 5, 12, 60, "google_storage_bucket.logs"),
			Related: []scanner.Location{{File: "main.tf", StartLine: 5, StartCol: 1, EndLine: 5, EndCol: 40,
				Address: "google_kms_crypto_key.app", Kind: "resource", Message: "related resource google_kms_crypto_key.app"}},
			Fingerprint: fp("kms6"), Provenance: &scanner.Provenance{Value: "(known after apply)", Origins: []scanner.Origin{
				{Kind: scanner.OriginComputed, Name: "google_kms_crypto_key.app", File: "main.tf", Line: 5},
				{Kind: scanner.OriginOneOf, Name: "google_kms_crypto_key.k[*]", File: "keys.tf", Line: 9},
				{Kind: scanner.OriginDataSource, Name: "data.google_kms_key.d", File: "data.tf", Line: 2}}}},
		{CheckID: "GCP-LOG-001", Status: scanner.StatusUnknown, Severity: scanner.Medium, Message: "database_flags is known only after apply",
			Resource: "google_sql_database_instance.db", ResourceType: "google_sql_database_instance", Source: scanner.SourcePlan,
			Attribute: "settings.database_flags", Location: loc("main.tf", 20, 3, 24, 4, "google_sql_database_instance.db"),
			Reason: "database_flags is known only after apply", Fingerprint: fp("log")},
		{CheckID: "GCP-ACC-001", Status: scanner.StatusFail, Severity: scanner.Critical, Message: "grants roles/storage.objectViewer to allUsers",
			Resource: "google_storage_bucket_iam_member.public", ResourceType: "google_storage_bucket_iam_member", Source: scanner.SourceTerraform,
			Attribute: "member", Location: loc("main.tf", 32, 3, 32, 24, "google_storage_bucket_iam_member.public"), Fingerprint: fp("acc"),
			Suppression: &scanner.Suppression{Kind: "inSource", Justification: "launch demo", Expires: "2025-01-31", Expired: true,
				Location: scanner.Location{File: "main.tf", StartLine: 29}}},
		{CheckID: "GCP-ENC-001", Status: scanner.StatusOutOfScope, Severity: scanner.Medium, Message: "out of scope",
			Resource: "google_storage_bucket.site", ResourceType: "google_storage_bucket", Source: scanner.SourceTerraform,
			Location: loc("main.tf", 36, 1, 36, 39, "google_storage_bucket.site"), Fingerprint: fp("site"),
			Reason: "resource carries no scope label and is not referenced by one that does"},
		{CheckID: "GCP-ENC-001", Status: scanner.StatusIgnored, Severity: scanner.Medium, Message: "no customer-managed key",
			Resource: "module.assets.google_storage_bucket.b", ResourceType: "google_storage_bucket", Source: scanner.SourceTerraform,
			RootModule: "envs/prod", Attribute: "encryption.default_kms_key_name",
			Location: loc("modules/bucket/main.tf", 3, 1, 3, 38, "module.assets.google_storage_bucket.b"),
			Related: []scanner.Location{{File: "main.tf", StartLine: 44, StartCol: 1, EndLine: 47, EndCol: 2, Address: "module.assets", Kind: "module", Message: "module call module.assets"},
				{File: "other.tf", StartLine: 2, Address: "google_x.y"}, {Address: "google_x.z"}, {File: "nowhere.tf"}},
			Reason: "static assets, no user data", Fingerprint: fp("ign"),
			Suppression: &scanner.Suppression{Kind: "inSource", Justification: "static assets, no user data", Expires: "2099-12-31",
				Location: scanner.Location{File: "modules/bucket/main.tf", StartLine: 2}},
			Provenance: &scanner.Provenance{Value: "inherited", Origins: []scanner.Origin{{Kind: scanner.OriginLiteral, File: "modules/bucket/main.tf", Line: 3}}}},
		{CheckID: "GCP-ENC-002", Status: scanner.StatusIgnored, Severity: scanner.High, Message: "baseline",
			Resource: "google_bigquery_dataset.d", ResourceType: "google_bigquery_dataset", Source: scanner.SourceTerraform,
			Location: loc("bq.tf", 1, 1, 9, 2, "google_bigquery_dataset.d"), Fingerprint: fp("base"),
			Suppression: &scanner.Suppression{Kind: scanner.SuppressionExternal, Location: scanner.Location{File: ".casascan-baseline.json"}}},
		{CheckID: "GCP-ENC-003", Status: scanner.StatusIgnored, Severity: scanner.Low, Message: "config",
			Resource: "google_compute_disk.d", ResourceType: "google_compute_disk", Source: scanner.SourceTerraform,
			Location: loc("disk.tf", 4, 1, 8, 2, "google_compute_disk.d"), Fingerprint: fp("conf"),
			Suppression: &scanner.Suppression{Kind: scanner.SuppressionConfig, Location: scanner.Location{File: ".casascan.yaml", StartLine: 14}}},
		{CheckID: "GCP-ENC-003", Status: scanner.StatusIgnored, Severity: scanner.Low, Message: "comment without reason",
			Resource: "google_compute_disk.e", ResourceType: "google_compute_disk", Source: scanner.SourceTerraform,
			Location: loc("disk.tf", 10, 1, 14, 2, "google_compute_disk.e"), Fingerprint: fp("noreason"),
			Suppression: &scanner.Suppression{Kind: scanner.SuppressionInSource}},
		{CheckID: "GCP-ENC-006", Status: scanner.StatusFail, Severity: scanner.High, Message: "downloaded",
			Resource: "module.remote.google_secret_manager_secret.s", ResourceType: "google_secret_manager_secret", Source: scanner.SourceTerraform,
			Location:         loc("main.tf", 50, 1, 53, 2, "module.remote"),
			DownloadedModule: &scanner.Location{File: ".terraform/modules/remote/secret.tf", StartLine: 7}, Fingerprint: fp("dl")},
		{CheckID: "GCP-ACC-001", Status: scanner.StatusFail, Severity: scanner.Critical, Message: "public",
			Resource: "//storage.googleapis.com/acme-exports", ResourceType: "storage.googleapis.com/Bucket", Source: scanner.SourceExport,
			Location: scanner.Location{File: "exports/acme.ndjson", StartLine: 17}, Fingerprint: fp("grant"),
			Grant: &scanner.Grant{Asset: "//storage.googleapis.com/acme-exports", Role: "roles/storage.objectViewer", Member: "allUsers"},
			Provenance: &scanner.Provenance{Value: "allUsers", Origins: []scanner.Origin{{Kind: scanner.OriginRecord,
				Name: "//storage.googleapis.com/acme-exports", File: "exports/acme.ndjson", Line: 17}}}},
		{CheckID: "GCP-SEC-001", Status: scanner.StatusFail, Severity: scanner.High, Message: "secret <in> \"env\" & more",
			Resource: "google_cloud_run_service.svc", ResourceType: "google_cloud_run_service", Source: scanner.SourceTerraform,
			Location: loc("dir with space/ünï.tf", 2, 1, 2, 9, "google_cloud_run_service.svc"), Fingerprint: fp("sec"),
			Provenance: &scanner.Provenance{Value: "(redacted)", Origins: []scanner.Origin{}}},
	}
}

// encScanFindings are the findings of scans of the fixtures (the demo,
// the tree, every check's and the asset exports; with generated, also
// gentree's default tree), as the writers get them.
func encScanFindings(t testing.TB, generated bool) []scanner.Finding {
	t.Helper()
	ctx := context.Background()
	var graphs []*scanner.Graph
	for _, dir := range []string{"demo", "tree", "checks"} {
		gs, err := terraform.LoadTree(ctx, filepath.Join("..", "..", "fixtures", dir), terraform.Options{})
		if err != nil {
			t.Fatal(err)
		}
		graphs = append(graphs, gs...)
	}
	if generated {
		dir := t.TempDir()
		if err := gentree.Write(dir, gentree.Default); err != nil {
			t.Fatal(err)
		}
		gs, err := terraform.LoadTree(ctx, dir, terraform.Options{})
		if err != nil {
			t.Fatal(err)
		}
		graphs = append(graphs, gs...)
	}
	exports, err := filepath.Glob(filepath.Join("..", "..", "fixtures", "gcp", "export", "*json"))
	if err != nil || len(exports) == 0 {
		t.Fatalf("no asset exports: %v", err)
	}
	for _, p := range exports {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		g, err := gcp.ReadExport(ctx, data, filepath.Base(p), ".")
		if err != nil {
			continue // a fixture of a broken export
		}
		graphs = append(graphs, g)
	}
	res := scanner.Run(checks.All(), graphs, scanner.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	defer res.Close()
	var out []scanner.Finding
	for f := range res.All() {
		out = append(out, f)
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// FuzzEncSARIF builds a finding from fuzzed strings and numbers and
// compares appendSARIFResult with encoding/json.
func FuzzEncSARIF(f *testing.F) {
	encSeed(f)
	f.Fuzz(func(t *testing.T, s1, s2, s3, s4, s5 string, n1, n2, n3, n4 int, bits uint16) {
		fd := encFuzzFinding(s1, s2, s3, s4, s5, n1, n2, n3, n4, bits)
		idx := int(n4 % 50)
		want := encRefSARIF(t, fd, idx)
		if got := appendSARIFResult(nil, fd, idx); !bytes.Equal(got, want) {
			t.Fatalf("appendSARIFResult differs from encoding/json:\ngot  %s\nwant %s", got, want)
		}
	})
}

// FuzzEncFindingJSON is FuzzEncSARIF for appendFindingJSON.
func FuzzEncFindingJSON(f *testing.F) {
	encSeed(f)
	f.Fuzz(func(t *testing.T, s1, s2, s3, s4, s5 string, n1, n2, n3, n4 int, bits uint16) {
		fd := encFuzzFinding(s1, s2, s3, s4, s5, n1, n2, n3, n4, bits)
		prefix := []string{"    ", "", "\t", s5}[bits>>14]
		want := encRefFinding(t, &fd, prefix)
		if got := appendFindingJSON(nil, &fd, prefix); !bytes.Equal(got, want) {
			t.Fatalf("appendFindingJSON differs from encoding/json:\ngot  %s\nwant %s", got, want)
		}
	})
}

func encSeed(f *testing.F) {
	for i, s := range encNasty {
		if len(s) > 200 {
			continue // long inputs slow the fuzzer down; the tests have them
		}
		f.Add(s, "main.tf", "google_storage_bucket.b", encNasty[(i+1)%len(encNasty)], "var.x", 3, 1, 5, 2, uint16(i*2654435761))
	}
	f.Add("", "", "", "", "", 0, 0, 0, 0, uint16(0))
	f.Add("m", "gcp/x", "//x/y", "a", "b", 1, 2, 3, 4, uint16(0xffff))
}

// encFuzzFinding spreads five strings, four numbers and sixteen bits over
// a finding's fields: which pointers and slices are set, the status, the
// suppression and origin kinds.
func encFuzzFinding(s1, s2, s3, s4, s5 string, n1, n2, n3, n4 int, bits uint16) scanner.Finding {
	bit := func(i uint) bool { return bits&(1<<i) != 0 }
	pick := func(i uint, ss ...string) string { return ss[int(bits>>i)%len(ss)] }
	statuses := []scanner.Status{scanner.StatusFail, scanner.StatusIgnored, scanner.StatusUnknown, scanner.StatusPass}
	f := scanner.Finding{
		CheckID: s4, Status: statuses[bits&3], Severity: scanner.Severity(n4 % 6), Message: s1, Resource: s3,
		ResourceType: s4, Source: scanner.Source(s5), Fingerprint: s2,
		Location: scanner.Location{File: s2, StartLine: n1, StartCol: n2, EndLine: n3, EndCol: n4, Address: s3, Kind: s5},
	}
	if bit(2) {
		f.Location.File = ""
		f.Resource = "//" + s3
	}
	if bit(3) {
		f.Attribute, f.RootModule, f.Reason = s5, s1, s4
	}
	if bit(4) {
		f.Related = []scanner.Location{{File: s1, StartLine: n2, EndLine: n1, Address: s5, Kind: s4, Message: s3}, {File: s2, StartLine: n3}}
	}
	if bit(5) {
		f.Provenance = &scanner.Provenance{Value: s1}
		kinds := []scanner.OriginKind{scanner.OriginLiteral, scanner.OriginTFVars, scanner.OriginComputed, scanner.OriginOneOf,
			scanner.OriginDataSource, scanner.OriginVarDefault, scanner.OriginRecord, scanner.OriginKind(s4)}
		if bit(6) {
			f.Provenance.Origins = []scanner.Origin{
				{Kind: kinds[int(bits>>7)%len(kinds)], File: s2, Line: n1, Name: s3, Module: s5, Outside: bit(8)},
				{Kind: kinds[int(bits>>9)%len(kinds)], File: s1, Line: n3, Name: s4},
				{Kind: scanner.OriginLiteral, File: s2, Line: n2},
			}
		} else if bit(7) {
			f.Provenance.Origins = []scanner.Origin{}
		}
	}
	if bit(10) {
		f.Suppression = &scanner.Suppression{Kind: pick(11, scanner.SuppressionInSource, scanner.SuppressionExternal, scanner.SuppressionConfig, s5),
			Justification: s4, Expires: s5, Expired: bit(13), Location: scanner.Location{File: s1, StartLine: n2}}
	}
	if bit(12) {
		f.Grant = &scanner.Grant{Asset: s3, Role: s4, Member: s5}
		f.DownloadedModule = &scanner.Location{File: s5, StartLine: n3, Message: s1}
	}
	return f
}

// BenchmarkEncSARIF is the cost of one SARIF result, built as a go-sarif
// value and encoded by encoding/json (old) or appended (new), over the
// findings of real scans.
func BenchmarkEncSARIF(b *testing.B) {
	benchEnc(b, "", func(f *scanner.Finding) any { return sarifResult(*f).WithRuleIndex(3) },
		func(dst []byte, f *scanner.Finding) []byte { return appendSARIFResultOf(dst, f, 3) })
}

// BenchmarkEncFindingJSON is BenchmarkEncSARIF for a finding of the JSON
// report, encoded indented by encoding/json (old) or appended (new).
func BenchmarkEncFindingJSON(b *testing.B) {
	benchEnc(b, "    ", func(f *scanner.Finding) any { return f },
		func(dst []byte, f *scanner.Finding) []byte { return appendFindingJSON(dst, f, "    ") })
}

// benchEnc runs the old encoding (encoding/json of what old makes,
// indented after prefix when prefix is set) and the new (appendNew) over
// the findings of real scans.
func benchEnc(b *testing.B, prefix string, old func(*scanner.Finding) any, appendNew func([]byte, *scanner.Finding) []byte) {
	fs := encScanFindings(b, true)
	b.Run("old", func(b *testing.B) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if prefix != "" {
			enc.SetIndent(prefix, "  ")
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			buf.Reset()
			if err := enc.Encode(old(&fs[i%len(fs)])); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("new", func(b *testing.B) {
		var buf []byte
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			buf = appendNew(buf[:0], &fs[i%len(fs)])
			i++
		}
	})
}

// FuzzAppendEscaped: the escaped string is what encoding/json writes
// inside the quotes (HTML not escaped), whatever bytes it holds and
// wherever they fall in the eight-byte words the fast path reads.
func FuzzAppendEscaped(f *testing.F) {
	for _, s := range encNasty {
		f.Add(s)
	}
	f.Add(`plain ascii text, long enough for words "and" \ then more`)
	f.Add("12345678\x1f2345678\u20281234567\xff")
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		want = want[1 : len(want)-1]
		if got := appendEscaped(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendEscaped(%q) = %s, want %s", s, got, want)
		}
	})
}

// TestPlainWord: a word is plain exactly when each of its bytes is, for
// every byte value at every position among plain and unplain neighbours.
func TestPlainWord(t *testing.T) {
	plain := func(b byte) bool { return b >= 0x20 && b < 0x80 && b != '"' && b != '\\' }
	for _, fill := range []byte{'a', ' ', 0x7f, 0x00, 0x21, 0xff} {
		for pos := range 8 {
			for b := range 256 {
				var w [8]byte
				for i := range w {
					w[i] = fill
				}
				w[pos] = byte(b)
				want := true
				for _, c := range w {
					want = want && plain(c)
				}
				if got := plainWord(load64(w[:], 0)); got != want {
					t.Fatalf("plainWord(%q) = %v, want %v", w, got, want)
				}
			}
		}
	}
}
