package custom

import "testing"

// TestHasMaybeNull: has() on a value not known before apply that may be
// null (one branch of a condition is null) is UNKNOWN, as the built-in
// checks judge it (Slot.IsSet): neither set nor absent.
func TestHasMaybeNull(t *testing.T) {
	hcl := `
variable "pick" { type = bool }
resource "google_storage_bucket" "b" {
  name = "b"
  location = "EU"
  encryption { default_kms_key_name = var.pick ? null : "projects/acme-kms/locations/eu/keyRings/r/cryptoKeys/k" }
}
`
	c := compile(t, "google_storage_bucket", `!has(resource.encryption.default_kms_key_name)`)
	want(t, verdicts(t, c, hcl), "google_storage_bucket.b", "UNKNOWN", "resource.encryption.default_kms_key_name")
}

// TestIterateMaybePresent: iterating over, or sizing, a block that may or
// may not hold a name (a dynamic block over a for_each not known) is
// UNKNOWN where that name decides, as "name" in block is.
func TestIterateMaybePresent(t *testing.T) {
	hcl := `
variable "rules" { type = list(any) }
resource "google_storage_bucket" "b" {
  name = "b"
  location = "EU"
  dynamic "lifecycle_rule" {
    for_each = var.rules
    content {
      action { type = "Delete" }
    }
  }
}
`
	for _, e := range []string{`resource.exists(k, k == "lifecycle_rule")`, `"lifecycle_rule" in resource`, `!resource.all(k, k != "lifecycle_rule")`} {
		want(t, verdicts(t, compile(t, "google_storage_bucket", e), hcl), "google_storage_bucket.b", "UNKNOWN", "resource.lifecycle_rule")
	}
	want(t, verdicts(t, compile(t, "google_storage_bucket", `resource.exists(k, k == "name")`), hcl), "google_storage_bucket.b", "FAIL")
}
