package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casascan/casascan/scanner"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the writers' output")

// Paths and places shared by the fixed result and the tests that look into it.
const (
	liveBucket = "//storage.googleapis.com/acme-mail"
	livePath   = "gcp/storage.googleapis.com/acme-mail"
	mailBucket = `module.storage["mail|archive"].google_storage_bucket.this`
	assetsBkt  = `module.storage["assets"].google_storage_bucket.this`
	modFile    = "modules/bucket/main.tf"
)

var (
	checkACC001 = &scanner.Check{
		ID: "GCP-ACC-001", Title: "Bucket open to the public", Severity: scanner.Critical,
		CWE: 732, CASA: []string{"4.1.3"}, Measures: []scanner.Measure{scanner.M5},
		Why:         "A public bucket lets anyone on the internet read the user data in it.\nRestricted-scope data must never be public.",
		Remediation: "Remove allUsers and allAuthenticatedUsers from the bucket's IAM members.",
		Fix:         "resource \"google_storage_bucket_iam_member\" \"reader\" {\n  bucket = google_storage_bucket.mail.name\n  role   = \"roles/storage.objectViewer\"\n  member = \"serviceAccount:app@acme.iam.gserviceaccount.com\"\n}",
	}
	checkACC002 = &scanner.Check{
		ID: "GCP-ACC-002", Title: "Bucket without public access prevention", Severity: scanner.Low,
		CWE: 732, CASA: []string{"4.1.3"}, Measures: []scanner.Measure{scanner.M5},
		Why:         "Public access prevention stops a later IAM change from exposing the bucket.",
		Remediation: "Set public_access_prevention = \"enforced\".",
		Fix:         "resource \"google_storage_bucket\" \"mail\" {\n  public_access_prevention = \"enforced\"\n}",
	}
	checkENC001 = &scanner.Check{
		ID: "GCP-ENC-001", Title: "Storage bucket without CMEK", Severity: scanner.Medium,
		CWE: 311, ASVS: []string{"6.1.1"}, CASA: []string{"4.1.3"}, Measures: []scanner.Measure{scanner.M1},
		Why:         "Without a customer-managed key, you cannot revoke access to the data by disabling the key. The policy asks for keys you control.",
		Remediation: "Set encryption.default_kms_key_name to a Cloud KMS key in an HSM.",
		Fix:         "resource \"google_storage_bucket\" \"mail\" {\n  encryption {\n    default_kms_key_name = google_kms_crypto_key.mail.id\n  }\n}",
	}
	checkENC006 = &scanner.Check{
		ID: "GCP-ENC-006", Title: "Secret without CMEK", Severity: scanner.High,
		CWE: 311, ASVS: []string{"6.4.1"}, CASA: []string{"6.7.1"}, Measures: []scanner.Measure{scanner.M1, scanner.M3},
		Why:         "OAuth refresh tokens in Secret Manager must be encrypted with a key you control.",
		Remediation: "Set customer_managed_encryption.kms_key_name on every replica.",
		Fix:         "replication {\n  auto {\n    customer_managed_encryption {\n      kms_key_name = google_kms_crypto_key.secrets.id\n    }\n  }\n}",
	}
	checkKMS001 = &scanner.Check{
		ID: "GCP-KMS-001", Title: "Key not backed by an HSM", Severity: scanner.High,
		CWE: 320, ASVS: []string{"6.4.2"}, CASA: []string{"4.1.3"}, Measures: []scanner.Measure{scanner.M4},
		Why:         "A software key can be exported from memory; an HSM keeps key material in hardware.",
		Remediation: "Set version_template.protection_level = \"HSM\".",
		Fix:         "resource \"google_kms_crypto_key\" \"app\" {\n  version_template {\n    algorithm        = \"GOOGLE_SYMMETRIC_ENCRYPTION\"\n    protection_level = \"HSM\"\n  }\n}",
	}
	checkKMS006 = &scanner.Check{
		ID: "GCP-KMS-006", Title: "Data store protected by a software key", Severity: scanner.Medium,
		CWE: 320, ASVS: []string{"6.4.2"}, Measures: []scanner.Measure{scanner.M4},
		Why:         "CMEK with a software key gives weaker protection than the policy asks for.",
		Remediation: "Point the data store at an HSM-backed key.",
		Fix:         "encryption {\n  default_kms_key_name = google_kms_crypto_key.hsm.id\n}",
	}
	checkLOG001 = &scanner.Check{
		ID: "GCP-LOG-001", Title: "Database logs statements with their data", Severity: scanner.Medium,
		CWE: 532, ASVS: []string{"7.1.1"}, CASA: []string{"6.5.1"}, Measures: []scanner.Measure{scanner.M7},
		Why:         "Statement logs copy user data into Cloud Logging.",
		Remediation: "Set log_statement to none or ddl.",
		Fix:         "database_flags {\n  name  = \"log_statement\"\n  value = \"ddl\"\n}",
	}
)

