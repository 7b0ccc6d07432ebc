package checks

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks/checktest"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestENC004GKE(t *testing.T) {
	const nodeKey = `node_config {
    boot_disk_kms_key = "k"
  }`
	cluster := func(body string) string {
		return `
variable "remove" { type = bool }
variable "autopilot" { type = bool }
resource "google_container_cluster" "c" {
  ` + body + `
}`
	}
	runTF(t, &gcpENC004, []tfCase{
		{"default pool without key", cluster(""), []string{"google_container_cluster.c node_config.boot_disk_kms_key FAIL"}},
		{"default pool with key", cluster(nodeKey), nil},
		{"default pool removed", cluster("remove_default_node_pool = true"), nil},
		{"removal not known", cluster("remove_default_node_pool = var.remove"),
			[]string{"google_container_cluster.c remove_default_node_pool UNKNOWN"}},
		{"autopilot without key", cluster("enable_autopilot = true"),
			[]string{"google_container_cluster.c cluster_autoscaling.auto_provisioning_defaults.boot_disk_kms_key FAIL"}},
		{"autopilot with key", cluster(`enable_autopilot = true
  cluster_autoscaling {
    auto_provisioning_defaults {
      boot_disk_kms_key = "k"
    }
  }`), nil},
		// One UNKNOWN per node-disk path that hangs on enable_autopilot (the
		// default pool's and Autopilot's), each naming its path.
		{"autopilot not known", cluster("enable_autopilot = var.autopilot"), []string{
			"google_container_cluster.c enable_autopilot UNKNOWN",
			"google_container_cluster.c enable_autopilot UNKNOWN",
		}},
		{"inline pools", cluster(nodeKey + `
  node_pool {
    ` + nodeKey + `
  }
  node_pool {
    name = "b"
  }`), []string{"google_container_cluster.c node_pool.1.node_config.boot_disk_kms_key FAIL"}},
	})
}

func TestENC007States(t *testing.T) {
	cluster := func(body string) string {
		return `
variable "state" { type = string }
variable "key" { type = string }
variable "encryption" {}
resource "google_container_cluster" "c" {
  ` + body + `
}`
	}
	encryption := func(attrs string) string { return "database_encryption {\n" + attrs + "\n}" }
	const c = "google_container_cluster.c "
	runTF(t, &gcpENC007, []tfCase{
		{"missing", cluster(""), []string{c + "database_encryption FAIL"}},
		{"encrypted with key", cluster(encryption(`state = "ENCRYPTED"
key_name = "k"`)), nil},
		{"encrypted with unknown key", cluster(encryption(`state = "ENCRYPTED"
key_name = var.key`)), nil},
		{"encrypted without key", cluster(encryption(`state = "ENCRYPTED"`)), []string{c + "database_encryption.key_name FAIL"}},
		{"decrypted", cluster(encryption(`state = "DECRYPTED"
key_name = "k"`)), []string{c + "database_encryption.state FAIL"}},
		{"state unknown", cluster(encryption(`state = var.state
key_name = "k"`)), []string{c + "database_encryption.state UNKNOWN"}},
		{"whole block unknown", cluster(`dynamic "database_encryption" {
    for_each = var.encryption
    content {
      state    = "ENCRYPTED"
      key_name = database_encryption.value
    }
  }`), []string{c + "database_encryption.state UNKNOWN"}},
	})
}

