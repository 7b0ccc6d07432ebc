package checks

import (
	"strconv"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpKMS002 = scanner.Check{
	ID:       "GCP-KMS-002",
	Title:    "Key not rotated within 90 days",
	Severity: scanner.Medium,
	CWE:      320,
	ASVS:     []string{"1.6.3"},
	CASA:     []string{"4.1.3"},
	Measures: []scanner.Measure{scanner.M4},
	Types:    []string{"google_kms_crypto_key"},
	Why: `A symmetric key that is never rotated encrypts ever more restricted-scope data under one ` +
		`version, so a single compromised version exposes all of it, and key management "equivalent to ` +
		`an HSM" includes a defined key lifetime. Cloud KMS rotates ENCRYPT_DECRYPT keys automatically ` +
		`when rotation_period is set; without it the key is never rotated. Asymmetric and MAC keys ` +
		`cannot rotate automatically and are exempt.`,
	Remediation: `Set rotation_period to "7776000s" (90 days) or less on every key with purpose ` +
		`ENCRYPT_DECRYPT (the default purpose). New data is then encrypted with the new version; old ` +
		`versions stay available to decrypt.`,
	Fix:  fixKey,
	Test: testKMS002,
}

// maxRotation is 90 days in seconds.
const maxRotation = 90 * 24 * 60 * 60

func testKMS002(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	switch r.Slot("purpose").StrIs(func(p string) bool { return p == "ENCRYPT_DECRYPT" }) {
	case judge.Unknown:
		return []scanner.Problem{scanner.Unknown("purpose", "purpose is not known before apply, so whether the key must rotate cannot be decided")}
	case judge.Fail:
		return nil // asymmetric, MAC and raw keys cannot rotate automatically
	}
	rp := r.Slot("rotation_period").Attr
	if !rp.Set() {
		return []scanner.Problem{scanner.Fail("rotation_period",
			"rotation_period is not set: the ENCRYPT_DECRYPT key is never rotated automatically")}
	}
	s, ok := rp.Str()
	if !rp.Known() || !ok {
		return []scanner.Problem{scanner.Unknown("rotation_period", "rotation_period is not known before apply")}
	}
	secs, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "s"), 64)
	if err != nil || !strings.HasSuffix(s, "s") {
		return []scanner.Problem{scanner.Unknown("rotation_period", "rotation_period %s is not a duration in seconds like \"7776000s\"", scanner.Display(rp))}
	}
	if secs > maxRotation {
		return []scanner.Problem{scanner.Fail("rotation_period",
			"rotation_period is %s (%.0f days), longer than 90 days (7776000s)", scanner.Display(rp), secs/86400)}
	}
	return nil
}
