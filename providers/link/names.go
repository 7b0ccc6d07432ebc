package link

import (
	"strings"

	"github.com/casascan/casascan/scanner"
)

// A spec says how a Terraform resource type is named in Cloud Asset
// Inventory: the service host and the relative name as a template whose
// {placeholders} are filled from the resource's attributes.
type spec struct {
	service string
	// path is the relative name: "projects/{project}/locations/{location}/keyRings/{name}".
	// The last placeholder is the resource's own name and must be known.
	path string
	// vars say where a placeholder comes from when it is not simply the
	// attribute of the same name; the sources are tried in order.
	vars map[string][]source
	// id is true when the provider's id attribute is the relative name
	// itself (in a state file it is known, so the match is exact).
	id bool
	// selfLink is true for Compute Engine: self_link is the API URL of the
	// resource, whose path from projects/ on is the relative name.
	selfLink bool
}

// source yields one placeholder's value from a declared resource; ok is false
// when it does not know it.
type source func(e *env, d decl) (string, bool)

// specs is the one table of the types that link knows, keyed by the
// Terraform type (the same for the live resource and the declared one). It
// is filled by init: its sources evaluate placeholders through specs.
var specs map[string]*spec

// baseSpecs are the types other than Compute Engine's.
func baseSpecs() map[string]*spec {
	return map[string]*spec{
		"google_storage_bucket": {service: "storage.googleapis.com", path: "{name}"},

		"google_kms_key_ring": {service: "cloudkms.googleapis.com", id: true,
			path: "projects/{project}/locations/{location}/keyRings/{name}"},
		"google_kms_crypto_key": {service: "cloudkms.googleapis.com", id: true,
			path: "projects/{project}/locations/{location}/keyRings/{ring}/cryptoKeys/{name}",
			vars: map[string][]source{
				"project":  {within("key_ring", "projects"), follow("key_ring", "google_kms_key_ring", "project")},
				"location": {within("key_ring", "locations"), follow("key_ring", "google_kms_key_ring", "location")},
				"ring":     {within("key_ring", "keyRings"), follow("key_ring", "google_kms_key_ring", "name")},
			}},

		"google_sql_database_instance": {service: "cloudsql.googleapis.com", path: "projects/{project}/instances/{name}"},

		"google_bigquery_dataset": {service: "bigquery.googleapis.com", id: true,
			path: "projects/{project}/datasets/{dataset_id}"},
		"google_bigquery_table": {service: "bigquery.googleapis.com", id: true,
			path: "projects/{project}/datasets/{dataset_id}/tables/{table_id}"},
		"google_pubsub_topic": {service: "pubsub.googleapis.com", id: true,
			path: "projects/{project}/topics/{name}"},
		"google_pubsub_subscription": {service: "pubsub.googleapis.com", id: true,
			path: "projects/{project}/subscriptions/{name}"},
		"google_secret_manager_secret": {service: "secretmanager.googleapis.com", id: true,
			path: "projects/{project}/secrets/{secret_id}"},

		"google_redis_instance": {service: "redis.googleapis.com", id: true,
			path: "projects/{project}/locations/{region}/instances/{name}"},
		"google_container_cluster": {service: "container.googleapis.com", id: true,
			path: "projects/{project}/locations/{location}/clusters/{name}"},
		"google_container_node_pool": {service: "container.googleapis.com",
			path: "projects/{project}/locations/{location}/clusters/{cluster}/nodePools/{name}",
			vars: map[string][]source{
				"project":  {attr("project"), follow("cluster", "google_container_cluster", "project")},
				"location": {attr("location"), follow("cluster", "google_container_cluster", "location")},
				"cluster":  {lastOf("cluster"), follow("cluster", "google_container_cluster", "name")},
			}},
		"google_spanner_database": {service: "spanner.googleapis.com",
			path: "projects/{project}/instances/{instance}/databases/{name}",
			vars: map[string][]source{
				"instance": {lastOf("instance"), follow("instance", "google_spanner_instance", "name")},
			}},
		"google_bigtable_instance": {service: "bigtableadmin.googleapis.com", id: true,
			path: "projects/{project}/instances/{name}"},
		"google_dataproc_cluster": {service: "dataproc.googleapis.com", id: true,
			path: "projects/{project}/regions/{region}/clusters/{name}"},
		"google_artifact_registry_repository": {service: "artifactregistry.googleapis.com", id: true,
			path: "projects/{project}/locations/{location}/repositories/{repository_id}"},
		"google_filestore_instance": {service: "file.googleapis.com", id: true,
			path: "projects/{project}/locations/{location}/instances/{name}",
			vars: map[string][]source{"location": {attr("location"), attr("zone")}}},
		"google_logging_project_bucket_config": {service: "logging.googleapis.com", id: true,
			path: "projects/{project}/locations/{location}/buckets/{bucket_id}"},
		"google_firestore_database": {service: "firestore.googleapis.com", id: true,
			path: "projects/{project}/databases/{name}"},
		"google_alloydb_cluster": {service: "alloydb.googleapis.com", id: true,
			path: "projects/{project}/locations/{location}/clusters/{cluster_id}"},

		"google_cloudfunctions_function": {service: "cloudfunctions.googleapis.com",
			path: "projects/{project}/locations/{region}/functions/{name}"},
		"google_cloudfunctions2_function": {service: "cloudfunctions.googleapis.com", id: true,
			path: "projects/{project}/locations/{location}/functions/{name}"},
		"google_cloud_run_v2_service": {service: "run.googleapis.com", id: true,
			path: "projects/{project}/locations/{location}/services/{name}"},
		"google_cloud_run_v2_job": {service: "run.googleapis.com", id: true,
			path: "projects/{project}/locations/{location}/jobs/{name}"},
		"google_cloud_run_service": {service: "run.googleapis.com",
			path: "projects/{project}/locations/{location}/services/{name}"},
	}
}

