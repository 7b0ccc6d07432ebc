// Package gentree writes large synthetic Terraform trees for benchmarks:
// many files, modules called with for_each, dynamic blocks, and references
// between resources and across modules, as real Google Cloud estates have.
package gentree

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Shape sizes a tree: RootFiles files in the root module, Modules module
// directories of ModuleFiles files each, every module called with for_each
// over Instances keys.
type Shape struct {
	RootFiles, Modules, ModuleFiles, Instances int
}

// Default is about 1,000 files and 9,000 resource instances.
var Default = Shape{RootFiles: 200, Modules: 40, ModuleFiles: 20, Instances: 3}

// Files is the number of .tf files the shape writes.
func (s Shape) Files() int { return s.RootFiles + 1 + s.Modules*s.ModuleFiles }

// Write writes the tree under dir.
func Write(dir string, s Shape) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var calls strings.Builder
	keys := make([]string, s.Instances)
	for i := range keys {
		keys[i] = fmt.Sprintf("%q", fmt.Sprintf("k%d", i))
	}
	for m := 0; m < s.Modules; m++ {
		fmt.Fprintf(&calls, `module "m%02d" {
  source   = "./modules/m%02d"
  for_each = toset([%s])
  name     = "m%02d-${each.key}"
  key_id   = google_kms_crypto_key.key_000.id
  policy   = google_compute_ssl_policy.tls_%03d.id
}
`, m, m, strings.Join(keys, ", "), m, m%max(s.RootFiles, 1))
		if err := writeModule(filepath.Join(dir, "modules", fmt.Sprintf("m%02d", m)), s.ModuleFiles); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "modules.tf"), []byte(calls.String()), 0o644); err != nil {
		return err
	}
	for f := 0; f < s.RootFiles; f++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r_%03d.tf", f)), []byte(rootFile(f)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func rootFile(f int) string {
	return fmt.Sprintf(`locals {
  buckets_%03[1]d = {
    logs  = { location = "US", versioned = true }
    media = { location = "EU", versioned = false }
    mail  = { location = "US", versioned = true }
  }
}

resource "google_kms_key_ring" "ring_%03[1]d" {
  name     = "ring-%03[1]d"
  location = "us"
}

resource "google_kms_crypto_key" "key_%03[1]d" {
  name            = "key-%03[1]d"
  key_ring        = google_kms_key_ring.ring_%03[1]d.id
  rotation_period = "%[2]ds"
  version_template {
    algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
    protection_level = "%[3]s"
  }
}

resource "google_storage_bucket" "b_%03[1]d" {
  for_each                    = local.buckets_%03[1]d
  name                        = "acme-%03[1]d-${each.key}"
  location                    = each.value.location
  uniform_bucket_level_access = true
  encryption {
    default_kms_key_name = google_kms_crypto_key.key_%03[1]d.id
  }
  versioning {
    enabled = each.value.versioned
  }
  dynamic "lifecycle_rule" {
    for_each = each.value.versioned ? [30, 90] : []
    content {
      action {
        type = "Delete"
      }
      condition {
        days_since_noncurrent_time = lifecycle_rule.value
      }
    }
  }
}

resource "google_compute_ssl_policy" "tls_%03[1]d" {
  name            = "tls-%03[1]d"
  profile         = "MODERN"
  min_tls_version = "%[4]s"
}

resource "google_compute_target_https_proxy" "proxy_%03[1]d" {
  name             = "proxy-%03[1]d"
  url_map          = "projects/p/global/urlMaps/map-%03[1]d"
  ssl_certificates = ["projects/p/global/sslCertificates/cert"]
  ssl_policy       = google_compute_ssl_policy.tls_%03[1]d.id
}
`, f, 7776000+86400*(f%2)*100, []string{"HSM", "SOFTWARE"}[f%2], []string{"TLS_1_2", "TLS_1_0"}[f%3%2])
}

