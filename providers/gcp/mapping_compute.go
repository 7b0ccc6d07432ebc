package gcp

import (
	"github.com/zclconf/go-cty/cty"
)

// Compute Engine: load balancing (SSL policies, target proxies, URL maps,
// backend services, network endpoint groups) and disks, images, snapshots,
// instances and templates. REST names from the Compute Engine v1 reference.

var sslPolicyEntry = &entry{
	typ:    "google_compute_ssl_policy",
	typeOf: regional("google_compute_ssl_policy", "google_compute_region_ssl_policy"),
	fields: []field{
		f("name", "name"),
		fc("region", "region", lastSeg),
		f("minTlsVersion", "min_tls_version"),
		f("profile", "profile"),
		f("customFeatures", "custom_features"),
		f("enabledFeatures", "enabled_features"),
	},
}

var httpsProxyEntry = &entry{
	typ:    "google_compute_target_https_proxy",
	typeOf: regional("google_compute_target_https_proxy", "google_compute_region_target_https_proxy"),
	fields: []field{
		f("name", "name"),
		fc("region", "region", lastSeg),
		fr("sslPolicy", "ssl_policy", computeRef),
		fr("urlMap", "url_map", computeRef),
		fr("sslCertificates", "ssl_certificates", computeRef),
		f("certificateMap", "certificate_map"),
		f("quicOverride", "quic_override"),
	},
}

var httpProxyEntry = &entry{
	typ:    "google_compute_target_http_proxy",
	typeOf: regional("google_compute_target_http_proxy", "google_compute_region_target_http_proxy"),
	fields: []field{
		f("name", "name"),
		fc("region", "region", lastSeg),
		fr("urlMap", "url_map", computeRef),
	},
}

var sslProxyEntry = &entry{
	typ: "google_compute_target_ssl_proxy",
	fields: []field{
		f("name", "name"),
		fr("sslPolicy", "ssl_policy", computeRef),
		fr("service", "backend_service", computeRef),
		fr("sslCertificates", "ssl_certificates", computeRef),
		f("proxyHeader", "proxy_header"),
	},
}

// redirectFields are the fields of an HttpRedirectAction.
func redirectFields() []field {
	return []field{
		f("httpsRedirect", "https_redirect"),
		f("redirectResponseCode", "redirect_response_code"),
		f("stripQuery", "strip_query"),
		f("hostRedirect", "host_redirect"),
		f("pathRedirect", "path_redirect"),
		f("prefixRedirect", "prefix_redirect"),
	}
}

// routeActionFields are a RouteAction's backends: any route action sends
// requests to backends.
func routeActionFields() []field {
	return []field{
		blk("weightedBackendServices", "weighted_backend_services",
			fr("backendService", "backend_service", computeRef), fc("weight", "weight", num)),
	}
}

var urlMapEntry = &entry{
	typ:    "google_compute_url_map",
	typeOf: regional("google_compute_url_map", "google_compute_region_url_map"),
	fields: []field{
		f("name", "name"),
		fc("region", "region", lastSeg),
		fr("defaultService", "default_service", computeRef),
		blk("defaultUrlRedirect", "default_url_redirect", redirectFields()...),
		blk("defaultRouteAction", "default_route_action", routeActionFields()...),
		blk("hostRules", "host_rule", f("hosts", "hosts"), f("pathMatcher", "path_matcher")),
		blk("pathMatchers", "path_matcher",
			f("name", "name"),
			fr("defaultService", "default_service", computeRef),
			blk("defaultUrlRedirect", "default_url_redirect", redirectFields()...),
			blk("defaultRouteAction", "default_route_action", routeActionFields()...),
			blk("pathRules", "path_rule",
				f("paths", "paths"),
				fr("service", "service", computeRef),
				blk("routeAction", "route_action", routeActionFields()...),
				blk("urlRedirect", "url_redirect", redirectFields()...)),
			blk("routeRules", "route_rules",
				fc("priority", "priority", num),
				fr("service", "service", computeRef),
				blk("routeAction", "route_action", routeActionFields()...),
				blk("urlRedirect", "url_redirect", redirectFields()...))),
	},
}

