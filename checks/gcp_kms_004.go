package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
)

var gcpKMS004 = scanner.Check{
	ID:       "GCP-KMS-004",
	Title:    "Key can be destroyed by Terraform",
	Severity: scanner.Low,
	CWE:      320,
	ASVS:     []string{"1.6.1"},
	Measures: []scanner.Measure{scanner.M4},
	Types:    []string{"google_kms_crypto_key"},
	// prevent_destroy exists only in configuration: live and exported keys
	// are not judged at all.
	Sources: []scanner.Source{scanner.SourceTerraform, scanner.SourcePlan},
	Why: `Destroying a key makes everything it encrypts unreadable: every bucket, database, disk and ` +
		`backup of restricted-scope data under it. A refactor that renames the resource, a terraform ` +
		`destroy in the wrong workspace or a removed module schedules the key's versions for ` +
		`destruction. lifecycle { prevent_destroy = true } makes Terraform refuse such a plan. (When a ` +
		`user asks for deletion, destroy their data, or a per-user key, on purpose rather than by ` +
		`accident.)`,
	Remediation: `Add lifecycle { prevent_destroy = true } to every google_kms_crypto_key. Keep ` +
		`destroy_scheduled_duration at its default of 30 days or longer so an accidental destruction ` +
		`can still be cancelled.`,
	Fix: fixKey,
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		const path = "lifecycle.prevent_destroy"
		if r.Source == scanner.SourcePlan && !strings.HasSuffix(r.DefRange.Filename, ".tf") && len(r.Body.BlocksNamed("lifecycle")) == 0 {
			// A plan keeps lifecycle settings only when its key was matched
			// to the Terraform source beside it.
			return []scanner.Problem{scanner.Unknown(path, "prevent_destroy is a setting of the Terraform configuration, which is not beside this plan")}
		}
		a := r.Slot(path).Attr
		v, ok := a.Bool()
		switch {
		case a.Null():
			return []scanner.Problem{scanner.Fail(path,
				"no lifecycle { prevent_destroy = true }: a plan that destroys the key makes all data encrypted with it unreadable")}
		case !ok:
			return []scanner.Problem{scanner.Unknown(path, "prevent_destroy is not known before apply")}
		case !v:
			return []scanner.Problem{scanner.Fail(path,
				"prevent_destroy is false: a plan that destroys the key makes all data encrypted with it unreadable")}
		}
		return nil
	},
}