func loc(file string, line, col, endLine, endCol int, addr string) scanner.Location {
	return scanner.Location{File: file, StartLine: line, StartCol: col, EndLine: endLine, EndCol: endCol, Address: addr, Kind: "resource"}
}

func finding(c *scanner.Check, st scanner.Status, addr, typ, attr, msg string, l scanner.Location) scanner.Finding {
	return scanner.Finding{
		CheckID: c.ID, Status: st, Severity: c.Severity, Message: addr + ": " + msg,
		Resource: addr, ResourceType: typ, Source: scanner.SourceTerraform, Attribute: attr,
		Location: l, Fingerprint: scanner.Fingerprint(c.ID, addr, attr, ""),
	}
}

func moduleCall(key string) scanner.Location {
	return scanner.Location{File: "main.tf", StartLine: 1, StartCol: 1, EndLine: 1, EndCol: 17,
		Address: `module.storage["` + key + `"]`, Kind: "module", Message: `module call module.storage["` + key + `"]`}
}

// testResult is the one fixed result every golden is written from: several
// checks and severities, every status, a module call site and a referenced
// resource as related locations, an ignored finding with its reason, an
// expired ignore, an unknown, an out-of-scope result, two diagnostics and a
// live resource.
func testResult() *scanner.Result {
	fs := []scanner.Finding{}
	add := func(f scanner.Finding) *scanner.Finding { fs = append(fs, f); return &fs[len(fs)-1] }

	live := add(finding(checkENC001, scanner.StatusFail, liveBucket, "google_storage_bucket", "encryption.default_kms_key_name",
		"no customer-managed key (encryption.default_kms_key_name is not set)", loc(livePath, 0, 0, 0, 0, liveBucket)))
	live.Source = scanner.SourceLive
	livePass := add(finding(checkACC002, scanner.StatusPass, liveBucket, "google_storage_bucket", "", "passes", loc(livePath, 0, 0, 0, 0, liveBucket)))
	livePass.Source = scanner.SourceLive

	kms1 := add(finding(checkKMS001, scanner.StatusFail, "google_kms_crypto_key.app", "google_kms_crypto_key", "version_template.protection_level",
		"protection level is SOFTWARE (want HSM)", loc("main.tf", 5, 1, 5, 40, "google_kms_crypto_key.app")))
	kms1.Provenance = &scanner.Provenance{Value: "SOFTWARE", Origins: []scanner.Origin{{Kind: scanner.OriginTFVars, Name: "var.protection", File: "envs/prod/terraform.tfvars", Line: 3}}}
	kms6 := add(finding(checkKMS006, scanner.StatusFail, "google_storage_bucket.logs", "google_storage_bucket", "encryption.default_kms_key_name",
		"CMEK key google_kms_crypto_key.app is a software key", loc("main.tf", 12, 5, 12, 60, "google_storage_bucket.logs")))
	kms6.Related = []scanner.Location{{File: "main.tf", StartLine: 5, StartCol: 1, EndLine: 5, EndCol: 40,
		Address: "google_kms_crypto_key.app", Kind: "resource", Message: "related resource google_kms_crypto_key.app"}}
	kms6.Provenance = &scanner.Provenance{Value: "(known after apply)",
		Origins: []scanner.Origin{{Kind: scanner.OriginComputed, Name: "google_kms_crypto_key.app", File: "main.tf", Line: 5}}}
	unk := add(finding(checkLOG001, scanner.StatusUnknown, "google_sql_database_instance.db", "google_sql_database_instance", "settings.database_flags",
		"database_flags is known only after apply", loc("main.tf", 20, 3, 24, 4, "google_sql_database_instance.db")))
	unk.Reason = "database_flags is known only after apply"
	exp := add(finding(checkACC001, scanner.StatusFail, "google_storage_bucket_iam_member.public", "google_storage_bucket_iam_member", "member",
		"grants roles/storage.objectViewer to allUsers", loc("main.tf", 32, 3, 32, 24, "google_storage_bucket_iam_member.public")))
	exp.Suppression = &scanner.Suppression{Kind: "inSource", Justification: "launch demo", Expires: "2025-01-31", Expired: true,
		Location: scanner.Location{File: "main.tf", StartLine: 29}}
	oos := add(finding(checkENC001, scanner.StatusOutOfScope, "google_storage_bucket.site", "google_storage_bucket", "", "out of scope",
		loc("main.tf", 36, 1, 36, 39, "google_storage_bucket.site")))
	oos.Reason = "resource carries no scope label and is not referenced by one that does"
	add(finding(checkENC006, scanner.StatusPass, "google_secret_manager_secret.token", "google_secret_manager_secret", "", "passes",
		loc("main.tf", 40, 1, 40, 48, "google_secret_manager_secret.token")))

	ign := add(finding(checkENC001, scanner.StatusIgnored, assetsBkt, "google_storage_bucket", "encryption.default_kms_key_name",
		"no customer-managed key (encryption.default_kms_key_name is not set)", loc(modFile, 3, 1, 3, 38, assetsBkt)))
	ign.Related = []scanner.Location{moduleCall("assets")}
	ign.Reason = "static assets, no user data"
	ign.Suppression = &scanner.Suppression{Kind: "inSource", Justification: "static assets, no user data", Expires: "2099-12-31",
		Location: scanner.Location{File: modFile, StartLine: 2}}
	mail := add(finding(checkENC001, scanner.StatusFail, mailBucket, "google_storage_bucket", "encryption.default_kms_key_name",
		"no customer-managed key (encryption.default_kms_key_name is not set)", loc(modFile, 3, 1, 3, 38, mailBucket)))
	mail.Related = []scanner.Location{moduleCall("mail|archive")}
	acc2 := add(finding(checkACC002, scanner.StatusFail, mailBucket, "google_storage_bucket", "public_access_prevention",
		`public_access_prevention is "inherited" (want "enforced")`, loc(modFile, 3, 1, 3, 38, mailBucket)))
	acc2.Related = []scanner.Location{moduleCall("mail|archive")}
	// Written on the finding's own line: no provenance line in the text.
	acc2.Provenance = &scanner.Provenance{Value: "inherited", Origins: []scanner.Origin{{Kind: scanner.OriginLiteral, File: modFile, Line: 3}}}
	scanner.SortFindings(fs)

	diags := []scanner.Diagnostic{
		{Severity: scanner.DiagWarning, Summary: "Module not installed", Detail: "run terraform init to fetch it",
			Subject: "module.remote", Skipped: true},
		{Severity: scanner.DiagError, Summary: "Invalid expression", Detail: "Expected the start of an expression.",
			File: "broken.tf", Line: 3, Column: 5},
	}
	scanner.SortDiagnostics(diags)
	return scanner.NewResult(
		scanner.Tool{Name: "casascan", Version: "1.2.3"},
		[]*scanner.Check{checkACC001, checkACC002, checkENC001, checkENC006, checkKMS001, checkKMS006, checkLOG001},
		fs, diags)
}