var backendServiceEntry = &entry{
	typ:    "google_compute_backend_service",
	typeOf: regional("google_compute_backend_service", "google_compute_region_backend_service"),
	fields: []field{
		f("name", "name"),
		fc("region", "region", lastSeg),
		f("protocol", "protocol"),
		f("loadBalancingScheme", "load_balancing_scheme"),
		f("portName", "port_name"),
		fc("timeoutSec", "timeout_sec", num),
		f("enableCDN", "enable_cdn"),
		fr("securityPolicy", "security_policy", computeRef),
		fr("healthChecks", "health_checks", computeRef),
		blk("backends", "backend", fr("group", "group", computeRef), f("balancingMode", "balancing_mode")),
		blk("logConfig", "log_config", f("enable", "enable"), fc("sampleRate", "sample_rate", num)),
		blk("iap", "iap", f("enabled", "enabled"), f("oauth2ClientId", "oauth2_client_id")),
	},
}

var negEntry = &entry{
	typ: "google_compute_network_endpoint_group",
	typeOf: func(d obj) string {
		switch {
		case d.has("zone"):
			return "google_compute_network_endpoint_group"
		case d.has("region"):
			return "google_compute_region_network_endpoint_group"
		}
		return "google_compute_global_network_endpoint_group"
	},
	fields: []field{
		f("name", "name"),
		fc("zone", "zone", lastSeg),
		fc("region", "region", lastSeg),
		f("networkEndpointType", "network_endpoint_type"),
		fc("defaultPort", "default_port", num),
		fr("network", "network", computeRef),
		fr("subnetwork", "subnetwork", computeRef),
	},
}

// keyFields are a CustomerEncryptionKey as Terraform's *_encryption_key
// blocks spell it; keyAttr is kms_key_self_link or kms_key_name.
func keyFields(keyAttr string) []field {
	return []field{
		fr("kmsKeyName", keyAttr, kmsRef),
		f("kmsKeyServiceAccount", "kms_key_service_account"),
		f("sha256", "sha256"),
		fs("rawKey", "raw_key"),
		fs("rsaEncryptedKey", "rsa_encrypted_key"),
	}
}

var diskEntry = &entry{
	typ:    "google_compute_disk",
	typeOf: regional("google_compute_disk", "google_compute_region_disk"),
	fields: []field{
		f("name", "name"),
		fc("zone", "zone", lastSeg),
		fc("region", "region", lastSeg),
		fc("type", "type", lastSeg),
		fc("sizeGb", "size", num),
		f("labels", "labels"),
		fr("sourceImage", "image", computeRef),
		fr("sourceSnapshot", "snapshot", computeRef),
		f("replicaZones", "replica_zones"),
		blk("diskEncryptionKey", "disk_encryption_key", keyFields("kms_key_self_link")...),
	},
	kms: "diskEncryptionKey.kmsKeyName",
}

var snapshotEntry = &entry{
	typ: "google_compute_snapshot",
	fields: []field{
		f("name", "name"),
		fr("sourceDisk", "source_disk", computeRef),
		f("storageLocations", "storage_locations"),
		f("labels", "labels"),
		blk("snapshotEncryptionKey", "snapshot_encryption_key", keyFields("kms_key_self_link")...),
		blk("sourceDiskEncryptionKey", "source_disk_encryption_key", keyFields("kms_key_self_link")...),
	},
	kms: "snapshotEncryptionKey.kmsKeyName",
}

var imageEntry = &entry{
	typ: "google_compute_image",
	fields: []field{
		f("name", "name"),
		f("family", "family"),
		fr("sourceDisk", "source_disk", computeRef),
		f("labels", "labels"),
		blk("imageEncryptionKey", "image_encryption_key", keyFields("kms_key_self_link")...),
	},
	kms: "imageEncryptionKey.kmsKeyName",
}

var machineImageEntry = &entry{
	typ: "google_compute_machine_image",
	fields: []field{
		f("name", "name"),
		fr("sourceInstance", "source_instance", computeRef),
		blk("machineImageEncryptionKey", "machine_image_encryption_key", keyFields("kms_key_name")...),
	},
	kms: "machineImageEncryptionKey.kmsKeyName",
}

