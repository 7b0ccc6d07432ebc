package gcp

import "testing"

const cfull = "//compute.googleapis.com/projects/p/"

var computeCases = []mapCase{
	{
		asset: "compute.googleapis.com/SslPolicy", full: cfull + "global/sslPolicies/modern",
		data: `{"name":"modern","minTlsVersion":"TLS_1_2","profile":"CUSTOM","customFeatures":["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256","TLS_RSA_WITH_3DES_EDE_CBC_SHA"]}`,
		typ:  "google_compute_ssl_policy",
		want: map[string]string{"min_tls_version": "TLS_1_2", "profile": "CUSTOM", "custom_features": "[TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_3DES_EDE_CBC_SHA]"},
	},
	{
		name: "ssl policy defaults", asset: "compute.googleapis.com/SslPolicy", full: cfull + "global/sslPolicies/bare",
		data: `{"name":"bare"}`, typ: "google_compute_ssl_policy",
		want: map[string]string{"min_tls_version": "<absent>", "profile": "<absent>"},
	},
	{
		asset: "compute.googleapis.com/RegionSslPolicy", full: cfull + "regions/us-east1/sslPolicies/r",
		data: `{"name":"r","region":"` + cs + `regions/us-east1","minTlsVersion":"TLS_1_0"}`,
		typ:  "google_compute_region_ssl_policy",
		want: map[string]string{"region": "us-east1", "min_tls_version": "TLS_1_0"},
	},
	{
		asset: "compute.googleapis.com/TargetHttpsProxy", full: cfull + "global/targetHttpsProxies/web",
		data: `{"name":"web","sslPolicy":"` + cs + `global/sslPolicies/modern","urlMap":"` + cs + `global/urlMaps/web","sslCertificates":["` + cs + `global/sslCertificates/c"]}`,
		typ:  "google_compute_target_https_proxy",
		want: map[string]string{"ssl_policy": cs + "global/sslPolicies/modern"},
		refs: map[string]string{"ssl_policy": cfull + "global/sslPolicies/modern", "url_map": cfull + "global/urlMaps/web", "ssl_certificates": cfull + "global/sslCertificates/c"},
	},
	{
		asset: "compute.googleapis.com/RegionTargetHttpsProxy", full: cfull + "regions/us-east1/targetHttpsProxies/r",
		data: `{"name":"r","region":"us-east1","urlMap":"regions/us-east1/urlMaps/m"}`,
		typ:  "google_compute_region_target_https_proxy",
		want: map[string]string{"ssl_policy": "<absent>"},
		refs: map[string]string{"url_map": cfull + "regions/us-east1/urlMaps/m"},
	},
	{
		asset: "compute.googleapis.com/TargetHttpProxy", full: cfull + "global/targetHttpProxies/h",
		data: `{"name":"h","urlMap":"` + cs + `global/urlMaps/redirect"}`,
		typ:  "google_compute_target_http_proxy",
		refs: map[string]string{"url_map": cfull + "global/urlMaps/redirect"},
	},
	{
		asset: "compute.googleapis.com/RegionTargetHttpProxy", full: cfull + "regions/us-east1/targetHttpProxies/h",
		data: `{"name":"h","region":"` + cs + `regions/us-east1","urlMap":"` + cs + `regions/us-east1/urlMaps/m"}`,
		typ:  "google_compute_region_target_http_proxy",
		refs: map[string]string{"url_map": cfull + "regions/us-east1/urlMaps/m"},
	},
	{
		asset: "compute.googleapis.com/TargetSslProxy", full: cfull + "global/targetSslProxies/s",
		data: `{"name":"s","service":"` + cs + `global/backendServices/b","sslPolicy":"` + cs + `global/sslPolicies/p"}`,
		typ:  "google_compute_target_ssl_proxy",
		refs: map[string]string{"backend_service": cfull + "global/backendServices/b", "ssl_policy": cfull + "global/sslPolicies/p"},
	},
	{
		asset: "compute.googleapis.com/UrlMap", full: cfull + "global/urlMaps/web",
		data: `{"name":"web","defaultUrlRedirect":{"httpsRedirect":true,"redirectResponseCode":"MOVED_PERMANENTLY_DEFAULT"},
			"hostRules":[{"hosts":["a.example"],"pathMatcher":"pm"}],
			"pathMatchers":[{"name":"pm","defaultService":"` + cs + `global/backendServices/b",
				"pathRules":[{"paths":["/x"],"urlRedirect":{"httpsRedirect":false}}],
				"routeRules":[{"priority":1,"routeAction":{"weightedBackendServices":[{"backendService":"` + cs + `global/backendServices/c","weight":100}]}}]}]}`,
		typ: "google_compute_url_map",
		want: map[string]string{
			"default_url_redirect.https_redirect": "true", "default_service": "<absent>",
			"host_rule.hosts": "[a.example]", "path_matcher.name": "pm",
			"path_matcher.path_rule.url_redirect.https_redirect":                     "false",
			"path_matcher.route_rules.route_action.weighted_backend_services.weight": "100",
		},
		refs: map[string]string{
			"path_matcher.default_service": cfull + "global/backendServices/b",
			"path_matcher.route_rules.route_action.weighted_backend_services.backend_service": cfull + "global/backendServices/c",
		},
	},
	{
		asset: "compute.googleapis.com/RegionUrlMap", full: cfull + "regions/us-east1/urlMaps/m",
		data: `{"name":"m","region":"us-east1","defaultService":"` + cs + `regions/us-east1/backendServices/b"}`,
		typ:  "google_compute_region_url_map",
		refs: map[string]string{"default_service": cfull + "regions/us-east1/backendServices/b"},
	},
	{
		asset: "compute.googleapis.com/BackendService", full: cfull + "global/backendServices/b",
		data: `{"name":"b","protocol":"HTTP","backends":[{"group":"` + cs + `global/networkEndpointGroups/neg","balancingMode":"UTILIZATION"}]}`,
		typ:  "google_compute_backend_service",
		want: map[string]string{"protocol": "HTTP", "backend.0.balancing_mode": "UTILIZATION"},
		refs: map[string]string{"backend.0.group": cfull + "global/networkEndpointGroups/neg"},
	},
	{
		asset: "compute.googleapis.com/RegionBackendService", full: cfull + "regions/us-east1/backendServices/b",
		data: `{"name":"b","region":"` + cs + `regions/us-east1","backends":[{"group":"` + cs + `regions/us-east1/networkEndpointGroups/run"}]}`,
		typ:  "google_compute_region_backend_service",
		want: map[string]string{"protocol": "<absent>", "region": "us-east1"},
		refs: map[string]string{"backend.group": cfull + "regions/us-east1/networkEndpointGroups/run"},
	},
	{
		asset: "compute.googleapis.com/NetworkEndpointGroup", full: cfull + "zones/us-east1-b/networkEndpointGroups/z",
		data: `{"name":"z","zone":"` + cs + `zones/us-east1-b","networkEndpointType":"GCE_VM_IP_PORT","defaultPort":8080}`,
		typ:  "google_compute_network_endpoint_group",
		want: map[string]string{"zone": "us-east1-b", "network_endpoint_type": "GCE_VM_IP_PORT", "default_port": "8080"},
	},
	{
		asset: "compute.googleapis.com/GlobalNetworkEndpointGroup", full: cfull + "global/networkEndpointGroups/neg",
		data: `{"name":"neg","networkEndpointType":"INTERNET_FQDN_PORT"}`,
		typ:  "google_compute_global_network_endpoint_group",
		want: map[string]string{"network_endpoint_type": "INTERNET_FQDN_PORT"},
	},
	{
		asset: "compute.googleapis.com/RegionNetworkEndpointGroup", full: cfull + "regions/us-east1/networkEndpointGroups/run",
		data: `{"name":"run","region":"` + cs + `regions/us-east1","networkEndpointType":"SERVERLESS"}`,
		typ:  "google_compute_region_network_endpoint_group",
		want: map[string]string{"network_endpoint_type": "SERVERLESS"},
	},
	{
		asset: "compute.googleapis.com/Disk", full: cfull + "zones/us-east1-b/disks/d",
		data: `{"name":"d","zone":"` + cs + `zones/us-east1-b","sizeGb":"100","diskEncryptionKey":{"kmsKeyName":"` + hsmKey + `/cryptoKeyVersions/4"}}`,
		typ:  "google_compute_disk",
		want: map[string]string{"size": "100", "zone": "us-east1-b", "disk_encryption_key.kms_key_self_link": hsmKey + "/cryptoKeyVersions/4"},
		refs: map[string]string{"disk_encryption_key.kms_key_self_link": hsmKeyFull},
	},
	{
		asset: "compute.googleapis.com/RegionDisk", full: cfull + "regions/us-east1/disks/rd",
		data: `{"name":"rd","region":"` + cs + `regions/us-east1","diskEncryptionKey":{"sha256":"abc="}}`,
		typ:  "google_compute_region_disk",
		want: map[string]string{"disk_encryption_key.sha256": "abc=", "disk_encryption_key.kms_key_self_link": "<absent>"},
	},
	{
		asset: "compute.googleapis.com/Snapshot", full: cfull + "global/snapshots/s",
		data: `{"name":"s","sourceDisk":"` + cs + `zones/us-east1-b/disks/d","snapshotEncryptionKey":{"kmsKeyName":"` + hsmKey + `"}}`,
		typ:  "google_compute_snapshot",
		want: map[string]string{"snapshot_encryption_key.kms_key_self_link": hsmKey},
		refs: map[string]string{"source_disk": cfull + "zones/us-east1-b/disks/d"},
	},
	{
		asset: "compute.googleapis.com/Image", full: cfull + "global/images/i",
		data: `{"name":"i","imageEncryptionKey":{"kmsKeyName":"` + hsmKey + `"}}`,
		typ:  "google_compute_image",
		want: map[string]string{"image_encryption_key.kms_key_self_link": hsmKey},
	},
	{
		asset: "compute.googleapis.com/MachineImage", full: cfull + "global/machineImages/mi",
		data: `{"name":"mi","machineImageEncryptionKey":{"kmsKeyName":"` + hsmKey + `"}}`,
		typ:  "google_compute_machine_image",
		want: map[string]string{"machine_image_encryption_key.kms_key_name": hsmKey},
	},
	{
		asset: "compute.googleapis.com/Instance", full: cfull + "zones/us-east1-b/instances/vm",
		data: `{"name":"vm","zone":"` + cs + `zones/us-east1-b","machineType":"` + cs + `zones/us-east1-b/machineTypes/e2-small",
			"disks":[{"boot":true,"source":"` + cs + `zones/us-east1-b/disks/vm","deviceName":"vm","diskEncryptionKey":{"kmsKeyName":"` + hsmKey + `/cryptoKeyVersions/1"}},
				{"boot":false,"source":"` + cs + `zones/us-east1-b/disks/data","deviceName":"data"},
				{"type":"SCRATCH","deviceName":"local"}],
			"metadata":{"items":[{"key":"startup-script","value":"echo hi"}]},
			"serviceAccounts":[{"email":"vm@p.iam.gserviceaccount.com","scopes":["https://www.googleapis.com/auth/cloud-platform"]}]}`,
		typ: "google_compute_instance",
		want: map[string]string{
			"machine_type": "e2-small", "boot_disk.device_name": "vm", "boot_disk.kms_key_self_link": hsmKey + "/cryptoKeyVersions/1",
			"attached_disk.0.device_name": "data", "attached_disk.0.kms_key_self_link": "<absent>",
			"scratch_disk.device_name": "local", "metadata.startup-script": "echo hi", "service_account.email": "vm@p.iam.gserviceaccount.com",
		},
		refs: map[string]string{"boot_disk.kms_key_self_link": hsmKeyFull, "attached_disk.0.source": cfull + "zones/us-east1-b/disks/data"},
	},
	{
		asset: "compute.googleapis.com/InstanceTemplate", full: cfull + "global/instanceTemplates/t",
		data: `{"name":"t","properties":{"machineType":"e2-small","disks":[{"boot":true,"initializeParams":{"sourceImage":"projects/debian-cloud/global/images/family/debian-12"},
			"diskEncryptionKey":{"kmsKeyName":"` + hsmKey + `"}},{"boot":false,"initializeParams":{"diskSizeGb":"50"}}]}}`,
		typ: "google_compute_instance_template",
		want: map[string]string{
			"disk.0.boot": "true", "disk.0.disk_encryption_key.kms_key_self_link": hsmKey,
			"disk.1.disk_size_gb": "50", "disk.1.disk_encryption_key.kms_key_self_link": "<absent>",
		},
		refs: map[string]string{"disk.0.disk_encryption_key.kms_key_self_link": hsmKeyFull},
	},
	{
		asset: "compute.googleapis.com/RegionInstanceTemplate", full: cfull + "regions/us-east1/instanceTemplates/t",
		data: `{"name":"t","region":"us-east1","properties":{"disks":[{"boot":true}]}}`,
		typ:  "google_compute_region_instance_template",
		want: map[string]string{"disk.0.boot": "true"},
	},
}

func TestMapCompute(t *testing.T) { runMapCases(t, computeCases) }
