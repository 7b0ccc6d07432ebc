package checks

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
)

var updateDocs = flag.Bool("update", false, "rewrite generated documentation (the alias table in docs/ci.md)")

func TestAliasTargetsExist(t *testing.T) {
	avd := regexp.MustCompile(`^AVD-GCP-\d{4}$`)
	long := regexp.MustCompile(`^google-[a-z]+-[a-z0-9]+(-[a-z0-9]+)*$`)
	for _, a := range Aliases() {
		t.Run(a.AVDID, func(t *testing.T) {
			if ByID(a.CheckID) == nil {
				t.Errorf("%s maps to %s, which is not in All()", a.AVDID, a.CheckID)
			}
			if !avd.MatchString(a.AVDID) || !long.MatchString(a.LongID) || a.Title == "" {
				t.Errorf("malformed row %+v", a)
			}
		})
	}
}

// TestAliasSpellingsUnique guards the table against one foreign ID being
// listed for two checks by mistake: every spelling maps to one check.
func TestAliasSpellingsUnique(t *testing.T) {
	seen := map[string]bool{}
	for k, ids := range aliasIndex {
		if len(ids) != 1 {
			t.Errorf("%s maps to %v", k, ids)
		}
		seen[k] = true
	}
	if want := 3*len(aliases) + 5; len(seen) != want {
		t.Errorf("%d spellings, want %d (AVD, GCP-NNNN and long ID per row, plus the older names)", len(seen), want)
	}
}

func TestMapIgnoreID(t *testing.T) {
	tests := []struct {
		tool, id string
		want     []string
	}{
		{"trivy", "AVD-GCP-0039", []string{"GCP-TLS-001"}},
		{"trivy", "avd-gcp-0039", []string{"GCP-TLS-001"}},
		{"trivy", "GCP-0039", []string{"GCP-TLS-001"}},
		{"tfsec", "google-compute-use-secure-tls-policy", []string{"GCP-TLS-001"}},
		{"TFSEC", "Google-Storage-Bucket-Encryption-Customer-Key", []string{"GCP-ENC-001"}},
		{"tfsec", "AVD-GCP-0066", []string{"GCP-ENC-001"}},
		{"trivy", "google-kms-rotate-kms-keys", []string{"GCP-KMS-002"}},
		{"tfsec", "AVD-GCP-0015", []string{"GCP-TLS-004"}},
		{"tfsec", "google-storage-enable-ubla", []string{"GCP-ACC-003"}},
		{"trivy", "AVD-GCP-0001", []string{"GCP-ACC-001"}},
		{"trivy", "AVD-GCP-0017", []string{"GCP-ACC-004"}},
		{"trivy", "AVD-GCP-0046", []string{"GCP-ACC-005"}},
		{"trivy", "AVD-GCP-0033", []string{"GCP-ENC-004"}},
		{"tfsec", "google-compute-disk-encryption-customer-key", []string{"GCP-ENC-004"}},
		{"tfsec", "GCP013", []string{"GCP-ENC-020"}},
		{"tfsec", "google-compute-no-plaintext-vm-disk-keys", []string{"GCP-ENC-020"}},
		{"tfsec", " AVD-GCP-0037 ", []string{"GCP-ENC-020"}},
		{"trivy", "AVD-GCP-0064", []string{"GCP-SEC-004"}},
		{"tfsec", "google-gke-no-legacy-authentication", []string{"GCP-SEC-004"}},
		{"tfsec", "GCP008", []string{"GCP-SEC-004"}},
		{"tfsec", "google-gke-no-legacy-auth", nil}, // asked for client certificates: not GCP-SEC-004
		{"trivy", "AVD-GCP-0021", nil},              // narrower than GCP-LOG-001: not mapped
		{"trivy", "AVD-GCP-9999", nil},
		{"trivy", "*", nil},
		{"trivy", "", nil},
		{"checkov", "AVD-GCP-0039", nil},
		{"casascan", "GCP-TLS-001", nil},
	}
	for _, tt := range tests {
		t.Run(tt.tool+":"+tt.id, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, MapIgnoreID(tt.tool, tt.id)); diff != "" {
				t.Errorf("MapIgnoreID (-want +got):\n%s", diff)
			}
		})
	}
	// The caller may append to the result without corrupting the table.
	got := MapIgnoreID("trivy", "AVD-GCP-0039")
	_ = append(got[:1:1], "X")
	got[0] = "changed"
	if MapIgnoreID("trivy", "AVD-GCP-0039")[0] != "GCP-TLS-001" {
		t.Error("MapIgnoreID returned the table's own slice")
	}
}

// TestForeignIgnoresSuppress runs real Terraform with tfsec and trivy
// comments through the loader and the run: a live foreign ignore suppresses
// our equivalent check, an expired one leaves the finding failing and says
// so, and an unmapped one suppresses nothing.
func TestForeignIgnoresSuppress(t *testing.T) {
	dir := t.TempDir()
	src := `#tfsec:ignore:google-compute-use-secure-tls-policy -- legacy clients until June
resource "google_compute_ssl_policy" "tfsec" {
  name = "tfsec"
}

# trivy:ignore:AVD-GCP-0039:exp:2020-01-31
resource "google_compute_ssl_policy" "expired" {
  name = "expired"
}

#trivy:ignore:AVD-GCP-0030
resource "google_compute_ssl_policy" "unmapped" {
  name = "unmapped"
}

resource "google_storage_bucket" "b" {
  name                        = "b"
  location                    = "EU"
  uniform_bucket_level_access = false # trivy:ignore:google-storage-enable-ubla
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := terraform.Load(context.Background(), dir, terraform.Options{MapIgnoreID: MapIgnoreID})
	if err != nil {
		t.Fatal(err)
	}
	sel := []*scanner.Check{ByID("GCP-TLS-001"), ByID("GCP-ACC-003")}
	res := scanner.Run(sel, []*scanner.Graph{g}, scanner.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	got := map[string]string{}
	for _, f := range res.WithStatus(scanner.StatusFail, scanner.StatusIgnored) {
		s := string(f.Status)
		if f.Suppression != nil {
			s += " " + f.Suppression.Justification
			if f.Suppression.Expired {
				s += " (expired " + f.Suppression.Expires + ")"
			}
		}
		got[f.CheckID+" "+f.Resource] = s
	}
	want := map[string]string{
		"GCP-TLS-001 google_compute_ssl_policy.tfsec":    "IGNORED legacy clients until June",
		"GCP-TLS-001 google_compute_ssl_policy.expired":  "FAIL  (expired 2020-01-31)",
		"GCP-TLS-001 google_compute_ssl_policy.unmapped": "FAIL",
		"GCP-ACC-003 google_storage_bucket.b":            "IGNORED ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestAliasTableInDocs keeps docs/ci.md's migration table generated from
// Aliases; go test ./checks -run AliasTableInDocs -update rewrites it.
func TestAliasTableInDocs(t *testing.T) {
	const path = "../docs/ci.md"
	const begin, end = "<!-- aliases:begin (generated by go test ./checks -update) -->\n", "<!-- aliases:end -->"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q markers", path, strings.TrimSpace(begin), end)
	}
	fresh := doc[:i+len(begin)] + AliasTable() + doc[j:]
	if fresh == doc {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(path, []byte(fresh), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the alias table in %s is stale; run: go test ./checks -run AliasTableInDocs -update\n%s",
		path, cmp.Diff(doc[i:j], fresh[i:i+len(begin)+len(AliasTable())]))
}
