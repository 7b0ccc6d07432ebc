package checks

import "github.com/casascan/casascan/scanner"

var gcpSEC002 = &scanner.Check{
	ID:       "GCP-SEC-002",
	Title:    "Service account key created",
	Severity: scanner.High,
	CWE:      522,
	ASVS:     []string{"2.10.1"},
	Measures: []scanner.Measure{scanner.M3},
	Types:    []string{"google_service_account_key"},
	Why: "google_service_account_key creates a long-lived credential for a service " +
		"account. Terraform writes the private key (base64 JSON) into its state, which is " +
		"rarely encrypted with a customer-managed key and is copied to laptops and CI " +
		"runners; the key never expires by default and works from anywhere. If the " +
		"account can read users' Workspace data or the tokens that unlock it, whoever " +
		"holds the state file can too.",
	Remediation: "Do not create service account keys. Run workloads as the attached " +
		"service account (Cloud Run, GKE Workload Identity, Compute), and let CI and other " +
		"clouds use Workload Identity Federation or service account impersonation. Enforce " +
		"the iam.disableServiceAccountKeyCreation organization policy.",
	Fix: `# No google_service_account_key: run as the service account instead, and
# let CI impersonate it through Workload Identity Federation.
resource "google_service_account" "worker" {
  account_id = "mail-worker"
}

resource "google_cloud_run_v2_service" "worker" {
  name     = "worker"
  location = "europe-west1"
  template {
    service_account = google_service_account.worker.email
    containers {
      image = "europe-docker.pkg.dev/acme/worker/worker:1.0"
    }
  }
}

resource "google_iam_workload_identity_pool" "ci" {
  workload_identity_pool_id = "ci"
}

resource "google_service_account_iam_member" "ci_impersonation" {
  service_account_id = google_service_account.worker.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.ci.name}/attribute.repository/acme/mail-app"
}`,
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		if r.Get("public_key_data").Set() {
			return []scanner.Problem{scanner.Fail("", "registers a long-lived service account key; prefer workload identity or impersonation")}
		}
		if r.Source == scanner.SourceExport || r.Source == scanner.SourceLive {
			// A deployed key: whoever made it holds its private key;
			// nothing says Terraform did.
			return []scanner.Problem{scanner.Fail("", "is a user-managed, long-lived service account key whose private key was downloaded when it was created; prefer workload identity or impersonation")}
		}
		return []scanner.Problem{scanner.Fail("", "creates a long-lived service account key whose private key is stored in the Terraform state")}
	},
}
