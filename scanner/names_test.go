package scanner

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

func TestParseName(t *testing.T) {
	tests := []struct {
		in   string
		want string // Name.String(); "" when not a name
		own  string
	}{
		{"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k",
			"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k", "k"},
		{"projects/p/locations/us/keyRings/r/cryptoKeys/k", "projects/p/locations/us/keyRings/r/cryptoKeys/k", "k"},
		{"//storage.googleapis.com/acme-mail", "//storage.googleapis.com/acme-mail", "acme-mail"},
		{"https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/x",
			"//compute.googleapis.com/projects/p/global/sslPolicies/x", "x"},
		{"https://compute.googleapis.com/compute/v1/projects/p/zones/z/instances/vm",
			"//compute.googleapis.com/projects/p/zones/z/instances/vm", "vm"},
		{"global/sslPolicies/x", "//compute.googleapis.com/projects/*/global/sslPolicies/x", "x"},
		{"zones/us-east1-b/disks/d", "//compute.googleapis.com/projects/*/zones/us-east1-b/disks/d", "d"},
		{"//container.googleapis.com/projects/p/zones/z/clusters/c", "//container.googleapis.com/projects/p/locations/z/clusters/c", "c"},
		{"acme-mail", "", ""},
		{"", "", ""},
		{"//", "", ""},
		{"//cloudkms.googleapis.com/", "", ""},
		{"https://example.com/x", "", ""},
		{"https://www.googleapis.com/sql/v1beta4/projects/p/instances/db", "//sql.googleapis.com/projects/p/instances/db", "db"},
		// An empty segment is no name (it would read as a wildcard).
		{"projects//locations/us", "", ""},
		{"//storage.googleapis.com/b/", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			n, ok := ParseName(tc.in)
			if ok != (tc.want != "") {
				t.Fatalf("ParseName ok = %v (%v), want %v", ok, n, tc.want != "")
			}
			if !ok {
				return
			}
			if got := n.String(); got != tc.want {
				t.Errorf("String = %q, want %q", got, tc.want)
			}
			if n.Own() != tc.own {
				t.Errorf("Own = %q, want %q", n.Own(), tc.own)
			}
		})
	}
	if n, _ := ParseNameIn("//pubsub.googleapis.com/projects/123/topics/t", "acme"); n.String() != "//pubsub.googleapis.com/projects/acme/topics/t" {
		t.Errorf("ParseNameIn with an ID = %v", n)
	}
	if n, _ := ParseNameIn("//pubsub.googleapis.com/projects/123/topics/t", "456"); n.String() != "//pubsub.googleapis.com/projects/123/topics/t" {
		t.Errorf("ParseNameIn with a number = %v", n)
	}
	n, _ := ParseName("projects/p/locations/us/keyRings/r")
	if n.After("locations") != "us" || n.After("keyRings") != "r" || n.After("cryptoKeys") != "" {
		t.Errorf("After: %q %q %q", n.After("locations"), n.After("keyRings"), n.After("cryptoKeys"))
	}
}

func TestNameMatch(t *testing.T) {
	tests := []struct {
		name, pattern string
		ok            bool
		wild          int
	}{
		{"//pubsub.googleapis.com/projects/p/topics/t", "//pubsub.googleapis.com/projects/p/topics/t", true, 0},
		{"//pubsub.googleapis.com/projects/p/topics/t", "projects/p/topics/t", true, 0},
		{"//pubsub.googleapis.com/projects/p/topics/t", "//pubsub.googleapis.com/projects/q/topics/t", false, 0},
		{"//pubsub.googleapis.com/projects/p/topics/t", "//run.googleapis.com/projects/p/topics/t", false, 0},
		{"//pubsub.googleapis.com/projects/p/topics/t", "//pubsub.googleapis.com/projects/p/topics", false, 0},
		{"//pubsub.googleapis.com/projects/123/topics/t", "projects/p/topics/t", true, 1},
		{"//pubsub.googleapis.com/projects/p/topics/t", "projects/123/topics/t", true, 1},
		{"//compute.googleapis.com/projects/p/global/sslPolicies/x", "global/sslPolicies/x", true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name+" ~ "+tc.pattern, func(t *testing.T) {
			n, ok1 := ParseName(tc.name)
			p, ok2 := ParseName(tc.pattern)
			if !ok1 || !ok2 {
				t.Fatal("not names")
			}
			ok, wild := n.Match(p)
			if ok != tc.ok || wild != tc.wild {
				t.Errorf("Match = %v, %d; want %v, %d", ok, wild, tc.ok, tc.wild)
			}
		})
	}
}

// TestNamesResolve: a name in any spelling resolves to the live resource
// whose address it is, or to the declared resource whose known id or self
// link it is; the tightest fit wins; a project-less name fits every project
// (one of several); a name of nothing in the graph resolves to none.
func TestNamesResolve(t *testing.T) {
	g := &Graph{}
	add := func(addr, typ string, attrs map[string]string) {
		b := NewBody()
		for k, v := range attrs {
			b.Attrs[k] = &Attr{Name: k, Value: cty.StringVal(v)}
		}
		g.Resources = append(g.Resources, &Resource{Address: addr, Type: typ, Body: b})
	}
	add("//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k", "google_kms_crypto_key", nil)
	add("//cloudkms.googleapis.com/projects/123/locations/us/keyRings/r/cryptoKeys/k2", "google_kms_crypto_key", nil)
	add("google_kms_crypto_key.declared", "google_kms_crypto_key", map[string]string{"id": "projects/p/locations/us/keyRings/r/cryptoKeys/d"})
	add("google_compute_ssl_policy.a", "google_compute_ssl_policy", map[string]string{
		"self_link": "https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/x"})
	add("google_compute_ssl_policy.b", "google_compute_ssl_policy", map[string]string{
		"self_link": "https://www.googleapis.com/compute/v1/projects/q/global/sslPolicies/x"})
	add("google_storage_bucket.nobody", "google_storage_bucket", map[string]string{"name": "projects/p/locations/us/keyRings/r/cryptoKeys/k"})
	g.Resources = append(g.Resources, &Resource{Address: "google_storage_bucket.nil_body", Type: "google_storage_bucket"})
	g.Index()
	ns := NewNames(g.Resources)
	tests := []struct {
		name  string
		want  []string
		exact bool
	}{
		{"projects/p/locations/us/keyRings/r/cryptoKeys/k",
			[]string{"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k"}, true},
		{"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k",
			[]string{"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k"}, true},
		{"https://cloudkms.googleapis.com/v1/projects/p/locations/us/keyRings/r/cryptoKeys/d",
			[]string{"google_kms_crypto_key.declared"}, true},
		{"projects/acme/locations/us/keyRings/r/cryptoKeys/k2",
			[]string{"//cloudkms.googleapis.com/projects/123/locations/us/keyRings/r/cryptoKeys/k2"}, false},
		{"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/d", []string{"google_kms_crypto_key.declared"}, true},
		{"projects/p/global/sslPolicies/x", []string{"google_compute_ssl_policy.a"}, true},
		{"global/sslPolicies/x", []string{"google_compute_ssl_policy.a", "google_compute_ssl_policy.b"}, false},
		{"projects/p/locations/us/keyRings/r/cryptoKeys/none", nil, false},
		{"not a name", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ns.Resolve(tc.name)
			if diff := cmp.Diff(tc.want, got.Addrs); diff != "" {
				t.Errorf("candidates (-want +got):\n%s", diff)
			}
			if got.Exact != tc.exact {
				t.Errorf("exact = %v, want %v", got.Exact, tc.exact)
			}
		})
	}
}
