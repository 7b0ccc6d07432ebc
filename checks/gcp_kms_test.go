package checks

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks/checktest"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

// cryptoKey is a google_kms_crypto_key "k" with body, beside the variables
// the cases read.
func cryptoKey(body string) string {
	return `
variable "period" { type = string }
variable "purpose" { type = string }
resource "google_kms_crypto_key" "k" {
  ` + body + `
}`
}

func TestKMS002Rotation(t *testing.T) {
	const k = "google_kms_crypto_key.k"
	runTF(t, &gcpKMS002, []tfCase{
		{"missing", cryptoKey(""), []string{k + " rotation_period FAIL"}},
		{"empty", cryptoKey(`rotation_period = ""`), []string{k + " rotation_period FAIL"}},
		{"90 days", cryptoKey(`rotation_period = "7776000s"`), nil},
		{"fractional under", cryptoKey(`rotation_period = "7775999.5s"`), nil},
		{"a second over", cryptoKey(`rotation_period = "7776001s"`), []string{k + " rotation_period FAIL"}},
		{"not a duration", cryptoKey(`rotation_period = "90d"`), []string{k + " rotation_period UNKNOWN"}},
		{"unknown", cryptoKey(`rotation_period = var.period`), []string{k + " rotation_period UNKNOWN"}},
		{"explicit ENCRYPT_DECRYPT", cryptoKey(`purpose = "ENCRYPT_DECRYPT"`), []string{k + " rotation_period FAIL"}},
		{"ASYMMETRIC_SIGN", cryptoKey(`purpose = "ASYMMETRIC_SIGN"`), nil},
		{"RAW_ENCRYPT_DECRYPT", cryptoKey(`purpose = "RAW_ENCRYPT_DECRYPT"`), nil},
		{"unknown purpose", cryptoKey(`purpose = var.purpose`), []string{k + " purpose UNKNOWN"}},
	})
}

// liveKey is an asset export holding one software key.
const liveKey = `{"name":"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k","assetType":"cloudkms.googleapis.com/CryptoKey","resource":{"version":"v1","discoveryName":"CryptoKey","parent":"//cloudresourcemanager.googleapis.com/projects/123","data":{"name":"projects/p/locations/us/keyRings/r/cryptoKeys/k","purpose":"ENCRYPT_DECRYPT","rotationPeriod":"2592000s","versionTemplate":{"protectionLevel":"SOFTWARE","algorithm":"GOOGLE_SYMMETRIC_ENCRYPTION"}}},"ancestors":["projects/123"],"updateTime":"2026-05-04T10:00:00Z"}
`

// plannedKey is a plan of one key, read without its Terraform source.
const plannedKey = `{
 "format_version": "1.2",
 "terraform_version": "1.9.5",
 "planned_values": {"root_module": {"resources": [
  {"address": "google_kms_crypto_key.planned", "mode": "managed", "type": "google_kms_crypto_key", "name": "planned",
   "provider_name": "registry.terraform.io/hashicorp/google", "schema_version": 1,
   "values": {"name": "planned", "rotation_period": "7776000s"}}
 ]}}
}`

