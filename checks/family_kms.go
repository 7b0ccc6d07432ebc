package checks

import "github.com/casascan/casascan/scanner"

// kms lists the GCP-KMS-* checks (M4).
var kms = []*scanner.Check{
	&gcpKMS001, &gcpKMS002, &gcpKMS003, &gcpKMS004, &gcpKMS005, &gcpKMS006, &gcpKMS007,
}

// fixKey is the Cloud KMS key every corrected snippet uses: HSM-backed
// (GCP-KMS-001), rotated every 90 days (GCP-KMS-002) and protected from
// terraform destroy (GCP-KMS-004), so a Fix that adds CMEK models a key that
// passes the M4 checks too.
const fixKey = `resource "google_kms_key_ring" "data" {
  name     = "restricted-data"
  location = "us-central1"
}

resource "google_kms_crypto_key" "data" {
  name            = "restricted-data"
  key_ring        = google_kms_key_ring.data.id
  purpose         = "ENCRYPT_DECRYPT"
  rotation_period = "7776000s" # 90 days

  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = "HSM"
  }

  lifecycle {
    prevent_destroy = true
  }
}
`
