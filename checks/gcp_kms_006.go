package checks

import (
	"sort"
	"strings"

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
			if p, ok := softwareKeyProblem(g, s.Path, s.Attr); ok {
				out = append(out, p)
			}
		}
		return out
	},
}

// softwareKeyProblem judges the keys a CMEK attribute may resolve to. A
// value that can be one of several keys (coalesce, a condition not known
// before apply) fails only when every one of them is a software key; when
// some are and some are not, or a protection level is unknown, the verdict
// is unknown.
func softwareKeyProblem(g *scanner.Graph, path string, a *scanner.Attr) (scanner.Problem, bool) {
	var soft, hsm, unknown []*scanner.Resource
	for _, key := range g.FollowAttr(a, "google_kms_crypto_key") {
		if key.Mode != scanner.Managed {
			continue
		}
		switch isSoft, known := keyIsSoftware(key); {
		case !known:
			unknown = append(unknown, key)
		case isSoft:
			soft = append(soft, key)
		default:
			hsm = append(hsm, key)
		}
	}
	var p scanner.Problem
	switch {
	case len(soft) == 0 && len(unknown) == 0:
		return p, false
	case len(soft) > 0 && len(hsm) == 0 && len(unknown) == 0:
		p = scanner.Fail(path, "%s is key %s, a SOFTWARE key: the data is not protected by an HSM-backed key", path, addresses(soft))
	case len(unknown) > 0 && len(soft) == 0:
		p = scanner.Unknown(path, "the protection level of key %s is not known before apply", addresses(unknown))
	default:
		p = scanner.Unknown(path, "%s may be key %s (SOFTWARE) or another key, depending on values not known before apply", path, addresses(soft))
	}
	p.Related = append(append(soft, unknown...), hsm...)
	return p, true
}

func addresses(rs []*scanner.Resource) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Address
	}
	return strings.Join(names, " or ")
}

// cmekTypes lists the types cmekPaths knows, sorted.
func cmekTypes() []string {
	out := mapKeys(cmekPaths)
	sort.Strings(out)
	return out
}
