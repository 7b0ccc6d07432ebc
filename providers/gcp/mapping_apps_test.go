package gcp

import (
	"testing"
)

const fnFull = "//cloudfunctions.googleapis.com/projects/p/locations/us-east1/functions/"

var appCases = []mapCase{
	{
		asset: "cloudfunctions.googleapis.com/CloudFunction", full: fnFull + "hook",
		data: `{"name":"projects/p/locations/us-east1/functions/hook","runtime":"go122","httpsTrigger":{"url":"https://x","securityLevel":"SECURE_OPTIONAL"},
			"environmentVariables":{"API_TOKEN":"abc"},"kmsKeyName":"` + hsmKey + `"}`,
		typ: "google_cloudfunctions_function",
		want: map[string]string{
			"name": "hook", "trigger_http": "true", "https_trigger_security_level": "SECURE_OPTIONAL",
			"environment_variables.API_TOKEN": "abc",
		},
		refs: map[string]string{"kms_key_name": hsmKeyFull},
	},
	{
		name: "cloud function with event trigger", asset: "cloudfunctions.googleapis.com/CloudFunction", full: fnFull + "ev",
		data: `{"name":"projects/p/locations/us-east1/functions/ev","eventTrigger":{"eventType":"google.pubsub.topic.publish"}}`,
		typ:  "google_cloudfunctions_function",
		want: map[string]string{"trigger_http": "<absent>", "event_trigger.event_type": "google.pubsub.topic.publish"},
	},
	{
		asset: "cloudfunctions.googleapis.com/Function", full: fnFull + "v2",
		data: `{"name":"projects/p/locations/us-east1/functions/v2","environment":"GEN_2","buildConfig":{"runtime":"python312","environmentVariables":{"PIP_INDEX":"x"}},
			"serviceConfig":{"uri":"https://v2.run.app","environmentVariables":{"DB_PASSWORD":"hunter2"}}}`,
		typ: "google_cloudfunctions2_function",
		want: map[string]string{
			"location": "us-east1", "build_config.runtime": "python312",
			"service_config.environment_variables.DB_PASSWORD": "hunter2", "build_config.environment_variables.PIP_INDEX": "x",
		},
	},
	{
		name: "function v2 API, 1st gen", asset: "cloudfunctions.googleapis.com/Function", full: fnFull + "g1",
		data: `{"name":"projects/p/locations/us-east1/functions/g1","environment":"GEN_1","serviceConfig":{"securityLevel":"SECURE_ALWAYS","environmentVariables":{"A":"b"}}}`,
		typ:  "google_cloudfunctions_function",
		want: map[string]string{"trigger_http": "true", "https_trigger_security_level": "SECURE_ALWAYS", "environment_variables.A": "b"},
	},
	{
		asset: "run.googleapis.com/Service", full: "//run.googleapis.com/projects/p/locations/us-east1/services/api",
		data: `{"name":"projects/p/locations/us-east1/services/api","ingress":"INGRESS_TRAFFIC_ALL","template":{"serviceAccount":"api@p.iam.gserviceaccount.com",
			"containers":[{"image":"gcr.io/p/api","env":[{"name":"CLIENT_SECRET","value":"GOCSPX-abc"},{"name":"DB","valueSource":{"secretKeyRef":{"secret":"db","version":"latest"}}}]}]}}`,
		typ: "google_cloud_run_v2_service",
		want: map[string]string{
			"name": "api", "location": "us-east1", "template.containers.image": "gcr.io/p/api",
			"template.containers.env.0.name": "CLIENT_SECRET", "template.containers.env.0.value": "GOCSPX-abc",
			"template.containers.env.1.value_source.secret_key_ref.secret": "db",
		},
	},
	{
		name: "run service knative v1", asset: "run.googleapis.com/Service", full: "//run.googleapis.com/projects/p/locations/us-east1/services/old",
		data: `{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"name":"old","namespace":"42","labels":{"cloud.googleapis.com/location":"us-east1"}},
			"spec":{"template":{"spec":{"containers":[{"image":"gcr.io/p/old","env":[{"name":"REFRESH_TOKEN","value":"1//abc"},
				{"name":"K","valueFrom":{"secretKeyRef":{"name":"k","key":"latest"}}}]}]}}}}`,
		typ: "google_cloud_run_service",
		want: map[string]string{
			"name": "old", "location": "us-east1", "template.spec.containers.env.0.name": "REFRESH_TOKEN",
			"template.spec.containers.env.0.value": "1//abc", "template.spec.containers.env.1.value_from.secret_key_ref.name": "k",
		},
	},
	{
		asset: "run.googleapis.com/Job", full: "//run.googleapis.com/projects/p/locations/us-east1/jobs/nightly",
		data: `{"name":"projects/p/locations/us-east1/jobs/nightly","template":{"template":{"containers":[{"image":"gcr.io/p/job","env":[{"name":"PASSWORD","value":"x"}]}]}}}`,
		typ:  "google_cloud_run_v2_job",
		want: map[string]string{"name": "nightly", "template.template.containers.env.name": "PASSWORD", "template.template.containers.env.value": "x"},
	},
	{
		name: "run job knative v1", asset: "run.googleapis.com/Job", full: "//run.googleapis.com/projects/p/locations/us-east1/jobs/v1job",
		data: `{"apiVersion":"run.googleapis.com/v1","kind":"Job","metadata":{"name":"v1job"},"spec":{"template":{"spec":{"template":{"spec":{"containers":[{"env":[{"name":"API_KEY","value":"k"}]}]}}}}}}`,
		typ:  "google_cloud_run_v2_job",
		want: map[string]string{"name": "v1job", "template.template.containers.env.name": "API_KEY", "template.template.containers.env.value": "k"},
	},
	{
		asset: "appengine.googleapis.com/Version", full: "//appengine.googleapis.com/apps/p/services/default/versions/v1",
		data: `{"id":"v1","runtime":"python312","env":"standard","envVariables":{"SECRET_KEY":"s"},
			"handlers":[{"urlRegex":"/.*","securityLevel":"SECURE_OPTIONAL","script":{"scriptPath":"auto"}}]}`,
		typ: "google_app_engine_standard_app_version",
		want: map[string]string{
			"version_id": "v1", "service": "default", "env_variables.SECRET_KEY": "s",
			"handlers.url_regex": "/.*", "handlers.security_level": "SECURE_OPTIONAL", "handlers.script.script_path": "auto",
		},
	},
	{
		name: "app engine flexible", asset: "appengine.googleapis.com/Version", full: "//appengine.googleapis.com/apps/p/services/api/versions/v2",
		data: `{"id":"v2","env":"flexible"}`, typ: "google_app_engine_flexible_app_version",
		want: map[string]string{"service": "api"},
	},
	{
		asset: "iam.googleapis.com/ServiceAccountKey", full: "//iam.googleapis.com/projects/p/serviceAccounts/ci@p.iam.gserviceaccount.com/keys/abc123",
		data: `{"name":"projects/p/serviceAccounts/ci@p.iam.gserviceaccount.com/keys/abc123","keyType":"USER_MANAGED","keyOrigin":"GOOGLE_PROVIDED","keyAlgorithm":"KEY_ALG_RSA_2048"}`,
		typ:  "google_service_account_key",
		want: map[string]string{"service_account_id": "projects/p/serviceAccounts/ci@p.iam.gserviceaccount.com", "key_algorithm": "KEY_ALG_RSA_2048", "public_key_data": "<absent>"},
		refs: map[string]string{"service_account_id": "//iam.googleapis.com/projects/p/serviceAccounts/ci@p.iam.gserviceaccount.com"},
	},
	{
		name: "uploaded service account key", asset: "iam.googleapis.com/ServiceAccountKey", full: "//iam.googleapis.com/projects/p/serviceAccounts/a@p.iam.gserviceaccount.com/keys/up",
		data: `{"keyType":"USER_MANAGED","keyOrigin":"USER_PROVIDED"}`, typ: "google_service_account_key",
		want: map[string]string{"public_key_data": "<unknown>"},
	},
	{
		asset: "iam.googleapis.com/ServiceAccount", full: "//iam.googleapis.com/projects/p/serviceAccounts/ci@p.iam.gserviceaccount.com",
		data: `{"email":"ci@p.iam.gserviceaccount.com","displayName":"CI"}`, typ: "google_service_account",
		want: map[string]string{"account_id": "ci", "email": "ci@p.iam.gserviceaccount.com"},
	},
	{
		asset: "cloudscheduler.googleapis.com/Job", full: "//cloudscheduler.googleapis.com/projects/p/locations/us-east1/jobs/ping",
		data: `{"name":"projects/p/locations/us-east1/jobs/ping","schedule":"* * * * *","httpTarget":{"uri":"http://api.example/ping","httpMethod":"POST"}}`,
		typ:  "google_cloud_scheduler_job",
		want: map[string]string{"name": "ping", "region": "us-east1", "http_target.uri": "http://api.example/ping", "http_target.http_method": "POST"},
	},
	{
		asset: "cloudtasks.googleapis.com/Queue", full: "//cloudtasks.googleapis.com/projects/p/locations/us-east1/queues/q",
		data: `{"name":"projects/p/locations/us-east1/queues/q","httpTarget":{"httpMethod":"POST","uriOverride":{"scheme":"HTTP","host":"api.example","pathOverride":{"path":"/task"}}}}`,
		typ:  "google_cloud_tasks_queue",
		want: map[string]string{"name": "q", "location": "us-east1", "http_target.uri_override.scheme": "HTTP", "http_target.uri_override.path_override.path": "/task"},
	},
	{
		asset: "monitoring.googleapis.com/NotificationChannel", full: "//monitoring.googleapis.com/projects/p/notificationChannels/123",
		data: `{"type":"webhook_tokenauth","displayName":"ops","labels":{"url":"http://hooks.example/alert"},"enabled":true}`,
		typ:  "google_monitoring_notification_channel",
		want: map[string]string{"type": "webhook_tokenauth", "labels.url": "http://hooks.example/alert"},
	},
	{
		asset: "cloudresourcemanager.googleapis.com/Project", full: "//cloudresourcemanager.googleapis.com/projects/42",
		data: `{"projectNumber":"42","projectId":"acme","name":"Acme","parent":{"type":"organization","id":"9"}}`,
		typ:  "google_project",
		want: map[string]string{"project_id": "acme", "number": "42", "org_id": "9", "name": "Acme"},
	},
	{
		name: "project number as a JSON number", asset: "cloudresourcemanager.googleapis.com/Project", full: "//cloudresourcemanager.googleapis.com/projects/43",
		data: `{"projectNumber":43,"projectId":"b","parent":{"type":"folder","id":"5"}}`,
		typ:  "google_project",
		want: map[string]string{"number": "43", "folder_id": "5"},
	},
	{
		asset: "cloudresourcemanager.googleapis.com/Folder", full: "//cloudresourcemanager.googleapis.com/folders/5",
		data: `{"name":"folders/5","displayName":"prod","parent":"organizations/9"}`, typ: "google_folder",
		want: map[string]string{"display_name": "prod", "parent": "organizations/9"},
	},
}

