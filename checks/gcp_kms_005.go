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
	res   *scanner.Resource
	path  string
	admin bool
	// maybe is true when the role is not known before apply: it may be
	// either kind of KMS role. role names where it comes from
	// ("var.kms_role"), or is "".
	maybe bool
	role  string
	// member is the member lower-cased, the key grants are grouped by
	// (IAM matches emails in any case); "" when the members are not all
	// known.
	member string
	shown  string // member as written, as a message may show it (scanner.Display's rules)
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
		admin, maybe := b.Role == kmsAdminRole, b.Role == ""
		if !admin && !maybe && !kmsUseRoles[b.Role] {
			continue
		}
		gpath := path
		if maybe && path != "policy_data" {
			gpath = "role" // the finding points at the role, and its provenance says where it came from
		}
		for _, m := range b.Members {
			m = strings.TrimSpace(m)
			out = append(out, kmsGrant{res: r, path: gpath, admin: admin, maybe: maybe, role: b.RoleFrom,
				member: strings.ToLower(m), shown: shownText(m, b.Sensitive)})
		}
		if b.Partial {
			out = append(out, kmsGrant{res: r, path: gpath, admin: admin, maybe: maybe, role: b.RoleFrom})
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
	type side struct{ admin, use, maybe []kmsGrant }
	byMember := map[string]*side{}
	var anyAdmin, anyUse, anyMaybe bool
	for _, gr := range grants {
		s := byMember[gr.member]
		if s == nil {
			s = &side{}
			byMember[gr.member] = s
		}
		switch {
		case gr.maybe:
			s.maybe, anyMaybe = append(s.maybe, gr), true
		case gr.admin:
			s.admin, anyAdmin = append(s.admin, gr), true
		default:
			s.use, anyUse = append(s.use, gr), true
		}
	}
	conflicts := map[*scanner.Resource]*conflict{}
	for member, s := range byMember {
		switch {
		case member != "" && len(s.admin) > 0 && len(s.use) > 0:
			addConflict(conflicts, s.admin[0].shownMember(s.use), s.admin, s.use)
			addConflict(conflicts, s.admin[0].shownMember(s.use), s.use, s.admin)
		case member != "" && len(s.maybe) > 0 && len(s.admin)+len(s.use) > 0:
			// A role not known before apply may be the kind the member
			// lacks: the conflict is unknown, on the grant of that role.
			held := append(s.admin, s.use...)
			addMaybeConflict(conflicts, s.maybe, held)
		case member == "" && (len(s.admin) > 0 && (anyUse || anyMaybe) || len(s.use) > 0 && (anyAdmin || anyMaybe) ||
			len(s.maybe) > 0 && (anyAdmin || anyUse)):
			for _, gr := range append(append(s.admin, s.use...), s.maybe...) {
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
	// unsure are the members whose grants of the other kind all may not
	// exist (their count or for_each is not known before apply), and
	// why lists those reasons: the conflict is unknown, not a failure.
	unsure []string
	why    []string
	// held, for a grant whose role is not known before apply, are the
	// members it grants it to with the KMS roles they hold for sure.
	held    []string
	related []*scanner.Resource
}

// addMaybeConflict records, on each grant of a role not known before apply,
// the member it shares with the grants in held (the member holds those KMS
// roles for sure): the unknown role may be the other kind.
func addMaybeConflict(m map[*scanner.Resource]*conflict, maybe, held []kmsGrant) {
	var roles []string
	for _, h := range held {
		if h.admin {
			roles = append(roles, kmsAdminRole)
		} else {
			roles = append(roles, "a key-use role")
		}
	}
	roles = sortedUnique(roles)
	for _, gr := range maybe {
		c := conflictOf(m, gr)
		c.held = append(c.held, gr.shownMember(held)+" (who holds "+strings.Join(roles, " and ")+")")
		for _, h := range held {
			if h.res != gr.res {
				c.related = append(c.related, h.res)
			}
		}
	}
}

func conflictOf(m map[*scanner.Resource]*conflict, gr kmsGrant) *conflict {
	c := m[gr.res]
	if c == nil {
		c = &conflict{grant: gr}
		m[gr.res] = c
	}
	return c
}

// addConflict records, on each grant in mine, the member it shares with
// the grants in other. The member holds both kinds of role for sure only
// when one grant in other surely exists where gr does: on gr's own
// resource, or on one whose count and for_each are known.
func addConflict(m map[*scanner.Resource]*conflict, member string, mine, other []kmsGrant) {
	for _, gr := range mine {
		c := conflictOf(m, gr)
		sure := false
		var why []string
		for _, o := range other {
			switch {
			case o.res == gr.res || o.res.Uncertain == "":
				sure = true
			default:
				why = append(why, o.res.Uncertain)
			}
			if o.res != gr.res {
				c.related = append(c.related, o.res)
			}
		}
		if sure {
			c.members = append(c.members, member)
		} else {
			c.unsure = append(c.unsure, member)
			c.why = append(c.why, why...)
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
		case len(c.members)+len(c.unsure) > 0 && strings.HasPrefix(project, "?"):
			p = scanner.Unknown(c.grant.path, "%s holds both %s and a key-use role, on projects not known before apply that may be the same",
				strings.Join(sortedUnique(append(c.members, c.unsure...)), ", "), kmsAdminRole)
		case len(c.unsure) > 0:
			p = scanner.Unknown(c.grant.path, "%s may hold both %s and a role that encrypts or decrypts with keys on %s: the other grant may not exist (%s)",
				strings.Join(sortedUnique(c.unsure), ", "), kmsAdminRole, where, strings.Join(sortedUnique(c.why), "; "))
		case len(c.held) > 0:
			p = scanner.Unknown(c.grant.path, "%s is not known before apply and is granted to %s on %s: if it is the other kind of KMS role, there is no separation of duties",
				roleNamed(c.grant.role), strings.Join(sortedUnique(c.held), ", "), where)
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

// roleNamed names a role not known before apply by where it comes from:
// "the role (var.kms_role)", else "the role".
func roleNamed(from string) string {
	if from == "" {
		return "the role"
	}
	return "the role (" + from + ")"
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