// TestENC020NeverEchoes checks that no message carries the key material.
func TestENC020NeverEchoes(t *testing.T) {
	const secret = "SGVsbG8gV29ybGQgZmFrZSBrZXkgMzIgYnl0ZXMhIQ=="
	g := checktest.HCL(t, `
variable "raw_key" { type = string }
resource "google_compute_instance" "vm" {
  boot_disk {
    disk_encryption_key_raw = "`+secret+`"
  }
  attached_disk {
    source = "d1"
  }
  attached_disk {
    source                  = "d2"
    disk_encryption_key_raw = "`+secret+`"
  }
  attached_disk {
    source                  = "d3"
    disk_encryption_key_raw = var.raw_key
  }
}`)
	got := checktest.Lines(checktest.Run(t, &gcpENC020, []*scanner.Graph{g}, secret, "SGVsbG8"), gcpENC020.ID, false)
	want := []string{
		"google_compute_instance.vm attached_disk.1.disk_encryption_key_raw FAIL",
		"google_compute_instance.vm attached_disk.2.disk_encryption_key_raw UNKNOWN",
		"google_compute_instance.vm boot_disk.disk_encryption_key_raw FAIL",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestENC020UnknownBlock: a disk_encryption_key from a dynamic block over an
// unknown collection whose content sets kms_key_self_link from the element
// names no raw key (no GCP-ENC-020 result), and GCP-ENC-004 cannot tell
// whether a key is set: zero copies leave none, and the element may lack it.
func TestENC020UnknownBlock(t *testing.T) {
	g := checktest.HCL(t, `
variable "keys" {}
resource "google_compute_disk" "d" {
  dynamic "disk_encryption_key" {
    for_each = var.keys
    content {
      kms_key_self_link = disk_encryption_key.value
    }
  }
}`)
	if got := checktest.Judge(t, &gcpENC020, g); len(got) != 0 {
		t.Errorf("GCP-ENC-020: got %v, want a PASS", got)
	}
	want := []string{"google_compute_disk.d disk_encryption_key.kms_key_self_link UNKNOWN"}
	if got := checktest.Judge(t, &gcpENC004, g); !slices.Equal(got, want) {
		t.Errorf("GCP-ENC-004: got %v, want %v", got, want)
	}
}

// TestENCObjectValues judges a plan-shaped resource whose nested blocks
// arrive as object attribute values.
func TestENCObjectValues(t *testing.T) {
	g := checktest.Plan(t, `{
 "format_version": "1.2",
 "terraform_version": "1.9.5",
 "planned_values": {"root_module": {"resources": [
  {"address": "google_storage_bucket.a", "mode": "managed", "type": "google_storage_bucket", "name": "a",
   "provider_name": "registry.terraform.io/hashicorp/google", "schema_version": 0,
   "values": {"name": "a", "encryption": [{"default_kms_key_name": "k"}]}},
  {"address": "google_storage_bucket.b", "mode": "managed", "type": "google_storage_bucket", "name": "b",
   "provider_name": "registry.terraform.io/hashicorp/google", "schema_version": 0,
   "values": {"name": "b", "encryption": []}}
 ]}}
}`)
	got := checktest.Lines(checktest.Run(t, &gcpENC001, []*scanner.Graph{g}), gcpENC001.ID, true)
	want := []string{
		"google_storage_bucket.a  PASS",
		"google_storage_bucket.b encryption.default_kms_key_name FAIL",
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestENCTypesMatchCMEKPaths keeps each simple GCP-ENC check's Types and the
// cmekPaths table in step: a type in one and not the other would be silently
// unchecked or never judged.
func TestENCTypesMatchCMEKPaths(t *testing.T) {
	byCheck := map[string][]string{}
	for typ, paths := range cmekPaths {
		for _, p := range paths {
			byCheck[p.Check] = append(byCheck[p.Check], typ)
		}
	}
	for _, c := range enc {
		if c.ID == "GCP-ENC-020" {
			continue
		}
		want := sortedUnique(byCheck[c.ID])
		if diff := cmp.Diff(want, sortedUnique(c.Types)); diff != "" {
			t.Errorf("%s: Types differ from cmekPaths (-cmekPaths +Types):\n%s", c.ID, diff)
		}
	}
}

// TestENC003ExportTableInheritsDatasetKey: in an export, a table with no key
// of its own is judged by the default key of its dataset asset in the same
// export; a table whose dataset is not in the export is UNKNOWN, naming it.
func TestENC003ExportTableInheritsDatasetKey(t *testing.T) {
	const (
		ds  = `{"name":"//bigquery.googleapis.com/projects/acme-data/datasets/%s","assetType":"bigquery.googleapis.com/Dataset","resource":{"version":"v1","discoveryName":"Dataset","data":{"datasetReference":{"projectId":"acme-data","datasetId":"%s"},"location":"US"%s}},"ancestors":["projects/314159265358"]}`
		tbl = `{"name":"//bigquery.googleapis.com/projects/acme-data/datasets/%s/tables/t","assetType":"bigquery.googleapis.com/Table","resource":{"version":"v1","discoveryName":"Table","data":{"tableReference":{"projectId":"acme-data","datasetId":"%s","tableId":"t"}}},"ancestors":["projects/314159265358"]}`
		key = `,"defaultEncryptionConfiguration":{"kmsKeyName":"projects/acme-kms/locations/us/keyRings/data/cryptoKeys/bq"}`
	)
	lines := []string{
		fmt.Sprintf(ds, "keyed", "keyed", key), fmt.Sprintf(tbl, "keyed", "keyed"),
		fmt.Sprintf(ds, "plain", "plain", ""), fmt.Sprintf(tbl, "plain", "plain"),
		fmt.Sprintf(tbl, "absent", "absent"),
	}
	g := checktest.Export(t, strings.Join(lines, "\n")+"\n")
	const bq = "//bigquery.googleapis.com/projects/acme-data/datasets/"
	want := map[string]scanner.Status{
		bq + "keyed":           scanner.StatusPass,
		bq + "keyed/tables/t":  scanner.StatusPass,
		bq + "plain":           scanner.StatusFail,
		bq + "plain/tables/t":  scanner.StatusFail,
		bq + "absent/tables/t": scanner.StatusUnknown,
	}
	if diff := cmp.Diff(want, checktest.Verdicts(t, &gcpENC003, g)); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}
}

// TestENC004ExportNodePoolsOnce: an export lists a cluster's pools in the
// cluster asset (nodePools, and nodeConfig mirroring the first) and as
// NodePool assets. Each pool's disks are judged once: on its NodePool asset
// when there is one, else on the cluster's nodePools entry.
func TestENC004ExportNodePoolsOnce(t *testing.T) {
	const (
		c       = "//container.googleapis.com/projects/acme-apps/locations/us-east1/clusters/gke"
		key     = `"bootDiskKmsKey":"projects/acme-apps/locations/us-east1/keyRings/r/cryptoKeys/k"`
		cluster = `{"name":"` + c + `","assetType":"container.googleapis.com/Cluster","resource":{"version":"v1","discoveryName":"Cluster","data":{"name":"gke","location":"us-east1","nodeConfig":{"machineType":"e2-small"},"nodePools":[{"name":"plain","config":{"machineType":"e2-small"}},{"name":"keyed","config":{` + key + `}},{"name":"unlisted","config":{"machineType":"e2-small"}}]}},"ancestors":["projects/1"]}`
		plain   = `{"name":"` + c + `/nodePools/plain","assetType":"container.googleapis.com/NodePool","resource":{"version":"v1","discoveryName":"NodePool","data":{"name":"plain","config":{"machineType":"e2-small"}}},"ancestors":["projects/1"]}`
		keyed   = `{"name":"` + c + `/nodePools/keyed","assetType":"container.googleapis.com/NodePool","resource":{"version":"v1","discoveryName":"NodePool","data":{"name":"keyed","config":{` + key + `}}},"ancestors":["projects/1"]}`
	)
	g := checktest.Export(t, cluster+"\n"+plain+"\n"+keyed+"\n")
	got := checktest.Judge(t, &gcpENC004, g)
	want := []string{
		// The pool with no NodePool asset of its own is judged on the cluster.
		c + " node_pool.2.node_config.boot_disk_kms_key FAIL",
		c + "/nodePools/plain node_config.boot_disk_kms_key FAIL",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestENC004PlanNodePoolsOnce: a plan (or state) lists every pool of a
// cluster in its node_pool, those managed as google_container_node_pool
// resources included, and node_config mirrors the first pool. The pool is
// judged once, on its own resource.
func TestENC004PlanNodePoolsOnce(t *testing.T) {
	g := checktest.Plan(t, `{
 "format_version": "1.2",
 "terraform_version": "1.9.5",
 "planned_values": {
  "root_module": {
   "resources": [
    {
     "address": "google_container_cluster.app",
     "mode": "managed",
     "type": "google_container_cluster",
     "name": "app",
     "provider_name": "registry.terraform.io/hashicorp/google",
     "values": {
      "name": "app",
      "location": "us-central1",
      "remove_default_node_pool": null,
      "node_config": [{"machine_type": "e2-standard-4", "boot_disk_kms_key": ""}],
      "node_pool": [{"name": "workers", "node_config": [{"machine_type": "e2-standard-4", "boot_disk_kms_key": ""}]}]
     }
    },
    {
     "address": "google_container_node_pool.workers",
     "mode": "managed",
     "type": "google_container_node_pool",
     "name": "workers",
     "provider_name": "registry.terraform.io/hashicorp/google",
     "values": {
      "name": "workers",
      "cluster": "projects/acme/locations/us-central1/clusters/app",
      "location": "us-central1",
      "node_config": [{"machine_type": "e2-standard-4", "boot_disk_kms_key": ""}]
     }
    }
   ]
  }
 }
}`)
	got := checktest.Judge(t, &gcpENC004, g)
	want := []string{"google_container_node_pool.workers node_config.boot_disk_kms_key FAIL"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
