package gcp

import (
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Application platforms and endpoints: Cloud Functions, Cloud Run, App
// Engine, service account keys, Cloud Scheduler, Cloud Tasks, Monitoring
// notification channels; and the resource hierarchy (projects, folders,
// organizations, service accounts) whose IAM policies the checks read.
// Environment variables are marked sensitive: they are judged, never printed.

var functionV1Entry = &entry{
	typ: "google_cloudfunctions_function",
	fields: []field{
		fc("name", "name", lastSeg),
		f("runtime", "runtime"),
		f("entryPoint", "entry_point"),
		f("httpsTrigger.securityLevel", "https_trigger_security_level"),
		f("httpsTrigger.url", "https_trigger_url"),
		fs("environmentVariables", "environment_variables"),
		fs("buildEnvironmentVariables", "build_environment_variables"),
		fr("kmsKeyName", "kms_key_name", kmsRef),
		f("serviceAccountEmail", "service_account_email"),
		f("ingressSettings", "ingress_settings"),
		f("vpcConnector", "vpc_connector"),
		f("labels", "labels"),
		blk("eventTrigger", "event_trigger", f("eventType", "event_type"), f("resource", "resource")),
		blk("secretEnvironmentVariables", "secret_environment_variables",
			f("key", "key"), f("projectId", "project_id"), f("secret", "secret"), f("version", "version")),
	},
	extra: func(m *mapper, d obj) {
		if d.has("httpsTrigger") {
			m.set(m.body, "trigger_http", cty.True, nil, false)
		}
	},
	extraPaths: []string{"trigger_http"},
	kms:        "kmsKeyName",
}

// functionGen1Entry is a 1st gen function in the Cloud Functions v2 API's
// representation (asset type cloudfunctions.googleapis.com/Function with
// environment GEN_1).
var functionGen1Entry = &entry{
	typ: "google_cloudfunctions_function",
	fields: []field{
		fc("name", "name", lastSeg),
		f("buildConfig.runtime", "runtime"),
		f("buildConfig.entryPoint", "entry_point"),
		fs("buildConfig.environmentVariables", "build_environment_variables"),
		f("serviceConfig.securityLevel", "https_trigger_security_level"),
		f("serviceConfig.uri", "https_trigger_url"),
		fs("serviceConfig.environmentVariables", "environment_variables"),
		f("serviceConfig.serviceAccountEmail", "service_account_email"),
		f("serviceConfig.ingressSettings", "ingress_settings"),
		fr("kmsKeyName", "kms_key_name", kmsRef),
		f("labels", "labels"),
		blk("eventTrigger", "event_trigger", f("eventType", "event_type")),
	},
	extra: func(m *mapper, d obj) {
		m.set(m.body, "trigger_http", cty.BoolVal(!d.has("eventTrigger")), nil, false)
	},
	kms: "kmsKeyName",
}

var functionV2Entry = &entry{
	typ: "google_cloudfunctions2_function",
	variant: func(d obj) *entry {
		if d.str("environment") == "GEN_1" {
			return functionGen1Entry
		}
		return nil
	},
	fields: []field{
		fc("name", "name", lastSeg),
		f("url", "url"),
		fr("kmsKeyName", "kms_key_name", kmsRef),
		f("labels", "labels"),
		blk("buildConfig", "build_config",
			f("runtime", "runtime"), f("entryPoint", "entry_point"), fs("environmentVariables", "environment_variables")),
		blk("serviceConfig", "service_config",
			fs("environmentVariables", "environment_variables"),
			f("uri", "uri"),
			f("ingressSettings", "ingress_settings"),
			f("serviceAccountEmail", "service_account_email"),
			blk("secretEnvironmentVariables", "secret_environment_variables",
				f("key", "key"), f("projectId", "project_id"), f("secret", "secret"), f("version", "version"))),
		blk("eventTrigger", "event_trigger", f("eventType", "event_type"), f("pubsubTopic", "pubsub_topic")),
	},
	extra: locationAs("location"),
	kms:   "kmsKeyName",
}

// envFieldsV1 are a Knative (Cloud Run Admin API v1) container env entry.
func envFieldsV1() []field {
	return []field{
		f("name", "name"),
		fs("value", "value"),
		blk("valueFrom", "value_from",
			blk("secretKeyRef", "secret_key_ref", f("name", "name"), f("key", "key"))),
	}
}

// envFieldsV2 are a Cloud Run Admin API v2 container env entry.
func envFieldsV2() []field {
	return []field{
		f("name", "name"),
		fs("value", "value"),
		blk("valueSource", "value_source",
			blk("secretKeyRef", "secret_key_ref", f("secret", "secret"), f("version", "version"))),
	}
}

// runServiceEntry is a Cloud Run service in the v2 API's shape; the Knative
// (v1) shape, with apiVersion and spec, maps to google_cloud_run_service.
var runServiceEntry = &entry{
	typ: "google_cloud_run_v2_service",
	variant: func(d obj) *entry {
		if d.has("spec") || d.has("apiVersion") {
			return runServiceV1Entry
		}
		return nil
	},
	fields: []field{
		fc("name", "name", lastSeg),
		f("ingress", "ingress"),
		f("labels", "labels"),
		blk("template", "template",
			f("serviceAccount", "service_account"),
			fr("encryptionKey", "encryption_key", kmsRef),
			blk("containers", "containers", f("image", "image"), blk("env", "env", envFieldsV2()...))),
	},
	extra: locationAs("location"),
}

var runServiceV1Entry = &entry{
	typ: "google_cloud_run_service",
	fields: []field{
		f("metadata.name", "name"),
		blk("metadata", "metadata", f("namespace", "namespace"), f("labels", "labels"), f("annotations", "annotations")),
		blk("spec.template", "template",
			blk("metadata", "metadata", f("annotations", "annotations")),
			blk("spec", "spec",
				f("serviceAccountName", "service_account_name"),
				fc("containerConcurrency", "container_concurrency", num),
				blk("containers", "containers", f("image", "image"), blk("env", "env", envFieldsV1()...)))),
	},
	extra: func(m *mapper, d obj) {
		labels, _ := asMap(d.sub("metadata")["labels"])
		if loc, ok := labels["cloud.googleapis.com/location"].(string); ok {
			m.set(m.body, "location", cty.StringVal(loc), nil, false)
		} else {
			locationAs("location")(m, d)
		}
	},
}

// runJobEntry is a Cloud Run job: v2 shape template.template.containers, or
// the Knative-style v1 shape spec.template.spec.template.spec.containers; both
// map to google_cloud_run_v2_job.
var runJobEntry = &entry{
	typ: "google_cloud_run_v2_job",
	fields: []field{
		fc("name", "name", lastSeg),
		f("labels", "labels"),
		blk("template", "template",
			blk("template", "template",
				f("serviceAccount", "service_account"),
				fr("encryptionKey", "encryption_key", kmsRef),
				blk("containers", "containers", f("image", "image"), blk("env", "env", envFieldsV2()...)))),
		blk("spec.template.spec.template.spec", "template.template",
			f("serviceAccountName", "service_account"),
			blk("containers", "containers", f("image", "image"), blk("env", "env",
				f("name", "name"), fs("value", "value"),
				blk("valueFrom.secretKeyRef", "value_source.secret_key_ref", f("name", "secret"), f("key", "version"))))),
	},
	extra: func(m *mapper, d obj) {
		if d.has("metadata.name") {
			m.set(m.body, "name", cty.StringVal(d.str("metadata.name")), nil, false)
		}
		locationAs("location")(m, d)
	},
}

var appEngineVersionEntry = &entry{
	typ: "google_app_engine_standard_app_version",
	typeOf: func(d obj) string {
		switch d.str("env") {
		case "flex", "flexible":
			return "google_app_engine_flexible_app_version"
		}
		return "google_app_engine_standard_app_version"
	},
	fields: []field{
		f("id", "version_id"),
		f("runtime", "runtime"),
		f("servingStatus", "serving_status"),
		f("instanceClass", "instance_class"),
		fs("envVariables", "env_variables"),
		blk("handlers", "handlers",
			f("urlRegex", "url_regex"),
			f("securityLevel", "security_level"),
			f("login", "login"),
			f("authFailAction", "auth_fail_action"),
			f("redirectHttpResponseCode", "redirect_http_response_code"),
			blk("script", "script", f("scriptPath", "script_path")),
			blk("staticFiles", "static_files", f("path", "path"), f("uploadPathRegex", "upload_path_regex"))),
	},
	extra: func(m *mapper, d obj) {
		if s := segAfter(relName(m.name), "services"); s != "" {
			m.set(m.body, "service", cty.StringVal(s), nil, false)
		}
	},
}

var saKeyEntry = &entry{
	typ: "google_service_account_key",
	fields: []field{
		f("keyAlgorithm", "key_algorithm"),
		f("keyOrigin", "key_origin"),
		f("keyType", "key_type"),
		f("validAfterTime", "valid_after"),
		f("validBeforeTime", "valid_before"),
		f("disabled", "disabled"),
	},
	// Google-managed keys rotate themselves and never leave Google: only
	// user-managed keys are "created" keys.
	skip: func(d obj) bool { return d.str("keyType") == "SYSTEM_MANAGED" },
	extra: func(m *mapper, d obj) {
		if sa := parentName(relName(m.name), "keys"); sa != "" {
			m.set(m.body, "service_account_id", cty.StringVal(sa), []string{"//iam.googleapis.com/" + sa}, false)
		}
		// An uploaded key's public half is not in the asset data; its
		// private key never was with Google.
		if d.str("keyOrigin") == "USER_PROVIDED" {
			m.set(m.body, "public_key_data", cty.DynamicVal, nil, false)
		}
	},
}

var schedulerJobEntry = &entry{
	typ: "google_cloud_scheduler_job",
	fields: []field{
		fc("name", "name", lastSeg),
		f("schedule", "schedule"),
		f("timeZone", "time_zone"),
		blk("httpTarget", "http_target",
			f("uri", "uri"), f("httpMethod", "http_method"), fs("headers", "headers"),
			blk("oidcToken", "oidc_token", f("serviceAccountEmail", "service_account_email"), f("audience", "audience")),
			blk("oauthToken", "oauth_token", f("serviceAccountEmail", "service_account_email"), f("scope", "scope"))),
		blk("pubsubTarget", "pubsub_target", fr("topicName", "topic_name", serviceRef("pubsub.googleapis.com"))),
		blk("appEngineHttpTarget", "app_engine_http_target", f("relativeUri", "relative_uri"), f("httpMethod", "http_method")),
	},
	extra: locationAs("region"),
}

var tasksQueueEntry = &entry{
	typ: "google_cloud_tasks_queue",
	fields: []field{
		fc("name", "name", lastSeg),
		f("state", "state"),
		blk("httpTarget", "http_target",
			f("httpMethod", "http_method"),
			blk("uriOverride", "uri_override",
				f("scheme", "scheme"), f("host", "host"), f("port", "port"),
				blk("pathOverride", "path_override", f("path", "path")),
				blk("queryOverride", "query_override", f("queryParams", "query_params")),
				f("uriOverrideEnforceMode", "uri_override_enforce_mode")),
			blk("oidcToken", "oidc_token", f("serviceAccountEmail", "service_account_email"), f("audience", "audience")),
			blk("oauthToken", "oauth_token", f("serviceAccountEmail", "service_account_email"), f("scope", "scope"))),
		blk("appEngineRoutingOverride", "app_engine_routing_override",
			f("service", "service"), f("version", "version"), f("instance", "instance")),
	},
	extra: locationAs("location"),
}

var notificationChannelEntry = &entry{
	typ: "google_monitoring_notification_channel",
	fields: []field{
		f("type", "type"),
		f("displayName", "display_name"),
		f("enabled", "enabled"),
		// Webhook URLs can carry tokens: judged, never printed.
		fs("labels", "labels"),
		f("userLabels", "user_labels"),
	},
}

var projectEntry = &entry{
	typ: "google_project",
	fields: []field{
		f("projectId", "project_id"),
		fc("projectNumber", "number", str),
		f("name", "name"),
		f("labels", "labels"),
	},
	extra: func(m *mapper, d obj) {
		switch d.str("parent.type") {
		case "folder":
			m.set(m.body, "folder_id", cty.StringVal(d.str("parent.id")), nil, false)
		case "organization":
			m.set(m.body, "org_id", cty.StringVal(d.str("parent.id")), nil, false)
		}
		if _, ok := m.body.Attrs["number"]; !ok {
			if n := segAfter(relName(m.name), "projects"); isNumber(n) {
				m.set(m.body, "number", cty.StringVal(n), nil, false)
			}
		}
	},
	iam: iamProject,
}

// str converts a number or string to a string (project numbers arrive as
// either).
func str(v any) (cty.Value, bool) {
	c, ok := toCty(v)
	if !ok {
		return c, false
	}
	if c.Type() == cty.Number {
		return cty.StringVal(c.AsBigFloat().Text('f', -1)), true
	}
	return c, true
}

var folderEntry = &entry{
	typ:    "google_folder",
	fields: []field{f("displayName", "display_name"), f("parent", "parent")},
	iam:    iamFolder,
}

// organizationEntry maps only the organization's IAM policy: Terraform has
// no organization resource.
var organizationEntry = &entry{iam: iamOrganization}

var serviceAccountEntry = &entry{
	typ: "google_service_account",
	fields: []field{
		f("email", "email"),
		f("displayName", "display_name"),
		f("disabled", "disabled"),
		f("uniqueId", "unique_id"),
	},
	extra: func(m *mapper, d obj) {
		email := d.str("email")
		if email == "" {
			email = lastPart(m.name)
		}
		if i := strings.IndexByte(email, '@'); i > 0 {
			m.set(m.body, "account_id", cty.StringVal(email[:i]), nil, false)
		}
	},
	iam: iamSA,
}
