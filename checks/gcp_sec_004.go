package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpSEC004 = &scanner.Check{
	ID:       "GCP-SEC-004",
	Title:    "GKE cluster issues legacy client certificates",
	Severity: scanner.High,
	CWE:      522,
	ASVS:     []string{"2.10.1"},
	Measures: []scanner.Measure{scanner.M3},
	Types:    []string{"google_container_cluster"},
	Why: "With master_auth.client_certificate_config.issue_client_certificate = true " +
		"GKE issues a client certificate that authenticates to the control plane as " +
		"cluster-admin. Terraform writes its private key (master_auth.client_key) into the " +
		"state, the certificate cannot be revoked short of rotating the cluster's " +
		"credentials, and it works from anywhere the control plane is reachable. Whoever " +
		"holds the state file can read every Kubernetes Secret in the cluster, the OAuth " +
		"tokens and database passwords among them.",
	Remediation: "Remove the client_certificate_config block, or set " +
		"issue_client_certificate = false (changing it recreates the cluster), and " +
		"authenticate with Google identities through gcloud and IAM or RBAC instead.",
	Fix: `resource "google_container_cluster" "mail" {
  name                     = "mail"
  location                 = "europe-west1"
  remove_default_node_pool = true
  initial_node_count       = 1

  master_auth {
    client_certificate_config {
      issue_client_certificate = false
    }
  }
}`,
	Test: testSEC004,
}

// testSEC004 reads master_auth.client_certificate_config.issue_client_certificate;
// a cluster without the block gets no certificate (the provider and the API
// default to false since GKE 1.12).
func testSEC004(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	s := r.Slot("master_auth.client_certificate_config.issue_client_certificate")
	if s.Whole {
		return []scanner.Problem{scanner.Unknown(s.Path, "%s is not known before apply, so whether a client certificate is issued cannot be decided", s.Path)}
	}
	switch s.BoolIs(true) {
	case judge.Unknown:
		if why, ok := blockMayNotExist(s); ok {
			return []scanner.Problem{scanner.Unknown(s.Path, "issue_client_certificate is %s, but %s", scanner.Display(s.Attr), why)}
		}
		return []scanner.Problem{scanner.Unknown(s.Path, "issue_client_certificate is not known before apply")}
	case judge.Pass:
		// The message states the judged value rather than Display it: a
		// plan marks all of master_auth sensitive for its client_key, and
		// the failure says the flag is true anyway.
		return []scanner.Problem{scanner.Fail(s.Path, "issue_client_certificate is true: the cluster issues a cluster-admin client certificate whose key is stored in the Terraform state")}
	}
	return nil
}
