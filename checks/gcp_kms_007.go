package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpKMS007 = scanner.Check{
	ID:       "GCP-KMS-007",
	Title:    "Weak key algorithm",
	Severity: scanner.Medium,
	CWE:      327,
	ASVS:     []string{"6.2.2"},
	CASA:     []string{"4.1.4"},
	Measures: []scanner.Measure{scanner.M4},
	Types:    []string{"google_kms_crypto_key"},
	Why: `SHA-1 is broken for collision resistance and deprecated for signatures and OAEP; raw PKCS#1 ` +
		`signing (RSA_SIGN_RAW_PKCS1_*) signs whatever digest the caller supplies, without binding the ` +
		`hash algorithm. Keys with these algorithms give weaker protection to the tokens and data they ` +
		`sign or wrap than an industry-accepted standard requires.`,
	Remediation: `Use a SHA-256 or stronger variant (RSA_DECRYPT_OAEP_3072_SHA256, ` +
		`RSA_SIGN_PSS_3072_SHA256, EC_SIGN_P256_SHA256, HMAC_SHA256) or the default ` +
		`GOOGLE_SYMMETRIC_ENCRYPTION. The algorithm of existing versions cannot change: create a new ` +
		`key and move its users to it.`,
	Fix: fixKey + `
resource "google_kms_crypto_key" "token_signing" {
  name     = "token-signing"
  key_ring = google_kms_key_ring.data.id
  purpose  = "ASYMMETRIC_SIGN"

  version_template {
    algorithm        = "EC_SIGN_P256_SHA256"
    protection_level = "HSM"
  }

  lifecycle {
    prevent_destroy = true
  }
}
`,
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		const path = "version_template.algorithm"
		s := r.Slot(path)
		// An absent algorithm is GOOGLE_SYMMETRIC_ENCRYPTION (AES-256-GCM).
		switch s.StrIs(func(alg string) bool { return weakAlgorithm(alg) == "" }) {
		case judge.Unknown:
			if why, ok := blockMayNotExist(s); ok {
				return []scanner.Problem{scanner.Unknown(path, "%s is %s, but %s", path, scanner.Display(s.Attr), why)}
			}
			return []scanner.Problem{scanner.Unknown(path, "%s is not known before apply", path)}
		case judge.Fail:
			alg, _ := s.Attr.Str()
			return []scanner.Problem{scanner.Fail(path, "%s is %s, %s", path, scanner.Display(s.Attr), weakAlgorithm(alg))}
		}
		return nil
	},
}

// weakAlgorithm says why a key algorithm is weak, or "".
func weakAlgorithm(alg string) string {
	switch {
	case strings.HasSuffix(alg, "_SHA1"):
		return "which uses SHA-1"
	case strings.Contains(alg, "RAW_PKCS1"):
		return "a raw PKCS#1 signing scheme that does not bind the digest algorithm"
	}
	return ""
}
