package checks

import "testing"

func TestTLS001SSLPolicy(t *testing.T) {
	tgRunCases(t, gcpTLS001, []tgCase{
		{"nothing set", `resource "google_compute_ssl_policy" "p" { name = "p" }`,
			[]string{"google_compute_ssl_policy.p min_tls_version FAIL"}},
		{"tls 1.3", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_3"
  profile         = "RESTRICTED"
}`, nil},
		{"tls 1.3 whatever the profile", `resource "google_compute_ssl_policy" "p" { min_tls_version = "TLS_1_3" }`, nil},
		{"restricted tls 1.2", `resource "google_compute_region_ssl_policy" "p" {
  min_tls_version = "TLS_1_2"
  profile         = "RESTRICTED"
}`, nil},
		{"modern tls 1.2", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_2"
  profile         = "MODERN"
}`, nil},
		{"restricted with default tls", `resource "google_compute_ssl_policy" "p" { profile = "RESTRICTED" }`,
			[]string{"google_compute_ssl_policy.p min_tls_version FAIL"}},
		{"compatible tls 1.2", `resource "google_compute_ssl_policy" "p" { min_tls_version = "TLS_1_2" }`,
			[]string{"google_compute_ssl_policy.p profile FAIL"}},
		{"tls 1.1 modern", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_1"
  profile         = "MODERN"
}`, []string{"google_compute_ssl_policy.p min_tls_version FAIL"}},
		{"custom strong", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_2"
  profile         = "CUSTOM"
  custom_features = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"]
}`, nil},
		{"custom rsa kex", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_2"
  profile         = "CUSTOM"
  custom_features = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"]
}`, []string{"google_compute_ssl_policy.p custom_features FAIL"}},
		{"custom cbc sha", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_2"
  profile         = "CUSTOM"
  custom_features = ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"]
}`, []string{"google_compute_ssl_policy.p custom_features FAIL"}},
		{"custom 3des", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_2"
  profile         = "CUSTOM"
  custom_features = ["TLS_RSA_WITH_3DES_EDE_CBC_SHA"]
}`, []string{"google_compute_ssl_policy.p custom_features FAIL"}},
		{"custom strong but tls 1.0", `resource "google_compute_ssl_policy" "p" {
  profile         = "CUSTOM"
  custom_features = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"]
}`, []string{"google_compute_ssl_policy.p min_tls_version FAIL"}},
		{"unknown min tls", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = var.tls
  profile         = "RESTRICTED"
}`, []string{"google_compute_ssl_policy.p min_tls_version UNKNOWN"}},
		{"unknown min tls but compatible", `resource "google_compute_ssl_policy" "p" { min_tls_version = var.tls }`,
			[]string{"google_compute_ssl_policy.p profile FAIL"}},
		{"unknown profile", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_2"
  profile         = var.profile
}`, []string{"google_compute_ssl_policy.p profile UNKNOWN"}},
		{"unknown custom features", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_2"
  profile         = "CUSTOM"
  custom_features = var.features
}`, []string{"google_compute_ssl_policy.p custom_features UNKNOWN"}},
	})
}

func TestTLS002ProxyPolicy(t *testing.T) {
	tgRunCases(t, gcpTLS002, []tgCase{
		{"no policy", `resource "google_compute_target_https_proxy" "x" { url_map = "m" }`,
			[]string{"google_compute_target_https_proxy.x ssl_policy FAIL"}},
		{"ssl proxy no policy", `resource "google_compute_target_ssl_proxy" "x" { backend_service = "b" }`,
			[]string{"google_compute_target_ssl_proxy.x ssl_policy FAIL"}},
		{"regional no policy", `resource "google_compute_region_target_https_proxy" "x" { url_map = "m" }`,
			[]string{"google_compute_region_target_https_proxy.x ssl_policy FAIL"}},
		{"weak policy attached", `
resource "google_compute_ssl_policy" "weak" {}
resource "google_compute_target_https_proxy" "x" { ssl_policy = google_compute_ssl_policy.weak.id }`, nil},
		{"policy from a variable", `resource "google_compute_target_https_proxy" "x" { ssl_policy = var.policy }`, nil},
		{"empty policy", `resource "google_compute_target_https_proxy" "x" { ssl_policy = "" }`,
			[]string{"google_compute_target_https_proxy.x ssl_policy FAIL"}},
	})
}

