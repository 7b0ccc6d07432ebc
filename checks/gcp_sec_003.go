package checks

import "github.com/casascan/casascan/scanner"

var gcpSEC003 = &scanner.Check{
	ID:       "GCP-SEC-003",
	Title:    "Secret open to the public",
	Severity: scanner.Critical,
	CWE:      732,
	ASVS:     []string{"6.4.1"},
	CASA:     []string{"6.7.1"},
	Measures: []scanner.Measure{scanner.M3},
	Types:    iamTypes("google_secret_manager_secret", "google_secret_manager_regional_secret"),
	Why: "Secret Manager secrets hold exactly what restricted-scope apps must protect " +
		"most: OAuth client secrets, users' refresh tokens, database passwords and API " +
		"keys. Granting a role on a secret to allUsers or allAuthenticatedUsers lets anyone " +
		"with a Google account (or no account at all) read or manage it, and with it act " +
		"as the application on every user's Workspace data.",
	Remediation: "Remove allUsers and allAuthenticatedUsers from every " +
		"google_secret_manager_secret_iam_* resource (and from the policy documents they " +
		"use); grant roles/secretmanager.secretAccessor only to the service accounts that " +
		"need the secret. Enforce the iam.allowedPolicyMemberDomains organization policy.",
	Fix: `resource "google_secret_manager_secret" "oauth_client" {
  secret_id = "oauth-client-secret"
  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "api" {
  secret_id = google_secret_manager_secret.oauth_client.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:mail-api@acme-prod.iam.gserviceaccount.com"
}`,
	Test: func(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		return publicGrant(g, r, "secret")
	},
}
