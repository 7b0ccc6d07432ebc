package custom

import (
	"fmt"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks/checktest"
	"github.com/casascan/casascan/scanner"
)

// compile builds a check from fields, failing the test on an error.
func compile(t *testing.T, types, failsWhen string) *scanner.Check {
	t.Helper()
	src := fmt.Sprintf("id: ACME-T-001\ntitle: Test\nseverity: HIGH\ntypes: [%s]\nmessage: is wrong\nfails_when: %q\n", types, failsWhen)
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// verdicts runs c on hcl and returns address → status (and reason).
func verdicts(t *testing.T, c *scanner.Check, hcl string, opts ...checktest.Option) map[string]string {
	t.Helper()
	g := checktest.HCL(t, hcl, opts...)
	res := scanner.Run([]*scanner.Check{c}, []*scanner.Graph{g}, scanner.Options{})
	out := map[string]string{}
	for _, f := range res.List() {
		out[f.Resource] = string(f.Status)
		if f.Status == scanner.StatusUnknown {
			out[f.Resource] += " " + f.Reason
		}
	}
	return out
}

func want(t *testing.T, got map[string]string, addr, status string, contains ...string) {
	t.Helper()
	v, ok := got[addr]
	if !ok {
		t.Fatalf("%s: no finding; got %v", addr, got)
	}
	if !strings.HasPrefix(v, status) {
		t.Errorf("%s: got %q, want %s", addr, v, status)
	}
	for _, c := range contains {
		if !strings.Contains(v, c) {
			t.Errorf("%s: %q does not say %q", addr, v, c)
		}
	}
}

const buckets = `
variable "k" { type = string }
resource "google_storage_bucket" "cmek" {
  name = "a"
  location = "EU"
  encryption { default_kms_key_name = "projects/acme-kms/locations/eu/keyRings/r/cryptoKeys/k" }
}
resource "google_storage_bucket" "other" {
  name = "b"
  location = "EU"
  encryption { default_kms_key_name = "projects/elsewhere/locations/eu/keyRings/r/cryptoKeys/k" }
}
resource "google_storage_bucket" "none" {
  name = "c"
  location = "EU"
}
resource "google_storage_bucket" "unknown" {
  name = "d"
  location = "EU"
  encryption { default_kms_key_name = var.k }
}
`

func TestThreeValued(t *testing.T) {
	c := compile(t, "google_storage_bucket",
		`!has(resource.encryption.default_kms_key_name) || !resource.encryption.default_kms_key_name.startsWith("projects/acme-kms/")`)
	got := verdicts(t, c, buckets)
	want(t, got, "google_storage_bucket.cmek", "PASS")
	want(t, got, "google_storage_bucket.other", "FAIL")
	want(t, got, "google_storage_bucket.none", "FAIL")
	want(t, got, "google_storage_bucket.unknown", "UNKNOWN", "resource.encryption.default_kms_key_name")
}

// TestOrderOverUnknowns: && and || over an unknown give the same verdict
// whichever side it is on.
func TestOrderOverUnknowns(t *testing.T) {
	hcl := `
variable "u" { type = string }
resource "google_storage_bucket" "b" {
  name = var.u
  location = "EU"
}
`
	for _, tc := range []struct{ a, b, status string }{
		{`resource.name == "x"`, `resource.location == "EU"`, "UNKNOWN"}, // unknown && true
		{`resource.name == "x"`, `resource.location == "US"`, "PASS"},    // unknown && false
	} {
		for _, op := range []string{"&&", "||"} {
			status := tc.status
			if op == "||" {
				// unknown || true is true; unknown || false unknown.
				status = map[string]string{"UNKNOWN": "FAIL", "PASS": "UNKNOWN"}[tc.status]
			}
			for _, expr := range []string{tc.a + " " + op + " " + tc.b, tc.b + " " + op + " " + tc.a} {
				got := verdicts(t, compile(t, "google_storage_bucket", expr), hcl)
				if v := got["google_storage_bucket.b"]; !strings.HasPrefix(v, status) {
					t.Errorf("%s: got %q, want %s", expr, v, status)
				}
			}
		}
	}
}

func TestMissingIsNullAndAddressTypeLabels(t *testing.T) {
	hcl := `
resource "google_sql_database_instance" "db" {
  name = "db"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    user_labels = { classification = "restricted" }
  }
}
resource "google_storage_bucket" "b" {
  name = "b"
  location = "EU"
}
`
	c := compile(t, "google_sql_database_instance, google_storage_bucket",
		`resource.nope != null || !has(resource.labels.classification) && resource.type.startsWith("google_") && resource.address != ""`)
	got := verdicts(t, c, hcl)
	want(t, got, "google_sql_database_instance.db", "PASS") // labels from settings.user_labels
	want(t, got, "google_storage_bucket.b", "FAIL")         // no labels at all
	got = verdicts(t, compile(t, "google_sql_database_instance", `"classification" in resource.labels && resource.labels["classification"] == "restricted"`), hcl)
	want(t, got, "google_sql_database_instance.db", "FAIL")
}

func TestDefaultsAndRefs(t *testing.T) {
	hcl := `
variable "pick" { type = bool }
variable "key" { type = string }
resource "google_kms_key_ring" "r" {
  name = "r"
  location = "europe-west1"
}
resource "google_kms_crypto_key" "soft" {
  name = "soft"
  key_ring = google_kms_key_ring.r.id
}
resource "google_kms_crypto_key" "hsm" {
  name = "hsm"
  key_ring = google_kms_key_ring.r.id
  version_template {
    algorithm = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = "HSM"
  }
}
resource "google_storage_bucket" "soft" {
  name = "a"
  location = "EU"
  encryption { default_kms_key_name = google_kms_crypto_key.soft.id }
}
resource "google_storage_bucket" "hsm" {
  name = "b"
  location = "EU"
  encryption { default_kms_key_name = google_kms_crypto_key.hsm.id }
}
resource "google_storage_bucket" "either" {
  name = "c"
  location = "EU"
  encryption { default_kms_key_name = var.pick ? google_kms_crypto_key.soft.id : google_kms_crypto_key.hsm.id }
}
resource "google_storage_bucket" "open" {
  name = "d"
  location = "EU"
  encryption { default_kms_key_name = var.key }
}
resource "google_storage_bucket" "literal" {
  name = "e"
  location = "EU"
  encryption { default_kms_key_name = "projects/p/locations/eu/keyRings/r/cryptoKeys/k" }
}
resource "google_storage_bucket" "coalesced" {
  name = "f"
  location = "EU"
  encryption { default_kms_key_name = coalesce(var.key, google_kms_crypto_key.soft.id) }
}
`
	c := compile(t, "google_storage_bucket",
		`has(resource.encryption) && refs(resource.encryption.default_kms_key_name).exists(k, k.version_template.protection_level == "SOFTWARE" && refs(k.key_ring).all(r, r.location == "europe-west1"))`)
	got := verdicts(t, c, hcl)
	want(t, got, "google_storage_bucket.soft", "FAIL") // the default SOFTWARE, read through refs
	want(t, got, "google_storage_bucket.hsm", "PASS")
	want(t, got, "google_storage_bucket.either", "UNKNOWN", "one of")
	want(t, got, "google_storage_bucket.open", "UNKNOWN", "refs(resource.encryption.default_kms_key_name)")
	want(t, got, "google_storage_bucket.literal", "PASS")
	// The unset variable may name any key: the SOFTWARE candidate alone
	// does not decide (an open candidate set).
	want(t, got, "google_storage_bucket.coalesced", "UNKNOWN", "refs(resource.encryption.default_kms_key_name)")
}

func TestDynamicBlockUnknown(t *testing.T) {
	hcl := `
variable "rules" { type = list(any) }
resource "google_storage_bucket" "b" {
  name = "b"
  location = "EU"
  dynamic "lifecycle_rule" {
    for_each = var.rules
    content {
      action { type = "Delete" }
      condition { age = 30 }
    }
  }
}
`
	got := verdicts(t, compile(t, "google_storage_bucket", `!has(resource.lifecycle_rule)`), hcl)
	want(t, got, "google_storage_bucket.b", "UNKNOWN", "resource.lifecycle_rule")
}

func TestCostLimit(t *testing.T) {
	// Statically too costly: refused when compiled.
	nested := "[0,1,2,3,4,5,6,7,8,9]"
	expr := "true"
	for i := 0; i < 7; i++ {
		expr = fmt.Sprintf("%s.all(x%d, %s)", nested, i, expr)
	}
	src := fmt.Sprintf("id: ACME-T-001\ntitle: T\nseverity: LOW\ntypes: [google_storage_bucket]\nmessage: m\nfails_when: %q\n", expr)
	s, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(s); err == nil || !strings.Contains(err.Error(), "over the limit") || !strings.HasPrefix(err.Error(), "t.yaml:6:") {
		t.Fatalf("want a cost error at t.yaml:6, got %v", err)
	}
	// Costly only on the resource's data: stopped at run time, not judged.
	c := compile(t, "google_storage_bucket",
		`resource.labels.all(k, resource.name.split("").all(a, resource.name.split("").all(b, resource.name.split("").all(c, a + b + c != "zzz"))))`)
	g := checktest.HCL(t, `
resource "google_storage_bucket" "b" {
  name = "`+strings.Repeat("a", 200)+`"
  location = "EU"
  labels = { x = "y" }
}
`)
	res := scanner.Run([]*scanner.Check{c}, []*scanner.Graph{g}, scanner.Options{})
	if fs := res.List(); len(fs) != 1 || fs[0].Status != scanner.StatusUnknown || !strings.Contains(fs[0].Reason, "cost limit") {
		t.Fatalf("want one UNKNOWN at the cost limit, got %+v", fs)
	}
	if len(res.NotJudged()) != 1 {
		t.Fatalf("want a not-judged diagnostic, got %v", res.Diagnostics)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"unknown field", "id: ACME-A-001\ntitle: T\nseverity: HIGH\ntypes: [google_storage_bucket]\nmessage: m\nfails_when: true\nsevrity: LOW\n", `t.yaml:7:1: unknown field "sevrity"`},
		{"GCP id", "id: GCP-ENC-001\ntitle: T\nseverity: HIGH\ntypes: [x]\nmessage: m\nfails_when: true\n", "t.yaml:1:5: id \"GCP-ENC-001\""},
		{"severity", "id: ACME-A-001\ntitle: T\nseverity: URGENT\ntypes: [x]\nmessage: m\nfails_when: true\n", "t.yaml:3:11: severity"},
		{"missing types", "id: ACME-A-001\ntitle: T\nseverity: HIGH\nmessage: m\nfails_when: true\n", "missing required field types"},
		{"yaml", "id: [\n", "t.yaml:"},
		{"syntax", "id: ACME-A-001\ntitle: T\nseverity: HIGH\ntypes: [x]\nmessage: m\nfails_when: |\n  resource.a &&\n    resource.b ==\n", "t.yaml:9:"},
		{"undeclared", "id: ACME-A-001\ntitle: T\nseverity: HIGH\ntypes: [x]\nmessage: m\nfails_when: resorce.a == 1\n", "t.yaml:6:13: fails_when: undeclared reference to 'resorce'"},
		{"not bool", "id: ACME-A-001\ntitle: T\nseverity: HIGH\ntypes: [x]\nmessage: m\nfails_when: '\"x\"'\n", "must be true or false"},
		{"control", "id: ACME-A-001\ntitle: \"T\\x1b[2J\"\nseverity: HIGH\ntypes: [x]\nmessage: m\nfails_when: true\n", "control character"},
		{"refs of a value", "id: ACME-A-001\ntitle: T\nseverity: HIGH\ntypes: [x]\nmessage: m\nfails_when: refs(resource).size() > 0\n", "refs() takes an attribute"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("t.yaml", []byte(tc.src))
			if err == nil {
				_, err = Compile(s)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestEverySource: the same expression reads a plan's and an export's
// resources by the same names, with address, type and labels.
func TestEverySource(t *testing.T) {
	c := compile(t, "google_storage_bucket",
		`resource.type == "google_storage_bucket" && resource.address != "" && size(resource.labels) == 0 && (!has(resource.encryption.default_kms_key_name) || resource.encryption.default_kms_key_name != "k")`)
	plan := checktest.Plan(t, `{
 "format_version": "1.2",
 "terraform_version": "1.9.5",
 "planned_values": {"root_module": {"resources": [
  {"address": "google_storage_bucket.a", "mode": "managed", "type": "google_storage_bucket", "name": "a",
   "provider_name": "registry.terraform.io/hashicorp/google", "schema_version": 0,
   "values": {"name": "a", "encryption": [{"default_kms_key_name": "k"}]}},
  {"address": "google_storage_bucket.b", "mode": "managed", "type": "google_storage_bucket", "name": "b",
   "provider_name": "registry.terraform.io/hashicorp/google", "schema_version": 0,
   "values": {"name": "b", "encryption": []}}
 ]}}
}`)
	res := scanner.Run([]*scanner.Check{c}, []*scanner.Graph{plan}, scanner.Options{})
	got := map[string]scanner.Status{}
	for _, f := range res.List() {
		got[f.Resource] = f.Status
	}
	if got["google_storage_bucket.a"] != scanner.StatusPass || got["google_storage_bucket.b"] != scanner.StatusFail {
		t.Errorf("plan: %v", got)
	}

	key := compile(t, "google_kms_crypto_key",
		`resource.address.startsWith("//cloudkms.googleapis.com/") && resource.type == "google_kms_crypto_key" && resource.version_template.protection_level == "SOFTWARE"`)
	live := checktest.Export(t, `{"name":"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k","assetType":"cloudkms.googleapis.com/CryptoKey","resource":{"version":"v1","discoveryName":"CryptoKey","parent":"//cloudresourcemanager.googleapis.com/projects/123","data":{"name":"projects/p/locations/us/keyRings/r/cryptoKeys/k","purpose":"ENCRYPT_DECRYPT","versionTemplate":{"protectionLevel":"SOFTWARE","algorithm":"GOOGLE_SYMMETRIC_ENCRYPTION"}}},"ancestors":["projects/123"]}
`)
	res = scanner.Run([]*scanner.Check{key}, []*scanner.Graph{live}, scanner.Options{})
	if fs := res.List(); len(fs) != 1 || fs[0].Status != scanner.StatusFail {
		t.Fatalf("export: %+v", fs)
	}
}

// TestProvenanceAndScope: a finding names where the judged value came
// from, and a check of M1 is narrowed by scope labels like a built-in.
func TestProvenanceAndScope(t *testing.T) {
	c := compile(t, "google_kms_key_ring", `resource.location != "europe-west1"`)
	c.Measures = []scanner.Measure{scanner.M1}
	g := checktest.HCL(t, `
variable "region" {
  type    = string
  default = "us-east1"
}
resource "google_kms_key_ring" "r" {
  name     = "r"
  location = var.region
  labels   = { data = "gmail" }
}
resource "google_kms_key_ring" "other" {
  name     = "other"
  location = "us-east1"
}
`)
	res := scanner.Run([]*scanner.Check{c}, []*scanner.Graph{g}, scanner.Options{ScopeLabels: map[string]string{"data": "gmail"}})
	got := map[string]scanner.Finding{}
	for _, f := range res.List() {
		got[f.Resource] = f
	}
	f := got["google_kms_key_ring.r"]
	if f.Status != scanner.StatusFail || f.Provenance == nil || !strings.Contains(scanner.ProvenanceText(f.Provenance.Origins), "var.region") {
		t.Errorf("r: %s, provenance %+v", f.Status, f.Provenance)
	}
	if s := got["google_kms_key_ring.other"].Status; s != scanner.StatusOutOfScope {
		t.Errorf("other: %s, want OUT_OF_SCOPE", s)
	}
}

// TestBlocks: a block written once is an object, several a list; blocks()
// reads both, and a missing block as [].
func TestBlocks(t *testing.T) {
	hcl := `
resource "google_compute_instance" "two" {
  name         = "two"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  attached_disk {
    source            = "d1"
    kms_key_self_link = "k"
  }
  attached_disk {
    source = "d2"
  }
}
resource "google_compute_instance" "one" {
  name         = "one"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
  attached_disk {
    source            = "d1"
    kms_key_self_link = "k"
  }
}
resource "google_compute_instance" "none" {
  name         = "none"
  machine_type = "e2-small"
  zone         = "europe-west1-b"
}
`
	got := verdicts(t, compile(t, "google_compute_instance", `blocks(resource.attached_disk).exists(d, !has(d.kms_key_self_link))`), hcl)
	want(t, got, "google_compute_instance.two", "FAIL")
	want(t, got, "google_compute_instance.one", "PASS")
	want(t, got, "google_compute_instance.none", "PASS")
	got = verdicts(t, compile(t, "google_compute_instance", `has(resource.attached_disk) && resource.attached_disk.source == "d1"`), hcl)
	want(t, got, "google_compute_instance.one", "FAIL")
	want(t, got, "google_compute_instance.none", "PASS")
	want(t, got, "google_compute_instance.two", "UNKNOWN", "not judged") // a list has no field: the expression fails
}
