package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
)

var gcpTLS001 = &scanner.Check{
	ID:       "GCP-TLS-001",
	Title:    "SSL policy allows old TLS or weak ciphers",
	Severity: scanner.High,
	CWE:      326,
	ASVS:     []string{"9.1.2", "9.1.3"},
	CASA:     []string{"4.1.1"},
	Measures: []scanner.Measure{scanner.M2},
	Types:    []string{"google_compute_ssl_policy", "google_compute_region_ssl_policy"},
	Why: "An SSL policy decides which TLS versions and cipher suites a load balancer " +
		"accepts from clients. Left at its defaults (min_tls_version TLS_1_0, profile " +
		"COMPATIBLE) it accepts TLS 1.0 and 1.1, RSA key exchange without forward secrecy " +
		"and CBC-SHA1 suites. Users' Gmail, Drive or Chat data and the OAuth tokens that " +
		"unlock them then cross the internet on protocols that are deprecated (RFC 8996) " +
		"and open to downgrade and padding-oracle attacks, which fails the Workspace " +
		"requirement that data be transmitted with secure modern protocols.",
	Remediation: "Set min_tls_version to TLS_1_2 (or TLS_1_3) and profile to MODERN or " +
		"RESTRICTED. With a CUSTOM profile, list only ECDHE suites with AES-GCM or " +
		"ChaCha20-Poly1305: no TLS_RSA_* (RSA key exchange), 3DES or *_CBC_SHA suites.",
	Fix: `resource "google_compute_ssl_policy" "modern" {
  name            = "modern-tls"
  min_tls_version = "TLS_1_2"
  profile         = "RESTRICTED"
}`,
	Test: testSSLPolicy,
}

// testSSLPolicy reports one problem per policy, naming every weakness, so a
// policy with nothing set is one finding at its header. min_tls_version
// TLS_1_3 passes whatever the profile (only TLS 1.3 suites can be
// negotiated), and so does profile RESTRICTED: its suites exist only in TLS
// 1.2 and later, so it requires TLS 1.2 whatever min_tls_version says.
func testSSLPolicy(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	minTLS, minKnown := strOrDefault(r.Get("min_tls_version"), "TLS_1_0")
	profile, profileKnown := strOrDefault(r.Get("profile"), "COMPATIBLE")
	if (minKnown && minTLS == "TLS_1_3") || (profileKnown && strings.EqualFold(profile, "RESTRICTED")) {
		return nil
	}
	var reasons []string
	path, unknown := "", ""
	switch {
	case !minKnown:
		unknown = "min_tls_version"
	case minTLS != "TLS_1_2":
		path = "min_tls_version"
		reasons = append(reasons, "has min_tls_version "+shown(r.Get("min_tls_version"), "TLS_1_0"))
	}
	weak, weakPath, weakUnknown := sslProfileWeakness(r)
	if weak != "" {
		reasons = append(reasons, weak)
		if path == "" {
			path = weakPath
		}
	} else if weakUnknown != "" && unknown == "" {
		unknown = weakUnknown
	}
	if len(reasons) > 0 && profileKnown {
		return []scanner.Problem{scanner.Fail(path, "SSL policy %s", strings.Join(reasons, " and "))}
	}
	if unknown != "" || len(reasons) > 0 {
		if !profileKnown {
			unknown = "profile"
		}
		return []scanner.Problem{scanner.Unknown(unknown, "SSL policy strength depends on %s, which is not known before apply", unknown)}
	}
	return nil
}

// sslProfileWeakness judges the profile: COMPATIBLE (the default) enables
// weak suites; CUSTOM must list none of them. It returns the reason and the
// path of a weakness, or the path of the unknown value that blocks a verdict.
func sslProfileWeakness(r *scanner.Resource) (reason, path, unknown string) {
	profile, known := strOrDefault(r.Get("profile"), "COMPATIBLE")
	switch {
	case !known:
		return "", "", "profile"
	case strings.EqualFold(profile, "COMPATIBLE"):
		return "uses profile " + shown(r.Get("profile"), "COMPATIBLE") + ", which enables RSA key exchange, 3DES and CBC-SHA suites", "profile", ""
	case !strings.EqualFold(profile, "CUSTOM"):
		return "", "", ""
	}
	features, allKnown := stringList(r.Get("custom_features"))
	var weak []string
	for _, f := range features {
		if weakCipherFeature(f) {
			weak = append(weak, f)
		}
	}
	if len(weak) > 0 {
		return "enables weak suites " + strings.Join(weak, ", ") + " in its CUSTOM profile", "custom_features", ""
	}
	if !allKnown {
		return "", "", "custom_features"
	}
	return "", "", ""
}

// weakCipherFeature reports whether an SSL policy feature is RSA key
// exchange (no forward secrecy), 3DES, or a CBC suite with SHA-1 MAC.
func weakCipherFeature(f string) bool {
	f = strings.ToUpper(strings.TrimSpace(f))
	return strings.HasPrefix(f, "TLS_RSA_") || strings.Contains(f, "3DES") || strings.HasSuffix(f, "_CBC_SHA")
}
