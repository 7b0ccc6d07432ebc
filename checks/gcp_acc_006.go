package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
)

var gcpACC006 = &scanner.Check{
	ID:       "GCP-ACC-006",
	Title:    "Pub/Sub open to the public",
	Severity: scanner.High,
	CWE:      732,
	ASVS:     []string{"4.1.3"},
	Measures: []scanner.Measure{scanner.M5},
	Types:    iamTypes("google_pubsub_topic", "google_pubsub_subscription"),
	Why: "Pub/Sub carries events about users' data, often Gmail push notifications, " +
		"Drive change events or whole message payloads. A role for allUsers or " +
		"allAuthenticatedUsers on a topic lets anyone publish forged events into the app; " +
		"on a subscription it lets anyone pull, and so steal, the messages meant for it.",
	Remediation: "Remove allUsers and allAuthenticatedUsers from the topic's and " +
		"subscription's IAM resources; grant publisher and subscriber roles to specific " +
		"service accounts (for Gmail push, gmail-api-push@system.gserviceaccount.com only).",
	Fix: `resource "google_pubsub_topic" "gmail" {
  name = "gmail-push"
}

resource "google_pubsub_topic_iam_member" "gmail_push" {
  topic  = google_pubsub_topic.gmail.name
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:gmail-api-push@system.gserviceaccount.com"
}`,
	Test: func(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		what := "topic"
		if strings.HasPrefix(r.Type, "google_pubsub_subscription") {
			what = "subscription"
		}
		return publicGrant(g, r, what)
	},
}
