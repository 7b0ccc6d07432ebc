package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpKMS001 = scanner.Check{
	ID:       "GCP-KMS-001",
	Title:    "Key not backed by an HSM",
	Severity: scanner.High,
	CWE:      320,
	ASVS:     []string{"6.4.2"},
	CASA:     []string{"4.1.3"},
	Measures: []scanner.Measure{scanner.M4},
	Types:    []string{"google_kms_crypto_key"},
	Why: `The policy asks that keys protecting restricted-scope data be managed "in an HSM or ` +
		`equivalent". A Cloud KMS key with protection level SOFTWARE (the default when ` +
		`version_template.protection_level is left out) keeps its material in software; an HSM key ` +
		`never leaves FIPS 140-2 Level 3 hardware, and an external key stays in your own key manager. ` +
		`An assessor reads the protection level as the evidence.`,
	Remediation: `Set version_template.protection_level = "HSM" (or HSM_SINGLE_TENANT, EXTERNAL, ` +
		`EXTERNAL_VPC). The protection level of existing versions cannot change: create a new HSM key, ` +
		`point the data stores at it, re-encrypt their data, then disable the software key.`,
	Fix: fixKey,
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		const path = "version_template.protection_level"
		s := r.Slot(path)
		switch keyIsHSM(r) {
		case judge.Pass:
			return nil
		case judge.Unknown:
			if s.Known() && s.MaybeMissing {
				return []scanner.Problem{scanner.Unknown(path, "version_template comes from a dynamic block whose for_each is not known before apply, so the key may have the default protection level SOFTWARE")}
			}
			return []scanner.Problem{scanner.Unknown(path, "%s is not known before apply", path)}
		}
		if s.Defaulted() {
			return []scanner.Problem{scanner.Fail(path,
				"%s is not set, so the key's versions default to SOFTWARE: key material is not held in an HSM", path)}
		}
		return []scanner.Problem{scanner.Fail(path,
			"%s is %s, not one of %s: key material is not held in an HSM or an external key manager", path, s.Show(), strings.Join(hsmLevels, ", "))}
	},
}