func TestMapApps(t *testing.T) { runMapCases(t, appCases) }

// TestSensitiveValues checks that configuration values that commonly hold
// credentials are marked sensitive, so Display never prints them.
func TestSensitiveValues(t *testing.T) {
	cases := []struct {
		asset, full, data, path string
	}{
		{"run.googleapis.com/Service", "//run.googleapis.com/projects/p/locations/l/services/s",
			`{"template":{"containers":[{"env":[{"name":"DB_PASSWORD","value":"hunter2"}]}]}}`, "template.containers.env.value"},
		{"cloudfunctions.googleapis.com/CloudFunction", fnFull + "f", `{"environmentVariables":{"PASSWORD":"hunter2"}}`, "environment_variables"},
		{"appengine.googleapis.com/Version", "//appengine.googleapis.com/apps/p/services/s/versions/v", `{"envVariables":{"PASSWORD":"hunter2"}}`, "env_variables"},
		{"compute.googleapis.com/Instance", cfull + "zones/z/instances/i", `{"metadata":{"items":[{"key":"k","value":"hunter2"}]}}`, "metadata"},
		{"compute.googleapis.com/Disk", cfull + "zones/z/disks/d", `{"diskEncryptionKey":{"rawKey":"c2VjcmV0"}}`, "disk_encryption_key.raw_key"},
		{"monitoring.googleapis.com/NotificationChannel", "//monitoring.googleapis.com/projects/p/notificationChannels/1", `{"labels":{"url":"https://hooks.example/T0/B0/secret"}}`, "labels"},
	}
	for _, tc := range cases {
		t.Run(tc.asset, func(t *testing.T) {
			res, _ := mapAsset(Asset{Name: tc.full, AssetType: tc.asset, Resource: &AssetResource{Data: decodeData(t, tc.data)}})
			if len(res) == 0 {
				t.Fatal("not mapped")
			}
			a := res[0].Get(tc.path)
			if a == nil || !a.Sensitive || !a.Literal {
				t.Fatalf("%s: %+v, want a literal, sensitive attribute", tc.path, a)
			}
		})
	}
}

// TestSkippedAssets covers data the table deliberately drops.
func TestSkippedAssets(t *testing.T) {
	res, diags := mapAsset(Asset{
		Name: "//iam.googleapis.com/projects/p/serviceAccounts/a@p.iam.gserviceaccount.com/keys/sys", AssetType: "iam.googleapis.com/ServiceAccountKey",
		Resource: &AssetResource{Data: map[string]any{"keyType": "SYSTEM_MANAGED"}},
	})
	if len(res) != 0 || len(diags) != 0 {
		t.Errorf("system-managed key: %d resources, %v; want none", len(res), diags)
	}
	res, diags = mapAsset(Asset{Name: "//compute.googleapis.com/projects/p/global/networks/n", AssetType: "compute.googleapis.com/Network", Resource: &AssetResource{}})
	if len(res) != 0 || len(diags) != 1 || diags[0].Summary != unmappedSummary {
		t.Errorf("unmapped type: %d resources, %v; want one unmapped diagnostic", len(res), diags)
	}
}