const redirectMap = `
resource "google_compute_url_map" "redirect" {
  default_url_redirect {
    https_redirect = true
  }
}
`

func TestTLS003HTTPProxy(t *testing.T) {
	tgRunCases(t, gcpTLS003, []tgCase{
		{"redirect only", redirectMap + `resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.redirect.id }`, nil},
		{"regional redirect only", `
resource "google_compute_region_url_map" "r" {
  default_url_redirect {
    https_redirect = true
  }
}
resource "google_compute_region_target_http_proxy" "x" { url_map = google_compute_region_url_map.r.id }`, nil},
		{"serves backend", `
resource "google_compute_url_map" "web" { default_service = google_compute_backend_service.web.id }
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.web.id }`,
			[]string{"google_compute_target_http_proxy.x url_map FAIL"}},
		{"redirect without https", `
resource "google_compute_url_map" "m" {
  default_url_redirect {
    host_redirect = "example.com"
  }
}
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.m.id }`,
			[]string{"google_compute_target_http_proxy.x url_map FAIL"}},
		{"path matcher serves", `
resource "google_compute_url_map" "m" {
  default_url_redirect {
    https_redirect = true
  }
  host_rule {
    hosts        = ["api.example.com"]
    path_matcher = "api"
  }
  path_matcher {
    name = "api"
    default_url_redirect {
      https_redirect = true
    }
    path_rule {
      paths   = ["/v1/*"]
      service = google_compute_backend_service.api.id
    }
  }
}
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.m.id }`,
			[]string{"google_compute_target_http_proxy.x url_map FAIL"}},
		{"path matchers that redirect", `
resource "google_compute_url_map" "m" {
  default_url_redirect {
    https_redirect = true
  }
  path_matcher {
    name = "a"
    default_url_redirect {
      https_redirect = true
    }
    path_rule {
      paths = ["/old"]
      url_redirect {
        https_redirect = true
        path_redirect  = "/new"
      }
    }
  }
}
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.m.id }`, nil},
		{"route action", `
resource "google_compute_url_map" "m" {
  default_route_action {
    weighted_backend_services {
      backend_service = google_compute_backend_service.a.id
      weight          = 100
    }
  }
}
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.m.id }`,
			[]string{"google_compute_target_http_proxy.x url_map FAIL"}},
		{"unknown https_redirect", `
resource "google_compute_url_map" "m" {
  default_url_redirect {
    https_redirect = var.redirect
  }
}
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.m.id }`,
			[]string{"google_compute_target_http_proxy.x url_map UNKNOWN"}},
		{"dynamic path matchers", `
resource "google_compute_url_map" "m" {
  default_url_redirect {
    https_redirect = true
  }
  dynamic "path_matcher" {
    for_each = var.matchers
    content {
      name            = path_matcher.key
      default_service = path_matcher.value
    }
  }
}
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.m.id }`,
			[]string{"google_compute_target_http_proxy.x url_map UNKNOWN"}},
		{"map not in configuration", `resource "google_compute_target_http_proxy" "x" { url_map = var.url_map }`,
			[]string{"google_compute_target_http_proxy.x url_map UNKNOWN"}},
	})
}

func TestTLS004SQLSSLMode(t *testing.T) {
	sql := func(ipConfig string) string {
		return `resource "google_sql_database_instance" "db" {
  settings {
    tier = "db-f1-micro"
    ip_configuration {` + ipConfig + `}
  }
}`
	}
	const fail = "google_sql_database_instance.db settings.ip_configuration.ssl_mode FAIL"
	tgRunCases(t, gcpTLS004, []tgCase{
		{"encrypted only", sql(`ssl_mode = "ENCRYPTED_ONLY"`), nil},
		{"client certificates", sql(`ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"`), nil},
		{"legacy require_ssl", sql(`require_ssl = true`), nil},
		{"allow unencrypted", sql(`ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"`), []string{fail}},
		{"nothing", sql(``), []string{fail}},
		{"require_ssl false", sql(`require_ssl = false`), []string{fail}},
		{"no settings", `resource "google_sql_database_instance" "db" {}`, []string{fail}},
		{"unknown mode", sql(`ssl_mode = var.mode`), []string{"google_sql_database_instance.db settings.ip_configuration.ssl_mode UNKNOWN"}},
		{"dynamic ip_configuration", `resource "google_sql_database_instance" "db" {
  settings {
    dynamic "ip_configuration" {
      for_each = var.ip
      content {
        ssl_mode = "ENCRYPTED_ONLY"
      }
    }
  }
}`, []string{"google_sql_database_instance.db settings.ip_configuration.ssl_mode UNKNOWN"}},
		{"unknown require_ssl", sql(`require_ssl = var.r`), []string{"google_sql_database_instance.db settings.ip_configuration.require_ssl UNKNOWN"}},
	})
}

