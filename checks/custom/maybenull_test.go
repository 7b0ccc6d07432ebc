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