// goldenCases are the outputs kept in testdata: one per format, plus the
// variants that change what a writer prints.
var goldenCases = []struct {
	name, format string
	opts         Options
}{
	{"text", "text", Options{}},
	{"text_color", "text", Options{Color: true}},
	{"json", "json", Options{}},
	{"sarif", "sarif", Options{Root: "."}},
	{"sarif_unknown", "sarif", Options{Root: "infra/prod", IncludeUnknown: true}},
	{"csv", "csv", Options{}},
	{"markdown", "markdown", Options{}},
	{"junit", "junit", Options{}},
	{"html", "html", Options{Date: "2026-03-01", Scope: Scope{Inputs: []string{"infra", "projects/acme-mail"}, Config: "infra/.casascan.yaml", Severity: []string{"HIGH", "CRITICAL"}, ScopeLabels: []string{"data=gmail"}}}},
	{"markdown_links", "markdown", Options{LinkBase: "https://github.com/acme/infra/blob/0123456789abcdef0123456789abcdef01234567/"}},
}

func render(t *testing.T, format string, res *scanner.Result, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, res, opts); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			got := render(t, tc.format, testResult(), tc.opts)
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("reading golden (run go test -update to create it): %v", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s output differs from %s (-want +got):\n%s", tc.name, path, diff)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			a := render(t, tc.format, testResult(), tc.opts)
			b := render(t, tc.format, testResult(), tc.opts)
			if !bytes.Equal(a, b) {
				t.Errorf("two writes of the same result differ:\n%s", cmp.Diff(string(a), string(b)))
			}
		})
	}
}

