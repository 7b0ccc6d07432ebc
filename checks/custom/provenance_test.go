package custom

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/checks/checktest"
	"github.com/casascan/casascan/scanner"
)

// TestUnknownProvenanceMatchesBuiltin: an UNKNOWN custom finding from a
// variable given no value carries the provenance a built-in finding on the
// same attribute carries (scanner's one provenance rule), not a provenance
// of its own: the variable is named, and the finding is no "literal".
func TestUnknownProvenanceMatchesBuiltin(t *testing.T) {
	g := checktest.HCL(t, `
variable "level" { type = string }
resource "google_kms_crypto_key" "k" {
  name     = "k"
  key_ring = "projects/p/locations/eu/keyRings/r"
  version_template {
    protection_level = var.level
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
  }
}
`)
	c := compile(t, "google_kms_crypto_key", `resource.version_template.protection_level != "HSM"`)
	builtin := checks.ByID("GCP-KMS-001")
	res := scanner.Run([]*scanner.Check{c, builtin}, []*scanner.Graph{g}, scanner.Options{})
	prov := map[string]*scanner.Provenance{}
	for _, f := range res.List() {
		if f.Status != scanner.StatusUnknown {
			t.Fatalf("%s: %s, want UNKNOWN", f.CheckID, f.Status)
		}
		if f.Location.StartLine != 7 {
			t.Errorf("%s points at line %d, want 7 (the attribute)", f.CheckID, f.Location.StartLine)
		}
		prov[f.CheckID] = f.Provenance
	}
	custom, want := prov[c.ID], prov[builtin.ID]
	if want == nil || custom == nil {
		t.Fatalf("provenance: custom %v, built-in %v", custom, want)
	}
	if d := cmp.Diff(want, custom); d != "" {
		t.Errorf("custom provenance differs from the built-in's (-built-in +custom):\n%s", d)
	}
	t.Logf("provenance: %s", scanner.ProvenanceText(custom.Origins))
}
