package checks

import "testing"

// TestMemberUndecided reads members as the evaluator gives them: a template
// such as "serviceAccount:${var.x}" is unknown with a known prefix.
func TestMemberUndecided(t *testing.T) {
	for _, tc := range []struct {
		name   string
		member string // HCL expression
		want   bool
	}{
		{"known public", `"allUsers"`, false},
		{"known private", `"user:a@example.com"`, false},
		{"null", `null`, false},
		{"unknown", `var.s`, true},
		{"unknown of any type", `var.any`, true},
		{"prefix rules public out", `"serviceAccount:${var.s}"`, false},
		{"entity prefix rules public out", `"user-${var.s}"`, false},
		{"prefix of allUsers", `"all${var.s}"`, true},
		{"prefix of allAuthenticatedUsers", `"allAuth${var.s}"`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, r := loadRes(t, `
variable "s" { type = string }
variable "any" {}
resource "google_storage_bucket_iam_member" "m" {
  role   = "roles/storage.objectViewer"
  member = `+tc.member+`
}`, "google_storage_bucket_iam_member.m")
			a := r.Get("member")
			if got := memberUndecided(a); got != tc.want {
				t.Errorf("memberUndecided(%s) = %v, want %v (value %#v)", tc.member, got, tc.want, a.Value)
			}
		})
	}
}
