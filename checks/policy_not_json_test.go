package checks

import (
	"strings"
	"testing"

	"github.com/casascan/casascan/checks/checktest"
	"github.com/casascan/casascan/scanner"
)

// TestPolicyDataNotJSON: a policy_data that is known but not a JSON policy
// document is UNKNOWN saying so, not "not known before apply", for
// GCP-KMS-003 and for the checks judging grants through publicGrant.
func TestPolicyDataNotJSON(t *testing.T) {
	const broken = `"{\"bindings\": [{\"role\": \"roles/viewer\", \"members\": [\"allUsers\"]"`
	for _, tc := range []struct {
		check *scanner.Check
		src   string
	}{
		{&gcpKMS003, `resource "google_kms_crypto_key_iam_policy" "k" {
  crypto_key_id = "projects/p/locations/us/keyRings/r/cryptoKeys/k"
  policy_data   = ` + broken + `
}`},
		{gcpACC001, `resource "google_storage_bucket_iam_policy" "b" {
  bucket      = "acme-mail"
  policy_data = ` + broken + `
}`},
	} {
		res := checktest.Run(t, tc.check, []*scanner.Graph{checktest.HCL(t, tc.src)})
		unknown := res.WithStatus(scanner.StatusUnknown)
		if len(unknown) != 1 {
			t.Fatalf("%s: %v, want one UNKNOWN", tc.check.ID, checktest.Lines(res, tc.check.ID, true))
		}
		if r := unknown[0].Reason; !strings.Contains(r, "policy_data is not valid JSON") || strings.Contains(r, "before apply") {
			t.Errorf("%s: reason %q, want it to say policy_data is not JSON", tc.check.ID, r)
		}
	}
}
