package checks

import (
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func TestENC004GKE(t *testing.T) {
	nodeKey := hbBody("boot_disk_kms_key", str("k"))
	for _, tc := range []struct {
		name string
		body *scanner.Body
		want []string
	}{
		{"default pool without key", hbBody(), []string{"FAIL c node_config.boot_disk_kms_key"}},
		{"default pool with key", hbBody("node_config", nodeKey), nil},
		{"default pool removed", hbBody("remove_default_node_pool", cty.True), nil},
		{"removal not known", hbBody("remove_default_node_pool", cty.UnknownVal(cty.Bool)), []string{"UNKNOWN c remove_default_node_pool"}},
		{"autopilot without key", hbBody("enable_autopilot", cty.True),
			[]string{"FAIL c cluster_autoscaling.auto_provisioning_defaults.boot_disk_kms_key"}},
		{"autopilot with key", hbBody("enable_autopilot", cty.True,
			"cluster_autoscaling", hbBody("auto_provisioning_defaults", nodeKey)), nil},
		{"autopilot not known", hbBody("enable_autopilot", cty.UnknownVal(cty.Bool)), []string{"UNKNOWN c enable_autopilot"}},
		{"inline pools", hbBody("node_config", nodeKey, "node_pool", []*scanner.Body{
			hbBody("node_config", nodeKey), hbBody("name", str("b")),
		}), []string{"FAIL c node_pool.1.node_config.boot_disk_kms_key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := hbRes("google_container_cluster.c", tc.body)
			got := hbJudge(&gcpENC004, hbGraph(r))
			for i := range got {
				got[i] = strings.Replace(got[i], "google_container_cluster.c", "c", 1)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestENC007States(t *testing.T) {
	for _, tc := range []struct {
		name string
		body *scanner.Body
		want []string
	}{
		{"missing", hbBody(), []string{"FAIL database_encryption"}},
		{"encrypted with key", hbBody("database_encryption", hbBody("state", str("ENCRYPTED"), "key_name", str("k"))), nil},
		{"encrypted with unknown key", hbBody("database_encryption", hbBody("state", str("ENCRYPTED"), "key_name", unknown)), nil},
		{"encrypted without key", hbBody("database_encryption", hbBody("state", str("ENCRYPTED"))), []string{"FAIL database_encryption.key_name"}},
		{"decrypted", hbBody("database_encryption", hbBody("state", str("DECRYPTED"), "key_name", str("k"))), []string{"FAIL database_encryption.state"}},
		{"state unknown", hbBody("database_encryption", hbBody("state", unknown, "key_name", str("k"))), []string{"UNKNOWN database_encryption.state"}},
		{"whole block unknown", hbBody("database_encryption", cty.UnknownVal(cty.DynamicPseudoType)), []string{"UNKNOWN database_encryption"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range testENC007(nil, hbRes("google_container_cluster.c", tc.body)) {
				s := "FAIL "
				if p.Unknown {
					s = "UNKNOWN "
				}
				got = append(got, s+p.Path)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestENC020NeverEchoes checks that no message carries the key material.
func TestENC020NeverEchoes(t *testing.T) {
	const secret = "SGVsbG8gV29ybGQgZmFrZSBrZXkgMzIgYnl0ZXMhIQ=="
	r := hbRes("google_compute_instance.vm", hbBody(
		"boot_disk", hbBody("disk_encryption_key_raw", str(secret)),
		"attached_disk", []*scanner.Body{
			hbBody("source", str("d1")),
			hbBody("source", str("d2"), "disk_encryption_key_raw", str(secret)),
			hbBody("source", str("d3"), "disk_encryption_key_raw", unknown),
		}))
	ps := testENC020(nil, r)
	var got []string
	for _, p := range ps {
		if strings.Contains(p.Message, secret) || strings.Contains(p.Message, "SGVsbG8") {
			t.Errorf("message echoes the key: %s", p.Message)
		}
		got = append(got, p.Path+" "+map[bool]string{true: "UNKNOWN", false: "FAIL"}[p.Unknown])
	}
	want := []string{
		"boot_disk.disk_encryption_key_raw FAIL",
		"attached_disk.1.disk_encryption_key_raw FAIL",
		"attached_disk.2.disk_encryption_key_raw UNKNOWN",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestENC020UnknownBlock: a whole disk_encryption_key not known before apply
// (a dynamic block over an unknown collection) more likely names a KMS key;
// it is neither a failure nor noise.
func TestENC020UnknownBlock(t *testing.T) {
	r := hbRes("google_compute_disk.d", hbBody("disk_encryption_key", cty.UnknownVal(cty.DynamicPseudoType)))
	if ps := testENC020(nil, r); len(ps) != 0 {
		t.Errorf("got %+v, want nothing", ps)
	}
	if ps := gcpENC004.Test(nil, r); len(ps) != 0 {
		t.Errorf("GCP-ENC-004: got %+v, want nothing: an unknown key counts as set", ps)
	}
}

// TestENCObjectValues judges a plan- or live-shaped resource whose nested
// blocks arrive as object attribute values.
func TestENCObjectValues(t *testing.T) {
	withKey := hbRes("google_storage_bucket.a", hbBody("encryption", cty.ListVal([]cty.Value{
		cty.ObjectVal(map[string]cty.Value{"default_kms_key_name": str("k")}),
	})))
	without := hbRes("google_storage_bucket.b", hbBody("encryption", cty.ListValEmpty(cty.Object(map[string]cty.Type{"default_kms_key_name": cty.String}))))
	got := hbJudge(&gcpENC001, hbGraph(withKey, without))
	want := []string{"FAIL google_storage_bucket.b encryption.default_kms_key_name"}
	if diff := cmp.Diff(want, got); diff != "" {
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
