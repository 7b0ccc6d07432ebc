package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpENC004 = scanner.Check{
	ID:       "GCP-ENC-004",
	Title:    "Disk without CMEK",
	Severity: scanner.Medium,
	CWE:      311,
	ASVS:     []string{"6.1.1"},
	Measures: []scanner.Measure{scanner.M1},
	Types: []string{
		"google_compute_disk", "google_compute_region_disk",
		"google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template",
		"google_compute_snapshot", "google_compute_image", "google_compute_machine_image",
		"google_container_cluster", "google_container_node_pool",
	},
	Why: `Persistent disks, their snapshots and images hold whatever the workload wrote: caches of ` +
		`mailboxes, temporary Drive downloads, database files, swap. Every copy of a disk made without a ` +
		`customer-managed key is encrypted only with Google-managed keys and outlives the VM or GKE node ` +
		`that wrote it, so restricted-scope data escapes the key you control, audit and can revoke. A ` +
		`customer-supplied raw key (disk_encryption_key.raw_key) is not CMEK either: it fails this check ` +
		`and GCP-ENC-020.`,
	Remediation: `Give every disk a Cloud KMS key: disk_encryption_key.kms_key_self_link on disks ` +
		`(kms_key_name on regional disks), boot_disk.kms_key_self_link and each ` +
		`attached_disk.kms_key_self_link on instances, disk.disk_encryption_key.kms_key_self_link on ` +
		`instance templates, the *_encryption_key block on snapshots, images and machine images, and ` +
		`node_config.boot_disk_kms_key on GKE node pools (cluster_autoscaling.auto_provisioning_defaults ` +
		`for Autopilot). Grant the Compute Engine service agent ` +
		`(service-PROJECT_NUMBER@compute-system.iam.gserviceaccount.com) roles/cloudkms.cryptoKeyEncrypterDecrypter.`,
	Fix: fixKey + `
resource "google_compute_disk" "data" {
  name = "mail-cache"
  zone = "us-central1-a"
  type = "pd-balanced"
  size = 200

  disk_encryption_key {
    kms_key_self_link = google_kms_crypto_key.data.id
  }
}

resource "google_compute_instance" "worker" {
  name         = "mail-worker"
  zone         = "us-central1-a"
  machine_type = "e2-standard-4"

  boot_disk {
    kms_key_self_link = google_kms_crypto_key.data.id
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  attached_disk {
    source            = google_compute_disk.data.id
    kms_key_self_link = google_kms_crypto_key.data.id
  }

  network_interface {
    network = "default"
  }
}
`,
	Test: func(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		return missingKeys(r, "GCP-ENC-004", func(r *scanner.Resource, path string) (bool, *scanner.Problem) {
			ok, p := gkePathApplies(r, path)
			if !ok || p != nil {
				return ok, p
			}
			elsewhere, p := gkePoolElsewhere(g, r, path)
			return !elsewhere && p == nil, p
		})
	},
}

// gkePathApplies decides which node disks of a google_container_cluster
// exist: the default node pool's node_config unless the pool is removed
// (remove_default_node_pool) or the cluster is Autopilot, whose nodes take
// their boot-disk key from cluster_autoscaling.auto_provisioning_defaults.
// Inline node_pool blocks always apply.
func gkePathApplies(r *scanner.Resource, path string) (bool, *scanner.Problem) {
	if r.Type != "google_container_cluster" || (path != gkeDefaultPoolKey && path != gkeAutopilotKey) {
		return true, nil
	}
	autopilot, known := boolAttr(r, "enable_autopilot")
	if !known {
		p := scanner.Unknown("enable_autopilot", "enable_autopilot is not known before apply, so which node boot disks need %s cannot be decided", path)
		return false, &p
	}
	if path == gkeAutopilotKey {
		return autopilot, nil
	}
	if autopilot {
		return false, nil
	}
	removed, known := boolAttr(r, "remove_default_node_pool")
	if !known {
		p := scanner.Unknown("remove_default_node_pool", "remove_default_node_pool is not known before apply, so whether the default node pool's boot disks need a key cannot be decided")
		return false, &p
	}
	return !removed, nil
}

// boolAttr reads a bool attribute through the lookup: the provider default
// when absent, else false; known is false when its value is not known
// before apply.
func boolAttr(r *scanner.Resource, path string) (v, known bool) {
	on := r.Slot(path).BoolIs(true)
	return on == judge.Pass, on != judge.Unknown
}
