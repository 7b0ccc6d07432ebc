package checks

import "testing"

func TestACC001PublicBucket(t *testing.T) {
	runTF(t, gcpACC001, []tfCase{
		{"iam member", `resource "google_storage_bucket_iam_member" "m" {
  bucket = "b"
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}`, []string{"google_storage_bucket_iam_member.m member FAIL"}},
		{"iam binding", `resource "google_storage_bucket_iam_binding" "b" {
  role    = "roles/storage.objectViewer"
  members = ["group:g@example.com", "allAuthenticatedUsers"]
}`, []string{"google_storage_bucket_iam_binding.b members FAIL"}},
		{"iam policy from data", `
data "google_iam_policy" "p" {
  binding {
    role    = "roles/storage.objectViewer"
    members = ["allUsers"]
  }
}
resource "google_storage_bucket_iam_policy" "p" { policy_data = data.google_iam_policy.p.policy_data }`,
			[]string{"google_storage_bucket_iam_policy.p policy_data FAIL -> data.google_iam_policy.p"}},
		{"private", `resource "google_storage_bucket_iam_member" "m" {
  role   = "roles/storage.objectViewer"
  member = "user:a@example.com"
}`, nil},
		{"predefined public acl", `resource "google_storage_bucket_acl" "a" { predefined_acl = "publicRead" }`,
			[]string{"google_storage_bucket_acl.a predefined_acl FAIL"}},
		{"public default object acl", `resource "google_storage_bucket_acl" "a" { default_acl = "publicRead" }`,
			[]string{"google_storage_bucket_acl.a default_acl FAIL"}},
		{"private predefined acl", `resource "google_storage_bucket_acl" "a" { predefined_acl = "projectPrivate" }`, nil},
		{"unknown predefined acl", `resource "google_storage_bucket_acl" "a" { predefined_acl = var.acl }
variable "acl" { type = string }`, []string{"google_storage_bucket_acl.a predefined_acl UNKNOWN"}},
		{"role entity with an unknown entry", `resource "google_storage_bucket_acl" "a" {
  role_entity = ["OWNER:user-a@example.com", var.entity]
}
variable "entity" { type = string }`, []string{"google_storage_bucket_acl.a role_entity UNKNOWN"}},
		{"role entity", `resource "google_storage_bucket_acl" "a" {
  role_entity = ["OWNER:user-a@example.com", "READER:allUsers"]
}`, []string{"google_storage_bucket_acl.a role_entity FAIL"}},
		{"access control", `resource "google_storage_bucket_access_control" "a" {
  role   = "READER"
  entity = "allAuthenticatedUsers"
}`, []string{"google_storage_bucket_access_control.a entity FAIL"}},
		{"default object access control", `resource "google_storage_default_object_access_control" "a" {
  role   = "READER"
  entity = "allUsers"
}`, []string{"google_storage_default_object_access_control.a entity FAIL"}},
		{"unknown entity", `resource "google_storage_bucket_access_control" "a" { entity = var.e }
variable "e" {}`,
			[]string{"google_storage_bucket_access_control.a entity UNKNOWN"}},
		{"policy dynamic binding with unknown for_each and public member", `
variable "roles" { type = set(string) }
data "google_iam_policy" "p" {
  dynamic "binding" {
    for_each = var.roles
    content {
      role    = binding.value
      members = ["allUsers"]
    }
  }
}
resource "google_storage_bucket_iam_policy" "p" { policy_data = data.google_iam_policy.p.policy_data }`,
			[]string{"google_storage_bucket_iam_policy.p policy_data UNKNOWN -> data.google_iam_policy.p"}},
		{"policy dynamic binding with unknown for_each beside a public binding", `
variable "roles" { type = set(string) }
data "google_iam_policy" "p" {
  binding {
    role    = "roles/storage.objectViewer"
    members = ["allAuthenticatedUsers"]
  }
  dynamic "binding" {
    for_each = var.roles
    content {
      role    = binding.value
      members = ["user:a@example.com"]
    }
  }
}
resource "google_storage_bucket_iam_policy" "p" { policy_data = data.google_iam_policy.p.policy_data }`,
			[]string{"google_storage_bucket_iam_policy.p policy_data FAIL -> data.google_iam_policy.p"}},
		{"policy one of two data sources only one public", `
variable "open" { type = bool }
data "google_iam_policy" "public" {
  binding {
    role    = "roles/storage.objectViewer"
    members = ["allUsers"]
  }
}
data "google_iam_policy" "private" {
  binding {
    role    = "roles/storage.objectViewer"
    members = ["user:a@example.com"]
  }
}
resource "google_storage_bucket_iam_policy" "p" {
  policy_data = var.open ? data.google_iam_policy.public.policy_data : data.google_iam_policy.private.policy_data
}`,
			[]string{"google_storage_bucket_iam_policy.p policy_data UNKNOWN -> data.google_iam_policy.private -> data.google_iam_policy.public"}},
		{"policy one of two data sources both public", `
variable "open" { type = bool }
data "google_iam_policy" "a" {
  binding {
    role    = "roles/storage.objectViewer"
    members = ["allUsers"]
  }
}
data "google_iam_policy" "b" {
  binding {
    role    = "roles/storage.objectViewer"
    members = ["allAuthenticatedUsers"]
  }
}
resource "google_storage_bucket_iam_policy" "p" {
  policy_data = var.open ? data.google_iam_policy.a.policy_data : data.google_iam_policy.b.policy_data
}`,
			[]string{"google_storage_bucket_iam_policy.p policy_data FAIL -> data.google_iam_policy.a -> data.google_iam_policy.b"}},
	})
}

