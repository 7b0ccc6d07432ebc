package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
)

var gcpDEL002 = &scanner.Check{
	ID:       "GCP-DEL-002",
	Title:    "Deleted objects are kept forever",
	Severity: scanner.Low,
	CWE:      212,
	ASVS:     []string{"8.3.2"},
	Measures: []scanner.Measure{scanner.M6},
	Types:    []string{"google_storage_bucket"},
	Why: "With object versioning on, deleting an object only makes it noncurrent: the " +
		"data stays in the bucket, readable and billed, until a lifecycle rule removes " +
		"it. Without a rule that deletes noncurrent versions, a user's deletion request " +
		"is never really honoured; every file ever written about them remains.",
	Remediation: "Add a lifecycle_rule with action { type = \"Delete\" } and a condition " +
		"on noncurrent versions: days_since_noncurrent_time, num_newer_versions, " +
		"noncurrent_time_before, or with_state = \"ARCHIVED\". Or turn versioning off.",
	Fix: `resource "google_storage_bucket" "mail" {
  name                        = "acme-mail-exports"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }
  lifecycle_rule {
    action {
      type = "Delete"
    }
    condition {
      days_since_noncurrent_time = 30
    }
  }
}`,
	Test: testNoncurrentCleanup,
}

func testNoncurrentCleanup(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	const path = "versioning.enabled"
	on, known := boolOrDefault(getAttr(r.Body, path), false)
	if known && !on {
		return nil
	}
	rules, unknownRules := blocksAt(r.Body, "lifecycle_rule.*")
	unknown := !known || unknownRules != ""
	for _, rule := range rules {
		yes, maybe := deletesNoncurrent(rule.Body)
		if yes {
			return nil
		}
		unknown = unknown || maybe
	}
	if unknown {
		return []scanner.Problem{scanner.Unknown(path, "whether noncurrent versions are ever deleted depends on values not known before apply")}
	}
	return []scanner.Problem{scanner.Fail(path, "versioning is on but no lifecycle rule deletes noncurrent versions, so deleted objects are kept forever")}
}

// deletesNoncurrent reports whether a lifecycle rule certainly deletes
// noncurrent versions (yes), or might, depending on unknown values (maybe).
// A zero days_since_noncurrent_time counts only with
// send_days_since_noncurrent_time_if_zero, and a zero num_newer_versions not
// at all: the provider does not send them otherwise.
func deletesNoncurrent(rule *scanner.Body) (yes, maybe bool) {
	action, known := strOrDefault(getAttr(rule, "action.type"), "")
	if !known {
		maybe = true
	} else if !strings.EqualFold(action, "Delete") {
		return false, false
	}
	targets, unsure := targetsNoncurrent(rule)
	if !known {
		return false, targets || unsure
	}
	return targets, unsure
}

func targetsNoncurrent(rule *scanner.Body) (yes, maybe bool) {
	sendZero, zeroKnown := boolOrDefault(getAttr(rule, "condition.send_days_since_noncurrent_time_if_zero"), false)
	minDays := int64(1)
	if sendZero {
		minDays = 0
	}
	for _, attr := range []string{"days_since_noncurrent_time", "num_newer_versions", "noncurrent_time_before", "with_state"} {
		a := getAttr(rule, "condition."+attr)
		var ok, known bool
		switch attr {
		case "days_since_noncurrent_time":
			n, k := intOrDefault(a, -1)
			ok, known = n >= minDays, k
			if n == 0 && !zeroKnown {
				known = false // 0 counts only when send_..._if_zero is true, which is not known
			}
		case "num_newer_versions":
			n, k := intOrDefault(a, 0)
			ok, known = n > 0, k
		case "noncurrent_time_before":
			s, k := strOrDefault(a, "")
			ok, known = s != "", k
		default:
			s, k := strOrDefault(a, "")
			ok, known = strings.EqualFold(s, "ARCHIVED"), k
		}
		if ok && known {
			return true, false
		}
		maybe = maybe || !known
	}
	return false, maybe
}
