package checks

import (
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
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
			if elsewhere, _ := gkePoolElsewhere(g, r, s.Path); elsewhere {
				continue // the node pool's disks are judged where the pool is
			}
			if p, ok := keyNotScanned(g, r, s.Path, s.Attr); ok {
				out = append(out, p)
				continue
			}
			if p, ok := softwareKeyProblem(g, s.Path, s.Attr); ok {
				out = append(out, p)
			}
		}
		// A flex template job may name its key as a template parameter
		// (GCP-ENC-017).
		if r.Type == "google_dataflow_flex_template_job" {
			if s := r.Slot(flexKMSParam); s.Attr != nil && !s.Whole {
				if p, ok := keyNotScanned(g, r, s.Path, s.Attr); ok {
					out = append(out, p)
				} else if p, ok := softwareKeyProblem(g, s.Path, s.Attr); ok {
					out = append(out, p)
				}
			}
		}
		return out
	},
}

// softwareKeyProblem judges the keys a CMEK attribute may resolve to: the
// value is one of its candidate keys (one exactly, or one of several:
// coalesce, an index not known before apply, a condition not known), so
// "is an HSM key" is judged with Candidates.OneOf: FAIL when every
// candidate is a software key, PASS when none is, UNKNOWN otherwise, and
// UNKNOWN when the value may also be a key that is no candidate (an open
// set: coalesce(var.unset, google_kms_crypto_key.k.id)). A key read from a
// data source whose record does not carry its protection level is an
// outcome whose verdict is not known (keyLevelCarried).
func softwareKeyProblem(g *scanner.Graph, path string, a *scanner.Attr) (scanner.Problem, bool) {
	var keys, soft, unknown, outside []*scanner.Resource
	cands := g.Candidates(a, "google_kms_crypto_key")
	keys = cands.Resources
	v := cands.OneOf(func(key *scanner.Resource) judge.Verdict {
		if !keyLevelCarried(key) {
			outside = append(outside, key) // a data source's key: one outcome not known
			return judge.Unknown
		}
		hsm := keyIsHSM(key)
		switch hsm {
		case judge.Fail:
			soft = append(soft, key)
		case judge.Unknown:
			unknown = append(unknown, key)
		}
		return hsm
	})
	var p scanner.Problem
	switch {
	case len(keys) == 0 || v == judge.Pass:
		return p, false
	case v == judge.Fail && cands.Exact():
		p = scanner.Fail(path, "%s is key %s, a SOFTWARE key: the data is not protected by an HSM-backed key", path, addresses(soft))
	case v == judge.Fail:
		p = scanner.Fail(path, "%s is one of %s, all SOFTWARE: the data is not protected by an HSM-backed key", path, g.CandidateNames(resourceAddrs(soft)))
	case cands.Open && len(soft) == len(keys):
		p = scanner.Unknown(path, "%s may be key %s (SOFTWARE) or a key named by a value not known before apply", path, g.CandidateNames(resourceAddrs(soft)))
	case cands.Open && len(unknown) == 0:
		p = scanner.Unknown(path, "%s may be key %s (HSM-backed) or a key named by a value not known before apply", path, g.CandidateNames(resourceAddrs(keys)))
	case len(outside) > 0 && len(soft) > 0:
		p = scanner.Unknown(path, "%s may be key %s (SOFTWARE) or key %s, read from a data source, whose protection level is not known",
			path, g.CandidateNames(resourceAddrs(soft)), g.CandidateNames(resourceAddrs(outside)))
	case len(outside) > 0 && len(unknown) == 0:
		p = scanner.Unknown(path, "%s may be key %s, read from a data source, whose protection level is not known", path, g.CandidateNames(resourceAddrs(outside)))
	case len(soft) == 0:
		p = scanner.Unknown(path, "the protection level of key %s is not known before apply", addresses(unknown))
	default:
		p = scanner.Unknown(path, "%s may be key %s (SOFTWARE) or another key, depending on values not known before apply", path, addresses(soft))
	}
	p.Related = keys
	return p, true
}

// keyNotScanned judges a data store whose key the scan did not read, for
// every source alike: a key named by a literal ID that no key in the graph
// has (a central KMS project is common), a key read from a data source
// whose record does not carry its protection level, a key of an exported
// or live record in a project outside what was scanned, or a key name the
// record does not carry. Its protection level is not known, so the result
// is UNKNOWN, naming the key, never a PASS. A key the graph holds, and a
// value not known before apply, are left to softwareKeyProblem.
func keyNotScanned(g *scanner.Graph, r *scanner.Resource, path string, a *scanner.Attr) (scanner.Problem, bool) {
	if a.NotCarried != "" {
		return scanner.Unknown(path, "which key %s names is not known: %s", path, a.NotCarried), true
	}
	notScanned := func(key string) (scanner.Problem, bool) {
		return scanner.Unknown(path, "%s is key %s, which is not in what was scanned (scan its project too), so its protection level is not known",
			path, key), true
	}
	if r.Source == scanner.SourceExport || r.Source == scanner.SourceLive {
		if len(a.Refs) == 0 || len(g.FollowAttr(a, "google_kms_crypto_key")) > 0 {
			return scanner.Problem{}, false
		}
		return notScanned(strings.Join(a.Refs, " or "))
	}
	keys := g.FollowAttr(a, "google_kms_crypto_key")
	if len(keys) == 0 {
		// A key named by its ID that refers to no resource: the sources
		// link an ID to a key they hold (a plan's value edges resolve
		// every spelling through scanner.Names), so this one is not in
		// what was scanned.
		id, ok := a.Str()
		if !ok || id == "" || len(a.Refs) > 0 || !strings.Contains(id, "cryptoKeys/") {
			return scanner.Problem{}, false
		}
		return notScanned(id)
	}
	if a.RefsOpen {
		return scanner.Problem{}, false
	}
	var data []*scanner.Resource
	for _, key := range keys {
		if keyLevelCarried(key) {
			return scanner.Problem{}, false
		}
		data = append(data, key)
	}
	p := scanner.Unknown(path, "%s is key %s, read from a data source: the key is not in what was scanned, so its protection level is not known",
		path, g.CandidateNames(resourceAddrs(data)))
	p.Related = data
	return p, true
}

// keyLevelCarried reports whether the graph tells a key's protection
// level: a key the configuration or a record declares does (the provider
// default stands in when it is not written); a key read from a data source
// only when its record carries version_template (a plan or state that read
// it).
func keyLevelCarried(key *scanner.Resource) bool {
	if key.Mode == scanner.Managed {
		return true
	}
	s := key.Slot("version_template.protection_level")
	return s.Block != nil && !s.Attr.Null()
}

func addresses(rs []*scanner.Resource) string {
	return strings.Join(resourceAddrs(rs), " or ")
}

func resourceAddrs(rs []*scanner.Resource) []string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Address
	}
	return names
}

// cmekTypes lists the types cmekPaths knows, sorted.
func cmekTypes() []string {
	out := mapKeys(cmekPaths)
	sort.Strings(out)
	return out
}