func TestACC002PublicAccessPrevention(t *testing.T) {
	runTF(t, gcpACC002, []tfCase{
		{"enforced", `resource "google_storage_bucket" "b" { public_access_prevention = "enforced" }`, nil},
		{"default", `resource "google_storage_bucket" "b" { name = "b" }`, []string{"google_storage_bucket.b public_access_prevention FAIL"}},
		{"inherited", `resource "google_storage_bucket" "b" { public_access_prevention = "inherited" }`, []string{"google_storage_bucket.b public_access_prevention FAIL"}},
		{"unknown", `resource "google_storage_bucket" "b" { public_access_prevention = var.pap }
variable "pap" {}`, []string{"google_storage_bucket.b public_access_prevention UNKNOWN"}},
	})
}

func TestACC003UniformAccess(t *testing.T) {
	runTF(t, gcpACC003, []tfCase{
		{"on", `resource "google_storage_bucket" "b" { uniform_bucket_level_access = true }`, nil},
		{"default", `resource "google_storage_bucket" "b" { name = "b" }`, []string{"google_storage_bucket.b uniform_bucket_level_access FAIL"}},
		{"off", `resource "google_storage_bucket" "b" { uniform_bucket_level_access = false }`, []string{"google_storage_bucket.b uniform_bucket_level_access FAIL"}},
		{"unknown", `resource "google_storage_bucket" "b" { uniform_bucket_level_access = var.u }
variable "u" {}`, []string{"google_storage_bucket.b uniform_bucket_level_access UNKNOWN"}},
	})
}

func TestACC004SQLAuthorizedNetworks(t *testing.T) {
	runTF(t, gcpACC004, []tfCase{
		{"office only", `resource "google_sql_database_instance" "db" {
  settings {
    ip_configuration {
      authorized_networks {
        value = "203.0.113.0/24"
      }
    }
  }
}`, nil},
		{"any ipv4 and ipv6", `resource "google_sql_database_instance" "db" {
  settings {
    ip_configuration {
      authorized_networks {
        value = "203.0.113.0/24"
      }
      authorized_networks {
        value = "0.0.0.0/0"
      }
      authorized_networks {
        value = "::/0"
      }
    }
  }
}`, []string{
			"google_sql_database_instance.db settings.ip_configuration.authorized_networks.1.value FAIL",
			"google_sql_database_instance.db settings.ip_configuration.authorized_networks.2.value FAIL",
		}},
		{"unknown", `resource "google_sql_database_instance" "db" {
  settings {
    ip_configuration {
      authorized_networks {
        value = var.cidr
      }
    }
  }
}
variable "cidr" {}`, []string{"google_sql_database_instance.db settings.ip_configuration.authorized_networks.0.value UNKNOWN"}},
	})
}

func TestACC005PublicDataset(t *testing.T) {
	runTF(t, gcpACC005, []tfCase{
		{"access blocks", `resource "google_bigquery_dataset" "d" {
  access {
    role          = "OWNER"
    special_group = "projectOwners"
  }
  access {
    role          = "READER"
    special_group = "allAuthenticatedUsers"
  }
  access {
    role       = "READER"
    iam_member = "allUsers"
  }
}`, []string{
			"google_bigquery_dataset.d access.1.special_group FAIL",
			"google_bigquery_dataset.d access.2.iam_member FAIL",
		}},
		{"private dataset", `resource "google_bigquery_dataset" "d" {
  access {
    role           = "READER"
    group_by_email = "analysts@example.com"
  }
}`, nil},
		{"dataset access resource", `resource "google_bigquery_dataset_access" "a" {
  role          = "READER"
  special_group = "allAuthenticatedUsers"
}`, []string{"google_bigquery_dataset_access.a special_group FAIL"}},
		{"dataset iam member", `resource "google_bigquery_dataset_iam_member" "m" {
  role   = "roles/bigquery.dataViewer"
  member = "allUsers"
}`, []string{"google_bigquery_dataset_iam_member.m member FAIL"}},
		{"dynamic access with unknown for_each and public group", `
variable "readers" { type = set(string) }
resource "google_bigquery_dataset" "d" {
  dynamic "access" {
    for_each = var.readers
    content {
      role          = "READER"
      special_group = "allAuthenticatedUsers"
    }
  }
}`, []string{"google_bigquery_dataset.d access.0.special_group UNKNOWN"}},
	})
}

