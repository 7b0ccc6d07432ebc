package scanner

import "testing"

// TestShowDeployedDefault: a slot left to its default says "(the provider
// default)" on a Terraform resource and names the API's default on an
// exported or live one, whose record simply lacks the field.
func TestShowDeployedDefault(t *testing.T) {
	for _, tc := range []struct {
		src  Source
		want string
	}{
		{SourceTerraform, "TLS_1_0 (the provider default)"},
		{SourcePlan, "TLS_1_0 (the provider default)"},
		{SourceExport, "TLS_1_0 (absent from the record: the API's default)"},
		{SourceLive, "TLS_1_0 (absent from the record: the API's default)"},
	} {
		r := &Resource{Address: "p", Type: "google_compute_ssl_policy", Body: NewBody(), Source: tc.src}
		s := r.Slot("min_tls_version")
		if got := s.Show(); got != tc.want {
			t.Errorf("%s: Show = %q, want %q", tc.src, got, tc.want)
		}
		if s.Default == nil || s.Default.Deployed != (tc.src == SourceExport || tc.src == SourceLive) {
			t.Errorf("%s: default %+v", tc.src, s.Default)
		}
		if d, _ := DefaultOf("google_compute_ssl_policy", "min_tls_version"); d.Deployed {
			t.Error("the defaults table itself was changed")
		}
	}
}
