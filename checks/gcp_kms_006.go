package checks

import (
	"sort"

	"github.com/casascan/casascan/scanner"
)

var gcpKMS006 = scanner.Check{
	ID:       "GCP-KMS-006",
	Title:    "Data store protected by a software key",
	Severity: scanner.Medium,
	CWE:      320,
	ASVS:     []string{"6.4.2"},
	Measures: []scanner.Measure{scanner.M4},
	Types:    cmekTypes(),
	Why: `Setting a customer-managed key on a data store is only as strong as the key: when the key is ` +
		`a SOFTWARE key, the restricted-scope data in the bucket, database or disk is not protected by ` +
		`"an HSM or equivalent" as the policy asks, even though GCP-ENC-* passes. This check follows ` +
		`each data store's key reference to the key itself, across modules, so the finding lands on ` +
		`the data store whose protection is weaker than it looks.`,
	Remediation: `Point the data store at an HSM-backed key (version_template.protection_level = "HSM" ` +
		`or an external key), then re-encrypt or rewrite its data under the new key. See GCP-KMS-001 ` +
		`for the key itself.`,
	Fix: fixKey + `
resource "google_storage_bucket" "mail_exports" {
  name                        = "acme-mail-exports"
  location                    = "US-CENTRAL1"
  uniform_bucket_level_access = true

  encryption {
    default_kms_key_name = google_kms_crypto_key.data.id
  }
}
`,
	Test: func(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		var out []scanner.Problem
		for _, s := range cmekSlots(r) {
			if s.Attr == nil {
				continue
			}
			for _, key := range g.FollowAttr(s.Attr, "google_kms_crypto_key") {
				if key.Mode != scanner.Managed {
					continue
				}
				var p scanner.Problem
				switch soft, known := keyIsSoftware(key); {
				case !known:
					p = scanner.Unknown(s.Path, "the protection level of key %s is not known before apply", key.Address)
				case soft:
					p = scanner.Fail(s.Path, "%s is key %s, a SOFTWARE key: the data is not protected by an HSM-backed key", s.Path, key.Address)
				default:
					continue
				}
				p.Related = []*scanner.Resource{key}
				out = append(out, p)
			}
		}
		return out
	},
}

// cmekTypes lists the types cmekPaths knows, sorted.
func cmekTypes() []string {
	out := mapKeys(cmekPaths)
	sort.Strings(out)
	return out
}
