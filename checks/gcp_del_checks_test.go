package checks

import "testing"

func TestDEL001LockedRetention(t *testing.T) {
	runTF(t, gcpDEL001, []tfCase{
		{"locked", `resource "google_storage_bucket" "b" {
  retention_policy {
    retention_period = 86400
    is_locked        = true
  }
}`, []string{"google_storage_bucket.b retention_policy.is_locked FAIL"}},
		{"unlocked", `resource "google_storage_bucket" "b" {
  retention_policy {
    retention_period = 86400
  }
}`, nil},
		{"no retention", `resource "google_storage_bucket" "b" { name = "b" }`, nil},
		{"unknown", `resource "google_storage_bucket" "b" {
  retention_policy {
    is_locked = var.lock
  }
}
variable "lock" {}`, []string{"google_storage_bucket.b retention_policy.is_locked UNKNOWN"}},
	})
}

func TestDEL002NoncurrentCleanup(t *testing.T) {
	bucket := func(rules string) string {
		return `resource "google_storage_bucket" "b" {
  versioning {
    enabled = true
  }
` + rules + `
}`
	}
	rule := func(action, condition string) string {
		return `  lifecycle_rule {
    action {
      type = "` + action + `"
    }
    condition {
      ` + condition + `
    }
  }`
	}
	const fail = "google_storage_bucket.b versioning.enabled FAIL"
	runTF(t, gcpDEL002, []tfCase{
		{"no versioning", `resource "google_storage_bucket" "b" { name = "b" }`, nil},
		{"versioning off", `resource "google_storage_bucket" "b" {
  versioning {
    enabled = false
  }
}`, nil},
		{"no rules", bucket(""), []string{fail}},
		{"days since noncurrent", bucket(rule("Delete", "days_since_noncurrent_time = 30")), nil},
		{"num newer versions", bucket(rule("Delete", "num_newer_versions = 3")), nil},
		{"noncurrent time before", bucket(rule("Delete", `noncurrent_time_before = "2024-01-01"`)), nil},
		{"archived", bucket(rule("Delete", `with_state = "ARCHIVED"`)), nil},
		{"age only", bucket(rule("Delete", "age = 365")), []string{fail}},
		{"zero newer versions", bucket(rule("Delete", "num_newer_versions = 0")), []string{fail}},
		{"zero days without send flag", bucket(rule("Delete", "days_since_noncurrent_time = 0")), []string{fail}},
		{"zero days with send flag", bucket(rule("Delete", "days_since_noncurrent_time = 0\n      send_days_since_noncurrent_time_if_zero = true")), nil},
		{"set storage class", bucket(rule("SetStorageClass", "days_since_noncurrent_time = 30")), []string{fail}},
		{"second rule deletes", bucket(rule("Delete", "age = 30") + "\n" + rule("Delete", "num_newer_versions = 2")), nil},
		{"unknown condition", bucket(rule("Delete", "num_newer_versions = var.n")) + `
variable "n" {}`, []string{"google_storage_bucket.b versioning.enabled UNKNOWN"}},
		// A dynamic rule whose for_each is not known: its content is
		// judged in every copy; one that never targets noncurrent versions
		// fails in every copy, one whose condition comes from the element
		// is not known.
		{"dynamic rules never targeting noncurrent", bucket(`  dynamic "lifecycle_rule" {
    for_each = var.rules
    content {
      action {
        type = "Delete"
      }
    }
  }`) + `
variable "rules" {}`, []string{"google_storage_bucket.b versioning.enabled FAIL"}},
		{"dynamic rules with condition from element", bucket(`  dynamic "lifecycle_rule" {
    for_each = var.rules
    content {
      action {
        type = "Delete"
      }
      condition {
        num_newer_versions = lifecycle_rule.value
      }
    }
  }`) + `
variable "rules" {}`, []string{"google_storage_bucket.b versioning.enabled UNKNOWN"}},
		{"unknown versioning", `resource "google_storage_bucket" "b" {
  versioning {
    enabled = var.v
  }
}
variable "v" {}`, []string{"google_storage_bucket.b versioning.enabled UNKNOWN"}},
	})
}