func TestTLS005Redis(t *testing.T) {
	tgRunCases(t, gcpTLS005, []tgCase{
		{"server authentication", `resource "google_redis_instance" "r" { transit_encryption_mode = "SERVER_AUTHENTICATION" }`, nil},
		{"default", `resource "google_redis_instance" "r" { memory_size_gb = 1 }`, []string{"google_redis_instance.r transit_encryption_mode FAIL"}},
		{"disabled", `resource "google_redis_instance" "r" { transit_encryption_mode = "DISABLED" }`, []string{"google_redis_instance.r transit_encryption_mode FAIL"}},
		{"unknown", `resource "google_redis_instance" "r" { transit_encryption_mode = var.m }`, []string{"google_redis_instance.r transit_encryption_mode UNKNOWN"}},
	})
}

func TestTLS006Function(t *testing.T) {
	const fail = "google_cloudfunctions_function.f https_trigger_security_level FAIL"
	tgRunCases(t, gcpTLS006, []tgCase{
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
		{"unknown trigger", `resource "google_cloudfunctions_function" "f" { trigger_http = var.http }`,
			[]string{"google_cloudfunctions_function.f trigger_http UNKNOWN"}},
	})
}

func TestTLS007AppEngine(t *testing.T) {
	tgRunCases(t, gcpTLS007, []tgCase{
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
		{"no handlers", `resource "google_app_engine_standard_app_version" "v" { runtime = "go122" }`, nil},
		{"unknown level", `resource "google_app_engine_standard_app_version" "v" {
  handlers {
    security_level = var.level
  }
}`, []string{"google_app_engine_standard_app_version.v handlers.0.security_level UNKNOWN"}},
	})
}

func TestTLS008Backend(t *testing.T) {
	negs := `
resource "google_compute_global_network_endpoint_group" "fqdn" { network_endpoint_type = "INTERNET_FQDN_PORT" }
resource "google_compute_region_network_endpoint_group" "ip" { network_endpoint_type = "INTERNET_IP_PORT" }
resource "google_compute_network_endpoint_group" "vm" { network = "default" }
resource "google_compute_region_network_endpoint_group" "run" { network_endpoint_type = "SERVERLESS" }
`
	tgRunCases(t, gcpTLS008, []tgCase{
		{"default protocol to internet neg", negs + `resource "google_compute_backend_service" "b" {
  backend {
    group = google_compute_global_network_endpoint_group.fqdn.id
  }
}`, []string{"google_compute_backend_service.b protocol FAIL"}},
		{"tcp to regional internet neg", negs + `resource "google_compute_region_backend_service" "b" {
  protocol = "TCP"
  backend {
    group = google_compute_network_endpoint_group.vm.id
  }
  backend {
    group = google_compute_region_network_endpoint_group.ip.id
  }
}`, []string{"google_compute_region_backend_service.b protocol FAIL"}},
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
}`, []string{"google_compute_backend_service.b backend.0.group UNKNOWN"}},
		{"unknown neg type", `
resource "google_compute_region_network_endpoint_group" "n" { network_endpoint_type = var.t }
resource "google_compute_backend_service" "b" {
  backend {
    group = google_compute_region_network_endpoint_group.n.id
  }
}`, []string{"google_compute_backend_service.b backend.0.group UNKNOWN"}},
		{"dynamic backends", `resource "google_compute_backend_service" "b" {
  dynamic "backend" {
    for_each = var.groups
    content {
      group = backend.value
    }
  }
}`, []string{"google_compute_backend_service.b backend UNKNOWN"}},
		{"unknown protocol", negs + `resource "google_compute_backend_service" "b" {
  protocol = var.p
  backend {
    group = google_compute_global_network_endpoint_group.fqdn.id
  }
}`, []string{"google_compute_backend_service.b protocol UNKNOWN"}},
	})
}

func TestTLS009PushEndpoints(t *testing.T) {
	tgRunCases(t, gcpTLS009, []tgCase{
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
}`, []string{"google_cloud_scheduler_job.j http_target.uri UNKNOWN"}},
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