// compute lists the Compute Engine types by the collection of their
// relative name: global ones under projects/{project}/global/, regional
// ones under regions/{region}/, zonal ones under zones/{zone}/.
var compute = []struct{ typ, scope, collection string }{
	{"google_compute_ssl_policy", "global", "sslPolicies"},
	{"google_compute_region_ssl_policy", "region", "sslPolicies"},
	{"google_compute_target_https_proxy", "global", "targetHttpsProxies"},
	{"google_compute_region_target_https_proxy", "region", "targetHttpsProxies"},
	{"google_compute_target_http_proxy", "global", "targetHttpProxies"},
	{"google_compute_region_target_http_proxy", "region", "targetHttpProxies"},
	{"google_compute_target_ssl_proxy", "global", "targetSslProxies"},
	{"google_compute_url_map", "global", "urlMaps"},
	{"google_compute_region_url_map", "region", "urlMaps"},
	{"google_compute_backend_service", "global", "backendServices"},
	{"google_compute_region_backend_service", "region", "backendServices"},
	{"google_compute_network_endpoint_group", "zone", "networkEndpointGroups"},
	{"google_compute_global_network_endpoint_group", "global", "networkEndpointGroups"},
	{"google_compute_region_network_endpoint_group", "region", "networkEndpointGroups"},
	{"google_compute_disk", "zone", "disks"},
	{"google_compute_region_disk", "region", "disks"},
	{"google_compute_snapshot", "global", "snapshots"},
	{"google_compute_image", "global", "images"},
	{"google_compute_machine_image", "global", "machineImages"},
	{"google_compute_instance", "zone", "instances"},
	{"google_compute_instance_template", "global", "instanceTemplates"},
	{"google_compute_region_instance_template", "region", "instanceTemplates"},
}

func init() {
	specs = baseSpecs()
	scopes := map[string]string{"global": "global", "region": "regions/{region}", "zone": "zones/{zone}"}
	for _, c := range compute {
		specs[c.typ] = &spec{service: "compute.googleapis.com", selfLink: true,
			path: "projects/{project}/" + scopes[c.scope] + "/" + c.collection + "/{name}",
			vars: map[string][]source{"region": {lastOf("region")}, "zone": {lastOf("zone")}}}
	}
}

// Types returns the Terraform types link can match, sorted.
func Types() []string {
	out := make([]string, 0, len(specs))
	for t := range specs {
		out = append(out, t)
	}
	sortStrings(out)
	return out
}

// attr reads a known, non-empty string attribute.
func attr(name string) source {
	return func(_ *env, d decl) (string, bool) {
		s, ok := d.r.Body.Attrs[name].Str()
		return s, ok && s != ""
	}
}

// lastOf reads the last segment of an attribute that may be a name, a
// relative name or a URL (a zone given as a self link).
func lastOf(name string) source {
	return func(_ *env, d decl) (string, bool) {
		s, ok := d.r.Body.Attrs[name].Str()
		s = strings.TrimRight(s, "/")
		if !ok || s == "" {
			return "", false
		}
		return s[strings.LastIndexByte(s, '/')+1:], true
	}
}

// within reads the segment after kind in an attribute holding a resource
// name (scanner.ParseName): within("key_ring", "locations") of
// projects/p/locations/us/keyRings/r is us.
func within(name, kind string) source {
	return func(_ *env, d decl) (string, bool) {
		s, ok := d.r.Body.Attrs[name].Str()
		if !ok {
			return "", false
		}
		n, ok := scanner.ParseName(s)
		if !ok {
			return "", false
		}
		v := n.After(kind)
		return v, v != ""
	}
}

// follow reads a placeholder of the resource an attribute refers to (a
// key's key_ring = google_kms_key_ring.r.id, unknown before apply, names the
// ring through the graph edge).
func follow(name, typ, placeholder string) source {
	return func(e *env, d decl) (string, bool) {
		for _, t := range d.g.Follow(d.r, name, typ) {
			if v, ok := e.value(decl{r: t, g: d.g}, placeholder); ok {
				return v, true
			}
		}
		return "", false
	}
}

// env evaluates placeholders, bounding how deep references are followed.
type env struct{ depth int }

const maxFollow = 4

// value evaluates one placeholder of a declared resource.
func (e *env) value(d decl, placeholder string) (string, bool) {
	if e.depth > maxFollow {
		return "", false
	}
	e.depth++
	defer func() { e.depth-- }()
	sp := specs[d.r.Type]
	srcs := []source{attr(placeholder)}
	if sp != nil && sp.vars[placeholder] != nil {
		srcs = sp.vars[placeholder]
	}
	if placeholder == "project" && (sp == nil || sp.vars["project"] == nil) {
		srcs = []source{lastOf("project")} // "projects/p" is accepted for p
	}
	for _, src := range srcs {
		if v, ok := src(e, d); ok && v != "" && !strings.Contains(v, "/") {
			return v, true
		}
	}
	return "", false
}
