package custom

import (
	"strings"
	"testing"
)

// TestPartlyUnknownCollections: a list or map with a part not known before
// apply compared, or searched with in, is UNKNOWN when the unknown part
// decides, whichever side of == it is on.
func TestPartlyUnknownCollections(t *testing.T) {
	hcl := `
variable "u" { type = string }
resource "google_storage_bucket" "b" {
  name = "n"
  location = "EU"
  labels = { env = var.u }
  cors { origin = [var.u, "https://b"] }
}
`
	for _, tc := range []struct{ expr, status string }{
		{`"https://a" in resource.cors.origin`, "UNKNOWN"},
		{`"https://b" in resource.cors.origin`, "FAIL"},
		{`resource.cors.origin == ["https://a", "https://b"]`, "UNKNOWN"},
		{`["https://a", "https://b"] == resource.cors.origin`, "UNKNOWN"},
		{`resource.cors.origin == ["https://a", "https://c"]`, "PASS"},
		{`resource.labels == {"env": "prod"}`, "UNKNOWN"},
		{`{"env": "prod"} == resource.labels`, "UNKNOWN"},
		{`{"env": "prod"} != resource.labels`, "UNKNOWN"},
		{`resource.labels == {"env": "prod", "x": "y"}`, "PASS"},
		{`resource.cors.origin != ["https://a", "https://b"]`, "UNKNOWN"},
		{`resource.cors.origin.exists(o, o == "https://a")`, "UNKNOWN"},
		{`["https://a", "https://b"] in [resource.cors.origin]`, "UNKNOWN"},
		{`{"env": "prod", "x": "y"} == resource.labels`, "PASS"},
	} {
		got := verdicts(t, compile(t, "google_storage_bucket", tc.expr), hcl)
		if v := got["google_storage_bucket.b"]; !strings.HasPrefix(v, tc.status) {
			t.Errorf("%s: got %q, want %s", tc.expr, v, tc.status)
		}
	}
}
