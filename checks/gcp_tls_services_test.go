package checks

import "testing"

func TestTLS005Redis(t *testing.T) {
	runTF(t, gcpTLS005, []tfCase{
		{"server authentication", `resource "google_redis_instance" "r" { transit_encryption_mode = "SERVER_AUTHENTICATION" }`, nil},
		{"default", `resource "google_redis_instance" "r" { memory_size_gb = 1 }`, []string{"google_redis_instance.r transit_encryption_mode FAIL"}},
		{"disabled", `resource "google_redis_instance" "r" { transit_encryption_mode = "DISABLED" }`, []string{"google_redis_instance.r transit_encryption_mode FAIL"}},
		{"unknown", `resource "google_redis_instance" "r" { transit_encryption_mode = var.m }
variable "m" {}`, []string{"google_redis_instance.r transit_encryption_mode UNKNOWN"}},
	})
}

func TestTLS006Function(t *testing.T) {
	const fail = "google_cloudfunctions_function.f https_trigger_security_level FAIL"
	runTF(t, gcpTLS006, []tfCase{
		{"secure always", `resource "google_cloudfunctions_function" "f" {
  trigger_http                 = true
  https_trigger_security_level = "SECURE_ALWAYS"
}`, nil},
		{"default level", `resource "google_cloudfunctions_function" "f" { trigger_http = true }`, []string{fail}},
		{"secure optional", `resource "google_cloudfunctions_function" "f" {
  trigger_http                 = true
  https_trigger_security_level = "SECURE_OPTIONAL"
}`, []string{fail}},
		{"event trigger", `resource "google_cloudfunctions_function" "f" {
  event_trigger {
    event_type = "google.pubsub.topic.publish"
  }
}`, nil},
		{"unknown trigger", `resource "google_cloudfunctions_function" "f" { trigger_http = var.http }
variable "http" {}`,
			[]string{"google_cloudfunctions_function.f trigger_http UNKNOWN"}},
	})
}

func TestTLS007AppEngine(t *testing.T) {
	runTF(t, gcpTLS007, []tfCase{
		{"every handler secure", `resource "google_app_engine_standard_app_version" "v" {
  handlers {
    url_regex      = "/.*"
    security_level = "SECURE_ALWAYS"
  }
}`, nil},
		{"second handler default", `resource "google_app_engine_flexible_app_version" "v" {
  handlers {
    url_regex      = "/api/.*"
    security_level = "SECURE_ALWAYS"
  }
  handlers {
    url_regex = "/.*"
  }
  handlers {
    url_regex      = "/static/.*"
    security_level = "SECURE_OPTIONAL"
  }
}`, []string{
			"google_app_engine_flexible_app_version.v handlers.1.security_level FAIL",
			"google_app_engine_flexible_app_version.v handlers.2.security_level FAIL",
		}},
		{"standard without handlers", `resource "google_app_engine_standard_app_version" "v" { runtime = "go122" }`,
			[]string{"google_app_engine_standard_app_version.v handlers FAIL"}},
		{"flexible without handlers", `resource "google_app_engine_flexible_app_version" "v" { runtime = "custom" }`, nil},
		{"unknown level", `resource "google_app_engine_standard_app_version" "v" {
  handlers {
    security_level = var.level
  }
}
variable "level" {}`, []string{"google_app_engine_standard_app_version.v handlers.0.security_level UNKNOWN"}},
	})
}

