package checks

import (
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpTLS009 = &scanner.Check{
	ID:       "GCP-TLS-009",
	Title:    "Data pushed to a plain-HTTP endpoint",
	Severity: scanner.High,
	CWE:      319,
	ASVS:     []string{"9.2.2"},
	CASA:     []string{"7.1.1"},
	Measures: []scanner.Measure{scanner.M2},
	Types: []string{
		"google_pubsub_subscription",
		"google_cloud_scheduler_job",
		"google_cloud_tasks_queue",
		"google_monitoring_notification_channel",
	},
	Why: "Pub/Sub push subscriptions, Cloud Scheduler jobs, Cloud Tasks queues and webhook " +
		"notification channels send message bodies, task payloads, alert details and often " +
		"OIDC or OAuth bearer tokens to the URL they are given. An http:// URL sends all of " +
		"it across the internet unencrypted, where users' data and the tokens that grant " +
		"access to it can be captured.",
	Remediation: "Use https:// endpoints only (and never set a Cloud Tasks uri_override " +
		"scheme of HTTP).",
	Fix: `resource "google_pubsub_topic" "events" {
  name = "mail-events"
}

resource "google_pubsub_subscription" "push" {
  name  = "mail-events-push"
  topic = google_pubsub_topic.events.id
  push_config {
    push_endpoint = "https://hooks.example.com/mail-events"
    oidc_token {
      service_account_email = "pusher@acme-prod.iam.gserviceaccount.com"
    }
  }
}`,
	Test: testPushEndpoint,
}

// pushURLs are the attributes holding the URL each type sends data to.
var pushURLs = map[string]string{
	"google_pubsub_subscription":             "push_config.push_endpoint",
	"google_cloud_scheduler_job":             "http_target.uri",
	"google_monitoring_notification_channel": "labels.url",
}

func testPushEndpoint(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	if r.Type == "google_cloud_tasks_queue" {
		return testTasksScheme(r)
	}
	path := pushURLs[r.Type]
	a := r.Slot(path).Attr
	if a.Null() {
		return nil
	}
	if r.Type == "google_monitoring_notification_channel" {
		switch r.Slot("type").StrIs(func(t string) bool { return strings.HasPrefix(strings.ToLower(t), "webhook") }) {
		case judge.Fail:
			return nil
		case judge.Unknown:
			return unknownIfHTTP(a, path, "the channel type is not known before apply")
		}
	}
	switch plain, known := plainHTTP(a); {
	case !known:
		return []scanner.Problem{scanner.Unknown(path, "the endpoint URL is not known before apply")}
	case plain:
		return []scanner.Problem{scanner.Fail(path, "%s sends data to a plain http:// URL", lastSegment(path))}
	}
	return nil
}

// plainHTTP reports whether a URL attribute uses http://. A URL built from a
// template ("http://${var.host}/push") is not known before apply, but its
// scheme is: the known prefix of the unknown string decides.
func plainHTTP(a *scanner.Attr) (plain, known bool) {
	s, ok := a.Str()
	if !ok && !a.Value.IsKnown() && a.Value.Type() == cty.String {
		s, ok = a.Value.Range().StringPrefix(), true
		if !strings.Contains(s, "://") {
			return false, false
		}
	}
	if !ok {
		return false, false
	}
	return isHTTPURL(s), true
}

// testTasksScheme fails a queue whose HTTP target override forces the scheme
// to HTTP; without an override (no provider default: the scheme is left
// alone), tasks keep their own https:// URLs.
func testTasksScheme(r *scanner.Resource) []scanner.Problem {
	const path = "http_target.uri_override.scheme"
	switch r.Slot(path).StrIn("HTTP") {
	case judge.Unknown:
		return []scanner.Problem{scanner.Unknown(path, "the uri_override scheme is not known before apply")}
	case judge.Pass:
		return []scanner.Problem{scanner.Fail(path, "uri_override rewrites every task's URL to plain HTTP")}
	}
	return nil
}

func unknownIfHTTP(a *scanner.Attr, path, why string) []scanner.Problem {
	if plain, known := plainHTTP(a); known && !plain {
		return nil
	}
	return []scanner.Problem{scanner.Unknown(path, "%s", why)}
}

func lastSegment(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}
