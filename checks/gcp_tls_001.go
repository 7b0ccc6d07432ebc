package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
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
// Otherwise the policy needs TLS_1_2 and a profile without weak suites:
//
//	min = TLS_1_3  or  profile = RESTRICTED  or  (min = TLS_1_2  and  profile strong)
//
// judged with Kleene logic over the provider defaults, so a value not
// known before apply fails only when every value it may take fails.
func testSSLPolicy(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	minTLS, profile := r.Slot("min_tls_version"), r.Slot("profile")
	strong, weak, weakPath, unknownFeatures := sslProfileStrength(r, profile)
	v := judge.Or(
		minTLS.StrIn("TLS_1_3"),
		profile.StrIn("RESTRICTED"),
		minTLS.StrIn("TLS_1_2", "TLS_1_3").And(strong),
	)
	switch v {
	case judge.Pass:
		return nil
	case judge.Fail:
		var reasons []string
		path := ""
		if minTLS.StrIn("TLS_1_2", "TLS_1_3") == judge.Fail {
			path = "min_tls_version"
			reasons = append(reasons, "has min_tls_version "+minTLS.Show())
		}
		if weak != "" {
			reasons = append(reasons, weak)
			if path == "" {
				path = weakPath
			}
		}
		return []scanner.Problem{scanner.Fail(path, "SSL policy %s", strings.Join(reasons, " and "))}
	}
	var unknown []string
	for _, s := range []scanner.Slot{minTLS, profile} {
		if !s.Known() {
			unknown = append(unknown, s.Path)
		}
	}
	if unknownFeatures {
		unknown = append(unknown, "custom_features")
	}
	path := ""
	if len(unknown) > 0 {
		path = unknown[0]
	}
	return []scanner.Problem{scanner.Unknown(path, "SSL policy strength depends on %s, which is not known before apply", strings.Join(unknown, " and "))}
}

// sslProfileStrength judges whether the profile enables no weak suite:
// COMPATIBLE (the default) enables weak suites; CUSTOM must list none of
// them; MODERN and RESTRICTED are strong. weak and weakPath say what is weak
// when it is.
func sslProfileStrength(r *scanner.Resource, profile scanner.Slot) (strong judge.Verdict, weak, weakPath string, unknownFeatures bool) {
	if profile.StrIn("COMPATIBLE") == judge.Pass {
		return judge.Fail, "uses profile " + profile.Show() + ", which enables RSA key exchange, 3DES and CBC-SHA suites", "profile", false
	}
	custom := profile.StrIn("CUSTOM")
	if custom == judge.Fail {
		return judge.Pass, "", "", false
	}
	features, allKnown := stringList(r.Get("custom_features"))
	var found []string
	for _, f := range features {
		if weakCipherFeature(f) {
			found = append(found, f)
		}
	}
	noWeak := judge.Of(len(found) == 0, len(found) > 0 || allKnown)
	// Not CUSTOM (known or not) is strong unless COMPATIBLE, which is
	// ruled out above only when the profile is known.
	notCompatible := profile.StrIn("COMPATIBLE").Not()
	strong = custom.Not().And(notCompatible).Or(custom.And(noWeak))
	if len(found) > 0 && custom == judge.Pass {
		weak, weakPath = "enables weak suites "+strings.Join(found, ", ")+" in its CUSTOM profile", "custom_features"
	}
	return strong, weak, weakPath, custom != judge.Fail && !allKnown && len(found) == 0
}

// weakCipherFeature reports whether an SSL policy feature is RSA key
// exchange (no forward secrecy), 3DES, or a CBC suite with SHA-1 MAC.
func weakCipherFeature(f string) bool {
	f = strings.ToUpper(strings.TrimSpace(f))
	return strings.HasPrefix(f, "TLS_RSA_") || strings.Contains(f, "3DES") || strings.HasSuffix(f, "_CBC_SHA")
}
