package checks

import (
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpACC001 = &scanner.Check{
	ID:       "GCP-ACC-001",
	Title:    "Bucket open to the public",
	Severity: scanner.Critical,
	CWE:      732,
	ASVS:     []string{"4.1.3"},
	Measures: []scanner.Measure{scanner.M5},
	Types: append(iamTypes("google_storage_bucket"),
		"google_storage_bucket_acl",
		"google_storage_bucket_access_control",
		"google_storage_default_object_access_control"),
	Why: "A bucket that grants a role or ACL to allUsers or allAuthenticatedUsers can be " +
		"listed and read by anyone on the internet, or by anyone with a Google account. " +
		"Buckets are where exported mail, Drive files, attachments and backups end up; one " +
		"public grant exposes every user's data in it without any authentication the app " +
		"controls.",
	Remediation: "Remove allUsers and allAuthenticatedUsers from the bucket's IAM " +
		"resources and ACLs, do not use the publicRead, publicReadWrite or " +
		"authenticatedRead predefined ACLs, and enable public_access_prevention = " +
		"\"enforced\" and uniform bucket-level access so no ACL can reopen it.",
	Fix: `resource "google_storage_bucket" "mail" {
  name                        = "acme-mail-exports"
  location                    = "EU"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}

resource "google_storage_bucket_iam_member" "reader" {
  bucket = google_storage_bucket.mail.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:mail-api@acme-prod.iam.gserviceaccount.com"
}`,
	Test: testBucketPublic,
}

// publicACLs are the predefined ACLs that open a bucket to everyone.
var publicACLs = map[string]bool{"publicread": true, "publicreadwrite": true, "authenticatedread": true}

func testBucketPublic(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	switch r.Type {
	case "google_storage_bucket_acl":
		return testBucketACL(r)
	case "google_storage_bucket_access_control", "google_storage_default_object_access_control":
		switch v, public := memberPrivate(r.Slot("entity")); v {
		case judge.Unknown:
			return []scanner.Problem{scanner.Unknown("entity", "the entity granted access is not known before apply")}
		case judge.Fail:
			return []scanner.Problem{scanner.Fail("entity", "grants access to %s, so anyone can read the bucket's objects", public[0])}
		}
		return nil
	}
	return publicGrant(g, r, "bucket")
}

// testBucketACL judges predefined_acl, default_acl (the predefined ACL new
// objects get) and every role_entity ("READER:allUsers").
func testBucketACL(r *scanner.Resource) []scanner.Problem {
	var out []scanner.Problem
	for _, name := range []string{"predefined_acl", "default_acl"} {
		acl := r.Slot(name)
		switch acl.StrIs(func(s string) bool { return !publicACLs[strings.ToLower(strings.TrimSpace(s))] }) {
		case judge.Fail:
			out = append(out, scanner.Fail(name, "%s is the public ACL %s", name, acl.Show()))
		case judge.Unknown:
			out = append(out, scanner.Unknown(name, "%s is not known before apply", name))
		}
	}
	entities, known := stringList(r.Slot("role_entity").Attr)
	var public []string
	for _, e := range entities {
		if _, entity, ok := strings.Cut(e, ":"); ok && isPublicMember(entity) {
			public = append(public, strings.TrimSpace(entity))
		}
	}
	sort.Strings(public)
	switch {
	case len(public) > 0:
		out = append(out, scanner.Fail("role_entity", "grants a role to %s, so anyone can reach the bucket", strings.Join(sortedUnique(public), " and ")))
	case !known:
		out = append(out, scanner.Unknown("role_entity", "the role entities are not all known before apply"))
	}
	return out
}