func TestACC006PublicPubSub(t *testing.T) {
	runTF(t, gcpACC006, []tfCase{
		{"topic member", `resource "google_pubsub_topic_iam_member" "m" {
  role   = "roles/pubsub.publisher"
  member = "allUsers"
}`, []string{"google_pubsub_topic_iam_member.m member FAIL"}},
		{"subscription binding", `resource "google_pubsub_subscription_iam_binding" "b" {
  role    = "roles/pubsub.subscriber"
  members = ["allAuthenticatedUsers"]
}`, []string{"google_pubsub_subscription_iam_binding.b members FAIL"}},
		{"gmail push", `resource "google_pubsub_topic_iam_member" "m" {
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:gmail-api-push@system.gserviceaccount.com"
}`, nil},
	})
}

func TestACC007RedisAuth(t *testing.T) {
	runTF(t, gcpACC007, []tfCase{
		{"enabled", `resource "google_redis_instance" "r" { auth_enabled = true }`, nil},
		{"default", `resource "google_redis_instance" "r" { name = "r" }`, []string{"google_redis_instance.r auth_enabled FAIL"}},
		{"disabled", `resource "google_redis_instance" "r" { auth_enabled = false }`, []string{"google_redis_instance.r auth_enabled FAIL"}},
		{"unknown", `resource "google_redis_instance" "r" { auth_enabled = var.auth }
variable "auth" {}`, []string{"google_redis_instance.r auth_enabled UNKNOWN"}},
	})
}

func TestACC008PublicDataStore(t *testing.T) {
	runTF(t, gcpACC008, []tfCase{
		{"bigquery table member", `resource "google_bigquery_table_iam_member" "m" {
  role   = "roles/bigquery.dataViewer"
  member = "allUsers"
}`, []string{"google_bigquery_table_iam_member.m member FAIL"}},
		{"spanner instance binding", `resource "google_spanner_instance_iam_binding" "b" {
  role    = "roles/spanner.databaseReader"
  members = ["group:g@example.com", "allAuthenticatedUsers"]
}`, []string{"google_spanner_instance_iam_binding.b members FAIL"}},
		{"spanner database member", `resource "google_spanner_database_iam_member" "m" {
  role   = "roles/spanner.databaseReader"
  member = "allAuthenticatedUsers"
}`, []string{"google_spanner_database_iam_member.m member FAIL"}},
		{"bigtable instance and table", `resource "google_bigtable_instance_iam_member" "m" {
  role   = "roles/bigtable.reader"
  member = "allUsers"
}
resource "google_bigtable_table_iam_binding" "b" {
  role    = "roles/bigtable.reader"
  members = ["allUsers"]
}`, []string{"google_bigtable_instance_iam_member.m member FAIL", "google_bigtable_table_iam_binding.b members FAIL"}},
		{"artifact registry and dataproc", `resource "google_artifact_registry_repository_iam_member" "m" {
  role   = "roles/artifactregistry.reader"
  member = "allUsers"
}
resource "google_dataproc_cluster_iam_member" "m" {
  role   = "roles/dataproc.viewer"
  member = "allAuthenticatedUsers"
}`, []string{"google_artifact_registry_repository_iam_member.m member FAIL", "google_dataproc_cluster_iam_member.m member FAIL"}},
		{"policy from data", `
data "google_iam_policy" "p" {
  binding {
    role    = "roles/spanner.databaseReader"
    members = ["allUsers"]
  }
}
resource "google_spanner_database_iam_policy" "p" { policy_data = data.google_iam_policy.p.policy_data }`,
			[]string{"google_spanner_database_iam_policy.p policy_data FAIL -> data.google_iam_policy.p"}},
		{"private", `resource "google_bigtable_table_iam_member" "m" {
  role   = "roles/bigtable.reader"
  member = "serviceAccount:api@p.iam.gserviceaccount.com"
}`, nil},
		{"unknown member", `resource "google_spanner_database_iam_member" "m" {
  role   = "roles/spanner.databaseReader"
  member = var.member
}
variable "member" {}`, []string{"google_spanner_database_iam_member.m member UNKNOWN"}},
		{"dataset iam is GCP-ACC-005's", `resource "google_bigquery_dataset_iam_member" "m" {
  role   = "roles/bigquery.dataViewer"
  member = "allUsers"
}
resource "google_bigquery_table_iam_member" "private" {
  role   = "roles/bigquery.dataViewer"
  member = "group:analysts@example.com"
}`, nil},
	})
}
