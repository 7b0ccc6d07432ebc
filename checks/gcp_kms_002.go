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
		`cannot rotate automatically and are exempt, and so are EXTERNAL and EXTERNAL_VPC keys, whose ` +
		`material is rotated in the external key manager (Cloud KMS cannot rotate it).`,
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
	p, ok := rotationProblem(r)
	if !ok {
		return nil
	}
	// EXTERNAL and EXTERNAL_VPC keys are rotated in the external key
	// manager: Cloud KMS cannot rotate them, so rotation_period is moot.
	switch keyIsExternal(r) {
	case judge.Pass:
		return nil
	case judge.Unknown:
		if !p.Unknown {
			const level = "version_template.protection_level"
			return []scanner.Problem{scanner.Unknown(level, "%s; but %s is not known before apply, and an EXTERNAL or EXTERNAL_VPC key is exempt", p.Message, level)}
		}
	}
	return []scanner.Problem{p}
}

// rotationProblem judges rotation_period of an ENCRYPT_DECRYPT key: ok is
// false when it rotates within 90 days.
func rotationProblem(r *scanner.Resource) (p scanner.Problem, ok bool) {
	rp := r.Slot("rotation_period").Attr
	if !rp.Set() {
		return scanner.Fail("rotation_period",
			"rotation_period is not set: the ENCRYPT_DECRYPT key is never rotated automatically"), true
	}
	s, isStr := rp.Str()
	if !rp.Known() || !isStr {
		return scanner.Unknown("rotation_period", "rotation_period is not known before apply"), true
	}
	secs, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "s"), 64)
	if err != nil || !strings.HasSuffix(s, "s") {
		return scanner.Unknown("rotation_period", "rotation_period %s is not a duration in seconds like \"7776000s\"", scanner.Display(rp)), true
	}
	if secs > maxRotation {
		return scanner.Fail("rotation_period",
			"rotation_period is %s (%.0f days), longer than 90 days (7776000s)", scanner.Display(rp), secs/86400), true
	}
	return scanner.Problem{}, false
}
