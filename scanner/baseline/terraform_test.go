package baseline_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/baseline"
)

// scanDir runs every check over the Terraform root module in dir.
func scanDir(t *testing.T, dir string) *scanner.Result {
	t.Helper()
	g, err := terraform.Load(context.Background(), dir, terraform.Options{})
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	for _, d := range g.Diagnostics {
		if d.Severity == scanner.DiagError {
			t.Fatalf("loading %s: %s", dir, d)
		}
	}
	return scanner.Run(checks.All(), []*scanner.Graph{g}, scanner.Options{})
}

// editFixture copies testdata/tree to a new directory with the edits a
// baseline must survive: unrelated resources and blank lines inserted above,
// the attributes realigned and reordered, the bucket moved to a file of its
// own; and one real new problem on the bucket (public access prevention
// switched off).
func editFixture(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("testdata/tree/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	start := strings.Index(text, `resource "google_storage_bucket" "mail"`)
	if start < 0 {
		t.Fatal("fixture has no google_storage_bucket.mail")
	}
	rest, bucket := text[:start], text[start:]
	// Reformat: one space around every "=", as if someone ran a different
	// formatter, and reverse the attribute order of the key.
	realign := regexp.MustCompile(`\s+=\s+`)
	rest = realign.ReplaceAllString(rest, " = ")
	rest = strings.Replace(rest, "  name = \"mail\"\n  key_ring = google_kms_key_ring.ring.id\n  rotation_period = \"31536000s\"\n",
		"  rotation_period = \"31536000s\"\n  key_ring = google_kms_key_ring.ring.id\n  name = \"mail\"\n", 1)
	unrelated := "locals {\n  region = \"europe-west1\"\n}\n\n\n\n" +
		"resource \"google_compute_network\" \"vpc\" {\n  name                    = \"mail-vpc\"\n  auto_create_subnetworks = false\n}\n\n\n"
	newBucket := strings.Replace(bucket, `public_access_prevention    = "enforced"`, `public_access_prevention    = "inherited"`, 1)
	if newBucket == bucket {
		t.Fatal("fixture bucket does not set public_access_prevention = \"enforced\"")
	}
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.tf", unrelated+rest)
	write("storage.tf", "# moved here from main.tf\n\n\n"+newBucket)
	return dir
}

func TestBaselineSurvivesEdits(t *testing.T) {
	before := scanDir(t, "testdata/tree")
	old := before.Failures()
	if len(old) < 3 {
		t.Fatalf("fixture gives %d FAIL findings; the test needs several to mean anything", len(old))
	}
	for _, f := range old {
		if f.CheckID == "GCP-ACC-002" {
			t.Fatalf("fixture already fails GCP-ACC-002: %s", f.Message)
		}
	}
	var buf bytes.Buffer
	if err := baseline.Write(&buf, before); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "casascan-baseline.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := baseline.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != len(old) {
		t.Fatalf("baseline holds %d findings, the scan had %d FAIL", b.Len(), len(old))
	}

	after := scanDir(t, editFixture(t))
	oldLoc := map[string]scanner.Location{}
	for _, f := range old {
		oldLoc[f.Fingerprint] = f.Location
	}
	if n := b.Apply(after); n != len(old) {
		t.Errorf("Apply marked %d findings, want all %d old ones", n, len(old))
	}
	moved := 0
	for _, f := range after.List() {
		loc, wasThere := oldLoc[f.Fingerprint]
		if !wasThere {
			continue
		}
		if f.Status != scanner.StatusIgnored || f.Suppression == nil || f.Suppression.Kind != "external" ||
			f.Suppression.Justification != "in baseline "+path {
			t.Errorf("old finding %s %s came back: status %s, suppression %+v", f.CheckID, f.Resource, f.Status, f.Suppression)
		}
		if loc != f.Location {
			moved++
		}
	}
	if moved != len(old) {
		t.Errorf("%d of %d old findings moved; the edits must move every one for the test to prove anything", moved, len(old))
	}
	fails := after.Failures()
	if len(fails) != 1 || fails[0].CheckID != "GCP-ACC-002" || fails[0].Resource != "google_storage_bucket.mail" {
		var got []string
		for _, f := range fails {
			got = append(got, f.CheckID+" "+f.Resource+" "+f.Location.String())
		}
		t.Errorf("new FAIL findings = %q, want only GCP-ACC-002 on google_storage_bucket.mail", got)
	}
}
