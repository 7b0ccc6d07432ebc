package checks

import (
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
)

var gcpKMS005 = scanner.Check{
	ID:       "GCP-KMS-005",
	Title:    "No separation of duties on keys",
	Severity: scanner.Medium,
	CWE:      269,
	ASVS:     []string{"1.6.1"},
	Measures: []scanner.Measure{scanner.M4},
	Why: `Key management "equivalent to an HSM" separates those who administer keys from those who ` +
		`use them. A principal that holds roles/cloudkms.admin and an encrypt or decrypt role on the ` +
		`same project can change a key's IAM policy, rotation and state and also decrypt with it: one ` +
		`stolen credential or one insider reads all restricted-scope data protected by the project's ` +
		`keys, and no second person sees it happen.`,
	Remediation: `Grant roles/cloudkms.admin to a small key-administration group, and ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter (or Encrypter / Decrypter) only to the service ` +
		`agents and workloads that use keys, preferably on the individual key rather than the project. ` +
		`No principal should hold both.`,
	Fix: `resource "google_project_iam_member" "kms_admins" {
  project = "acme-mail-prod"
  role    = "roles/cloudkms.admin"
  member  = "group:kms-admins@example.com"
}

resource "google_project_iam_member" "app_crypto" {
  project = "acme-mail-prod"
  role    = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member  = "serviceAccount:mail-worker@acme-mail-prod.iam.gserviceaccount.com"
}
`,
	TestGraph: testKMS005,
}

const kmsAdminRole = "roles/cloudkms.admin"

// kmsUseRoles are the roles that encrypt or decrypt with a key.
var kmsUseRoles = map[string]bool{
	"roles/cloudkms.cryptoKeyEncrypterDecrypter": true,
	"roles/cloudkms.cryptoKeyEncrypter":          true,
	"roles/cloudkms.cryptoKeyDecrypter":          true,
}

// kmsGrant is one grant of a KMS role to a member on a project.
type kmsGrant struct {
	res    *scanner.Resource
	path   string
	admin  bool
	member string // "" when the members are not all known
	shown  string // member as a message may show it (scanner.Display's rules)
}

// testKMS005 groups the KMS grants of google_project_iam_* resources by
// project and member, and fails each grant of a member that holds both the
// admin role and a use role on one project. A project that is not known
// before apply is grouped by what it refers to, and its conflicts are unknown.
func testKMS005(g *scanner.Graph) []scanner.Problem {
	byProject := map[string][]kmsGrant{}
	shown := map[string]string{} // project key → as a message may show it
	var projects []string
	for _, typ := range []string{"google_project_iam_binding", "google_project_iam_member", "google_project_iam_policy"} {
		for _, r := range g.OfType(typ) {
			if r.Mode != scanner.Managed {
				continue
			}
			p := projectKey(r)
			if _, ok := byProject[p]; !ok {
				projects = append(projects, p)
			}
			if a := r.Get("project"); a != nil && (a.Sensitive || shown[p] == "") {
				shown[p] = scanner.Display(a)
			}
			byProject[p] = append(byProject[p], kmsGrants(g, r)...)
		}
	}
	sort.Strings(projects)
	var out []scanner.Problem
	for _, p := range projects {
		out = append(out, separationProblems(p, shown[p], byProject[p])...)
	}
	return out
}

// kmsGrants lists the KMS admin and use grants of one project IAM resource.
func kmsGrants(g *scanner.Graph, r *scanner.Resource) []kmsGrant {
	bs, path, unknown := iamBindings(g, r)
	var out []kmsGrant
	if unknown {
		// A policy that is not known before apply may grant both kinds of
		// role to anyone: its conflicts are unknown, never a pass.
		out = append(out, kmsGrant{res: r, path: path, admin: true}, kmsGrant{res: r, path: path})
	}
	for _, b := range bs {
		admin := b.Role == kmsAdminRole
		if !admin && !kmsUseRoles[b.Role] {
			continue
		}
		for _, m := range b.Members {
			m = strings.ToLower(strings.TrimSpace(m))
			out = append(out, kmsGrant{res: r, path: path, admin: admin, member: m, shown: shownText(m, b.Sensitive)})
		}
		if b.Partial {
			out = append(out, kmsGrant{res: r, path: path, admin: admin})
		}
	}
	return out
}

