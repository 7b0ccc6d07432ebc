package checks

import "github.com/casascan/casascan/scanner"

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
		soft, known := keyIsSoftware(r)
		a := r.Slot(path).Attr
		switch {
		case !known:
			return []scanner.Problem{scanner.Unknown(path, "%s is not known before apply", path)}
		case soft && a.Null():
			return []scanner.Problem{scanner.Fail(path,
				"%s is not set, so the key's versions default to SOFTWARE: key material is not held in an HSM", path)}
		case soft:
			return []scanner.Problem{scanner.Fail(path,
				"%s is %s: key material is not held in an HSM", path, scanner.Display(a))}
		}
		return nil
	},
}
