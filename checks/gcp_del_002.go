package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
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
	versioned := r.Slot(path).BoolIs(true)
	if versioned == judge.Fail {
		return nil
	}
	rules := r.Body.Reach("lifecycle_rule.*")
	cleaned := judge.Any(rules.Blocks, func(rule scanner.BlockSlot) judge.Verdict {
		if rule.Body == nil {
			return judge.Fail
		}
		v := deletesNoncurrent(rule.Body)
		if rule.Unexpanded {
			// The copies of a dynamic block whose for_each is not known:
			// there may be none, so a rule that deletes is not sure to be.
			v = v.And(judge.Unknown)
		}
		return v
	})
	if rules.WholePath != "" {
		cleaned = cleaned.Or(judge.Unknown)
	}
	switch versioned.And(cleaned.Not()) {
	case judge.Fail:
		return nil
	case judge.Unknown:
		return []scanner.Problem{scanner.Unknown(path, "whether noncurrent versions are ever deleted depends on values not known before apply")}
	}
	return []scanner.Problem{scanner.Fail(path, "versioning is on but no lifecycle rule deletes noncurrent versions, so deleted objects are kept forever")}
}

// deletesNoncurrent judges whether a lifecycle rule deletes noncurrent
// versions. A zero days_since_noncurrent_time counts only with
// send_days_since_noncurrent_time_if_zero, and a zero num_newer_versions not
// at all: the provider does not send them otherwise.
func deletesNoncurrent(rule *scanner.Body) judge.Verdict {
	slot := func(path string) scanner.Slot { return rule.Lookup(path).Slots[0] }
	return slot("action.type").StrIn("Delete").And(targetsNoncurrent(slot))
}

func targetsNoncurrent(slot func(string) scanner.Slot) judge.Verdict {
	sendZero := slot("condition.send_days_since_noncurrent_time_if_zero").BoolIs(true)
	days := intVerdict(slot("condition.days_since_noncurrent_time").Attr, -1, func(n int64) judge.Verdict {
		if n == 0 {
			return sendZero // 0 counts only when send_..._if_zero is true
		}
		return judge.Bool(n >= 1)
	})
	newer := intVerdict(slot("condition.num_newer_versions").Attr, 0, func(n int64) judge.Verdict { return judge.Bool(n > 0) })
	before := slot("condition.noncurrent_time_before").StrIs(func(s string) bool { return s != "" })
	archived := slot("condition.with_state").StrIn("ARCHIVED")
	return judge.Or(days, newer, before, archived)
}

// intVerdict judges a whole-number attribute (def when absent) with f;
// Unknown when its value is not known or not a number.
func intVerdict(a *scanner.Attr, def int64, f func(int64) judge.Verdict) judge.Verdict {
	n, known := intOrDefault(a, def)
	if !known {
		return judge.Unknown
	}
	return f(n)
}
