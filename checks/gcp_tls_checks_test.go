package checks

import "testing"

func TestTLS001SSLPolicy(t *testing.T) {
	runTF(t, gcpTLS001, []tfCase{
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
		{"restricted with default tls", `resource "google_compute_ssl_policy" "p" { profile = "RESTRICTED" }`, nil},
		{"restricted with unknown tls", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = var.tls
  profile         = "RESTRICTED"
}
variable "tls" {}`, nil},
		{"fips with tls 1.0", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_0"
  profile         = "FIPS_202205"
}`, []string{"google_compute_ssl_policy.p min_tls_version FAIL"}},
		{"tls 1.0 with unknown profile", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_0"
  profile         = var.profile
}
variable "profile" {}`, []string{"google_compute_ssl_policy.p profile UNKNOWN"}},
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
  profile         = "MODERN"
}
variable "tls" {}`, []string{"google_compute_ssl_policy.p min_tls_version UNKNOWN"}},
		// TLS_1_3 passes whatever the profile: an unknown min_tls_version
		// with the COMPATIBLE default is not a failure in every outcome.
		{"unknown min tls but compatible", `resource "google_compute_ssl_policy" "p" { min_tls_version = var.tls }
variable "tls" {}`,
			[]string{"google_compute_ssl_policy.p min_tls_version UNKNOWN"}},
		{"unknown profile", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_2"
  profile         = var.profile
}
variable "profile" {}`, []string{"google_compute_ssl_policy.p profile UNKNOWN"}},
		{"unknown custom features", `resource "google_compute_ssl_policy" "p" {
  min_tls_version = "TLS_1_2"
  profile         = "CUSTOM"
  custom_features = var.features
}
variable "features" {}`, []string{"google_compute_ssl_policy.p custom_features UNKNOWN"}},
	})
}

func TestTLS002ProxyPolicy(t *testing.T) {
	runTF(t, gcpTLS002, []tfCase{
		{"no policy", `resource "google_compute_target_https_proxy" "x" { url_map = "m" }`,
			[]string{"google_compute_target_https_proxy.x ssl_policy FAIL"}},
		{"ssl proxy no policy", `resource "google_compute_target_ssl_proxy" "x" { backend_service = "b" }`,
			[]string{"google_compute_target_ssl_proxy.x ssl_policy FAIL"}},
		{"regional no policy", `resource "google_compute_region_target_https_proxy" "x" { url_map = "m" }`,
			[]string{"google_compute_region_target_https_proxy.x ssl_policy FAIL"}},
		{"weak policy attached", `
resource "google_compute_ssl_policy" "weak" {}
resource "google_compute_target_https_proxy" "x" { ssl_policy = google_compute_ssl_policy.weak.id }`, nil},
		{"policy from a variable", `resource "google_compute_target_https_proxy" "x" { ssl_policy = var.policy }
variable "policy" {}`, nil},
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
	runTF(t, gcpTLS003, []tfCase{
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
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.web.id }
resource "google_compute_backend_service" "web" {}`,
			[]string{"google_compute_target_http_proxy.x url_map FAIL -> google_compute_url_map.web"}},
		{"redirect without https", `
resource "google_compute_url_map" "m" {
  default_url_redirect {
    host_redirect = "example.com"
  }
}
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.m.id }`,
			[]string{"google_compute_target_http_proxy.x url_map FAIL -> google_compute_url_map.m"}},
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
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.m.id }
resource "google_compute_backend_service" "api" {}`,
			[]string{"google_compute_target_http_proxy.x url_map FAIL -> google_compute_url_map.m"}},
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
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.m.id }
resource "google_compute_backend_service" "a" {}`,
			[]string{"google_compute_target_http_proxy.x url_map FAIL -> google_compute_url_map.m"}},
		{"unknown https_redirect", `
resource "google_compute_url_map" "m" {
  default_url_redirect {
    https_redirect = var.redirect
  }
}
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.m.id }
variable "redirect" {}`,
			[]string{"google_compute_target_http_proxy.x url_map UNKNOWN -> google_compute_url_map.m"}},
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
resource "google_compute_target_http_proxy" "x" { url_map = google_compute_url_map.m.id }
variable "matchers" {}`,
			[]string{"google_compute_target_http_proxy.x url_map UNKNOWN -> google_compute_url_map.m"}},
		{"map not in configuration", `resource "google_compute_target_http_proxy" "x" { url_map = var.url_map }
variable "url_map" {}`,
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
	runTF(t, gcpTLS004, []tfCase{
		{"encrypted only", sql(`ssl_mode = "ENCRYPTED_ONLY"`), nil},
		{"client certificates", sql(`ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"`), nil},
		{"legacy require_ssl", sql(`require_ssl = true`), nil},
		{"allow unencrypted", sql(`ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"`), []string{fail}},
		{"nothing", sql(``), []string{fail}},
		{"require_ssl false", sql(`require_ssl = false`), []string{fail}},
		{"no settings", `resource "google_sql_database_instance" "db" {}`, []string{fail}},
		{"unknown mode", sql(`ssl_mode = var.mode`) + `
variable "mode" {}`, []string{"google_sql_database_instance.db settings.ip_configuration.ssl_mode UNKNOWN"}},
		{"dynamic ip_configuration", `resource "google_sql_database_instance" "db" {
  settings {
    dynamic "ip_configuration" {
      for_each = var.ip
      content {
        ssl_mode = "ENCRYPTED_ONLY"
      }
    }
  }
}
variable "ip" {}`, []string{"google_sql_database_instance.db settings.ip_configuration.ssl_mode UNKNOWN"}},
		{"unknown require_ssl", sql(`require_ssl = var.r`) + `
variable "r" {}`, []string{"google_sql_database_instance.db settings.ip_configuration.require_ssl UNKNOWN"}},
	})
}
