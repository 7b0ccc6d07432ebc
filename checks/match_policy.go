package checks

import "github.com/casascan/casascan/scanner"

// policyNotJSON says, for an IAM policy resource whose policy_data is known
// but not a JSON policy document, why its members cannot be read; "" when
// that is not why they are unknown. Such a value is no "known after apply":
// it never will be a policy.
func policyNotJSON(r *scanner.Resource, path string) string {
	if path != "policy_data" {
		return ""
	}
	s := r.Slot(path)
	if s.Attr.Null() || !s.Known() {
		return ""
	}
	if _, ok := policyDoc(s); ok {
		return ""
	}
	return "policy_data is not a valid JSON policy document, so the members it grants roles to cannot be read"
}
