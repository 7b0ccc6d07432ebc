package checks

import (
	"regexp"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
	"github.com/google/go-cmp/cmp"
)

func TestIsPublicMember(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"allUsers", true},
		{"allAuthenticatedUsers", true},
		{" allUsers ", true},
		{"allusers", false},
		{"user:alice@example.com", false},
		{"group:allUsers@example.com", false},
		{"", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := isPublicMember(tc.in); got != tc.want {
				t.Errorf("isPublicMember(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

// iamPolicies are the data sources the cases of TestPublicMembers may read.
const iamPolicies = `
data "google_iam_policy" "p" {
  binding {
    role    = "roles/cloudkms.viewer"
    members = ["user:a@example.com"]
  }
  binding {
    role    = "roles/cloudkms.cryptoKeyDecrypter"
    members = ["allAuthenticatedUsers", "allUsers"]
  }
}
data "google_iam_policy" "private" {
  binding {
    role    = "roles/viewer"
    members = ["user:a@example.com"]
  }
}
data "google_iam_policy" "unknown" {
  binding {
    role    = "roles/viewer"
    members = var.policy_members
  }
}
variable "policy_members" { type = list(string) }
variable "member" { type = string }
variable "members" { type = set(string) }
resource "google_kms_crypto_key" "k" { name = "k" }
`

func TestPublicMembers(t *testing.T) {
	for _, tc := range []struct {
		name        string
		addr, src   string
		wantMembers []string
		wantPath    string
		wantUnknown bool
	}{
		{"member public", "google_kms_crypto_key_iam_member.m", `resource "google_kms_crypto_key_iam_member" "m" {
  role   = "roles/viewer"
  member = "allUsers"
}`, []string{"allUsers"}, "member", false},
		{"member private", "google_kms_crypto_key_iam_member.m",
			`resource "google_kms_crypto_key_iam_member" "m" { member = "user:a@example.com" }`, nil, "member", false},
		{"member unknown", "google_kms_crypto_key_iam_member.m",
			`resource "google_kms_crypto_key_iam_member" "m" { member = var.member }`, nil, "member", true},
		{"binding list", "google_kms_key_ring_iam_binding.b",
			`resource "google_kms_key_ring_iam_binding" "b" { members = ["user:a@example.com", "allAuthenticatedUsers"] }`,
			[]string{"allAuthenticatedUsers"}, "members", false},
		{"binding set", "google_kms_key_ring_iam_binding.b",
			`resource "google_kms_key_ring_iam_binding" "b" { members = toset(["allUsers", "allUsers"]) }`,
			[]string{"allUsers"}, "members", false},
		{"binding dynamic with unknown element", "google_storage_bucket_iam_binding.b",
			`resource "google_storage_bucket_iam_binding" "b" { members = ["allUsers", var.member] }`,
			[]string{"allUsers"}, "members", true},
		{"binding wholly unknown", "google_storage_bucket_iam_binding.b",
			`resource "google_storage_bucket_iam_binding" "b" { members = var.members }`, nil, "members", true},
		{"policy json", "google_kms_crypto_key_iam_policy.p", `resource "google_kms_crypto_key_iam_policy" "p" {
  policy_data = jsonencode({ bindings = [
    { role = "roles/a", members = ["user:a@example.com", "allUsers"] },
    { role = "roles/b", members = ["allAuthenticatedUsers"] },
  ] })
}`, []string{"allAuthenticatedUsers", "allUsers"}, "policy_data", false},
		{"policy json private", "google_kms_crypto_key_iam_policy.p",
			`resource "google_kms_crypto_key_iam_policy" "p" { policy_data = "{\"bindings\":[{\"role\":\"roles/a\",\"members\":[\"user:a@example.com\"]}]}" }`,
			nil, "policy_data", false},
		{"policy json invalid", "google_kms_crypto_key_iam_policy.p",
			`resource "google_kms_crypto_key_iam_policy" "p" { policy_data = "{\"bindings\":" }`, nil, "policy_data", true},
		{"policy from data source", "google_kms_crypto_key_iam_policy.p",
			`resource "google_kms_crypto_key_iam_policy" "p" { policy_data = data.google_iam_policy.p.policy_data }`,
			[]string{"allAuthenticatedUsers", "allUsers"}, "policy_data", false},
		{"policy from private data source", "google_kms_crypto_key_iam_policy.p",
			`resource "google_kms_crypto_key_iam_policy" "p" { policy_data = data.google_iam_policy.private.policy_data }`,
			nil, "policy_data", false},
		{"policy from data source with unknown members", "google_kms_crypto_key_iam_policy.p",
			`resource "google_kms_crypto_key_iam_policy" "p" { policy_data = data.google_iam_policy.unknown.policy_data }`,
			nil, "policy_data", true},
		{"policy unknown without data source", "google_kms_crypto_key_iam_policy.p",
			`resource "google_kms_crypto_key_iam_policy" "p" { policy_data = google_kms_crypto_key.k.id }`,
			nil, "policy_data", true},
		{"not iam", "google_storage_bucket.b", `resource "google_storage_bucket" "b" { name = "allUsers" }`,
			nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, r := loadRes(t, iamPolicies+tc.src, tc.addr)
			v, members, path := publicMembers(g, r)
			if diff := cmp.Diff(tc.wantMembers, members); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			want := judge.Pass
			switch {
			case len(tc.wantMembers) > 0:
				want = judge.Fail
			case tc.wantUnknown:
				want = judge.Unknown
			}
			if path != tc.wantPath || v != want {
				t.Errorf("path, verdict = %q, %v; want %q, %v", path, v, tc.wantPath, want)
			}
		})
	}
}

func TestIAMBindingsRoles(t *testing.T) {
	g, r := loadRes(t, `resource "google_project_iam_policy" "p" {
  policy_data = jsonencode({ bindings = [
    { role = "roles/cloudkms.admin", members = ["user:b@example.com", "user:a@example.com"] },
  ] })
}`, "google_project_iam_policy.p")
	bs, _, unk := iamBindings(g, r)
	want := []iamBinding{{Role: "roles/cloudkms.admin", Members: []string{"user:a@example.com", "user:b@example.com"}}}
	if diff := cmp.Diff(want, bs); diff != "" || unk {
		t.Errorf("iamBindings unknown=%v (-want +got):\n%s", unk, diff)
	}
	g, m := loadRes(t, `
variable "role" { type = string }
resource "google_project_iam_member" "m" {
  role   = var.role
  member = "user:a@example.com"
}`, "google_project_iam_member.m")
	bs, _, _ = iamBindings(g, m)
	if len(bs) != 1 || bs[0].Role != "" || bs[0].Partial {
		t.Errorf("unknown role: got %+v, want Role \"\" and not Partial", bs)
	}
}

type slotView struct {
	Check, Path string
	Set         bool
	HasAttr     bool
}

func viewSlots(r *scanner.Resource) []slotView {
	var out []slotView
	for _, s := range cmekSlots(r) {
		out = append(out, slotView{s.Check, s.Path, s.Attr.Set(), s.Attr != nil})
	}
	return out
}

func TestCMEKSlots(t *testing.T) {
	for _, tc := range []struct {
		name, addr, src string
		want            []slotView
	}{
		{"bucket without encryption block", "google_storage_bucket.b", `resource "google_storage_bucket" "b" { name = "b" }`,
			[]slotView{{"GCP-ENC-001", "encryption.default_kms_key_name", false, false}}},
		{"bucket with key", "google_storage_bucket.b", `resource "google_storage_bucket" "b" {
  encryption {
    default_kms_key_name = "k"
  }
}`, []slotView{{"GCP-ENC-001", "encryption.default_kms_key_name", true, true}}},
		{"bucket with unknown encryption object", "google_storage_bucket.b", `
variable "keys" {}
resource "google_storage_bucket" "b" {
  dynamic "encryption" {
    for_each = var.keys
    content {
      default_kms_key_name = encryption.value
    }
  }
}`, []slotView{{"GCP-ENC-001", "encryption.default_kms_key_name", true, true}}},
		{"instance with every attached disk", "google_compute_instance.vm", `resource "google_compute_instance" "vm" {
  boot_disk {
    kms_key_self_link = "k"
  }
  attached_disk {
    source            = "d1"
    kms_key_self_link = "k"
  }
  attached_disk {
    source = "d2"
  }
  attached_disk {
    source            = "d3"
    kms_key_self_link = ""
  }
}`, []slotView{
			{"GCP-ENC-004", "boot_disk.kms_key_self_link", true, true},
			{"GCP-ENC-004", "attached_disk.0.kms_key_self_link", true, true},
			{"GCP-ENC-004", "attached_disk.1.kms_key_self_link", false, false},
			{"GCP-ENC-004", "attached_disk.2.kms_key_self_link", false, true},
		}},
		{"region disk accepts kms_key_name", "google_compute_region_disk.d", `resource "google_compute_region_disk" "d" {
  disk_encryption_key {
    kms_key_name = "k"
  }
}`, []slotView{{"GCP-ENC-004", "disk_encryption_key.kms_key_name", true, true}}},
		{"region disk missing reports kms_key_name", "google_compute_region_disk.d", `resource "google_compute_region_disk" "d" {
  disk_encryption_key {}
}`, []slotView{{"GCP-ENC-004", "disk_encryption_key.kms_key_name", false, false}}},
		{"secret with replicas", "google_secret_manager_secret.s", `resource "google_secret_manager_secret" "s" {
  replication {
    user_managed {
      replicas {
        location = "us-east1"
        customer_managed_encryption {
          kms_key_name = "k"
        }
      }
      replicas {
        location = "us-west1"
      }
    }
  }
}`, []slotView{
			{"GCP-ENC-006", "replication.user_managed.replicas.0.customer_managed_encryption.kms_key_name", true, true},
			{"GCP-ENC-006", "replication.user_managed.replicas.1.customer_managed_encryption.kms_key_name", false, false},
		}},
		{"secret auto", "google_secret_manager_secret.s", `resource "google_secret_manager_secret" "s" {
  replication {
    auto {}
  }
}`, []slotView{{"GCP-ENC-006", "replication.auto.0.customer_managed_encryption.kms_key_name", false, false}}},
		{"bigtable clusters", "google_bigtable_instance.i", `
variable "key" { type = string }
resource "google_bigtable_instance" "i" {
  cluster {
    cluster_id   = "a"
    kms_key_name = var.key
  }
  cluster {
    cluster_id = "b"
  }
}`, []slotView{
			{"GCP-ENC-009", "cluster.0.kms_key_name", true, true},
			{"GCP-ENC-009", "cluster.1.kms_key_name", false, false},
		}},
		{"spanner kms_key_names", "google_spanner_database.d", `resource "google_spanner_database" "d" {
  encryption_config {
    kms_key_names = ["a", "b"]
  }
}`, []slotView{{"GCP-ENC-008", "encryption_config.kms_key_names", true, true}}},
		{"type without cmek", "google_kms_key_ring.r", `resource "google_kms_key_ring" "r" {}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, r := loadRes(t, tc.src, tc.addr)
			if diff := cmp.Diff(tc.want, viewSlots(r)); diff != "" {
				t.Errorf("cmekSlots (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCMEKPathsAreWellFormed(t *testing.T) {
	for typ, paths := range cmekPaths {
		for _, p := range paths {
			if !regexp.MustCompile(`^GCP-ENC-\d{3}$`).MatchString(p.Check) {
				t.Errorf("%s: %q names no check ID", typ, p.Check)
			}
			segs := strings.Split(p.Path, ".")
			if segs[0] == "*" || segs[len(segs)-1] == "*" {
				t.Errorf("%s: %q: a * must follow a block name and precede an attribute", typ, p.Path)
			}
		}
	}
}

// TestKeyIsHSM: only HSM, HSM_SINGLE_TENANT, EXTERNAL and EXTERNAL_VPC pass;
// anything else, the default SOFTWARE included, fails.
func TestKeyIsHSM(t *testing.T) {
	template := func(body string) string {
		return "version_template {\n" + body + "\n}"
	}
	for _, tc := range []struct {
		name string
		body string // of the google_kms_crypto_key block
		want judge.Verdict
	}{
		{"no version_template", "", judge.Fail},
		{"no protection_level", template(`algorithm = "GOOGLE_SYMMETRIC_ENCRYPTION"`), judge.Fail},
		{"SOFTWARE", template(`protection_level = "SOFTWARE"`), judge.Fail},
		{"empty", template(`protection_level = ""`), judge.Fail},
		{"null", template(`protection_level = null`), judge.Fail},
		{"PROTECTION_LEVEL_UNSPECIFIED", template(`protection_level = "PROTECTION_LEVEL_UNSPECIFIED"`), judge.Fail},
		{"unrecognised", template(`protection_level = "HARDWARE"`), judge.Fail},
		{"lower case", template(`protection_level = "hsm"`), judge.Fail},
		{"HSM", template(`protection_level = "HSM"`), judge.Pass},
		{"HSM_SINGLE_TENANT", template(`protection_level = "HSM_SINGLE_TENANT"`), judge.Pass},
		{"EXTERNAL", template(`protection_level = "EXTERNAL"`), judge.Pass},
		{"EXTERNAL_VPC", template(`protection_level = "EXTERNAL_VPC"`), judge.Pass},
		{"unknown", template(`protection_level = var.level`), judge.Unknown},
		{"unknown template object", `dynamic "version_template" {
  for_each = var.templates
  content {
    protection_level = version_template.value
  }
}`, judge.Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, k := loadRes(t, `
variable "level" { type = string }
variable "templates" {}
resource "google_kms_crypto_key" "k" {
`+tc.body+`
}`, "google_kms_crypto_key.k")
			if got := keyIsHSM(k); got != tc.want {
				t.Errorf("keyIsHSM = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestSlotAttr: the attribute a check reads through Resource.Slot.
func TestSlotAttr(t *testing.T) {
	_, r := loadRes(t, `
variable "later" {}
resource "google_sql_database_instance" "x" {
  settings {
    tier = "db"
  }
  disk {
    size = "10"
  }
  disk {
    size = "20"
  }
  later = var.later
}`, "google_sql_database_instance.x")
	for _, tc := range []struct {
		path string
		want string // Display of the result
	}{
		{"settings.tier", "db"},
		{"disk.size", "10"},
		{"disk.1.size", "20"},
		{"disk.2.size", "(not set)"},
		{"missing.x", "(not set)"},
		{"later.x.y", "(known after apply)"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			if got := scanner.Display(r.Slot(tc.path).Attr); got != tc.want {
				t.Errorf("Slot(%q).Attr = %s, want %s", tc.path, got, tc.want)
			}
		})
	}
}