func writeModule(dir string, files int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	vars := `variable "name" {
  type = string
}
variable "key_id" {
  type = string
}
variable "policy" {
  type = string
}
variable "disks" {
  type    = list(object({ name = string, size = number }))
  default = [{ name = "data", size = 10 }, { name = "logs", size = 20 }]
}
output "names" {
  value = [for b in [google_storage_bucket.data_001] : b.name]
}
`
	if err := os.WriteFile(filepath.Join(dir, "variables.tf"), []byte(vars), 0o644); err != nil {
		return err
	}
	for f := 1; f < files; f++ {
		body := fmt.Sprintf(`resource "google_storage_bucket" "data_%03[1]d" {
  name     = "${var.name}-%03[1]d"
  location = "US"
  encryption {
    default_kms_key_name = var.key_id
  }
  public_access_prevention = "enforced"
}

resource "google_compute_instance" "vm_%03[1]d" {
  name         = "${var.name}-vm-%03[1]d"
  machine_type = "e2-small"
  zone         = "us-central1-a"
  boot_disk {
    kms_key_self_link = var.key_id
  }
  dynamic "attached_disk" {
    for_each = var.disks
    iterator = d
    content {
      source            = "${var.name}-${d.value.name}"
      kms_key_self_link = d.key == 0 ? var.key_id : null
    }
  }
  network_interface {
    network = "default"
  }
}

resource "google_compute_target_https_proxy" "p_%03[1]d" {
  name             = "${var.name}-p-%03[1]d"
  url_map          = "projects/p/global/urlMaps/m"
  ssl_certificates = ["projects/p/global/sslCertificates/c"]
  ssl_policy       = var.policy
}
`, f)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f_%03d.tf", f)), []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Roots sizes a monorepo: Roots root modules under envs/, each of
// RootFiles resource files plus a file of module calls, every call going to
// one of Modules shared module directories (ModuleFiles files each) with
// for_each over Instances keys. Findings of a shared module repeat in every
// root that calls it, as in an estate of environments built from one set
// of modules.
type Roots struct {
	Roots, RootFiles, Calls, Modules, ModuleFiles, Instances int
}

// The monorepo sizes: RootsSmall (200 roots, about 1,600 files) and ten
// times as many roots; the ones between show how the scan grows.
var (
	Roots200  = Roots{Roots: 200, RootFiles: 7, Calls: 1, Modules: 8, ModuleFiles: 5, Instances: 2}
	Roots400  = withRoots(Roots200, 400)
	Roots800  = withRoots(Roots200, 800)
	Roots2000 = withRoots(Roots200, 2000)
)

func withRoots(r Roots, n int) Roots { r.Roots = n; return r }

// Files is the number of .tf files the monorepo has.
func (r Roots) Files() int { return r.Roots*(r.RootFiles+1) + r.Modules*r.ModuleFiles }

// WriteRoots writes the monorepo under dir.
func WriteRoots(dir string, r Roots) error {
	for m := 0; m < r.Modules; m++ {
		if err := writeModule(filepath.Join(dir, "modules", fmt.Sprintf("m%02d", m)), r.ModuleFiles); err != nil {
			return err
		}
	}
	keys := make([]string, r.Instances)
	for i := range keys {
		keys[i] = fmt.Sprintf("%q", fmt.Sprintf("k%d", i))
	}
	for n := 0; n < r.Roots; n++ {
		root := filepath.Join(dir, "envs", fmt.Sprintf("e%04d", n))
		if err := os.MkdirAll(root, 0o755); err != nil {
			return err
		}
		var calls strings.Builder
		for c := 0; c < r.Calls; c++ {
			m := (n + c) % max(r.Modules, 1)
			fmt.Fprintf(&calls, `module "m%02[1]d" {
  source   = "../../modules/m%02[1]d"
  for_each = toset([%[2]s])
  name     = "e%04[3]d-m%02[1]d-${each.key}"
  key_id   = google_kms_crypto_key.key_%03[4]d.id
  policy   = google_compute_ssl_policy.tls_%03[4]d.id
}
`, m, strings.Join(keys, ", "), n, (n+c)%max(r.RootFiles, 1))
		}
		if err := os.WriteFile(filepath.Join(root, "modules.tf"), []byte(calls.String()), 0o644); err != nil {
			return err
		}
		for f := 0; f < r.RootFiles; f++ {
			// Vary the files between roots, so that they fail differently.
			body := rootFile(f + n%7)
			// Keep the names the module calls use.
			body = strings.ReplaceAll(body, fmt.Sprintf("_%03d", f+n%7), fmt.Sprintf("_%03d", f))
			if err := os.WriteFile(filepath.Join(root, fmt.Sprintf("r_%03d.tf", f)), []byte(body), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}
