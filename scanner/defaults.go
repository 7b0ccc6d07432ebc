package scanner

import (
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// ProviderDefault is a value the Google provider or the API applies when an
// attribute is left out: a check judges the omitted attribute by it, drift
// compares a live value with it, and a finding says the default stood in.
type ProviderDefault struct {
	Type string
	// Path is the attribute's dotted path with no block indexes
	// ("version_template.protection_level").
	Path  string
	Value cty.Value
	// InBlock is true when the default applies only once the enclosing
	// block is written (an omitted version_template is not a key version
	// template with the default level: the API applies the same default,
	// but drift reads the two differently).
	InBlock bool
	// Doc is the provider documentation's wording, for the reader.
	Doc string
	// Deployed is set on the copy Resource.Lookup gives a deployed
	// (exported or live) resource: the field is absent from its record and
	// the API applies the same value; no Terraform default is involved, and
	// messages say so.
	Deployed bool
}

// providerDefaults is the one table of provider defaults. Checks read it
// through Slot.Value (Resource.Lookup) and DefaultOf; drift (GCP-DFT-001)
// reads it through DefaultOf. Keep each entry's Doc the provider docs' words.
var providerDefaults = []ProviderDefault{
	{Type: "google_kms_crypto_key", Path: "version_template.protection_level", Value: cty.StringVal("SOFTWARE"), InBlock: true,
		Doc: `protection_level: The protection level to use when creating a version based on this template. Possible values include "SOFTWARE", "HSM", "EXTERNAL", "EXTERNAL_VPC". Defaults to "SOFTWARE".`},
	{Type: "google_kms_crypto_key", Path: "purpose", Value: cty.StringVal("ENCRYPT_DECRYPT"),
		Doc: `purpose: The immutable purpose of this CryptoKey. Default value is ENCRYPT_DECRYPT.`},
	{Type: "google_compute_ssl_policy", Path: "min_tls_version", Value: cty.StringVal("TLS_1_0"),
		Doc: `min_tls_version: The minimum version of SSL protocol that can be used by the clients to establish a connection with the load balancer. Default value is TLS_1_0.`},
	{Type: "google_compute_ssl_policy", Path: "profile", Value: cty.StringVal("COMPATIBLE"),
		Doc: `profile: Profile specifies the set of SSL features that can be used by the load balancer when negotiating SSL with clients. Default value is COMPATIBLE.`},
	{Type: "google_compute_region_ssl_policy", Path: "min_tls_version", Value: cty.StringVal("TLS_1_0"),
		Doc: `min_tls_version: ... Default value is TLS_1_0.`},
	{Type: "google_compute_region_ssl_policy", Path: "profile", Value: cty.StringVal("COMPATIBLE"),
		Doc: `profile: ... Default value is COMPATIBLE.`},
	{Type: "google_storage_bucket", Path: "uniform_bucket_level_access", Value: cty.False,
		Doc: `uniform_bucket_level_access: (Optional, Default: false) Enables Uniform bucket-level access access to a bucket.`},
	{Type: "google_storage_bucket", Path: "public_access_prevention", Value: cty.StringVal("inherited"),
		Doc: `public_access_prevention: (Optional) Prevents public access to a bucket. Acceptable values are "inherited" or "enforced". If "inherited", the bucket uses public access prevention only if the bucket is subject to the public access prevention organization policy constraint. Defaults to "inherited".`},
	{Type: "google_storage_bucket", Path: "retention_policy.is_locked", Value: cty.False, InBlock: true,
		Doc: `is_locked: (Optional) If set to true, the bucket will be locked and permanently restrict edits to the bucket's retention policy.`},
	{Type: "google_storage_bucket", Path: "versioning.enabled", Value: cty.False, InBlock: true,
		Doc: `enabled: (Required) While set to true, versioning is fully enabled for this bucket.`},
	{Type: "google_sql_database_instance", Path: "settings.ip_configuration.ipv4_enabled", Value: cty.True, InBlock: true,
		Doc: `ipv4_enabled: Whether this Cloud SQL instance should be assigned a public IPV4 address. At least ipv4_enabled must be enabled or a private_network must be configured.`},
	{Type: "google_sql_database_instance", Path: "settings.ip_configuration.require_ssl", Value: cty.False, InBlock: true,
		Doc: `require_ssl: Whether SSL connections over IP are enforced or not (deprecated; use ssl_mode).`},
	{Type: "google_redis_instance", Path: "transit_encryption_mode", Value: cty.StringVal("DISABLED"),
		Doc: `transit_encryption_mode: The TLS mode of the Redis instance, If not provided, TLS is disabled for the instance. Default value is DISABLED.`},
	{Type: "google_redis_instance", Path: "auth_enabled", Value: cty.False,
		Doc: `auth_enabled: Optional. Indicates whether OSS Redis AUTH is enabled for the instance. If set to "true" AUTH is enabled on the instance. Default value is "false" meaning AUTH is disabled.`},
	{Type: "google_container_cluster", Path: "enable_legacy_abac", Value: cty.False,
		Doc: `enable_legacy_abac: Whether the ABAC authorizer is enabled for this cluster. Defaults to false.`},
	{Type: "google_container_cluster", Path: "enable_autopilot", Value: cty.False,
		Doc: `enable_autopilot: Enable Autopilot for this cluster. Defaults to false.`},
	{Type: "google_container_cluster", Path: "remove_default_node_pool", Value: cty.False,
		Doc: `remove_default_node_pool: If true, deletes the default node pool upon cluster creation.`},
	{Type: "google_container_cluster", Path: "master_auth.client_certificate_config.issue_client_certificate", Value: cty.False, InBlock: true,
		Doc: `issue_client_certificate: Whether client certificate authorization is enabled for this cluster.`},
	{Type: "google_cloudfunctions_function", Path: "https_trigger_security_level", Value: cty.StringVal("SECURE_OPTIONAL"),
		Doc: `https_trigger_security_level: The security level for the function. The following options are available: SECURE_ALWAYS, SECURE_OPTIONAL. Defaults to SECURE_OPTIONAL.`},
	{Type: "google_cloudfunctions_function", Path: "trigger_http", Value: cty.False,
		Doc: `trigger_http: Boolean variable. Any HTTP request (of a supported type) to the endpoint will trigger function execution.`},
	{Type: "google_app_engine_standard_app_version", Path: "handlers.security_level", Value: cty.StringVal("SECURE_DEFAULT"), InBlock: true,
		Doc: `security_level: Security (HTTPS) enforcement for this URL. Possible values are: SECURE_DEFAULT, SECURE_NEVER, SECURE_OPTIONAL, SECURE_ALWAYS.`},
	{Type: "google_app_engine_flexible_app_version", Path: "handlers.security_level", Value: cty.StringVal("SECURE_DEFAULT"), InBlock: true,
		Doc: `security_level: Security (HTTPS) enforcement for this URL. Possible values are: SECURE_DEFAULT, SECURE_NEVER, SECURE_OPTIONAL, SECURE_ALWAYS.`},
	{Type: "google_compute_backend_service", Path: "protocol", Value: cty.StringVal("HTTP"),
		Doc: `protocol: The protocol this BackendService uses to communicate with backends. The default is HTTP.`},
	{Type: "google_compute_region_backend_service", Path: "protocol", Value: cty.StringVal("HTTP"),
		Doc: `protocol: The protocol this RegionBackendService uses to communicate with backends. The default is HTTP.`},
	{Type: "google_compute_global_network_endpoint_group", Path: "network_endpoint_type", Value: cty.StringVal("INTERNET_IP_PORT"),
		Doc: `network_endpoint_type: Type of network endpoints in this network endpoint group. Possible values are: INTERNET_IP_PORT, INTERNET_FQDN_PORT.`},
	{Type: "google_compute_network_endpoint_group", Path: "network_endpoint_type", Value: cty.StringVal("GCE_VM_IP_PORT"),
		Doc: `network_endpoint_type: Type of network endpoints in this network endpoint group. Default value is GCE_VM_IP_PORT.`},
	{Type: "google_compute_region_network_endpoint_group", Path: "network_endpoint_type", Value: cty.StringVal("SERVERLESS"),
		Doc: `network_endpoint_type: Type of network endpoints in this network endpoint group. Defaults to SERVERLESS. Default value is SERVERLESS.`},
	{Type: "google_compute_url_map", Path: "default_url_redirect.https_redirect", Value: cty.False, InBlock: true,
		Doc: `https_redirect: If set to true, the URL scheme in the redirected request is set to https. The default is set to false.`},
	{Type: "google_compute_region_url_map", Path: "default_url_redirect.https_redirect", Value: cty.False, InBlock: true,
		Doc: `https_redirect: If set to true, the URL scheme in the redirected request is set to https. The default is set to false.`},
	{Type: "google_compute_url_map", Path: "path_matcher.default_url_redirect.https_redirect", Value: cty.False, InBlock: true,
		Doc: `https_redirect: If set to true, the URL scheme in the redirected request is set to https. If set to false, the URL scheme of the redirected request will remain the same as that of the request. The default is set to false.`},
	{Type: "google_compute_url_map", Path: "path_matcher.path_rule.url_redirect.https_redirect", Value: cty.False, InBlock: true,
		Doc: `https_redirect: If set to true, the URL scheme in the redirected request is set to https. If set to false, the URL scheme of the redirected request will remain the same as that of the request. The default is set to false.`},
	{Type: "google_compute_url_map", Path: "path_matcher.route_rules.url_redirect.https_redirect", Value: cty.False, InBlock: true,
		Doc: `https_redirect: If set to true, the URL scheme in the redirected request is set to https. If set to false, the URL scheme of the redirected request will remain the same as that of the request. The default is set to false.`},
	{Type: "google_compute_region_url_map", Path: "path_matcher.default_url_redirect.https_redirect", Value: cty.False, InBlock: true,
		Doc: `https_redirect: If set to true, the URL scheme in the redirected request is set to https. If set to false, the URL scheme of the redirected request will remain the same as that of the request. The default is set to false.`},
	{Type: "google_compute_region_url_map", Path: "path_matcher.path_rule.url_redirect.https_redirect", Value: cty.False, InBlock: true,
		Doc: `https_redirect: If set to true, the URL scheme in the redirected request is set to https. If set to false, the URL scheme of the redirected request will remain the same as that of the request. The default is set to false.`},
	{Type: "google_compute_region_url_map", Path: "path_matcher.route_rules.url_redirect.https_redirect", Value: cty.False, InBlock: true,
		Doc: `https_redirect: If set to true, the URL scheme in the redirected request is set to https. If set to false, the URL scheme of the redirected request will remain the same as that of the request. The default is set to false.`},
}

// defaultsByType indexes the table by type, then path.
var defaultsByType = func() map[string]map[string]*ProviderDefault {
	m := map[string]map[string]*ProviderDefault{}
	for i := range providerDefaults {
		d := &providerDefaults[i]
		if m[d.Type] == nil {
			m[d.Type] = map[string]*ProviderDefault{}
		}
		m[d.Type][d.Path] = d
	}
	return m
}()

// DefaultOf returns the provider default of an attribute of a resource
// type; path may hold block indexes ("handlers.2.security_level"), which
// are ignored. ok is false when the table has none.
func DefaultOf(typ, path string) (d ProviderDefault, ok bool) {
	p := defaultOf(typ, path)
	if p == nil {
		return ProviderDefault{}, false
	}
	return *p, true
}

// DefaultsOf returns the provider defaults of a resource type, in table
// order (custom checks fill them into the values their expressions read).
func DefaultsOf(typ string) []ProviderDefault {
	var out []ProviderDefault
	for _, d := range providerDefaults {
		if d.Type == typ {
			out = append(out, d)
		}
	}
	return out
}

func defaultOf(typ, path string) *ProviderDefault {
	byPath := defaultsByType[typ]
	if byPath == nil {
		return nil
	}
	return byPath[stripIndexes(path)]
}

// stripIndexes drops the numeric segments of a dotted path.
func stripIndexes(path string) string {
	if !strings.ContainsAny(path, "0123456789") {
		return path
	}
	segs := strings.Split(path, ".")
	out := segs[:0]
	for _, s := range segs {
		if isDigits(s) {
			continue
		}
		out = append(out, s)
	}
	return strings.Join(out, ".")
}