// TestKMS004Sources runs through scanner.Run, which applies the check's
// Sources: a live key gets no result at all, a plan key without its source
// is unknown, configuration is judged.
func TestKMS004Sources(t *testing.T) {
	live := checktest.Export(t, liveKey)
	if len(live.OfType("google_kms_crypto_key")) != 1 {
		t.Fatalf("the export holds no key: %v", live.Resources)
	}
	planned := checktest.Plan(t, plannedKey)
	tf := checktest.HCL(t, `
variable "keep" { type = bool }
resource "google_kms_crypto_key" "kept" {
  lifecycle {
    prevent_destroy = true
  }
}
resource "google_kms_crypto_key" "bare" {}
resource "google_kms_crypto_key" "unknown" {
  lifecycle {
    prevent_destroy = var.keep
  }
}`)
	var got []string
	for _, f := range checktest.Run(t, &gcpKMS004, []*scanner.Graph{live, planned, tf}).List() {
		got = append(got, string(f.Status)+" "+f.Resource)
	}
	sort.Strings(got)
	want := []string{
		"FAIL google_kms_crypto_key.bare",
		"PASS google_kms_crypto_key.kept",
		"UNKNOWN google_kms_crypto_key.planned",
		"UNKNOWN google_kms_crypto_key.unknown",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// iamMember is a google_project_iam_member.
func iamMember(name, project, role, member string) string {
	return `resource "google_project_iam_member" "` + name + `" {
  project = ` + project + `
  role    = "` + role + `"
  member  = "` + member + `"
}
`
}

func TestKMS005Separation(t *testing.T) {
	const admin, decrypter = "roles/cloudkms.admin", "roles/cloudkms.cryptoKeyDecrypter"
	const vars = `
variable "project_id" { type = string }
variable "admins" { type = set(string) }
variable "policy" { type = string }
variable "role" { type = string }
`
	unknownRole := func(name, member string) string {
		return `resource "google_project_iam_member" "` + name + `" {
  project = "p"
  role    = var.role
  member  = "` + member + `"
}
`
	}
	for _, tc := range []struct {
		name string
		src  string
		want []string
	}{
		{"both roles, one project",
			iamMember("a", `"p"`, admin, "user:ops@example.com") +
				iamMember("b", `"p"`, decrypter, "user:OPS@example.com") +
				iamMember("c", `"p"`, "roles/viewer", "user:ops@example.com"),
			[]string{
				"google_project_iam_member.a member FAIL -> google_project_iam_member.b",
				"google_project_iam_member.b member FAIL -> google_project_iam_member.a",
			}},
		{"other projects",
			iamMember("a", `"p"`, admin, "user:ops@example.com") + iamMember("b", `"q"`, decrypter, "user:ops@example.com"),
			nil},
		{"one binding holds both in a policy", `resource "google_project_iam_policy" "p" {
  project     = "p"
  policy_data = jsonencode({ bindings = [
    { role = "roles/cloudkms.admin", members = ["user:a@example.com"] },
    { role = "roles/cloudkms.cryptoKeyEncrypter", members = ["user:a@example.com"] },
  ] })
}`, []string{"google_project_iam_policy.p policy_data FAIL"}},
		{"policy dynamic binding with unknown for_each holds the admin role", `
data "google_iam_policy" "p" {
  binding {
    role    = "roles/cloudkms.cryptoKeyEncrypter"
    members = ["user:a@example.com"]
  }
  dynamic "binding" {
    for_each = var.admins
    content {
      role    = "roles/cloudkms.admin"
      members = ["user:a@example.com"]
    }
  }
}
resource "google_project_iam_policy" "p" {
  project     = "p"
  policy_data = data.google_iam_policy.p.policy_data
}`, []string{"google_project_iam_policy.p policy_data UNKNOWN"}},
		{"projects not known", `
resource "google_project" "app" {
  name       = "app"
  project_id = var.project_id
}
` + iamMember("a", "google_project.app.project_id", admin, "user:a@example.com") +
			iamMember("b", "google_project.app.project_id", decrypter, "user:a@example.com"),
			[]string{
				"google_project_iam_member.a member UNKNOWN -> google_project_iam_member.b",
				"google_project_iam_member.b member UNKNOWN -> google_project_iam_member.a",
			}},
		{"members not known", `resource "google_project_iam_binding" "admins" {
  project = "p"
  role    = "` + admin + `"
  members = var.admins
}
` + iamMember("b", `"p"`, decrypter, "user:a@example.com"),
			[]string{"google_project_iam_binding.admins members UNKNOWN"}},
		{"policy not known", `resource "google_project_iam_policy" "p" {
  project     = "p"
  policy_data = var.policy
}`, []string{"google_project_iam_policy.p policy_data UNKNOWN"}},
		{"policy not JSON", `resource "google_project_iam_policy" "p" {
  project     = "p"
  policy_data = "{not json"
}
` + iamMember("a", `"p"`, admin, "user:a@example.com"),
			[]string{"google_project_iam_policy.p policy_data UNKNOWN"}},
		{"role not known, the member holds the admin role",
			iamMember("a", `"p"`, admin, "serviceAccount:Ops@example.com") + unknownRole("b", "serviceAccount:ops@example.com"),
			[]string{"google_project_iam_member.b role UNKNOWN -> google_project_iam_member.a"}},
		{"role not known, the member holds a key-use role",
			iamMember("a", `"p"`, decrypter, "user:ops@example.com") + unknownRole("b", "user:ops@example.com"),
			[]string{"google_project_iam_member.b role UNKNOWN -> google_project_iam_member.a"}},
		{"role not known, the member holds no KMS role",
			iamMember("a", `"p"`, admin, "user:ops@example.com") + unknownRole("b", "user:other@example.com"),
			nil},
		{"members not known, no other role", `resource "google_project_iam_binding" "admins" {
  project = "p"
  role    = "` + admin + `"
  members = var.admins
}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := checktest.HCL(t, vars+tc.src)
			// A whole-graph check reports no PASS: a case expecting nothing
			// must still hold something for it to judge.
			if !holdsManaged([]*scanner.Graph{g}, wholeGraphTypes[gcpKMS005.ID]) {
				t.Fatal("the case holds no project IAM resource for GCP-KMS-005 to judge")
			}
			if diff := cmp.Diff(tc.want, checktest.Judge(t, &gcpKMS005, g)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestKMS006FollowsKeys(t *testing.T) {
	g := checktest.HCL(t, `
module "kms" {
  source = "./modules/kms"
}
module "store" {
  source = "./modules/store"
  key    = module.kms.soft_id
}
variable "level" { type = string }
resource "google_kms_crypto_key" "hsm" {
  version_template {
    protection_level = "HSM"
  }
}
resource "google_kms_crypto_key" "later" {
  version_template {
    protection_level = var.level
  }
}
data "google_kms_crypto_key" "shared" {
  name     = "shared"
  key_ring = "projects/p/locations/us/keyRings/r"
}
resource "google_sql_database_instance" "db" { encryption_key_name = google_kms_crypto_key.hsm.id }
resource "google_pubsub_topic" "t" { kms_key_name = google_kms_crypto_key.later.id }
resource "google_redis_instance" "r" { customer_managed_key = data.google_kms_crypto_key.shared.id }
resource "google_bigtable_instance" "bt" {
  cluster {
    kms_key_name = google_kms_crypto_key.hsm.id
  }
  cluster {
    kms_key_name = module.kms.soft_id
  }
}
-- modules/kms/main.tf --
resource "google_kms_crypto_key" "soft" { name = "soft" }
output "soft_id" { value = google_kms_crypto_key.soft.id }
-- modules/store/main.tf --
variable "key" { type = string }
resource "google_storage_bucket" "b" {
  encryption {
    default_kms_key_name = var.key
  }
}
`)
	want := []string{
		"google_bigtable_instance.bt cluster.1.kms_key_name FAIL -> module.kms.google_kms_crypto_key.soft",
		"google_pubsub_topic.t kms_key_name UNKNOWN -> google_kms_crypto_key.later",
		// A data source's key: its protection level is not in what was
		// scanned.
		"google_redis_instance.r customer_managed_key UNKNOWN -> data.google_kms_crypto_key.shared",
		"module.store.google_storage_bucket.b encryption.default_kms_key_name FAIL -> module.kms.google_kms_crypto_key.soft",
	}
	if diff := cmp.Diff(want, checktest.Judge(t, &gcpKMS006, g)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestKMS006NodePoolOnce: a node pool listed on its cluster and as a
// separate google_container_node_pool, with a software key, is reported
// once, on the separate resource; so is node_config, which beside node
// pools is no pool of its own.
func TestKMS006NodePoolOnce(t *testing.T) {
	g := checktest.HCL(t, `
resource "google_kms_crypto_key" "soft" { name = "soft" }
resource "google_container_cluster" "app" {
  name     = "app"
  location = "us-central1"
  node_config {
    boot_disk_kms_key = google_kms_crypto_key.soft.id
  }
  node_pool {
    name = "workers"
    node_config {
      boot_disk_kms_key = google_kms_crypto_key.soft.id
    }
  }
}
resource "google_container_node_pool" "workers" {
  name    = "workers"
  cluster = google_container_cluster.app.id
  node_config {
    boot_disk_kms_key = google_kms_crypto_key.soft.id
  }
}
`)
	want := []string{
		"google_container_node_pool.workers node_config.boot_disk_kms_key FAIL -> google_kms_crypto_key.soft",
	}
	if diff := cmp.Diff(want, checktest.Judge(t, &gcpKMS006, g)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestKMS006FlexTemplateParameter: a flex template job's key given as the
// template parameter dataflow_kms_key is followed like kms_key_name.
func TestKMS006FlexTemplateParameter(t *testing.T) {
	g := checktest.HCL(t, `
resource "google_kms_crypto_key" "soft" { name = "soft" }
resource "google_dataflow_flex_template_job" "j" {
  name = "j"
  parameters = {
    dataflow_kms_key = google_kms_crypto_key.soft.id
    output           = "gs://acme/out"
  }
}
`)
	want := []string{"google_dataflow_flex_template_job.j parameters.dataflow_kms_key FAIL -> google_kms_crypto_key.soft"}
	if diff := cmp.Diff(want, checktest.Judge(t, &gcpKMS006, g)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestKMS006OneOfAllSoftware: a bucket whose key is one of k[*], not known
// which before apply, every one SOFTWARE, fails, and the message and the
// provenance name the candidates the same compact way, the block once.
func TestKMS006OneOfAllSoftware(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(fixtureRoot, "GCP-KMS-006/fail/zipmap_index_unknown_key_all_software/main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	res := checktest.Run(t, &gcpKMS006, []*scanner.Graph{checktest.HCL(t, string(src))})
	var got []scanner.Finding
	for _, f := range res.List() {
		if f.CheckID == gcpKMS006.ID && f.Status != scanner.StatusPass {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("findings = %v, want one", got)
	}
	f := got[0]
	const msg = "google_storage_bucket.b: encryption.default_kms_key_name is one of google_kms_crypto_key.k[*], all SOFTWARE: " +
		"the data is not protected by an HSM-backed key"
	if f.Status != scanner.StatusFail || f.Message != msg {
		t.Errorf("finding = %s %q, want FAIL %q", f.Status, f.Message, msg)
	}
	want := &scanner.Provenance{Value: "(known after apply)", Origins: []scanner.Origin{
		{Kind: scanner.OriginOneOf, Name: "google_kms_crypto_key.k[*]", File: "main.tf", Line: 7},
		{Kind: scanner.OriginComputed, Name: "random_id.s", File: "main.tf", Line: 3},
	}}
	if diff := cmp.Diff(want, f.Provenance); diff != "" {
		t.Errorf("provenance (-want +got):\n%s", diff)
	}
	if s := scanner.ProvenanceText(f.Provenance.Origins); !strings.HasPrefix(s, "one of google_kms_crypto_key.k[*] (main.tf:7); ") {
		t.Errorf("provenance text = %q", s)
	}
}

// TestKMS003LiveBinding judges the live shape, read from an asset export:
// one *_iam_member per grant, named by the key's full resource name.
func TestKMS003LiveBinding(t *testing.T) {
	g := checktest.Export(t, `{"name":"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k","asset_type":"cloudkms.googleapis.com/CryptoKey","iam_policy":{"version":1,"bindings":[{"role":"roles/cloudkms.cryptoKeyDecrypter","members":["allUsers"]}]},"ancestors":["projects/123"]}
`)
	res := checktest.Run(t, &gcpKMS003, []*scanner.Graph{g})
	fails := res.WithStatus(scanner.StatusFail)
	if len(fails) != 1 || fails[0].Resource != "//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k" || fails[0].Attribute != "member" {
		t.Fatalf("got %v, want one FAIL on the key's member", checktest.Lines(res, gcpKMS003.ID, true))
	}
	if msg := fails[0].Message; !strings.Contains(msg, "allUsers") || !strings.Contains(msg, "roles/cloudkms.cryptoKeyDecrypter") {
		t.Errorf("message %q should name the member and the role", msg)
	}
}

// TestKMS003PolicyNotJSON: a policy_data that is not a JSON policy document
// is UNKNOWN and says so, naming where the document breaks but never its
// text; a policy not known before apply still says that.
func TestKMS003PolicyNotJSON(t *testing.T) {
	for _, tc := range []struct {
		name, policy, want string
	}{
		{"truncated", `"{\"bindings\": [{\"members\": [\"allUsers\"]}"`, "policy_data is not valid JSON (syntax error at byte"},
		{"not JSON at all", `"s3cr3t-not-json"`, "policy_data is not valid JSON (syntax error at byte 1)"},
		{"wrong shape", `"{\"bindings\": \"allUsers\"}"`, "policy_data is JSON but not an IAM policy document (bindings is a JSON string)"},
		{"not known", `var.policy`, "members are not known before apply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := checktest.HCL(t, `
variable "policy" { type = string }
resource "google_kms_crypto_key_iam_policy" "p" {
  crypto_key_id = "projects/p/locations/us/keyRings/r/cryptoKeys/k"
  policy_data   = `+tc.policy+`
}`)
			res := checktest.Run(t, &gcpKMS003, []*scanner.Graph{g}, "s3cr3t")
			unknown := res.WithStatus(scanner.StatusUnknown)
			if len(unknown) != 1 || unknown[0].Attribute != "policy_data" {
				t.Fatalf("got %v, want one UNKNOWN on policy_data", checktest.Lines(res, gcpKMS003.ID, true))
			}
			if msg := unknown[0].Message; !strings.Contains(msg, tc.want) {
				t.Errorf("message %q should say %q", msg, tc.want)
			}
		})
	}
}

func TestKMS007Algorithms(t *testing.T) {
	for _, tc := range []struct {
		alg  string // HCL expression
		want string
	}{
		{`null`, ""},
		{`"GOOGLE_SYMMETRIC_ENCRYPTION"`, ""},
		{`"RSA_SIGN_PKCS1_2048_SHA256"`, ""},
		{`"RSA_SIGN_RAW_PKCS1_4096"`, "FAIL"},
		{`"RSA_DECRYPT_OAEP_4096_SHA1"`, "FAIL"},
		{`"HMAC_SHA1"`, "FAIL"},
		{`"HMAC_SHA256"`, ""},
		{`var.alg`, "UNKNOWN"},
	} {
		t.Run(tc.alg, func(t *testing.T) {
			g := checktest.HCL(t, `
variable "alg" { type = string }
resource "google_kms_crypto_key" "k" {
  version_template {
    algorithm = `+tc.alg+`
  }
}`)
			got := checktest.Judge(t, &gcpKMS007, g)
			status := ""
			if len(got) > 0 {
				status = got[0][strings.LastIndex(got[0], " ")+1:]
			}
			if status != tc.want || len(got) > 1 {
				t.Errorf("got %v, want status %q", got, tc.want)
			}
		})
	}
}

// TestKMS005Wording: a message shows the member as written (IAM's
// serviceAccount: prefix, the email's case), though grants are matched in
// any case, and names a role not known before apply by its variable.
func TestKMS005Wording(t *testing.T) {
	const member = "serviceAccount:Mail-Worker@acme.iam.gserviceaccount.com"
	g := checktest.HCL(t, `variable "role" { type = string }
`+iamMember("a", `"p"`, "roles/cloudkms.admin", member)+
		iamMember("b", `"p"`, "roles/cloudkms.cryptoKeyDecrypter", strings.ToLower(member))+
		iamMember("c", `"q"`, "roles/cloudkms.admin", member)+`resource "google_project_iam_member" "d" {
  project = "q"
  role    = var.role
  member  = "`+member+`"
}
`)
	res := checktest.Run(t, &gcpKMS005, []*scanner.Graph{g})
	msgs := map[string]string{}
	for _, f := range res.List() {
		msgs[f.Resource] = f.Message
	}
	if m := msgs["google_project_iam_member.a"]; !strings.Contains(m, member) {
		t.Errorf("message does not keep the member as written (%s): %q", member, m)
	}
	m := msgs["google_project_iam_member.d"]
	for _, want := range []string{"var.role", member, "roles/cloudkms.admin", "project q"} {
		if !strings.Contains(m, want) {
			t.Errorf("unknown-role message lacks %q: %q", want, m)
		}
	}
}
