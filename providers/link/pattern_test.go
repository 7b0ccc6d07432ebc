package link

import (
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// resource builds a declared resource with string attributes; "?" makes
// an unknown value.
func resource(typ string, attrs map[string]string) *scanner.Resource {
	body := scanner.NewBody()
	for k, v := range attrs {
		val := cty.StringVal(v)
		if v == "?" {
			val = cty.UnknownVal(cty.String)
		}
		body.Attrs[k] = &scanner.Attr{Name: k, Value: val}
	}
	return &scanner.Resource{Address: typ + ".x", Type: typ, Name: "x", Body: body, Source: scanner.SourceTerraform}
}

func TestDeclaredPattern(t *testing.T) {
	tests := []struct {
		name  string
		r     *scanner.Resource
		want  string // "" when no pattern
		exact bool
	}{
		{"bucket", resource("google_storage_bucket", map[string]string{"name": "acme-mail"}),
			"//storage.googleapis.com/acme-mail", true},
		{"bucket with an unknown name", resource("google_storage_bucket", map[string]string{"name": "?"}), "", false},
		{"key ring without project", resource("google_kms_key_ring", map[string]string{"name": "r", "location": "us"}),
			"//cloudkms.googleapis.com/projects/*/locations/us/keyRings/r", false},
		{"key ring from its state id", resource("google_kms_key_ring", map[string]string{
			"id": "projects/p/locations/us/keyRings/r", "name": "r", "location": "us"}),
			"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r", true},
		{"key with a literal key ring", resource("google_kms_crypto_key", map[string]string{
			"name": "k", "key_ring": "projects/p/locations/eu/keyRings/r"}),
			"//cloudkms.googleapis.com/projects/p/locations/eu/keyRings/r/cryptoKeys/k", true},
		{"an id of another shape falls back to attributes", resource("google_sql_database_instance", map[string]string{
			"id": "acme-db", "name": "acme-db", "project": "p"}),
			"//cloudsql.googleapis.com/projects/p/instances/acme-db", true},
		{"project given as projects/p", resource("google_pubsub_topic", map[string]string{"name": "t", "project": "projects/p"}),
			"//pubsub.googleapis.com/projects/p/topics/t", true},
		{"compute self link", resource("google_compute_instance", map[string]string{
			"name": "vm", "self_link": "https://www.googleapis.com/compute/v1/projects/p/zones/us-east1-b/instances/vm"}),
			"//compute.googleapis.com/projects/p/zones/us-east1-b/instances/vm", true},
		{"compute zone as a URL, no project", resource("google_compute_disk", map[string]string{
			"name": "d", "zone": "https://www.googleapis.com/compute/v1/projects/p/zones/us-east1-b"}),
			"//compute.googleapis.com/projects/*/zones/us-east1-b/disks/d", false},
		{"regional ssl policy", resource("google_compute_region_ssl_policy", map[string]string{"name": "s", "region": "?", "project": "p"}),
			"//compute.googleapis.com/projects/p/regions/*/sslPolicies/s", false},
		// Changed shape (scanner.ParseName): an id spelled as a full
		// resource name fits exactly; the old copy took only relative names.
		{"key ring from a full-name id", resource("google_kms_key_ring", map[string]string{
			"id": "//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r", "name": "r", "location": "us"}),
			"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r", true},
		{"an id of another service falls back to attributes", resource("google_pubsub_topic", map[string]string{
			"id": "//storage.googleapis.com/projects/p/topics/t", "name": "t"}),
			"//pubsub.googleapis.com/projects/*/topics/t", false},
		// Changed shape: a key ring that is not a resource name gives no
		// part of the key's name (the old copy split any string on '/').
		{"key with a key ring that is no name", resource("google_kms_crypto_key", map[string]string{
			"name": "k", "key_ring": "x/locations/eu/keyRings/r"}),
			"//cloudkms.googleapis.com/projects/*/locations/*/keyRings/*/cryptoKeys/k", false},
		{"type link does not know", resource("google_dns_managed_zone", map[string]string{"name": "z"}), "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := declaredPattern(decl{r: tc.r, g: &scanner.Graph{}})
			if tc.want == "" {
				if ok {
					t.Fatalf("got pattern %s, want none", p)
				}
				return
			}
			if !ok || p.String() != tc.want {
				t.Fatalf("pattern = %s (%v), want %s", p, ok, tc.want)
			}
			if _, wild := p.Match(p); (wild == 0) != tc.exact {
				t.Errorf("exact = %v, want %v", wild == 0, tc.exact)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name    string
		live    *scanner.Resource
		decl    *scanner.Resource
		ok      bool
		wild    int
		comment string
	}{
		{name: "exact", ok: true,
			live: &scanner.Resource{Address: "//pubsub.googleapis.com/projects/p/topics/t", Project: "p"},
			decl: resource("google_pubsub_topic", map[string]string{"name": "t", "project": "p"})},
		{name: "another project", ok: false,
			live: &scanner.Resource{Address: "//pubsub.googleapis.com/projects/q/topics/t", Project: "q"},
			decl: resource("google_pubsub_topic", map[string]string{"name": "t", "project": "p"})},
		{name: "project number resolved to the ID", ok: true,
			live: &scanner.Resource{Address: "//secretmanager.googleapis.com/projects/123/secrets/s", Project: "p"},
			decl: resource("google_secret_manager_secret", map[string]string{"secret_id": "s", "project": "p"})},
		{name: "unresolved project number is taken on trust", ok: true, wild: 1,
			live: &scanner.Resource{Address: "//secretmanager.googleapis.com/projects/123/secrets/s", Project: "123"},
			decl: resource("google_secret_manager_secret", map[string]string{"secret_id": "s", "project": "p"})},
		// Changed shape (scanner.Name.Match): a declared project number
		// against a live project ID is taken on trust, as a live number
		// against a declared ID always was; the old copy refused it.
		{name: "declared project number is taken on trust", ok: true, wild: 1,
			live: &scanner.Resource{Address: "//secretmanager.googleapis.com/projects/p/secrets/s", Project: "p"},
			decl: resource("google_secret_manager_secret", map[string]string{"secret_id": "s", "project": "123"})},
		{name: "zonal GKE cluster", ok: true,
			live: &scanner.Resource{Address: "//container.googleapis.com/projects/p/zones/us-east1-b/clusters/c", Project: "p"},
			decl: resource("google_container_cluster", map[string]string{"name": "c", "location": "us-east1-b", "project": "p"})},
		{name: "another location", ok: false,
			live: &scanner.Resource{Address: "//cloudkms.googleapis.com/projects/p/locations/eu/keyRings/r", Project: "p"},
			decl: resource("google_kms_key_ring", map[string]string{"name": "r", "location": "us"})},
		{name: "another service", ok: false,
			live: &scanner.Resource{Address: "//storage.googleapis.com/t", Project: "p"},
			decl: resource("google_pubsub_topic", map[string]string{"name": "t", "project": "p"})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ln, ok := liveName(tc.live)
			if !ok {
				t.Fatalf("liveName(%s) failed", tc.live.Address)
			}
			p, ok := declaredPattern(decl{r: tc.decl, g: &scanner.Graph{}})
			if !ok {
				t.Fatalf("no pattern for %s", tc.decl.Type)
			}
			got, wild := ln.Match(p)
			if got != tc.ok || (got && wild != tc.wild) {
				t.Errorf("match(%s, %s) = %v, %d; want %v, %d", tc.live.Address, p, got, wild, tc.ok, tc.wild)
			}
		})
	}
}

// TestLiveNameWithEmptySegment: a live address with an empty segment is no
// resource name (changed shape: the old copy split it and could match the
// empty segment against a declared wildcard).
func TestLiveNameWithEmptySegment(t *testing.T) {
	for _, addr := range []string{"//pubsub.googleapis.com/projects//topics/t", "//pubsub.googleapis.com/", "google_pubsub_topic.t"} {
		if n, ok := liveName(&scanner.Resource{Address: addr}); ok {
			t.Errorf("liveName(%q) = %v, want none", addr, n)
		}
	}
}
