package custom

import "testing"

// TestRefsOverSeveralBlocks: refs() on an attribute of a block written
// several times does not judge by the first block alone.
func TestRefsOverSeveralBlocks(t *testing.T) {
	hcl := `
resource "google_compute_disk" "plain" {
  name = "plain"
  zone = "europe-west1-b"
}
resource "google_compute_disk" "enc" {
  name = "enc"
  zone = "europe-west1-b"
  disk_encryption_key { kms_key_self_link = "projects/p/locations/eu/keyRings/r/cryptoKeys/k" }
}
resource "google_compute_instance" "vm" {
  name = "vm"
  machine_type = "e2-small"
  zone = "europe-west1-b"
  boot_disk {
    initialize_params { image = "debian-cloud/debian-12" }
  }
  network_interface { network = "default" }
  attached_disk { source = google_compute_disk.enc.id }
  attached_disk { source = google_compute_disk.plain.id }
}
`
	c := compile(t, "google_compute_instance", `refs(resource.attached_disk.source).exists(d, !has(d.disk_encryption_key))`)
	got := verdicts(t, c, hcl)
	want(t, got, "google_compute_instance.vm", "UNKNOWN", "not judged", "written several times")
	if v := got["google_compute_instance.vm"]; v == "PASS" || v == "" {
		t.Errorf("got %q: the second disk is unencrypted", v)
	}
	// Per block, it is judged.
	c = compile(t, "google_compute_instance", `resource.attached_disk.exists(a, refs(a.source).exists(d, !has(d.disk_encryption_key)))`)
	want(t, verdicts(t, c, hcl), "google_compute_instance.vm", "FAIL")
}
