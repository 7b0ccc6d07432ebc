package gcp

import "testing"

// TestNameRefs: a field naming another resource is read by
// scanner.ParseName in every spelling. Shapes that changed when the
// mapping's own readers went: a name of another service, a name with an
// empty segment and text before projects/ name no key (they named one
// before); a project-less compute path with no project known names nothing.
func TestNameRefs(t *testing.T) {
	const key = "projects/p/locations/us/keyRings/r/cryptoKeys/k"
	withProject := &mapper{project: "acme"}
	for _, tc := range []struct {
		name string
		ref  func(*mapper, string) string
		m    *mapper
		in   string
		want string
	}{
		{"kms relative", kmsRef, nil, key, "//cloudkms.googleapis.com/" + key},
		{"kms full name", kmsRef, nil, "//cloudkms.googleapis.com/" + key, "//cloudkms.googleapis.com/" + key},
		{"kms URL version", kmsRef, nil, "https://cloudkms.googleapis.com/v1/" + key + "/cryptoKeyVersions/3", "//cloudkms.googleapis.com/" + key},
		{"kms ring", kmsRef, nil, "projects/p/locations/us/keyRings/r", "//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r"},
		{"kms spaces", kmsRef, nil, " " + key + " ", "//cloudkms.googleapis.com/" + key},
		{"kms another service", kmsRef, nil, "//pubsub.googleapis.com/" + key, ""},
		{"kms empty segment", kmsRef, nil, "projects/p/locations/us/keyRings//cryptoKeys/k", ""},
		{"kms text before projects", kmsRef, nil, "key:" + key, ""},
		{"kms no ring", kmsRef, nil, "projects/p/topics/t", ""},
		{"compute self link", computeRef, nil, "https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/x", "//compute.googleapis.com/projects/p/global/sslPolicies/x"},
		{"compute full name", computeRef, nil, "//compute.googleapis.com/projects/p/zones/z/disks/d", "//compute.googleapis.com/projects/p/zones/z/disks/d"},
		{"compute relative", computeRef, nil, "projects/p/regions/r/urlMaps/u", "//compute.googleapis.com/projects/p/regions/r/urlMaps/u"},
		{"compute project-less", computeRef, withProject, "global/sslPolicies/x", "//compute.googleapis.com/projects/acme/global/sslPolicies/x"},
		{"compute project-less, no project", computeRef, &mapper{}, "zones/z/instances/vm", ""},
		{"compute not a name", computeRef, withProject, "default", ""},
		{"pubsub relative", serviceRef("pubsub.googleapis.com"), nil, "projects/p/topics/t", "//pubsub.googleapis.com/projects/p/topics/t"},
		{"pubsub URL", serviceRef("pubsub.googleapis.com"), nil, "https://pubsub.googleapis.com/v1/projects/p/topics/t", "//pubsub.googleapis.com/projects/p/topics/t"},
		{"pubsub full name", serviceRef("pubsub.googleapis.com"), nil, "//pubsub.googleapis.com/projects/p/topics/t", "//pubsub.googleapis.com/projects/p/topics/t"},
		{"pubsub bare", serviceRef("pubsub.googleapis.com"), nil, "t", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ref(tc.m, tc.in); got != tc.want {
				t.Errorf("ref(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
