package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpKMS003 = scanner.Check{
	ID:       "GCP-KMS-003",
	Title:    "Key or key ring open to the public",
	Severity: scanner.Critical,
	CWE:      732,
	ASVS:     []string{"6.4.1"},
	Measures: []scanner.Measure{scanner.M4},
	Types: []string{
		"google_kms_crypto_key_iam_binding", "google_kms_crypto_key_iam_member", "google_kms_crypto_key_iam_policy",
		"google_kms_key_ring_iam_binding", "google_kms_key_ring_iam_member", "google_kms_key_ring_iam_policy",
	},
	Why: `A role on a key or key ring granted to allUsers or allAuthenticatedUsers lets anyone on the ` +
		`internet (or anyone with any Google account) use or manage the keys that protect ` +
		`restricted-scope data: decrypt what they encrypt, or disable and destroy them. Whoever holds ` +
		`the encrypted data then needs nothing else; CMEK gives no protection with a public key.`,
	Remediation: `Remove allUsers and allAuthenticatedUsers from the IAM member, binding or policy (and ` +
		`from the data.google_iam_policy it is built from). Grant key roles only to the service agents ` +
		`and named service accounts that need them.`,
	Fix: fixKey + `
resource "google_kms_crypto_key_iam_member" "storage_agent" {
  crypto_key_id = google_kms_crypto_key.data.id
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:service-123456789012@gs-project-accounts.iam.gserviceaccount.com"
}
`,
	Test: func(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		v, members, path := publicMembers(g, r)
		switch v {
		case judge.Fail:
			return []scanner.Problem{scanner.Fail(path,
				"grants %s to %s: anyone can use the Cloud KMS key%s", roleOf(r), strings.Join(members, " and "), ringNote(r))}
		case judge.Unknown:
			if why := policyNotJSON(r, path); why != "" {
				return []scanner.Problem{scanner.Unknown(path, "%s; a public grant cannot be ruled out", why)}
			}
			return []scanner.Problem{scanner.Unknown(path, "members are not known before apply, so a public grant cannot be ruled out")}
		}
		return nil
	},
}

// roleOf names the role an IAM member or binding grants, or "a role" for a
// policy, whose roles are many.
func roleOf(r *scanner.Resource) string {
	if s := r.Slot("role"); s.Attr != nil {
		return s.Show()
	}
	return "a role"
}

func ringNote(r *scanner.Resource) string {
	if strings.HasPrefix(r.Type, "google_kms_key_ring_") {
		return "s of the key ring"
	}
	return ""
}
