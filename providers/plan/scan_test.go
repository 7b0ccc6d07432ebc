package plan_test

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/providers/plan/plansource"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

const fixtures = "../../fixtures/plan"

// scan loads a fixture (with its Terraform source where there is one) and
// runs every check on it, as casascan scan FILE does.
func scan(t *testing.T, name, file string) *scanner.Result {
	t.Helper()
	dir := filepath.Join(fixtures, name)
	g, err := plansource.Load(context.Background(), filepath.Join(dir, file), plansource.Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	return scanner.Run(checks.All(), []*scanner.Graph{g}, scanner.Options{})
}

// outcomes lists "STATUS ADDRESS @FILE:LINE" for one check.
func outcomes(res *scanner.Result, id string) []string {
	var out []string
	for _, f := range res.List() {
		if f.CheckID == id {
			out = append(out, string(f.Status)+" "+f.Resource+" @"+f.Location.String())
		}
	}
	sort.Strings(out)
	return out
}

func TestScanPlans(t *testing.T) {
	tests := []struct {
		fixture, file, check string
		want                 []string
	}{
		{"unknowns", "plan.json", "GCP-ENC-001", []string{
			"FAIL google_storage_bucket.logs @plan.json:1",
			"PASS google_storage_bucket.mail @plan.json:1", // its key is created in the same plan
		}},
		{"unknowns", "plan.json", "GCP-ENC-005", []string{"PASS google_pubsub_topic.events @plan.json:1"}},
		{"unknowns", "plan.json", "GCP-ACC-002", []string{
			"FAIL google_storage_bucket.logs @plan.json:1", // not set: the provider's default applies
			"PASS google_storage_bucket.mail @plan.json:1",
		}},
		{"modules", "plan.json", "GCP-ENC-001", []string{
			`FAIL module.archive[0].google_storage_bucket.b @plan.json:1`,
			`FAIL module.archive[1].google_storage_bucket.b @plan.json:1`,
			`PASS module.app["eu"].google_storage_bucket.data @plan.json:1`,
			`PASS module.app["us"].google_storage_bucket.data @plan.json:1`,
		}},
		{"modules", "plan.json", "GCP-KMS-006", []string{
			`FAIL google_pubsub_topic.per_env["dev"] @plan.json:1`, // follows its own instance's SOFTWARE key
			`PASS google_pubsub_topic.counted[0] @plan.json:1`,
			`PASS google_pubsub_topic.counted[1] @plan.json:1`,
			`PASS google_pubsub_topic.per_env["prod"] @plan.json:1`,
			`PASS module.app["eu"].google_storage_bucket.data @plan.json:1`,
			`PASS module.app["us"].google_storage_bucket.data @plan.json:1`,
			`PASS module.archive[0].google_storage_bucket.b @plan.json:1`, // no key at all: GCP-ENC-001's business
			`PASS module.archive[1].google_storage_bucket.b @plan.json:1`,
		}},
		{"state", "state.json", "GCP-ENC-001", []string{
			"FAIL google_storage_bucket.logs @state.json:1",
			"PASS google_storage_bucket.mail @state.json:1",
		}},
		{"state", "state.json", "GCP-ACC-001", []string{"FAIL google_storage_bucket_iam_member.reader @state.json:1"}},
		{"sensitive", "plan.json", "GCP-SEC-001", []string{
			"FAIL google_cloud_run_v2_service.api @plan.json:1",
			"FAIL google_sql_user.app @plan.json:1",
			"PASS google_secret_manager_secret_version.refresh @plan.json:1", // from a sensitive variable
		}},
		{"with_source", "plan.json", "GCP-ENC-001", []string{
			`FAIL google_storage_bucket.exports @main.tf:45`,
			`FAIL module.logs.google_storage_bucket.logs @modules/logs/main.tf:5`,
			`IGNORED google_storage_bucket.assets @main.tf:39`, // casascan:ignore in main.tf
			`PASS google_storage_bucket.data["drive"] @main.tf:26`,
			`PASS google_storage_bucket.data["mail"] @main.tf:26`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.fixture+"/"+tc.check, func(t *testing.T) {
			got := outcomes(scan(t, tc.fixture, tc.file), tc.check)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.check, diff)
			}
		})
	}
}

// TestScanNeverPrintsSecrets: no sensitive or literal secret of the
// fixture reaches a finding's message.
func TestScanNeverPrintsSecrets(t *testing.T) {
	res := scan(t, "sensitive", "plan.json")
	for _, f := range res.List() {
		for _, secret := range []string{"1//0gFAKE", "hunter2", "GOCSPX-", "LS0tLS1CRUdJTiBSU0Eg"} {
			if strings.Contains(f.Message, secret) || strings.Contains(f.Reason, secret) {
				t.Errorf("%s %s message shows a secret: %s", f.CheckID, f.Resource, f.Message)
			}
		}
	}
}

// TestScanModuleCallRelated: a finding in a module names the call site.
func TestScanModuleCallRelated(t *testing.T) {
	res := scan(t, "with_source", "plan.json")
	for _, f := range res.List() {
		if f.CheckID != "GCP-ENC-001" || f.Resource != "module.logs.google_storage_bucket.logs" {
			continue
		}
		if len(f.Related) != 1 || f.Related[0].String() != "main.tf:51" || f.Related[0].Address != "module.logs" {
			t.Errorf("related = %+v, want the module call at main.tf:51", f.Related)
		}
		return
	}
	t.Fatal("no GCP-ENC-001 finding on module.logs.google_storage_bucket.logs")
}