func TestFormats(t *testing.T) {
	want := []string{"csv", "html", "json", "junit", "markdown", "sarif", "text"}
	if diff := cmp.Diff(want, Formats()); diff != "" {
		t.Errorf("Formats() (-want +got):\n%s", diff)
	}
	err := Write(&bytes.Buffer{}, "xml", testResult(), Options{})
	if err == nil || !strings.Contains(err.Error(), `unknown format "xml"`) || !strings.Contains(err.Error(), "sarif") {
		t.Errorf("Write(xml) error = %v, want one naming the format and the choices", err)
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) <= w.n {
		w.n -= len(p)
		return len(p), nil
	}
	k := w.n
	w.n = 0
	return k, errDiskFull
}

func TestFailingWriter(t *testing.T) {
	for _, format := range Formats() {
		full := len(render(t, format, testResult(), Options{}))
		for _, n := range []int{0, 1, 100, full / 2, full - 1} {
			t.Run(format+"/"+itoa(n), func(t *testing.T) {
				err := Write(&failAfter{n: n}, format, testResult(), Options{})
				if !errors.Is(err, errDiskFull) {
					t.Errorf("Write to a writer failing after %d of %d bytes = %v, want the write error", n, full, err)
				}
			})
		}
	}
}

// TestOddResults feeds every writer results a loader could produce at the
// edges: empty, nil, and a finding whose check is not among res.Checks.
func TestOddResults(t *testing.T) {
	orphan := testResult()
	orphan.Checks = orphan.Checks[:1]
	cases := map[string]*scanner.Result{"empty": {}, "nil": nil, "orphan finding": orphan}
	for name, res := range cases {
		for _, format := range Formats() {
			t.Run(name+"/"+format, func(t *testing.T) {
				var buf bytes.Buffer
				if err := Write(&buf, format, res, Options{IncludeUnknown: true}); err != nil {
					t.Fatalf("Write: %v", err)
				}
				if buf.Len() == 0 {
					t.Error("wrote nothing")
				}
			})
		}
	}
}

func TestClean(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a\x1b[2Jb", `a\x1b[2Jb`},
		{"line\nbreak\ttab\r", `line\nbreak\ttab\r`},
		{"x\n::error title=t::owned", `x\n::error title=t::owned`},
		{"::error::owned", `\x3a:error::owned`},
		{"a ##[error]b", `a #\x23[error]b`},
		{"sep\u2028nul\x00", `sep\u2028nul\x00`},
		{"bidi\u202eevil", `bidi\u202eevil`},
		{"ünïcode ok", "ünïcode ok"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := clean(tc.in); got != tc.want {
				t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestOneLine(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"Short. Second sentence.", 80, "Short."},
		{"  spread\n  over   lines  ", 80, "spread over lines"},
		{"one two three four five six", 15, "one two three..."},
		{"", 10, ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := oneLine(tc.in, tc.max); got != tc.want {
				t.Errorf("oneLine(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}
