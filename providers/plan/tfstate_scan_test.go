package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestScanRawState: a raw terraform.tfstate is judged as its terraform show
// -json state would be, and its sensitive values never reach a message.
func TestScanRawState(t *testing.T) {
	res := scan(t, "tfstate", "terraform.tfstate")
	for _, tc := range []struct {
		check string
		want  []string
	}{
		{"GCP-ENC-001", []string{
			`FAIL google_storage_bucket.data["drive"] @terraform.tfstate:1`,
			`FAIL google_storage_bucket.logs @terraform.tfstate:1`,
			`PASS google_storage_bucket.data["mail"] @terraform.tfstate:1`,
		}},
		{"GCP-ACC-001", []string{"FAIL module.archive[0].google_storage_bucket_iam_member.reader @terraform.tfstate:1"}},
	} {
		if diff := cmp.Diff(tc.want, outcomes(res, tc.check)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.check, diff)
		}
	}
	for _, f := range res.List() {
		for _, secret := range []string{"tfstate-hunter2", "tfstate-env-secret"} {
			if strings.Contains(f.Message, secret) || strings.Contains(f.Reason, secret) ||
				f.Provenance != nil && strings.Contains(f.Provenance.Value, secret) {
				t.Errorf("%s %s shows a secret of the state: %s", f.CheckID, f.Resource, f.Message)
			}
		}
	}
}