var instanceEntry = &entry{
	typ: "google_compute_instance",
	fields: []field{
		f("name", "name"),
		fc("zone", "zone", lastSeg),
		fc("machineType", "machine_type", lastSeg),
		f("labels", "labels"),
		f("canIpForward", "can_ip_forward"),
		blk("serviceAccounts", "service_account", f("email", "email"), f("scopes", "scopes")),
		blk("shieldedInstanceConfig", "shielded_instance_config",
			f("enableSecureBoot", "enable_secure_boot"), f("enableVtpm", "enable_vtpm"),
			f("enableIntegrityMonitoring", "enable_integrity_monitoring")),
		blk("confidentialInstanceConfig", "confidential_instance_config",
			f("enableConfidentialCompute", "enable_confidential_compute")),
	},
	extra:      instanceDisks,
	extraPaths: []string{"boot_disk.kms_key_self_link"},
}

// instanceDisks splits an instance's disks into Terraform's boot_disk,
// attached_disk and scratch_disk blocks, and its metadata items into a map.
func instanceDisks(m *mapper, d obj) {
	diskFields := []field{
		fr("source", "source", computeRef),
		f("deviceName", "device_name"),
		f("mode", "mode"),
		f("autoDelete", "auto_delete"),
		fr("diskEncryptionKey.kmsKeyName", "kms_key_self_link", kmsRef),
		f("diskEncryptionKey.sha256", "disk_encryption_key_sha256"),
		fs("diskEncryptionKey.rawKey", "disk_encryption_key_raw"),
	}
	for _, el := range d.list("disks") {
		disk, ok := asMap(el)
		if !ok {
			continue
		}
		o := obj(disk)
		name := "attached_disk"
		switch {
		case o.str("type") == "SCRATCH":
			name = "scratch_disk"
		case o.get1Bool("boot") && len(m.body.BlocksNamed("boot_disk")) == 0:
			name = "boot_disk"
		}
		m.apply(m.newBlock(m.body, name), o, diskFields)
	}
	metadataMap(m, d.list("metadata.items"), "metadata")
}

// get1Bool reads a bool member, false when absent.
func (o obj) get1Bool(path string) bool {
	v, ok := o.get(path)
	if !ok {
		return false
	}
	b, ok := boolean(v)
	return ok && b.Type() == cty.Bool && b.True()
}

// metadataMap turns Compute metadata items ([{key, value}]) into a map
// attribute; values (startup scripts, keys) are never printed.
func metadataMap(m *mapper, items []any, tf string) {
	if len(items) == 0 {
		return
	}
	vals := map[string]cty.Value{}
	for _, el := range items {
		o, _ := asMap(el)
		k, v := obj(o).str("key"), obj(o).str("value")
		if k != "" {
			vals[k] = cty.StringVal(v)
		}
	}
	if len(vals) > 0 {
		m.set(m.body, tf, cty.MapVal(vals), nil, true)
	}
}

var instanceTemplateEntry = &entry{
	typ:    "google_compute_instance_template",
	typeOf: regional("google_compute_instance_template", "google_compute_region_instance_template"),
	fields: []field{
		f("name", "name"),
		fc("region", "region", lastSeg),
		fc("properties.machineType", "machine_type", lastSeg),
		f("properties.labels", "labels"),
		blk("properties.disks", "disk",
			f("boot", "boot"),
			f("autoDelete", "auto_delete"),
			f("deviceName", "device_name"),
			f("type", "type"),
			fr("source", "source", computeRef),
			fr("initializeParams.sourceImage", "source_image", computeRef),
			fc("initializeParams.diskSizeGb", "disk_size_gb", num),
			f("initializeParams.diskType", "disk_type"),
			blk("diskEncryptionKey", "disk_encryption_key", fr("kmsKeyName", "kms_key_self_link", kmsRef)),
			blk("initializeParams.sourceImageEncryptionKey", "source_image_encryption_key",
				fr("kmsKeyName", "kms_key_self_link", kmsRef))),
		blk("properties.serviceAccounts", "service_account", f("email", "email"), f("scopes", "scopes")),
	},
	extra: func(m *mapper, d obj) { metadataMap(m, d.list("properties.metadata.items"), "metadata") },
}
