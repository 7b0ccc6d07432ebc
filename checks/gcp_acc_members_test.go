package checks

import (
	"testing"

	"github.com/casascan/casascan/scanner/judge"
)

// TestMemberPrivate reads members as the evaluator gives them: a template
// such as "serviceAccount:${var.x}" is unknown with a known prefix.
func TestMemberPrivate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		member string // HCL expression
		want   judge.Verdict
	}{
		{"known public", `"allUsers"`, judge.Fail},
		{"known private", `"user:a@example.com"`, judge.Pass},
		{"null", `null`, judge.Pass},
		{"unknown", `var.s`, judge.Unknown},
		{"unknown of any type", `var.any`, judge.Unknown},
		{"prefix rules public out", `"serviceAccount:${var.s}"`, judge.Pass},
		{"entity prefix rules public out", `"user-${var.s}"`, judge.Pass},
		{"prefix of allUsers", `"all${var.s}"`, judge.Unknown},
		{"prefix of allAuthenticatedUsers", `"allAuth${var.s}"`, judge.Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, r := loadRes(t, `
variable "s" { type = string }
variable "any" {}
resource "google_storage_bucket_iam_member" "m" {
  role   = "roles/storage.objectViewer"
  member = `+tc.member+`
}`, "google_storage_bucket_iam_member.m")
			s := r.Slot("member")
			if got, _ := memberPrivate(s); got != tc.want {
				t.Errorf("memberPrivate(%s) = %v, want %v (value %#v)", tc.member, got, tc.want, s.Value())
			}
		})
	}
}