// projectKey names the project a project IAM resource applies to: its known
// project ID, else "?" and the resources its project refers to.
func projectKey(r *scanner.Resource) string {
	a := r.Get("project")
	if s, ok := a.Str(); ok && a.Known() {
		return s
	}
	if a == nil && r.Project != "" {
		return r.Project
	}
	if a == nil {
		return "?"
	}
	return "?" + strings.Join(a.Refs, ",")
}

// separationProblems reports, on each resource involved, the members holding
// both kinds of role on one project; an unknown member or project makes the
// conflict unknown rather than a failure.
func separationProblems(project, shownProject string, grants []kmsGrant) []scanner.Problem {
	type side struct{ admin, use []kmsGrant }
	byMember := map[string]*side{}
	var anyAdmin, anyUse bool
	for _, gr := range grants {
		s := byMember[gr.member]
		if s == nil {
			s = &side{}
			byMember[gr.member] = s
		}
		if gr.admin {
			s.admin, anyAdmin = append(s.admin, gr), true
		} else {
			s.use, anyUse = append(s.use, gr), true
		}
	}
	conflicts := map[*scanner.Resource]*conflict{}
	for member, s := range byMember {
		switch {
		case member != "" && len(s.admin) > 0 && len(s.use) > 0:
			addConflict(conflicts, s.admin[0].shownMember(s.use), s.admin, s.use)
			addConflict(conflicts, s.admin[0].shownMember(s.use), s.use, s.admin)
		case member == "" && (len(s.admin) > 0 && anyUse || len(s.use) > 0 && anyAdmin):
			for _, gr := range append(s.admin, s.use...) {
				conflictOf(conflicts, gr) // no members: an unknown conflict
			}
		}
	}
	if shownProject == "" {
		shownProject = project
	}
	return conflictProblems(project, shownProject, conflicts)
}

// shownMember is the member of a conflict as a message shows it: redacted
// when any of the grants holding it has it from a sensitive value.
func (gr kmsGrant) shownMember(others []kmsGrant) string {
	if gr.shown == scanner.Redacted {
		return gr.shown
	}
	for _, o := range others {
		if o.shown == scanner.Redacted {
			return o.shown
		}
	}
	return gr.shown
}

// shownText is s as a message may show it: scanner.Redacted when it comes
// from a sensitive value or looks like a secret, as scanner.Display does.
func shownText(s string, sensitive bool) string {
	if sensitive || scanner.LooksLikeSecret(s) || len(s) > 120 {
		return scanner.Redacted
	}
	return s
}

type conflict struct {
	grant   kmsGrant
	members []string
	related []*scanner.Resource
}

func conflictOf(m map[*scanner.Resource]*conflict, gr kmsGrant) *conflict {
	c := m[gr.res]
	if c == nil {
		c = &conflict{grant: gr}
		m[gr.res] = c
	}
	return c
}

func addConflict(m map[*scanner.Resource]*conflict, member string, mine, other []kmsGrant) {
	for _, gr := range mine {
		c := conflictOf(m, gr)
		c.members = append(c.members, member)
		for _, o := range other {
			if o.res != gr.res {
				c.related = append(c.related, o.res)
			}
		}
	}
}

func conflictProblems(project, shownProject string, m map[*scanner.Resource]*conflict) []scanner.Problem {
	var out []scanner.Problem
	where := "project " + shownProject
	if strings.HasPrefix(project, "?") {
		where = "the same project"
	}
	for res, c := range m {
		var p scanner.Problem
		switch {
		case len(c.members) > 0 && !strings.HasPrefix(project, "?"):
			p = scanner.Fail(c.grant.path, "%s holds both %s and a role that encrypts or decrypts with keys on %s: no separation of duties",
				strings.Join(sortedUnique(c.members), ", "), kmsAdminRole, where)
		case len(c.members) > 0:
			p = scanner.Unknown(c.grant.path, "%s holds both %s and a key-use role, on projects not known before apply that may be the same",
				strings.Join(sortedUnique(c.members), ", "), kmsAdminRole)
		default:
			p = scanner.Unknown(c.grant.path, "members of this KMS role grant are not known before apply, so separation of duties on %s cannot be decided", where)
		}
		p.Resource = res
		p.Related = uniqueResources(c.related)
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Resource.Address < out[j].Resource.Address })
	return out
}

func uniqueResources(rs []*scanner.Resource) []*scanner.Resource {
	sort.Slice(rs, func(i, j int) bool { return rs[i].Address < rs[j].Address })
	var out []*scanner.Resource
	for i, r := range rs {
		if i == 0 || r != rs[i-1] {
			out = append(out, r)
		}
	}
	return out
}