func TestTLS008Backend(t *testing.T) {
	negs := `
resource "google_compute_global_network_endpoint_group" "fqdn" { network_endpoint_type = "INTERNET_FQDN_PORT" }
resource "google_compute_region_network_endpoint_group" "ip" { network_endpoint_type = "INTERNET_IP_PORT" }
resource "google_compute_network_endpoint_group" "vm" { network = "default" }
resource "google_compute_region_network_endpoint_group" "run" { network_endpoint_type = "SERVERLESS" }
`
	runTF(t, gcpTLS008, []tfCase{
		{"default protocol to internet neg", negs + `resource "google_compute_backend_service" "b" {
  backend {
    group = google_compute_global_network_endpoint_group.fqdn.id
  }
}`, []string{"google_compute_backend_service.b protocol FAIL -> google_compute_global_network_endpoint_group.fqdn"}},
		{"tcp to regional internet neg", negs + `resource "google_compute_region_backend_service" "b" {
  protocol = "TCP"
  backend {
    group = google_compute_network_endpoint_group.vm.id
  }
  backend {
    group = google_compute_region_network_endpoint_group.ip.id
  }
}`, []string{"google_compute_region_backend_service.b protocol FAIL -> google_compute_region_network_endpoint_group.ip"}},
		{"https to internet neg", negs + `resource "google_compute_backend_service" "b" {
  protocol = "HTTPS"
  backend {
    group = google_compute_global_network_endpoint_group.fqdn.id
  }
}`, nil},
		{"http to vm and serverless", negs + `resource "google_compute_backend_service" "b" {
  backend {
    group = google_compute_network_endpoint_group.vm.id
  }
  backend {
    group = google_compute_region_network_endpoint_group.run.id
  }
}`, nil},
		{"instance group", `resource "google_compute_backend_service" "b" {
  backend {
    group = google_compute_instance_group_manager.m.instance_group
  }
}
resource "google_compute_instance_group_manager" "m" {}`, nil},
		{"unknown group", `resource "google_compute_backend_service" "b" {
  backend {
    group = var.group
  }
}
variable "group" {}`, []string{"google_compute_backend_service.b backend.0.group UNKNOWN"}},
		{"unknown neg type", `
resource "google_compute_region_network_endpoint_group" "n" { network_endpoint_type = var.t }
resource "google_compute_backend_service" "b" {
  backend {
    group = google_compute_region_network_endpoint_group.n.id
  }
}
variable "t" {}`, []string{"google_compute_backend_service.b backend.0.group UNKNOWN"}},
		{"dynamic backends", `resource "google_compute_backend_service" "b" {
  dynamic "backend" {
    for_each = var.groups
    content {
      group = backend.value
    }
  }
}
variable "groups" {}`, []string{"google_compute_backend_service.b backend.0.group UNKNOWN"}},
		{"unknown protocol", negs + `resource "google_compute_backend_service" "b" {
  protocol = var.p
  backend {
    group = google_compute_global_network_endpoint_group.fqdn.id
  }
}
variable "p" {}`, []string{"google_compute_backend_service.b protocol UNKNOWN"}},
	})
}

func TestTLS009PushEndpoints(t *testing.T) {
	runTF(t, gcpTLS009, []tfCase{
		{"https push", `resource "google_pubsub_subscription" "s" {
  push_config {
    push_endpoint = "https://example.com/push"
  }
}`, nil},
		{"http push", `resource "google_pubsub_subscription" "s" {
  push_config {
    push_endpoint = "HTTP://example.com/push?token=abc"
  }
}`, []string{"google_pubsub_subscription.s push_config.push_endpoint FAIL"}},
		{"pull subscription", `resource "google_pubsub_subscription" "s" { topic = "t" }`, nil},
		{"scheduler http", `resource "google_cloud_scheduler_job" "j" {
  http_target {
    uri = "http://example.com/cron"
  }
}`, []string{"google_cloud_scheduler_job.j http_target.uri FAIL"}},
		{"scheduler unknown", `resource "google_cloud_scheduler_job" "j" {
  http_target {
    uri = google_cloud_run_v2_service.s.uri
  }
}
resource "google_cloud_run_v2_service" "s" {}`, []string{"google_cloud_scheduler_job.j http_target.uri UNKNOWN"}},
		{"tasks http scheme", `resource "google_cloud_tasks_queue" "q" {
  http_target {
    uri_override {
      scheme = "HTTP"
      host   = "example.com"
    }
  }
}`, []string{"google_cloud_tasks_queue.q http_target.uri_override.scheme FAIL"}},
		{"tasks default scheme", `resource "google_cloud_tasks_queue" "q" {
  http_target {
    uri_override {
      host = "example.com"
    }
  }
}`, nil},
		{"webhook http", `resource "google_monitoring_notification_channel" "c" {
  type   = "webhook_tokenauth"
  labels = { url = "http://hooks.example.com/alerts" }
}`, []string{"google_monitoring_notification_channel.c labels.url FAIL"}},
		{"email channel", `resource "google_monitoring_notification_channel" "c" {
  type   = "email"
  labels = { email_address = "ops@example.com" }
}`, nil},
	}, "token=abc", "hooks.example.com")
}
