package checks

import (
	"github.com/casascan/casascan/scanner"
)

var gcpENC020 = scanner.Check{
	ID:       "GCP-ENC-020",
	Title:    "Raw key material in configuration",
	Severity: scanner.Critical,
	CWE:      321,
	ASVS:     []string{"6.4.2"},
	CASA:     []string{"6.7.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types:    rawKeyTypes(),
	Why: `A customer-supplied encryption key (CSEK) written in Terraform is a hard-coded key: it sits in ` +
		`the repository, in every clone and CI log that prints the plan, and in plain text in Terraform ` +
		`state. Anyone who reads any of these can decrypt the disk, snapshot, image or object it ` +
		`protects, and Google cannot help if the key is lost. The policy asks for keys managed in an ` +
		`HSM or equivalent, never for key material in configuration files.`,
	Remediation: `Remove raw_key, rsa_encrypted_key, disk_encryption_key_raw, disk_encryption_key_rsa ` +
		`and customer_encryption.encryption_key from the configuration and use a Cloud KMS key instead ` +
		`(kms_key_self_link, or the bucket's encryption.default_kms_key_name for objects). Recreate the ` +
		`resource under the KMS key, then rotate away from the exposed key and purge it from state ` +
		`and version control history.`,
	Fix: fixKey + `
resource "google_compute_disk" "data" {
  name = "mail-cache"
  zone = "us-central1-a"
  size = 200

  disk_encryption_key {
    kms_key_self_link = google_kms_crypto_key.data.id
  }
}

resource "google_storage_bucket" "exports" {
  name     = "acme-mail-exports"
  location = "US-CENTRAL1"

  encryption {
    default_kms_key_name = google_kms_crypto_key.data.id
  }
}

resource "google_storage_bucket_object" "report" {
  name   = "report.csv"
  bucket = google_storage_bucket.exports.name
  source = "report.csv"
}
`,
	Test: testENC020,
}

// csekBlocks are the *_encryption_key blocks that take customer-supplied key
// material as raw_key or rsa_encrypted_key.
var csekBlocks = []string{
	"disk_encryption_key", "snapshot_encryption_key", "image_encryption_key",
	"machine_image_encryption_key", "source_disk_encryption_key", "source_image_encryption_key",
	"source_snapshot_encryption_key", "source_instance_encryption_key",
}

// rawKeyPaths maps each type to where customer-supplied key material can be
// written; "*" stands for every repeated block, as in cmekPaths.
var rawKeyPaths = map[string][]string{
	"google_compute_disk":          csekPaths(),
	"google_compute_region_disk":   csekPaths(),
	"google_compute_snapshot":      csekPaths(),
	"google_compute_image":         csekPaths(),
	"google_compute_machine_image": csekPaths(),
	"google_compute_instance": {
		"boot_disk.disk_encryption_key_raw", "boot_disk.disk_encryption_key_rsa",
		"boot_disk.initialize_params.source_image_encryption_key.raw_key",
		"boot_disk.initialize_params.source_snapshot_encryption_key.raw_key",
		"attached_disk.*.disk_encryption_key_raw", "attached_disk.*.disk_encryption_key_rsa",
	},
	"google_storage_bucket_object": {"customer_encryption.encryption_key"},
}

func csekPaths() []string {
	var out []string
	for _, b := range csekBlocks {
		out = append(out, b+".raw_key", b+".rsa_encrypted_key")
	}
	return out
}

func rawKeyTypes() []string {
	return sortedUnique(mapKeys(rawKeyPaths))
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// testENC020 fails every place that holds key material. A value that is not
// known before apply (a variable with no value, a data source) is not written
// in the configuration as far as the scan can tell, so it is unknown.
func testENC020(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	var out []scanner.Problem
	for _, p := range rawKeyPaths[r.Type] {
		for _, sl := range r.Lookup(p).Slots {
			path, a := sl.Path, sl.Attr
			switch {
			case sl.Whole || !a.Set():
				// Not set, or a whole block not known before apply, which
				// far more likely holds a KMS key than key material.
			case !a.Known():
				out = append(out, scanner.Unknown(path,
					"%s takes a customer-supplied key from a value not known before apply; the key material will still be stored in Terraform state", path))
			default:
				out = append(out, scanner.Fail(path,
					"%s holds customer-supplied key material written in the configuration; it is readable in the repository and in Terraform state", path))
			}
		}
	}
	return out
}
