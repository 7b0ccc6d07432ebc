resource "google_kms_key_ring" "ring" {
  name     = "mail"
  location = "europe-west1"
}

resource "google_kms_crypto_key" "key" {
  name            = "mail"
  key_ring        = google_kms_key_ring.ring.id
  rotation_period = "31536000s"
}

resource "google_storage_bucket" "mail" {
  name                        = "acme-mail"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}
