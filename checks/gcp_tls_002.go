package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpTLS002 = &scanner.Check{
	ID:       "GCP-TLS-002",
	Title:    "HTTPS or SSL proxy without an SSL policy",
	Severity: scanner.High,
	CWE:      326,
	ASVS:     []string{"9.1.3"},
	CASA:     []string{"4.1.1"},
	Measures: []scanner.Measure{scanner.M2},
	Types: []string{
		"google_compute_target_https_proxy",
		"google_compute_region_target_https_proxy",
		"google_compute_target_ssl_proxy",
	},
	Why: "A target HTTPS or SSL proxy with no ssl_policy uses Google's default policy, " +
		"which accepts TLS 1.0 and the COMPATIBLE cipher list. Every request that carries " +
		"a user's Workspace data or an OAuth token through that load balancer can then be " +
		"negotiated down to a deprecated protocol, so the transport requirement is not met " +
		"however carefully the backends are built.",
	Remediation: "Attach an SSL policy with min_tls_version TLS_1_2 or TLS_1_3 and profile " +
		"MODERN or RESTRICTED to every HTTPS and SSL proxy (GCP-TLS-001 judges the policy itself).",
	Fix: `resource "google_compute_ssl_policy" "modern" {
  name            = "modern-tls"
  min_tls_version = "TLS_1_2"
  profile         = "RESTRICTED"
}

resource "google_compute_managed_ssl_certificate" "web" {
  name = "web"
  managed {
    domains = ["mail.example.com"]
  }
}

resource "google_compute_backend_service" "web" {
  name     = "web"
  protocol = "HTTPS"
}

resource "google_compute_url_map" "web" {
  name            = "web"
  default_service = google_compute_backend_service.web.id
}

resource "google_compute_target_https_proxy" "web" {
  name             = "web"
  url_map          = google_compute_url_map.web.id
  ssl_certificates = [google_compute_managed_ssl_certificate.web.id]
  ssl_policy       = google_compute_ssl_policy.modern.id
}`,
	Test: testProxySSLPolicy,
}

// testProxySSLPolicy only asks that a policy is attached: a weak policy is
// GCP-TLS-001's finding on the policy itself, so it is never reported twice.
// An unknown reference counts as attached, unless it may be null (one
// branch of a condition not known is null); a record that does not carry
// the field (a search-all-resources result) cannot tell.
func testProxySSLPolicy(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	s := r.Slot("ssl_policy")
	switch s.Required((*scanner.Attr).Set) {
	case judge.Pass:
		return nil
	case judge.Unknown:
		why := s.NotCarried
		if why == "" {
			why = s.MaybeNull()
		}
		return []scanner.Problem{scanner.Unknown("ssl_policy", "whether an SSL policy is attached is not known: %s", why)}
	}
	return []scanner.Problem{scanner.Fail("ssl_policy",
		"has no ssl_policy, so the load balancer accepts TLS 1.0 with the default COMPATIBLE ciphers")}
}
