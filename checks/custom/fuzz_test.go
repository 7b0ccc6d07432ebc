package custom

import (
	"errors"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks/checktest"
	"github.com/casascan/casascan/scanner"
)

// FuzzLoad feeds check files to the loader: it never panics, every error
// names the file, and a check that compiles judges a graph with unknowns,
// references and dynamic blocks without panicking, within its limits.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"id: ACME-A-001\ntitle: T\nseverity: HIGH\ntypes: [google_storage_bucket]\nmessage: m\nfails_when: '!has(resource.encryption.default_kms_key_name)'\n",
		"id: ACME-A-001\ntitle: T\nseverity: LOW\ntypes: [google_storage_bucket]\nmessage: m\nfails_when: >\n  refs(resource.encryption.default_kms_key_name).exists(k, k.version_template.protection_level == \"SOFTWARE\")\n",
		"id: ACME-A-001\ntitle: T\nseverity: LOW\ntypes: [google_storage_bucket]\nmessage: m\nfails_when: blocks(resource.lifecycle_rule).all(r, r.condition.age > 1) || resource.labels.size() == 0\n",
		"id: ACME-A-001\ntitle: T\nseverity: LOW\ntypes: [google_storage_bucket]\nmessage: m\nfails_when: '[1,2,3].map(x, [1,2,3].map(y, resource.name + resource.name)).size() > 1'\n",
		"id: GCP-A-001\nfails_when: ((((\n",
		"id: [\n",
		"",
		"a: &a [*a]\n",
	} {
		f.Add(seed)
	}
	g := checktest.HCL(f, `
variable "k" { type = string }
variable "rules" { type = list(any) }
resource "google_kms_crypto_key" "k" {
  name     = "k"
  key_ring = "projects/p/locations/eu/keyRings/r"
}
resource "google_storage_bucket" "b" {
  name     = var.k
  location = "EU"
  labels   = { a = "b" }
  encryption { default_kms_key_name = google_kms_crypto_key.k.id }
  dynamic "lifecycle_rule" {
    for_each = var.rules
    content {
      action { type = "Delete" }
      condition { age = 30 }
    }
  }
}
`)
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse("fuzz.yaml", []byte(src))
		if err == nil {
			var c *scanner.Check
			if c, err = Compile(s); err == nil {
				res := scanner.Run([]*scanner.Check{c}, []*scanner.Graph{g}, scanner.Options{})
				for _, fd := range res.List() {
					if fd.CheckID != s.ID {
						t.Fatalf("finding of %s from check %s", fd.CheckID, s.ID)
					}
				}
				return
			}
		}
		var e *Error
		if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), "fuzz.yaml") {
			t.Fatalf("error without the file's name: %v", err)
		}
	})
}
